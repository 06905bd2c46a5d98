"""Actions of the feedback plugin: data requests (permintaan data), ratings with moderated comments, and the
usage counts (views, downloads, QR scans) per dataset and day."""
from __future__ import annotations

import datetime as dt
from typing import Any

import ckan.plugins.toolkit as tk
from ckan import model
from ckan.logic import validate
from ckan.types import Context, DataDict
from flask import has_request_context

from ckanext.satudatapasuruan.messages import N_

from .. import clients, config, counter, notify, records
from ..clients import RateLimited
from ..records import CommentStatus, Status
from . import schema
from .auth import is_walidata, sees_contact, user_of

__all__ = [
    "satudata_data_request_create", "satudata_data_request_show", "satudata_data_request_list",
    "satudata_data_request_update", "satudata_data_request_stats", "satudata_rating_create",
    "satudata_rating_summary", "satudata_rating_comment_list", "satudata_rating_moderate", "satudata_usage_show",
]

KINDS = ("view", "download", "scan")
REQUEST_LIMITED = N_("Terlalu banyak permintaan data dari perangkat Anda. Silakan coba lagi dalam satu jam.")
RATING_LIMITED = N_("Terlalu banyak penilaian dari perangkat Anda. Silakan coba lagi nanti.")
RATED_TODAY = N_("Anda sudah memberi penilaian untuk ini hari ini. Silakan coba lagi besok.")
NOT_FOUND_DATASET = N_("Dataset tidak ditemukan")


# --- shared -------------------------------------------------------------------------------------------------

def _organization(id_or_name: str, field: str = "organization") -> model.Group:
    group = model.Group.get(id_or_name) if id_or_name else None
    if group is None or not group.is_organization or group.state != "active":
        raise tk.ValidationError({field: [tk._("OPD tidak ditemukan")]})
    return group


def _org_out(org_id: str | None) -> dict[str, Any] | None:
    group = model.Group.get(org_id) if org_id else None
    return {"id": group.id, "name": group.name, "title": group.title or group.name} if group else None


def _public_package(id_or_name: str) -> dict[str, Any] | None:
    """The dataset as an anonymous visitor sees it (active, public), or None."""
    try:
        pkg = tk.get_action("package_show")({"user": "", "ignore_auth": False}, {"id": id_or_name})
    except (tk.ObjectNotFound, tk.NotAuthorized):
        return None
    return None if pkg.get("private") or pkg.get("state") != "active" else pkg


def _label(status: str) -> str:
    return tk._(notify.STATUS_LABELS[Status(status)])


def _dataset_url(pkg_name: str) -> str:
    return f"{config.site_url()}/dataset/{pkg_name}"


def _request_out(req: dict[str, Any], user: model.User | None, with_history: bool = True) -> dict[str, Any]:
    """What anyone may see of a request; the requester's contact only for the walidata and the routed OPD."""
    package = None
    if req["package_id"]:
        pkg = model.Package.get(req["package_id"])
        if pkg is not None and pkg.state == "active" and not pkg.private:
            package = {"id": pkg.id, "name": pkg.name, "title": pkg.title or pkg.name,
                       "url": _dataset_url(pkg.name)}
    out = {"id": req["id"], "nomor": req["nomor"], "data": req["data"], "tujuan": req["tujuan"],
           "status": req["status"], "status_label": _label(req["status"]),
           "organization": _org_out(req["organization_id"]),
           "usulan_organization": _org_out(req["usulan_organization_id"]),
           "package": package, "alasan": req["alasan"], "created": req["created"], "updated": req["updated"],
           "url": f"{config.site_url()}/permintaan-data/{req['nomor']}"}
    if with_history:
        out["history"] = [{"status": h["status"], "status_label": _label(h["status"]), "note": h["note"],
                           "created": h["created"]} for h in records.history(req["id"])]
    if sees_contact(user, req):
        out["kontak"] = {"nama": req["nama"], "email": req["email"], "telepon": req["telepon"]}
    return out


