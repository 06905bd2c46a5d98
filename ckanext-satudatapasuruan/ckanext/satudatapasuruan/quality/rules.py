"""Metadata quality rules as data: a registry of small pure functions ``(pkg_dict, now) -> list[Finding]``.

Each rule has a code (``MQ-001``…), a severity and an Indonesian title and remedy (msgids, translated where
they are shown). A rule reads only the dataset dict (and the shipped reference data and schema), never the
database or the request, so it is tested with plain dicts. A new rule is one decorated function here and one
test in ``tests/quality/test_rules.py``. The one exception, MQ-010, reads the Kamus Data through its public
actions (:func:`kamus_entry`), and passes when the satudata_kamus plugin is not loaded.

Findings carry a msgid and its parameters, not a formatted sentence: a ticket shows them in the reader's
language. A parameter may be a ``{"id": …, "en": …}`` label (scheming's bilingual labels).
"""
from __future__ import annotations

import datetime as dt
import enum
import json
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
           "parse_timestamp", "finding_text", "kamus_entry", "kamus_history", "STANDAR_FIELDS"]


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


@dataclass(frozen=True)
class Rule:
    code: str
    severity: Severity
    title: str  # msgid
    remedy: str  # msgid: how to fix, in general
    check: Check

    def as_dict(self, translate: Callable[[str], str] = lambda s: s) -> dict[str, Any]:
        return {"code": self.code, "severity": self.severity.value, "title": translate(self.title),
                "remedy": translate(self.remedy)}


RULES: dict[str, Rule] = {}


def rule(code: str, severity: Severity, title: str, remedy: str) -> Callable[[Check], Check]:
    """Register ``check`` under ``code`` (unique)."""
    def register(check: Check) -> Check:
        if code in RULES:
            raise ValueError(f"duplicate quality rule {code}")
        RULES[code] = Rule(code, severity, title, remedy, check)
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
def schema_fields() -> tuple[dict[str, Any], ...]:
    """The dataset fields of the shipped SDI schema (``schemas/dataset.yaml``), read once."""
    text = (resources.files("ckanext.satudatapasuruan.schemas") / "dataset.yaml").read_text(encoding="utf-8")
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
      N_("Isi semua kolom wajib Satu Data Indonesia pada formulir ubah dataset."))
def mandatory_fields(pkg: Mapping[str, Any], now: dt.datetime) -> list[Finding]:
    """Fields the schema requires or marks ``completeness: wajib`` (with their required subfields)."""
    fields = schema_fields()
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
      N_("Pilih urusan pemerintahan dari daftar Permendagri 90/2019."))
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
