"""What every harvester of the portal shares, on ckanext-harvest's gather/fetch/import stages.

A harvester says how to list a source (``records``) and how one record becomes an SDI dataset
(``convert``, pure). The base does the rest the same way for all of them:

* gather lists the whole source; a record whose content (and the source's config) hashes as in the
  last successful import is skipped; a GUID listed twice is an error on the job; GUIDs gone from a
  *complete* listing are withdrawn through the workflow (never deleted), unless that would withdraw
  more than ``withdraw_limit`` of the source at once (a broken source, not a real removal);
* import creates or updates the dataset as the site user, in the source's OPD, then lands it through
  the workflow (``satudata_harvest_land``): a draft for review unless the walidata allowed the source
  to publish directly. Updates of a published dataset from other sources become revisions.
* a failed record leaves its dataset as it was and is retried on the next run.
"""
from __future__ import annotations

import enum
import hashlib
import json
import logging
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import ckan.plugins.toolkit as tk
import sqlalchemy as sa
from ckan import model
from ckan.model.types import make_uuid

from ckanext.harvest.harvesters.base import HarvesterBase
from ckanext.harvest.model import HarvestJob, HarvestObject, HarvestObjectExtra

from ..workflow import records as workflow_records
from ..workflow.machine import State
from ..workflow.revisions import REVISION_FLAG, NoChanges, site_context
from . import credentials, store

__all__ = ["SourceRecord", "SourceError", "RecordError", "ObjectAction", "SatuDataHarvester", "content_hash",
           "land", "withdraw", "HASH_KEY", "ACTION_KEY", "DEFAULT_WITHDRAW_LIMIT"]

log = logging.getLogger(__name__)

HASH_KEY = "satudata_hash"
ACTION_KEY = "satudata_action"
# Share of a source's datasets one run may withdraw; above it the listing is taken for a fault.
DEFAULT_WITHDRAW_LIMIT = 0.5


@dataclass(frozen=True)
class SourceRecord:
    """One record as listed by the source: its stable identifier there, and its raw content."""

    guid: str
    content: dict[str, Any]


class SourceError(Exception):
    """The source as a whole failed (connection, HTTP status, unreadable body, a page that failed)."""


class RecordError(Exception):
    """One record cannot become a dataset (a missing or renamed field, a bad value)."""


class ObjectAction(str, enum.Enum):
    IMPORT = "import"
    WITHDRAW = "withdraw"


