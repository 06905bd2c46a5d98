"""A citizen on a phone-sized window, in Indonesian: from the home page through two facets to a dataset, downloads
its file, then switches the portal to English (issue 9's "done when", the parts the theme owns)."""
from __future__ import annotations

import io
from urllib.parse import urlparse

import pytest
from ckan.tests import factories, helpers
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import Select
from werkzeug.datastructures import FileStorage

from ..metadata.conftest import complete_dataset
from .conftest import PASSWORD, PLUGINS
from .test_operator_flow import _assert_texts, _body, _click, _wait

pytestmark = [pytest.mark.ckan_config("ckan.plugins", PLUGINS),
              pytest.mark.ckan_config("ckan.locale_default", "id"),
              pytest.mark.usefixtures("with_plugins")]

CSV = "kecamatan;jumlah_penduduk\nPurwosari;71234\nPrigen;85120\n"


@pytest.fixture
def catalogue(operator_data):
    """Three published datasets: two of kependudukan (2024 with a CSV file, and 2023), one of kesehatan."""
    factories.User(name="verifikator", password=PASSWORD, email="verifikator@pasuruankab.test")
    factories.User(name="walidata", password=PASSWORD, email="walidata@pasuruankab.test")
    org = operator_data["org"]
    helpers.call_action("organization_member_create", id=org["id"], username="verifikator", role="admin")
    factories.Organization(name="walidata", users=[{"name": "walidata", "capacity": "editor"}])
    operator = {"user": "operator", "ignore_auth": False}
    made = {}
    for name, title, urusan, tahun in (
            ("penduduk-2024", "Jumlah Penduduk per Kecamatan 2024", "2.12", "2024"),
            ("penduduk-2023", "Jumlah Penduduk per Kecamatan 2023", "2.12", "2023"),
            ("balita-2024", "Jumlah Balita Ditimbang 2024", "1.02", "2024")):
        pkg = helpers.call_action("package_create", context=dict(operator),
                                  **complete_dataset(org["id"], name=name, title=title, urusan=urusan, tahun=tahun))
        made[name] = pkg
    helpers.call_action("resource_create", context=dict(operator), package_id=made["penduduk-2024"]["id"],
                        name="Penduduk per kecamatan (CSV)", format="CSV",
                        upload=FileStorage(io.BytesIO(CSV.encode()), filename="penduduk-2024.csv"))
    for pkg in made.values():
        for action, who in (("satudata_workflow_submit", "operator"), ("satudata_workflow_approve", "verifikator"),
                            ("satudata_workflow_publish", "walidata")):
            helpers.call_action(action, context={"user": who, "ignore_auth": False}, id=pkg["id"])
    return made


def _facet(driver, field: str, value: str) -> None:
    """Follow a facet link; on a narrow window CKAN folds the facets behind its "filter" button first."""
    link = (By.CSS_SELECTOR, f"section.module-narrow a[href*='{field}={value}']")
    toggles = [b for b in driver.find_elements(By.CSS_SELECTOR, ".show-filters") if b.is_displayed()]
    if toggles:
        _click(driver, toggles[0])
        _wait(driver).until(EC.visibility_of_element_located(link))
    _click(driver, link)


def test_citizen_finds_downloads_and_switches_language(browser, catalogue, ckan_server, evidence, downloads):
    """Home → sektor tile → Tahun 2024 facet → dataset → its CSV downloaded → the portal in English."""
    driver = browser
    driver.set_window_size(360, 800)

    with evidence.step("home page, in Indonesian, shows the sektor tiles"):
        driver.get(ckan_server("/"))
        _assert_texts(driver, "Data menurut sektor", "Administrasi Kependudukan dan Pencatatan Sipil")

    with evidence.step("the kependudukan tile opens the search filtered by urusan"):
        _click(driver, (By.CSS_SELECTOR, ".satudata-tiles a[href*='urusan=2.12']"))
        _wait(driver).until(EC.url_contains("urusan=2.12"))
        _assert_texts(driver, "Jumlah Penduduk per Kecamatan 2024", "Jumlah Penduduk per Kecamatan 2023")
        assert "Jumlah Balita Ditimbang 2024" not in _body(driver)

    with evidence.step("a second facet, Tahun 2024, narrows to one dataset"):
        _facet(driver, "tahun", "2024")
        _wait(driver).until(EC.url_contains("tahun=2024"))
        # The folded facets stay open over the results after a choice: close them as a person would.
        for button in driver.find_elements(By.CSS_SELECTOR, ".hide-filters"):
            if button.is_displayed():
                _click(driver, button)
        body = _body(driver)
        assert "Jumlah Penduduk per Kecamatan 2024" in body and "Kecamatan 2023" not in body

    with evidence.step("the dataset page shows the metadata and the file"):
        _click(driver, (By.LINK_TEXT, "Jumlah Penduduk per Kecamatan 2024"))
        _wait(driver).until(EC.url_contains("/dataset/penduduk-2024"))
        _assert_texts(driver, "Standar data", "Kutip data ini", "Penduduk per kecamatan (CSV)")

    with evidence.step("the CSV downloads intact"):
        _click(driver, (By.PARTIAL_LINK_TEXT, "Penduduk per kecamatan (CSV)"))
        link = _wait(driver).until(EC.presence_of_element_located(
            (By.CSS_SELECTOR, "a.resource-url-analytics[href$='penduduk-2024.csv']")))
        # The address is the file's own path on this server (the index was written by the test process, whose
        # site_url is not the server's, so the host part is taken from the server).
        driver.get(ckan_server(urlparse(link.get_attribute("href")).path))
        target = downloads / "penduduk-2024.csv"
        _wait(driver).until(lambda d: target.exists() and not list(downloads.glob("*.crdownload")))
        assert target.read_text() == CSV

    with evidence.step("the footer's language selector switches the portal to English"):
        driver.get(ckan_server("/"))
        select = _wait(driver).until(EC.presence_of_element_located((By.ID, "field-lang-select")))
        english = next(o.get_attribute("value") for o in Select(select).options if o.get_attribute("lang") == "en")
        # CKAN dresses the select as a select2 widget; choosing fires the change its select-switch module submits on.
        driver.execute_script("arguments[0].value = arguments[1]; jQuery(arguments[0]).trigger('change');",
                              select, english)
        _wait(driver).until(EC.url_contains("/en"))
        _wait(driver).until(EC.text_to_be_present_in_element((By.TAG_NAME, "body"), "Data by sector"))
        _assert_texts(driver, "Latest data", "Explore Data")

    assert not ckan_server.errors()
