"""Row-by-row entry (web form and API): the upload's rules, one row at a time."""
from __future__ import annotations

import pytest
from ckan.plugins import toolkit as tk
from ckan.tests import factories, helpers

from .test_upload import PLUGINS, table_rows
from .test_upload import dataset as dataset  # noqa: F401  (fixture)
from .test_upload import operator as operator  # noqa: F401  (fixture)

pytestmark = [pytest.mark.ckan_config("ckan.plugins", PLUGINS),
              pytest.mark.ckan_config("ckan.locale_default", "id"),
              pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index", "clean_datastore")]


def save(user, dataset, row, mode=None):
    data = {"id": dataset["name"], "row": row}
    if mode:
        data["mode"] = mode
    return helpers.call_action("satudata_row_save", {"user": user["name"], "ignore_auth": False}, **data)


ROW = {"kode_kecamatan": "35.14.11", "jenis_kelamin": "Laki-laki", "jumlah_penduduk": "1250", "keterangan": ""}


@pytest.mark.usefixtures("with_request_context")
class TestRowActions:
    def test_row_is_normalised_and_stored(self, operator, dataset):  # noqa: F811
        """Codes given by label or without dots are stored as codes; numbers typed."""
        record = save(operator, dataset, dict(ROW, kode_kecamatan="351414"))
        assert record["kode_kecamatan"] == "35.14.14" and record["jenis_kelamin"] == "L"
        (row,) = table_rows(dataset)
        assert row["jumlah_penduduk"] == 1250

    def test_bad_values_are_keyed_by_column(self, operator, dataset):  # noqa: F811
        """Each wrong cell comes back under its column, in Indonesian, and nothing is stored."""
        with pytest.raises(tk.ValidationError) as err:
            save(operator, dataset, dict(ROW, kode_kecamatan="35.75.01", jumlah_penduduk="-3", keterangan="=1+1"))
        assert set(err.value.error_dict) == {"kode_kecamatan", "jumlah_penduduk", "keterangan"}
        assert table_rows(dataset) is None

    def test_duplicate_key_insert_refused_update_allowed(self, operator, dataset):  # noqa: F811
        """Inserting an existing key is refused; update replaces that row."""
        row = dict(ROW, kode_kecamatan="35.14.14")
        save(operator, dataset, row)
        with pytest.raises(tk.ValidationError) as err:
            save(operator, dataset, row)
        assert "sudah ada" in err.value.error_dict["row"][0]
        save(operator, dataset, dict(row, jumlah_penduduk="99"), mode="update")
        assert [r["jumlah_penduduk"] for r in table_rows(dataset)] == [99]

    def test_delete_row(self, operator, dataset):  # noqa: F811
        """A row is deleted by its _id; an unknown id is not found."""
        save(operator, dataset, dict(ROW, kode_kecamatan="35.14.14"))
        row_id = table_rows(dataset)[0]["_id"]
        helpers.call_action("satudata_row_delete", {"user": operator["name"]}, id=dataset["name"], row_id=row_id)
        assert table_rows(dataset) == []
        with pytest.raises(tk.ObjectNotFound):
            helpers.call_action("satudata_row_delete", {"user": operator["name"]}, id=dataset["name"], row_id=row_id)

    def test_malformed_requests_are_keyed_errors(self, operator, dataset):  # noqa: F811
        """A row that is not an object, or an unknown mode, is a keyed error, not a server error."""
        with pytest.raises(tk.ValidationError) as err:
            save(operator, dataset, "35.14.14,L,1")
        assert "row" in err.value.error_dict
        with pytest.raises(tk.ValidationError) as err:
            save(operator, dataset, ROW, mode="hapus")
        assert "mode" in err.value.error_dict
        assert table_rows(dataset) is None

    def test_outsider_cannot_enter_rows(self, dataset):  # noqa: F811
        """Only editors of the dataset enter rows."""
        with pytest.raises(tk.NotAuthorized):
            save(factories.User(), dataset, ROW)


class TestRowPage:
    def test_form_saves_and_lists_rows_and_shows_errors(self, app, operator, dataset):  # noqa: F811
        """The entry page saves a valid row, lists it, and shows column errors for a bad one."""
        headers = {"Authorization": factories.APIToken(user=operator["name"])["token"]}
        page = app.get(f"/dataset/{dataset['name']}/isi", headers=headers)
        assert page.status_code == 200 and 'name="jumlah_penduduk"' in page.body
        assert "Bangil" in page.body
        app.post(f"/dataset/{dataset['name']}/isi", headers=headers, data=dict(ROW, kode_kecamatan="35.14.14"))
        page = app.get(f"/dataset/{dataset['name']}/isi", headers=headers)
        assert "35.14.14" in page.body and "1250" in page.body
        bad = app.post(f"/dataset/{dataset['name']}/isi", headers=headers,
                       data=dict(ROW, kode_kecamatan="35.14.11", jumlah_penduduk="banyak"))
        assert bad.status_code == 200 and "jumlah_penduduk" in bad.body and "satudata-row-errors" in bad.body
