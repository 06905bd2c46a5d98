from __future__ import annotations

from ckanext.satudatapasuruan.harvesters.opdserver.testing import opd_server, opd_server_process  # noqa: F401
