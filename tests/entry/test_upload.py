"""Uploads into a dataset's DataStore table: all rows or none, a precise report, and the old data kept."""
from __future__ import annotations

import csv
import io
import os

import pytest
import sqlalchemy as sa
from ckan.lib import jobs
from ckan.plugins import toolkit as tk
from ckan.tests import factories, helpers
from flask_babel import force_locale
from openpyxl import load_workbook
from werkzeug.datastructures import FileStorage

from ckanext.satudatapasuruan.entry import config as econfig

from ..metadata.conftest import complete_dataset

PLUGINS = "satudata_pgsearch satudata_metadata satudata_entry scheming_datasets scheming_organizations datastore \
    datatables_view"
pytestmark = [pytest.mark.ckan_config("ckan.plugins", PLUGINS),
              pytest.mark.ckan_config("ckan.locale_default", "id"),
              pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index", "clean_datastore")]

VARIABLES = [
    {"alias": "kode_kecamatan", "nama": "Kecamatan", "tipe_data": "kode_wilayah", "definisi": "Kode kecamatan",
     "wajib": "ya", "kunci": "ya"},
    {"alias": "jenis_kelamin", "nama": "Jenis kelamin", "tipe_data": "kategori", "definisi": "Jenis kelamin",
     "klasifikasi_isian": "L=Laki-laki\nP=Perempuan", "wajib": "ya", "kunci": "ya"},
    {"alias": "jumlah_penduduk", "nama": "Jumlah penduduk", "tipe_data": "bilangan_bulat", "definisi": "Jumlah",
     "nilai_min": "0", "wajib": "ya", "kunci": "tidak"},
    {"alias": "keterangan", "nama": "Keterangan", "tipe_data": "teks", "definisi": "Catatan", "wajib": "tidak",
     "kunci": "tidak"},
]
KECAMATAN = [f"35.14.{n:02d}" for n in range(1, 25)]


@pytest.fixture
def operator():
    return factories.User(name="operator")


@pytest.fixture
def dataset(operator):
    org = factories.Organization(name="dispendukcapil", users=[{"name": operator["name"], "capacity": "editor"}])
    data = complete_dataset(org["id"], variabel=VARIABLES, indikator=[])
    return helpers.call_action("package_create", {"user": operator["name"]}, **data)


def csv_bytes(rows, header=("kode_kecamatan", "jenis_kelamin", "jumlah_penduduk", "keterangan")) -> bytes:
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(header)
    writer.writerows(rows)
    return buf.getvalue().encode("utf-8")


def good_rows():
    return [(k, sex, 1000 + i, "") for i, k in enumerate(KECAMATAN) for sex in ("L", "P")]


def upload(user, dataset, body: bytes, filename="data.csv", mode=None):
    data = {"id": dataset["name"], "upload": FileStorage(io.BytesIO(body), filename=filename)}
    if mode:
        data["mode"] = mode
    return helpers.call_action("satudata_upload_create", {"user": user["name"], "ignore_auth": False}, **data)


def table_rows(dataset):
    pkg = helpers.call_action("package_show", id=dataset["id"])
    res = [r for r in pkg["resources"] if r.get("satudata_entry") == "ya"]
    if not res:
        return None
    result = helpers.call_action("datastore_search", resource_id=res[0]["id"], limit=100000, sort="_id")
    return result["records"]


def datastore_total(dataset) -> int:
    """The row count datastore_search reports (cached by the DataStore between calls)."""
    pkg = helpers.call_action("package_show", id=dataset["id"])
    res = [r for r in pkg["resources"] if r.get("satudata_entry") == "ya"][0]
    return helpers.call_action("datastore_search", resource_id=res["id"], limit=0)["total"]


# Direct action calls need a request context for the DataStore's URL building; page tests must not have
# one (the test client would reuse its cached anonymous user).
@pytest.mark.usefixtures("with_request_context")
class TestUpload:
    def test_clean_file_loads_every_row(self, operator, dataset):
        """A valid CSV is loaded whole into a new DataStore resource with typed columns."""
        record = upload(operator, dataset, csv_bytes(good_rows()))
        assert record["state"] == "selesai", record
        rows = table_rows(dataset)
        assert len(rows) == 48
        assert rows[0]["kode_kecamatan"] == "35.14.01" and rows[0]["jumlah_penduduk"] == 1000
        pkg = helpers.call_action("package_show", id=dataset["id"])
        res = [r for r in pkg["resources"] if r.get("satudata_entry") == "ya"][0]
        assert res["datastore_active"]
        views = helpers.call_action("resource_view_list", id=res["id"])
        assert [v["view_type"] for v in views] == ["datatables_view"]  # the DataStore preview
        info = helpers.call_action("datastore_info", id=res["id"])
        types = {f["id"]: f["type"] for f in info["fields"]}
        assert types["jumlah_penduduk"] == "int8" and types["kode_kecamatan"] == "text"

    def test_one_bad_row_in_ten_thousand_loads_nothing(self, operator, dataset):
        """A 10,000-row file with one bad cell loads nothing, keeps the old rows, and names that cell."""
        upload(operator, dataset, csv_bytes(good_rows()))
        # Without key columns, 10,000 rows of this dataset are all valid apart from the one spoiled below.
        keyless = [dict(v, kunci="tidak") for v in VARIABLES]
        helpers.call_action("package_patch", {"user": operator["name"]}, id=dataset["id"], variabel=keyless)
        big = [(KECAMATAN[i % 24], ("L", "P")[i % 2], i, "") for i in range(10_000)]
        big[7321] = (KECAMATAN[0], "L", "seribu", "")
        record = upload(operator, dataset, csv_bytes(big))
        assert record["state"] == "ditolak"
        assert record["error_count"] == 1
        (error,) = record["errors"]
        assert (error["row"], error["column"], error["value"]) == (7323, "jumlah_penduduk", "seribu")
        assert len(table_rows(dataset)) == 48

    def test_codes_duplicates_injection_and_ranges_are_reported(self, operator, dataset):
        """Unknown area codes, bad categories, duplicate keys, formulas and negative counts are all listed."""
        rows = [("35.14.14", "L", 10, ""), ("35.75.01", "L", 10, ""), ("35.14.11", "X", 10, ""),
                ("35.14.14", "L", 11, ""), ("35.14.12", "P", -1, ""), ("35.14.13", "P", 5, "=HYPERLINK(\"x\")")]
        record = upload(operator, dataset, csv_bytes(rows))
        assert record["state"] == "ditolak"
        found = {(e["row"], e["column"], e["code"]) for e in record["errors"]}
        assert found == {(3, "kode_kecamatan", "kode_tidak_dikenal"), (4, "jenis_kelamin", "kode_tidak_dikenal"),
                         (5, "kode_kecamatan, jenis_kelamin", "duplikat"), (6, "jumlah_penduduk", "rentang"),
                         (7, "keterangan", "formula")}
        assert table_rows(dataset) is None
        assert all(e["reason"] for e in record["errors"])

    def test_cell_reasons_are_indonesian_by_default(self, operator, dataset):
        """The portal's default language gives the reasons in Indonesian."""
        record = upload(operator, dataset, csv_bytes([("35.14.14", "L", -1, "")]))
        assert record["errors"][0]["reason"] == "Nilai lebih kecil dari batas minimum 0."

    def test_cell_reasons_follow_the_language(self, operator, dataset):
        """In an English request, the same problem is explained in English."""
        with force_locale("en"):
            record = upload(operator, dataset, csv_bytes([("35.14.14", "L", -1, "")]))
        assert record["errors"][0]["reason"] == "The value is below the minimum 0."

    def test_empty_file_is_refused(self, operator, dataset):
        """An empty file is a clear validation error on `upload`."""
        with pytest.raises(tk.ValidationError) as err:
            upload(operator, dataset, b"")
        assert "kosong" in err.value.error_dict["upload"][0]

    def test_header_only_and_wrong_encoding_are_refused(self, operator, dataset):
        """A header without rows, or bytes that are not text, end as a refused upload with a reason."""
        record = upload(operator, dataset, csv_bytes([]))
        assert record["state"] == "ditolak" and record["message"]
        record = upload(operator, dataset, bytes(range(256)) * 8, filename="rusak.csv")
        assert record["state"] == "ditolak" and record["errors"][0]["code"] == "encoding"

    def test_50_mb_file_over_the_default_cap_is_refused_before_storage(self, operator, dataset):
        """A 50 MB file over the default 25 MB cap is refused with the limit named, and nothing is kept."""
        line = b"35.14.14,L,1," + b"x" * 1000 + b"\n"
        body = b"kode_kecamatan,jenis_kelamin,jumlah_penduduk,keterangan\n" + line * (50 * 1024 * 1024 // len(line))
        kept = set(os.listdir(econfig.storage_dir()))
        with pytest.raises(tk.ValidationError) as err:
            upload(operator, dataset, body)
        assert "25 MB" in err.value.error_dict["upload"][0]
        assert set(os.listdir(econfig.storage_dir())) == kept
        assert helpers.call_action("satudata_upload_list", id=dataset["id"]) == []

    @pytest.mark.ckan_config(econfig.MAX_MB, 1)
    def test_cap_comes_from_configuration(self, operator, dataset):
        """The cap is the configured one."""
        body = csv_bytes([(KECAMATAN[0], "L", 1, "x" * 1000)] * 1500)
        with pytest.raises(tk.ValidationError) as err:
            upload(operator, dataset, body)
        assert "1 MB" in err.value.error_dict["upload"][0]

    def test_xlsx_from_the_template_loads(self, operator, dataset, app):
        """The dataset's template, filled in, uploads cleanly."""
        response = app.get(f"/dataset/{dataset['name']}/templat.xlsx")
        assert response.status_code == 200
        book = load_workbook(io.BytesIO(response.data))
        sheet = book["Data"]
        assert [c.value for c in sheet[1]][:4] == [v["alias"] for v in VARIABLES]
        for i, row in enumerate(good_rows()[:10], start=2):
            for j, value in enumerate(row, start=1):
                sheet.cell(row=i, column=j, value=value or None)
        out = io.BytesIO()
        book.save(out)
        record = upload(operator, dataset, out.getvalue(), filename="isi.xlsx")
        assert record["state"] == "selesai", record["errors"]
        assert len(table_rows(dataset)) == 10


@pytest.mark.usefixtures("with_request_context")
class TestModesAndFailures:
    def test_append_adds_and_replace_replaces(self, operator, dataset):
        """append keeps the old rows, replace swaps them; the DataStore's row total follows."""
        upload(operator, dataset, csv_bytes(good_rows()[:10]))
        assert datastore_total(dataset) == 10
        upload(operator, dataset, csv_bytes(good_rows()[10:20]), mode="append")
        assert len(table_rows(dataset)) == 20
        assert datastore_total(dataset) == 20
        upload(operator, dataset, csv_bytes(good_rows()[:5]), mode="replace")
        assert len(table_rows(dataset)) == 5
        assert datastore_total(dataset) == 5

    def test_append_clashing_with_existing_keys_changes_nothing(self, operator, dataset):
        """Appending a key the table already has fails as a whole and keeps the table."""
        upload(operator, dataset, csv_bytes(good_rows()[:10]))
        record = upload(operator, dataset, csv_bytes(good_rows()[5:15]), mode="append")
        assert record["state"] == "gagal"
        assert "data lama tidak berubah" in record["message"]
        assert len(table_rows(dataset)) == 10

    def test_database_failure_mid_load_keeps_the_old_table(self, operator, dataset):
        """A failure inside the load transaction (a trigger raising on row 41) leaves the old rows intact."""
        from ckanext.datastore.backend.postgres import get_write_engine

        upload(operator, dataset, csv_bytes(good_rows()[:10]))
        res_id = [r for r in helpers.call_action("package_show", id=dataset["id"])["resources"]
                  if r.get("satudata_entry") == "ya"][0]["id"]
        with get_write_engine().begin() as conn:
            conn.execute(sa.text(
                "CREATE FUNCTION satudata_test_fail() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
                "IF NEW.jumlah_penduduk = 1020 THEN RAISE EXCEPTION 'disk penuh (uji)'; END IF; RETURN NEW; END $$"))
            conn.execute(sa.text(f'CREATE TRIGGER fail BEFORE INSERT ON "{res_id}" FOR EACH ROW '
                                 "EXECUTE FUNCTION satudata_test_fail()"))
        try:
            record = upload(operator, dataset, csv_bytes(good_rows()), mode="replace")
            assert record["state"] == "gagal"
            assert "disk penuh" in record["message"]
            assert [r["jumlah_penduduk"] for r in table_rows(dataset)] == [r[2] for r in good_rows()[:10]]
        finally:
            with get_write_engine().begin() as conn:
                conn.execute(sa.text(f'DROP TRIGGER fail ON "{res_id}"'))
                conn.execute(sa.text("DROP FUNCTION satudata_test_fail()"))

    @pytest.mark.ckan_config(econfig.BACKGROUND_KB, 0)
    def test_large_files_go_to_a_background_job(self, operator, dataset):
        """Past the background threshold the upload is queued, then a worker validates and loads it."""
        record = upload(operator, dataset, csv_bytes(good_rows()))
        assert record["state"] == "menunggu" and not record["done"]
        jobs.Worker(["default"]).work(burst=True)
        record = helpers.call_action("satudata_upload_show", {"user": operator["name"]}, id=record["id"])
        assert record["state"] == "selesai" and record["rows_done"] == 48
        assert len(table_rows(dataset)) == 48


class TestAccessAndPages:
    @pytest.mark.usefixtures("with_request_context")
    def test_outsiders_may_not_upload_or_read_uploads(self, operator, dataset):
        """Only those who may edit the dataset upload data or see its upload records."""
        record = upload(operator, dataset, csv_bytes(good_rows()[:2]))
        stranger = factories.User()
        with pytest.raises(tk.NotAuthorized):
            upload(stranger, dataset, csv_bytes(good_rows()[:2]))
        with pytest.raises(tk.NotAuthorized):
            helpers.call_action("satudata_upload_show", {"user": stranger["name"], "ignore_auth": False},
                                id=record["id"])

    @pytest.mark.usefixtures("with_request_context")
    @pytest.mark.usefixtures("with_request_context")
    def test_unknown_mode_is_refused_before_anything_is_stored(self, operator, dataset):
        """An upload mode other than replace/append is a keyed error and leaves no upload record."""
        with pytest.raises(tk.ValidationError) as err:
            upload(operator, dataset, csv_bytes(good_rows()), mode="timpa")
        assert "mode" in err.value.error_dict
        assert helpers.call_action("satudata_upload_list", id=dataset["id"]) == []

    @pytest.mark.usefixtures("with_request_context")
    def test_staging_schema_is_closed_to_the_read_only_role(self, operator, dataset):
        """The DataStore's read-only role (datastore_search_sql) cannot reach rows still being staged."""
        from ckanext.datastore.backend.postgres import get_read_engine

        upload(operator, dataset, csv_bytes(good_rows()[:2]))
        with get_read_engine().connect() as conn:
            allowed = conn.execute(sa.text(
                "SELECT has_schema_privilege(current_user, 'satudata_stage', 'USAGE')")).scalar()
        assert allowed is False

    @pytest.mark.usefixtures("with_request_context")
    def test_dataset_without_variables_is_refused(self, operator, dataset):
        """Without MS-Var variables there is nothing to validate against: a keyed error."""
        helpers.call_action("package_patch", {"user": operator["name"]}, id=dataset["id"], variabel=[])
        with pytest.raises(tk.ValidationError) as err:
            upload(operator, dataset, csv_bytes(good_rows()))
        assert "variabel" in err.value.error_dict

    def test_upload_page_and_report_downloads(self, operator, dataset, app):
        """Through the web: upload form, redirect to the status page listing errors, reports as XLSX and CSV."""
        env = {"Authorization": factories.APIToken(user=operator["name"])["token"]}
        page = app.get(f"/dataset/{dataset['name']}/unggah", headers=env)
        assert page.status_code == 200 and "Unduh templat Excel" in page.body
        body = csv_bytes([("35.14.14", "L", "banyak", "")])
        response = app.post(f"/dataset/{dataset['name']}/unggah", headers=env,
                            data={"mode": "replace", "upload": (io.BytesIO(body), "salah.csv")},
                            follow_redirects=True)
        assert response.status_code == 200
        assert "banyak" in response.body and "ditolak" in response.body or "kesalahan" in response.body
        upload_id = helpers.call_action("satudata_upload_list", {"user": "operator"}, id=dataset["id"])[0]["id"]
        xlsx = app.get(f"/dataset/{dataset['name']}/unggah/{upload_id}/laporan.xlsx", headers=env)
        sheet = load_workbook(io.BytesIO(xlsx.data)).active
        values = [[c.value for c in row] for row in sheet.iter_rows()]
        assert any("banyak" in [str(v) for v in row] for row in values)
        report_csv = app.get(f"/dataset/{dataset['name']}/unggah/{upload_id}/laporan.csv", headers=env)
        assert "banyak" in report_csv.data.decode("utf-8-sig")
        assert app.get(f"/dataset/{dataset['name']}/unggah", status=403).status_code == 403
