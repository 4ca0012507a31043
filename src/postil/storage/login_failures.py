"""Queries for failed-login counters: one row per account or client address that failed."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import Connection, delete, func, select, update
from sqlalchemy.dialects import postgresql, sqlite

from postil.storage.clock import as_utc
from postil.storage.tables import login_failures as table


def blocked_until(conn: Connection, keys: Sequence[str]) -> datetime | None:
    """The latest moment any of the keys is blocked until (None if none ever was)."""
    stmt = select(func.max(table.c.blocked_until)).where(table.c.key.in_(keys))
    return as_utc(conn.execute(stmt).scalar_one())


def count_failure(conn: Connection, key: str, now: datetime) -> int:
    """One more failure for the key, in one statement so that concurrent failures (other
    threads, processes, machines) all count. Returns the count."""
    insert = (postgresql.insert if conn.dialect.name == "postgresql" else sqlite.insert)(table)
    stmt = insert.values(key=key, failures=1, last_failed_at=now).on_conflict_do_update(
        index_elements=[table.c.key],
        set_={"failures": table.c.failures + 1, "last_failed_at": now},
    ).returning(table.c.failures)
    return int(conn.execute(stmt).scalar_one())


def block(conn: Connection, key: str, until: datetime) -> None:
    conn.execute(update(table).where(table.c.key == key).values(blocked_until=until))


def forget(conn: Connection, key: str) -> None:
    conn.execute(delete(table).where(table.c.key == key))


def prune(conn: Connection, forget_before: datetime, now: datetime) -> None:
    """Drops counts without a failure since `forget_before` that block nothing: such a count
    starts again, and names and addresses tried once do not pile up."""
    conn.execute(delete(table).where(
        table.c.last_failed_at < forget_before,
        (table.c.blocked_until.is_(None)) | (table.c.blocked_until < now)))
