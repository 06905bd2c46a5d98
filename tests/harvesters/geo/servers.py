"""Loopback servers for the geospatial harvester's tests: MapServer (WMS/WFS, the Debian ``mapserv`` CGI),
pygeoapi (OGC API - Features), pycsw (CSW), recorded ArcGIS REST answers, and a server of faults.

Each runs on a free port and stops on teardown; pygeoapi and pycsw run in their own virtualenv (they pin
libraries CKAN pins differently), found through ``SATUDATA_OGC_PYTHON`` or ``.venv-ogc`` of the checkout.
"""
from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

HERE = Path(__file__).parent
DATA = HERE / "data"
RECORDED = HERE / "recorded"
ROOT = HERE.parents[2]
MAPSERV = shutil.which("mapserv") or "/usr/lib/cgi-bin/mapserv"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def ogc_python() -> Path | None:
    """The interpreter of the virtualenv holding pygeoapi and pycsw, if there is one."""
    path = Path(os.environ.get("SATUDATA_OGC_PYTHON") or ROOT / ".venv-ogc" / "bin" / "python")
    return path if path.exists() else None


def wait_for_port(port: int, process: subprocess.Popen | None = None, timeout: float = 20) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"server exited with {process.returncode}")
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=0.2):
            return
        time.sleep(0.05)
    raise RuntimeError(f"nothing listens on port {port} after {timeout} s")


