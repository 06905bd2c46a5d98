"""The page and attachment actions: what they store and return, their Indonesian validation messages, what
non-managers see, and that a refused upload leaves nothing behind."""
from __future__ import annotations

import ckan.plugins.toolkit as tk
import pytest
from ckan.tests import helpers

from ckanext.satudatapasuruan.pages import config, records

from .conftest import CSV, PDF, make_page, stored_files, upload, xlsx_bytes

pytestmark = [
              pytest.mark.ckan_config("ckan.locale_default", "id"),
              pytest.mark.usefixtures("clean_db", "storage")]


def _errors(excinfo) -> dict:
    return excinfo.value.error_dict


class TestPageCreate:
    def test_creates_with_defaults(self, portal):
        """A page is stored with its fields, the editor's name and times; unpublished unless asked."""
        page = portal.call("satudata_page_create", "walidata", slug="tentang-kami", title="Tentang kami",
                           section="tentang", body="Halo")
        assert page["slug"] == "tentang-kami" and page["title"] == "Tentang kami" and page["body"] == "Halo"
        assert page["section"] == "tentang" and page["order"] == 0 and page["published"] is False
        assert page["updated_by"] == "walidata" and page["updated"] and page["attachments"] == []
        assert page["url"] == "http://test.ckan.net/halaman/tentang-kami"
        portal.call("satudata_page_update", "walidata", id=page["id"], published=True)
        public = portal.call("satudata_page_show", "warga", id="tentang-kami")
        assert public["updated_by"] is None and public["title"] == "Tentang kami"  # who edited: managers only
        assert portal.call("satudata_page_list", "warga")[0]["updated_by"] is None

    def test_empty_title(self, portal):
        """An empty or blank title is refused in Indonesian."""
        with pytest.raises(tk.ValidationError) as err:
            make_page(portal, title="   ")
        assert _errors(err)["title"] == ["Judul wajib diisi"]

    def test_missing_fields(self, portal):
        with pytest.raises(tk.ValidationError) as err:
            portal.call("satudata_page_create", "walidata")
        errors = _errors(err)
        assert errors["slug"] == ["Slug wajib diisi"] and errors["section"] == ["Bagian wajib dipilih"]

    def test_duplicate_slug(self, portal):
        make_page(portal)
        with pytest.raises(tk.ValidationError) as err:
            make_page(portal, title="Lain")
        assert _errors(err)["slug"] == ["Slug \u201cpanduan-unggah\u201d sudah dipakai halaman lain"]
        assert len(records.pages(published_only=False)) == 1

    @pytest.mark.parametrize("slug", ["Panduan", "panduan api", "panduan_api", "-awal", "akhir-", "a--b",
                                      "sl\u00fcg", "x" * 101])
    def test_bad_slug(self, portal, slug):
        """Only lowercase letters, digits and single inner hyphens make a slug."""
        with pytest.raises(tk.ValidationError) as err:
            make_page(portal, slug=slug)
        assert _errors(err)["slug"] == [
            "Slug 1\u2013100 karakter: huruf kecil, angka dan tanda hubung (mis. panduan-api)"]

    def test_reserved_slug(self, portal):
        """``kelola`` is the management address under /halaman/."""
        with pytest.raises(tk.ValidationError) as err:
            make_page(portal, slug="kelola")
        assert "dipakai oleh portal" in _errors(err)["slug"][0]

    def test_bad_section(self, portal):
        with pytest.raises(tk.ValidationError) as err:
            make_page(portal, section="berita")
        assert _errors(err)["section"] == ["Bagian harus salah satu dari: tentang, kontak, panduan, lainnya"]

    @pytest.mark.parametrize("order, message", [("satu", "Urutan harus berupa bilangan bulat"),
                                                (100000, "Urutan harus antara -9999 dan 9999")])
    def test_bad_order(self, portal, order, message):
        with pytest.raises(tk.ValidationError) as err:
            make_page(portal, order=order)
        assert _errors(err)["order"] == [message]

    def test_title_too_long(self, portal):
        with pytest.raises(tk.ValidationError) as err:
            make_page(portal, title="J" * 201)
        assert _errors(err)["title"] == ["Paling panjang 200 karakter"]


