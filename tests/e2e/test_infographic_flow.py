"""A reader holding a printed infographic: the gallery on a phone-sized window, the print PDF's QR code read back
with zbar, followed to the dataset, and the scan counted on the infographic's page."""
from __future__ import annotations

import io
import subprocess

import pytest
import requests
from ckan import model
from ckan.tests import factories, helpers
from PIL import Image
from pyzbar.pyzbar import decode
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC

from ckanext.satudatapasuruan.infographic import records

from ..infographic.conftest import image_bytes, upload
from ..metadata.conftest import complete_dataset
from .conftest import PASSWORD, PLUGINS
from .test_operator_flow import _assert_texts, _click, _wait

pytestmark = [pytest.mark.ckan_config("ckan.plugins", PLUGINS),
              pytest.mark.ckan_config("ckan.locale_default", "id"),
              pytest.mark.usefixtures("with_plugins")]

TITLE = "Penduduk Kabupaten Pasuruan 2024"


def _publish(pkg_id: str) -> None:
    for action, who in (("satudata_workflow_submit", "operator"), ("satudata_workflow_approve", "verifikator"),
                        ("satudata_workflow_publish", "walidata")):
        helpers.call_action(action, context={"user": who, "ignore_auth": False}, id=pkg_id)


@pytest.fixture
def infographic(app, operator_data):
    """The official templates (approved), a published dataset and a published infographic linking it (``app``:
    resource addresses of the infografis type are built from its blueprints)."""
    factories.User(name="verifikator", password=PASSWORD, email="verifikator@pasuruankab.test")
    factories.User(name="walidata", password=PASSWORD, email="walidata@pasuruankab.test")
    org = operator_data["org"]
    helpers.call_action("organization_member_create", id=org["id"], username="verifikator", role="admin")
    factories.Organization(name="walidata", users=[{"name": "walidata", "capacity": "editor"}])
    # The infographic tables live in their own schema, which CKAN's database reset leaves alone.
    model.Session.execute(records.link.delete())
    model.Session.execute(records.template.delete())
    model.Session.commit()
    site = {"user": helpers.call_action("get_site_user")["name"]}
    for design in records.DEFAULT_TEMPLATES:
        made = helpers.call_action("satudata_infographic_template_create", context=dict(site), **design)
        helpers.call_action("satudata_infographic_template_approve", context=dict(site), id=made["id"])
    operator = {"user": "operator", "ignore_auth": False}
    dataset = helpers.call_action("package_create", context=dict(operator),
                                  **complete_dataset(org["id"], name="penduduk-2024", title="Jumlah Penduduk 2024"))
    _publish(dataset["id"])
    info = helpers.call_action("package_create", context=dict(operator), type="infografis",
                               name="infografis-penduduk-2024", title=TITLE, owner_org=org["id"], tahun="2024",
                               periode_awal="2024-01-01", periode_akhir="2024-12-31", dataset_terkait=["penduduk-2024"])
    helpers.call_action("resource_create", context=dict(operator), package_id=info["id"], name="Karya", url="",
                        upload=upload(image_bytes(size=(1080, 1350)), "karya.png"))
    _publish(info["id"])
    return {"dataset": dataset, "infographic": info}


def test_printed_qr_leads_to_the_dataset(browser, infographic, ckan_server, evidence):
    """Gallery → infographic page → print PDF → QR read back → short link → the dataset; the scan is counted."""
    driver = browser
    driver.set_window_size(360, 800)

    with evidence.step("the gallery shows the infographic"):
        driver.get(ckan_server("/galeri-infografis"))
        _click(driver, (By.PARTIAL_LINK_TEXT, TITLE))
        _wait(driver).until(EC.url_contains("/infografis-penduduk-2024"))
        _assert_texts(driver, "Unduh PDF cetak")

    with evidence.step("the print PDF carries a QR code of the short link"):
        pdf_url = driver.find_element(By.PARTIAL_LINK_TEXT, "Unduh PDF cetak").get_attribute("href")
        pdf = requests.get(pdf_url, timeout=60)
        assert pdf.status_code == 200 and pdf.headers["Content-Type"].startswith("application/pdf")
        # Printed and scanned: Ghostscript (installed by `make test`) draws the PDF at 150 dpi.
        png = subprocess.run(["gs", "-q", "-dSAFER", "-dBATCH", "-dNOPAUSE", "-sDEVICE=png16m", "-r150",
                              "-sOutputFile=-", "-"], input=pdf.content, capture_output=True, check=True).stdout
        page = Image.open(io.BytesIO(png))
        codes = [c.data.decode() for c in decode(page)]
        assert len(codes) == 1 and "/i/" in codes[0], codes

    with evidence.step("following the QR opens the linked dataset"):
        driver.get(codes[0])
        _wait(driver).until(EC.url_contains("/dataset/penduduk-2024"))
        _assert_texts(driver, "Jumlah Penduduk 2024")

    with evidence.step("the scan is counted on the infographic's page"):
        driver.get(ckan_server("/infografis/infografis-penduduk-2024"))
        _assert_texts(driver, "Dipindai 1 kali")

    assert not ckan_server.errors()
