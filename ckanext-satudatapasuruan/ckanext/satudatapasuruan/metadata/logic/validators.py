"""Validators of the SDI schemas (registered by the blanket, referenced by name in the YAML).

Messages are Indonesian msgids translated through ``i18n/`` (English catalogue)."""
from __future__ import annotations

import datetime as dt
import json
import re
from typing import Any

import ckan.plugins.toolkit as tk
from ckan.lib.navl.dictization_functions import missing, unflatten

from ckanext.satudatapasuruan import refdata

from .. import completeness, config

__all__ = [
    "satudata_strip", "satudata_split_codes", "satudata_yes_no", "satudata_email", "satudata_year",
    "satudata_number", "satudata_kode_standar_data", "satudata_period_end", "satudata_coverage",
    "satudata_regency_implied",
    "satudata_required_if", "satudata_default_licence", "satudata_kegiatan_exists", "satudata_alias",
    "satudata_indicator_sources", "satudata_completeness_score", "satudata_geojson", "satudata_epsg",
    "satudata_datasets_exist", "satudata_infographic_format", "satudata_access_class",
]

_ = tk._
Invalid = tk.Invalid

KODE_STANDAR_RE = re.compile(r"^(SD|SP|ST|SE|UL)\d{5}\.\d{2}\.\d{2}$")
ALIAS_RE = re.compile(r"^[a-z][a-z0-9_]{0,62}$")
EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
EPSG_RE = re.compile(r"^EPSG:(\d{4,6})$")
_YES = {"ya", "y", "yes", "true", "1", "on"}
_NO = {"tidak", "t", "no", "false", "0", "off", ""}
INFOGRAPHIC_FORMATS = {"PNG", "JPEG", "JPG", "SVG", "WEBP", "PDF"}


def _empty(value: Any) -> bool:
    return value is missing or value is None or (isinstance(value, str) and not value.strip())


def satudata_strip(value: Any) -> Any:
    return value.strip() if isinstance(value, str) else value


def satudata_split_codes(value: Any) -> Any:
    """Accept codes as a list, a JSON list or a comma-separated string (API and forms)."""
    if _empty(value):
        return missing
    if isinstance(value, str):
        text = value.strip()
        if text.startswith("["):
            try:
                value = json.loads(text)
            except ValueError as err:
                raise Invalid(_("Daftar kode tidak dapat dibaca")) from err
        else:
            value = [v for v in (p.strip() for p in text.split(",")) if v]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise Invalid(_("Harus berupa daftar kode"))
    return [v.strip() for v in value if v.strip()]


def satudata_yes_no(value: Any) -> Any:
    if value is missing or value is None:
        return value
    text = str(value).strip().lower()
    if text in _YES:
        return "ya"
    if text in _NO:
        return "tidak"
    raise Invalid(_("Pilih ya atau tidak"))


def satudata_email(value: Any) -> Any:
    if _empty(value):
        return value
    if not EMAIL_RE.match(value) or len(value) > 254:
        raise Invalid(_("Alamat surel tidak valid"))
    return value


def satudata_year(value: Any) -> Any:
    if _empty(value):
        return value
    try:
        year = int(str(value).strip())
    except ValueError as err:
        raise Invalid(_("Tahun harus berupa angka empat digit")) from err
    if not 1945 <= year <= dt.date.today().year + 5:
        raise Invalid(_("Tahun di luar rentang yang masuk akal"))
    return str(year)


def satudata_number(value: Any) -> Any:
    if _empty(value):
        return value
    text = str(value).strip().replace(",", ".")
    try:
        number = float(text)
    except ValueError as err:
        raise Invalid(_("Harus berupa angka")) from err
    if number != number or number in (float("inf"), float("-inf")):
        raise Invalid(_("Harus berupa angka"))
    return text


def satudata_kode_standar_data(value: Any) -> Any:
    if _empty(value):
        return value
    code = value.strip().upper()
    if not KODE_STANDAR_RE.match(code):
        raise Invalid(_("Kode standar data harus berbentuk XX99999.99.99 dengan kelompok SD, SP, ST, SE atau UL "
                        "(contoh SP00055.00.00)"))
    return code