class TestPageUpdate:
    def test_changes_given_fields_only(self, portal):
        """Fields not given keep their values; the editor and time are recorded."""
        page = make_page(portal, who="sysadmin", order=5)
        updated = portal.call("satudata_page_update", "walidata", id=page["slug"], title="Judul baru")
        assert updated["title"] == "Judul baru" and updated["order"] == 5 and updated["body"] == page["body"]
        assert updated["updated_by"] == "walidata" and updated["updated"] >= page["updated"]

    def test_slug_change_and_conflict(self, portal):
        first = make_page(portal)
        make_page(portal, slug="panduan-lain")
        assert portal.call("satudata_page_update", "walidata", id=first["id"], slug="panduan-baru")["slug"] == \
            "panduan-baru"
        with pytest.raises(tk.ValidationError) as err:
            portal.call("satudata_page_update", "walidata", id=first["id"], slug="panduan-lain")
        assert "sudah dipakai" in _errors(err)["slug"][0]
        # keeping one's own slug is not a conflict
        portal.call("satudata_page_update", "walidata", id=first["id"], slug="panduan-baru", title="T")

    def test_empty_title_refused(self, portal):
        page = make_page(portal)
        with pytest.raises(tk.ValidationError) as err:
            portal.call("satudata_page_update", "walidata", id=page["id"], title="")
        assert _errors(err)["title"] == ["Judul wajib diisi"]
        assert records.get_page(page["id"])["title"] == "Panduan unggah"

    def test_unknown_page(self, portal):
        with pytest.raises(tk.ObjectNotFound):
            portal.call("satudata_page_update", "walidata", id="tidak-ada", title="T")


class TestShowAndList:
    def test_unpublished_hidden_from_public(self, portal):
        """Non-managers get only published pages: an unpublished one is unknown to them."""
        draft = make_page(portal, slug="draf", published=False)
        make_page(portal, slug="terbit")
        for who in ("warga", "operator", "pembina"):
            with pytest.raises(tk.ObjectNotFound):
                portal.call("satudata_page_show", who, id="draf")
            assert [p["slug"] for p in portal.call("satudata_page_list", who, include_unpublished=True)] == \
                ["terbit"]
        with pytest.raises(tk.ObjectNotFound):
            helpers.call_action("satudata_page_show", context={"user": "", "ignore_auth": False}, id="draf")
        assert portal.call("satudata_page_show", "walidata", id=draft["id"])["slug"] == "draf"
        assert [p["slug"] for p in portal.call("satudata_page_list", "walidata")] == ["terbit"]
        assert {p["slug"] for p in portal.call("satudata_page_list", "walidata", include_unpublished=True)} == \
            {"draf", "terbit"}

    def test_list_order_and_section(self, portal):
        """Pages come by section, then order, then title; ``section`` filters; bodies are left out."""
        make_page(portal, slug="b", title="B", order=2)
        make_page(portal, slug="a", title="A", order=2)
        make_page(portal, slug="c", title="C", order=1)
        make_page(portal, slug="t", title="T", section="tentang")
        found = portal.call("satudata_page_list", "warga", section="panduan")
        assert [p["slug"] for p in found] == ["c", "a", "b"] and "body" not in found[0]
        assert [p["section"] for p in portal.call("satudata_page_list", "warga")] == \
            ["panduan", "panduan", "panduan", "tentang"]

    def test_list_bad_section(self, portal):
        with pytest.raises(tk.ValidationError):
            portal.call("satudata_page_list", "warga", section="berita")

    def test_show_is_side_effect_free(self, portal):
        """Read actions are GET-able (side effect free) and the API lets anonymous callers use them."""
        from ckan.logic import get_action
        assert getattr(get_action("satudata_page_show"), "side_effect_free", False)
        assert getattr(get_action("satudata_page_list"), "side_effect_free", False)


class TestPageDelete:
    def test_deletes_page_attachments_and_files(self, portal, storage):
        page = make_page(portal)
        portal.call("satudata_page_attachment_create", "walidata", page_id=page["id"], title="Templat",
                    upload=upload(xlsx_bytes(), "templat.xlsx"))
        portal.call("satudata_page_attachment_create", "walidata", page_id=page["id"], title="Video",
                    url="https://www.youtube.com/watch?v=abc")
        assert len(stored_files(storage)) == 1
        assert portal.call("satudata_page_delete", "walidata", id=page["slug"]) == {"id": page["id"],
                                                                                    "slug": page["slug"]}
        assert records.get_page(page["id"]) is None and records.attachments([page["id"]]) == {page["id"]: []}
        assert stored_files(storage) == []
        with pytest.raises(tk.ObjectNotFound):
            portal.call("satudata_page_delete", "walidata", id=page["id"])


