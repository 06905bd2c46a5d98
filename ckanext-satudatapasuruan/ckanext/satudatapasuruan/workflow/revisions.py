"""Revisions of published datasets: an OPD's edit is held, reviewed in the same two tiers, and only then
applied, so the public keeps the published version until the walidata publishes the revision.

The edit form (``views.RevisionEditView``) and ``satudata_revision_propose`` call ``package_update``
with ``REVISION_FLAG`` in the context; the chained ``package_update`` then runs CKAN's own update in a
savepoint that is always rolled back (validation and the resulting dataset dict, nothing written),
and stores the request and the proposed dataset instead.
"""
from __future__ import annotations

import json
from typing import Any

import ckan.plugins.toolkit as tk
from ckan import model
from ckan.types import Action, Context, DataDict

from . import records

__all__ = ["REVISION_FLAG", "APPLY_FLAG", "NoChanges", "propose", "diff", "site_context"]

REVISION_FLAG = "satudata_revision"
APPLY_FLAG = "satudata_revision_apply"
# Bookkeeping that changes with every save, or is derived from fields compared anyway.
_IGNORED = {"metadata_modified", "metadata_created", "revision_id", "workflow_state", "organization", "num_tags",
            "num_resources", "relationships_as_subject", "relationships_as_object", "tracking_summary", "resources",
            "satudata_revision"}
_IGNORED_RESOURCE = {"metadata_modified", "created", "last_modified", "position", "package_id", "revision_id",
                     "tracking_summary", "datastore_active"}


class NoChanges(tk.ValidationError):
    """The proposed edit equals the published version (harvesters treat this as nothing to do)."""


def site_context(**extra: Any) -> Context:
    site_user = tk.get_action("get_site_user")({"ignore_auth": True}, {})
    return {"user": site_user["name"], "ignore_auth": True, **extra}


def _json_safe(value: Any) -> Any:
    return json.loads(json.dumps(value, default=str))


def propose(next_action: Action, context: Context, package: model.Package, data_dict: DataDict) -> dict[str, Any]:
    """Validate an edit of a published dataset and hold it as a revision under review."""
    if records.open_revision(package.id):
        raise tk.ValidationError({"id": [tk._("Revisi sebelumnya masih diverifikasi; tunggu hasilnya sebelum "
                                              "mengusulkan perubahan lain")]})
    if any(r.get("upload") not in (None, "") for r in data_dict.get("resources") or []):
        raise tk.ValidationError({"resources": [tk._(
            "Berkas baru tidak dapat diunggah lewat revisi dataset yang sudah terbit; minta walidata menarik "
            "dataset, unggah, lalu ajukan kembali")]})
    data_dict = dict(data_dict)
    note = data_dict.pop("satudata_note", None)
    published = tk.get_action("package_show")(site_context(use_cache=False), {"id": package.id})
    savepoint = model.Session.begin_nested()
    try:
        proposed = next_action(dict(context, defer_commit=True), data_dict)
    finally:
        # CKAN's update rolls the whole session back on a validation error: nothing is left to undo then.
        if savepoint.is_active:
            savepoint.rollback()
    changes = diff(published, proposed)
    if not changes["fields"] and not changes["resources"]:
        raise NoChanges({"id": [tk._("Tidak ada perubahan dibandingkan versi yang terbit")]})
    user = context.get("auth_user_obj")
    user_id = getattr(user, "id", None)
    revision_id = records.create_revision(package.id, _json_safe(data_dict), _json_safe(proposed), user_id)
    state = records.get_state(package)
    records.add_event(package.id, "revision_submit", state, state, user_id, note)
    model.repo.commit()
    return dict(published, satudata_revision={"id": revision_id, "state": records.RevisionState.DIAJUKAN.value})


def _changes(before: dict[str, Any], after: dict[str, Any], ignored: set[str]) -> list[dict[str, Any]]:
    keys = sorted((set(before) | set(after)) - ignored)
    return [{"field": key, "before": before.get(key), "after": after.get(key)} for key in keys
            if before.get(key) != after.get(key) and not (before.get(key) in (None, "", []) and
                                                            after.get(key) in (None, "", []))]


def diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, Any]:
    """Field-by-field differences of two dataset dicts: metadata, then resources (added, removed, changed)."""
    old = {r["id"]: r for r in before.get("resources") or [] if r.get("id")}
    new = {r.get("id"): r for r in after.get("resources") or []}
    resources = []
    for rid, res in new.items():
        if rid not in old:
            resources.append({"id": rid, "name": res.get("name"), "change": "ditambah",
                              "fields": _changes({}, res, _IGNORED_RESOURCE | {"id"})})
        elif fields := _changes(old[rid], res, _IGNORED_RESOURCE):
            resources.append({"id": rid, "name": res.get("name"), "change": "diubah", "fields": fields})
    resources += [{"id": rid, "name": res.get("name"), "change": "dihapus", "fields": []}
                  for rid, res in old.items() if rid not in new]
    return {"fields": _changes(before, after, _IGNORED), "resources": resources}
