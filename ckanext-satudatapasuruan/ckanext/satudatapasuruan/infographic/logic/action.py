"""Actions of the infographic plugin: official templates, each infographic's short link and template, and the
checks chained onto CKAN's dataset and resource actions for the ``infografis`` type."""
from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk
from ckan import model
from ckan.logic import validate
from ckan.types import Action, Context, DataDict

from ckanext.satudatapasuruan.messages import N_

from .. import artwork, config, links, records
from ..render import contrast_ratio
from . import schema
from .auth import is_walidata

__all__ = [
    "satudata_infographic_template_create", "satudata_infographic_template_update",
    "satudata_infographic_template_approve", "satudata_infographic_template_list",
    "satudata_infographic_template_show", "satudata_infographic_show", "satudata_infographic_update",
    "package_create", "package_update", "resource_create", "resource_update",
]

MIN_CONTRAST = 4.5  # WCAG AA for the header's text on its band


# --- templates --------------------------------------------------------------------------------------------

def _template(id_or_name: str) -> dict[str, Any]:
    found = records.get_template(id_or_name)
    if found is None:
        raise tk.ObjectNotFound(tk._("Templat infografis tidak ditemukan"))
    return found


def _check_design(design: dict[str, Any], own_id: str | None = None) -> None:
    """Rules across fields: the layout matches the page's shape, the header is readable, names are unique."""
    errors: dict[str, list[str]] = {}
    width, height = design["width"], design["height"]
    if design["layout"] == "portrait" and height < width:
        errors["layout"] = [tk._("Tata letak tegak (portrait) harus lebih tinggi daripada lebarnya")]
    if design["layout"] == "landscape" and width <= height:
        errors["layout"] = [tk._("Tata letak mendatar (landscape) harus lebih lebar daripada tingginya")]
    if contrast_ratio(design["header_color"], design["header_background"]) < MIN_CONTRAST:
        errors["header_color"] = [tk._("Warna teks kepala kurang kontras dengan latarnya (minimal 4,5:1)")]
    other = records.get_template(design["name"])
    if other is not None and other["id"] != own_id:
        errors["name"] = [tk._("Nama templat sudah dipakai")]
    if errors:
        raise tk.ValidationError(errors)


def _template_out(row: dict[str, Any]) -> dict[str, Any]:
    return dict(row)


