"""The verification workflow's "done when", in a real browser and in Indonesian: the operator submits a draft,
the OPD verifier approves it, the walidata publishes it, and only then does the public find it."""
from __future__ import annotations

import pytest
from ckan.tests import factories, helpers
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC

from ..metadata.conftest import complete_dataset
from .conftest import PASSWORD, PLUGINS
from .test_operator_flow import _assert_texts, _click, _type, _wait

pytestmark = [pytest.mark.ckan_config("ckan.plugins", PLUGINS),
              pytest.mark.ckan_config("ckan.locale_default", "id"),
              pytest.mark.usefixtures("with_plugins")]

TITLE = "Jumlah Kelahiran Menurut Kecamatan 2024"


@pytest.fixture
def workflow_data(operator_data):
    """The OPD's verifier, the walidata and the operator's draft, committed before the server starts."""
    factories.User(name="verifikator", fullname="Rina Verifikator", password=PASSWORD, image_url="",
                   email="verifikator@dispendukcapil.pasuruankab.go.id")
    factories.User(name="walidata", fullname="Wawan Walidata", password=PASSWORD, image_url="",
                   email="walidata@kominfo.pasuruankab.go.id")
    org = operator_data["org"]
    helpers.call_action("organization_member_create", id=org["id"], username="verifikator", role="admin")
    factories.Organization(name="walidata", title="Walidata (Diskominfo)",
                           users=[{"name": "walidata", "capacity": "editor"}])
    data = complete_dataset(org["id"], name="jumlah-kelahiran-2024", title=TITLE)
    return helpers.call_action("package_create", context={"user": "operator", "ignore_auth": False}, **data)


def _login(driver, server, name: str) -> None:
    driver.delete_all_cookies()
    driver.get(server("/user/login"))
    _type(driver, "field-login", name)
    _type(driver, "field-password", PASSWORD)
    _click(driver, (By.XPATH, "//form[.//input[@id='field-login']]//button[@type='submit']"))
    _wait(driver).until(EC.url_contains("/dashboard"))


def _step(driver, button: str, done: str) -> None:
    panel = "//section[contains(@class, 'satudata-workflow')]"
    _click(driver, (By.XPATH, f"{panel}//button[normalize-space()='{button}']"))
    _wait(driver).until(EC.text_to_be_present_in_element((By.TAG_NAME, "body"), done))


def test_tiers_publish_a_dataset(browser, workflow_data, ckan_server, evidence):
    """Draft → diajukan → diverifikasi_opd → terbit through the dataset page, each by its own role."""
    driver, page = browser, ckan_server(f"/dataset/{workflow_data['name']}")

    with evidence.step("the public cannot see the draft"):
        driver.get(page)
        _assert_texts(driver, "404")  # CKAN's own message, not yet in Indonesian (theme issue)
        assert TITLE not in driver.find_element(By.TAG_NAME, "body").text

    with evidence.step("operator submits"):
        _login(driver, ckan_server, "operator")
        driver.get(page)
        _assert_texts(driver, "Alur verifikasi", "Draf")
        _type(driver, "note-alur-submit", "Data kelahiran 2024 siap diperiksa")
        _step(driver, "Ajukan ke verifikator OPD", "Dataset diajukan ke verifikator OPD.")
        _assert_texts(driver, "Diajukan")

    with evidence.step("verifier finds the task and approves"):
        _login(driver, ckan_server, "verifikator")
        driver.get(ckan_server("/tugas"))
        _click(driver, (By.LINK_TEXT, TITLE))
        _assert_texts(driver, "Data kelahiran 2024 siap diperiksa")
        _step(driver, "Setujui (verifikasi OPD)", "Pengajuan disetujui dan diteruskan ke walidata.")

    with evidence.step("walidata publishes"):
        _login(driver, ckan_server, "walidata")
        driver.get(ckan_server("/tugas"))
        _click(driver, (By.LINK_TEXT, TITLE))
        _assert_texts(driver, "Diverifikasi OPD")
        _step(driver, "Terbitkan", "Dataset diterbitkan.")
        _assert_texts(driver, "Terbit")

    with evidence.step("the public finds it"):
        driver.delete_all_cookies()
        driver.get(ckan_server("/dataset/?q=kelahiran"))
        _assert_texts(driver, TITLE)
        driver.get(page)
        _assert_texts(driver, TITLE)
        assert "Alur verifikasi" not in driver.find_element(By.TAG_NAME, "body").text
