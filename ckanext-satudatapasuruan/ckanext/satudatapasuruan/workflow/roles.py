"""Workflow roles read from CKAN memberships, so that CKAN's own member pages and
``organization_member_create`` assign them:

- operator/surveyor = ``editor`` of the OPD organisation, verifikator = ``admin`` of it;
- walidata = any member of the walidata organisation (``config.walidata_org``);
- pembina = any member of a pembina organisation (``config.pembina_orgs``).
"""
from __future__ import annotations

import sqlalchemy as sa
from ckan import authz, model

from . import config
from .machine import Role

__all__ = ["CAPACITY", "opd_role", "is_walidata", "is_pembina", "roles_of", "members_with", "special_org_ids"]

# The CKAN capacity each OPD role is stored as.
CAPACITY = {Role.OPERATOR: "editor", Role.VERIFIKATOR: "admin"}


def _capacities(user_id: str, org_ids: list[str] | None = None) -> dict[str, str]:
    """{organisation id: capacity} of the user's active memberships."""
    query = (sa.select(model.Member.group_id, model.Member.capacity)
             .join(model.Group, model.Group.id == model.Member.group_id)
             .where(model.Member.table_name == "user", model.Member.table_id == user_id,
                    model.Member.state == "active", model.Group.state == "active",
                    model.Group.is_organization.is_(True)))
    if org_ids is not None:
        query = query.where(model.Member.group_id.in_(org_ids))
    return dict(model.Session.execute(query).all())


def special_org_ids() -> tuple[str | None, list[str]]:
    """Ids of the walidata organisation and the pembina organisations (those that exist)."""
    names = [config.walidata_org(), *config.pembina_orgs()]
    rows = dict(model.Session.execute(sa.select(model.Group.name, model.Group.id)
                                      .where(model.Group.name.in_(names), model.Group.state == "active")).all())
    return rows.get(config.walidata_org()), [rows[n] for n in config.pembina_orgs() if n in rows]


def _opd_role(capacity: str | None) -> Role | None:
    return {"admin": Role.VERIFIKATOR, "editor": Role.OPERATOR}.get(capacity or "")


def opd_role(user: model.User | None, org_id: str | None) -> Role | None:
    if user is None or not org_id:
        return None
    return _opd_role(_capacities(user.id, [org_id]).get(org_id))


def is_walidata(user: model.User | None) -> bool:
    return user is not None and Role.WALIDATA in roles_of(user, None)


def is_pembina(user: model.User | None) -> bool:
    return user is not None and Role.PEMBINA in roles_of(user, None)


def roles_of(user: model.User, org_id: str | None) -> set[Role]:
    """Every workflow role the user holds for a dataset of ``org_id``.

    Two queries whatever the roles: every auth check of a transition asks this, and the task list asks
    it for each waiting dataset."""
    walidata_id, pembina_ids = special_org_ids()
    capacities = _capacities(user.id, [o for o in (org_id, walidata_id, *pembina_ids) if o])
    roles = set()
    opd = _opd_role(capacities.get(org_id)) if org_id else None
    if opd is Role.VERIFIKATOR:
        roles |= {Role.VERIFIKATOR, Role.OPERATOR}
    elif opd is Role.OPERATOR:
        roles.add(Role.OPERATOR)
    if walidata_id and walidata_id in capacities:
        roles.add(Role.WALIDATA)
    if any(p in capacities for p in pembina_ids):
        roles.add(Role.PEMBINA)
    return roles


def members_with(role: Role, org_id: str | None = None) -> list[model.User]:
    """Active users holding ``role`` (for OPD roles: in ``org_id``), sysadmins not included."""
    walidata_id, pembina_ids = special_org_ids()
    if role in CAPACITY:
        groups, capacities = [org_id], [CAPACITY[role]]
    elif role is Role.WALIDATA:
        groups, capacities = [walidata_id], ["admin", "editor", "member"]
    else:
        groups, capacities = pembina_ids, ["admin", "editor", "member"]
    groups = [g for g in groups if g]
    if not groups:
        return []
    query = (sa.select(model.User).join(model.Member, model.Member.table_id == model.User.id)
             .where(model.Member.table_name == "user", model.Member.state == "active",
                    model.Member.group_id.in_(groups), model.Member.capacity.in_(capacities),
                    model.User.state == "active"))
    return [u for u in model.Session.execute(query).scalars().unique() if not authz.is_sysadmin(u.name)]
