"""The public pages of the theme: home, main menu, Eksplorasi Data facets, Data Terbaru, the dataset page."""
from __future__ import annotations

import re

import pytest
from bs4 import BeautifulSoup
from PIL import Image
from pyzbar import pyzbar

from ckanext.satudatapasuruan.theme import views

from .conftest import PLUGINS

pytestmark = [pytest.mark.ckan_config("ckan.plugins", PLUGINS),
              pytest.mark.ckan_config("ckan.locale_default", "id"),
              pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")]


def _soup(app, url: str, **kwargs) -> BeautifulSoup:
    response = app.get(url, **kwargs)
    assert response.status_code == 200, response.body[:500]
    return BeautifulSoup(response.body, "html.parser")


def _text(soup: BeautifulSoup) -> str:
    return " ".join(soup.get_text(" ").split())


@pytest.fixture
def catalogue(portal):
    """A published open dataset, a published rahasia one, a draft: only the first is the public's."""
    open_ = portal.dataset(name="penduduk-terbuka", title="Penduduk Terbuka 2024")
    secret = portal.dataset("rahasia", name="penduduk-rahasia", title="Penduduk Rahasia 2024")
    draft = portal.dataset(name="penduduk-draf", title="Penduduk Draf 2024")
    portal.publish(open_["id"])
    portal.publish(secret["id"])
    return {"open": open_, "secret": secret, "draft": draft}


class TestHome:
    def test_shows_public_data_only(self, app, catalogue):
        """Figures, sektor tiles and newest data count what the public may see, never rahasia or drafts."""
        soup = _soup(app, "/")
        text = _text(soup)
        assert "Penduduk Terbuka 2024" in text
        assert "Penduduk Rahasia 2024" not in text and "Penduduk Draf 2024" not in text
        stats = {li.select_one(".satudata-stat-label").get_text(strip=True):
                 li.select_one(".satudata-stat-value").get_text(strip=True) for li in soup.select(".satudata-stats li")}
        assert stats["Dataset terbit"] == "1"
        assert stats["OPD produsen data"] == "1"
        assert stats["Data prioritas"] == "1"
        tiles = [" ".join(a.get_text(" ").split()) for a in soup.select(".satudata-tiles a")]
        assert tiles == ["Administrasi Kependudukan dan Pencatatan Sipil 1 dataset"]
        assert soup.select_one(".satudata-tiles a")["href"].endswith("urusan=2.12")

    def test_figures_are_the_public_catalogue(self, app, catalogue, portal):
        """Signed in, the OPD's operator gets the public catalogue's figures too (its rahasia data is private)."""
        soup = _soup(app, "/", headers={"Authorization": portal.users["operator"]["token"]})
        stats = {li.select_one(".satudata-stat-label").get_text(strip=True):
                 li.select_one(".satudata-stat-value").get_text(strip=True) for li in soup.select(".satudata-stats li")}
        assert stats["Dataset terbit"] == "1"

    def test_empty_portal(self, app):
        """A portal with nothing published says so instead of showing empty lists."""
        assert "Belum ada data yang terbit." in _text(_soup(app, "/"))

    def test_search_form_is_labelled(self, app):
        """The home search box has a visible label and submits to Eksplorasi Data."""
        soup = _soup(app, "/")
        field = soup.select_one("#satudata-home-q")
        assert soup.select_one("label[for=satudata-home-q]").get_text(strip=True) == "Cari data"
        assert field.find_parent("form")["action"] == "/dataset/"


class TestMenu:
    def test_items_of_enabled_plugins_only(self, app):
        """The menu lists what this portal serves: Infografis yes, Kalender Rilis not without its plugin."""
        labels = [a.get_text(strip=True) for a in _soup(app, "/").select(".masthead .navbar-nav a")]
        assert labels[:4] == ["Beranda", "Eksplorasi Data", "Data Terbaru", "Infografis"]
        assert "Kalender Rilis" not in labels and "Capaian Kinerja" not in labels
        assert "API" in labels

    def test_current_page_marked(self, app):
        """The current page's item carries aria-current, and only that one."""
        current = _soup(app, "/data-terbaru").select(".masthead [aria-current=page]")
        assert [a.get_text(strip=True) for a in current] == ["Data Terbaru"]

    @pytest.mark.ckan_config("ckanext.satudatapasuruan.theme.api_docs_url", "https://api.example.test/docs")
    def test_api_item_configurable(self, app):
        """The API item follows the configured documentation address."""
        links = {a.get_text(strip=True): a["href"] for a in _soup(app, "/").select(".masthead .navbar-nav a")}
        assert links["API"] == "https://api.example.test/docs"


class TestSearchFacets:
    def test_sdi_facets_in_order(self, app, catalogue):
        """Eksplorasi Data lists the facets in the Petunjuk Teknis order: OPD, sektor, wilayah, tahun, ..."""
        soup = _soup(app, "/dataset/")
        titles = [h.get_text(" ", strip=True) for h in soup.select("section.module-narrow h2.module-heading")]
        wanted = ["OPD", "Sektor / urusan", "Wilayah", "Tahun", "Frekuensi", "Format", "Klasifikasi akses",
                  "Data prioritas"]
        found = [t for t in titles if t in wanted]
        assert found == [t for t in wanted if t in found]
        assert found[:4] == ["OPD", "Sektor / urusan", "Wilayah", "Tahun"]


class TestNewest:
    def test_newest_first_and_paged(self, app, portal, monkeypatch):
        """Data Terbaru lists published datasets, the most recently changed first, a page at a time."""
        monkeypatch.setattr(views, "PER_PAGE", 3)
        for i in range(5):
            ds = portal.dataset(name=f"data-{i:02d}", title=f"Data Ke {i:02d}")
            portal.publish(ds["id"])
        first = _text(_soup(app, "/data-terbaru"))
        assert "5 dataset" in first
        assert first.index("Data Ke 04") < first.index("Data Ke 03") < first.index("Data Ke 02")
        assert "Data Ke 01" not in first
        second = _text(_soup(app, "/data-terbaru?page=2"))
        assert "Data Ke 01" in second and "Data Ke 00" in second and "Data Ke 04" not in second

    @pytest.mark.parametrize("page", ["abc", "-3", "0"])
    def test_bad_page_number(self, app, catalogue, page):
        """A bad page number shows the first page, not an error."""
        assert "Penduduk Terbuka 2024" in _text(_soup(app, f"/data-terbaru?page={page}"))

    def test_hides_rahasia(self, app, catalogue):
        """Rahasia and draft datasets never reach the public list."""
        text = _text(_soup(app, "/data-terbaru"))
        assert "Penduduk Terbuka 2024" in text and "Rahasia" not in text and "Draf 2024" not in text


class TestDatasetPage:
    def test_metadata_grouped_as_bps(self, app, catalogue):
        """The metadata shows in the schema's sections, one captioned table each, in the schema's order."""
        soup = _soup(app, "/dataset/penduduk-terbuka")
        captions = [c.get_text(strip=True) for c in soup.select(".satudata-metadata caption")]
        order = ["Identitas data", "Standar data", "Periode dan cakupan wilayah", "Akses dan prioritas",
                 "Sumber dan kontak"]
        assert [c for c in captions if c in order] == order
        standar = soup.find("caption", string="Standar data").find_parent("table")
        assert "Penduduk" in standar.get_text() and "jiwa" in standar.get_text().lower()

    def test_citation_and_api(self, app, catalogue):
        """The page says how to cite the dataset and how to fetch it through the API."""
        soup = _soup(app, "/dataset/penduduk-terbuka")
        citation = soup.select_one(".satudata-citation").get_text(" ", strip=True)
        assert citation.startswith("Dinas Kependudukan dan Pencatatan Sipil. (2024). Penduduk Terbuka 2024.")
        assert "http://test.ckan.net/dataset/penduduk-terbuka" in citation
        calls = [c.get_text() for c in soup.select(".satudata-api code")]
        assert 'curl "http://test.ckan.net/api/3/action/package_show?id=penduduk-terbuka"' in calls

    def test_qr_leads_to_the_page(self, app, catalogue):
        """The page's QR code, read back by a decoder, is the page's own address."""
        soup = _soup(app, "/dataset/penduduk-terbuka")
        img = soup.select_one(".satudata-qr img")
        assert img["alt"].startswith("Kode QR menuju")
        svg = _svg_from_data_uri(img["src"])
        decoded = pyzbar.decode(_rasterise(svg))
        assert [d.data.decode() for d in decoded] == ["http://test.ckan.net/dataset/penduduk-terbuka"]

    def test_rahasia_page_still_404_for_public(self, app, catalogue):
        """The theme adds nothing that would open a rahasia dataset's page to the public."""
        assert app.get("/dataset/penduduk-rahasia", status=404)


def _svg_from_data_uri(uri: str) -> str:
    from urllib.parse import unquote

    assert uri.startswith("data:image/svg+xml")
    return unquote(uri.split(",", 1)[1])


def _rasterise(svg: str) -> Image.Image:
    """Draw segno's SVG path (unit squares, 'M x y h n' runs) onto a bitmap, as a phone camera would see it."""
    size = re.search(r"width=['\"](\d+)['\"] height=['\"](\d+)['\"]", svg)
    scale = float(re.search(r'scale\((\d+)\)', svg).group(1)) if "scale(" in svg else 1.0
    width, height = int(size.group(1)), int(size.group(2))
    image = Image.new("L", (width * 4, height * 4), 255)
    path = re.search(r"<path[^>]*stroke=[^>]* d=['\"]([^'\"]+)['\"]", svg).group(1)  # the dark modules
    x = y = 0.0
    for cmd, a, b in re.findall(r"([Mmhv])\s*(-?[\d.]+)(?:[ ,](-?[\d.]+))?", path):
        a = float(a)
        if cmd == "M":
            x, y = a, float(b)
        elif cmd == "m":
            x, y = x + a, y + float(b)
        elif cmd == "h":
            x0, x = x, x + a
            for px in range(int(min(x0, x) * scale * 4), int(max(x0, x) * scale * 4)):
                for py in range(int((y - 0.5) * scale * 4), int((y + 0.5) * scale * 4)):
                    image.putpixel((px, py), 0)
    return image.resize((width * 2, height * 2), Image.NEAREST)
