"""The governance instruments of issue 10 in a real browser: the public Capaian Kinerja dashboard draws its
trend charts (Chart.js) and the kecamatan map with no script error, and an OPD operator moves a repair ticket
on the quality board, fixes the dataset, and sees the ticket close by itself."""
from __future__ import annotations

import pytest
from ckan import model
from ckan.tests import factories, helpers
from selenium.common.exceptions import NoSuchElementException, StaleElementReferenceException
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

from ckanext.satudatapasuruan.monev import records as monev_records
from ckanext.satudatapasuruan.quality import records as quality_records

from ..metadata.conftest import complete_dataset
from .conftest import PASSWORD, PLUGINS, WAIT
from .test_operator_flow import _assert_texts, _click, _type, _wait

pytestmark = [pytest.mark.ckan_config("ckan.plugins", PLUGINS),
              pytest.mark.ckan_config("ckan.locale_default", "id"),
              pytest.mark.usefixtures("with_plugins")]

# Installed before any page script runs: uncaught errors, rejected promises and console.error calls.
ERROR_COLLECTOR = """
window.__satudataErrors = [];
window.addEventListener('error', function (e) { window.__satudataErrors.push('error: ' + e.message); });
window.addEventListener('unhandledrejection', function (e) {
  window.__satudataErrors.push('rejection: ' + String(e.reason)); });
(function () { var original = console.error; console.error = function () {
  window.__satudataErrors.push('console.error: ' + Array.prototype.join.call(arguments, ' '));
  return original.apply(console, arguments); }; })();
"""


@pytest.fixture
def governance_data(app, operator_data):
    """The walidata; a published dataset and a draft missing its contact e-mail (an open MQ-001 ticket)."""
    factories.User(name="verifikator", password=PASSWORD, email="verifikator@pasuruankab.test")
    factories.User(name="walidata", password=PASSWORD, email="walidata@pasuruankab.test")
    org = operator_data["org"]
    helpers.call_action("organization_member_create", id=org["id"], username="verifikator", role="admin")
    factories.Organization(name="walidata", users=[{"name": "walidata", "capacity": "editor"}])
    # Plugin tables live in their own schemas, which CKAN's reset leaves alone.
    for table in (quality_records.ticket_comment, quality_records.ticket_event, quality_records.ticket,
                  *monev_records.TABLES):
        model.Session.execute(table.delete())
    model.Session.commit()
    operator = {"user": "operator", "ignore_auth": False}
    published = helpers.call_action("package_create", context=dict(operator), **complete_dataset(
        org["id"], name="penduduk-2024", title="Jumlah Penduduk 2024"))
    for step, who in (("submit", "operator"), ("approve", "verifikator"), ("publish", "walidata")):
        helpers.call_action(f"satudata_workflow_{step}", context={"user": who, "ignore_auth": False},
                            id=published["id"])
    draft = helpers.call_action("package_create", context=dict(operator), **complete_dataset(
        org["id"], name="kelahiran-2025", title="Jumlah Kelahiran 2025", kontak_email=""))
    return {"org": org, "published": published, "draft": draft}


def _errors(driver) -> list[str]:
    return driver.execute_script("return window.__satudataErrors || [];")


