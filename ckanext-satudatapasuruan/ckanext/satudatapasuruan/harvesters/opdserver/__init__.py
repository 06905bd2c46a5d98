"""A small OPD application server on loopback, for demos, tests and benchmarks.

Two fictional regional systems of Kabupaten Pasuruan on one stdlib HTTP server: BPKAD's SIPD-like budget
realisation and BKPSDM's e-Absensi attendance recap (``server.ENDPOINTS``). Run it with
``python -m ckanext.satudatapasuruan.harvesters.opdserver``, or in a thread with :class:`OPDServer`; tests import
their fixtures from ``.testing``. See docs/opdserver.md.
"""
from __future__ import annotations

from .server import DEFAULT_API_KEY, DEFAULT_TOKEN, ENDPOINTS, Controls, OPDServer
from .store import FAULTS, ControlError

__all__ = ["DEFAULT_API_KEY", "DEFAULT_TOKEN", "ENDPOINTS", "FAULTS", "ControlError", "Controls", "OPDServer"]
