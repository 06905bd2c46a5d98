"""The kamus actions: create, update (versions), retire, show, list and search, history, import, bad input."""
from __future__ import annotations

import pytest
import sqlalchemy as sa
from ckan import model
from ckan.tests import helpers
from freezegun import freeze_time

from ckanext.satudatapasuruan.kamus import records

from .conftest import ENTRY, entry_data, make_entry

pytestmark = [pytest.mark.ckan_config("ckan.locale_default", "id"), pytest.mark.usefixtures("clean_db")]

ANON = {"user": "", "ignore_auth": False}


def _rows() -> tuple[int, int]:
    return tuple(model.Session.execute(sa.select(sa.func.count()).select_from(t)).scalar_one()
                 for t in (records.entry, records.entry_version))


class TestCreate:
    def test_create_and_show_publicly(self, portal):
        """The walidata adds an entry at version 1; anyone reads it with the satuan's label and who made it."""
        with freeze_time("2026-11-02 08:00"):
            made = make_entry(portal, kode=" sp00055.00.00 ")
        assert made["kode"] == "SP00055.00.00" and made["version"] == 1 and made["state"] == "aktif"
        shown = helpers.call_action("satudata_kamus_entry_show", context=dict(ANON), kode="SP00055.00.00")
        assert shown["definisi"] == ENTRY["definisi"] and shown["satuan_label"] == "Jiwa"
        assert shown["created_by"] == "walidata" and shown["created"] == "2026-11-02T08:00:00"

    def test_bad_input_writes_nothing(self, portal):
        """Missing fields, a kode of the wrong format, an unknown satuan and a too long konsep are refused with
        Indonesian messages naming the field; a duplicate kode too; nothing is written."""
        with pytest.raises(helpers.logic.ValidationError) as err:
            portal.call("satudata_kamus_entry_create", "walidata", kode="", konsep=" ")
        errors = err.value.error_dict
        assert errors["kode"] == ["Kode standar data wajib diisi"] and errors["konsep"] == ["Konsep wajib diisi"]
        assert errors["definisi"] == ["Definisi wajib diisi"] and errors["satuan"] == ["Satuan wajib diisi"]
        assert set(errors) == {"kode", "konsep", "definisi", "klasifikasi", "ukuran", "satuan"}
        with pytest.raises(helpers.logic.ValidationError) as err:
            portal.call("satudata_kamus_entry_create", "walidata",
                        **entry_data(kode="SP0005", satuan="ekor-ayam", konsep="x" * 201))
        errors = err.value.error_dict
        assert errors["kode"][0].startswith("Kode standar data harus berbentuk XX99999.99.99")
        assert errors["satuan"] == ["Satuan \u201cekor-ayam\u201d tidak ada dalam daftar satuan baku"]
        assert errors["konsep"] == ["Konsep paling banyak 200 karakter"]
        with pytest.raises(helpers.logic.ValidationError) as err:
            portal.call("satudata_kamus_entry_create", "walidata", **entry_data(kode=55, definisi=["x"]))
        assert err.value.error_dict == {"kode": ["Kode standar data harus berupa teks"],
                                        "definisi": ["Definisi harus berupa teks"]}
        assert _rows() == (0, 0)
        make_entry(portal)
        with pytest.raises(helpers.logic.ValidationError) as err:
            make_entry(portal, who="pembina", konsep="Penduduk lain")
        assert err.value.error_dict == {"kode": ["Kode standar data SP00055.00.00 sudah ada di Kamus Data"]}
        assert _rows() == (1, 1)


