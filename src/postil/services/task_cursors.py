"""Keyset cursors of task pages: [sort value, task id], checked against the sort's type."""

from __future__ import annotations

import base64
import binascii
import math
from datetime import UTC, datetime
from typing import Any

import orjson

from postil.core.errors import InvalidError
from postil.storage.tasks import INT64, SORT_VALUES


def encode(row: dict[str, Any], sort: str) -> str:
    value = row[sort]
    value = value.isoformat() if hasattr(value, "isoformat") else value
    return base64.urlsafe_b64encode(orjson.dumps([value, row["id"]])).decode()


def decode(cursor: str, sort: str) -> tuple[Any, int]:
    """The (sort value, last id) of a cursor; InvalidError naming `cursor` if it is not one
    for this sort (the value must be of the sort column's type)."""
    try:
        pair = orjson.loads(base64.urlsafe_b64decode(cursor.encode()))
    except (ValueError, binascii.Error):
        raise _invalid("not a cursor") from None
    if not isinstance(pair, list) or len(pair) != 2 or not _is_int(pair[1], INT64):
        raise _invalid("not a cursor: expected [sort value, task id]")
    return _sort_value(pair[0], sort), pair[1]


def _sort_value(value: Any, sort: str) -> Any:
    kind = SORT_VALUES[sort]
    if kind is datetime:
        moment = _moment(value)
        if moment is None:
            raise _invalid(f"the cursor's value must be an ISO 8601 date-time for sort={sort}")
        return moment
    if isinstance(kind, range):
        if not _is_int(value, kind):
            raise _invalid(f"the cursor's value must be a whole number from {kind.start} to "
                           f"{kind.stop - 1} for sort={sort}")
        return value
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise _invalid(f"the cursor's value must be a number for sort={sort}")
    return float(value)  # a whole number past 64 bits would overflow SQLite's driver


def _moment(value: Any) -> datetime | None:
    """An aware UTC datetime (naive ones are UTC, as stored), or None if not a date-time.
    Normalised because SQLite compares the text of the time and drops the offset."""
    if not isinstance(value, str):
        return None
    try:
        moment = datetime.fromisoformat(value)
        return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)
    except (ValueError, OverflowError):
        return None


def _is_int(value: Any, allowed: range) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value in allowed


def _invalid(msg: str) -> InvalidError:
    return InvalidError("bad cursor", [{"loc": ["cursor"], "msg": msg}])
