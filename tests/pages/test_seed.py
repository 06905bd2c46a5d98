"""``ckan satudata-pages init``: the default pages in Bahasa Indonesia, created once and never overwritten."""
from __future__ import annotations

import pytest

from ckanext.satudatapasuruan.pages import records, seed
from ckanext.satudatapasuruan.pages.cli import pages

pytestmark = [pytest.mark.usefixtures("clean_db")]

SLUGS = ["tentang", "kontak", "panduan", "panduan-pencarian-data", "panduan-penggunaan-api",
         "panduan-operator-opd"]


def test_seed_is_idempotent_and_keeps_edits(portal):
    """The first run creates the pages (published, by the site user); later runs create only missing ones and
    leave an edited or unpublished page as the walidata left it."""
    assert seed.seed() == [(slug, True) for slug in SLUGS]
    page = records.get_page("tentang")
    assert page["published"] and page["section"] == "tentang" and "Perpres 39/2019" in page["body"]
    assert "BPS Kabupaten Pasuruan" in page["body"] and "Diskominfo" in page["body"]
    assert "OPD" in page["body"]
    assert "/api/3/action/package_search" in records.get_page("panduan-penggunaan-api")["body"]
    assert "WAJIB DIUBAH" in records.get_page("kontak")["body"]
    portal.call("satudata_page_update", "walidata", id="tentang", body="Isi walidata", published=False)
    portal.call("satudata_page_delete", "walidata", id="panduan-operator-opd")
    assert seed.seed() == [(slug, slug == "panduan-operator-opd") for slug in SLUGS]
    page = records.get_page("tentang")
    assert page["body"] == "Isi walidata" and not page["published"]
    assert len(records.pages(published_only=False)) == len(SLUGS)


def test_cli(portal, cli):
    result = cli.invoke(pages, ["init", "--draft"])
    assert result.exit_code == 0, result.output
    assert "tentang: dibuat" in result.output
    assert not any(p["published"] for p in records.pages(published_only=False))
    result = cli.invoke(pages, ["init"])
    assert result.exit_code == 0 and "tentang: sudah ada" in result.output and "dibuat" not in result.output
