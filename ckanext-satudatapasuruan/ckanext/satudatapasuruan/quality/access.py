"""Who sees and works on which tickets: the walidata (and sysadmins) every ticket, an OPD's members the
tickets of their OPD's datasets, and nobody a ticket of a dataset they may not ``package_show``.

The walidata is recognised by the workflow's own rule (``workflow.roles.is_walidata``), not a copy of it."""
from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk
import sqlalchemy as sa
from ckan import authz, model

from ckanext.satudatapasuruan.workflow import roles

__all__ = ["is_walidata", "member_org_ids", "visible_org_ids", "may_show_package", "may_see", "may_work"]


def is_walidata(user: model.User | None) -> bool:
    return user is not None and (authz.is_sysadmin(user.name) or roles.is_walidata(user))


def member_org_ids(user: model.User | None, capacities: tuple[str, ...] = ("admin", "editor", "member")) -> list[str]:
    if user is None:
        return []
    query = (sa.select(model.Member.group_id).join(model.Group, model.Group.id == model.Member.group_id)
             .where(model.Member.table_name == "user", model.Member.table_id == user.id,
                    model.Member.state == "active", model.Member.capacity.in_(capacities),
                    model.Group.state == "active", model.Group.is_organization.is_(True)))
    return list(model.Session.execute(query).scalars())


def visible_org_ids(user: model.User | None) -> list[str] | None:
    """None: every OPD (the walidata); otherwise the OPDs the user belongs to."""
    return None if is_walidata(user) else member_org_ids(user)


def may_show_package(user: model.User | None, package_id: str) -> bool:
    try:
        tk.check_access("package_show", {"user": user.name if user else "", "auth_user_obj": user},
                        {"id": package_id})
    except (tk.NotAuthorized, tk.ObjectNotFound):
        return False
    return True


def may_see(user: model.User | None, ticket: dict[str, Any]) -> bool:
    if user is None:
        return False
    if is_walidata(user):
        return True
    return ticket.get("organization_id") in member_org_ids(user) and may_show_package(user, ticket["package_id"])


def may_work(user: model.User | None, ticket: dict[str, Any]) -> bool:
    """Change a ticket's status: the walidata, or an operator/verifikator (editor/admin) of the owning OPD."""
    if user is None:
        return False
    if is_walidata(user):
        return True
    return (ticket.get("organization_id") in member_org_ids(user, ("admin", "editor"))
            and may_show_package(user, ticket["package_id"]))