def satudata_period_end(key, data, errors, context):
    end = data.get(key)
    start = data.get(key[:-1] + ("periode_awal",))
    if _empty(end) or _empty(start) or errors.get(key):
        return
    if str(end)[:10] < str(start)[:10]:
        errors[key].append(_("Akhir periode tidak boleh sebelum awal periode"))


def satudata_regency_implied(value: Any) -> Any:
    """The regency's own code alone is what ``satudata_coverage`` stores for kabupaten coverage: reading a
    dataset back and saving it again must not fail the choice check (the code is no choice of the form)."""
    if isinstance(value, list) and value == [refdata.REGENCY_CODE]:
        return missing
    return value


def satudata_coverage(key, data, errors, context):
    """kode_wilayah must match the coverage level: none for kabupaten, kecamatan or desa codes otherwise."""
    if errors.get(key):
        return
    level = data.get(key[:-1] + ("tingkat_wilayah",)) or "kabupaten"
    raw = data.get(key)
    codes = json.loads(raw) if isinstance(raw, str) and raw.startswith("[") else (raw or [])
    if codes is missing:
        codes = []
    if level == "kabupaten":
        if codes and codes != [refdata.REGENCY_CODE]:
            errors[key].append(_("Cakupan kabupaten tidak memerlukan pilihan wilayah"))
        data[key] = json.dumps([refdata.REGENCY_CODE])
        return
    if not codes:
        errors[key].append(_("Pilih paling sedikit satu wilayah untuk cakupan ini"))
        return
    wrong = [c for c in codes if (refdata.lookup("wilayah", c) or _NoEntry).level != level]
    if wrong:
        level_label = _("kecamatan") if level == "kecamatan" else _("desa/kelurahan")
        errors[key].append(_("Kode bukan {level} di Kabupaten Pasuruan: {codes}").format(
            level=level_label, codes=", ".join(wrong)))


class _NoEntry:
    level = None


def satudata_access_class(key, data, errors, context):
    """Rahasia data is never public: the dataset is kept private whatever `private` says.

    (The publication workflow and per-class permission labels come with the workflow plugin;
    this keeps the guarantee until then and after.)"""
    if data.get(key) == "rahasia" and not errors.get(key):
        data[key[:-1] + ("private",)] = True


def satudata_required_if(other: str, expected: str):
    """The field is required when field ``other`` (same level) holds ``expected``."""

    def validator(key, data, errors, context):
        if data.get(key[:-1] + (other,)) == expected and _empty(data.get(key)):
            errors[key].append(_("Wajib diisi"))

    return validator


def satudata_default_licence(key, data, errors, context):
    """Open data gets CC-BY when no licence is chosen; restricted data defaults to 'other closed'."""
    if not _empty(data.get(key)):
        return
    access = data.get(key[:-1] + ("klasifikasi_akses",))
    data[key] = "cc-by" if access in (None, missing, "", "terbuka") else "other-closed"


def _dataset_type(name: str, context) -> str | None:
    model = context["model"]
    pkg = model.Package.get(name)
    if pkg is None or pkg.state == "deleted":
        return None
    return pkg.type


def satudata_kegiatan_exists(value: Any, context) -> Any:
    if _empty(value):
        return value
    if _dataset_type(value, context) != "kegiatan-statistik":
        raise Invalid(_("Kegiatan statistik tidak ditemukan"))
    model = context["model"]
    return model.Package.get(value).name


def satudata_datasets_exist(key, data, errors, context):
    names = data.get(key)
    if _empty(names) or errors.get(key):
        data[key] = json.dumps([])
        return
    unknown = [n for n in names if _dataset_type(n, context) is None]
    if unknown:
        errors[key].append(_("Dataset tidak ditemukan: {names}").format(names=", ".join(unknown)))
        return
    data[key] = json.dumps(names)


def satudata_alias(key, data, errors, context):
    value = data.get(key)
    if _empty(value):
        return
    if not ALIAS_RE.match(value):
        errors[key].append(_("Alias hanya huruf kecil, angka dan garis bawah, diawali huruf (maks. 63)"))
        return
    prefix = key[:-2]  # ('variabel',)
    same = [k for k, v in data.items()
            if len(k) == 3 and k[:-2] == prefix and k[-1] == "alias" and v == value and k != key]
    if same and key[-2] > min(k[-2] for k in same):
        errors[key].append(_("Alias {alias} sudah dipakai variabel lain").format(alias=value))