class TestAttachmentCreate:
    def test_file(self, portal, storage):
        """A file goes into storage through CKAN's uploader; the attachment keeps its original name."""
        page = make_page(portal)
        made = portal.call("satudata_page_attachment_create", "walidata", page_id=page["slug"],
                           title="Templat Excel", upload=upload(xlsx_bytes(), "Templat Resmi 2025.xlsx"),
                           description="Isi sesuai standar data", order=3)
        assert made["kind"] == "file" and made["filename"] == "Templat Resmi 2025.xlsx"
        assert made["mimetype"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        assert made["size"] == len(xlsx_bytes()) and made["order"] == 3
        assert made["url"] == f"http://test.ckan.net/halaman/panduan-unggah/lampiran/{made['id']}"
        [stored] = stored_files(storage)
        assert stored.read_bytes() == xlsx_bytes()
        assert records.get_attachment(made["id"])["stored_name"] == stored.name
        assert portal.call("satudata_page_show", "warga", id=page["id"])["attachments"][0]["id"] == made["id"]

    @pytest.mark.parametrize("data, name", [(PDF, "metodologi.pdf"), (CSV, "contoh.csv"),
                                            (b"\x89PNG\r\n\x1a\n0000", "alur.png"),
                                            (b"\xff\xd8\xff\xe0jfif", "foto.jpg"),
                                            (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, "lama.xls")])
    def test_other_allowed_types(self, portal, storage, data, name):
        page = make_page(portal)
        made = portal.call("satudata_page_attachment_create", "walidata", page_id=page["id"], title="Berkas",
                           upload=upload(data, name))
        assert made["filename"] == name and len(stored_files(storage)) == 1

    def test_link(self, portal, storage):
        page = make_page(portal)
        made = portal.call("satudata_page_attachment_create", "walidata", page_id=page["id"],
                           title="Video tutorial", url="https://www.youtube.com/watch?v=abc")
        assert made["kind"] == "link" and made["url"] == "https://www.youtube.com/watch?v=abc"
        assert made["filename"] is None and stored_files(storage) == []

    @pytest.mark.parametrize("url", ["javascript:alert(1)", "ftp://x.test/a", "www.youtube.com", "https:///a"])
    def test_bad_link(self, portal, url):
        page = make_page(portal)
        with pytest.raises(tk.ValidationError) as err:
            portal.call("satudata_page_attachment_create", "walidata", page_id=page["id"], title="V", url=url)
        assert _errors(err)["url"] == ["Tautan harus alamat web lengkap yang diawali http:// atau https://"]

    def test_neither_or_both(self, portal, storage):
        page = make_page(portal)
        with pytest.raises(tk.ValidationError) as err:
            portal.call("satudata_page_attachment_create", "walidata", page_id=page["id"], title="X")
        assert _errors(err)["upload"] == ["Unggah berkas atau isi tautan"]
        with pytest.raises(tk.ValidationError) as err:
            portal.call("satudata_page_attachment_create", "walidata", page_id=page["id"], title="X",
                        url="https://a.test/", upload=upload(PDF, "a.pdf"))
        assert _errors(err)["upload"] == ["Pilih salah satu: unggah berkas atau isi tautan, tidak keduanya"]
        assert stored_files(storage) == [] and records.attachments([page["id"]])[page["id"]] == []

    def test_empty_title(self, portal, storage):
        page = make_page(portal)
        with pytest.raises(tk.ValidationError) as err:
            portal.call("satudata_page_attachment_create", "walidata", page_id=page["id"], title="",
                        upload=upload(PDF, "a.pdf"))
        assert _errors(err)["title"] == ["Judul lampiran wajib diisi"]
        assert stored_files(storage) == []

    @pytest.mark.parametrize("data, name, message", [
        (b"MZ\x90\x00", "setup.exe", "Jenis berkas .exe tidak diizinkan. Jenis yang diizinkan: "
                                     "xlsx, xls, csv, pdf, docx, odt, ods, png, jpg, zip"),
        (b"<svg onload=alert(1)>", "gambar.svg", "Jenis berkas .svg tidak diizinkan"),
        (b"<html><script>alert(1)</script>", "halaman.html", "Jenis berkas .html tidak diizinkan"),
        (PDF, "tanpa-ekstensi", "Berkas tanpa ekstensi tidak diizinkan"),
        (b"", "kosong.pdf", "Berkas kosong"),
        (b"<html><script>alert(1)</script></html>", "palsu.pdf", "Isi berkas bukan berkas PDF yang sah"),
        (b"<html><body>x</body></html>", "palsu.csv", "Isi berkas bukan berkas CSV yang sah"),
        (b"a,b\x00\x01", "biner.csv", "Isi berkas bukan berkas CSV yang sah"),
        (PDF, "bukan-excel.xlsx", "Isi berkas bukan berkas XLSX yang sah"),
    ])
    def test_refused_file_leaves_nothing(self, portal, storage, data, name, message):
        """A refused file: an Indonesian message, no attachment row, no file in storage."""
        page = make_page(portal)
        with pytest.raises(tk.ValidationError) as err:
            portal.call("satudata_page_attachment_create", "walidata", page_id=page["id"], title="Berkas",
                        upload=upload(data, name))
        assert _errors(err)["upload"][0].startswith(message)
        assert stored_files(storage) == [] and records.attachments([page["id"]])[page["id"]] == []

    @pytest.mark.ckan_config(config.MAX_UPLOAD_MB, 1)
    def test_too_big(self, portal, storage):
        page = make_page(portal)
        big = b"%PDF-1.4\n" + b"0" * (1024 * 1024)
        with pytest.raises(tk.ValidationError) as err:
            portal.call("satudata_page_attachment_create", "walidata", page_id=page["id"], title="Besar",
                        upload=upload(big, "besar.pdf"))
        assert _errors(err)["upload"] == ["Berkas terlalu besar (1,0 MB); batasnya 1 MB"]
        assert stored_files(storage) == [] and records.attachments([page["id"]])[page["id"]] == []

    @pytest.mark.ckan_config(config.ALLOWED_EXTENSIONS, "pdf txt")
    def test_allowed_list_from_config(self, portal, storage):
        """The configured list replaces the default one; a listed text type is checked as text."""
        page = make_page(portal)
        with pytest.raises(tk.ValidationError) as err:
            portal.call("satudata_page_attachment_create", "walidata", page_id=page["id"], title="X",
                        upload=upload(CSV, "data.csv"))
        assert _errors(err)["upload"] == ["Jenis berkas .csv tidak diizinkan. Jenis yang diizinkan: pdf, txt"]
        made = portal.call("satudata_page_attachment_create", "walidata", page_id=page["id"], title="Catatan",
                           upload=upload(b"catatan", "catatan.txt"))
        assert made["mimetype"] == "text/plain; charset=utf-8"

    def test_storage_not_configured(self, portal, storage, ckan_config, monkeypatch):
        page = make_page(portal)
        monkeypatch.setitem(ckan_config, "ckan.storage_path", "")
        with pytest.raises(tk.ValidationError) as err:
            portal.call("satudata_page_attachment_create", "walidata", page_id=page["id"], title="X",
                        upload=upload(PDF, "a.pdf"))
        assert _errors(err)["upload"] == ["Penyimpanan berkas belum diatur (ckan.storage_path)"]
        assert records.attachments([page["id"]])[page["id"]] == []

    def test_unknown_page(self, portal, storage):
        with pytest.raises(tk.ObjectNotFound):
            portal.call("satudata_page_attachment_create", "walidata", page_id="tidak-ada", title="X",
                        upload=upload(PDF, "a.pdf"))
        assert stored_files(storage) == []


class TestAttachmentDelete:
    def test_removes_row_and_file(self, portal, storage):
        page = make_page(portal)
        made = portal.call("satudata_page_attachment_create", "walidata", page_id=page["id"], title="PDF",
                           upload=upload(PDF, "a.pdf"))
        assert portal.call("satudata_page_attachment_delete", "walidata", id=made["id"]) == {
            "id": made["id"], "page_id": page["id"]}
        assert records.get_attachment(made["id"]) is None and stored_files(storage) == []

    def test_unknown(self, portal):
        with pytest.raises(tk.ObjectNotFound):
            portal.call("satudata_page_attachment_delete", "walidata", id="tidak-ada")
