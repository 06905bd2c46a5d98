"""Test helpers: the OPD server in a thread or in a subprocess (same control API), and a refusing port.

Use the fixtures by importing them into a conftest.py::

    from ckanext.satudatapasuruan.harvesters.opdserver.testing import opd_server, opd_server_process  # noqa: F401

or the context managers ``running_server(...)`` / ``running_process(...)`` for other sizes and secrets.
"""
from __future__ import annotations

import contextlib
import json
import os
import select
import socket
import subprocess
import sys
import tempfile
import urllib.error
import urllib.request
from collections.abc import Iterator
from typing import Any

import pytest

from .server import DEFAULT_API_KEY, DEFAULT_SEED, DEFAULT_TOKEN, Controls, OPDServer
from .store import ControlError

__all__ = ["ServerProcess", "closed_port", "opd_server", "opd_server_process", "refused_url", "running_process",
           "running_server"]

MODULE = "ckanext.satudatapasuruan.harvesters.opdserver"


def closed_port(host: str = "127.0.0.1") -> int:
    """A port nothing listens on: bound once by the OS, then closed, so connecting to it is refused."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        return sock.getsockname()[1]


def refused_url(path: str = "/sipd/api/v1/realisasi") -> str:
    """A loopback URL whose connection is refused (for connection-refused tests)."""
    return f"http://127.0.0.1:{closed_port()}{path}"


class ServerProcess(Controls):
    """The server as ``python -m ...opdserver`` in a child process, driven through ``POST /_control``."""

    def __init__(self, records: int = 50, seed: int = DEFAULT_SEED, token: str = DEFAULT_TOKEN,
                 api_key: str = DEFAULT_API_KEY, startup_timeout: float = 20.0):
        self.args = ["--host", "127.0.0.1", "--port", "0", "--records", str(records), "--seed", str(seed),
                     "--token", token, "--api-key", api_key, "--quiet"]
        self.token, self.api_key, self.startup_timeout = token, api_key, startup_timeout
        self.url = ""
        self.port = 0
        self.returncode: int | None = None  # the exit status once stopped
        self._proc: subprocess.Popen[str] | None = None

    def start(self) -> ServerProcess:
        errors = tempfile.TemporaryFile(mode="w+")
        self._proc = subprocess.Popen([sys.executable, "-m", MODULE, *self.args], stdout=subprocess.PIPE,
                                      stderr=errors, text=True, env={**os.environ, "PYTHONUNBUFFERED": "1"})
        ready, _, _ = select.select([self._proc.stdout], [], [], self.startup_timeout)
        line = self._proc.stdout.readline() if ready else ""
        if not line.startswith("listening on "):
            self.stop()
            errors.seek(0)
            raise RuntimeError(f"OPD server did not start: {line!r} {errors.read()[-2000:]}")
        errors.close()
        self.url = line.split()[-1]
        self.port = int(self.url.rsplit(":", 1)[1])
        return self

    def stop(self) -> None:
        if self._proc is None:
            return
        self._proc.terminate()
        try:
            self._proc.wait(10)
        except subprocess.TimeoutExpired:
            self._proc.kill()
            self._proc.wait()
        self._proc.stdout.close()
        self.returncode, self._proc = self._proc.returncode, None

    def control(self, payload: dict[str, Any]) -> dict[str, Any]:
        request = urllib.request.Request(f"{self.url}/_control", data=json.dumps(payload).encode(), method="POST",
                                         headers={"Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                return json.load(response)
        except urllib.error.HTTPError as err:
            raise ControlError(json.load(err).get("error", str(err)), err.code) from None

    def __enter__(self) -> ServerProcess:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


@contextlib.contextmanager
def running_server(**kwargs: Any) -> Iterator[OPDServer]:
    """An :class:`OPDServer` in a thread for the block (keyword arguments as for the class)."""
    with OPDServer(**kwargs) as server:
        yield server


@contextlib.contextmanager
def running_process(**kwargs: Any) -> Iterator[ServerProcess]:
    """A :class:`ServerProcess` for the block (keyword arguments as for the class)."""
    with ServerProcess(**kwargs) as server:
        yield server


@pytest.fixture
def opd_server() -> Iterator[OPDServer]:
    """The OPD server with 50 records per system, in a thread, fresh for each test."""
    with running_server() as server:
        yield server


@pytest.fixture
def opd_server_process() -> Iterator[ServerProcess]:
    """The OPD server with 50 records per system in a child process, fresh for each test (about 0.3 s)."""
    with running_process() as server:
        yield server