@validate(schema.template_create)
def satudata_infographic_template_create(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Create an official infographic template (walidata only); it is not usable until approved.

    :param name: unique slug (lowercase letters, digits, hyphens)
    :param title: display title, e.g. ``Media sosial``
    :param layout: ``portrait`` or ``landscape``
    :param width: page width in pixels at web size
    :param height: page height in pixels at web size
    :param web_dpi: resolution of the web size (default 150)
    :param print_dpi: resolution of the print PDF (default 300)
    :param header_text: text of the header band (the portal's name)
    :param footer_text: text of the footer (optional)
    :param header_background: ``#rrggbb`` of the header band
    :param header_color: ``#rrggbb`` of the header text (contrast at least 4.5:1)
    :param accent_color: ``#rrggbb`` of the rules
    :returns: the template
    """
    tk.check_access("satudata_infographic_template_create", context, data_dict)
    _check_design(data_dict)
    template_id = records.insert_template(data_dict)
    model.repo.commit()
    return _template_out(_template(template_id))


@validate(schema.template_update)
def satudata_infographic_template_update(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Change a template's design (walidata only). Any change withdraws its approval until approved again.

    :param id: the template's id or name
    :param name, title, layout, width, height, web_dpi, print_dpi, header_text, footer_text,
        header_background, header_color, accent_color: the fields to change (as in
        ``satudata_infographic_template_create``); others keep their values
    :returns: the template
    """
    tk.check_access("satudata_infographic_template_update", context, data_dict)
    current = _template(data_dict["id"])
    design = {k: data_dict.get(k, current[k]) for k in records.TEMPLATE_FIELDS}
    _check_design(design, own_id=current["id"])
    records.update_template(current["id"], design)
    model.repo.commit()
    return _template_out(_template(current["id"]))


@validate(schema.by_id)
def satudata_infographic_template_approve(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """The walidata approves a template for use: only approved templates frame infographics.

    :param id: the template's id or name
    :returns: the template
    """
    tk.check_access("satudata_infographic_template_approve", context, data_dict)
    current = _template(data_dict["id"])
    user = context.get("auth_user_obj")
    records.approve_template(current["id"], getattr(user, "id", None))
    model.repo.commit()
    return _template_out(_template(current["id"]))


def _sees_unapproved(context: Context) -> bool:
    user = context.get("auth_user_obj")
    return isinstance(user, model.User) and is_walidata(user)


@tk.side_effect_free
@validate(schema.template_list)
def satudata_infographic_template_list(context: Context, data_dict: DataDict) -> list[dict[str, Any]]:
    """The official templates: approved ones for everyone, all of them for the walidata.

    :param approved_only: only the approved ones, also for the walidata (default false)
    """
    tk.check_access("satudata_infographic_template_list", context, data_dict)
    approved_only = data_dict["approved_only"] or not _sees_unapproved(context)
    return [_template_out(t) for t in records.templates(approved_only=approved_only)]


@tk.side_effect_free
@validate(schema.by_id)
def satudata_infographic_template_show(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """One template (an unapproved one only for the walidata).

    :param id: the template's id or name
    """
    tk.check_access("satudata_infographic_template_show", context, data_dict)
    found = _template(data_dict["id"])
    if not found["approved"] and not _sees_unapproved(context):
        raise tk.ObjectNotFound(tk._("Templat infografis tidak ditemukan"))
    return _template_out(found)


# --- one infographic ----------------------------------------------------------------------------------------

def _infographic(context: Context, id_or_name: str) -> dict[str, Any]:
    """The infographic dataset as the caller sees it (package_show applies the access rules)."""
    pkg = tk.get_action("package_show")(dict(context), {"id": id_or_name})
    if pkg.get("type") != links.INFOGRAFIS:
        raise tk.ObjectNotFound(tk._("Infografis tidak ditemukan"))
    return pkg


@tk.side_effect_free
@validate(schema.by_id)
def satudata_infographic_show(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """An infographic's short link, scan count, template and output addresses, for those who may see it.

    :param id: the infographic dataset's id or name
    :returns: ``package_id``, ``code``, ``short_url``, ``scans``, ``last_scan``, ``template`` (name or
        null: the configured defaults), ``png_url``, ``pdf_url``, ``thumbnail_url``
    """
    tk.check_access("satudata_infographic_show", context, data_dict)
    pkg = _infographic(context, data_dict["id"])
    row = records.link_of(pkg["id"])
    if row is None:  # made before the plugin was enabled: the link is created on first use
        row = records.ensure_link(pkg["id"])
        model.repo.commit()
    template = records.get_template(row["template_id"]) if row["template_id"] else None
    site = config.site_url()
    return {"package_id": pkg["id"], "code": row["code"], "short_url": links.short_url(row["code"]),
            "scans": row["scans"], "last_scan": row["last_scan"], "template": template["name"] if template else None,
            "png_url": f"{site}/infografis/{pkg['name']}/unduh.png",
            "pdf_url": f"{site}/infografis/{pkg['name']}/unduh.pdf",
            "thumbnail_url": f"{site}/infografis/{pkg['name']}/gambar-kecil.png"}


def approved_template(id_or_name: str) -> dict[str, Any]:
    """An approved template, or a validation error naming why it cannot frame an infographic."""
    found = records.get_template(id_or_name)
    if found is None:
        raise tk.ValidationError({"template": [tk._("Templat infografis tidak ditemukan")]})
    if not found["approved"]:
        raise tk.ValidationError({"template": [
            tk._("Templat \u201c{title}\u201d belum disetujui walidata").format(title=found["title"])]})
    return found


@validate(schema.infographic_update)
def satudata_infographic_update(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Choose the official template that frames both outputs of an infographic (its editors only).

    :param id: the infographic dataset's id or name
    :param template: an approved template's id or name; empty for the configured defaults (portrait web
        PNG, landscape print PDF)
    :returns: as ``satudata_infographic_show``
    """
    tk.check_access("satudata_infographic_update", context, data_dict)
    pkg = _infographic(context, data_dict["id"])
    template_id = approved_template(data_dict["template"])["id"] if data_dict["template"] else None
    records.ensure_link(pkg["id"])
    records.set_link_template(pkg["id"], template_id)
    model.repo.commit()
    return satudata_infographic_show(context, {"id": pkg["id"]})


# --- checks chained onto CKAN's actions -----------------------------------------------------------------------

NO_LINK = N_("Infografis harus menautkan minimal satu dataset yang sudah terbit")
NOT_PUBLISHED = N_("Dataset terkait harus sudah terbit dan terbuka untuk publik: {names}")


def _linked_errors(data_dict: DataDict) -> list[str]:
    names = links.linked_names(data_dict.get("dataset_terkait"))
    if not names:
        return [tk._(NO_LINK)]
    unpublished = [n for n in names if links.public_dataset(n) is None]
    if unpublished:
        return [tk._(NOT_PUBLISHED).format(names=", ".join(unpublished))]
    return []


def _artwork_errors(resource: dict[str, Any]) -> list[str]:
    """Check an uploaded file's real content (and set its format from it); links are not read."""
    upload = resource.get("upload")
    if not upload or not getattr(upload, "stream", None) or not getattr(upload, "filename", None):
        return []
    try:
        data = artwork.read_limited(upload.stream, config.max_upload_bytes())
        found = artwork.inspect(data, config.max_pixels())
    except artwork.ArtworkError as err:
        return [tk._(err.msgid).format(**err.values)]
    resource["format"] = found.kind
    resource["mimetype"] = {"PNG": "image/png", "JPEG": "image/jpeg", "PDF": "application/pdf"}[found.kind]
    return []


def _check_infographic(data_dict: DataDict) -> None:
    """Everything checked before CKAN writes anything, reported together."""
    errors: dict[str, Any] = {}
    linked = _linked_errors(data_dict)
    if linked:
        errors["dataset_terkait"] = linked
    resources = data_dict.get("resources") or []
    resource_errors = [_artwork_errors(r) if isinstance(r, dict) else [] for r in resources]
    if any(resource_errors):
        errors["resources"] = [{"url": e} if e else {} for e in resource_errors]
    if errors:
        raise tk.ValidationError(errors)


def _type_of(data_dict: DataDict) -> str | None:
    package = model.Package.get(str(data_dict.get("id") or data_dict.get("name") or ""))
    return package.type if package is not None else data_dict.get("type")


@tk.chained_action
def package_create(next_action: Action, context: Context, data_dict: DataDict):
    """An infographic links published datasets and carries real images; its short link is made with it."""
    if data_dict.get("type") == links.INFOGRAFIS:
        _check_infographic(data_dict)
    return next_action(context, data_dict)


@tk.chained_action
def package_update(next_action: Action, context: Context, data_dict: DataDict):
    """The same checks on every edit of an infographic; its short code never changes."""
    if _type_of(data_dict) == links.INFOGRAFIS:
        _check_infographic(data_dict)
    return next_action(context, data_dict)


def _check_resource(data_dict: DataDict, package_id: str | None) -> None:
    package = model.Package.get(str(package_id or ""))
    if package is None or package.type != links.INFOGRAFIS:
        return
    found = _artwork_errors(data_dict)
    if found:
        raise tk.ValidationError({"upload": found})


@tk.chained_action
def resource_create(next_action: Action, context: Context, data_dict: DataDict):
    """An infographic's file must really be a PNG, JPEG or PDF within the size limit."""
    _check_resource(data_dict, data_dict.get("package_id"))
    return next_action(context, data_dict)


@tk.chained_action
def resource_update(next_action: Action, context: Context, data_dict: DataDict):
    """The same check when an infographic's file is replaced."""
    resource = model.Resource.get(str(data_dict.get("id") or ""))
    _check_resource(data_dict, resource.package_id if resource is not None else data_dict.get("package_id"))
    return next_action(context, data_dict)
