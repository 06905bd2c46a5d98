"""The failure e-mail, received by a real SMTP server on loopback: once per streak, to the walidata and the OPD."""
from __future__ import annotations

import pytest

from ckanext.satudatapasuruan.harvesters.health import config

from .conftest import PLUGINS, finished_run

pytestmark = [pytest.mark.ckan_config("ckan.plugins", PLUGINS),
              pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")]


def _fail(portal, source_id, message="Sumber tidak menjawab (HTTP 502)"):
    finished_run(source_id, gather_errors=(message,))
    portal.tick()


def test_once_per_streak(portal, inbox):
    """The third consecutive failure mails the walidata and the OPD's verifier (not its operator, not another
    OPD); the fourth does not; after a recovery, three new failures mail again."""
    source = portal.source("simpeg", title="SIMPEG BKPSDM")
    portal.source("sik-dinkes", org=portal.other_opd)
    _fail(portal, source["id"])
    _fail(portal, source["id"])
    assert not inbox.messages
    finished_run(source["id"], record_errors=(("pegawai-17", "Import", "Kolom 'nip' tidak ada"),))
    portal.tick()
    assert inbox.wait(2)
    assert inbox.recipients() == {"walidata@pasuruankab.test", "verifikator@pasuruankab.test"}
    assert inbox.subjects()[0] == "[Satu Data] Sumber panen gagal 3 kali berturut-turut: SIMPEG BKPSDM"
    body = inbox.body(0)
    assert "gagal 3 kali berturut-turut" in body and "Badan Kepegawaian dan Pengembangan SDM" in body
    assert "rekaman pegawai-17 (tahap Import): Kolom 'nip' tidak ada" in body
    assert "http://test.ckan.net/harvest/simpeg/kesehatan" in body and "WIB" in body
    _fail(portal, source["id"])
    assert not inbox.wait(3, seconds=0.5)
    finished_run(source["id"], added=1)  # recovers
    portal.tick()
    for _ in range(3):
        _fail(portal, source["id"], "Waktu habis setelah 30 detik")
    assert inbox.wait(4) and len(inbox.messages) == 4
    assert "Waktu habis setelah 30 detik" in inbox.body(3)


@pytest.mark.ckan_config(config.FAILURE_MAIL_AFTER, 1)
def test_threshold_from_config(portal, inbox):
    """With the threshold at 1 the first failure mails; a partial run (some records through) does not."""
    source = portal.source()
    finished_run(source["id"], added=2, record_errors=(("a", "Import", "x"),))
    portal.tick()
    assert not inbox.wait(1, seconds=0.5)
    _fail(portal, source["id"])
    assert inbox.wait(2)


@pytest.mark.ckan_config(config.FAILURE_MAIL_AFTER, 0)
def test_mail_off(portal, inbox):
    source = portal.source()
    for _ in range(3):
        _fail(portal, source["id"])
    assert not inbox.wait(1, seconds=0.5)
