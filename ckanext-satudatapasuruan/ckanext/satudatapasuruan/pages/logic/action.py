"""Actions of the content pages plugin: the walidata's Tentang, Kontak and Panduan pages and their
attachments (files kept through CKAN's uploader, or external links such as videos)."""
from __future__ import annotations

import logging
from typing import Any

import ckan.plugins.toolkit as tk
from ckan import model
from ckan.logic import validate
from ckan.types import Context, DataDict
from sqlalchemy.exc import IntegrityError, SQLAlchemyError

from .. import files, records
from . import schema
from .auth import is_manager

__all__ = ["satudata_page_create", "satudata_page_update", "satudata_page_delete", "satudata_page_show",
           "satudata_page_list", "satudata_page_attachment_create", "satudata_page_attachment_delete"]

log = logging.getLogger(__name__)


def _site() -> str:
    return tk.config["ckan.site_url"].rstrip("/")


def _user_id(context: Context) -> str | None:
    user = context.get("auth_user_obj")
    if not isinstance(user, model.User) and context.get("user"):
        user = model.User.get(context["user"])
    return user.id if isinstance(user, model.User) else None


def _user_name(user_id: str | None) -> str | None:
    user = model.User.get(user_id) if user_id else None
    return user.name if user is not None else None


def _manager(context: Context) -> bool:
    user = context.get("auth_user_obj")
    if not isinstance(user, model.User) and context.get("user"):
        user = model.User.get(context["user"])
    return is_manager(user)


def page_url(slug: str) -> str:
    return f"{_site()}/halaman/{slug}"


def _attachment_out(row: dict[str, Any], slug: str) -> dict[str, Any]:
    out = {k: row[k] for k in ("id", "page_id", "title", "kind", "filename", "mimetype", "size", "description",
                               "order", "created")}
    out["url"] = row["url"] if row["kind"] == "link" else f"{page_url(slug)}/lampiran/{row['id']}"
    return out


def _page_out(row: dict[str, Any], attachments: list[dict[str, Any]], with_body: bool = True,
              manager: bool = True) -> dict[str, Any]:
    out = {k: row[k] for k in ("id", "slug", "title", "section", "order", "published", "created", "updated")}
    if with_body:
        out["body"] = row["body"]
    # Who edited a page is the managers' business; the public sees when, not who.
    out["updated_by"] = _user_name(row["updated_by"]) if manager else None
    out["url"] = page_url(row["slug"])
    out["attachments"] = [_attachment_out(a, row["slug"]) for a in attachments]
    return out


def _page(id_or_slug: str, context: Context | None = None) -> dict[str, Any]:
    """The page row; an unpublished one only for the managers (``context`` given: the caller is checked)."""
    found = records.get_page(id_or_slug)
    if found is None or (context is not None and not found["published"] and not _manager(context)):
        raise tk.ObjectNotFound(tk._("Halaman tidak ditemukan"))
    return found


def _show(page_id: str) -> dict[str, Any]:
    row = _page(page_id)
    return _page_out(row, records.attachments([row["id"]])[row["id"]])


def _slug_taken(slug: str, own_id: str | None = None) -> None:
    other = records.get_page(slug)
    if other is not None and other["id"] != own_id:
        raise tk.ValidationError({"slug": [tk._("Slug \u201c{slug}\u201d sudah dipakai halaman lain")
                                           .format(slug=slug)]})


def _commit_page(slug: str) -> None:
    try:
        model.repo.commit()
    except IntegrityError as err:  # another request took the slug between the check and the write
        model.Session.rollback()
        raise tk.ValidationError({"slug": [tk._("Slug \u201c{slug}\u201d sudah dipakai halaman lain")
                                           .format(slug=slug)]}) from err


