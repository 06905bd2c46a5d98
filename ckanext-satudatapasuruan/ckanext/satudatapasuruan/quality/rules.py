"""Metadata quality rules as data: a registry of small pure functions ``(pkg_dict, now) -> list[Finding]``.

Each rule has a code (``MQ-001``…), a severity and an Indonesian title and remedy (msgids, translated where
they are shown). A rule reads only the dataset dict (and the shipped reference data and schema), never the
database or the request, so it is tested with plain dicts. A new rule is one decorated function here and one
test in ``tests/quality/test_rules.py``. The exceptions read another plugin through its public actions and pass
when that plugin is not loaded: MQ-010 reads the Kamus Data (:func:`kamus_entry`), MQ-013 the years in the
DataStore tables (:func:`datastore_years`).

Findings carry a msgid and its parameters, not a formatted sentence: a ticket shows them in the reader's
language. A parameter may be a ``{"id": …, "en": …}`` label (scheming's bilingual labels).
"""
from __future__ import annotations

import datetime as dt
import enum
import json
import math
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any

import ckan.plugins.toolkit as tk
import yaml

from ckanext.satudatapasuruan import refdata
from ckanext.satudatapasuruan.messages import N_
from ckanext.satudatapasuruan.metadata import completeness

__all__ = ["Severity", "Finding", "Rule", "RULES", "rule", "get", "schema_fields", "NUMERIC_TYPES", "MAX_AGE",
           "parse_timestamp", "finding_text", "kamus_entry", "kamus_history", "STANDAR_FIELDS", "REGENCY_EXTENT",
           "EXTENT_TOLERANCE", "SDI_TYPES", "WITH_GEOSPASIAL", "in_regency", "geometry_positions", "year_column",
           "datastore_years"]


class Severity(str, enum.Enum):
    KRITIS = "kritis"
    TINGGI = "tinggi"
    SEDANG = "sedang"


SEVERITY_ORDER = {Severity.KRITIS: 0, Severity.TINGGI: 1, Severity.SEDANG: 2}
SEVERITY_LABELS = {Severity.KRITIS: N_("Kritis"), Severity.TINGGI: N_("Tinggi"), Severity.SEDANG: N_("Sedang")}


