"""Who sees and works on which application and document.

- an OPD's operator (editor) and verifikator (admin) create, edit and submit its applications; every member of
  the OPD follows them;
- the pembina data statistik (members of ``rekomendasi.pembina_org``, a pembina organisation of the workflow)
  see every application past its draft and review it;
- the walidata (and sysadmins) see every application;
- in the register, a document is revoked by the members of its issuing organisation, the user who issued it,
  and the walidata; its stored file is for those and the members of the organisation it was issued to.

Roles come from the workflow's own rules (``workflow.roles``), not copies of them.
"""
from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from ckan import authz, model

from ckanext.satudatapasuruan.workflow import roles

from . import config
from .machine import Status

__all__ = ["is_sysadmin", "is_walidata", "capacities", "member_org_ids", "editor_org_ids", "pembina_org_ids",
           "is_reviewer", "may_see", "may_edit", "may_issue_documents", "may_revoke", "may_download",
           "issuer_org_id"]

EDIT_CAPACITIES = ("admin", "editor")


def is_sysadmin(user: model.User | None) -> bool:
    return user is not None and authz.is_sysadmin(user.name)


def is_walidata(user: model.User | None) -> bool:
    return user is not None and (is_sysadmin(user) or roles.is_walidata(user))


def capacities(user: model.User | None) -> dict[str, str]:
    """{organisation id: capacity} of the user's active memberships of active organisations."""
    if user is None:
        return {}
    query = (sa.select(model.Member.group_id, model.Member.capacity)
             .join(model.Group, model.Group.id == model.Member.group_id)
             .where(model.Member.table_name == "user", model.Member.table_id == user.id,
                    model.Member.state == "active", model.Group.state == "active",
                    model.Group.is_organization.is_(True)))
    return dict(model.Session.execute(query).all())


def member_org_ids(user: model.User | None) -> list[str]:
    return list(capacities(user))


def editor_org_ids(user: model.User | None) -> list[str]:
    return [org for org, capacity in capacities(user).items() if capacity in EDIT_CAPACITIES]


def pembina_org_ids() -> list[str]:
    """The organisations whose members review: the configured one when it is a workflow pembina organisation,
    else (option empty) every pembina organisation."""
    _walidata, pembina_ids = roles.special_org_ids()
    name = config.pembina_org()
    if not name:
        return pembina_ids
    group = model.Group.get(name)
    return [group.id] if group is not None and group.id in pembina_ids else []


def is_reviewer(user: model.User | None) -> bool:
    """The pembina data statistik (BPS), or a sysadmin."""
    if user is None:
        return False
    if is_sysadmin(user):
        return True
    return roles.is_pembina(user) and bool(set(pembina_org_ids()) & set(member_org_ids(user)))


def may_see(user: model.User | None, application: dict[str, Any]) -> bool:
    if user is None:
        return False
    if is_walidata(user) or application["organization_id"] in member_org_ids(user):
        return True
    return application["status"] != Status.DRAF.value and is_reviewer(user)


def may_edit(user: model.User | None, application: dict[str, Any]) -> bool:
    """The OPD's operator or verifikator (whatever the application's state: the actions check it)."""
    return user is not None and (is_sysadmin(user) or application["organization_id"] in editor_org_ids(user))


def may_issue_documents(user: model.User | None, issuer_organization_id: str | None) -> bool:
    """Register a document: the walidata, the pembina, or an operator/verifikator of the issuing organisation."""
    if user is None:
        return False
    if is_walidata(user) or is_reviewer(user):
        return True
    return bool(issuer_organization_id) and issuer_organization_id in editor_org_ids(user)


def may_revoke(user: model.User | None, document: dict[str, Any]) -> bool:
    if user is None:
        return False
    if is_walidata(user) or (document.get("issued_by") and document["issued_by"] == user.id):
        return True
    return bool(document.get("issuer_organization_id")) and document["issuer_organization_id"] in member_org_ids(user)


def may_download(user: model.User | None, document: dict[str, Any]) -> bool:
    if may_revoke(user, document):
        return True
    return (user is not None and bool(document.get("recipient_organization_id"))
            and document["recipient_organization_id"] in member_org_ids(user))


def issuer_org_id(user: model.User | None) -> str | None:
    """The organisation a recommendation is issued in the name of: the reviewer's own pembina organisation, else
    (a sysadmin) the configured one."""
    ids = pembina_org_ids()
    mine = [o for o in ids if o in member_org_ids(user)]
    return (mine or ids or [None])[0]
