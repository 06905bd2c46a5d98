"""The public services of issue 9 in a real browser, on a phone-sized window, in Indonesian: the release calendar
(month view and its iCalendar link), a rating, a data request followed to its status page, and a scheduled
release that stays hidden until its time (time moved by the test, not waited for)."""
from __future__ import annotations

import datetime as dt

import icalendar
import pytest
import requests
from ckan import model
from ckan.tests import factories, helpers
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC

from ckanext.satudatapasuruan.calendar import records as calendar_records
from ckanext.satudatapasuruan.calendar import tick
from ckanext.satudatapasuruan.feedback import records as feedback_records

from ..metadata.conftest import complete_dataset
from .conftest import PASSWORD, PLUGINS
from .test_operator_flow import _assert_texts, _body, _click, _type, _wait

pytestmark = [pytest.mark.ckan_config("ckan.plugins", PLUGINS),
              pytest.mark.ckan_config("ckan.locale_default", "id"),
              pytest.mark.usefixtures("with_plugins")]

WALIDATA = {"user": "walidata", "ignore_auth": False}


def _steps(pkg_id: str, *steps: str) -> None:
    actor = {"submit": "operator", "approve": "verifikator", "publish": "walidata"}
    for step in steps:
        helpers.call_action(f"satudata_workflow_{step}", context={"user": actor[step], "ignore_auth": False},
                            id=pkg_id)


@pytest.fixture
def portal_data(app, operator_data):
    """The OPD's verifier and the walidata; a published dataset, a verified one, a calendar entry this month."""
    factories.User(name="verifikator", password=PASSWORD, email="verifikator@pasuruankab.test")
    factories.User(name="walidata", password=PASSWORD, email="walidata@pasuruankab.test")
    org = operator_data["org"]
    helpers.call_action("organization_member_create", id=org["id"], username="verifikator", role="admin")
    factories.Organization(name="walidata", users=[{"name": "walidata", "capacity": "editor"}])
    # Plugin tables live in their own schemas, which CKAN's reset leaves alone.
    for table in (calendar_records.release_schedule, calendar_records.reminder, calendar_records.entry_event,
                  calendar_records.entry, feedback_records.rating, feedback_records.request_history,
                  feedback_records.request):
        model.Session.execute(table.delete())
    model.Session.commit()
    operator = {"user": "operator", "ignore_auth": False}
    published = helpers.call_action("package_create", context=dict(operator), **complete_dataset(
        org["id"], name="penduduk-2024", title="Jumlah Penduduk 2024"))
    _steps(published["id"], "submit", "approve", "publish")
    held = helpers.call_action("package_create", context=dict(operator), **complete_dataset(
        org["id"], name="kelahiran-2025", title="Jumlah Kelahiran 2025"))
    _steps(held["id"], "submit", "approve")
    today = dt.date.today()
    day = today + dt.timedelta(days=1) if today.day < 28 else today
    entry = helpers.call_action("satudata_calendar_entry_create", context=dict(WALIDATA), owner_org=org["id"],
                                urusan="2.12", title="Rilis Jumlah Kelahiran 2025", period="2025",
                                scheduled_date=day.isoformat())
    return {"org": org, "published": published, "held": held, "entry": entry, "day": day}


@pytest.fixture
def phone(browser):
    browser.set_window_size(360, 800)
    return browser


def test_calendar_month_and_feed(phone, portal_data, ckan_server, evidence):
    """The month view shows the entry in its table; the iCalendar link gives a feed that parses, with the entry."""
    driver = phone
    with evidence.step("month view"):
        driver.get(ckan_server("/kalender-rilis"))
        _wait(driver).until(EC.presence_of_element_located((By.CSS_SELECTOR, "table.satudata-calendar-month")))
        _assert_texts(driver, "Rilis Jumlah Kelahiran 2025")
    with evidence.step("the iCalendar link"):
        link = driver.find_element(By.PARTIAL_LINK_TEXT, "Langganan kalender").get_attribute("href")
        feed = requests.get(link, timeout=30)
        assert feed.status_code == 200 and feed.headers["Content-Type"].startswith("text/calendar")
        events = [c for c in icalendar.Calendar.from_ical(feed.content).walk("VEVENT")]
        assert [str(e["SUMMARY"]) for e in events if "Kelahiran" in str(e["SUMMARY"])]
        assert str(events[0]["UID"]).startswith(portal_data["entry"]["id"])