@dataclass(frozen=True)
class Finding:
    """One fault: the field concerned, a msgid saying what is wrong and how to fix it, and its parameters."""

    field: str
    msgid: str
    params: Mapping[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {"field": self.field, "msgid": self.msgid, "params": dict(self.params)}


Check = Callable[[Mapping[str, Any], dt.datetime], list[Finding]]

# The dataset types a rule reads by default: the SDI statistical schema (``schemas/dataset.yaml``).
SDI_TYPES = frozenset({"dataset"})
# Rules that read fields the geospatial schema shares (urusan, the resources, ``spatial``, its own mandatory
# fields) check ``geospasial`` datasets too.
WITH_GEOSPASIAL = frozenset({"dataset", "geospasial"})


@dataclass(frozen=True)
class Rule:
    code: str
    severity: Severity
    title: str  # msgid
    remedy: str  # msgid: how to fix, in general
    check: Check
    types: frozenset[str] = SDI_TYPES  # dataset types whose schema the check reads

    def applies_to(self, dataset_type: str | None) -> bool:
        return (dataset_type or "dataset") in self.types

    def as_dict(self, translate: Callable[[str], str] = lambda s: s) -> dict[str, Any]:
        return {"code": self.code, "severity": self.severity.value, "title": translate(self.title),
                "remedy": translate(self.remedy)}


RULES: dict[str, Rule] = {}


def rule(code: str, severity: Severity, title: str, remedy: str,
         types: frozenset[str] = SDI_TYPES) -> Callable[[Check], Check]:
    """Register ``check`` under ``code`` (unique), for datasets of ``types``."""
    def register(check: Check) -> Check:
        if code in RULES:
            raise ValueError(f"duplicate quality rule {code}")
        RULES[code] = Rule(code, severity, title, remedy, check, frozenset(types))
        return check
    return register


def get(code: str) -> Rule | None:
    return RULES.get(code)


def finding_text(finding: Mapping[str, Any], translate: Callable[[str], str], lang: str = "id") -> str:
    """A stored finding in the reader's language."""
    params = {}
    for key, value in (finding.get("params") or {}).items():
        if isinstance(value, Mapping):
            value = value.get("en" if lang.startswith("en") else "id") or value.get("id") or ""
        params[key] = value
    try:
        return translate(finding["msgid"]).format(**params)
    except (KeyError, IndexError, ValueError):  # a translation with a broken placeholder: the msgid itself
        return str(finding["msgid"]).format(**params)


# --- helpers (pure) ---------------------------------------------------------------------------------------

NUMERIC_TYPES = frozenset({"bilangan_bulat", "desimal"})

# How long data of each declared frequency may go without an update before it counts as stale: one period
# plus a grace (a month for monthly and longer periods, half a period for shorter ones); sewaktu-waktu never.
MAX_AGE: Mapping[str, dt.timedelta] = {
    "harian": dt.timedelta(days=2),
    "mingguan": dt.timedelta(days=10),
    "bulanan": dt.timedelta(days=45),
    "triwulanan": dt.timedelta(days=122),  # 4 months
    "semesteran": dt.timedelta(days=213),  # 7 months
    "tahunan": dt.timedelta(days=396),  # 13 months
    "dua_tahunan": dt.timedelta(days=761),  # 25 months
    "tiga_tahunan": dt.timedelta(days=1126),  # 37 months
    "lima_tahunan": dt.timedelta(days=1857),  # 61 months
}


@cache
def schema_fields(dataset_type: str = "dataset") -> tuple[dict[str, Any], ...]:
    """The dataset fields of a shipped schema (``schemas/<type>.yaml``; the SDI one by default), read once."""
    name = f"{dataset_type.replace('-', '_')}.yaml"
    text = (resources.files("ckanext.satudatapasuruan.schemas") / name).read_text(encoding="utf-8")
    return tuple(yaml.safe_load(text)["dataset_fields"])


def _text(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ("" if value is None else str(value))


def _items(value: Any) -> list[Mapping[str, Any]]:
    if isinstance(value, str) and value.strip().startswith("["):
        try:
            value = json.loads(value)
        except ValueError:
            return []
    return [v for v in value if isinstance(v, Mapping)] if isinstance(value, list) else []


def _codes(value: Any) -> list[str]:
    if isinstance(value, str):
        text = value.strip()
        if text.startswith("["):
            try:
                value = json.loads(text)
            except ValueError:
                return [text]
        else:
            return [c.strip() for c in text.split(",") if c.strip()]
    return [_text(v) for v in value if _text(v)] if isinstance(value, list) else []


def _label(field_def: Mapping[str, Any]) -> Any:
    return field_def.get("label") or field_def["field_name"]


def _date(value: Any) -> dt.date | None:
    try:
        return dt.date.fromisoformat(_text(value)[:10])
    except ValueError:
        return None


def parse_timestamp(value: Any) -> dt.datetime | None:
    """CKAN's ISO timestamps (UTC, naive), with or without microseconds."""
    try:
        stamp = dt.datetime.fromisoformat(_text(value).replace("Z", "+00:00"))
    except ValueError:
        return None
    if stamp.tzinfo is not None:
        stamp = stamp.astimezone(dt.timezone.utc).replace(tzinfo=None)
    return stamp


# --- rules ------------------------------------------------------------------------------------------------

@rule("MQ-001", Severity.KRITIS, N_("Kolom wajib SDI kosong"),
      N_("Isi semua kolom wajib Satu Data Indonesia pada formulir ubah dataset."), WITH_GEOSPASIAL)
def mandatory_fields(pkg: Mapping[str, Any], now: dt.datetime) -> list[Finding]:
    """Fields the dataset's schema requires or marks ``completeness: wajib`` (with their required subfields)."""
    fields = schema_fields(pkg.get("type") or "dataset")
    missing = completeness.score(fields, pkg, by_class={"wajib": 1}, by_field={}).missing
    names = {f["field_name"] for f in missing}
    for f in fields:
        if f.get("required") and f["field_name"] not in names and not _text(pkg.get(f["field_name"])):
            missing += (f,)
            names.add(f["field_name"])
    order = [f["field_name"] for f in fields]
    return [Finding(f["field_name"], N_("Kolom wajib \u201c{label}\u201d belum diisi (atau ada entri yang belum "
                                        "lengkap): lengkapi pada formulir ubah dataset."), {"label": _label(f)})
            for f in sorted(missing, key=lambda f: order.index(f["field_name"]))]


def _vocabulary_findings(pkg: Mapping[str, Any], vocab: str, field_name: str, msgid: str) -> list[Finding]:
    value = _text(pkg.get(field_name))
    if value and refdata.lookup(vocab, value) is None:
        return [Finding(field_name, msgid, {"value": value})]
    return []


@rule("MQ-002", Severity.TINGGI, N_("Urusan pemerintahan tidak dikenal"),
      N_("Pilih urusan pemerintahan dari daftar Permendagri 90/2019."), WITH_GEOSPASIAL)
def urusan_known(pkg: Mapping[str, Any], now: dt.datetime) -> list[Finding]:
    return _vocabulary_findings(pkg, "urusan", "urusan", N_(
        "Kode urusan \u201c{value}\u201d tidak ada dalam daftar Permendagri 90/2019: pilih urusan dari daftar."))


@rule("MQ-003", Severity.TINGGI, N_("Frekuensi tidak dikenal"),
      N_("Pilih frekuensi dari daftar baku (harian … sewaktu-waktu)."))
def frekuensi_known(pkg: Mapping[str, Any], now: dt.datetime) -> list[Finding]:
    return _vocabulary_findings(pkg, "frekuensi", "frekuensi", N_(
        "Frekuensi \u201c{value}\u201d tidak dikenal: pilih frekuensi dari daftar baku."))


@rule("MQ-004", Severity.TINGGI, N_("Satuan tidak dikenal"),
      N_("Pilih satuan dari daftar satuan baku untuk dataset, setiap variabel dan indikator."))
def satuan_known(pkg: Mapping[str, Any], now: dt.datetime) -> list[Finding]:
    found = _vocabulary_findings(pkg, "satuan", "satuan", N_(
        "Satuan dataset \u201c{value}\u201d tidak dikenal: pilih satuan dari daftar baku."))
    for group, key, msgid in (
            ("variabel", "alias", N_("Satuan \u201c{value}\u201d pada variabel \u201c{name}\u201d tidak dikenal: "
                                     "pilih satuan dari daftar baku.")),
            ("indikator", "nama", N_("Satuan \u201c{value}\u201d pada indikator \u201c{name}\u201d tidak dikenal: "
                                     "pilih satuan dari daftar baku."))):
        for item in _items(pkg.get(group)):
            value = _text(item.get("satuan"))
            if value and refdata.lookup("satuan", value) is None:
                found.append(Finding(group, msgid, {"value": value, "name": _text(item.get(key))}))
    return found


@rule("MQ-005", Severity.TINGGI, N_("Kode wilayah tidak sah"),
      N_("Gunakan kode wilayah Kemendagri Kabupaten Pasuruan (35.14, kecamatan 35.14.NN, desa 35.14.NN.NNNN)."))
def kode_wilayah_valid(pkg: Mapping[str, Any], now: dt.datetime) -> list[Finding]:
    wrong = [c for c in _codes(pkg.get("kode_wilayah")) if refdata.lookup("wilayah", c) is None]
    if not wrong:
        return []
    return [Finding("kode_wilayah", N_("Kode wilayah bukan kode Kemendagri Kabupaten Pasuruan: {codes}. Pilih "
                                       "kecamatan atau desa dari daftar wilayah."), {"codes": ", ".join(wrong)})]


@rule("MQ-006", Severity.SEDANG, N_("Ukuran tanpa satuan"),
      N_("Isi satuan setiap variabel bertipe angka (MS-Var)."))
def numeric_variable_unit(pkg: Mapping[str, Any], now: dt.datetime) -> list[Finding]:
    return [Finding("variabel", N_("Variabel angka \u201c{name}\u201d belum bersatuan: isi satuannya pada bagian "
                                   "Variabel (MS-Var)."), {"name": _text(v.get("nama")) or _text(v.get("alias"))})
            for v in _items(pkg.get("variabel"))
            if _text(v.get("tipe_data")) in NUMERIC_TYPES and not _text(v.get("satuan"))]


@rule("MQ-007", Severity.TINGGI, N_("Periode data tidak konsisten"),
      N_("Pastikan awal periode tidak sesudah akhir periode dan tahun data berada di dalam periode."))
def period_consistent(pkg: Mapping[str, Any], now: dt.datetime) -> list[Finding]:
    start, end = _date(pkg.get("periode_awal")), _date(pkg.get("periode_akhir"))
    found = []
    if start and end and start > end:
        found.append(Finding("periode_awal", N_("Awal periode {start} sesudah akhir periode {end}: perbaiki "
                                                "tanggalnya."), {"start": start.isoformat(), "end": end.isoformat()}))
    year_text = _text(pkg.get("tahun"))
    year = int(year_text) if year_text.isdigit() else None
    if year is not None and ((start and year < start.year) or (end and year > end.year)):
        found.append(Finding("tahun", N_("Tahun data {year} di luar periode {start} s.d. {end}: sesuaikan tahun "
                                         "atau periodenya."),
                             {"year": year, "start": start.isoformat() if start else "…",
                              "end": end.isoformat() if end else "…"}))
    return found


@rule("MQ-008", Severity.SEDANG, N_("Data tidak diperbarui sesuai frekuensi"),
      N_("Perbarui data (atau metadatanya) sesuai frekuensi yang dinyatakan, atau ubah frekuensinya."))
def fresh_for_frequency(pkg: Mapping[str, Any], now: dt.datetime) -> list[Finding]:
    allowed = MAX_AGE.get(_text(pkg.get("frekuensi")))
    modified = parse_timestamp(pkg.get("metadata_modified"))
    if allowed is None or modified is None or now - modified <= allowed:
        return []
    return [Finding("metadata_modified", N_("Terakhir diperbarui {date} ({days} hari lalu), melewati batas {limit} "
                                            "hari untuk frekuensi {frequency}: perbarui datanya."),
                    {"date": modified.date().isoformat(), "days": (now - modified).days, "limit": allowed.days,
                     "frequency": _text(pkg.get("frekuensi"))})]


@rule("MQ-009", Severity.SEDANG, N_("Indikator merujuk variabel yang tidak ada"),
      N_("Perbaiki isian \u201cdibangun dari\u201d setiap indikator (MS-Ind) agar menyebut alias variabel atau "
         "nama indikator yang ada."))
def indicator_sources_exist(pkg: Mapping[str, Any], now: dt.datetime) -> list[Finding]:
    indicators = _items(pkg.get("indikator"))
    known = {_text(v.get("alias")) for v in _items(pkg.get("variabel"))} | {_text(i.get("nama")) for i in indicators}
    found = []
    for item in indicators:
        unknown = [n for n in _codes(_text(item.get("dibangun_dari"))) if n not in known]
        if unknown:
            found.append(Finding("indikator", N_("Indikator \u201c{name}\u201d dibangun dari {names}, yang bukan "
                                                 "variabel atau indikator dataset ini: perbaiki rujukannya."),
                                 {"name": _text(item.get("nama")), "names": ", ".join(unknown)}))
    return found


# --- the Kamus Data (satudata_kamus), read through its actions ---------------------------------------------

STANDAR_FIELDS = ("konsep", "definisi", "klasifikasi", "ukuran", "satuan")


def _kamus(action: str, kode: str) -> Any:
    try:
        read = tk.get_action(action)
    except KeyError:  # satudata_kamus is not loaded: there is no kamus to compare with
        return None
    try:
        return read({"ignore_auth": True}, {"kode": kode})
    except (tk.ObjectNotFound, tk.ValidationError):
        return None


def kamus_entry(kode: str) -> Mapping[str, Any] | None:
    """The current Kamus Data entry of ``kode``; None without the kamus plugin or without such an entry."""
    return _kamus("satudata_kamus_entry_show", kode)


def kamus_history(kode: str) -> list[Mapping[str, Any]]:
    """Every version of the entry, newest first; empty without the kamus plugin."""
    return _kamus("satudata_kamus_entry_history", kode) or []


def _plain(value: Any) -> str:
    return " ".join(_text(value).split()).casefold()


def _short(value: Any, limit: int = 160) -> str:
    text = _text(value)
    return text if len(text) <= limit else text[:limit - 1].rstrip() + "\u2026"


@rule("MQ-010", Severity.TINGGI, N_("Standar data berbeda dari Kamus Data"),
      N_("Samakan konsep, definisi, klasifikasi, ukuran dan satuan dengan entri Kamus Data kode standar datanya: "
         "pilih ulang entri itu pada formulir (asal standar data: kamus) atau ubah kodenya."))
def standar_matches_kamus(pkg: Mapping[str, Any], now: dt.datetime) -> list[Finding]:
    """Filled standar fields that differ (beyond spacing and case) from the kamus entry of the dataset's kode;
    a dataset still carrying an older version of the entry is told which; a retired entry is named."""
    kode = _text(pkg.get("kode_standar_data")).upper()
    entry = kamus_entry(kode) if kode else None
    if entry is None:
        return []
    found = []
    if entry.get("state") == "pensiun":
        found.append(Finding("kode_standar_data", N_("Entri Kamus Data {kode} sudah dipensiunkan: pilih kode "
                                                     "standar data yang berlaku."), {"kode": kode}))
    filled = [n for n in STANDAR_FIELDS if _text(pkg.get(n))]
    differing = [n for n in filled if _plain(pkg.get(n)) != _plain(entry.get(n))]
    if not differing:
        return found
    older = next((v["version"] for v in kamus_history(kode) if v["version"] < entry["version"]
                  and all(_plain(pkg.get(n)) == _plain(v.get(n)) for n in filled)), None)
    if older is not None:
        return found + [Finding("kode_standar_data", N_(
            "Standar data dataset ini mengikuti versi {old} entri Kamus Data {kode}; versi terkini {version}: pilih "
            "ulang entrinya untuk memakai versi terkini."), {"kode": kode, "old": older, "version": entry["version"]})]
    labels = {f["field_name"]: _label(f) for f in schema_fields()}
    return found + [Finding(n, N_("{label} berbeda dari Kamus Data {kode} versi {version}: dataset "
                                  "\u201c{value}\u201d, kamus \u201c{expected}\u201d."),
                            {"label": labels.get(n, n), "kode": kode, "version": entry["version"],
                             "value": _short(pkg.get(n)), "expected": _short(entry.get(n))})
                    for n in differing]


# --- the spatial extent (ckanext-spatial's ``spatial`` GeoJSON geometry) ----------------------------------

# Kabupaten Pasuruan's extent, WGS84 (min_lon, min_lat, max_lon, max_lat): 112°33'55"–113°05'37" BT and
# 7°32'34"–7°57'20" LS, the geography of the regency's own profile (Pemkab Pasuruan / BPS "Kabupaten Pasuruan
# Dalam Angka"; quoted e.g. in "Kabupaten Pasuruan Selayang Pandang", nekatmbolang.blogspot.com, 2008). The
# variant "113°30'37" / 8°30'20"" found in other copies, and the round 112°30'–113°30' E, 7°30'–8°30' S of
# ``refdata.BBOX`` (the metadata validator's coarse box, DOMAIN.md), reach into Probolinggo, Lumajang and
# Malang's south coast; every coordinate in the repository's fixtures lies inside this one. A box cannot tell
# Kota Pasuruan (35.75, an enclave on the coast) from the regency: the rule catches coordinates far off.
REGENCY_EXTENT = (112.5653, -7.9556, 113.0936, -7.5428)
# Degrees (~2.2 km): an extent drawn around a layer (a WMS bounding box) overruns the border a little.
EXTENT_TOLERANCE = 0.02

# How deep each geometry type nests its positions (RFC 7946 §3.1).
GEOMETRY_DEPTH: Mapping[str, int] = {"Point": 0, "MultiPoint": 1, "LineString": 1, "MultiLineString": 2,
                                     "Polygon": 2, "MultiPolygon": 3}


class _BadGeometry(ValueError):
    def __init__(self, msgid: str, **params: Any) -> None:
        super().__init__(msgid)
        self.msgid = msgid
        self.params = params


BAD_COORDINATES = N_("Koordinat cakupan spasial (GeoJSON {kind}) tidak valid: setiap titik harus [bujur, lintang] "
                     "dalam derajat desimal (EPSG:4326), bersarang sesuai jenis geometrinya, mis. Point "
                     "[112.78, -7.60], Polygon [[[bujur, lintang], …]].")
BAD_SHAPE = N_("Cakupan spasial (GeoJSON {kind}) tidak valid: garis perlu sedikitnya 2 titik, dan setiap cincin "
               "poligon sedikitnya 4 titik dengan titik terakhir sama dengan titik pertama; perbaiki geometrinya.")


def in_regency(lon: float, lat: float, tolerance: float = EXTENT_TOLERANCE) -> bool:
    """Whether a WGS84 position lies in Kabupaten Pasuruan's extent, give or take ``tolerance`` degrees."""
    min_lon, min_lat, max_lon, max_lat = REGENCY_EXTENT
    return (min_lon - tolerance <= lon <= max_lon + tolerance) and (min_lat - tolerance <= lat <= max_lat + tolerance)


def _position(value: Any, kind: str) -> tuple[float, float]:
    if (not isinstance(value, list) or len(value) < 2
            or not all(isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v) for v in value)):
        raise _BadGeometry(BAD_COORDINATES, kind=kind)
    return float(value[0]), float(value[1])


def _positions(coords: Any, depth: int, kind: str) -> list[tuple[float, float]]:
    if depth == 0:
        return [_position(coords, kind)]
    if not isinstance(coords, list) or not coords:
        raise _BadGeometry(BAD_COORDINATES, kind=kind)
    return [p for c in coords for p in _positions(c, depth - 1, kind)]


def _check_shape(kind: str, coords: list[Any]) -> None:
    lines = [coords] if kind == "LineString" else coords if kind == "MultiLineString" else []
    rings = coords if kind == "Polygon" else [r for poly in coords for r in poly] if kind == "MultiPolygon" else []
    if any(len(line) < 2 for line in lines) or any(len(r) < 4 or r[0] != r[-1] for r in rings):
        raise _BadGeometry(BAD_SHAPE, kind=kind)


def _spatial(pkg: Mapping[str, Any]) -> Any:
    """The ``spatial`` field, or the ``spatial`` extra of a dataset without a scheming field for it."""
    value = pkg.get("spatial")
    if value in (None, ""):
        value = next((e.get("value") for e in pkg.get("extras") or []
                      if isinstance(e, Mapping) and e.get("key") == "spatial"), None)
    return value


def geometry_positions(value: Any) -> list[tuple[float, float]]:
    """Every (lon, lat) of a GeoJSON geometry (a JSON text or a dict); raises _BadGeometry with a msgid."""
    try:
        geom = json.loads(value) if isinstance(value, str) else value
    except ValueError as err:
        raise _BadGeometry(N_("Cakupan spasial bukan GeoJSON yang valid (teksnya bukan JSON): tempelkan satu "
                              "geometri GeoJSON, mis. {{\"type\": \"Point\", \"coordinates\": [112.78, -7.60]}}."
                              )) from err
    kind = _text(geom.get("type")) if isinstance(geom, Mapping) else ""
    if kind not in GEOMETRY_DEPTH:
        raise _BadGeometry(N_("Cakupan spasial berjenis \u201c{kind}\u201d, bukan geometri GeoJSON: isi satu geometri "
                              "(Point, LineString, Polygon, MultiPoint, MultiLineString atau MultiPolygon), bukan "
                              "Feature atau FeatureCollection."), kind=kind or type(geom).__name__)
    coords = geom.get("coordinates")
    points = _positions(coords, GEOMETRY_DEPTH[kind], kind)
    _check_shape(kind, coords)
    return points


def _degrees(value: float) -> str:
    return f"{value:.6f}".rstrip("0").rstrip(".")


@rule("MQ-012", Severity.TINGGI, N_("Koordinat di luar wilayah Kabupaten Pasuruan"),
      N_("Isi cakupan spasial dengan geometri GeoJSON (EPSG:4326, [bujur, lintang]) yang seluruh titiknya berada di "
         "wilayah Kabupaten Pasuruan."), WITH_GEOSPASIAL)
def spatial_inside_regency(pkg: Mapping[str, Any], now: dt.datetime) -> list[Finding]:
    """Every position of the ``spatial`` geometry inside the regency's extent (with a small tolerance); an
    outside geometry that would lie inside with latitude and longitude exchanged is named as swapped; a value
    that is no GeoJSON geometry is a finding too (ckanext-spatial cannot index it)."""
    value = _spatial(pkg)
    if value is None or (isinstance(value, str) and not value.strip()):
        return []
    try:
        points = geometry_positions(value)
    except _BadGeometry as err:
        return [Finding("spatial", err.msgid, err.params)]
    outside = [p for p in dict.fromkeys(points) if not in_regency(*p)]  # a ring's closing point once
    if not outside:
        return []
    lon, lat = outside[0]
    if all(in_regency(b, a) for a, b in outside):
        return [Finding("spatial", N_(
            "Koordinat cakupan spasial berada di luar Kabupaten Pasuruan; tampaknya lintang dan bujur tertukar "
            "(mis. [{first}, {second}]): GeoJSON menulis [bujur, lintang], mis. [112.78, -7.60], tukar "
            "urutannya."), {"first": _degrees(lon), "second": _degrees(lat)})]
    min_lon, min_lat, max_lon, max_lat = REGENCY_EXTENT
    return [Finding("spatial", N_(
        "Cakupan spasial memuat {count} titik di luar wilayah Kabupaten Pasuruan (bujur {min_lon}\u2013{max_lon}, "
        "lintang {min_lat}\u2013{max_lat}), mis. bujur {lon}, lintang {lat}: perbaiki geometrinya dan pastikan "
        "koordinatnya EPSG:4326 (derajat desimal)."),
        {"count": len(outside), "lon": _degrees(lon), "lat": _degrees(lat), "min_lon": _degrees(min_lon),
         "max_lon": _degrees(max_lon), "min_lat": _degrees(min_lat), "max_lat": _degrees(max_lat)})]


# --- the years in the DataStore tables, read through datastore_search -------------------------------------

# Variables whose alias marks them as the data's year even when typed otherwise (the template's usual header).
YEAR_ALIASES = frozenset({"tahun"})
# Distinct years read per table: far more than any real series, small enough for one page.
MAX_YEARS = 1000
_YEAR_RE = re.compile(r"^\s*(\d{4})(?!\d)")
# One read per (resource, column) per scan: a scan evaluates every rule with one ``now``, so the cache is keyed
# by it and emptied when the next scan starts.
_years_cache: dict[str, Any] = {"now": None, "years": {}}


def year_column(pkg: Mapping[str, Any]) -> str | None:
    """The alias of the dataset's year variable: MS-Var ``tipe_data: tahun`` first, else alias ``tahun``."""
    variables = _items(pkg.get("variabel"))
    typed = [v for v in variables if _text(v.get("tipe_data")) == "tahun"]
    named = [v for v in variables if _text(v.get("alias")).lower() in YEAR_ALIASES]
    return next((_text(v.get("alias")) for v in typed + named if _text(v.get("alias"))), None)


def _year(value: Any) -> int | None:
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, (dt.date, dt.datetime)):
        return value.year
    if isinstance(value, (int, float)) and math.isfinite(value) and float(value).is_integer():
        return int(value) if 1000 <= value <= 9999 else None
    match = _YEAR_RE.match(str(value))
    return int(match.group(1)) if match else None