@validate(schema.page_create)
def satudata_page_create(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Create a content page of the portal (walidata and sysadmins only).

    :param slug: the page's address ``/halaman/<slug>``: 1-100 lowercase letters, digits and hyphens,
        unique. The page whose slug equals its section (``tentang``, ``kontak``, ``panduan``) is that
        section's main page, shown at ``/tentang``, ``/kontak`` or ``/panduan``
    :param title: the page's title (required, at most 200 characters)
    :param body: the content in Markdown (HTML is removed when it is shown)
    :param section: ``tentang``, ``kontak``, ``panduan`` or ``lainnya`` (pages reached by address only)
    :param order: position among the section's pages, smaller first (integer, default 0)
    :param published: shown to the public (default false: only managers see it)
    :returns: the page, as ``satudata_page_show``
    """
    tk.check_access("satudata_page_create", context, data_dict)
    _slug_taken(data_dict["slug"])
    page_id = records.insert_page(data_dict, _user_id(context))
    _commit_page(data_dict["slug"])
    return _show(page_id)


@validate(schema.page_update)
def satudata_page_update(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Change a content page (walidata and sysadmins only); the fields not given keep their values.

    :param id: the page's id or slug
    :param slug, title, body, section, order, published: as in ``satudata_page_create``
    :returns: the page, as ``satudata_page_show``
    """
    tk.check_access("satudata_page_update", context, data_dict)
    current = _page(data_dict["id"])
    if "slug" in data_dict:
        _slug_taken(data_dict["slug"], own_id=current["id"])
    records.update_page(current["id"], data_dict, _user_id(context))
    _commit_page(data_dict.get("slug", current["slug"]))
    return _show(current["id"])


@validate(schema.by_id)
def satudata_page_delete(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Delete a content page with its attachments and their files (walidata and sysadmins only).

    :param id: the page's id or slug
    :returns: ``{"id": ..., "slug": ...}`` of the deleted page
    """
    tk.check_access("satudata_page_delete", context, data_dict)
    current = _page(data_dict["id"])
    stored = records.stored_names(current["id"])
    records.delete_page(current["id"])
    model.repo.commit()
    for name in stored:  # only once the rows are gone: a failed delete keeps its files
        files.remove(name)
    return {"id": current["id"], "slug": current["slug"]}


@tk.side_effect_free
@validate(schema.by_id)
def satudata_page_show(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """One content page with its attachments. Unpublished pages exist only for the walidata and sysadmins.

    :param id: the page's id or slug
    :returns: ``id``, ``slug``, ``title``, ``body`` (Markdown), ``section``, ``order``, ``published``,
        ``created``, ``updated``, ``updated_by`` (user name; for the managers only, null for others),
        ``url``, ``attachments`` (each: ``id``, ``title``, ``kind`` ``file`` or ``link``, ``url`` (the
        download address or the link), ``filename``, ``mimetype``, ``size`` in bytes, ``description``,
        ``order``, ``created``)
    """
    tk.check_access("satudata_page_show", context, data_dict)
    row = _page(data_dict["id"], context)
    return _page_out(row, records.attachments([row["id"]])[row["id"]], manager=_manager(context))


@tk.side_effect_free
@validate(schema.page_list)
def satudata_page_list(context: Context, data_dict: DataDict) -> list[dict[str, Any]]:
    """The content pages in menu order (section, then order, then title), with their attachments but
    without their bodies (ask ``satudata_page_show`` for one page's content).

    :param section: only this section's pages (``tentang``, ``kontak``, ``panduan``, ``lainnya``)
    :param include_unpublished: also the unpublished pages; honoured for the walidata and sysadmins only
        (default false)
    """
    tk.check_access("satudata_page_list", context, data_dict)
    manager = _manager(context)
    published_only = not (data_dict["include_unpublished"] and manager)
    rows = records.pages(data_dict.get("section"), published_only=published_only)
    found = records.attachments([r["id"] for r in rows])
    return [_page_out(r, found[r["id"]], with_body=False, manager=manager) for r in rows]


def _upload_error(err: files.UploadError) -> tk.ValidationError:
    return tk.ValidationError({"upload": [tk._(err.msgid).format(**err.values)]})


@validate(schema.attachment_create)
def satudata_page_attachment_create(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Attach a file (an official Excel template, a methodology PDF) or an external link (a video) to a
    page (walidata and sysadmins only). A refused file leaves nothing behind: no row, no stored file.

    :param page_id: the page's id or slug
    :param title: the attachment's title (required)
    :param upload: the file (multipart); its extension must be in
        ``ckanext.satudatapasuruan.pages.allowed_extensions``, its size within
        ``ckanext.satudatapasuruan.pages.max_upload_mb``, and a file of a known type must really be one
    :param url: an ``http(s)://`` link instead of a file (exactly one of ``upload`` and ``url``)
    :param description: a short description (optional)
    :param order: position among the page's attachments, smaller first (integer, default 0)
    :returns: the attachment, as in ``satudata_page_show``
    """
    tk.check_access("satudata_page_attachment_create", context, data_dict)
    current = _page(data_dict["page_id"])
    upload = data_dict.get("upload")
    has_file, has_url = files.is_upload(upload), bool(data_dict["url"])
    if has_file == has_url:
        message = (tk._("Pilih salah satu: unggah berkas atau isi tautan, tidak keduanya") if has_file
                   else tk._("Unggah berkas atau isi tautan"))
        raise tk.ValidationError({"upload": [message]})
    values: dict[str, Any] = {k: data_dict[k] for k in ("title", "description", "order")}
    stored = None
    if has_file:
        try:
            checked = files.inspect(upload)
            stored = files.store(upload, checked)
        except files.UploadError as err:
            raise _upload_error(err) from err
        except tk.ValidationError as err:  # the uploader's own refusal (its messages are English)
            log.warning("page attachment refused by CKAN's uploader: %s", err.error_dict)
            raise tk.ValidationError({"upload": [tk._("Berkas gagal disimpan")]}) from err
        values.update(kind="file", stored_name=stored, filename=checked.filename, mimetype=checked.mimetype,
                      size=checked.size)
    else:
        values.update(kind="link", url=data_dict["url"])
    try:
        attachment_id = records.insert_attachment(current["id"], values, _user_id(context))
        model.repo.commit()
    except SQLAlchemyError as err:  # e.g. the page was deleted meanwhile: take the file back out
        model.Session.rollback()
        files.remove(stored)
        raise tk.ValidationError({"upload": [tk._("Lampiran gagal disimpan")]}) from err
    return _attachment_out(records.get_attachment(attachment_id), current["slug"])


@validate(schema.by_id)
def satudata_page_attachment_delete(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Remove an attachment from its page, and its file from storage (walidata and sysadmins only).

    :param id: the attachment's id
    :returns: ``{"id": ..., "page_id": ...}``
    """
    tk.check_access("satudata_page_attachment_delete", context, data_dict)
    found = records.get_attachment(data_dict["id"])
    if found is None:
        raise tk.ObjectNotFound(tk._("Lampiran tidak ditemukan"))
    records.delete_attachment(found["id"])
    model.repo.commit()
    files.remove(found["stored_name"])
    return {"id": found["id"], "page_id": found["page_id"]}
