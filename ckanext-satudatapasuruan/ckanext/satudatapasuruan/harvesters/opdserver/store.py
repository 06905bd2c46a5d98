"""The server's mutable state: the records of each system and the injected faults, safe across threads.

A collection is replaced, never changed in place (copy on write), so a request serialises a consistent snapshot
without holding the lock.
"""
from __future__ import annotations

import bisect
import calendar
import datetime as dt
import math
import threading
import time
from dataclasses import dataclass
from typing import Any

from . import data

__all__ = ["FAULTS", "Collection", "ControlError", "Store"]


class ControlError(ValueError):
    """A control request that cannot be carried out; `status` is the HTTP status to answer with."""

    def __init__(self, message: str, status: int = 400):
        super().__init__(message)
        self.status = status


def _epoch(stamp: str) -> float:
    return calendar.timegm(time.strptime(stamp, "%Y-%m-%dT%H:%M:%SZ"))


def _stamp(epoch: float) -> str:
    return dt.datetime.fromtimestamp(int(epoch), dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass(frozen=True)
class Collection:
    """One system's records sorted by id (the stable order of every listing) and when it last changed."""

    id_field: str
    records: tuple[dict[str, Any], ...]
    changed: float  # epoch seconds; also moves when a record is removed

    @classmethod
    def build(cls, id_field: str, records: list[dict[str, Any]], changed: float | None = None) -> Collection:
        ordered = tuple(sorted(records, key=lambda r: r[id_field]))
        if changed is None:
            changed = max((_epoch(r["updated_at"]) for r in ordered), default=data.DATA_END.timestamp())
        return cls(id_field, ordered, changed)

    def index(self, record_id: str) -> int | None:
        i = bisect.bisect_left(self.records, record_id, key=lambda r: r[self.id_field])
        return i if i < len(self.records) and self.records[i][self.id_field] == record_id else None

    def find(self, record_id: str) -> dict[str, Any] | None:
        i = self.index(record_id)
        return None if i is None else self.records[i]


def _int(params: dict[str, Any], key: str, minimum: int = 0) -> int:
    value = params.get(key)
    if not isinstance(value, int) or isinstance(value, bool) or value < minimum:
        raise ControlError(f"fault parameter {key!r} must be an integer >= {minimum}")
    return value


def _check_status(params):
    code = _int(params, "code", 100)
    if not 400 <= code <= 599:
        raise ControlError("fault parameter 'code' must be an HTTP error status (400-599)")


def _check_drift(params):
    rename, drop = params.get("rename", {}), params.get("drop", [])
    if not isinstance(rename, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in rename.items()):
        raise ControlError("fault parameter 'rename' must map field names to new names")
    if not isinstance(drop, list) or not all(isinstance(k, str) for k in drop):
        raise ControlError("fault parameter 'drop' must be a list of field names")
    if not rename and not drop:
        raise ControlError("drift needs 'rename' or 'drop'")


def _check_slow(params):
    seconds = params.get("seconds")
    if not isinstance(seconds, (int, float)) or isinstance(seconds, bool) or not 0 <= seconds <= 3600:
        raise ControlError("fault parameter 'seconds' must be a number between 0 and 3600")


def _check_duplicate(params):
    _int(params, "page", 1)
    if "id" in params and not isinstance(params["id"], str):
        raise ControlError("fault parameter 'id' must be a record id")


# Each fault and the check of its parameters (besides the optional 'path' prefix every fault accepts).
FAULTS = {
    "status": _check_status,
    "invalid_json": lambda params: None,
    "drift": _check_drift,
    "fail_page": lambda params: _int(params, "page", 1),
    "oversize": lambda params: _int(params, "bytes", 1),
    "duplicate": _check_duplicate,
    "slow": _check_slow,
    "hang": lambda params: None,
}


class Store:
    """Records per system plus the active faults; every method may be called from any thread."""

    def __init__(self, records: int, seed: int):
        self.seed, self.initial = seed, records
        self._lock = threading.Lock()
        self._faults: dict[str, dict[str, Any]] = {}
        self._released = threading.Event()  # set while no hang fault is active
        self._released.set()
        self.restore(records)

    # --- records ---
    def restore(self, records: int) -> None:
        """Regenerate `records` records per system from the seed and clear every fault."""
        if not isinstance(records, int) or isinstance(records, bool) or records < 0:
            raise ControlError("'records' must be an integer >= 0")
        fresh = {system: Collection.build(data.ID_FIELDS[system], data.generate(system, records, self.seed))
                 for system in data.SYSTEMS}
        with self._lock:
            self.count = records
            self._collections = fresh
        self.clear()

    def collection(self, system: str) -> Collection:
        try:
            return self._collections[system]
        except KeyError:
            raise ControlError(f"unknown system {system!r}; expected one of {', '.join(data.SYSTEMS)}") from None

    def _bump(self, current: Collection) -> float:
        # HTTP dates have one-second resolution: a change must move Last-Modified past any date a client holds.
        return max(time.time(), math.floor(current.changed) + 1)

    def change(self, system: str, record_id: str, values: dict[str, Any]) -> dict[str, Any]:
        """Give the record new values; its ``updated_at`` (and so Last-Modified) moves to now."""
        with self._lock:
            current = self.collection(system)
            old = current.find(record_id)
            if old is None:
                raise ControlError(f"no record {record_id!r} in {system}", 404)
            if values.get(current.id_field, record_id) != record_id:
                raise ControlError("a change cannot alter the record id; remove and add instead")
            now = self._bump(current)
            new = {**old, **values, "updated_at": _stamp(now)}
            records = [new if r is old else r for r in current.records]
            self._collections = {**self._collections, system: Collection.build(current.id_field, records, now)}
            return new

    def add(self, system: str, values: dict[str, Any]) -> dict[str, Any]:
        """Add the next generated record (or one with the given id), overlaid with `values`."""
        with self._lock:
            current = self.collection(system)
            taken = {r[current.id_field] for r in current.records}
            record_id = values.get(current.id_field)
            if record_id is not None and (not isinstance(record_id, str) or record_id in taken):
                raise ControlError(f"record id {record_id!r} is taken or not a string")
            now = self._bump(current)
            new = {**data.next_record(system, taken, self.seed), **values, "updated_at": _stamp(now)}
            records = [*current.records, new]
            self._collections = {**self._collections, system: Collection.build(current.id_field, records, now)}
            return new

    def remove(self, system: str, record_id: str) -> None:
        """Remove the record; Last-Modified moves to now, since the listing changed."""
        with self._lock:
            current = self.collection(system)
            if current.index(record_id) is None:
                raise ControlError(f"no record {record_id!r} in {system}", 404)
            records = [r for r in current.records if r[current.id_field] != record_id]
            self._collections = {**self._collections,
                                 system: Collection.build(current.id_field, records, self._bump(current))}

    # --- faults ---
    def fault(self, name: str, params: dict[str, Any]) -> None:
        """Turn fault `name` on with `params` until cleared; "reset" clears every fault."""
        if name == "reset":
            self.clear()
            return
        if name not in FAULTS:
            raise ControlError(f"unknown fault {name!r}; expected one of {', '.join(FAULTS)} or reset")
        if not isinstance(params.get("path", "/"), str):
            raise ControlError("fault parameter 'path' must be a path prefix")
        FAULTS[name](params)
        with self._lock:
            self._faults = {**self._faults, name: dict(params)}
            if name == "hang":
                self._released.clear()

    def clear(self, name: str | None = None) -> None:
        """Clear one fault, or all of them; requests held by "hang" then go on."""
        with self._lock:
            self._faults = {} if name is None else {k: v for k, v in self._faults.items() if k != name}
            if "hang" not in self._faults:
                self._released.set()

    def faults(self, path: str) -> dict[str, dict[str, Any]]:
        """The faults that apply to a request for `path`."""
        return {name: params for name, params in self._faults.items() if path.startswith(params.get("path", "/"))}

    def wait_released(self, timeout: float | None = None) -> bool:
        return self._released.wait(timeout)

    def state(self) -> dict[str, Any]:
        return {"records": self.count, "seed": self.seed, "faults": self._faults,
                "systems": {s: {"count": len(c.records), "changed": _stamp(c.changed)}
                            for s, c in self._collections.items()}}
