"""One row typed in through the web form or the API, checked by the same rules as an uploaded file."""
from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

from .validation import CellError, Table, Validator, Variable

__all__ = ["validate_row", "json_value"]


def validate_row(variables: Sequence[Variable], values: Mapping[str, Any], *,
                 wilayah_codes) -> tuple[dict[str, Any] | None, list[CellError]]:
    """(the typed row keyed by alias, []) or (None, the problems)."""
    header = [v.alias for v in variables]
    cells = [values.get(v.alias) if values.get(v.alias) not in ("",) else None for v in variables]
    table = Table("form", iter([(1, header), (2, cells)]), lambda: None)
    validator = Validator(table, variables, wilayah_codes=wilayah_codes)
    typed = list(validator.rows())
    if not validator.ok or not typed:
        return None, validator.errors
    return dict(zip(header, typed[0], strict=True)), []


def json_value(value: Any) -> Any:
    """A typed value as the DataStore's JSON API takes it."""
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return value
