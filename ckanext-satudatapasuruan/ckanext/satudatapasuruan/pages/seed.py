"""Default content of the portal's Tentang, Kontak and Panduan pages (``ckan satudata-pages init``).

Seeding creates the pages that are missing and never touches one that exists: the walidata edits them
after the first run. The contact address is a placeholder, marked as such, until the walidata fills it in.
"""
from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk

from . import records

__all__ = ["DEFAULT_PAGES", "seed"]

_TENTANG = """\
**Portal Satu Data Kabupaten Pasuruan** adalah pintu tunggal data sektoral Pemerintah Kabupaten Pasuruan:
tempat perangkat daerah menerbitkan datanya dan tempat masyarakat mencari, mengunduh dan memakai data itu.

## Satu Data Indonesia

Satu Data Indonesia adalah kebijakan tata kelola data pemerintah yang diatur dalam
**Peraturan Presiden Nomor 39 Tahun 2019 (Perpres 39/2019)**. Tujuannya agar data pemerintah akurat, mutakhir, terpadu,
dapat dipertanggungjawabkan, mudah diakses dan dibagipakaikan. Data yang diterbitkan memenuhi empat prinsip:

1. **Standar data** — konsep, definisi, klasifikasi, ukuran dan satuan yang baku;
2. **Metadata** — keterangan tentang data: sumber, cara pengumpulan, periode, penanggung jawab;
3. **Interoperabilitas** — data dapat dibagipakaikan antarsistem;
4. **Kode referensi dan data induk** — kode wilayah, kode instansi dan rujukan yang sama.

## Siapa berperan

- **Walidata: Dinas Komunikasi dan Informatika (Diskominfo) Kabupaten Pasuruan** — mengumpulkan,
  memeriksa dan menerbitkan data dari perangkat daerah, serta mengelola portal ini.
- **Produsen data: perangkat daerah (OPD)** — dinas, badan, kecamatan dan unit lain yang menghasilkan data.
  Di dalamnya operator memasukkan data dan verifikator memeriksanya sebelum dikirim ke walidata.
- **Pembina data statistik: BPS Kabupaten Pasuruan** — menetapkan standar data dan metadata statistik,
  memberi rekomendasi kegiatan statistik dan membina penyelenggaraan statistik sektoral.

Data melalui verifikasi berjenjang (operator → verifikator OPD → walidata) sebelum terbit.
"""

_KONTAK = """\
Pertanyaan, permintaan data dan masukan untuk Portal Satu Data Kabupaten Pasuruan dapat disampaikan kepada
walidata:

**Dinas Komunikasi dan Informatika Kabupaten Pasuruan**

> **[CONTOH — WAJIB DIUBAH WALIDATA]** Alamat, telepon dan jam layanan di bawah ini hanyalah contoh isian
> dan belum diperiksa. Ganti dengan data resmi sebelum halaman ini diumumkan.

- Alamat: *(contoh)* Jl. ........................, Kabupaten Pasuruan, Jawa Timur
- Telepon: *(contoh)* (0343) .........
- E-mail: *(contoh)* diskominfo@pasuruankab.go.id
- Jam layanan: *(contoh)* Senin–Jumat, 08.00–15.00 WIB

Untuk permintaan akses data terbatas, gunakan tombol **Minta akses data** pada halaman dataset yang bersangkutan.
"""

_PANDUAN = """\
Panduan memakai Portal Satu Data Kabupaten Pasuruan: mencari dan mengunduh data, memakai API, serta
mengunggah dan memverifikasi data bagi operator perangkat daerah. Templat resmi (Excel) dan dokumen
metodologi terlampir pada masing-masing panduan.
"""

_PENCARIAN = """\
## Mencari data

1. Buka menu **Dataset**, lalu ketik kata kunci pada kotak pencarian, misalnya `penduduk kecamatan`.
2. Persempit hasil dengan penyaring di samping: **perangkat daerah (OPD)**, **sektor/urusan**, **tahun**,
   **frekuensi** dan **format**.
3. Urutkan hasil menurut relevansi, nama atau tanggal pembaruan.

## Membaca dan mengunduh

- Halaman dataset memuat metadata: definisi, satuan, periode, sumber dan penanggung jawab data.
- Unduh data pada bagian **Data dan Sumber Daya** (CSV, XLSX atau format lain), atau lihat pratinjaunya.
- Dataset **terbatas** hanya menampilkan metadatanya; datanya dapat diminta melalui tombol
  **Minta akses data** (setelah masuk).

## Tips

- Pakai tanda kutip untuk frasa tepat: `"angka kematian bayi"`.
- Kata kunci dalam Bahasa Indonesia dicocokkan juga dengan bentuk dasarnya (mis. *kependudukan* ↔ *penduduk*).
"""

