#!/usr/bin/env python
"""Upload-validation benchmark (``ckanext.satudatapasuruan.entry.validation``), no database.

    .venv/bin/python bench/upload_validate.py [--rows 100000] [--dir /tmp/satudata-bench-upload] [--fresh]

1. Generates (once, reused unless --fresh) a 12-column table of N rows with mixed types (region code, year,
   date, integers, decimals, text, category, latitude/longitude, yes/no, an optional text column) as
   * ``excel.xlsx``: shared strings and a dimension, the way Excel and LibreOffice save;
   * ``openpyxl.xlsx``: openpyxl's write-only output (inline strings), as pandas/OPD applications export;
   * ``excel.csv``: semicolon-separated, decimal comma, DD/MM/YYYY dates, as Indonesian Excel exports.
2. Validates each file in a fresh child process (so the peak RSS is validation's alone), consuming the typed
   rows as a loader would, and prints rows/s, wall and CPU seconds and peak RSS (``resource.getrusage``),
   plus the RSS of a child that only imports the module (the floor) and the CPU time of a fixed pure-Python
   loop, to compare machines.

Nothing is written to bench/results; timings are single-core and sensitive to other load on the machine.
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import resource
import subprocess
import sys
import time
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

SEED = 42
KECAMATAN = [f"35.14.{n:02d}" for n in range(1, 25)]
VARIABLES = [
    {"alias": "kode_wilayah", "nama": "Kode Wilayah", "tipe_data": "kode_wilayah", "wajib": "true", "kunci": "true"},
    {"alias": "tahun", "nama": "Tahun", "tipe_data": "tahun", "wajib": "true", "kunci": "true"},
    {"alias": "tanggal_catat", "nama": "Tanggal Pencatatan", "tipe_data": "tanggal", "wajib": "true"},
    {"alias": "no_urut", "nama": "Nomor Urut", "tipe_data": "bilangan_bulat", "kunci": "true", "nilai_min": "1"},
    {"alias": "jumlah_penduduk", "nama": "Jumlah Penduduk", "tipe_data": "bilangan_bulat", "satuan": "orang",
     "wajib": "true", "nilai_min": "0"},
    {"alias": "luas_lahan", "nama": "Luas Lahan", "tipe_data": "desimal", "satuan": "hektare", "nilai_min": "0"},
    {"alias": "nama_fasilitas", "nama": "Nama Fasilitas", "tipe_data": "teks", "wajib": "true"},
    {"alias": "jenis_kelamin", "nama": "Jenis Kelamin", "tipe_data": "kategori",
     "klasifikasi_isian": "L=Laki-laki\nP=Perempuan"},
    {"alias": "lintang", "nama": "Lintang", "tipe_data": "lintang"},
    {"alias": "bujur", "nama": "Bujur", "tipe_data": "bujur"},
    {"alias": "aktif", "nama": "Aktif", "tipe_data": "ya_tidak"},
    {"alias": "keterangan", "nama": "Keterangan", "tipe_data": "teks"},
]
HEADER = [v["alias"] for v in VARIABLES]


def generate_rows(count: int):
    rnd = random.Random(SEED)
    start = dt.date(2024, 1, 1)
    for i in range(count):
        yield [
            rnd.choice(KECAMATAN),
            2024,
            start + dt.timedelta(days=i % 366),
            i + 1,
            rnd.randint(0, 250_000),
            round(rnd.uniform(0, 5000), 2),
            f"Fasilitas {rnd.choice(['Sehat', 'Makmur', 'Sejahtera', 'Mandiri'])} {i}",
            rnd.choice("LP"),
            round(rnd.uniform(-8.2, -7.55), 6),
            round(rnd.uniform(112.6, 113.1), 6),
            rnd.choice(["ya", "tidak"]),
            rnd.choice(["", "", "", "catatan lapangan", "perlu verifikasi ulang"]),
        ]


def write_csv(path: Path, count: int) -> None:
    with path.open("w", encoding="utf-8-sig", newline="") as fh:
        fh.write(";".join(HEADER) + "\r\n")
        for row in generate_rows(count):
            row[2] = row[2].strftime("%d/%m/%Y")
            row[5] = str(row[5]).replace(".", ",")
            row[8] = str(row[8]).replace(".", ",")
            row[9] = str(row[9]).replace(".", ",")
            fh.write(";".join(str(v) for v in row) + "\r\n")


def write_openpyxl(path: Path, count: int) -> None:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Data")
    sheet.append(HEADER)
    for row in generate_rows(count):
        sheet.append(row)
    workbook.save(path)


def _column(index: int) -> str:
    letters = ""
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def write_excel_style(path: Path, count: int) -> None:
    """A minimal workbook laid out as Excel saves it: shared strings, a dimension, a date style (numFmt 14)."""
    strings: dict[str, int] = {}
    epoch = dt.date(1899, 12, 30)

    def cell(ref: str, value) -> str:
        if isinstance(value, str):
            if value == "":
                return ""
            index = strings.setdefault(value, len(strings))
            return f'<c r="{ref}" t="s"><v>{index}</v></c>'
        if isinstance(value, dt.date):
            return f'<c r="{ref}" s="1"><v>{(value - epoch).days}</v></c>'
        return f'<c r="{ref}"><v>{value!r}</v></c>'

    ns = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
    rel_ns = 'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        with archive.open("xl/worksheets/sheet1.xml", "w") as sheet:
            last = f"{_column(len(HEADER))}{count + 1}"
            sheet.write(f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet {ns} {rel_ns}>'
                        f'<dimension ref="A1:{last}"/><sheetData>'.encode())
            rows = [HEADER, *generate_rows(count)]
            for number, row in enumerate(rows, 1):
                cells = "".join(cell(f"{_column(i)}{number}", v) for i, v in enumerate(row, 1))
                sheet.write(f'<row r="{number}">{cells}</row>'.encode())
            sheet.write(b"</sheetData></worksheet>")
        items = "".join(f"<si><t>{escape(s)}</t></si>" for s in strings)
        archive.writestr("xl/sharedStrings.xml", f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                         f'<sst {ns} count="{len(strings)}" uniqueCount="{len(strings)}">{items}</sst>')
        archive.writestr("xl/styles.xml", f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                         f'<styleSheet {ns}><fonts count="1"><font><sz val="11"/><name val="Calibri"/></font></fonts>'
                         '<fills count="1"><fill><patternFill patternType="none"/></fill></fills>'
                         '<borders count="1"><border/></borders>'
                         '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
                         '<cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
                         '<xf numFmtId="14" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
                         '</cellXfs><cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/>'
                         '</cellStyles></styleSheet>')
        archive.writestr("xl/workbook.xml", f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                         f'<workbook {ns} {rel_ns}><sheets><sheet name="Data" sheetId="1" r:id="rId1"/></sheets>'
                         '</workbook>')
        rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
        archive.writestr("xl/_rels/workbook.xml.rels", '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                         '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                         f'<Relationship Id="rId1" Type="{rel}/worksheet" Target="worksheets/sheet1.xml"/>'
                         f'<Relationship Id="rId2" Type="{rel}/sharedStrings" Target="sharedStrings.xml"/>'
                         f'<Relationship Id="rId3" Type="{rel}/styles" Target="styles.xml"/></Relationships>')
        archive.writestr("_rels/.rels", '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                         '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                         f'<Relationship Id="rId1" Type="{rel}/officeDocument" Target="xl/workbook.xml"/>'
                         '</Relationships>')
        sml = "application/vnd.openxmlformats-officedocument.spreadsheetml"
        archive.writestr("[Content_Types].xml", '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                         '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                         '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
                         'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
                         f'<Override PartName="/xl/workbook.xml" ContentType="{sml}.sheet.main+xml"/>'
                         f'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="{sml}.worksheet+xml"/>'
                         f'<Override PartName="/xl/sharedStrings.xml" ContentType="{sml}.sharedStrings+xml"/>'
                         f'<Override PartName="/xl/styles.xml" ContentType="{sml}.styles+xml"/></Types>')


def validate_child(path: str) -> None:
    """Child process: validate one file, print a JSON line with the figures."""
    from ckanext.satudatapasuruan.entry.validation import Validator, open_table

    started = time.perf_counter()
    cpu_started = time.process_time()
    loaded = 0
    with open_table(path) as table:
        validator = Validator(table, VARIABLES, wilayah_codes=set(KECAMATAN))
        for _row in validator.rows():
            loaded += 1
    seconds = time.perf_counter() - started
    cpu_seconds = time.process_time() - cpu_started
    peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(json.dumps({"rows": validator.row_count, "loaded": loaded, "errors": validator.error_count,
                      "first_errors": [e.reason for e in validator.errors[:3]], "seconds": seconds,
                      "cpu_seconds": cpu_seconds, "peak_rss_mib": peak_kib / 1024}))


def floor_child() -> None:
    import ckanext.satudatapasuruan.entry.validation  # noqa: F401 - measuring the import alone

    peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    # A fixed pure-Python workload, so figures from machines of different speed can be compared.
    started = time.process_time()
    total = 0
    for i in range(10_000_000):
        total += i
    print(json.dumps({"peak_rss_mib": peak_mib, "reference_seconds": time.process_time() - started}))


def run_child(*args: str) -> dict:
    out = subprocess.run([sys.executable, __file__, *args], check=True, capture_output=True, text=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--dir", type=Path, default=Path("/tmp/satudata-bench-upload"))
    parser.add_argument("--fresh", action="store_true", help="regenerate the files")
    parser.add_argument("--validate", help=argparse.SUPPRESS)
    parser.add_argument("--floor", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.validate:
        return validate_child(args.validate)
    if args.floor:
        return floor_child()

    args.dir.mkdir(parents=True, exist_ok=True)
    files = {
        "excel.xlsx": write_excel_style,
        "openpyxl.xlsx": write_openpyxl,
        "excel.csv": write_csv,
    }
    for name, writer in files.items():
        path = args.dir / f"{args.rows}-{name}"
        if args.fresh or not path.exists():
            started = time.perf_counter()
            writer(path, args.rows)
            print(f"generated {path} ({path.stat().st_size / 1e6:.1f} MB) in {time.perf_counter() - started:.1f} s")

    floor = run_child("--floor")
    print(f"\n{args.rows} rows x {len(HEADER)} columns; import-only peak RSS {floor['peak_rss_mib']:.0f} MiB; "
          f"reference loop (10M additions) {floor['reference_seconds']:.2f} s CPU; "
          f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs\n")
    print("| file | rows/s (wall) | wall s | CPU s | peak RSS MiB | errors |")
    print("|---|---:|---:|---:|---:|---:|")
    for name in files:
        figures = run_child("--validate", str(args.dir / f"{args.rows}-{name}"))
        if figures["errors"] or figures["loaded"] != args.rows:
            print(f"unexpected result for {name}: {figures}", file=sys.stderr)
        print(f"| {name} | {figures['rows'] / figures['seconds']:,.0f} | {figures['seconds']:.1f} "
              f"| {figures['cpu_seconds']:.1f} | {figures['peak_rss_mib']:.0f} | {figures['errors']} |")


if __name__ == "__main__":
    main()
