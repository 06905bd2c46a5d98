"""Who may do what: the walidata and the pembina data write the kamus; an OPD's operator or verifikator, a
citizen and anonymous visitors only read it."""
from __future__ import annotations

import pytest
from ckan.tests import helpers

from .conftest import entry_data, make_entry

pytestmark = [pytest.mark.ckan_config("ckan.locale_default", "id"), pytest.mark.usefixtures("clean_db")]

WRITES = [("satudata_kamus_entry_create", entry_data(kode="SP00056.00.00")),
          ("satudata_kamus_entry_update", {"kode": "SP00055.00.00", "konsep": "Warga"}),
          ("satudata_kamus_entry_delete", {"kode": "SP00055.00.00", "note": "Diganti"}),
          ("satudata_kamus_import", {"entries": [entry_data(kode="SP00057.00.00")]})]
READS = [("satudata_kamus_entry_show", {"kode": "SP00055.00.00"}), ("satudata_kamus_entry_list", {}),
         ("satudata_kamus_entry_history", {"kode": "SP00055.00.00"})]


def test_opd_citizen_and_anonymous_refused_for_writes(portal):
    """The OPD's operator and verifikator, a citizen and an anonymous caller may not write, with the reason in
    Indonesian; the entry is unchanged."""
    make_entry(portal)
    for action, data in WRITES:
        for who in ("operator", "verifikator", "warga"):
            with pytest.raises(helpers.logic.NotAuthorized) as err:
                portal.call(action, who, **data)
            assert "Hanya walidata dan pembina data" in str(err.value), (action, who)
        with pytest.raises(helpers.logic.NotAuthorized):
            helpers.call_action(action, context={"user": "", "ignore_auth": False}, **data)
    shown = helpers.call_action("satudata_kamus_entry_show", context={"user": "", "ignore_auth": False},
                                kode="SP00055.00.00")
    assert shown["version"] == 1 and shown["konsep"] == "Penduduk"


def test_walidata_pembina_and_sysadmin_write(portal):
    """The walidata creates, the pembina changes, the sysadmin retires: every write is allowed to them."""
    make_entry(portal, who="walidata")
    assert portal.call("satudata_kamus_entry_update", "pembina", kode="SP00055.00.00", konsep="Warga")["version"] == 2
    assert portal.call("satudata_kamus_entry_delete", "sysadmin", kode="SP00055.00.00", note="x")["state"] == "pensiun"
    assert portal.call("satudata_kamus_import", "pembina", entries=[entry_data(kode="SP00057.00.00")])["created"]


def test_everyone_reads(portal):
    """Show, list and history are public: anonymous, a citizen and an OPD operator read them."""
    make_entry(portal)
    for action, data in READS:
        assert helpers.call_action(action, context={"user": "", "ignore_auth": False}, **data)
        for who in ("warga", "operator"):
            assert portal.call(action, who, **data)
