"""`ckan satudata-refdata`: inspect the reference lists and rebuild wilayah.csv from idn-area-data."""
from __future__ import annotations

import csv
import os
import stat
import tempfile
from collections import Counter
from collections.abc import Callable, Iterable
from importlib import resources
from pathlib import Path

import click

from . import REGENCY_CODE, VOCABULARIES, clear_cache, entries, normalize_wilayah_code

__all__ = ["satudata_refdata"]

WILAYAH_COLUMNS = ("kode", "nama", "tingkat", "induk", "jenis")
DISTRICT_COLUMNS = ("code", "regency_code", "name")
VILLAGE_COLUMNS = ("code", "district_code", "name")
REGENCY_COLUMNS = ("code", "name")
# Kemendagri's 4-digit village code starts with 1 for a kelurahan and 2 for a desa.
_JENIS = {"1": "kelurahan", "2": "desa"}

_InputPath = click.Path(exists=True, dir_okay=False, readable=True, path_type=Path)


def _default_output() -> Path:
    return Path(str(resources.files("ckanext.satudatapasuruan.refdata") / "data" / "wilayah.csv"))


@click.group(name="satudata-refdata", short_help="Data referensi: wilayah, urusan, frekuensi, satuan")
def satudata_refdata():
    """Inspect and update the shipped reference lists."""


def _read_csv(path: Path, required: Iterable[str]) -> list[dict[str, str]]:
    # utf-8-sig: a file re-saved by a spreadsheet starts with a BOM that would hide the first column name.
    with path.open(encoding="utf-8-sig", newline="") as fh:
        reader = csv.DictReader(fh)
        missing = [c for c in required if c not in (reader.fieldnames or [])]
        if missing:
            raise click.ClickException(
                f"Berkas {path} tidak memiliki kolom wajib: {', '.join(missing)}. wilayah.csv tidak diubah."
            )
        return [{k: (v or "").strip() for k, v in row.items() if k} for row in reader]


def _clean_name(name: str) -> str:
    name = " ".join(name.split())
    # Older idn-area-data releases write regency names in capitals; the list keeps Title Case throughout.
    return name.title() if name.isupper() else name


def _levels(code: str) -> int:
    return code.count(".") + 1


def _refuse(message: str) -> click.ClickException:
    return click.ClickException(f"{message} wilayah.csv tidak diubah.")


def _regency_name(regency: str, regencies: Path | None, old: list[dict[str, str]]) -> str:
    if regencies is not None:
        for row in _read_csv(regencies, REGENCY_COLUMNS):
            if row["code"] == regency and row["name"]:
                return _clean_name(row["name"])
        raise _refuse(f"Kabupaten {regency} tidak ada di {regencies}.")
    for row in old:
        if row.get("kode") == regency and row.get("nama"):
            return row["nama"]
    raise _refuse(f"Nama kabupaten {regency} tidak diketahui; berikan --regencies (regencies.csv).")


def build_wilayah(regency: str, districts: list[dict[str, str]], villages: list[dict[str, str]],
                  regency_name: Callable[[], str]) -> list[dict[str, str]]:
    """Rows of wilayah.csv for one regency, or a ClickException saying why the input cannot be used.

    `regency_name` is asked only once the input has proved usable, so a wrong file is reported as such.
    """
    kec: dict[str, str] = {}
    for row in districts:
        if row["regency_code"] != regency:
            continue
        code = row["code"]
        if normalize_wilayah_code(code) != code or _levels(code) != 3 or not code.startswith(regency + "."):
            raise _refuse(f"Kode kecamatan tidak valid: {code!r}.")
        if code in kec:
            raise _refuse(f"Kode kecamatan ganda: {code}.")
        if not row["name"]:
            raise _refuse(f"Kecamatan {code} tidak bernama.")
        kec[code] = _clean_name(row["name"])
    if not kec:
        raise _refuse(f"Tidak ada kecamatan untuk kabupaten {regency} di berkas districts.")

    des: dict[str, tuple[str, str]] = {}
    for row in villages:
        parent = row["district_code"]
        if parent not in kec:
            continue
        code = row["code"]
        if normalize_wilayah_code(code) != code or _levels(code) != 4 or not code.startswith(parent + "."):
            raise _refuse(f"Kode desa/kelurahan tidak valid: {code!r}.")
        if code in des:
            raise _refuse(f"Kode desa/kelurahan ganda: {code}.")
        if not row["name"]:
            raise _refuse(f"Desa/kelurahan {code} tidak bernama.")
        des[code] = (_clean_name(row["name"]), parent)
    if not des:
        raise _refuse(f"Tidak ada desa/kelurahan untuk kabupaten {regency} di berkas villages.")

    rows = [{"kode": regency, "nama": regency_name(), "tingkat": "kabupaten", "induk": "", "jenis": ""}]
    rows += [{"kode": c, "nama": kec[c], "tingkat": "kecamatan", "induk": regency, "jenis": ""} for c in sorted(kec)]
    rows += [
        {"kode": c, "nama": des[c][0], "tingkat": "desa", "induk": des[c][1], "jenis": _JENIS.get(c[-4], "")}
        for c in sorted(des)
    ]
    return rows