def _read_years(resource_id: str, column: str) -> tuple[int, ...] | None:
    try:
        search = tk.get_action("datastore_search")
    except KeyError:  # the DataStore plugin is not enabled: no table to compare with
        return None
    site_user = tk.get_action("get_site_user")({"ignore_auth": True}, {})["name"]
    try:
        result = search({"user": site_user, "ignore_auth": True},
                        {"resource_id": resource_id, "fields": [column], "distinct": True, "sort": column,
                         "limit": MAX_YEARS, "include_total": False})
    except (tk.ObjectNotFound, tk.ValidationError):  # no table, or a table without that column
        return None
    years = {_year(record.get(column)) for record in result.get("records") or []}
    return tuple(sorted(y for y in years if y is not None))


def datastore_years(resource_id: str, column: str, now: dt.datetime | None = None) -> tuple[int, ...] | None:
    """The distinct years in ``column`` of the resource's DataStore table (one ``datastore_search`` as the site
    user, remembered for the scan of ``now``); None without the DataStore plugin, the table or the column."""
    if now is None:
        return _read_years(resource_id, column)
    if _years_cache["now"] != now:
        _years_cache["now"], _years_cache["years"] = now, {}
    cached = _years_cache["years"]
    if (resource_id, column) not in cached:
        cached[resource_id, column] = _read_years(resource_id, column)
    return cached[resource_id, column]


