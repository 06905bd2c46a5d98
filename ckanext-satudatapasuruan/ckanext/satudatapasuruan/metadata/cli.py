"""CLI of the SDI metadata plugin: ``ckan satudata-refdata ...`` updates the reference lists."""
from __future__ import annotations

from ckanext.satudatapasuruan.refdata.cli import satudata_refdata

__all__ = ["satudata_refdata"]
