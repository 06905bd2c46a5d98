"""The theme's menu helper and the small formatting helpers."""
from __future__ import annotations

import ckan.plugins.toolkit as tk
import pytest

from .conftest import make_page

pytestmark = [pytest.mark.ckan_config("ckan.locale_default", "id"),
              pytest.mark.usefixtures("clean_db", "request_context")]


def test_menu_without_pages():
    """The three main sections are always in the menu (their pages say when empty); no 'lainnya'."""
    menu = tk.h.satudata_pages_menu()
    assert [(m["section"], m["url"], m["pages"]) for m in menu] == [
        ("tentang", "/tentang", []), ("kontak", "/kontak", []), ("panduan", "/panduan", [])]


def test_menu_lists_published_pages(portal):
    make_page(portal, slug="panduan", title="Panduan")  # the main page is the section's own entry
    make_page(portal, slug="panduan-b", title="B", order=2)
    make_page(portal, slug="panduan-a", title="A", order=1)
    make_page(portal, slug="panduan-draf", title="Draf", published=False)
    make_page(portal, slug="kebijakan-privasi", title="Kebijakan privasi", section="lainnya")
    menu = {m["section"]: m for m in tk.h.satudata_pages_menu()}
    assert list(menu) == ["tentang", "kontak", "panduan", "lainnya"]
    assert menu["panduan"]["pages"] == [{"slug": "panduan-a", "title": "A", "url": "/halaman/panduan-a"},
                                        {"slug": "panduan-b", "title": "B", "url": "/halaman/panduan-b"}]
    assert menu["lainnya"]["url"] is None and menu["lainnya"]["pages"][0]["slug"] == "kebijakan-privasi"


def test_filesize_and_accept():
    assert tk.h.satudata_pages_filesize(None) == ""
    assert tk.h.satudata_pages_filesize(500) == "500 bita"
    assert tk.h.satudata_pages_filesize(2048) == "2 KB"
    assert tk.h.satudata_pages_filesize(3 * 1024 * 1024 + 200_000) == "3,2 MB"
    assert tk.h.satudata_pages_accept() == ".xlsx,.xls,.csv,.pdf,.docx,.odt,.ods,.png,.jpg,.zip"
    assert tk.h.satudata_pages_max_upload_mb() == 20