def _metadata_years(pkg: Mapping[str, Any]) -> tuple[int | None, int | None] | None:
    """(first, last) year of the metadata period: ``periode_awal``/``periode_akhir``, an empty end standing for
    ``tahun``; None without any, or when the period contradicts itself (MQ-007 reports that)."""
    start, end = _date(pkg.get("periode_awal")), _date(pkg.get("periode_akhir"))
    year_text = _text(pkg.get("tahun"))
    year = int(year_text) if year_text.isdigit() else None
    low = start.year if start else year
    high = end.year if end else year
    if low is None and high is None:
        return None
    if low is not None and high is not None and low > high:
        return None
    return low, high


def _period_text(low: int | None, high: int | None) -> str:
    if low == high:
        return str(low)
    ends = ["\u2026" if y is None else str(y) for y in (low, high)]
    return "\u2013".join(ends)


def _years_text(years: list[int], limit: int = 10) -> str:
    return ", ".join(str(y) for y in years[:limit]) + (", \u2026" if len(years) > limit else "")


@rule("MQ-013", Severity.TINGGI, N_("Periode metadata tidak sesuai data"),
      N_("Samakan periode metadata (tahun data, awal dan akhir periode) dengan tahun-tahun yang dimuat tabel "
         "DataStore-nya, atau perbaiki datanya."))
def period_matches_data(pkg: Mapping[str, Any], now: dt.datetime) -> list[Finding]:
    """The years in the year column of each DataStore table of the dataset lie within the metadata period
    (one read per table); passes without the DataStore plugin, a table, a year variable or a period."""
    column = year_column(pkg)
    bounds = _metadata_years(pkg) if column else None
    if bounds is None:
        return []
    low, high = bounds
    found = []
    for res in pkg.get("resources") or []:
        if not isinstance(res, Mapping) or not res.get("id") or not tk.asbool(res.get("datastore_active")):
            continue
        years = datastore_years(res["id"], column, now) or ()
        outside = [y for y in years if (low is not None and y < low) or (high is not None and y > high)]
        if outside:
            found.append(Finding("tahun", N_(
                "Data pada tabel {resource} memuat tahun {years} di luar periode metadata {periode}; perbaiki "
                "periode atau datanya."),
                {"resource": _text(res.get("name")) or res["id"], "years": _years_text(outside),
                 "periode": _period_text(low, high)}))
    return found
