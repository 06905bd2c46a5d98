"""Which datasets are *priority data*: the one answer every "priority dataset" KPI uses.

The daftar data prioritas agreed by the Forum Satu Data (``satudata_daftardata``) is the source: its priority
entries name the datasets that fulfil them. A portal without that plugin falls back on each dataset's own
``data_prioritas`` flag of the SDI metadata."""
from __future__ import annotations

import ckan.plugins.toolkit as tk

__all__ = ["listed_package_ids"]


def listed_package_ids() -> frozenset[str] | None:
    """Ids of the active datasets linked to a priority entry of the daftar data, or ``None`` when the daftar
    data plugin is not enabled (then ``data_prioritas = ya`` decides)."""
    try:
        action = tk.get_action("satudata_daftardata_kpi")
    except KeyError:
        return None
    return frozenset(action({"ignore_auth": True}, {})["priority_package_ids"])