def test_monev_dashboard_draws_charts_and_map(browser, governance_data, ckan_server, evidence):
    """Anonymous: every trend canvas holds a Chart.js chart, the 24 kecamatan are on the map, no script error."""
    driver = browser
    driver.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": ERROR_COLLECTOR})
    with evidence.step("open Capaian Kinerja"):
        driver.get(ckan_server("/capaian-kinerja"))
        _assert_texts(driver, "Capaian Kinerja", "Dataset tersedia di portal", "diinput walidata",
                      "Peta ketersediaan data per kecamatan")
    with evidence.step("charts and map drawn"):
        _wait(driver).until(lambda d: d.execute_script(
            "var c = document.querySelectorAll('canvas.satudata-monev-trend');"
            "return window.Chart && c.length > 0 && Array.prototype.every.call(c, function (x) {"
            " return !!window.Chart.getChart(x); });"))
        cells = driver.find_elements(By.CSS_SELECTOR, "#satudata-monev-grid li[data-level]")
        assert len(cells) == 24, len(cells)
        # The published dataset covers Kabupaten Pasuruan's kecamatan: at least one cell is coloured.
        assert any(c.get_attribute("data-level") != "0" for c in cells)
        assert _errors(driver) == []
    with evidence.step("figures downloadable"):
        links = [a.get_attribute("href") for a in driver.find_elements(By.CSS_SELECTOR, "a[href*='/ekspor.']")]
        assert any(".csv" in link for link in links) and any(".json" in link for link in links), links


def _card(title: str, rule: str = "MQ-001") -> str:
    """XPath of the board card of dataset ``title``'s ticket on ``rule`` (a dataset may have several)."""
    return f"//li[.//h3//a[normalize-space()='{title}'] and .//code[normalize-space()='{rule}']]"


def _ticket_column(driver, title: str) -> str:
    """The board column (section) that holds the card."""
    section = driver.find_element(By.XPATH, _card(title) + "/ancestor::section[1]")
    return section.find_element(By.TAG_NAME, "h2").text


def _wait_column(driver, title: str, column: str) -> None:
    """Until the card stands in ``column`` (the board reloads after each post: wait, don't race it)."""
    WebDriverWait(driver, WAIT, ignored_exceptions=(NoSuchElementException, StaleElementReferenceException)) \
        .until(lambda d: _ticket_column(d, title).startswith(column))


def test_operator_moves_a_ticket_and_it_closes_by_itself(browser, governance_data, ckan_server, evidence):
    """The operator marks the draft's MQ-001 ticket as being worked on, fills the missing field, and the board
    shows the ticket done without anyone closing it."""
    driver = browser
    title = governance_data["draft"]["title"]
    with evidence.step("login"):
        driver.get(ckan_server("/user/login"))
        _type(driver, "field-login", "operator")
        _type(driver, "field-password", PASSWORD)
        _click(driver, (By.XPATH, "//form[.//input[@id='field-login']]//button[@type='submit']"))
        _wait(driver).until(EC.url_contains("/dashboard"))
    with evidence.step("the ticket is open on the board"):
        driver.get(ckan_server("/kualitas-metadata"))
        _assert_texts(driver, title, "MQ-001")
        _wait_column(driver, title, "Terbuka")
    with evidence.step("mark it as being worked on"):
        _click(driver, (By.XPATH, _card(title) + "//button[@type='submit']"))
        _assert_texts(driver, "Status tiket disimpan.")
        _wait_column(driver, title, "Dikerjakan")
    with evidence.step("fix the dataset in its form"):
        driver.get(ckan_server(f"/dataset/edit/{governance_data['draft']['name']}"))
        # the form shows what the dataset holds (a save must not drop it)
        chosen = driver.find_elements(By.CSS_SELECTOR, "#field-kode_wilayah option:checked")
        assert sorted(o.get_attribute("value") for o in chosen) == ["35.14.11", "35.14.14"]
        _type(driver, "field-kontak_email", "data@dispendukcapil.pasuruankab.go.id")
        # CKAN's "Unpublish" button is gone from the form (the workflow withdraws published data)
        assert not driver.find_elements(By.CSS_SELECTOR, "button[value='go-metadata-unpublish']")
        _click(driver, (By.XPATH, "//form[@id='dataset-edit']//button[@name='save' and not(@value)]"))
        _wait(driver).until(EC.url_contains(f"/dataset/{governance_data['draft']['name']}"))
    with evidence.step("the ticket closed by itself"):
        driver.get(ckan_server("/kualitas-metadata"))
        _wait_column(driver, title, "Selesai")
