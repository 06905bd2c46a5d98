"""Upload records (table ``satudata.upload``): what was sent, its state, progress and errors."""
from __future__ import annotations

import enum
import json
import uuid
from typing import Any

import sqlalchemy as sa
from ckan import model

__all__ = ["State", "new_id", "create", "get", "update", "list_for_package", "MAX_STORED_ERRORS"]

MAX_STORED_ERRORS = 1000
_COLUMNS = ("id", "package_id", "resource_id", "user_id", "filename", "format", "size", "mode", "state",
            "rows_total", "rows_done", "error_count", "errors", "message", "created", "finished")


class State(str, enum.Enum):
    PENDING = "menunggu"
    VALIDATING = "memeriksa"
    LOADING = "memuat"
    DONE = "selesai"
    INVALID = "ditolak"  # the file has errors: nothing was loaded
    FAILED = "gagal"  # the load itself failed: nothing was changed

    @property
    def finished(self) -> bool:
        return self in (State.DONE, State.INVALID, State.FAILED)


def _row(result) -> dict[str, Any] | None:
    row = result.mappings().first()
    if row is None:
        return None
    out = dict(row)
    for key in ("created", "finished"):
        if out[key] is not None:
            out[key] = out[key].isoformat()
    return out


def new_id() -> str:
    return str(uuid.uuid4())


def create(*, upload_id: str, package_id: str, user_id: str | None, filename: str, fmt: str, size: int,
           mode: str) -> str:
    model.Session.execute(sa.text(
        "INSERT INTO satudata.upload (id, package_id, user_id, filename, format, size, mode, state) "
        "VALUES (:id, :package_id, :user_id, :filename, :fmt, :size, :mode, :state)"),
        {"id": upload_id, "package_id": package_id, "user_id": user_id, "filename": filename, "fmt": fmt,
         "size": size, "mode": mode, "state": State.PENDING.value})
    model.Session.commit()
    return upload_id


def get(upload_id: str) -> dict[str, Any] | None:
    return _row(model.Session.execute(
        sa.text(f"SELECT {', '.join(_COLUMNS)} FROM satudata.upload WHERE id = :id"), {"id": upload_id}))


def update(upload_id: str, **values: Any) -> None:
    """Set columns and commit at once, so progress is visible to other sessions while a job runs."""
    if "errors" in values:
        values["errors"] = json.dumps(values["errors"][:MAX_STORED_ERRORS])
    if "state" in values:
        state = State(values["state"])
        values["state"] = state.value
        if state.finished:
            values["finished"] = sa.func.now()
    sets = ", ".join(f"{k} = (now() at time zone 'utc')" if k == "finished" else
                     (f"{k} = CAST(:{k} AS jsonb)" if k == "errors" else f"{k} = :{k}") for k in values)
    params = {k: v for k, v in values.items() if k != "finished"}
    model.Session.execute(sa.text(f"UPDATE satudata.upload SET {sets} WHERE id = :id"), dict(params, id=upload_id))
    model.Session.commit()


def list_for_package(package_id: str, limit: int = 20) -> list[dict[str, Any]]:
    result = model.Session.execute(sa.text(
        "SELECT id, filename, format, size, mode, state, rows_total, error_count, created, finished "
        "FROM satudata.upload WHERE package_id = :pid ORDER BY created DESC LIMIT :limit"),
        {"pid": package_id, "limit": limit})
    rows = [dict(r) for r in result.mappings()]
    for r in rows:
        r["created"] = r["created"].isoformat()
        r["finished"] = r["finished"].isoformat() if r["finished"] else None
    return rows
