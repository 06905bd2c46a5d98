"""Actions of the rekomendasi plugin: applications for a *rekomendasi kegiatan statistik* (OPD → pembina), their
KPI, and the verifiable documents register any plugin issues its documents through."""
from __future__ import annotations

import datetime as dt
import logging
import re
from collections import defaultdict
from typing import Any

import ckan.plugins.toolkit as tk
from ckan import model
from ckan.logic import validate
from ckan.types import Context, DataDict
from reportlab.platypus.doctemplate import LayoutError
from sqlalchemy.exc import IntegrityError, SQLAlchemyError

from ckanext.satudatapasuruan.messages import N_
from ckanext.satudatapasuruan.workflow.access import RAHASIA, access_class

from .. import access, config, files, letter, records, register
from ..fonts import fonts
from ..machine import (
    EDITABLE,
    JALUR_LABELS,
    KIND_LABELS,
    LETTER_KIND,
    MOVES,
    STATUS_LABELS,
    STEP_LABELS,
    Jalur,
    Move,
    Outcome,
    Status,
    Step,
)
from ..records import DocumentStatus
from . import schema
from .auth import KEGIATAN

__all__ = ["satudata_rekomendasi_create", "satudata_rekomendasi_update", "satudata_rekomendasi_show",
           "satudata_rekomendasi_list", "satudata_rekomendasi_submit", "satudata_rekomendasi_request_revision",
           "satudata_rekomendasi_issue", "satudata_rekomendasi_refuse", "satudata_rekomendasi_record_external",
           "satudata_rekomendasi_document_add", "satudata_rekomendasi_kpi", "satudata_document_issue",
           "satudata_document_show", "satudata_document_verify", "satudata_document_revoke",
           "satudata_document_list"]

log = logging.getLogger(__name__)

# The IKU "rekomendasi statistik terbit dengan kode QR": 100 % every year 2025-2029 (the regency's plan).
KPI_TARGET = 1.0
DOCUMENT_STATUS_LABELS = {DocumentStatus.SAH.value: N_("Sah"), DocumentStatus.DICABUT.value: N_("Dicabut")}
LETTER_TITLE = N_("Rekomendasi kegiatan statistik: {title}")


# --- helpers ------------------------------------------------------------------------------------------------

def _user(context: Context) -> model.User | None:
    user = context.get("auth_user_obj")
    if not isinstance(user, model.User) and context.get("user"):
        user = model.User.get(context["user"])
    return user if isinstance(user, model.User) else None


def _user_id(context: Context) -> str | None:
    user = _user(context)
    return user.id if user else None


def _now() -> dt.datetime:
    return dt.datetime.utcnow()


def _iso(value: dt.datetime | None) -> str | None:
    return value.isoformat() if value else None


def _names() -> Any:
    """A per-call memo of user id → (name, display name)."""
    memo: dict[str | None, tuple[str | None, str | None]] = {None: (None, None)}

    def lookup(user_id: str | None) -> tuple[str | None, str | None]:
        if user_id not in memo:
            user = model.User.get(user_id)
            memo[user_id] = (user.name, user.fullname or user.name) if user else (None, None)
        return memo[user_id]
    return lookup


def _upload_error(err: files.UploadError, field: str = "upload") -> tk.ValidationError:
    return tk.ValidationError({field: [tk._(err.msgid).format(**err.values)]})


def _status_label(status: str | None) -> str | None:
    return tk._(STATUS_LABELS[Status(status)]) if status else None


def _kind_label(kind: str) -> str:
    return tk._(KIND_LABELS[kind]) if kind in KIND_LABELS else kind


def _site() -> str:
    return config.site_url()


def _year(package: model.Package) -> int | None:
    try:
        return int(str(package.extras.get("tahun") or "").strip()[:4])
    except ValueError:
        return None


def _organization(value: Any, field: str) -> model.Group | None:
    if not value:
        return None
    group = model.Group.get(str(value))
    if group is None or not group.is_organization or group.state != "active":
        raise tk.ValidationError({field: [tk._("Organisasi tidak ditemukan")]})
    return group


# --- the register's output ----------------------------------------------------------------------------------

def document_out(row: dict[str, Any], user: model.User | None = None) -> dict[str, Any]:
    """A register entry as the public sees it; who revoked it and the audit trail for its issuer and the walidata."""
    status = row["status"]
    out = {"code": row["code"], "title": row["title"], "kind": row["kind"], "kind_label": _kind_label(row["kind"]),
           "issuer": row["issuer"], "issuer_organization": row.get("issuer_organization_name"),
           "issuer_organization_title": row.get("issuer_organization_title"),
           "issued_at": _iso(row["issued_at"]), "sha256": row["sha256"], "status": row["status"],
           "status_label": tk._(DOCUMENT_STATUS_LABELS[status]), "revoked_at": _iso(row["revoked_at"]),
           "revoke_reason": row["revoke_reason"], "external_url": row["external_url"],
           "verification_url": register.verification_url(row["code"]), "stamped": row["stamped"],
           "size": row["size"], "filename": row["filename"]}
    if access.may_revoke(user, row):
        names = _names()
        out.update(source=row["source"], recipient_organization_id=row["recipient_organization_id"],
                   issued_by=names(row["issued_by"])[0], revoked_by=names(row["revoked_by"])[0],
                   events=[{"step": e["step"], "note": e["note"], "created": _iso(e["created"]),
                            "actor": e["user_name"], "actor_fullname": e["user_fullname"] or e["user_name"]}
                           for e in records.document_events(row["code"])])
    return out