@contextlib.contextmanager
def http_server(handler: type[BaseHTTPRequestHandler]) -> Iterator[str]:
    """A stdlib HTTP server in a thread; yields its base URL."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


@contextlib.contextmanager
def subprocess_server(args: list[str], port: int, env: dict[str, str], cwd: Path, log: Path) -> Iterator[None]:
    with log.open("wb") as out:
        process = subprocess.Popen(args, env={**os.environ, **env}, cwd=cwd, stdout=out, stderr=subprocess.STDOUT)
        try:
            try:
                wait_for_port(port, process)
            except RuntimeError as err:
                raise RuntimeError(f"{args[0]}: {err}\n{log.read_text(errors='replace')[-2000:]}") from err
            yield
        finally:
            process.terminate()
            try:
                process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


# --- MapServer -----------------------------------------------------------------------------------------

@contextlib.contextmanager
def mapserver(workdir: Path) -> Iterator[str]:
    """The mapfile of tests/harvesters/geo/data served through the real ``mapserv`` CGI; yields the WMS/WFS URL."""
    config = workdir / "mapserver.conf"
    config.write_text('CONFIG\n  ENV\n    MS_ERRORFILE "stderr"\n  END\nEND\n')
    mapfile = DATA / "pasuruan.map"

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            parts = urlsplit(self.path)
            if parts.path != "/ows":
                self.send_error(404)
                return
            host, port = self.server.server_address[:2]
            env = {"MAPSERVER_CONFIG_FILE": str(config), "MS_MAPFILE": str(mapfile), "REQUEST_METHOD": "GET",
                   "QUERY_STRING": parts.query, "SERVER_NAME": host, "SERVER_PORT": str(port),
                   "SCRIPT_NAME": "/ows", "SERVER_PROTOCOL": "HTTP/1.1", "GATEWAY_INTERFACE": "CGI/1.1",
                   "PATH": os.environ.get("PATH", "")}
            done = subprocess.run([MAPSERV], env=env, cwd=DATA, capture_output=True, timeout=30)
            head, _, body = done.stdout.partition(b"\r\n\r\n")
            if not _:
                head, _, body = done.stdout.partition(b"\n\n")
            headers = [line.split(":", 1) for line in head.decode("latin-1").splitlines() if ":" in line]
            status = next((int(v.split()[0]) for k, v in headers if k.lower() == "status"), 200)
            self.send_response(status)
            for key, value in headers:
                if key.lower() != "status":
                    self.send_header(key, value.strip())
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args) -> None:
            pass

    with http_server(Handler) as url:
        yield url + "/ows"


# --- a server of recorded answers (ArcGIS REST) and of faults ---------------------------------------------

Route = Callable[[BaseHTTPRequestHandler], None]


@dataclass
class Answer:
    body: bytes
    status: int = 200
    content_type: str = "application/json"
    delay: float = 0


def answering(routes: dict[str, Answer | Route]) -> type[BaseHTTPRequestHandler]:
    """A handler answering each path (query ignored) from ``routes``; 404 otherwise."""

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            answer = routes.get(urlsplit(self.path).path)
            if answer is None:
                self.send_error(404)
                return
            if callable(answer):
                answer(self)
                return
            time.sleep(answer.delay)
            self.send_response(answer.status)
            self.send_header("Content-Type", answer.content_type)
            self.send_header("Content-Length", str(len(answer.body)))
            self.end_headers()
            with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                self.wfile.write(answer.body)

        def log_message(self, *args) -> None:
            pass

    return Handler


# --- pygeoapi (OGC API - Features) ------------------------------------------------------------------------

PYGEOAPI_COLLECTIONS = {
    "jaringan_irigasi": {
        "title": "Jaringan Irigasi Kabupaten Pasuruan",
        "description": "Saluran irigasi primer dan sekunder yang dikelola Dinas PUPR Kabupaten Pasuruan.",
        "keywords": ["Irigasi", "PUPR"], "bbox": [112.78, -7.76, 113.02, -7.62],
        "temporal": ("2024-01-01T00:00:00Z", "2024-12-31T00:00:00Z"), "data": "jaringan_irigasi.geojson",
    },
    "titik_puskesmas": {
        "title": "Lokasi Puskesmas", "description": "Titik lokasi puskesmas di Kabupaten Pasuruan.",
        "keywords": ["Kesehatan", "Puskesmas"], "bbox": [112.69, -7.718, 113.012, -7.598],
        "temporal": ("2023-01-01T00:00:00Z", None), "data": "titik_puskesmas.geojson",
    },
}


def pygeoapi_config(port: int) -> str:
    import json

    resources = {}
    for name, c in PYGEOAPI_COLLECTIONS.items():
        begin, end = c["temporal"]
        resources[name] = {
            "type": "collection", "title": c["title"], "description": c["description"], "keywords": c["keywords"],
            "links": [], "extents": {"spatial": {"bbox": c["bbox"], "crs": "http://www.opengis.net/def/crs/OGC/1.3/CRS84"},
                                     "temporal": {"begin": begin, "end": end}},
            "providers": [{"type": "feature", "name": "GeoJSON", "data": str(DATA / c["data"]), "id_field": "kode"}],
        }
    config = {
        "server": {"bind": {"host": "127.0.0.1", "port": port}, "url": f"http://127.0.0.1:{port}",
                   "mimetype": "application/json; charset=UTF-8", "encoding": "utf-8", "language": "en-US",
                   "limits": {"default_items": 10, "max_items": 1000},
                   "map": {"url": "http://127.0.0.1/tiles/{z}/{x}/{y}.png", "attribution": "-"}},
        "logging": {"level": "ERROR"},
        "metadata": {
            "identification": {"title": "OGC API Kabupaten Pasuruan", "description": "Data fiktif untuk pengujian",
                               "keywords": ["pasuruan"], "keywords_type": "theme", "terms_of_service": "-",
                               "url": "http://127.0.0.1/"},
            "license": {"name": "CC-BY 4.0", "url": "https://creativecommons.org/licenses/by/4.0/"},
            "provider": {"name": "Dinas Komunikasi dan Informatika Kabupaten Pasuruan", "url": "http://127.0.0.1/"},
            "contact": {"name": "Budi Santoso", "email": "geoportal@pasuruankab.go.id", "role": "pointOfContact"},
        },
        "resources": resources,
    }
    return json.dumps(config)  # JSON is YAML


@contextlib.contextmanager
def pygeoapi(workdir: Path) -> Iterator[str]:
    python = ogc_python()
    if python is None:
        raise LookupError("pygeoapi's virtualenv not found (SATUDATA_OGC_PYTHON or .venv-ogc)")
    port = free_port()
    config, openapi = workdir / "pygeoapi.yml", workdir / "openapi.yml"
    config.write_text(pygeoapi_config(port))
    bin_dir = python.parent
    env = {"PYGEOAPI_CONFIG": str(config), "PYGEOAPI_OPENAPI": str(openapi)}
    subprocess.run([str(bin_dir / "pygeoapi"), "openapi", "generate", str(config), "--output-file", str(openapi)],
                   env={**os.environ, **env}, check=True, capture_output=True, timeout=60)
    with subprocess_server([str(bin_dir / "pygeoapi"), "serve", "--flask"], port, env, workdir,
                           workdir / "pygeoapi.log"):
        yield f"http://127.0.0.1:{port}"


# --- pycsw (CSW 2.0.2) ----------------------------------------------------------------------------------------

PYCSW_CONFIG = """[server]
home={home}
url=http://127.0.0.1:{port}/csw
mimetype=application/xml; charset=UTF-8
encoding=UTF-8
language=en-US
maxrecords=10
loglevel=ERROR
logfile={home}/pycsw-app.log
pretty_print=true
domainquerytype=list
domaincounts=false
profiles=apiso

