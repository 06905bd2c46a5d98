"""The harvesters' "done when", in a real browser and in Indonesian: the walidata registers an OPD JSON source
(the demo SIPD application on loopback) and a WFS source (MapServer on loopback) from the UI, sees both sync on
schedule, and sees a failure explained on the sync-health page.

"On schedule": each source is made as if registered yesterday (its ``created`` moved back a day), so the
nightly boundary (00:00 WIB) has passed; the scheduler (`ckan satudata-harvest schedule --once`, as `make run`
and the systemd timer run it) then makes the jobs, and ckanext-harvest's real gather and fetch consumers run
them over the test Redis queue.
"""
from __future__ import annotations

import datetime as dt
import json
import subprocess
import time
from pathlib import Path

import pytest
from ckan import model
from ckan.tests import factories, helpers
from ckanext.harvest.model import HarvestJob, HarvestObject, HarvestSource
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC

from ckanext.satudatapasuruan.harvesters import sources
from ckanext.satudatapasuruan.harvesters.opdserver.server import DEFAULT_TOKEN
from ckanext.satudatapasuruan.harvesters.opdserver.testing import running_server

from ..harvesters.geo import servers
from .conftest import CKAN, PASSWORD, PLUGINS, ROOT
from .test_operator_flow import _assert_texts, _choose_select2, _click, _type, _wait

HARVEST_PLUGINS = f"{PLUGINS} activity satudata_harvest harvest satudata_opd satudata_geospasial"
pytestmark = [pytest.mark.ckan_config("ckan.plugins", HARVEST_PLUGINS),
              pytest.mark.ckan_config("ckan.locale_default", "id"),
              pytest.mark.usefixtures("with_plugins")]

RECORDS = 12
JOB_TIMEOUT = 180


@pytest.fixture
def server_settings() -> str:
    return f"ckan.plugins = {HARVEST_PLUGINS}"


@pytest.fixture
def operator_data(clean_db, clean_index, migrate_db_for):
    """The walidata (member of the walidata organisation only) and two OPDs that own no source yet."""
    for plugin in ("activity", "harvest", "satudata_harvest"):
        migrate_db_for(plugin)
    walidata = factories.User(name="walidata", fullname="Wawan Walidata", password=PASSWORD, image_url="",
                              email="walidata@kominfo.pasuruankab.go.id")
    factories.Organization(name="walidata", title="Walidata (Diskominfo)",
                           users=[{"name": "walidata", "capacity": "editor"}])
    bpkad = factories.Organization(name="bpkad", title="Badan Pengelolaan Keuangan dan Aset Daerah")
    pupr = factories.Organization(name="dinas-pupr", title="Dinas Pekerjaan Umum dan Penataan Ruang")
    return {"user": walidata, "bpkad": bpkad, "pupr": pupr}


@pytest.fixture
def sipd():
    with running_server(records=RECORDS) as server:
        yield server


@pytest.fixture
def mapserver(tmp_path: Path):
    (tmp_path / "mapserver").mkdir()
    with servers.mapserver(tmp_path / "mapserver") as url:
        yield url


@pytest.fixture
def consumers(ckan_server):
    """ckanext-harvest's gather and fetch consumers, as `make run` and the systemd units start them."""
    logs = ckan_server.ini.parent
    procs = []
    for kind in ("gather-consumer", "fetch-consumer"):
        out = open(logs / f"{kind}.log", "wb")  # noqa: SIM115 (closed with the process)
        procs.append((subprocess.Popen([str(CKAN), "-c", str(ckan_server.ini), "harvester", kind], cwd=ROOT,
                                       stdout=out, stderr=subprocess.STDOUT), out))
    yield logs
    for proc, out in procs:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
        out.close()


def _login(driver, server) -> None:
    driver.delete_all_cookies()
    driver.get(server("/user/login"))
    _type(driver, "field-login", "walidata")
    _type(driver, "field-password", PASSWORD)
    _click(driver, (By.XPATH, "//form[.//input[@id='field-login']]//button[@type='submit']"))
    _wait(driver).until(EC.url_contains("/dashboard"))