def _find_document(code: str, lock: bool = False) -> dict[str, Any]:
    found = records.get_document(code, lock=lock) if register.is_code(code) else None
    if found is None:
        raise tk.ObjectNotFound(tk._("Dokumen dengan kode ini tidak terdaftar"))
    return found


# --- the applications' output -------------------------------------------------------------------------------

def _event_out(row: dict[str, Any]) -> dict[str, Any]:
    detail = dict(row.get("detail") or {})
    if "kind" in detail:
        detail["kind_label"] = _kind_label(detail["kind"])
    if "code" in detail:
        detail["verification_url"] = register.verification_url(detail["code"])
    step = Step(row["step"])
    return {"step": row["step"], "step_label": tk._(STEP_LABELS[step]),
            "from_status": row["from_status"], "to_status": row["to_status"],
            "from_label": _status_label(row["from_status"]), "to_label": _status_label(row["to_status"]),
            "note": row["note"], "detail": detail, "created": _iso(row["created"]),
            "actor": row["user_name"], "actor_fullname": row["user_fullname"] or row["user_name"]}


def _application_document_out(row: dict[str, Any]) -> dict[str, Any]:
    return {"id": row["id"], "kind": row["kind"], "kind_label": _kind_label(row["kind"]), "filename": row["filename"],
            "size": row["size"], "sha256": row["sha256"], "created": _iso(row["created"]),
            "created_by": row.get("user_name"),
            "url": f"{_site()}/rekomendasi/{row['application_id']}/dokumen/{row['id']}"}


def _missing(documents: list[dict[str, Any]]) -> list[str]:
    present = {d["kind"] for d in documents}
    return [k for k in config.required_documents() if k not in present]


def _allowed(user: model.User | None, row: dict[str, Any]) -> list[str]:
    """The actions the caller may take on the application now (for the pages)."""
    status = Status(row["status"])
    out = []
    if status in EDITABLE and access.may_edit(user, row):
        out += ["update", "document_add", "submit"]
    if access.is_reviewer(user) and access.may_see(user, row):
        out += [name for name in ("request_revision", "issue", "refuse") if status in MOVES[name].sources]
        if status in MOVES["external_terbit"].sources:
            out.append("record_external")
    return out


def _kegiatan(user: model.User | None, row: dict[str, Any]) -> dict[str, Any] | None:
    """The MS-Keg as the caller may see it: with a link for who may open it; a summary without one for the pembina
    reviewing a submitted application (the OPD sent it to them), unless the MS-Keg is rahasia."""
    linked = True
    try:
        pkg = tk.get_action("package_show")({"user": user.name if user else "", "ignore_auth": False},
                                            {"id": row["package_id"]})
    except (tk.NotAuthorized, tk.ObjectNotFound):
        package = model.Package.get(row["package_id"])
        if (package is None or package.state != "active" or access_class(package) == RAHASIA
                or row["status"] == Status.DRAF.value or not access.is_reviewer(user)):
            return None
        pkg = tk.get_action("package_show")({"ignore_auth": True}, {"id": package.id})
        linked = False
    out = {k: pkg.get(k) for k in ("id", "name", "title", "tahun", "cara_pengumpulan", "jenis_kegiatan",
                                   "penyelenggara_instansi", "tujuan")}
    out["url"] = f"{_site()}/{KEGIATAN}/{pkg['name']}" if linked else None
    return out


def application_out(row: dict[str, Any], user: model.User | None, full: bool = False,
                    names: Any = None) -> dict[str, Any]:
    names = names or _names()
    jalur = Jalur(row["jalur"])
    out = {"id": row["id"], "organization_id": row["organization_id"], "organization": row.get("organization_name"),
           "organization_title": row.get("organization_title"), "package_id": row["package_id"],
           "title": row["title"], "tahun": row["tahun"], "status": row["status"],
           "status_label": _status_label(row["status"]), "jalur": row["jalur"],
           "jalur_label": tk._(JALUR_LABELS[jalur]), "catatan": row["catatan"],
           "letter_number": row["letter_number"], "document_code": row["document_code"],
           "verification_url": register.verification_url(row["document_code"]) if row["document_code"] else None,
           "external_reference": row["external_reference"], "external_url": row["external_url"],
           "decision_note": row["decision_note"], "created": _iso(row["created"]),
           "created_by": names(row["created_by"])[0], "updated": _iso(row["updated"]),
           "submitted_at": _iso(row["submitted_at"]), "decided_at": _iso(row["decided_at"]),
           "decided_by": names(row["decided_by"])[0], "decided_by_fullname": names(row["decided_by"])[1],
           "url": f"{_site()}/rekomendasi/{row['id']}"}
    if full:
        docs = records.documents([row["id"]])[row["id"]]
        out["documents"] = [_application_document_out(d) for d in docs]
        out["required_documents"] = [{"kind": k, "label": _kind_label(k)} for k in config.required_documents()]
        out["missing_documents"] = [{"kind": k, "label": _kind_label(k)} for k in _missing(docs)]
        out["events"] = [_event_out(e) for e in records.events(row["id"])]
        out["kegiatan"] = _kegiatan(user, row)
        letter_row = records.get_document(row["document_code"]) if row["document_code"] else None
        out["document"] = document_out(letter_row, user) if letter_row else None
        out["actions"] = _allowed(user, row)
    return out