def content_hash(content: dict[str, Any], config: dict[str, Any]) -> str:
    """Changes when the record or the way it is mapped changes."""
    canonical = json.dumps([content, config], sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class _Known:
    package_id: str | None
    digest: str | None
    current: bool


class SatuDataHarvester(HarvesterBase):
    """Subclasses set NAME, TITLE, DESCRIPTION and implement ``parse_config``, ``records`` and ``convert``."""

    NAME = ""
    TITLE = ""
    DESCRIPTION = ""

    # --- what a harvester implements -----------------------------------------------------------------

    def parse_config(self, config: dict[str, Any]) -> Any:
        """The source's config as the harvester uses it; ValueError (in Indonesian) when it is wrong."""
        return config

    def records(self, config: Any, job: HarvestJob) -> Iterator[SourceRecord]:
        raise NotImplementedError

    def convert(self, content: dict[str, Any], config: Any) -> dict[str, Any]:
        raise NotImplementedError

    def before_save(self, dataset: dict[str, Any], current: dict[str, Any] | None, config: Any,
                    may_write_data: bool) -> None:
        """Last changes to the dataset dict about to be written (``current``: as the portal holds it, None when
        new), e.g. the resource of its DataStore table, so that the dataset is written once."""

    def after_save(self, package: dict[str, Any], current: dict[str, Any] | None, content: dict[str, Any],
                   config: Any, may_write_data: bool, context: dict[str, Any]) -> None:
        """After the dataset was written (e.g. load its DataStore rows); raise RecordError to fail the record.
        ``current`` is the dataset as it was before this write (None when new); ``context`` the site user's."""

    @staticmethod
    def _ensure_name_is_unique(ideal_name, existing_name=None, append_type="number-sequence"):
        # ckanext-harvest lists every name that starts like the ideal one with ILIKE, which no index answers:
        # a scan of the package table per new dataset (7 ms at 10,000 datasets, growing). The ideal name is
        # usually free, and an exact lookup on the unique index says so; otherwise the stock search numbers it.
        ideal = ideal_name[:model.PACKAGE_NAME_MAX_LENGTH]
        if existing_name is None and not model.Session.query(
                model.Session.query(model.Package).filter(model.Package.name == ideal).exists()).scalar():
            return ideal
        return HarvesterBase._ensure_name_is_unique(ideal_name, existing_name, append_type)

    # --- IHarvester --------------------------------------------------------------------------------------

    def info(self) -> dict[str, Any]:
        return {"name": self.NAME, "title": tk._(self.TITLE), "description": tk._(self.DESCRIPTION),
                "form_config_interface": "Text"}

    def validate_config(self, config: str | None) -> str:
        self.parse_config(_load_config(config))
        return config or "{}"

    def get_original_url(self, harvest_object_id: str) -> str | None:
        return None

    def gather_stage(self, harvest_job: HarvestJob) -> list[str] | None:
        source = harvest_job.source
        try:
            raw = credentials.resolve(source.id, _load_config(source.config))
            config = self.parse_config(raw)
        except ValueError as err:
            self._save_gather_error(tk._("Konfigurasi sumber tidak valid: {error}").format(error=err), harvest_job)
            return None
        fingerprint = credentials.redact(raw)
        known = _known_records(source.id)
        summary = store.RunSummary()
        seen: set[str] = set()
        object_ids: list[str] = []
        try:
            for record in self.records(config, harvest_job):
                summary.listed += 1
                if record.guid in seen:
                    summary.duplicates += 1
                    self._save_gather_error(tk._(
                        "Pengenal rekaman {guid} muncul lebih dari sekali di sumber; hanya kemunculan pertama "
                        "yang dipanen").format(guid=record.guid), harvest_job)
                    continue
                seen.add(record.guid)
                digest = content_hash(record.content, fingerprint)
                previous = known.get(record.guid)
                if previous is not None and previous.current and previous.digest == digest:
                    summary.unchanged += 1
                    continue
                object_ids.append(self._queue(harvest_job, record.guid, ObjectAction.IMPORT,
                                              package_id=previous.package_id if previous else None,
                                              content=record.content, digest=digest))
            summary.complete = True
        except SourceError as err:
            self._save_gather_error(str(err), harvest_job)
        summary.queued = len(object_ids)
        if summary.complete:
            object_ids += self._queue_withdrawals(harvest_job, raw, known, seen, summary)
        store.save_run(harvest_job.id, source.id, summary)
        model.Session.commit()
        return object_ids

    def fetch_stage(self, harvest_object: HarvestObject) -> bool:
        # The listing already holds each record whole.
        return True

    def import_stage(self, harvest_object: HarvestObject) -> bool | str:
        source = harvest_object.source or harvest_object.job.source
        action = _extra(harvest_object, ACTION_KEY)
        try:
            if action == ObjectAction.WITHDRAW.value:
                self._withdraw(harvest_object, source)
                return True
            raw = credentials.resolve(source.id, _load_config(source.config))
            config = self.parse_config(raw)
            content = json.loads(harvest_object.content)
            dataset = self.convert(content, config)
            return self._save(harvest_object, source, dataset, content, config)
        except (ValueError, RecordError) as err:
            model.Session.rollback()
            self._save_object_error(str(err), harvest_object, "Import")
        except tk.ValidationError as err:
            model.Session.rollback()
            self._save_object_error(tk._("Rekaman {guid} tidak lolos validasi: {errors}").format(
                guid=harvest_object.guid, errors=_error_summary(err.error_dict)), harvest_object, "Import")
        except (tk.ObjectNotFound, tk.NotAuthorized) as err:
            model.Session.rollback()
            self._save_object_error(tk._("Rekaman {guid} gagal disimpan: {error}").format(
                guid=harvest_object.guid, error=err.message or type(err).__name__), harvest_object, "Import")
        return False

    # --- gather helpers ---------------------------------------------------------------------------------

    def _queue(self, job: HarvestJob, guid: str, action: ObjectAction, package_id: str | None = None,
               content: dict[str, Any] | None = None, digest: str | None = None) -> str:
        # The id is made here rather than by a flush per object: the whole listing is written in one batch
        # when gather commits.
        obj = HarvestObject(id=make_uuid(), guid=guid, job=job, source=job.source, package_id=package_id,
                            content=json.dumps(content, ensure_ascii=False) if content is not None else None)
        obj.extras = [HarvestObjectExtra(key=ACTION_KEY, value=action.value)]
        if digest:
            obj.extras.append(HarvestObjectExtra(key=HASH_KEY, value=digest))
        model.Session.add(obj)
        return obj.id

    def _queue_withdrawals(self, job: HarvestJob, raw: dict[str, Any], known: dict[str, _Known], seen: set[str],
                           summary: store.RunSummary) -> list[str]:
        gone = [guid for guid, k in known.items() if k.current and k.package_id and guid not in seen]
        current = sum(1 for k in known.values() if k.current)
        limit = float(raw.get("withdraw_limit", DEFAULT_WITHDRAW_LIMIT))
        if gone and current and len(gone) / current > limit:
            self._save_gather_error(tk._(
                "{gone} dari {current} rekaman tidak lagi ada di sumber; lebih dari batas {limit:.0%} dalam satu "
                "kali panen, jadi tidak ada yang ditarik. Periksa sumbernya; jika memang dihapus, naikkan "
                "withdraw_limit pada konfigurasi.").format(gone=len(gone), current=current, limit=limit), job)
            return []
        summary.withdrawn = len(gone)
        return [self._queue(job, guid, ObjectAction.WITHDRAW, package_id=known[guid].package_id) for guid in gone]

    # --- import helpers ---------------------------------------------------------------------------------

    def _save(self, harvest_object: HarvestObject, source, dataset: dict[str, Any], content: dict[str, Any],
              config: Any) -> bool:
        owner_org = _source_owner(source)
        if not owner_org:
            raise RecordError(tk._("Sumber panen belum memiliki OPD pemilik"))
        existing = _active_package(harvest_object.package_id)
        may_publish = workflow_records.harvest_policy_of(source.id)["publish_directly"]
        published = existing is not None and workflow_records.get_state(existing) is State.TERBIT
        # Rows change the public data directly: only in datasets not yet published, or from trusted sources.
        may_write_data = may_publish or not published
        site = site_context()  # one site-user lookup per record, copied for each action
        context = dict(site)
        dataset = dict(dataset, owner_org=owner_org)
        current = None
        if existing is None:
            dataset["id"] = make_uuid()
            dataset["name"] = self._gen_new_name(dataset.get("name") or dataset["title"])
            self.before_save(dataset, None, config, may_write_data)
            # Linked in the dataset's own transaction (as ckanext-harvest's base does): a database cut cannot
            # leave a dataset that no harvest object points at, which a retry would create a second time.
            harvest_object.package_id = dataset["id"]
            model.Session.add(harvest_object)
            model.Session.execute(sa.text("SET CONSTRAINTS harvest_object_package_id_fkey DEFERRED"))
            model.Session.flush()
            saved = tk.get_action("package_create")(context, dataset)
        else:
            current = tk.get_action("package_show")(dict(site, use_cache=False), {"id": existing.id})
            dataset["id"] = existing.id
            dataset["name"] = existing.name
            dataset["resources"] = _merge_resources(current.get("resources") or [], dataset.get("resources"))
            self.before_save(dataset, current, config, may_write_data)
            if published and not may_publish:
                # Held as a revision for the OPD verifier and the walidata, like an OPD's own edit.
                context[REVISION_FLAG] = True
                dataset["satudata_note"] = tk._("Perubahan dari sumber panen {source}").format(
                    source=source.title or source.id)
            try:
                saved = tk.get_action("package_update")(context, dataset)
            except NoChanges:
                saved = current
        package_id = saved["id"]
        # Linked at once (a retry must find this dataset), current only once the record is wholly in.
        harvest_object.package_id = package_id
        model.Session.add(harvest_object)
        model.Session.commit()
        # `saved` is package_show's answer from within the write (or the fresh show when nothing changed):
        # showing the dataset again would only validate the same dict a second time.
        self.after_save(saved, current, content, config, may_write_data, dict(site))
        land(package_id, source.id, site)
        _make_current(harvest_object, package_id)
        model.Session.commit()
        return True

    def _withdraw(self, harvest_object: HarvestObject, source) -> None:
        withdraw(harvest_object, source)


# --- shared with harvesters built on other bases (the CSW harvester) ------------------------------------

def land(package_id: str, source_id: str, context: dict[str, Any] | None = None) -> None:
    """Through the workflow: published when the walidata allowed the source, else left for the OPD."""
    context = dict(context or site_context(), satudata_brief=True)
    tk.get_action("satudata_harvest_land")(context, {"id": package_id, "source_id": source_id})


def withdraw(harvest_object: HarvestObject, source) -> None:
    """A record gone from its source: its published dataset is withdrawn with a note (others get the note in
    their audit trail); nothing is deleted."""
    package = _active_package(harvest_object.package_id)
    if package is not None:
        note = tk._("Rekaman {guid} tidak lagi ada di sumber panen {source}").format(
            guid=harvest_object.guid, source=source.title or source.id)
        if workflow_records.get_state(package) is State.TERBIT:
            tk.get_action("satudata_workflow_withdraw")(site_context(), {"id": package.id, "note": note})
        else:
            tk.get_action("satudata_workflow_comment")(site_context(), {"id": package.id, "note": note})
    model.Session.query(HarvestObject).filter(HarvestObject.guid == harvest_object.guid,
                                              HarvestObject.harvest_source_id == source.id).update(
        {"current": False}, synchronize_session=False)
    harvest_object.current = False
    model.Session.add(harvest_object)
    model.Session.commit()


# --- module helpers ---------------------------------------------------------------------------------------

def _load_config(config: str | None) -> dict[str, Any]:
    if not config or not config.strip():
        return {}
    try:
        data = json.loads(config)
    except json.JSONDecodeError as err:
        raise ValueError(tk._("konfigurasi harus berupa objek JSON ({error})").format(error=err.msg)) from err
    if not isinstance(data, dict):
        raise ValueError(tk._("konfigurasi harus berupa objek JSON"))
    return data


def _extra(harvest_object: HarvestObject, key: str) -> str | None:
    return next((e.value for e in harvest_object.extras if e.key == key), None)


def _known_records(source_id: str) -> dict[str, _Known]:
    """Per GUID of the source: its dataset (latest object that had one), and the current object's hash."""
    obj = HarvestObject.__table__
    extra = HarvestObjectExtra.__table__
    current = sa.select(obj.c.guid, obj.c.package_id, extra.c.value).select_from(
        obj.outerjoin(extra, sa.and_(extra.c.harvest_object_id == obj.c.id, extra.c.key == HASH_KEY))).where(
        obj.c.harvest_source_id == source_id, obj.c.current.is_(True))
    known = {row.guid: _Known(row.package_id, row.value, True) for row in model.Session.execute(current)}
    # Records seen before but not current (withdrawn, or never imported): reuse their dataset if any.
    earlier = sa.select(obj.c.guid, obj.c.package_id).distinct(obj.c.guid).where(
        obj.c.harvest_source_id == source_id, obj.c.package_id.is_not(None)).order_by(
        obj.c.guid, obj.c.gathered.desc())
    for row in model.Session.execute(earlier):
        known.setdefault(row.guid, _Known(row.package_id, None, False))
    return known


def _active_package(package_id: str | None) -> model.Package | None:
    package = model.Package.get(package_id) if package_id else None
    return package if package is not None and package.state != "deleted" else None


def _source_owner(source) -> str | None:
    package = model.Package.get(source.id)
    return package.owner_org if package is not None else None


def _make_current(harvest_object: HarvestObject, package_id: str) -> None:
    model.Session.query(HarvestObject).filter(HarvestObject.package_id == package_id,
                                              HarvestObject.id != harvest_object.id).update(
        {"current": False}, synchronize_session=False)
    harvest_object.package_id = package_id
    harvest_object.current = True
    model.Session.add(harvest_object)


def _merge_resources(existing: list[dict[str, Any]], incoming: list[dict[str, Any]] | None) -> list[dict[str, Any]]:
    """The converter's resources (matched by URL to keep their ids), then the ones the portal holds itself
    (DataStore tables, uploads), which a source never lists."""
    incoming = incoming or []
    by_url = {r.get("url"): r for r in existing if r.get("url")}
    merged = [dict(r, id=by_url[r["url"]]["id"]) if r.get("url") in by_url else r for r in incoming]
    merged += [r for r in existing if r.get("url_type") in ("datastore", "upload")]
    return merged


def _error_summary(error_dict: dict[str, Any]) -> str:
    parts = []
    for field, messages in error_dict.items():
        if isinstance(messages, list) and messages and isinstance(messages[0], dict):
            messages = [f"{k}: {v}" for m in messages for k, v in m.items()]
        elif not isinstance(messages, list):
            messages = [messages]
        parts.append(f"{field}: {'; '.join(str(m) for m in messages)}")
    return "; ".join(parts)
