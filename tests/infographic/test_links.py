"""The QR short link /i/<code>: the printed code leads to the dataset and counts the scan; withdrawn,
unknown and unpublished infographics get clear Indonesian pages, never a 500 and never a leak."""
from __future__ import annotations

import io
from urllib.parse import urlparse

import pytest
from ckan import model
from PIL import Image
from pyzbar.pyzbar import decode

from ckanext.satudatapasuruan import usage
from ckanext.satudatapasuruan.infographic import records

from .conftest import PLUGINS, headers, image_bytes, make_infographic

pytestmark = [pytest.mark.ckan_config("ckan.plugins", PLUGINS),
              pytest.mark.ckan_config("ckanext.satudatapasuruan.workflow.notify_email", False),
              pytest.mark.ckan_config("ckan.locale_default", "id"),
              pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index", "storage")]


@pytest.fixture
def scans():
    """The usage signals sent during the test."""
    seen = []

    def receiver(sender, **kwargs):
        seen.append((sender, kwargs))
    usage.used.connect(receiver)
    yield seen
    usage.used.disconnect(receiver)


@pytest.fixture
def live(app, portal, templates, published):
    """A published infographic linking a published dataset."""
    pkg = make_infographic(portal, [published["name"]], image_bytes())
    portal.publish(pkg["id"])
    return {"pkg": pkg, "dataset": published, "code": records.link_of(pkg["id"])["code"]}


def _scans(pkg_id: str) -> int:
    model.Session.expire_all()
    return records.link_of(pkg_id)["scans"]


class TestScanEndToEnd:
    def test_qr_in_png_leads_to_dataset_and_counts(self, app, live, scans):
        """Render the PNG, decode its QR code, follow it: the dataset page opens and the scan is counted."""
        png = app.get(f"/infografis/{live['pkg']['name']}/unduh.png")
        assert png.status_code == 200 and png.headers["Content-Type"] == "image/png"
        urls = [d.data.decode() for d in decode(Image.open(io.BytesIO(png.get_data())))]
        assert urls == [f"http://test.ckan.net/i/{live['code']}"]
        response = app.get(urlparse(urls[0]).path, follow_redirects=False)
        assert response.status_code == 302
        assert urlparse(response.headers["Location"]).path == f"/dataset/{live['dataset']['name']}"
        page = app.get(urlparse(urls[0]).path)
        assert page.status_code == 200 and live["dataset"]["title"] in page.body
        assert _scans(live["pkg"]["id"]) == 2
        scan_signals = [kw for sender, kw in scans if sender == usage.Kind.SCAN]
        assert scan_signals == [{"package_id": live["dataset"]["id"], "infographic_id": live["pkg"]["id"]}] * 2
        info = app.get(f"/api/3/action/satudata_infographic_show?id={live['pkg']['name']}").json["result"]
        assert info["scans"] == 2 and info["last_scan"]

    def test_code_is_case_insensitive(self, app, live):
        response = app.get(f"/i/{live['code'].lower()}", follow_redirects=False)
        assert response.status_code == 302 and _scans(live["pkg"]["id"]) == 1

    def test_link_survives_rename_of_infographic(self, app, portal, templates, published):
        """The code is bound to the dataset's id: renamed and edited before publication, the printed link works."""
        pkg = make_infographic(portal, [published["name"]], image_bytes())
        code = records.link_of(pkg["id"])["code"]
        portal.call("package_patch", "operator", id=pkg["id"], name="infografis-dinamai-ulang", title="Judul baru")
        portal.publish(pkg["id"])
        response = app.get(f"/i/{code}", follow_redirects=False)
        assert response.status_code == 302 and records.link_of(pkg["id"])["code"] == code

    def test_counting_failure_still_redirects(self, app, live, scans):
        """When the counter cannot be written (a real database error), the visitor still reaches the data."""
        model.Session.execute(__import__("sqlalchemy").text("""
            CREATE FUNCTION satudata_infographic.refuse() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN RAISE EXCEPTION 'read-only for the test'; END $$;
            CREATE TRIGGER refuse BEFORE UPDATE ON satudata_infographic.link
            FOR EACH ROW EXECUTE FUNCTION satudata_infographic.refuse();"""))
        model.Session.commit()
        try:
            response = app.get(f"/i/{live['code']}", follow_redirects=False)
            assert response.status_code == 302
            assert [kw["package_id"] for s, kw in scans if s == usage.Kind.SCAN] == [live["dataset"]["id"]]
        finally:
            model.Session.rollback()
            model.Session.execute(__import__("sqlalchemy").text(
                "DROP TRIGGER refuse ON satudata_infographic.link; DROP FUNCTION satudata_infographic.refuse()"))
            model.Session.commit()
        assert _scans(live["pkg"]["id"]) == 0


def _page(body: str, code: str) -> list[str]:
    """The page without the code and the per-request CSRF token."""
    return [line for line in body.replace(code, "").splitlines() if "csrf" not in line.lower()]


class TestNotices:
    def test_unknown_code_is_an_indonesian_404(self, app, scans):
        response = app.get("/i/ZZZZZZZ", status=None)
        assert response.status_code == 404 and "Tautan infografis tidak ditemukan" in response.body
        assert "Cari di katalog data" in response.body and scans == []

    def test_withdrawn_infographic_explains_itself(self, app, portal, live, scans):
        """After the walidata withdraws it, the link shows 'telah ditarik' (410) to everyone, uncounted."""
        portal.call("satudata_workflow_withdraw", "walidata", id=live["pkg"]["id"], note="Angka dikoreksi")
        for who in (None, "operator_lain", "operator"):
            response = app.get(f"/i/{live['code']}", status=None, headers=headers(portal, who) if who else {})
            assert response.status_code == 410, who
            assert "Infografis ini telah ditarik" in response.body and "Cari di katalog data" in response.body
        assert _scans(live["pkg"]["id"]) == 0 and scans == []

    def test_deleted_after_publication_explains_itself(self, app, portal, live):
        portal.call("package_delete", "sysadmin", id=live["pkg"]["id"])
        response = app.get(f"/i/{live['code']}", status=None)
        assert response.status_code == 410 and "Infografis ini telah ditarik" in response.body

    def test_linked_dataset_withdrawn(self, app, portal, live):
        portal.call("satudata_workflow_withdraw", "walidata", id=live["dataset"]["id"], note="Diperbaiki")
        response = app.get(f"/i/{live['code']}", status=None)
        assert response.status_code == 410 and "Data infografis ini tidak lagi tersedia" in response.body
        assert _scans(live["pkg"]["id"]) == 0

    def test_unpublished_is_unknown_to_outsiders(self, app, portal, templates, published, scans):
        """A draft's code answers exactly like an unknown code for anonymous visitors and other OPDs."""
        pkg = make_infographic(portal, [published["name"]], image_bytes())
        code = records.link_of(pkg["id"])["code"]
        unknown = app.get("/i/ZZZZZZZ", status=None).body
        for who in (None, "operator_lain", "warga"):
            response = app.get(f"/i/{code}", status=None, headers=headers(portal, who) if who else {})
            assert response.status_code == 404 and "Tautan infografis tidak ditemukan" in response.body
            assert pkg["title"] not in response.body
        assert _page(app.get(f"/i/{code}", status=None).body, code) == _page(unknown, "ZZZZZZZ")
        owner = app.get(f"/i/{code}", headers=headers(portal, "operator"), follow_redirects=False)
        assert owner.status_code == 200 and "Infografis belum terbit" in owner.body
        assert published["title"] in owner.body
        assert _scans(pkg["id"]) == 0 and scans == []
