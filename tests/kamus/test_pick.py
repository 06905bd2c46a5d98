"""Picking a kamus entry into a dataset through package_create/update (API and the form without JavaScript):
empty standar fields filled, the origin recorded, the copied version kept; bad picks refused."""
from __future__ import annotations

import pytest
from ckan.tests import helpers

from ckanext.satudatapasuruan.kamus import config

from .conftest import ENTRY, make_entry

pytestmark = [pytest.mark.ckan_config("ckan.locale_default", "id"), pytest.mark.usefixtures("clean_db")]

EMPTY = {"konsep": "", "definisi": "", "klasifikasi": "", "ukuran": "", "satuan": ""}
STANDAR = ("konsep", "definisi", "klasifikasi", "ukuran", "satuan")


def _standar(pkg):
    return {k: pkg.get(k) for k in (*STANDAR, "kode_standar_data", "standar_data_asal")}


def test_package_create_fills_empty_fields_from_the_kamus(portal):
    """A dataset created through the API with only the kode and origin kamus gets the entry's konsep,
    definisi, klasifikasi, ukuran and satuan, the origin "kamus", and the completeness score of a dataset
    typed in full."""
    make_entry(portal)
    ds = portal.dataset(**EMPTY, kode_standar_data="sp00055.00.00", standar_data_asal="kamus")
    shown = portal.call("package_show", "operator", id=ds["id"])
    assert _standar(shown) == {**{k: ENTRY[k] for k in STANDAR}, "kode_standar_data": "SP00055.00.00",
                               "standar_data_asal": "kamus"}
    assert shown["kelengkapan_metadata"] == portal.dataset(name="diketik-sendiri")["kelengkapan_metadata"]


def test_filled_fields_kept_and_copies_by_hand_untouched(portal):
    """A field already filled is kept (the dataset keeps the version it copied, also after the entry changed);
    origins salin and manual are never filled; without an origin nothing happens."""
    make_entry(portal)
    ds = portal.dataset(**dict(EMPTY, konsep="Penduduk (lokal)"), kode_standar_data="SP00055.00.00",
                        standar_data_asal="kamus")
    assert ds["konsep"] == "Penduduk (lokal)" and ds["definisi"] == ENTRY["definisi"]
    portal.call("satudata_kamus_entry_update", "walidata", kode="SP00055.00.00", definisi="Definisi baru.")
    patched = portal.call("package_patch", "operator", id=ds["id"], notes="Deskripsi baru")
    assert patched["definisi"] == ENTRY["definisi"]
    for origin in ("salin", "manual"):
        other = portal.dataset(name=f"data-{origin}", **dict(EMPTY, konsep="Sendiri"),
                               kode_standar_data="SP00055.00.00", standar_data_asal=origin)
        assert other["standar_data_asal"] == origin and other["konsep"] == "Sendiri" and not other.get("definisi")
    plain = portal.dataset(name="tanpa-asal", **EMPTY, kode_standar_data="SP00055.00.00")
    assert not plain.get("konsep") and not plain.get("standar_data_asal")


def test_form_picker_replaces_every_field(portal):
    """The picker's select posted with the form (no JavaScript) replaces every standar field with the entry's
    current version, sets the kode and the origin kamus, and is not stored."""
    make_entry(portal)
    portal.call("satudata_kamus_entry_update", "walidata", kode="SP00055.00.00", definisi="Definisi baru.")
    ds = portal.dataset(kode_standar_data="", konsep="Lama", definisi="Lama", kamus_pilih="SP00055.00.00")
    assert _standar(ds) == {**{k: ENTRY[k] for k in STANDAR}, "definisi": "Definisi baru.",
                            "kode_standar_data": "SP00055.00.00", "standar_data_asal": "kamus"}
    assert "kamus_pilih" not in ds


@pytest.mark.parametrize("data, message", [
    ({"kode_standar_data": ""}, "Isi kode standar data entri Kamus Data yang dipakai (asal standar data: kamus)"),
    ({"kode_standar_data": "SP00099.00.00"},
     "Kode standar data SP00099.00.00 tidak ada di Kamus Data: pilih entri kamus atau ubah asal standar data"),
    ({"kode_standar_data": "SE00101.00.00"},
     "Entri Kamus Data SE00101.00.00 sudah dipensiunkan dan tidak dapat dipilih lagi"),
    ({"kode_standar_data": "SP55"}, "Kode standar data harus berbentuk XX99999.99.99"),
    ({"standar_data_asal": "karangan", "kode_standar_data": "SP00055.00.00"}, "Value must be one of"),
], ids=["no-kode", "unknown", "retired", "bad-format", "bad-origin"])
def test_bad_picks_refused(portal, data, message):
    """Origin kamus without a kode, with a kode the kamus lacks or a retired one, a kode of the wrong format
    (the schema's own message) and an unknown origin are refused at the kode field; no dataset is made."""
    make_entry(portal)
    make_entry(portal, kode="SE00101.00.00", konsep="PDRB", satuan="rupiah")
    portal.call("satudata_kamus_entry_delete", "walidata", kode="SE00101.00.00", note="Diganti")
    with pytest.raises(helpers.logic.ValidationError) as err:
        portal.dataset(**EMPTY, **{"standar_data_asal": "kamus", **data})
    field = "standar_data_asal" if "karangan" in str(data) else "kode_standar_data"
    assert err.value.error_dict[field][0].startswith(message)
    assert helpers.call_action("package_list") == []


def test_retired_entry_kept_by_a_dataset_already_using_it(portal):
    """A dataset that picked an entry before it was retired can still be saved with it."""
    make_entry(portal)
    ds = portal.dataset(**EMPTY, kode_standar_data="SP00055.00.00", standar_data_asal="kamus")
    portal.call("satudata_kamus_entry_delete", "walidata", kode="SP00055.00.00", note="Diganti")
    assert portal.call("package_patch", "operator", id=ds["id"], notes="Lagi")["standar_data_asal"] == "kamus"


@pytest.mark.ckan_config(config.FILL_ON_SAVE, False)
def test_fill_on_save_off(portal):
    """With the option off the origin is stored as given and nothing is filled or refused."""
    ds = portal.dataset(**EMPTY, kode_standar_data="SP00099.00.00", standar_data_asal="kamus")
    assert ds["standar_data_asal"] == "kamus" and not ds.get("konsep")