def _write_atomic(path: Path, rows: list[dict[str, str]]) -> None:
    # Write beside the target and rename, so a reader never sees a half-written file.
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
            writer = csv.DictWriter(fh, fieldnames=WILAYAH_COLUMNS, lineterminator="\n")
            writer.writeheader()
            writer.writerows(rows)
            fh.flush()
            os.fsync(fh.fileno())
        # mkstemp creates the file 0600; keep the old file's mode so the web server can still read it.
        mode = stat.S_IMODE(path.stat().st_mode) if path.exists() else 0o644
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _read_existing(path: Path) -> list[dict[str, str]]:
    if not path.exists():
        return []
    with path.open(encoding="utf-8", newline="") as fh:
        return [{k: (v or "").strip() for k, v in row.items() if k} for row in csv.DictReader(fh)]


@satudata_refdata.command("update-wilayah")
@click.option("--districts", type=_InputPath, required=True, help="districts.csv dari idn-area-data.")
@click.option("--villages", type=_InputPath, required=True, help="villages.csv dari idn-area-data.")
@click.option("--regency", default=REGENCY_CODE, show_default=True, help="Kode kabupaten/kota (Kemendagri).")
@click.option("--regencies", type=_InputPath, default=None,
              help="regencies.csv dari idn-area-data; tanpa ini nama kabupaten diambil dari berkas lama.")
@click.option("--output", type=click.Path(dir_okay=False, writable=True, path_type=Path), default=None,
              help="Berkas tujuan (default: wilayah.csv di dalam paket).")
@click.option("--dry-run", is_flag=True, help="Tampilkan perubahan tanpa menulis berkas.")
def update_wilayah(districts: Path, villages: Path, regency: str, regencies: Path | None,
                   output: Path | None, dry_run: bool):
    """Rebuild wilayah.csv from newer idn-area-data CSV files and show what changed."""
    code = normalize_wilayah_code(regency)
    if code is None or _levels(code) != 2:
        raise _refuse(f"Kode kabupaten tidak valid: {regency!r} (contoh: 35.14).")
    output = output or _default_output()
    district_rows = _read_csv(districts, DISTRICT_COLUMNS)
    village_rows = _read_csv(villages, VILLAGE_COLUMNS)
    old = _read_existing(output)
    rows = build_wilayah(code, district_rows, village_rows, lambda: _regency_name(code, regencies, old))

    levels = Counter(r["tingkat"] for r in rows)
    jenis = Counter(r["jenis"] for r in rows if r["tingkat"] == "desa")
    click.echo(f"{rows[0]['nama']} ({code}): {levels['kecamatan']} kecamatan, {levels['desa']} desa/kelurahan "
               f"({jenis['desa']} desa, {jenis['kelurahan']} kelurahan).")

    before = {r["kode"]: r.get("nama", "") for r in old if r.get("kode")}
    after = {r["kode"]: r["nama"] for r in rows}
    added = sorted(after.keys() - before.keys())
    removed = sorted(before.keys() - after.keys())
    renamed = sorted(c for c in after.keys() & before.keys() if after[c] != before[c])
    click.echo(f"Perubahan: {len(added)} ditambah, {len(removed)} dihapus, {len(renamed)} berganti nama.")
    for c in added:
        click.echo(f"  + {c} {after[c]}")
    for c in removed:
        click.echo(f"  - {c} {before[c]}")
    for c in renamed:
        click.echo(f"  ~ {c} {before[c]} -> {after[c]}")

    if dry_run:
        click.echo("Uji coba: berkas tidak ditulis.")
        return
    _write_atomic(output, rows)
    clear_cache()
    click.echo(f"Ditulis: {output}")


@satudata_refdata.command()
def show():
    """Print how many entries each reference list holds."""
    for vocab in VOCABULARIES:
        rows = entries(vocab)
        levels = Counter(e.level for e in rows if e.level)
        detail = ", ".join(f"{level} {n}" for level, n in levels.items())
        click.echo(f"{vocab}: {len(rows)} entri" + (f" ({detail})" if detail else ""))