def _register(driver, server, *, url: str, title: str, name: str, kind: str, config: dict, org: dict) -> None:
    """Fill ckanext-harvest's source form as a person does and save it."""
    driver.get(server("/harvest/new"))
    _type(driver, "field-url", url)
    _type(driver, "field-title", title)
    driver.execute_script("document.getElementById('field-name').value = arguments[0];", name)
    _click(driver, (By.CSS_SELECTOR, f"input[name='source_type'][value='{kind}']"))
    driver.execute_script("document.getElementById('field-frequency').value = 'DAILY';")
    driver.execute_script("document.getElementById('field-config').value = arguments[0];", json.dumps(config))
    _choose_select2(driver, "field-organizations", org["id"], org["name"])
    _click(driver, (By.ID, "save"))
    _wait(driver).until(EC.url_contains(f"/harvest/{name}"))


def _as_if_registered_yesterday(name: str) -> None:
    source = HarvestSource.get(model.Package.get(name).id)
    source.created = dt.datetime.utcnow() - dt.timedelta(days=1, hours=1)
    model.Session.commit()


def _tick(ckan_server) -> None:
    subprocess.run([str(CKAN), "-c", str(ckan_server.ini), "satudata-harvest", "schedule", "--once"], cwd=ROOT,
                   check=True, capture_output=True, timeout=120)


def _wait_for_jobs(ckan_server, names: list[str], count: int) -> None:
    """Scheduler ticks until each source has ``count`` finished jobs and no object still queued."""
    ids = [model.Package.get(n).id for n in names]
    deadline = time.monotonic() + JOB_TIMEOUT
    while time.monotonic() < deadline:
        _tick(ckan_server)
        model.Session.remove()
        finished = [model.Session.query(HarvestJob).filter_by(source_id=i, status="Finished").count() for i in ids]
        if all(f >= count for f in finished):
            return
        time.sleep(1)
    pending = model.Session.query(HarvestObject.state).filter(HarvestObject.harvest_source_id.in_(ids)).all()
    pytest.fail(f"jobs not finished in {JOB_TIMEOUT} s: {finished}, objects {sorted(set(pending))}")


def test_walidata_registers_sources_sees_them_sync_and_failures_explained(
        browser, ckan_server, operator_data, consumers, sipd, mapserver, evidence):
    driver = browser
    config = sources.definition("bpkad-realisasi-anggaran")["config"]
    config["auth"]["token"] = DEFAULT_TOKEN
    with evidence.step("walidata registers the SIPD source and the WFS source from the UI"):
        _login(driver, ckan_server)
        _register(driver, ckan_server, url=f"{sipd.url}/sipd/api/v1/realisasi", title="SIPD BPKAD",
                  name="sipd-bpkad", kind="satudata_opd", config=config, org=operator_data["bpkad"])
        _register(driver, ckan_server, url=mapserver, title="WFS Irigasi PUPR", name="wfs-pupr",
                  kind="satudata_geospasial", org=operator_data["pupr"],
                  config={"service": "wfs", "defaults": {"urusan": "1.03", "tahun": "2025",
                                                         "klasifikasi_akses": "terbuka"}})
        shown = helpers.call_action("harvest_source_show", context={"ignore_auth": True}, id="sipd-bpkad")
        assert DEFAULT_TOKEN not in json.dumps(shown)  # the token is kept apart, not shown back
        assert shown["owner_org"] == operator_data["bpkad"]["id"]

    with evidence.step("the nightly schedule runs both sources"):
        for name in ("sipd-bpkad", "wfs-pupr"):
            _as_if_registered_yesterday(name)
        _wait_for_jobs(ckan_server, ["sipd-bpkad", "wfs-pupr"], 1)
        driver.get(ckan_server("/harvest/kesehatan"))
        _assert_texts(driver, "Kesehatan panen", "SIPD BPKAD", "WFS Irigasi PUPR", "2 berhasil")
        found = helpers.call_action("package_search", context={"ignore_auth": True}, include_private=True,
                                    fq="dataset_type:(dataset OR geospasial)", rows=100)["count"]
        assert found >= RECORDS + 2

    with evidence.step("a failing source is explained on its health page"):
        sipd.fault("status", code=500)
        source = HarvestSource.get(model.Package.get("sipd-bpkad").id)
        # The next night: the last job was made a day ago.
        for job in model.Session.query(HarvestJob).filter_by(source_id=source.id):
            job.created = job.created - dt.timedelta(days=1)
        model.Session.commit()
        _wait_for_jobs(ckan_server, ["sipd-bpkad"], 2)
        driver.get(ckan_server("/harvest/sipd-bpkad/kesehatan"))
        _assert_texts(driver, "Kesehatan panen", "Galat sumber", "HTTP 500", "Gagal berturut-turut")
        driver.get(ckan_server("/harvest/kesehatan"))
        _assert_texts(driver, "1 gagal")
