"""Validators of the daftar data actions (registered by the blanket). Messages name their field, so forms and
the import list them as they are."""
from __future__ import annotations

import datetime as dt
from typing import Any

import ckan.plugins.toolkit as tk
from ckan import model
from ckan.lib.navl.dictization_functions import missing

from ckanext.satudatapasuruan import refdata
from ckanext.satudatapasuruan.validators import blank, int_range, optional_text, text

from ..records import Integration, Status

__all__ = ["satudata_daftardata_text", "satudata_daftardata_optional_text", "satudata_daftardata_org",
           "satudata_daftardata_urusan", "satudata_daftardata_frekuensi", "satudata_daftardata_year",
           "satudata_daftardata_bool", "satudata_daftardata_filter_bool",
           "satudata_daftardata_status", "satudata_daftardata_integration",
           "satudata_daftardata_package_ids", "satudata_daftardata_int_range", "satudata_daftardata_date"]

_TRUE = {"ya", "y", "true", "1", "benar", "on", "yes"}
_FALSE = {"tidak", "t", "false", "0", "salah", "off", "no", ""}


def _short(value: Any) -> str:
    return str(value).strip()[:60]


def satudata_daftardata_text(label: str, max_length: int):
    return text(label, max_length, squeeze=True)


def satudata_daftardata_optional_text(label: str, max_length: int):
    return optional_text(label, max_length, squeeze=True)


def satudata_daftardata_org(value: Any) -> str:
    """An active organisation (OPD), by name, id or official title; stored as its id."""
    if blank(value):
        raise tk.Invalid(tk._("OPD wajib diisi"))
    text = str(value).strip()
    group = model.Group.get(text)
    if group is None:
        group = model.Session.query(model.Group).filter(model.Group.title.ilike(text),
                                                        model.Group.is_organization.is_(True)).first()
    if group is None or not group.is_organization or group.state != "active":
        raise tk.Invalid(tk._("Kode OPD '{value}' tidak dikenal").format(value=_short(text)))
    return group.id


def satudata_daftardata_urusan(value: Any) -> str:
    """A code of the ``urusan`` vocabulary (the sektor of the dataset schema), or its exact name."""
    if blank(value):
        raise tk.Invalid(tk._("Sektor wajib diisi"))
    text = str(value).strip()
    if refdata.lookup("urusan", text) is not None:
        return text
    for item in refdata.entries("urusan"):
        if item.name.lower() == text.lower():
            return item.code
    raise tk.Invalid(tk._("Kode sektor '{value}' tidak dikenal").format(value=_short(text)))


def satudata_daftardata_frekuensi(value: Any) -> str:
    """A code of the ``frekuensi`` vocabulary (the dataset schema's), or its name."""
    if blank(value):
        raise tk.Invalid(tk._("Frekuensi wajib diisi"))
    text = str(value).strip()
    if refdata.lookup("frekuensi", text.lower()) is not None:
        return text.lower()
    for item in refdata.entries("frekuensi"):
        if item.name.lower() == text.lower():
            return item.code
    raise tk.Invalid(tk._("Frekuensi '{value}' tidak dikenal").format(value=_short(text)))


def satudata_daftardata_year(value: Any) -> int:
    if blank(value):
        raise tk.Invalid(tk._("Tahun target wajib diisi"))
    text = str(value).strip()
    if text.endswith(".0"):  # a number cell of a spreadsheet
        text = text[:-2]
    if not text.isdigit() or not 2000 <= int(text) <= 2100:
        raise tk.Invalid(tk._("Tahun target '{value}' tidak sah: tulis tahun empat angka antara 2000 dan 2100")
                         .format(value=_short(value)))
    return int(text)


def satudata_daftardata_bool(value: Any) -> bool:
    if value is missing or value is None or isinstance(value, bool):
        return bool(value) if value is not missing else False
    text = str(value).strip().lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise tk.Invalid(tk._("Nilai '{value}' tidak sah: tulis ya atau tidak").format(value=_short(value)))


def satudata_daftardata_filter_bool(value: Any) -> bool | None:
    """A yes/no filter: blank means no filter (None)."""
    if value is missing or value is None or (isinstance(value, str) and not value.strip()):
        return None
    return satudata_daftardata_bool(value)


def _choice(value: Any, choices: tuple[str, ...], label: str) -> str:
    if blank(value):
        raise tk.Invalid(tk._("{label} wajib diisi").format(label=tk._(label)))
    text = str(value).strip().lower().replace(" ", "_")
    if text not in choices:
        raise tk.Invalid(tk._("{label} '{value}' tidak dikenal; pilih salah satu: {choices}").format(
            label=tk._(label), value=_short(value), choices=", ".join(choices)))
    return text


def satudata_daftardata_status(value: Any) -> str:
    return _choice(value, tuple(s.value for s in Status), "Status")


def satudata_daftardata_integration(value: Any) -> str:
    return _choice(value, tuple(s.value for s in Integration), "Status integrasi")


def satudata_daftardata_package_ids(value: Any) -> list[str]:
    """Datasets (names or ids; a list or a comma-separated text) that fulfil an entry, stored as ids."""
    if value is missing or value is None:
        return []
    items = value if isinstance(value, list) else str(value).replace(";", ",").split(",")
    ids: list[str] = []
    for item in items:
        text = str(item).strip()
        if not text:
            continue
        package = model.Package.get(text)
        if package is None or package.state == "deleted":
            raise tk.Invalid(tk._("Dataset '{value}' tidak ditemukan").format(value=_short(text)))
        if package.id not in ids:
            ids.append(package.id)
    return ids


satudata_daftardata_int_range = int_range


def satudata_daftardata_date(value: Any) -> dt.date:
    """A date ``YYYY-MM-DD`` (the agreed date of a version)."""
    if blank(value):
        raise tk.Invalid(tk._("Tanggal disepakati wajib diisi"))
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value).strip()[:10])
    except ValueError as err:
        raise tk.Invalid(tk._("Tanggal '{value}' tidak sah: tulis TTTT-BB-HH").format(value=_short(value))) from err