[manager]
transactions=false
allowed_ips=127.0.0.1

[metadata:main]
identification_title=Katalog Geospasial Kabupaten Pasuruan
identification_abstract=Katalog CSW fiktif untuk pengujian
identification_keywords=pasuruan,geospasial
identification_keywords_type=theme
identification_fees=None
identification_accessconstraints=None
provider_name=Dinas Komunikasi dan Informatika Kabupaten Pasuruan
provider_url=http://127.0.0.1/
contact_name=Budi Santoso
contact_position=Pengelola Simpul Jaringan
contact_address=Jl. Raya Raci
contact_city=Pasuruan
contact_stateorprovince=Jawa Timur
contact_postalcode=67153
contact_country=Indonesia
contact_phone=+62-343-000000
contact_fax=+62-343-000000
contact_email=geoportal@pasuruankab.go.id
contact_url=http://127.0.0.1/
contact_hours=08:00-16:00
contact_instructions=-
contact_role=pointOfContact

[repository]
database=sqlite:///{home}/records.db
table=records
"""
_PYCSW_SERVE = ("import sys; from wsgiref.simple_server import make_server, WSGIRequestHandler; "
                "from pycsw.wsgi import application; "
                "WSGIRequestHandler.log_message = lambda *a: None; "
                "make_server('127.0.0.1', int(sys.argv[1]), application).serve_forever()")


@contextlib.contextmanager
def pycsw(workdir: Path, records: Path = DATA / "csw") -> Iterator[str]:
    """pycsw with a SQLite repository loaded with the ISO 19139 records of ``records``; yields the CSW URL."""
    python = ogc_python()
    if python is None:
        raise LookupError("pycsw's virtualenv not found (SATUDATA_OGC_PYTHON or .venv-ogc)")
    port = free_port()
    config = workdir / "pycsw.cfg"
    config.write_text(PYCSW_CONFIG.format(home=workdir, port=port))
    admin = [str(python), str(python.parent / "pycsw-admin.py"), "-f", str(config)]
    subprocess.run(admin + ["-c", "setup_db"], check=True, capture_output=True, timeout=60)
    subprocess.run(admin + ["-c", "load_records", "-p", str(records), "-y"], check=True, capture_output=True,
                   timeout=60)
    with subprocess_server([str(python), "-c", _PYCSW_SERVE, str(port)], port, {"PYCSW_CONFIG": str(config)},
                           workdir, workdir / "pycsw.log"):
        yield f"http://127.0.0.1:{port}/csw"