class TestVersions:
    def test_update_keeps_previous_versions_with_who_and_when(self, portal):
        """Each change is a new version; the history (newest first) keeps every earlier content with who made
        it, when, why and which fields changed; a past version is shown as it was."""
        with freeze_time("2026-11-02 08:00"):
            make_entry(portal)
        with freeze_time("2026-11-05 09:30"):
            updated = portal.call("satudata_kamus_entry_update", "pembina", kode="SP00055.00.00",
                                  definisi="Orang yang tinggal di wilayah Indonesia minimal enam bulan.",
                                  note="Selaras Perba BPS", version=1)
        assert updated["version"] == 2 and updated["konsep"] == "Penduduk" and updated["modified_by"] == "pembina"
        history = helpers.call_action("satudata_kamus_entry_history", context=dict(ANON), kode="SP00055.00.00")
        assert [(h["version"], h["change"], h["user"], h["changed"], h["note"]) for h in history] == [
            (2, "diubah", "pembina", ["definisi"], "Selaras Perba BPS"), (1, "dibuat", "walidata", [], "")]
        assert history[1]["definisi"] == ENTRY["definisi"] and history[0]["created"] == "2026-11-05T09:30:00"
        old = helpers.call_action("satudata_kamus_entry_show", context=dict(ANON), kode="SP00055.00.00", version=1)
        assert old["definisi"] == ENTRY["definisi"] and old["current_version"] == 2 and old["user"] == "walidata"

    def test_update_bad_input(self, portal):
        """No change, a stale version, an emptied field, an unknown entry or past version are refused, and
        nothing is written."""
        make_entry(portal)
        cases = [({"konsep": "Penduduk"}, "kode", "Tidak ada perubahan: isinya sama dengan versi 1"),
                 ({"konsep": "Warga", "version": 3}, "version", "Entri ini sudah berubah menjadi versi 1"),
                 ({"konsep": " "}, "konsep", "Konsep wajib diisi"),
                 ({"satuan": "ekor-ayam"}, "satuan", "Satuan \u201cekor-ayam\u201d tidak ada")]
        for data, field, message in cases:
            with pytest.raises(helpers.logic.ValidationError) as err:
                portal.call("satudata_kamus_entry_update", "walidata", kode="SP00055.00.00", **data)
            assert err.value.error_dict[field][0].startswith(message), data
        with pytest.raises(helpers.logic.NotFound):
            portal.call("satudata_kamus_entry_update", "walidata", kode="SP99999.00.00", konsep="x")
        with pytest.raises(helpers.logic.NotFound):
            helpers.call_action("satudata_kamus_entry_show", context=dict(ANON), kode="SP00055.00.00", version=7)
        with pytest.raises(helpers.logic.ValidationError):
            helpers.call_action("satudata_kamus_entry_show", context=dict(ANON), kode="bukan-kode")
        with pytest.raises(helpers.logic.NotFound):
            helpers.call_action("satudata_kamus_entry_history", context=dict(ANON), kode="SP99999.00.00")
        assert _rows() == (1, 1)

    def test_retire_and_bring_back(self, portal):
        """Retiring needs a reason and keeps the entry readable (pensiun), out of the default list; a retired
        entry is not changed unless brought back (aktifkan), which is a new version too."""
        make_entry(portal)
        with pytest.raises(helpers.logic.ValidationError) as err:
            portal.call("satudata_kamus_entry_delete", "walidata", kode="SP00055.00.00", note=" ")
        assert err.value.error_dict["note"] == ["Alasan pensiun wajib diisi"]
        retired = portal.call("satudata_kamus_entry_delete", "walidata", kode="SP00055.00.00", note="Diganti")
        assert retired["state"] == "pensiun" and retired["version"] == 2
        with pytest.raises(helpers.logic.ValidationError) as err:
            portal.call("satudata_kamus_entry_delete", "walidata", kode="SP00055.00.00", note="Lagi")
        assert err.value.error_dict["kode"] == ["Entri SP00055.00.00 sudah dipensiunkan"]
        with pytest.raises(helpers.logic.ValidationError) as err:
            portal.call("satudata_kamus_entry_update", "walidata", kode="SP00055.00.00", konsep="Warga")
        assert "aktifkan kembali" in err.value.error_dict["kode"][0]
        assert helpers.call_action("satudata_kamus_entry_list", context=dict(ANON))["count"] == 0
        back = portal.call("satudata_kamus_entry_update", "walidata", kode="SP00055.00.00", aktifkan=True)
        assert back["state"] == "aktif" and back["version"] == 3
        with pytest.raises(helpers.logic.NotFound):
            portal.call("satudata_kamus_entry_delete", "walidata", kode="SP99999.00.00", note="x")


class TestList:
    def test_search_over_kode_konsep_definisi(self, portal):
        """Every word of q must occur in the kode, konsep or definisi (any case); retired entries only on
        request; paging by limit and offset; bad paging refused."""
        make_entry(portal)
        make_entry(portal, kode="SE00101.00.00", konsep="Produk Domestik Regional Bruto", satuan="rupiah",
                   definisi="Nilai tambah seluruh unit usaha di suatu wilayah.")
        make_entry(portal, kode="SP00200.01.00", konsep="Rumah tangga miskin", satuan="rumah_tangga",
                   definisi="Rumah tangga dengan pengeluaran di bawah garis kemiskinan.")
        portal.call("satudata_kamus_entry_delete", "walidata", kode="SP00200.01.00", note="Tidak dipakai")

        def kodes(**data):
            found = helpers.call_action("satudata_kamus_entry_list", context=dict(ANON), **data)
            return [e["kode"] for e in found["results"]], found["count"]

        assert kodes() == (["SE00101.00.00", "SP00055.00.00"], 2)
        assert kodes(q="sp000") == (["SP00055.00.00"], 1)
        assert kodes(q="NILAI wilayah") == (["SE00101.00.00"], 1)
        assert kodes(q="domisili tambah") == ([], 0)
        assert kodes(q="rumah", include_retired=True) == (["SP00200.01.00"], 1)
        assert kodes(q="100%_") == ([], 0)
        assert kodes(limit=1, offset=1) == (["SP00055.00.00"], 2)
        for bad in ({"limit": 0}, {"offset": -1}, {"limit": "banyak"}, {"q": "x" * 201}):
            with pytest.raises(helpers.logic.ValidationError):
                helpers.call_action("satudata_kamus_entry_list", context=dict(ANON), **bad)


