"""How the Monev plugin reads the others: only through their actions, as the site user (aggregates over every
dataset, private ones included; nothing read here is shown by name).

An action that does not exist (its plugin is not enabled: ``KeyError`` from ``get_action``) gives ``None``;
so does one that refuses or fails (logged): the figure built on it is then *belum tersedia*. Each answer is
remembered for the reader's life, so the figures of several years share one call.
"""
from __future__ import annotations

import json
import logging
from typing import Any

import ckan.plugins.toolkit as tk
from ckan import model
from sqlalchemy.exc import SQLAlchemyError

__all__ = ["Reader"]

log = logging.getLogger(__name__)

# Ids of priority datasets per search, well under the boolean-clause limit of Solr-like engines.
ID_CHUNK = 200


class Reader:
    def __init__(self) -> None:
        self._site = tk.get_action("get_site_user")({"ignore_auth": True}, {})["name"]
        self._site_obj = model.User.get(self._site)  # once: a build makes some seventy calls
        self._memo: dict[tuple[str, str], Any] = {}
        self.missing: set[str] = set()

    def _context(self) -> dict[str, Any]:
        # A fresh context per call (actions write into it); the site user: every OPD's tickets, every dataset.
        return {"ignore_auth": True, "user": self._site, "auth_user_obj": self._site_obj}

    def exists(self, name: str) -> bool:
        try:
            tk.get_action(name)
        except KeyError:
            return False
        return True

    def call(self, name: str, data: dict[str, Any] | None = None) -> Any:
        key = (name, json.dumps(data or {}, sort_keys=True, default=str))
        if key in self._memo:
            return self._memo[key]
        try:
            action = tk.get_action(name)
        except KeyError:
            self.missing.add(name)
            self._memo[key] = None
            return None
        try:
            result = action(self._context(), dict(data or {}))
        except (tk.ValidationError, tk.NotAuthorized, tk.ObjectNotFound) as err:
            log.warning("monev: %s %s refused: %s", name, data, err)
            result = None
        except SQLAlchemyError as err:
            model.Session.rollback()
            log.error("monev: %s %s failed: %s", name, data, err)
            result = None
        self._memo[key] = result
        return result

    def search(self, fq: str, *facets: str, q: str = "*:*") -> dict[str, Any] | None:
        """A count (rows=0) over every active dataset matching ``fq``, with the given facets in full."""
        data: dict[str, Any] = {"q": q, "fq": fq, "rows": 0, "include_private": True, "facet.limit": -1}
        if facets:
            data["facet.field"] = json.dumps(list(facets))
        return self.call("package_search", data)

    def search_ids(self, fq: str, ids: list[str], *facets: str) -> dict[str, Any] | None:
        """As ``search``, restricted to the given dataset ids (asked in chunks; counts and facets summed)."""
        total: dict[str, Any] = {"count": 0, "search_facets": {f: {"items": []} for f in facets}}
        sums: dict[str, dict[str, int]] = {f: {} for f in facets}
        for start in range(0, len(ids), ID_CHUNK):
            chunk = " OR ".join(f'"{i}"' for i in ids[start:start + ID_CHUNK])
            found = self.search(f"{fq} +id:({chunk})", *facets)
            if found is None:
                return None
            total["count"] += int(found["count"])
            for f in facets:
                for item in ((found.get("search_facets") or {}).get(f) or {}).get("items") or ():
                    sums[f][item["name"]] = sums[f].get(item["name"], 0) + int(item["count"])
        for f in facets:
            total["search_facets"][f]["items"] = [{"name": k, "count": v} for k, v in sorted(sums[f].items())]
        return total

    def all_pages(self, name: str, data: dict[str, Any], key: str = "results", limit: int = 1000) -> list | None:
        """Every item of a paged list action (``limit``/``offset``, answer ``{count, results}``)."""
        items: list = []
        offset = 0
        while True:
            page = self.call(name, dict(data, limit=limit, offset=offset))
            if page is None:
                return None
            items.extend(page.get(key) or [])
            offset += limit
            if offset >= int(page.get("count") or 0) or not page.get(key):
                return items