def _full_row(application_id: str) -> dict[str, Any]:
    found = records.get_application(application_id)
    if found is None:
        raise tk.ObjectNotFound(tk._("Permohonan rekomendasi tidak ditemukan"))
    group = model.Group.get(found["organization_id"])
    return dict(found, organization_name=group.name if group else None,
                organization_title=(group.title or group.name) if group else None)


def _show(application_id: str, user: model.User | None) -> dict[str, Any]:
    return application_out(_full_row(application_id), user, full=True)


# --- applications -------------------------------------------------------------------------------------------

def _kegiatan_package(package_id: str) -> model.Package:
    package = model.Package.get(package_id)
    if package is None or package.state != "active" or not package.owner_org:
        raise tk.ValidationError({"package_id": [tk._("Kegiatan statistik (MS-Keg) tidak ditemukan")]})
    if package.type != KEGIATAN:
        raise tk.ValidationError({"package_id": [tk._(
            "Dataset ini bukan metadata kegiatan statistik (MS-Keg); pilih kegiatan statistik OPD Anda")]})
    return package


def _busy() -> tk.ValidationError:
    return tk.ValidationError({"package_id": [tk._(
        "Kegiatan statistik ini sudah memiliki permohonan rekomendasi yang sedang berjalan")]})


def _no_open_application(package_id: str, except_id: str | None = None) -> None:
    if records.open_application_of(package_id, except_id) is not None:
        raise _busy()


def _commit(on_conflict: tk.ValidationError | None = None) -> None:
    try:
        model.repo.commit()
    except IntegrityError as err:  # another request opened an application for the MS-Keg meanwhile
        model.Session.rollback()
        raise (on_conflict or tk.ValidationError({"id": [tk._("Permohonan gagal disimpan; coba lagi")]})) from err


def _locked(application_id: str) -> dict[str, Any]:
    found = records.get_application(application_id, lock=True)
    if found is None:
        raise tk.ObjectNotFound(tk._("Permohonan rekomendasi tidak ditemukan"))
    return found


def _editable(current: dict[str, Any]) -> None:
    if Status(current["status"]) not in EDITABLE:
        raise tk.ValidationError({"status": [tk._("Permohonan berstatus \u201c{status}\u201d tidak dapat diubah lagi")
                                             .format(status=_status_label(current["status"]))]})


def _may_move(current: dict[str, Any], move: Move, field: str = "status") -> None:
    if Status(current["status"]) not in move.sources:
        raise tk.ValidationError({field: [tk._(
            "Langkah ini tidak dapat dilakukan pada permohonan berstatus \u201c{status}\u201d"
        ).format(status=_status_label(current["status"]))]})