class TestImport:
    def test_all_or_nothing(self, portal):
        """An import with one bad and one repeated entry names both problems and writes nothing; a good one
        creates new kodes, versions changed ones and leaves identical ones."""
        make_entry(portal)
        make_entry(portal, kode="SE00101.00.00", konsep="PDRB", satuan="rupiah")
        bad = [entry_data(kode="SP00300.00.00"), entry_data(kode="SP00300.00.00"), entry_data(kode="X1", konsep="")]
        with pytest.raises(helpers.logic.ValidationError) as err:
            portal.call("satudata_kamus_import", "walidata", entries=bad)
        assert err.value.error_dict["entries"] == [
            "Entri ke-2: kode SP00300.00.00 muncul lebih dari sekali",
            "Entri ke-3: Kode standar data harus berbentuk XX99999.99.99 dengan kelompok SD, SP, ST, SE atau UL "
            "(contoh SP00055.00.00)", "Entri ke-3: Konsep wajib diisi"]
        assert _rows() == (2, 2)
        portal.call("satudata_kamus_entry_delete", "walidata", kode="SE00101.00.00", note="Diganti")
        with pytest.raises(helpers.logic.ValidationError) as err:
            portal.call("satudata_kamus_import", "walidata", entries=[entry_data(kode="SE00101.00.00")])
        assert err.value.error_dict["entries"] == [
            "Entri ke-1: SE00101.00.00 sudah dipensiunkan; aktifkan kembali di halamannya"]
        portal.call("satudata_kamus_entry_update", "walidata", kode="SE00101.00.00", aktifkan=True)
        for entries in ([], "bukan daftar", ["teks"]):
            with pytest.raises(helpers.logic.ValidationError):
                portal.call("satudata_kamus_import", "walidata", entries=entries)
        done = portal.call("satudata_kamus_import", "pembina", note="Impor awal", entries=[
            entry_data(), entry_data(kode="SE00101.00.00", konsep="Produk Domestik Regional Bruto", satuan="rupiah"),
            entry_data(kode="SP00300.00.00", konsep="Keluarga")])
        assert done == {"created": ["SP00300.00.00"], "updated": ["SE00101.00.00"], "unchanged": ["SP00055.00.00"]}
        history = portal.call("satudata_kamus_entry_history", "warga", kode="SE00101.00.00")
        assert [(h["version"], h["user"], h["note"]) for h in history][0] == (4, "pembina", "Impor awal")

    def test_cli(self, cli, portal, tmp_path):
        """`satudata-kamus import` loads a CSV; a file without the columns or with a bad row fails."""
        from ckanext.satudatapasuruan.kamus.cli import kamus

        good = tmp_path / "kamus.csv"
        good.write_text("kode,konsep,definisi,klasifikasi,ukuran,satuan,dasar_hukum\n"
                        "SP00055.00.00,Penduduk,Orang yang berdomisili,Menurut kecamatan,Jumlah,jiwa,Perba 4/2021\n",
                        encoding="utf-8")
        result = cli.invoke(kamus, ["import", str(good)])
        assert result.exit_code == 0 and "1 dibuat, 0 diubah, 0 tetap" in result.output
        columns = tmp_path / "kolom.csv"
        columns.write_text("kode,konsep\nSP00056.00.00,Penduduk\n", encoding="utf-8")
        assert cli.invoke(kamus, ["import", str(columns)]).exit_code != 0
        bad = tmp_path / "salah.csv"
        bad.write_text("kode,konsep,definisi,klasifikasi,ukuran,satuan\nSP1,Penduduk,a,b,c,jiwa\n", encoding="utf-8")
        result = cli.invoke(kamus, ["import", str(bad)])
        assert result.exit_code == 1 and "Entri ke-1: Kode standar data harus" in result.output
