"""``satudata_dcat``: ckanext-dcat's RDF harvester for external catalogues, the portal's way.

What ckanext-dcat's ``dcat_rdf_harvester`` does (paged download, parsing with ``ckanext.dcat.rdf.profiles``,
which includes our ``satudata`` profile), plus:

* the SDI fields a foreign catalogue does not carry come from the source config (``config.py``), so records
  validate against the SDI schema instead of failing;
* the owning organisation is the source's, or ``owner_org`` from the config;
* records gone from the catalogue are **withdrawn through the workflow** (``harvesters.base.withdraw``), not
  deleted; new and updated datasets land through the workflow (published only where the walidata allowed the
  source, ``satudata_harvest_policy_set``), as with every harvester of the portal.
"""
from __future__ import annotations

import datetime as dt
import json
from typing import Any

import ckan.plugins as p
import ckan.plugins.toolkit as tk

from ckanext.dcat.harvesters.rdf import DCATRDFHarvester
from ckanext.dcat.interfaces import IDCATRDFHarvester
from ckanext.harvest.model import HarvestJob, HarvestObject

from ...dcat import vocab
from ...messages import N_
from ..base import land, withdraw
from .config import DcatSourceConfig, parse

__all__ = ["SatuDataDcatHarvester"]

NAME = "satudata_dcat"


def _config(harvest_object: HarvestObject) -> DcatSourceConfig:
    return parse(json.loads(harvest_object.source.config or "{}"))


def _themes(dataset: dict[str, Any]) -> list[str]:
    raw = next((e["value"] for e in dataset.get("extras", []) if e["key"] == "theme"), "[]")
    try:
        return [str(t) for t in json.loads(raw)]
    except (TypeError, ValueError):
        return []


def fill_sdi_fields(dataset: dict[str, Any], config: DcatSourceConfig) -> dict[str, Any]:
    """The SDI fields the parsed record lacks, from the source config (pure)."""
    if config.owner_org:
        dataset["owner_org"] = config.owner_org
    themes = _themes(dataset)
    # An exact urusan (the portal's own concept) stands; otherwise the source's theme map beats the built-in one.
    if not any(vocab.parse_concept(t) for t in themes):
        mapped = next((config.theme_map[t] for t in themes if t in config.theme_map), None)
        dataset["urusan"] = mapped or dataset.get("urusan") or config.urusan
    if not dataset.get("frekuensi"):
        dataset["frekuensi"] = config.frekuensi
    if not dataset.get("klasifikasi_akses"):
        dataset["klasifikasi_akses"] = config.klasifikasi_akses
    if not dataset.get("tahun"):
        issued = next((e["value"] for e in dataset.get("extras", []) if e["key"] in ("issued", "modified")), "")
        dataset["tahun"] = issued[:4] if issued[:4].isdigit() else str(dt.date.today().year)
    return dataset


class SatuDataDcatHarvester(DCATRDFHarvester):
    """Also lands what ckanext-dcat's own ``dcat_rdf`` harvester imports (IDCATRDFHarvester hooks run for every
    RDF harvester), so a stock source follows the workflow too."""

    p.implements(IDCATRDFHarvester, inherit=True)

    def __new__(cls, *args: Any, **kwargs: Any):
        # SingletonPlugin keeps its instance in a class attribute, which a subclass inherits: loaded beside
        # ckanext-dcat's dcat_rdf_harvester, this plugin would otherwise *be* that plugin's instance.
        if "_instance" not in cls.__dict__:
            cls._instance = object.__new__(cls)
        return cls._instance

    TITLE = N_("Katalog DCAT (portal provinsi/nasional)")
    DESCRIPTION = N_("Memanen katalog DCAT portal lain ke skema Satu Data; rekaman yang hilang ditarik, "
                     "tidak dihapus")

    def info(self) -> dict[str, Any]:
        return {"name": NAME, "title": tk._(self.TITLE), "description": tk._(self.DESCRIPTION),
                "form_config_interface": "Text"}

    def validate_config(self, source_config: str | None) -> str:
        try:
            data = json.loads(source_config or "{}")
        except ValueError as err:
            raise ValueError(tk._("Konfigurasi bukan JSON yang sah: {error}").format(error=err)) from err
        parse(data)
        return super().validate_config(source_config or "{}")

    def gather_stage(self, harvest_job: HarvestJob) -> list[str] | None:
        try:
            return super().gather_stage(harvest_job)
        except Exception as err:  # noqa: BLE001 - rdflib fails on broken input with any exception type
            # ckanext-dcat only catches its parser's own exception; a foreign catalogue must not crash the
            # gather consumer. Nothing was queued, so nothing is withdrawn on the strength of this run.
            self._save_gather_error(tk._("Katalog tidak dapat dibaca ({url}): {error}").format(
                url=harvest_job.source.url, error=f"{type(err).__name__}: {err}"), harvest_job)
            return None

    def modify_package_dict(self, package_dict: dict[str, Any], dcat_dict: dict[str, Any],
                            harvest_object: HarvestObject) -> dict[str, Any]:
        return fill_sdi_fields(package_dict, _config(harvest_object))

    def import_stage(self, harvest_object: HarvestObject) -> bool | str:
        if self._get_object_extra(harvest_object, "status") == "delete":
            withdraw(harvest_object, harvest_object.source)
            return True
        return super().import_stage(harvest_object)

    # IDCATRDFHarvester

    def after_create(self, harvest_object: HarvestObject, dataset_dict: dict[str, Any], temp_dict: dict) -> str | None:
        return _land(harvest_object, dataset_dict)

    def after_update(self, harvest_object: HarvestObject, dataset_dict: dict[str, Any], temp_dict: dict) -> str | None:
        return _land(harvest_object, dataset_dict)


def _land(harvest_object: HarvestObject, dataset_dict: dict[str, Any]) -> str | None:
    """Published when the walidata allowed the source; otherwise left as a draft for the OPD. A dataset that
    cannot be published (incomplete metadata) stays a draft, and the reason is the harvest object's error."""
    try:
        land(dataset_dict["id"], harvest_object.source.id)
    except (tk.ValidationError, tk.NotAuthorized) as err:
        return tk._("Dataset {name} tersimpan sebagai draf, belum dapat diterbitkan: {error}").format(
            name=dataset_dict.get("name"), error=getattr(err, "error_summary", None) or err)
    return None