def test_rating_submitted(phone, portal_data, ckan_server, evidence):
    """A visitor rates the dataset 4 of 5 on its page and is thanked; the average counts it."""
    driver = phone
    with evidence.step("rate on the dataset page"):
        driver.get(ckan_server("/dataset/penduduk-2024"))
        radio = _wait(driver).until(EC.presence_of_element_located(
            (By.CSS_SELECTOR, "form.satudata-feedback-rating-form input[name=rating][value='4']")))
        _click(driver, radio)
        _click(driver, (By.XPATH, "//form[contains(@class,'satudata-feedback-rating-form')]//button[@type='submit']"))
        _wait(driver).until(EC.text_to_be_present_in_element((By.TAG_NAME, "body"), "Terima kasih atas penilaian"))
    summary = helpers.call_action("satudata_rating_summary", package_id=portal_data["published"]["id"])
    assert summary["count"] == 1 and float(summary["average"]) == 4.0


def test_data_request_and_status_page(phone, portal_data, ckan_server, evidence):
    """A citizen asks for data, gets a tracking number and follows the public status page, which hides contacts."""
    driver = phone
    with evidence.step("file the request"):
        driver.get(ckan_server("/permintaan-data"))
        _type(driver, "field-data", "Jumlah penyandang disabilitas per kecamatan 2025")
        _type(driver, "field-tujuan", "Penyusunan skripsi")
        _type(driver, "field-nama", "Ani Wijaya")
        _type(driver, "field-email", "ani.wijaya@contoh.test")
        _click(driver, (By.XPATH, "//form[contains(@class,'satudata-feedback-request-form')]//button[@type='submit']"))
        _wait(driver).until(EC.url_contains("/permintaan-data/PD-"))
    with evidence.step("the status page"):
        body = _body(driver)
        assert "Jumlah penyandang disabilitas per kecamatan 2025" in body and "Diterima" in body
        assert "ani.wijaya@contoh.test" not in driver.page_source


def test_scheduled_release_hidden_until_its_time(phone, portal_data, ckan_server, evidence):
    """Scheduled by the walidata for tomorrow, the dataset is not public; the tick after that time publishes it."""
    driver = phone
    held = portal_data["held"]
    publish_at = (dt.datetime.now() + dt.timedelta(days=1)).replace(microsecond=0)
    helpers.call_action("satudata_release_schedule", context=dict(WALIDATA), id=held["id"],
                        publish_at=publish_at.isoformat(sep=" ", timespec="minutes"))
    with evidence.step("before its time, the public gets nothing"):
        tick.run(now=dt.datetime.utcnow())  # a tick now changes nothing
        driver.get(ckan_server("/dataset/kelahiran-2025"))
        assert "Jumlah Kelahiran 2025" not in _body(driver)
        found = requests.get(ckan_server("/api/3/action/package_search"), params={"q": "Kelahiran"}, timeout=30)
        assert found.json()["result"]["count"] == 0
    with evidence.step("the tick after its time publishes it"):
        tick.run(now=dt.datetime.utcnow() + dt.timedelta(days=1, hours=1))
        model.Session.commit()
        driver.get(ckan_server("/dataset/kelahiran-2025"))
        _assert_texts(driver, "Jumlah Kelahiran 2025")
        found = requests.get(ckan_server("/api/3/action/package_search"), params={"q": "Kelahiran"}, timeout=30)
        assert found.json()["result"]["count"] == 1
    assert not ckan_server.errors()
