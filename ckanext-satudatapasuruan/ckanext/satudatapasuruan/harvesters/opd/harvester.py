"""``satudata_opd``: harvests an OPD application's records into SDI datasets (and their rows)."""
from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import ckan.plugins.toolkit as tk

from ckanext.harvest.model import HarvestJob

from ...messages import N_
from ...workflow.revisions import site_context
from ..base import RecordError, SatuDataHarvester, SourceError, SourceRecord
from . import client, convert
from .config import OpdConfig, parse

__all__ = ["OpdHarvester"]


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

    def after_save(self, package: dict[str, Any], content: dict[str, Any], config: OpdConfig,
                   may_write_data: bool) -> None:
        spec = config.datastore
        if spec is None:
            return
        guid = _guid(content, config) or "?"
        rows = convert.rows_of(content, config, guid)
        if not may_write_data:
            raise RecordError(tk._("Rekaman {guid}: baris data tidak dimuat karena dataset sudah terbit dan "
                                   "walidata belum mengizinkan sumber ini terbit langsung; perubahan metadata "
                                   "diajukan sebagai revisi").format(guid=guid))
        site = site_context()
        fields = [dict(f) for f in spec.fields]
        resource = next((r for r in package.get("resources") or []
                         if r.get("name") == spec.resource_name and r.get("url_type") == "datastore"), None)
        if resource is None:
            # datastore_active set with the resource: otherwise datastore_create patches the resource once the
            # table exists, a second package_update (validation, activity, index) for every new dataset.
            tk.get_action("datastore_create")(site, {
                "resource": {"package_id": package["id"], "name": spec.resource_name, "url_type": "datastore",
                             "format": "CSV", "datastore_active": True},
                "fields": fields, "primary_key": list(spec.primary_key), "records": rows, "force": True})
            return
        # Declared again each time: a column added to the config is added to the table.
        tk.get_action("datastore_create")(site, {"resource_id": resource["id"], "fields": fields,
                                                 "primary_key": list(spec.primary_key), "force": True})
        if rows:
            tk.get_action("datastore_upsert")(site, {"resource_id": resource["id"], "records": rows,
                                                     "method": "upsert", "force": True})