def satudata_indicator_sources(key, data, errors, context):
    """`dibangun_dari` of an indicator names variables (alias) or indicators (nama) of the same dataset."""
    value = data.get(key)
    if _empty(value):
        return
    names = [n.strip() for n in str(value).split(",") if n.strip()]
    known = {v for k, v in data.items() if len(k) == 3 and k[0] == "variabel" and k[2] == "alias"}
    known |= {v for k, v in data.items()
              if len(k) == 3 and k[0] == "indikator" and k[2] == "nama" and k[1] != key[1]}
    unknown = [n for n in names if n not in known]
    if unknown:
        errors[key].append(_("Tidak ada variabel atau indikator bernama: {names}").format(names=", ".join(unknown)))
        return
    data[key] = ", ".join(names)


def satudata_completeness_score(key, data, errors, context):
    """Store the metadata completeness score (0-100) of the dataset being validated."""
    from ckanext.scheming.helpers import scheming_get_dataset_schema

    dataset_type = data.get(("type",)) or context.get("dataset_type") or "dataset"
    schema = scheming_get_dataset_schema(dataset_type) or {}
    plain = unflatten({k: v for k, v in data.items() if v is not missing and not (k and k[0] == "__junk")})
    invalid = {k[0] for k, v in errors.items() if v}
    by_class, by_field = config.completeness_weights()
    result = completeness.score(schema.get("dataset_fields", []), plain, by_class=by_class, by_field=by_field,
                                invalid=invalid)
    data[key] = str(result.percent)


def satudata_geojson(value: Any) -> Any:
    """A GeoJSON geometry inside Kabupaten Pasuruan's bounding box (ckanext-spatial indexes it)."""
    if _empty(value):
        return value
    try:
        geom = json.loads(value) if isinstance(value, str) else value
    except ValueError as err:
        raise Invalid(_("Bukan GeoJSON yang valid")) from err
    if not isinstance(geom, dict) or geom.get("type") not in (
            "Point", "MultiPoint", "LineString", "MultiLineString", "Polygon", "MultiPolygon"):
        raise Invalid(_("GeoJSON harus berupa geometri (Point, LineString, Polygon, atau Multi-)"))
    points = list(_positions(geom.get("coordinates")))
    if not points:
        raise Invalid(_("Geometri tidak memiliki koordinat"))
    min_lon, min_lat, max_lon, max_lat = refdata.BBOX
    outside = [p for p in points if not (min_lon <= p[0] <= max_lon and min_lat <= p[1] <= max_lat)]
    if outside:
        raise Invalid(_("Koordinat di luar Kabupaten Pasuruan (bujur {lon}, lintang {lat})").format(
            lon=outside[0][0], lat=outside[0][1]))
    return json.dumps(geom, separators=(",", ":"))


def _positions(coords: Any):
    if isinstance(coords, (list, tuple)) and coords and all(isinstance(c, (int, float)) for c in coords):
        if len(coords) < 2:
            raise Invalid(_("Koordinat harus berisi bujur dan lintang"))
        yield coords
    elif isinstance(coords, (list, tuple)):
        for c in coords:
            yield from _positions(c)
    elif coords is not None:
        raise Invalid(_("Koordinat GeoJSON tidak valid"))


def satudata_epsg(value: Any) -> Any:
    if _empty(value):
        return value
    text = value.strip().upper().replace(" ", "")
    if text.isdigit():
        text = "EPSG:" + text
    if not EPSG_RE.match(text):
        raise Invalid(_("CRS harus berbentuk EPSG:kode, mis. EPSG:4326"))
    return text


def satudata_infographic_format(value: Any) -> Any:
    if _empty(value):
        return value
    if str(value).upper() not in INFOGRAPHIC_FORMATS:
        raise Invalid(_("Infografis harus berupa gambar (PNG, JPEG, SVG, WEBP) atau PDF"))
    return value