@validate(schema.application_create)
def satudata_rekomendasi_create(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Start an application for a rekomendasi kegiatan statistik (a draft), for an MS-Keg of the caller's OPD
    (its operator or verifikator). One application may be under way per MS-Keg.

    :param package_id: id or name of the MS-Keg (a dataset of type ``kegiatan-statistik``)
    :param catatan: a note to the pembina (optional, up to 4000 characters)
    :returns: the application, as ``satudata_rekomendasi_show``
    """
    tk.check_access("satudata_rekomendasi_create", context, data_dict)
    package = _kegiatan_package(data_dict["package_id"])
    _no_open_application(package.id)
    application_id = records.insert_application({
        "organization_id": package.owner_org, "package_id": package.id, "title": package.title or package.name,
        "tahun": _year(package), "jalur": Jalur.PORTAL.value, "catatan": data_dict["catatan"]},
        _user_id(context), _now())
    _commit(_busy())
    return _show(application_id, _user(context))


@validate(schema.application_update)
def satudata_rekomendasi_update(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Change a draft (or an application returned for revision): its note or its MS-Keg (of the same OPD). The
    activity's title and year follow the MS-Keg.

    :param id: the application's id
    :param package_id: another MS-Keg of the same OPD (optional)
    :param catatan: the note to the pembina (optional)
    :returns: the application, as ``satudata_rekomendasi_show``
    """
    tk.check_access("satudata_rekomendasi_update", context, data_dict)
    current = _locked(data_dict["id"])
    _editable(current)
    if "package_id" not in data_dict and "catatan" not in data_dict:
        raise tk.ValidationError({"catatan": [tk._("Sebutkan yang diubah: kegiatan statistik atau catatan")]})
    package = _kegiatan_package(data_dict.get("package_id") or current["package_id"])
    if package.owner_org != current["organization_id"]:
        raise tk.ValidationError({"package_id": [tk._("Kegiatan statistik harus milik OPD pemohon")]})
    if package.id != current["package_id"]:
        _no_open_application(package.id, except_id=current["id"])
    values = {"package_id": package.id, "title": package.title or package.name, "tahun": _year(package)}
    if "catatan" in data_dict:
        values["catatan"] = data_dict["catatan"]
    now = _now()
    records.update_application(current["id"], values, now)
    records.add_event(current["id"], Step.DIUBAH, current["status"], current["status"], _user_id(context), None, now)
    _commit(_busy())
    return _show(current["id"], _user(context))


@tk.side_effect_free
@validate(schema.by_id)
def satudata_rekomendasi_show(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """One application with its documents, the required ones still missing, its timeline (every step: who, when,
    note), its MS-Keg and, once issued, its letter in the register.

    :param id: the application's id
    :returns: ``id``, ``organization_id``, ``organization``, ``organization_title``, ``package_id``, ``title``,
        ``tahun``, ``status`` (``draf``, ``diajukan``, ``perlu_revisi``, ``diproses_bps``, ``terbit``, ``ditolak``)
        and ``status_label``, ``jalur`` (``portal`` or ``sistem_bps``), ``catatan``, ``letter_number``,
        ``document_code``, ``verification_url``, ``external_reference``, ``external_url``, ``decision_note``,
        times and who, ``documents``, ``required_documents``, ``missing_documents``, ``events``, ``kegiatan``
        (null when the caller may not see it), ``document`` (the letter, as ``satudata_document_show``) and
        ``actions`` (what the caller may do now)
    """
    tk.check_access("satudata_rekomendasi_show", context, data_dict)
    return _show(data_dict["id"], _user(context))


@tk.side_effect_free
@validate(schema.application_list)
def satudata_rekomendasi_list(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Applications the caller may see: an OPD's members their OPD's, the pembina every submitted one, the
    walidata all. Newest change first, or oldest submission first (the pembina's queue).

    :param status: only this status (optional)
    :param organization: an OPD's id or name (optional)
    :param package_id: an MS-Keg's id or name (optional)
    :param sort: ``terbaru`` (default) or ``terlama``
    :param limit: at most this many (default 100, up to 1000)
    :param offset: skip this many (default 0)
    :returns: ``{"count": n, "results": [application without documents and events, …]}``
    """
    tk.check_access("satudata_rekomendasi_list", context, data_dict)
    user = _user(context)
    organization = _organization(data_dict.get("organization"), "organization")
    package_id = None
    if data_dict.get("package_id"):
        package = model.Package.get(data_dict["package_id"])
        if package is None:
            raise tk.ValidationError({"package_id": [tk._("Kegiatan statistik (MS-Keg) tidak ditemukan")]})
        package_id = package.id
    rows = records.query_applications(
        organization_ids=None if access.is_walidata(user) else access.member_org_ids(user),
        pembina=access.is_reviewer(user), statuses=[data_dict["status"]] if data_dict.get("status") else None,
        organization_id=organization.id if organization else None, package_id=package_id,
        oldest_first=data_dict["sort"] == "terlama")
    names = _names()
    page = rows[data_dict["offset"]:data_dict["offset"] + data_dict["limit"]]
    return {"count": len(rows), "results": [application_out(r, user, names=names) for r in page]}


@validate(schema.document_add)
def satudata_rekomendasi_document_add(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Attach a document (PDF only) to a draft or an application returned for revision. A refused file leaves
    nothing behind: no row, no stored file.

    :param id: the application's id
    :param kind: ``surat_permohonan``, ``kuesioner``, ``kak`` or ``lainnya``
    :param upload: the PDF (multipart), at most ``ckanext.satudatapasuruan.rekomendasi.max_upload_mb``
    :returns: the document ``{id, kind, kind_label, filename, size, sha256, created, created_by, url}``
    """
    tk.check_access("satudata_rekomendasi_document_add", context, data_dict)
    current = _locked(data_dict["id"])
    _editable(current)
    try:
        pdf = files.read_pdf(data_dict.get("upload"), config.max_upload_bytes())
        stored = files.write(files.LAMPIRAN, pdf.data)
    except files.UploadError as err:
        raise _upload_error(err) from err
    now = _now()
    actor = _user_id(context)
    try:
        document_id = records.add_document(current["id"], data_dict["kind"], pdf.filename, stored, pdf.size,
                                           pdf.sha256, actor, now)
        records.add_event(current["id"], Step.DOKUMEN, current["status"], current["status"], actor, None, now,
                          {"kind": data_dict["kind"], "filename": pdf.filename})
        records.update_application(current["id"], {}, now)
        model.repo.commit()
    except SQLAlchemyError as err:
        model.Session.rollback()
        files.remove(files.LAMPIRAN, stored)
        raise tk.ValidationError({"upload": [tk._("Dokumen gagal disimpan")]}) from err
    row = next(d for d in records.documents([current["id"]])[current["id"]] if d["id"] == document_id)
    return _application_document_out(row)


def _refresh_title(current: dict[str, Any]) -> dict[str, Any]:
    package = model.Package.get(current["package_id"])
    if package is None or package.state != "active":
        raise tk.ValidationError({"package_id": [tk._("Kegiatan statistik (MS-Keg) permohonan ini telah dihapus")]})
    return {"title": package.title or package.name, "tahun": _year(package)}


@validate(schema.submit)
def satudata_rekomendasi_submit(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Submit a draft (or a revised application) to the pembina data statistik: for review in the portal
    (``jalur=portal``, the required documents must be attached) or as filed in BPS's own system
    (``jalur=sistem_bps``: the status becomes ``diproses_bps`` and the pembina records its outcome).

    :param id: the application's id
    :param jalur: ``portal`` (default) or ``sistem_bps``
    :param external_reference: the application's number in BPS's system (optional, with ``sistem_bps``)
    :param note: a note for the timeline (optional)
    :returns: the application, as ``satudata_rekomendasi_show``
    """
    tk.check_access("satudata_rekomendasi_submit", context, data_dict)
    current = _locked(data_dict["id"])
    jalur = Jalur(data_dict["jalur"])
    move = MOVES["submit" if jalur is Jalur.PORTAL else "submit_bps"]
    _may_move(current, move)
    values = _refresh_title(current)
    if jalur is Jalur.PORTAL:
        missing = _missing(records.documents([current["id"]])[current["id"]])
        if missing:
            raise tk.ValidationError({"documents": [tk._(
                "Permohonan belum dapat diajukan. Dokumen wajib yang belum diunggah: {missing}. Unggah dokumen "
                "tersebut (PDF), lalu ajukan lagi.").format(missing="; ".join(_kind_label(k) for k in missing))]})
    reference = data_dict["external_reference"] if jalur is Jalur.SISTEM_BPS else ""
    now = _now()
    records.set_status(current, move.to, move.step, _user_id(context), data_dict["note"], now,
                       {"reference": reference}, jalur=jalur.value, submitted_at=now,
                       external_reference=reference or current["external_reference"], **values)
    _commit()
    return _show(current["id"], _user(context))


@validate(schema.text_required("note", N_("Catatan revisi wajib diisi: tuliskan apa yang harus diperbaiki OPD")))
def satudata_rekomendasi_request_revision(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """The pembina returns a submitted application to the OPD for revision, saying what to fix.

    :param id: the application's id
    :param note: what the OPD must revise (required)
    :returns: the application, as ``satudata_rekomendasi_show``
    """
    tk.check_access("satudata_rekomendasi_request_revision", context, data_dict)
    current = _locked(data_dict["id"])
    move = MOVES["request_revision"]
    _may_move(current, move)
    records.set_status(current, move.to, move.step, _user_id(context), data_dict["note"], _now())
    _commit()
    return _show(current["id"], _user(context))


@validate(schema.text_required("reason", N_("Alasan penolakan wajib diisi")))
def satudata_rekomendasi_refuse(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """The pembina refuses a submitted application, with the reason.

    :param id: the application's id
    :param reason: why (required)
    :returns: the application, as ``satudata_rekomendasi_show``
    """
    tk.check_access("satudata_rekomendasi_refuse", context, data_dict)
    current = _locked(data_dict["id"])
    move = MOVES["refuse"]
    _may_move(current, move)
    now = _now()
    actor = _user_id(context)
    records.set_status(current, move.to, move.step, actor, data_dict["reason"], now, decided_at=now, decided_by=actor,
                       decision_note=data_dict["reason"])
    _commit()
    return _show(current["id"], _user(context))


def _letter_number(year: int) -> str:
    sequence = records.next_letter_number(year)
    try:
        return config.number_format().format(seq=sequence, year=year)
    except (KeyError, IndexError, ValueError) as err:
        raise tk.ValidationError({"letter_number": [tk._(
            "Format nomor surat rekomendasi di konfigurasi tidak dapat diisi: {format}"
        ).format(format=config.number_format())]}) from err


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:60] or "rekomendasi"


def _register_letter(current: dict[str, Any], pdf: files.Pdf, user: model.User | None, now: dt.datetime,
                     external_url: str | None = None) -> register.Issued:
    return register.issue(pdf, title=tk._(LETTER_TITLE).format(title=current["title"]), kind=LETTER_KIND,
                          issuer=config.issuer_name(), actor_id=user.id if user else None, now=now,
                          issuer_organization_id=access.issuer_org_id(user),
                          recipient_organization_id=current["organization_id"],
                          source=f"satudata_rekomendasi:{current['id']}", external_url=external_url, stamp_it=True,
                          stamp_page="last")


def _finish(issued: register.Issued | None, current: dict[str, Any], move: Move, actor: str | None,
            note: str | None, now: dt.datetime, detail: dict[str, Any], **values: Any) -> None:
    """Record the step and commit it with what the issuing wrote; on failure take the stored file back out."""
    try:
        records.set_status(current, move.to, move.step, actor, note, now, detail, **values)
        model.repo.commit()
    except SQLAlchemyError as err:
        model.Session.rollback()
        register.discard(issued)
        raise tk.ValidationError({"id": [tk._("Rekomendasi gagal dicatat; coba lagi")]}) from err


@validate(schema.issue)
def satudata_rekomendasi_issue(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """The pembina issues the recommendation: the letter (letterhead, number, OPD, activity, decision, date, issuer)
    is generated as a PDF, stamped with the QR code of its verification page and registered as a verifiable
    document; the application becomes ``terbit``.

    :param id: the application's id
    :param note: a note printed on the letter and kept in the timeline (optional, up to 1000 characters)
    :returns: the application, as ``satudata_rekomendasi_show`` (``letter_number``, ``document_code``,
        ``verification_url``)
    """
    tk.check_access("satudata_rekomendasi_issue", context, data_dict)
    current = _locked(data_dict["id"])
    move = MOVES["issue"]
    _may_move(current, move)
    user = _user(context)
    now = _now()
    values = _refresh_title(current)
    current = dict(current, **values)
    try:
        number = _letter_number(now.year)
    except tk.ValidationError:
        model.Session.rollback()  # the running number taken is given back
        raise
    package = model.Package.get(current["package_id"])
    group = model.Group.get(current["organization_id"])
    content = letter.Letter(
        issuer=config.issuer_name(), address=config.letterhead_address(), number=number, date=now.date(),
        opd=(group.title or group.name) if group else "", activity=current["title"],
        tahun=str(current["tahun"] or ""), cara_pengumpulan=package.extras.get("cara_pengumpulan") or "",
        application_id=current["id"], issued_by=(user.fullname or user.name) if user else config.issuer_name(),
        note=data_dict["note"])
    try:
        drawn = letter.render(content, fonts(config.font(), config.font_bold()))
    except (LayoutError, ValueError) as err:  # e.g. a note or title too long for one table cell
        model.Session.rollback()
        log.warning("recommendation letter of %s not drawn: %s", current["id"], err)
        raise tk.ValidationError({"note": [tk._(
            "Surat rekomendasi tidak dapat dibuat; persingkat catatannya lalu coba lagi")]}) from err
    pdf = files.Pdf(data=drawn, filename=f"rekomendasi-{_slug(current['title'])}.pdf", pages=1)
    issued = None
    try:
        issued = _register_letter(current, pdf, user, now)
    except files.UploadError as err:
        model.Session.rollback()
        raise _upload_error(err, "id") from err
    actor = user.id if user else None
    _finish(issued, current, move, actor, data_dict["note"], now, {"letter_number": number, "code": issued.code},
            letter_number=number, document_code=issued.code, decided_at=now, decided_by=actor,
            decision_note=data_dict["note"] or None, **values)
    return _show(current["id"], user)


@validate(schema.record_external)
def satudata_rekomendasi_record_external(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """The pembina records what BPS's own system did with an application: it is being processed there
    (``diproses``), or its outcome (``terbit`` with the recommendation's number, or ``ditolak`` with the reason),
    with that system's verification address. The letter from that system may be uploaded (PDF): it is then
    stamped with the portal's verification QR code and registered, and counts as issued with a QR code.

    :param id: the application's id
    :param outcome: ``diproses``, ``terbit`` or ``ditolak``
    :param reference: the number in BPS's system (required for ``terbit``)
    :param verification_url: the address where BPS's system verifies it (optional, ``http(s)://``)
    :param note: a note; the reason, required for ``ditolak``
    :param upload: the letter issued by BPS's system (PDF, optional, ``terbit`` only)
    :returns: the application, as ``satudata_rekomendasi_show``
    """
    tk.check_access("satudata_rekomendasi_record_external", context, data_dict)
    current = _locked(data_dict["id"])
    outcome = Outcome(data_dict["outcome"])
    move = MOVES[f"external_{outcome.value}"]
    _may_move(current, move, "outcome")
    reference, url, note = data_dict["reference"], data_dict["verification_url"], data_dict["note"]
    if outcome is Outcome.TERBIT and not reference:
        raise tk.ValidationError({"reference": [tk._("Nomor rekomendasi dari sistem BPS wajib diisi")]})
    if outcome is Outcome.DITOLAK and not note:
        raise tk.ValidationError({"note": [tk._("Alasan penolakan wajib diisi")]})
    upload = data_dict.get("upload")
    if files.is_upload(upload) and outcome is not Outcome.TERBIT:
        raise tk.ValidationError({"upload": [tk._("Surat hanya dapat diunggah untuk rekomendasi yang terbit")]})
    user = _user(context)
    actor = user.id if user else None
    now = _now()
    values: dict[str, Any] = {"jalur": Jalur.SISTEM_BPS.value,
                              "external_reference": reference or current["external_reference"],
                              "external_url": url or current["external_url"]}
    if current["submitted_at"] is None:
        values["submitted_at"] = now
    if outcome is not Outcome.DIPROSES:
        values.update(decided_at=now, decided_by=actor, decision_note=note or None)
    issued = None
    if files.is_upload(upload):
        try:
            pdf = files.read_pdf(upload, config.document_max_upload_bytes())
            issued = _register_letter(current, pdf, user, now, external_url=url or None)
        except files.UploadError as err:
            model.Session.rollback()
            raise _upload_error(err) from err
        values["document_code"] = issued.code
    _finish(issued, current, move, actor, note, now,
            {"reference": reference, "url": url, "code": issued.code if issued else None}, **values)
    return _show(current["id"], user)


@tk.side_effect_free
@validate(schema.kpi)
def satudata_rekomendasi_kpi(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """The IKU "rekomendasi statistik terbit dengan kode QR" (target 100 %), public: applications submitted,
    recommendations issued, and those issued with a verification QR code (a stamped letter in the register),
    overall, per year and per OPD. An outcome recorded from BPS's system without an uploaded letter counts as
    issued without a QR code.

    :param organization: an OPD's id or name (optional)
    :param year: only applications submitted and recommendations issued in this year (optional)
    :returns: ``{"applications": n, "issued": n, "issued_with_qr": n, "refused": n, "share": 0..1 or null,
        "target": 1.0, "per_year": {"2026": {"applications", "issued", "issued_with_qr", "refused", "share"}},
        "per_opd": {organization id: {"organization", "title", "applications", "issued", "issued_with_qr",
        "refused", "share"}}}``
    """
    tk.check_access("satudata_rekomendasi_kpi", context, data_dict)
    organization = _organization(data_dict.get("organization"), "organization")
    year = data_dict.get("year")

    def cell() -> dict[str, Any]:
        return {"applications": 0, "issued": 0, "issued_with_qr": 0, "refused": 0}

    total = cell()
    per_year: dict[str, dict[str, Any]] = defaultdict(cell)
    per_opd: dict[str, dict[str, Any]] = {}
    for row in records.kpi_rows():
        if organization is not None and row["organization_id"] != organization.id:
            continue
        opd = per_opd.setdefault(row["organization_id"], {"organization": row["organization_name"],
                                                          "title": row["organization_title"], **cell()})
        counts = []
        submitted = row["submitted_at"]
        if submitted is not None and (year is None or submitted.year == year):
            counts.append(("applications", submitted.year))
        decided = row["decided_at"]
        if decided is not None and (year is None or decided.year == year):
            if row["status"] == Status.TERBIT.value:
                counts.append(("issued", decided.year))
                if row["document_code"] and row["stamped"]:
                    counts.append(("issued_with_qr", decided.year))
            elif row["status"] == Status.DITOLAK.value:
                counts.append(("refused", decided.year))
        for key, in_year in counts:
            total[key] += 1
            per_year[str(in_year)][key] += 1
            opd[key] += 1

    def share(c: dict[str, Any]) -> dict[str, Any]:
        c["share"] = round(c["issued_with_qr"] / c["issued"], 4) if c["issued"] else None
        return c

    return {**share(total), "target": KPI_TARGET,
            "per_year": {y: share(c) for y, c in sorted(per_year.items())},
            "per_opd": {o: share(c) for o, c in per_opd.items() if any(c[k] for k in cell())}}


# --- the verifiable documents register ----------------------------------------------------------------------

def _pdf_argument(data_dict: DataDict) -> Any:
    upload, data = data_dict.get("upload"), data_dict.get("data")
    if files.is_upload(upload) and data is not None:
        raise tk.ValidationError({"upload": [tk._("Berikan berkas (upload) atau isinya (data), tidak keduanya")]})
    return upload if files.is_upload(upload) else data


@validate(schema.document_issue)
def satudata_document_issue(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Register an issued document (PDF) in the verifiable documents register: it gets a short unguessable code
    and the public page ``<site_url>/verifikasi/<code>``. With ``stamp=true`` the QR code of that page and a text
    line are first drawn onto its first or last page; the SHA-256 recorded is that of the file returned to be
    handed out (the stamped one). For the walidata, the pembina, and the operators and verifikators of
    ``issuer_organization``; other plugins call it for the documents they issue.

    :param upload: the PDF (multipart), or ``data``: its bytes (for Python callers); at most
        ``ckanext.satudatapasuruan.rekomendasi.document_max_upload_mb``
    :param title: the document's title (required, up to 300 characters)
    :param kind: what it is, a short code such as ``rekomendasi_statistik`` (required)
    :param issuer: who issued it, as shown on the verification page (required)
    :param issuer_organization: the issuing organisation (id or name, optional): its members may revoke it
    :param recipient_organization: the organisation it is issued to (optional): its members may download it
    :param source: what it was issued for, e.g. ``satudata_rekomendasi:<id>`` (optional)
    :param external_url: the issuer's own verification page (optional, ``http(s)://``)
    :param stamp: draw the QR code and text line (default false)
    :param stamp_page: ``first`` or ``last`` (default ``ckanext.satudatapasuruan.rekomendasi.stamp_page``)
    :param filename: the file's name when ``data`` is given (default ``dokumen.pdf``)
    :returns: the document, as ``satudata_document_show``
    """
    tk.check_access("satudata_document_issue", context, data_dict)
    source = _pdf_argument(data_dict)
    issuer_org = _organization(data_dict.get("issuer_organization"), "issuer_organization")
    recipient = _organization(data_dict.get("recipient_organization"), "recipient_organization")
    issued = None
    try:
        pdf = files.read_pdf(source, config.document_max_upload_bytes(), default_name=data_dict["filename"])
        issued = register.issue(pdf, title=data_dict["title"], kind=data_dict["kind"], issuer=data_dict["issuer"],
                                actor_id=_user_id(context), now=_now(),
                                issuer_organization_id=issuer_org.id if issuer_org else None,
                                recipient_organization_id=recipient.id if recipient else None,
                                source=data_dict["source"] or None, external_url=data_dict["external_url"] or None,
                                stamp_it=data_dict["stamp"], stamp_page=data_dict.get("stamp_page"))
        model.repo.commit()
    except files.UploadError as err:
        model.Session.rollback()
        raise _upload_error(err) from err
    except SQLAlchemyError as err:
        model.Session.rollback()
        register.discard(issued)
        raise tk.ValidationError({"upload": [tk._("Dokumen gagal didaftarkan")]}) from err
    return document_out(records.get_document(issued.code), _user(context))


@tk.side_effect_free
@validate(schema.document_code)
def satudata_document_show(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """A registered document by its code (public): issuer, date, title, kind, SHA-256, status (``sah`` or
    ``dicabut`` with the reason), the issuer's own verification page.

    :param code: the document's code (case, spaces and hyphens do not matter)
    :returns: ``code``, ``title``, ``kind``, ``kind_label``, ``issuer``, ``issuer_organization``, ``issued_at``,
        ``sha256``, ``status``, ``status_label``, ``revoked_at``, ``revoke_reason``, ``external_url``,
        ``verification_url``, ``stamped``, ``size``, ``filename``; for its issuer and the walidata also
        ``issued_by``, ``revoked_by``, ``source``, ``recipient_organization_id`` and ``events``
    """
    tk.check_access("satudata_document_show", context, data_dict)
    return document_out(_find_document(data_dict["code"]), _user(context))


@tk.side_effect_free
@validate(schema.document_verify)
def satudata_document_verify(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Whether a file is the registered document of a code (public; nothing is stored): ``asli`` when its
    SHA-256 is the recorded one, ``tidak_cocok`` when it is not, ``dicabut`` when the document was revoked.

    :param code: the document's code
    :param upload: the file to check (PDF, multipart), or ``data``: its bytes; at most
        ``ckanext.satudatapasuruan.rekomendasi.document_max_upload_mb``
    :returns: ``{"code", "result": "asli"|"tidak_cocok"|"dicabut", "matches": bool, "sha256": the file's,
        "registered_sha256", "message", "document": as satudata_document_show}``
    """
    tk.check_access("satudata_document_verify", context, data_dict)
    found = _find_document(data_dict["code"])
    try:
        pdf = files.read_pdf(_pdf_argument(data_dict), config.document_max_upload_bytes(), parse=False)
    except files.UploadError as err:
        raise _upload_error(err) from err
    verdict, matches, digest = register.verify(found, pdf.data)
    message = tk._(register.VERDICT_MESSAGES[verdict]).format(code=found["code"])
    if verdict is register.Verdict.DICABUT:
        message += " " + (tk._("Berkas ini sama dengan dokumen yang dicabut.") if matches
                          else tk._("Berkas ini juga tidak sama dengan dokumen yang terdaftar."))
    return {"code": found["code"], "result": verdict.value, "matches": matches, "sha256": digest,
            "registered_sha256": found["sha256"], "message": message,
            "document": document_out(found, _user(context))}


@validate(schema.document_revoke)
def satudata_document_revoke(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Revoke a registered document (its issuing organisation's members, who issued it, or the walidata), with
    the reason; the verification page then says *dicabut* with the reason. Recorded in the document's audit
    trail (who, when, why).

    :param code: the document's code
    :param reason: why (required, up to 2000 characters)
    :returns: the document, as ``satudata_document_show``
    """
    tk.check_access("satudata_document_revoke", context, data_dict)
    found = _find_document(data_dict["code"], lock=True)
    if found["status"] == DocumentStatus.DICABUT.value:
        raise tk.ValidationError({"code": [tk._("Dokumen ini sudah dicabut")]})
    records.revoke_document(found["code"], data_dict["reason"], _user_id(context), _now())
    model.repo.commit()
    return document_out(records.get_document(found["code"]), _user(context))


@tk.side_effect_free
@validate(schema.document_list)
def satudata_document_list(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Registered documents the caller may see (the walidata all; others those issued by or to their
    organisations, or by themselves), newest first.

    :param status: ``sah`` or ``dicabut`` (optional)
    :param kind: a kind, e.g. ``rekomendasi_statistik`` (optional)
    :param issuer_organization: the issuing organisation's id or name (optional)
    :param limit: at most this many (default 100, up to 1000)
    :param offset: skip this many (default 0)
    :returns: ``{"count": n, "results": [document, …]}``
    """
    tk.check_access("satudata_document_list", context, data_dict)
    user = _user(context)
    issuer_org = _organization(data_dict.get("issuer_organization"), "issuer_organization")
    rows = records.query_documents(
        organization_ids=None if access.is_walidata(user) else access.member_org_ids(user),
        user_id=user.id if user else None, status=data_dict.get("status"), kind=data_dict.get("kind"),
        issuer_organization_id=issuer_org.id if issuer_org else None)
    page = rows[data_dict["offset"]:data_dict["offset"] + data_dict["limit"]]
    return {"count": len(rows), "results": [document_out(r, user) for r in page]}
