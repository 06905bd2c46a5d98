"""A real CKAN server (`ckan run` on a free loopback port, config/e2e.ini) and headless Chromium driving it.

The server uses the test databases of config/test.ini, like the pytest process: data made here with the
factories is committed before the server starts, and the embedded search index is written in the same
transaction, so the server sees a consistent catalogue.
"""
from __future__ import annotations

import configparser
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
import requests
from ckan import model
from ckan.tests import factories
from selenium import webdriver
from selenium.common.exceptions import WebDriverException
from selenium.webdriver.chrome.service import Service

ROOT = Path(__file__).resolve().parents[2]
E2E_INI = ROOT / "config" / "e2e.ini"
CKAN = Path(sys.executable).with_name("ckan")
CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
START_TIMEOUT = 60
WAIT = 20


def _e2e_option(name: str) -> str:
    parser = configparser.RawConfigParser()
    parser.read(E2E_INI)
    return " ".join(parser.get("app:main", name).split())


# The test process loads the same plugins as the server, so the factories know the SDI dataset types.
PLUGINS = _e2e_option("ckan.plugins")
PASSWORD = "Operator-Pasuruan-2024"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def log_tail(path: Path, lines: int = 60) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return ""


class Server:
    def __init__(self, url: str, log: Path, ini: Path):
        self.url = url
        self.log = log
        self.ini = ini  # for CLI processes (consumers, scheduler) beside the server

    def __call__(self, path: str) -> str:
        return self.url + path

    def errors(self) -> str:
        """Server log lines from ERROR on (tracebacks), empty when the server logged none."""
        text = log_tail(self.log, 400)
        start = text.find("ERROR")
        return text[start:] if start >= 0 else ""


@pytest.fixture
def clean_datastore(clean_db, clean_index):
    """Empty DataStore database (as tests/entry: CKAN's own helper, as its datastore tests use)."""
    from ckanext.datastore.backend.postgres import get_write_engine
    from ckanext.datastore.tests import helpers as ds_helpers
    from sqlalchemy import orm

    ds_helpers.rebuild_all_dbs(orm.scoped_session(orm.sessionmaker(bind=get_write_engine())))


@pytest.fixture
def operator_data(clean_datastore) -> dict[str, Any]:
    """An OPD, its operator (editor, known password) and an MS-Keg record a dataset can link to."""
    user = factories.User(name="operator", fullname="Siti Aminah", password=PASSWORD, image_url="",
                          email="operator@dispendukcapil.pasuruankab.go.id")
    org = factories.Organization(name="dispendukcapil", title="Dinas Kependudukan dan Pencatatan Sipil",
                                 users=[{"name": user["name"], "capacity": "editor"}])
    keg = factories.Dataset(
        type="kegiatan-statistik", name="registrasi-penduduk-2024", title="Registrasi Penduduk 2024",
        owner_org=org["id"], tahun="2024", cara_pengumpulan="kompilasi_administrasi", urusan="2.12",
        jenis_kegiatan="sektoral", penyelenggara_instansi="Dispendukcapil", pj_unit_eselon="Bidang Data",
        pj_teknis_nama="Budi", latar_belakang="Kebutuhan data.", tujuan="Menyediakan data penduduk.")
    return {"user": user, "password": PASSWORD, "org": org, "kegiatan": keg}


@pytest.fixture
def server_settings() -> str:
    """Extra ``[app:main]`` lines of the server's ini (a test module overrides this fixture)."""
    return ""


@contextmanager
def run_ckan(ini: Path, port: int, log: Path) -> Iterator[Server]:
    """`ckan -c ini run` on ``port``, ready when its status action answers; terminated (then killed) after."""
    url = f"http://127.0.0.1:{port}"
    with open(log, "wb") as out:
        proc = subprocess.Popen([str(CKAN), "-c", str(ini), "run", "-H", "127.0.0.1", "-p", str(port), "-r", "-t"],
                                cwd=ROOT, stdout=out, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + START_TIMEOUT
        while True:
            if proc.poll() is not None:
                pytest.fail(f"CKAN server exited with {proc.returncode}:\n{log_tail(log)}")
            try:
                if requests.get(url + "/api/3/action/status_show", timeout=2).ok:
                    break
            except requests.ConnectionError:
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"CKAN server did not answer on {url} in {START_TIMEOUT} s:\n{log_tail(log)}")
            time.sleep(0.2)
        yield Server(url, log, ini)
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


@pytest.fixture
def ckan_server(operator_data, tmp_path: Path, server_settings: str) -> Iterator[Server]:
    """`ckan run` on a free loopback port, started after the data exists; stopped (terminate, kill) at the end."""
    port = _free_port()
    ini = tmp_path / "e2e-run.ini"
    ini.write_text(f"[app:main]\nuse = config:{E2E_INI}\nckan.site_url = http://127.0.0.1:{port}\n{server_settings}\n")
    with run_ckan(ini, port, tmp_path / "ckan-server.log") as server:
        yield server


@pytest.fixture
def downloads(tmp_path: Path) -> Path:
    path = tmp_path / "downloads"
    path.mkdir()
    return path


@pytest.fixture
def browser(downloads: Path):
    """Headless Debian Chromium; downloads land in ``downloads``. Missing Chromium fails: `make test` installs it."""
    missing = [p for p in (CHROMIUM, CHROMEDRIVER) if not os.access(p, os.X_OK)]
    if missing:
        pytest.fail(f"Browser test needs Debian's chromium and chromium-driver ({', '.join(missing)} missing): "
                    "run `make test` or `apt-get install chromium chromium-driver`")
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for arg in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1366,1000",
                "--lang=id"):
        options.add_argument(arg)
    options.add_experimental_option("prefs", {
        "download.default_directory": str(downloads), "download.prompt_for_download": False,
        "safebrowsing.enabled": False, "intl.accept_languages": "id"})
    driver = webdriver.Chrome(options=options, service=Service(CHROMEDRIVER))
    driver.execute_cdp_cmd("Browser.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(downloads)})
    driver.set_page_load_timeout(WAIT * 2)
    try:
        yield driver
    finally:
        driver.quit()


class Evidence:
    """Turns a failed step into an assertion naming a screenshot, the page source and the server's errors."""

    def __init__(self, driver, server: Server, directory: Path, user: str):
        self.driver = driver
        self.server = server
        self.directory = directory
        self.user = user

    def _data_note(self) -> str:
        """Other test runs share the test database; say so when one has reset it under this test."""
        model.Session.remove()
        if model.User.get(self.user) is None:
            return "  the operator is gone from the test database: another test run reset it meanwhile\n"
        return ""

    @contextmanager
    def step(self, name: str) -> Iterator[None]:
        try:
            yield
        except (AssertionError, WebDriverException) as err:
            text = err.msg if isinstance(err, WebDriverException) else str(err)
            slug = "".join(c if c.isalnum() else "-" for c in name.lower())
            shot = self.directory / f"{slug}.png"
            source = self.directory / f"{slug}.html"
            try:
                self.driver.save_screenshot(str(shot))
                source.write_text(self.driver.page_source)
                where = self.driver.current_url
            except WebDriverException:
                where = "(browser gone)"
            raise AssertionError(
                f"step '{name}' failed at {where}: {type(err).__name__}: {text}\n"
                f"  screenshot: {shot}\n  page source: {source}\n  server log: {self.server.log}\n"
                f"{self._data_note()}{self.server.errors()}") from err


@pytest.fixture
def evidence(browser, ckan_server: Server, operator_data, tmp_path: Path) -> Evidence:
    return Evidence(browser, ckan_server, tmp_path, operator_data["user"]["name"])
