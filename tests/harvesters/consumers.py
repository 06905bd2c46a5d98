"""Real queue machinery for restart tests: a redis-server of our own and ckanext-harvest's consumer processes.

The consumers are ``ckan -c <ini> harvester gather-consumer`` / ``fetch-consumer``, as deploy/setup.sh and the
production units run them; :class:`Supervisor` restarts one that exits, as systemd's ``Restart=always`` does.
"""
from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import redis

__all__ = ["Consumer", "RedisServer", "Supervisor", "free_port", "write_ini"]

REDIS_DB = 7
# `ckan` as its console script runs it, with faulthandler on SIGUSR1 so that a hung consumer can show its stacks.
_CKAN = ("import faulthandler, signal, sys; faulthandler.register(signal.SIGUSR1, all_threads=True); "
         "sys.argv[0] = 'ckan'; from ckan.cli.cli import ckan; sys.exit(ckan())")
_LOGGING = """
[loggers]
keys = root, ckanext_harvest

[handlers]
keys = console

[formatters]
keys = generic

[logger_root]
level = WARNING
handlers = console

[logger_ckanext_harvest]
level = INFO
handlers = console
qualname = ckanext.harvest
propagate = 0

[handler_console]
class = StreamHandler
args = (sys.stderr,)
level = NOTSET
formatter = generic

[formatter_generic]
format = %(asctime)s %(levelname)-5.5s [%(name)s] %(message)s
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def write_ini(folder: Path, base_ini: str, redis_port: int, plugins: str) -> Path:
    """An ini that is the suite's test ini with the harvest queue (and CKAN's Redis) on our own redis-server."""
    path = folder / "consumers.ini"
    path.write_text(f"""[app:main]
use = config:{Path(base_ini).resolve()}
ckan.plugins = {plugins}
ckan.harvest.mq.type = redis
ckan.harvest.mq.hostname = 127.0.0.1
ckan.harvest.mq.port = {redis_port}
ckan.harvest.mq.redis_db = {REDIS_DB}
ckan.redis.url = redis://127.0.0.1:{redis_port}/{REDIS_DB}
{_LOGGING}""", encoding="utf-8")
    return path


class RedisServer:
    """``redis-server`` without persistence on a fixed loopback port: a restart comes back empty."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.port = free_port()
        self._proc: subprocess.Popen[bytes] | None = None

    def start(self) -> RedisServer:
        log = open(self.folder / "redis.log", "ab")  # noqa: SIM115 (the child keeps it)
        self._proc = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
             "--daemonize", "no", "--dir", str(self.folder)], stdout=log, stderr=subprocess.STDOUT)
        log.close()
        deadline = time.monotonic() + 10
        while True:
            try:
                self.client().ping()
                return self
            except redis.ConnectionError:
                if time.monotonic() > deadline or self._proc.poll() is not None:
                    raise RuntimeError(f"redis-server did not start on {self.port}") from None
                time.sleep(0.05)

    def kill(self) -> None:
        """SIGKILL: the server dies at once and, with no persistence, its queues are gone."""
        if self._proc is not None:
            self._proc.send_signal(signal.SIGKILL)
            self._proc.wait(10)
            self._proc = None

    def client(self) -> redis.Redis:
        return redis.Redis(host="127.0.0.1", port=self.port, db=REDIS_DB, decode_responses=True,
                           socket_timeout=5)

    def stop(self) -> None:
        if self._proc is not None:
            self._proc.terminate()
            self._proc.wait(10)
            self._proc = None


class Consumer:
    """One ``ckan harvester <kind>`` process; its output goes to ``<kind>.log`` (appended across restarts)."""

    def __init__(self, kind: str, ini: Path, folder: Path):
        self.kind, self.ini, self.log_path = kind, ini, folder / f"{kind}.log"
        self.starts = 0
        self._proc: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        with open(self.log_path, "ab") as log:
            log.write(f"--- start {self.starts + 1} at {time.strftime('%H:%M:%S')}\n".encode())
            log.flush()
            self._proc = subprocess.Popen([sys.executable, "-c", _CKAN, "-c", str(self.ini), "harvester", self.kind],
                                          stdout=log, stderr=subprocess.STDOUT,
                                          env={**os.environ, "PYTHONUNBUFFERED": "1"})
        self.starts += 1

    def alive(self) -> bool:
        return self._proc is not None and self._proc.poll() is None

    @property
    def pid(self) -> int | None:
        return self._proc.pid if self._proc is not None else None

    def stop(self) -> None:
        if self._proc is None:
            return
        self._proc.terminate()
        try:
            self._proc.wait(10)
        except subprocess.TimeoutExpired:
            self._proc.kill()
            self._proc.wait()
        self._proc = None

    def dump_stacks(self) -> None:
        """Have the process write every thread's stack to its log (to see where a consumer hangs)."""
        if self.alive():
            self._proc.send_signal(signal.SIGUSR1)

    def log(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace") if self.log_path.exists() else ""


class Supervisor:
    """Keeps the consumers running: one that exited is started again after ``delay`` (systemd's RestartSec)."""

    def __init__(self, consumers: list[Consumer], delay: float = 0.5):
        self.consumers, self.delay = consumers, delay
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._watch, name="consumer-supervisor", daemon=True)

    def start(self) -> Supervisor:
        for consumer in self.consumers:
            consumer.start()
        self._thread.start()
        return self

    def _watch(self) -> None:
        while not self._stop.wait(self.delay):
            for consumer in self.consumers:
                if not consumer.alive() and not self._stop.is_set():
                    consumer.start()

    def restarts(self) -> dict[str, int]:
        return {c.kind: c.starts - 1 for c in self.consumers}

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(5)
        for consumer in self.consumers:
            consumer.stop()

    def logs(self) -> str:
        for consumer in self.consumers:
            consumer.dump_stacks()
        time.sleep(0.5)
        return "\n".join(f"===== {c.kind}\n{c.log()[-15000:]}" for c in self.consumers)