def _get_request(nomor: str) -> dict[str, Any]:
    req = records.get_request(nomor)
    if req is None:
        raise tk.ObjectNotFound(tk._("Permintaan data tidak ditemukan"))
    return req


# --- data requests ------------------------------------------------------------------------------------------

@validate(schema.request_create)
def satudata_data_request_create(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Ask for data that is not in the catalogue (anyone, anonymous too). The requester gets a tracking
    number ``PD-<year>-<6 digits>`` and an acknowledgement by e-mail.

    :param data: what data is needed (required)
    :param tujuan: why, the purpose (required)
    :param nama: the requester's name (required)
    :param email: the requester's e-mail (required; never shown publicly)
    :param telepon: a phone number (optional; never shown publicly)
    :param organization: id or name of the OPD thought to hold the data (optional)
    :param situs_web: honeypot, must stay empty (a form field hidden from people)
    :returns: the request as ``satudata_data_request_show`` returns it
    :raises: ValidationError (field ``batas`` when the client's hourly limit is passed; HTTP 429)
    """
    tk.check_access("satudata_data_request_create", context, data_dict)
    suggested = _organization(data_dict["organization"]).id if data_dict["organization"] else None
    if not clients.hit("request", clients.client_key(context), config.request_limit()):
        raise RateLimited(tk._(REQUEST_LIMITED))
    user = user_of(context)
    req = records.new_request({"data": data_dict["data"], "tujuan": data_dict["tujuan"], "nama": data_dict["nama"],
                               "email": data_dict["email"], "telepon": data_dict["telepon"],
                               "usulan_organization_id": suggested}, getattr(user, "id", None))
    model.repo.commit()
    notify.acknowledge(req)
    return _request_out(req, user)


@tk.side_effect_free
@validate(schema.request_show)
def satudata_data_request_show(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """One data request and its status history (public). The requester's contact (``kontak``: nama, email,
    telepon) is included only for the walidata and members of the OPD the request was routed to.

    :param nomor: the tracking number (e.g. ``PD-2026-000123``) or the request's id
    """
    tk.check_access("satudata_data_request_show", context, data_dict)
    return _request_out(_get_request(data_dict["nomor"]), user_of(context))


@tk.side_effect_free
@validate(schema.request_list)
def satudata_data_request_list(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Data requests, newest first (public; no contact details). A later "daftar data" plugin reads the
    requests it may turn into data needs from here.

    :param q: text searched in what was asked, the purpose and the number (optional)
    :param status: ``diterima``, ``diteruskan``, ``diproses``, ``tersedia`` or ``ditolak`` (optional)
    :param organization: id or name of the OPD the requests were routed to (optional)
    :param page: page number, from 1
    :param limit: requests per page (default ``ckanext.satudatapasuruan.feedback.page_size``, at most 100)
    :returns: ``count``, ``page``, ``limit``, ``results`` (each as ``satudata_data_request_show`` without
        ``history``)
    """
    tk.check_access("satudata_data_request_list", context, data_dict)
    org_id = _organization(data_dict["organization"]).id if data_dict["organization"] else ""
    limit = data_dict.get("limit") or config.page_size()
    count, rows = records.search_requests(data_dict["q"].strip(), data_dict.get("status") or "", org_id, limit,
                                          (data_dict["page"] - 1) * limit)
    user = user_of(context)
    return {"count": count, "page": data_dict["page"], "limit": limit,
            "results": [_request_out(r, user, with_history=False) for r in rows]}


_FINAL = (Status.TERSEDIA.value, Status.DITOLAK.value)


def _check_transition(req: dict[str, Any], data_dict: DataDict) -> dict[str, Any]:
    """The fields written besides the status, or a validation error naming what is missing."""
    status = data_dict["status"]
    if req["status"] in _FINAL:
        raise tk.ValidationError({"status": [tk._("Permintaan sudah selesai ({status}); statusnya tidak dapat "
                                                  "diubah lagi").format(status=_label(req["status"]))]})
    if status == Status.DITERIMA.value:
        raise tk.ValidationError({"status": [tk._("Status diterima hanya untuk permintaan baru")]})
    if status == req["status"] and status != Status.DITERUSKAN.value:
        raise tk.ValidationError({"status": [tk._("Status permintaan sudah {status}").format(
            status=_label(status))]})
    values: dict[str, Any] = {}
    if status == Status.DITERUSKAN.value:
        if not data_dict["organization"]:
            raise tk.ValidationError({"organization": [tk._("Pilih OPD tujuan penerusan")]})
        org = _organization(data_dict["organization"])
        if org.id == req["organization_id"]:
            raise tk.ValidationError({"organization": [tk._("Permintaan sudah diteruskan ke OPD ini")]})
        values["organization_id"] = org.id
    elif status == Status.TERSEDIA.value:
        if not data_dict["package_id"]:
            raise tk.ValidationError({"package_id": [tk._("Pilih dataset yang memenuhi permintaan")]})
        pkg = _public_package(data_dict["package_id"])
        if pkg is None:
            raise tk.ValidationError({"package_id": [tk._("Dataset tidak ditemukan atau belum terbuka untuk "
                                                          "publik")]})
        values["package_id"] = pkg["id"]
    elif status == Status.DITOLAK.value:
        if not data_dict["alasan"].strip():
            raise tk.ValidationError({"alasan": [tk._("Alasan penolakan wajib diisi")]})
        values["alasan"] = data_dict["alasan"].strip()
    return values


@validate(schema.request_update)
def satudata_data_request_update(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Move a data request on. The walidata sets any status; members of the OPD it was routed to set
    ``diproses`` or ``tersedia`` on it. The requester is told by e-mail.

    :param nomor: the tracking number or id
    :param status: ``diteruskan`` (with ``organization``), ``diproses``, ``tersedia`` (with ``package_id``
        of a dataset visible to the public) or ``ditolak`` (with ``alasan``)
    :param organization: id or name of the OPD (for ``diteruskan``)
    :param package_id: id or name of the dataset that answers the request (for ``tersedia``)
    :param alasan: the reason of a refusal (for ``ditolak``)
    :param note: a public note shown in the status history (optional)
    :returns: the request as ``satudata_data_request_show`` returns it
    """
    req = _get_request(data_dict["nomor"])
    data_dict["nomor"] = req["id"]
    tk.check_access("satudata_data_request_update", context, data_dict)
    values = _check_transition(req, data_dict)
    user = user_of(context)
    records.set_status(req["id"], Status(data_dict["status"]), getattr(user, "id", None),
                       data_dict["note"].strip(), **values)
    model.repo.commit()
    req = _get_request(req["id"])
    out = _request_out(req, user)
    notify.status_changed(req, data_dict["note"].strip(), out["package"]["url"] if out["package"] else None)
    return out


@tk.side_effect_free
@validate(schema.request_stats)
def satudata_data_request_stats(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Counts of data requests per status and per OPD they were routed to (public; for the governance
    dashboard).

    :returns: ``total``, ``per_status`` ({status: n}), ``per_organization`` (list of ``organization``
        (null: not routed yet), ``total`` and ``per_status``)
    """
    tk.check_access("satudata_data_request_stats", context, data_dict)
    per_status = {s.value: 0 for s in Status}
    per_org: dict[str | None, dict[str, Any]] = {}
    for row in records.request_counts():
        per_status[row["status"]] += row["count"]
        entry = per_org.setdefault(row["organization_id"], {
            "organization": _org_out(row["organization_id"]), "total": 0,
            "per_status": {s.value: 0 for s in Status}})
        entry["total"] += row["count"]
        entry["per_status"][row["status"]] += row["count"]
    orgs = sorted(per_org.values(), key=lambda e: (e["organization"] is None, -e["total"],
                                                   (e["organization"] or {}).get("title", "")))
    return {"total": sum(per_status.values()), "per_status": per_status, "per_organization": orgs}


# --- ratings ------------------------------------------------------------------------------------------------

_SEEN = "satudata_feedback.visible_packages"


def _visible_package(context: Context, id_or_name: str) -> dict[str, Any]:
    """The dataset as the caller may see it; ObjectNotFound/NotAuthorized as package_show raises them.

    Remembered for the rest of the request (the dataset page's panel asks three actions about one dataset,
    each a package_show of 20 ms): the request's environ, not flask.g, which outlives requests in tests."""
    user = context.get("user") or ""
    memo: dict[tuple[str, str], dict[str, Any]] = (
        tk.request.environ.setdefault(_SEEN, {}) if has_request_context() else {})
    key = (user, id_or_name)
    if key not in memo:
        memo[key] = tk.get_action("package_show")({"user": user, "ignore_auth": False}, {"id": id_or_name})
    return memo[key]


@validate(schema.rating_create)
def satudata_rating_create(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Rate a public dataset, or the portal as a whole, from 1 to 5 with an optional comment (anyone).

    The rating counts at once; a comment is shown publicly only after the walidata approves it. One rating per
    client and dataset (or portal) per day, and ``ckanext.satudatapasuruan.feedback.rating_limit`` per hour.

    :param package_id: id or name of a dataset open to the public; empty for the portal
    :param rating: 1 to 5
    :param comment: optional text (moderated)
    :param situs_web: honeypot, must stay empty
    :returns: ``id``, ``rating``, ``comment_status`` (``tanpa`` or ``menunggu``), ``summary`` (as
        ``satudata_rating_summary``)
    :raises: ValidationError (field ``batas`` when a limit is hit; HTTP 429), ObjectNotFound
    """
    tk.check_access("satudata_rating_create", context, data_dict)
    package_id = None
    if data_dict["package_id"]:
        try:
            pkg = _visible_package(context, data_dict["package_id"])
        except (tk.ObjectNotFound, tk.NotAuthorized) as err:
            raise tk.ObjectNotFound(tk._(NOT_FOUND_DATASET)) from err
        if pkg.get("private") or pkg.get("state") != "active":
            raise tk.ValidationError({"package_id": [tk._("Hanya dataset yang terbuka untuk publik yang dapat "
                                                          "dinilai")]})
        package_id = pkg["id"]
    client = clients.client_key(context)
    if not clients.hit("rating", client, config.rating_limit()):
        raise RateLimited(tk._(RATING_LIMITED))
    if not clients.first_today("rating-once", client, package_id or "portal"):
        raise RateLimited(tk._(RATED_TODAY), retry_after=clients.seconds_to_midnight())
    user = user_of(context)
    row = records.add_rating(package_id, data_dict["rating"], data_dict["comment"].strip(), client,
                             getattr(user, "id", None))
    model.repo.commit()
    summary = records.rating_summary(package_id=package_id) if package_id else records.rating_summary(portal=True)
    return {"id": row["id"], "rating": row["rating"], "comment_status": row["comment_status"], "summary": summary}


@tk.side_effect_free
@validate(schema.rating_summary)
def satudata_rating_summary(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Average rating, count and distribution (1..5) of one dataset, of an OPD or of the portal.

    :param package_id: a dataset's id or name (only for those who may ``package_show`` it)
    :param organization: an OPD's id or name: the ratings of its public datasets
    :param portal: true, or neither of the above: the ratings of the portal as a whole; without ``portal``
        the answer also has ``datasets``, the summary over all public datasets
    :param by_organization: with the portal's summary, also ``organizations``: the summary of each OPD with
        a rated public dataset (``organization`` {id, name, title}, ``count``, ``average``, ``distribution``),
        by name
    :returns: ``scope`` (``package``, ``organization``, ``portal``), ``count``, ``average`` (null when
        none), ``distribution`` ({"1": n, ..., "5": n})
    """
    tk.check_access("satudata_rating_summary", context, data_dict)
    if data_dict["package_id"]:
        pkg = _visible_package(context, data_dict["package_id"])
        return {"scope": "package", "package_id": pkg["id"], **records.rating_summary(package_id=pkg["id"])}
    if data_dict["organization"]:
        org = _organization(data_dict["organization"])
        return {"scope": "organization", "organization": _org_out(org.id),
                **records.rating_summary(organization_id=org.id)}
    out = {"scope": "portal", **records.rating_summary(portal=True)}
    if not data_dict["portal"]:
        out["datasets"] = records.rating_summary()
    if data_dict["by_organization"]:
        per_org = records.rating_summaries_by_organization()
        orgs = [o for o in (_org_out(org_id) for org_id in per_org) if o]
        out["organizations"] = [{"organization": o, **per_org[o["id"]]}
                                for o in sorted(orgs, key=lambda o: o["name"])]
    return out


def _comment_out(row: dict[str, Any], moderator: bool) -> dict[str, Any]:
    out = {"id": row["id"], "rating": row["rating"], "comment": row["comment"], "created": row["created"],
           "package_id": row["package_id"]}
    if moderator:
        pkg = model.Package.get(row["package_id"]) if row["package_id"] else None
        out["package"] = {"name": pkg.name, "title": pkg.title or pkg.name} if pkg else None
        out["comment_status"] = row["comment_status"]
    return out


@tk.side_effect_free
@validate(schema.comment_list)
def satudata_rating_comment_list(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Comments of the ratings: the approved ones of a dataset (or of the portal) for everyone; the
    walidata also lists other statuses (its moderation queue, ``status=menunggu``) and everything at once.

    :param package_id: a dataset's id or name (only for those who may ``package_show`` it)
    :param portal: true for the comments on the portal itself
    :param status: ``disetujui`` (default), ``menunggu`` or ``ditolak`` (walidata only)
    :param page: page number, from 1
    :param limit: comments per page (default 20, at most 100)
    :returns: ``count``, ``results`` (``id``, ``rating``, ``comment``, ``created``, ``package_id``)
    """
    tk.check_access("satudata_rating_comment_list", context, data_dict)
    moderator = is_walidata(user_of(context))
    package_id = _visible_package(context, data_dict["package_id"])["id"] if data_dict["package_id"] else None
    portal_only = data_dict["portal"] or (package_id is None and not moderator)
    limit = data_dict["limit"]
    count, rows = records.comments(package_id, CommentStatus(data_dict["status"]), portal_only, limit,
                                   (data_dict["page"] - 1) * limit)
    return {"count": count, "results": [_comment_out(r, moderator) for r in rows]}


@validate(schema.rating_moderate)
def satudata_rating_moderate(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """The walidata approves (shown publicly) or refuses (never shown) a rating's comment.

    :param id: the rating's id
    :param decision: ``setujui`` or ``tolak``
    :returns: ``id``, ``comment_status``
    """
    tk.check_access("satudata_rating_moderate", context, data_dict)
    row = records.get_rating(data_dict["id"])
    if row is None:
        raise tk.ObjectNotFound(tk._("Penilaian tidak ditemukan"))
    if row["comment_status"] == CommentStatus.TANPA.value:
        raise tk.ValidationError({"id": [tk._("Penilaian ini tidak memiliki komentar")]})
    status = CommentStatus.DISETUJUI if data_dict["decision"] == "setujui" else CommentStatus.DITOLAK
    records.moderate(row["id"], status, getattr(user_of(context), "id", None))
    model.repo.commit()
    return {"id": row["id"], "comment_status": status.value}


# --- usage ------------------------------------------------------------------------------------------------------

def _may_see(context: Context, package: model.Package) -> bool:
    if package.state == "active" and not package.private:
        return True
    if package.state != "active":
        return False
    try:
        tk.check_access("package_show", {"user": context.get("user") or "", "ignore_auth": False},
                        {"id": package.id})
    except (tk.NotAuthorized, tk.ObjectNotFound):
        return False
    return True


@tk.side_effect_free
@validate(schema.usage_show)
def satudata_usage_show(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Page views, downloads and QR scans per dataset over a day range, with their totals: of one dataset,
    of an OPD's datasets, or of the whole portal. Datasets the caller may not ``package_show`` are left out
    (of the rows and the totals).

    :param package_id: a dataset's id or name (optional)
    :param organization: an OPD's id or name (optional)
    :param date_from: first day, ``YYYY-MM-DD`` (optional, inclusive)
    :param date_to: last day, ``YYYY-MM-DD`` (optional, inclusive)
    :param include_pending: add the counts not yet flushed from Redis (default true)
    :param by_organization: also answer ``organizations``, the totals per OPD (default false)
    :param limit: most datasets returned, by views (default 100, at most 1000; totals count them all)
    :returns: ``datasets`` (``package_id``, ``name``, ``title``, ``organization``, ``view``, ``download``,
        ``scan``), ``totals`` ({view, download, scan}), ``date_from``, ``date_to``; with ``by_organization``,
        ``organizations``: [{``organization`` ({id, name, title}), ``view``, ``download``, ``scan``}] of every
        OPD with a count, by downloads
    """
    tk.check_access("satudata_usage_show", context, data_dict)
    date_from, date_to = data_dict["date_from"], data_dict["date_to"]
    if date_from and date_to and date_from > date_to:
        raise tk.ValidationError({"date_to": [tk._("Tanggal akhir tidak boleh sebelum tanggal awal")]})
    package_ids: list[str] | None = None
    org_id = None
    if data_dict["package_id"]:
        package_ids = [_visible_package(context, data_dict["package_id"])["id"]]
    elif data_dict["organization"]:
        org_id = _organization(data_dict["organization"]).id
    counts: dict[str, dict[str, int]] = {}
    for package_id, kind, n in records.usage_rows(package_ids, org_id, date_from, date_to):
        counts.setdefault(package_id, dict.fromkeys(KINDS, 0))[kind] += n
    if data_dict["include_pending"]:
        wanted = set(package_ids) if package_ids is not None else None
        for (package_id, day, kind), n in counter.pending(wanted).items():
            on = dt.date.fromisoformat(day)
            if (date_from and on < date_from) or (date_to and on > date_to):
                continue
            counts.setdefault(package_id, dict.fromkeys(KINDS, 0))[kind] += n
    packages = {p.id: p for p in model.Session.query(model.Package).filter(model.Package.id.in_(list(counts)))}
    rows = []
    orgs: dict[str | None, dict[str, Any] | None] = {}  # one lookup per OPD, not per dataset
    for package_id, kinds in counts.items():
        pkg = packages.get(package_id)
        if pkg is None or (org_id and pkg.owner_org != org_id) or not _may_see(context, pkg):
            continue
        if pkg.owner_org not in orgs:
            orgs[pkg.owner_org] = _org_out(pkg.owner_org)
        rows.append({"package_id": pkg.id, "name": pkg.name, "title": pkg.title or pkg.name,
                     "organization": orgs[pkg.owner_org], **kinds})
    if package_ids and not rows:
        pkg = model.Package.get(package_ids[0])
        rows.append({"package_id": pkg.id, "name": pkg.name, "title": pkg.title or pkg.name,
                     "organization": _org_out(pkg.owner_org), **dict.fromkeys(KINDS, 0)})
    rows.sort(key=lambda r: (-r["view"], -r["download"], r["name"]))
    totals = {k: sum(r[k] for r in rows) for k in KINDS}
    out = {"datasets": rows[:data_dict["limit"]], "totals": totals,
           "date_from": date_from.isoformat() if date_from else None,
           "date_to": date_to.isoformat() if date_to else None}
    if data_dict["by_organization"]:
        per_org: dict[str, dict[str, Any]] = {}
        for row in rows:
            if row["organization"] is None:
                continue
            entry = per_org.setdefault(row["organization"]["id"], {"organization": row["organization"],
                                                                   **dict.fromkeys(KINDS, 0)})
            for k in KINDS:
                entry[k] += row[k]
        out["organizations"] = sorted(per_org.values(),
                                      key=lambda e: (-e["download"], -e["view"], e["organization"]["name"]))
    return out