_API = """\
Semua data yang terbuka di portal ini juga tersedia melalui **CKAN Action API** (JSON), tanpa kunci API
untuk data terbuka.

## Contoh: mencari dataset

    GET /api/3/action/package_search?q=penduduk&rows=10

Coba langsung: [/api/3/action/package_search?q=penduduk](/api/3/action/package_search?q=penduduk&rows=10)

Jawabannya memuat `result.count` (jumlah dataset) dan `result.results` (daftar dataset beserta metadatanya).

## Perintah lain yang sering dipakai

- `GET /api/3/action/package_show?id=<nama-dataset>` — satu dataset dan sumber dayanya;
- `GET /api/3/action/organization_list?all_fields=true` — daftar perangkat daerah;
- `GET /api/3/action/datastore_search?resource_id=<id>&limit=100` — baris data sebuah tabel.

## Dengan kunci API

Data terbatas dan perintah yang mengubah data memerlukan **token API** milik akun Anda
(menu akun → *Token API*), dikirim pada kepala `Authorization`. Jangan bagikan token Anda.
"""

_OPERATOR = """\
Panduan bagi operator dan verifikator perangkat daerah (OPD).

## 1. Menyiapkan data

- Unduh **templat resmi** (lampiran di bawah) dan isi sesuai standar data: konsep, definisi, klasifikasi,
  ukuran dan satuan.
- Lengkapi metadata: judul, deskripsi, sektor/urusan, periode, frekuensi, sumber dan klasifikasi akses
  (terbuka, terbatas atau rahasia).

## 2. Mengunggah

1. Masuk dengan akun operator OPD.
2. Buat dataset baru di organisasi OPD Anda, isi metadatanya, lalu unggah berkas data (XLSX atau CSV).
3. Portal memeriksa isian templat; perbaiki baris yang ditandai salah sebelum melanjutkan.

## 3. Verifikasi berjenjang

1. **Operator** mengajukan dataset untuk diperiksa.
2. **Verifikator OPD** memeriksa dan menyetujui, atau mengembalikannya dengan catatan perbaikan.
3. **Walidata (Diskominfo)** memeriksa kesesuaian dengan standar Satu Data lalu **menerbitkan** dataset,
   atau mengembalikannya ke OPD.
4. Setelah terbit, perubahan diajukan sebagai revisi dan melalui pemeriksaan yang sama.

Pemberitahuan setiap langkah dikirim ke e-mail akun Anda dan tampil pada daftar tugas.
"""

DEFAULT_PAGES: tuple[dict[str, Any], ...] = (
    {"slug": "tentang", "section": "tentang", "order": 0, "title": "Tentang Satu Data Kabupaten Pasuruan",
     "body": _TENTANG},
    {"slug": "kontak", "section": "kontak", "order": 0, "title": "Kontak walidata", "body": _KONTAK},
    {"slug": "panduan", "section": "panduan", "order": 0, "title": "Panduan", "body": _PANDUAN},
    {"slug": "panduan-pencarian-data", "section": "panduan", "order": 10, "title": "Panduan pencarian data",
     "body": _PENCARIAN},
    {"slug": "panduan-penggunaan-api", "section": "panduan", "order": 20, "title": "Panduan penggunaan API",
     "body": _API},
    {"slug": "panduan-operator-opd", "section": "panduan", "order": 30,
     "title": "Panduan operator OPD: unggah dan verifikasi data", "body": _OPERATOR},
)


def seed(published: bool = True) -> list[tuple[str, bool]]:
    """Create the default pages that are missing, as the site user; [(slug, created?)] in order."""
    site = tk.get_action("get_site_user")({"ignore_auth": True}, {})
    out = []
    for default in DEFAULT_PAGES:
        if records.get_page(default["slug"]) is not None:
            out.append((default["slug"], False))
            continue
        tk.get_action("satudata_page_create")({"user": site["name"]}, {**default, "published": published})
        out.append((default["slug"], True))
    return out
