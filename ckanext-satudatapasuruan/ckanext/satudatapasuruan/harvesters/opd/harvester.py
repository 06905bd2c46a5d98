"""``satudata_opd``: harvests an OPD application's records into SDI datasets (and their rows)."""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import ckan.plugins.toolkit as tk
from ckan.model.types import make_uuid

from ckanext.harvest.model import HarvestJob

from ...messages import N_
from ..base import RecordError, SatuDataHarvester, SourceError, SourceRecord
from . import client, convert
from .config import OpdConfig, parse

__all__ = ["OpdHarvester", "DATASTORE_ONLY_URL"]

# What datastore_create stores as the URL of a table-only resource.
DATASTORE_ONLY_URL = "_datastore_only_resource"


def _guid(record: dict[str, Any], config: OpdConfig) -> str | None:
    value = convert.get_path(record, config.id_field)
    return None if value is convert.MISSING or value in (None, "") else str(value)


class OpdHarvester(SatuDataHarvester):
    NAME = "satudata_opd"
    TITLE = N_("Aplikasi OPD (REST/JSON, CSV, XLSX)")
    DESCRIPTION = N_("Memanen rekaman aplikasi perangkat daerah menjadi dataset Satu Data, terjadwal dan bertahap")

    # SatuDataHarvester

    def parse_config(self, config: dict[str, Any]) -> OpdConfig:
        return parse(config)

    def records(self, config: OpdConfig, job: HarvestJob) -> Iterator[SourceRecord]:
        position = 0
        for page in client.pages(job.source.url, config, job.source.id):
            for record in page.records:
                position += 1
                guid = _guid(record, config)
                if guid is None:
                    # Without an id the record cannot be followed; a listing with such records is not
                    # complete, so nothing is withdrawn on the strength of it.
                    raise SourceError(tk._("Rekaman ke-{n} ({url}) tidak memiliki pengenal di kolom '{field}'; "
                                           "periksa apakah kolom itu diganti namanya di sumber").format(
                        n=position, url=page.url, field=config.id_field))
                yield SourceRecord(guid, record)

    def convert(self, content: dict[str, Any], config: OpdConfig) -> dict[str, Any]:
        guid = _guid(content, config) or "?"
        convert.rows_of(content, config, guid)  # bad rows fail the record before anything is written
        return convert.convert(content, config, guid)

    def before_save(self, dataset: dict[str, Any], current: dict[str, Any] | None, config: OpdConfig,
                    may_write_data: bool) -> None:
        spec = config.datastore
        resources = dataset.setdefault("resources", [])
        if spec is None or not may_write_data or _table_resource(resources, spec.resource_name):
            return
        # The table's resource goes in with the dataset, flagged active: datastore_create then finds it and
        # does not add it (resource_create) or flag it (resource_patch) itself, each a second package_update
        # (validation, activity, index) of every new dataset.
        resources.append({"id": make_uuid(), "name": spec.resource_name, "url": DATASTORE_ONLY_URL,
                          "url_type": "datastore", "format": "CSV", "datastore_active": True,
                          "last_modified": dt.datetime.now(dt.timezone.utc).isoformat()})

    def after_save(self, package: dict[str, Any], current: dict[str, Any] | None, content: dict[str, Any],
                   config: OpdConfig, may_write_data: bool, context: dict[str, Any]) -> None:
        spec = config.datastore
        if spec is None:
            return
        guid = _guid(content, config) or "?"
        rows = convert.rows_of(content, config, guid)
        if not may_write_data:
            raise RecordError(tk._("Rekaman {guid}: baris data tidak dimuat karena dataset sudah terbit dan "
                                   "walidata belum mengizinkan sumber ini terbit langsung; perubahan metadata "
                                   "diajukan sebagai revisi").format(guid=guid))
        resource = _table_resource(package.get("resources") or [], spec.resource_name)
        if resource is None:
            raise RecordError(tk._("Rekaman {guid}: sumber daya tabel '{name}' tidak tersimpan pada dataset").format(
                guid=guid, name=spec.resource_name))
        fields = [dict(f) for f in spec.fields]
        new = current is None or not _table_resource(current.get("resources") or [], spec.resource_name)
        if new:
            # A new table: created with its rows in one call.
            tk.get_action("datastore_create")(dict(context), {"resource_id": resource["id"], "fields": fields,
                                                     "primary_key": list(spec.primary_key), "records": rows,
                                                     "force": True})
            return
        # Declared again each time: a column added to the config is added to the table (and a table whose
        # load failed on an earlier run is created now).
        tk.get_action("datastore_create")(dict(context), {"resource_id": resource["id"], "fields": fields,
                                                 "primary_key": list(spec.primary_key), "force": True})
        if rows:
            tk.get_action("datastore_upsert")(dict(context), {"resource_id": resource["id"], "records": rows,
                                                     "method": "upsert", "force": True})


def _table_resource(resources: list[dict[str, Any]], name: str) -> dict[str, Any] | None:
    return next((r for r in resources if r.get("name") == name and r.get("url_type") == "datastore"), None)
