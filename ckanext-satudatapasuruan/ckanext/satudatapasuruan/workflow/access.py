"""Access classes and workflow states as CKAN permission labels: one rule for every exit.

CKAN 2.12 decides ``package_show`` (and with it ``resource_show``, DataStore reads, downloads,
DCAT dataset pages and the activity stream) and ``package_search`` (facets, counts,
autocomplete) by intersecting a dataset's labels with the user's, so the classes are enforced
wherever CKAN looks, through the labels below:

- a published (``terbit``) terbuka/terbatas dataset is public; everything else is private and
  carries ``member-<OPD>`` (CKAN's own label), the walidata's label and, for submissions that are
  not rahasia, the pembina's;
- terbatas data (files, DataStore rows) additionally needs the owner labels (``may_read_data``).
"""
from __future__ import annotations

import datetime as dt
import re

import ckan.plugins as p
import ckan.plugins.toolkit as tk
import sqlalchemy as sa
from ckan import authz, model
from ckan.lib.plugins import DefaultPermissionLabels

from . import records, roles
from .machine import PEMBINA_VISIBLE, State

__all__ = ["HOSTED_URL_TYPES", "mask_restricted", "external_resources",
           "WALIDATA_LABEL", "PEMBINA_LABEL", "TERBUKA", "TERBATAS", "RAHASIA", "access_class", "should_be_private",
           "dataset_labels", "owner_labels", "user_labels", "may_read_data", "refresh_activity_labels"]

WALIDATA_LABEL = "satudata-walidata"
PEMBINA_LABEL = "satudata-pembina"
TERBUKA, TERBATAS, RAHASIA = "terbuka", "terbatas", "rahasia"
# Resources whose data the portal itself serves (and so can restrict): uploads and DataStore tables.
HOSTED_URL_TYPES = frozenset({"upload", "datastore", "satudata_entry"})
# The resource page of a CKAN portal (what a federated catalogue gives for terbatas data): no data, only the
# place where the origin portal grants access, so a harvested copy may point there.
_RESOURCE_PAGE = re.compile(r"^https?://[^/\s]+(?:/[^/\s]+)*/dataset/[^/\s]+/resource/[0-9a-f]{8}(?:-[0-9a-f]{4}){3}-[0-9a-f]{12}$")
_default = DefaultPermissionLabels()


def access_class(package: model.Package) -> str:
    # A dataset without the field (another schema, legacy) is treated as open like CKAN does.
    return package.extras.get("klasifikasi_akses") or TERBUKA


def should_be_private(state: State, klass: str) -> bool:
    return not (state is State.TERBIT and klass != RAHASIA)


def owner_labels(package: model.Package, state: State | None = None) -> list[str]:
    """Who reads the dataset while it is not public: its OPD (CKAN's own private labels), the
    walidata, and the pembina for submissions that are not rahasia."""
    state = state or records.get_state(package)
    labels = [f"collaborator-{package.id}"] if authz.check_config_permission("allow_dataset_collaborators") else []
    labels.append(f"member-{package.owner_org}" if package.owner_org else f"creator-{package.creator_user_id}")
    labels.append(WALIDATA_LABEL)
    if access_class(package) != RAHASIA and state in PEMBINA_VISIBLE:
        labels.append(PEMBINA_LABEL)
    return labels


def dataset_labels(package: model.Package) -> list[str]:
    if package.state == "active" and not package.private:
        return ["public"]
    return owner_labels(package)


def user_labels(user: model.User | None) -> list[str]:
    labels = _default.get_user_dataset_labels(user)
    if user is None or user.is_anonymous:
        return labels
    walidata_id, pembina_ids = roles.special_org_ids()
    if walidata_id and f"member-{walidata_id}" in labels:
        labels.append(WALIDATA_LABEL)
    if any(f"member-{org}" in labels for org in pembina_ids):
        labels.append(PEMBINA_LABEL)
    return labels


def may_read_data(user: model.User | None, package: model.Package) -> bool:
    """Files and DataStore rows: terbatas data only for its owners and the users the OPD granted
    access to (until the grant expires or is revoked)."""
    if access_class(package) != TERBATAS:
        return True
    if user is None or user.is_anonymous:
        return False
    if authz.is_sysadmin(user.name) or set(owner_labels(package)) & set(user_labels(user)):
        return True
    return records.has_grant(package.id, user.id, dt.date.today())


def refresh_activity_labels(package: model.Package) -> None:
    """Give the dataset's past activities its current labels: a dataset made private (withdrawn,
    reclassified as rahasia) must not leave its old public activities behind."""
    if not p.plugin_loaded("activity"):
        return  # no activity stream (and no labels column before the activity plugin's migration)
    model.Session.execute(sa.text("UPDATE activity SET permission_labels = :labels WHERE object_id = :id"),
                          {"labels": dataset_labels(package), "id": package.id})


def external_resources(resources: list[dict]) -> list[str]:
    """Names of resources whose data lives elsewhere (a link): the portal cannot restrict those. A CKAN resource
    page (a federated copy's link to its origin) holds no data and is not counted."""
    # A resource being uploaded carries its file in `upload` until CKAN stores it and sets url_type.
    return [r.get("name") or r.get("url") for r in resources
            if r.get("url") and r.get("url_type") not in HOSTED_URL_TYPES and not r.get("upload")
            and not _RESOURCE_PAGE.match(str(r["url"]))]


def mask_restricted(pkg_dict: dict, user: model.User | None) -> None:
    """Terbatas data is reached only through the portal: those who may not read it get each
    resource's page (where access is requested) instead of the file's address."""
    if pkg_dict.get("klasifikasi_akses") != TERBATAS or not pkg_dict.get("resources"):
        return
    package = model.Package.get(pkg_dict.get("id") or "")
    if package is None or may_read_data(user, package):
        return
    site = tk.config.get("ckan.site_url").rstrip("/")
    for res in pkg_dict["resources"]:
        res["url"] = f"{site}/dataset/{pkg_dict['name']}/resource/{res['id']}"
        res["url_type"] = None
        res["satudata_terbatas"] = True
