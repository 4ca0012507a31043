"""Engine set-up and transactions: SQLite in WAL mode with a busy timeout, or PostgreSQL."""

from __future__ import annotations

import fcntl
import os
import threading
import weakref
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Connection, CursorResult, Engine, create_engine, event
from sqlalchemy.pool import NullPool

SQLITE_CACHE_KIB = 16 * 1024  # per connection: keeps the server small
SQLITE_PRAGMAS = (
    "PRAGMA journal_mode=WAL",
    "PRAGMA synchronous=NORMAL",
    "PRAGMA foreign_keys=ON",
    "PRAGMA busy_timeout=30000",
    f"PRAGMA cache_size=-{SQLITE_CACHE_KIB}",
    "PRAGMA temp_store=MEMORY",
)


def make_engine(url: str, **kwargs: Any) -> Engine:
    """An engine for the URL; SQLite connections get WAL, a busy timeout and explicit BEGINs."""
    if url.startswith("sqlite"):
        engine = create_engine(
            url, connect_args={"check_same_thread": False, "timeout": 30}, **kwargs
        )
        _configure_sqlite(engine)
        return engine
    kwargs.setdefault("pool_size", 10)
    kwargs.setdefault("max_overflow", 20)
    kwargs.setdefault("pool_pre_ping", True)
    return create_engine(url, **kwargs)


def make_unpooled_engine(url: str) -> Engine:
    """For one-off tools (migrations) that should not keep connections open."""
    engine = create_engine(url, poolclass=NullPool)
    if url.startswith("sqlite"):
        _configure_sqlite(engine)
    return engine


def _configure_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        dbapi_conn.isolation_level = None  # we issue BEGIN ourselves, below
        cursor = dbapi_conn.cursor()
        for pragma in SQLITE_PRAGMAS:
            cursor.execute(pragma)
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        # A write transaction takes the lock up front, so read-then-write cannot deadlock.
        mode = "IMMEDIATE" if conn.get_execution_options().get("postil_write") else "DEFERRED"
        conn.exec_driver_sql(f"BEGIN {mode}")


def is_sqlite(engine: Engine) -> bool:
    return engine.dialect.name == "sqlite"


class WriterLock:
    """SQLite's one writer at a time, as a queue instead of SQLite's busy handler, whose
    sleeps of up to 100 ms would make tail latency: threads of a process queue on a lock,
    processes (`postil serve --workers N`) on an flock of a file beside the database. Both
    hand over to the next writer the moment the last one ends."""

    def __init__(self, database: str | None) -> None:
        self._threads = threading.Lock()
        self._path = f"{database}.write-lock" if database and database != ":memory:" else None
        self._fd: int | None = None

    @contextmanager
    def held(self) -> Iterator[None]:
        with self._threads:
            if self._path is None:
                yield
                return
            if self._fd is None:
                self._fd = os.open(self._path, os.O_RDWR | os.O_CREAT, 0o600)
                weakref.finalize(self, os.close, self._fd)
            fcntl.flock(self._fd, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(self._fd, fcntl.LOCK_UN)


_WRITERS: weakref.WeakKeyDictionary[Engine, WriterLock] = weakref.WeakKeyDictionary()


@contextmanager
def write(engine: Engine) -> Iterator[Connection]:
    """A write transaction: committed on success, rolled back on any error."""
    if not is_sqlite(engine):
        with engine.connect().execution_options(postil_write=True) as conn, conn.begin():
            yield conn
        return
    lock = _WRITERS.get(engine) or _WRITERS.setdefault(engine, WriterLock(engine.url.database))
    with lock.held(), engine.connect().execution_options(postil_write=True) as conn, \
            conn.begin():
        yield conn


@contextmanager
def read(engine: Engine) -> Iterator[Connection]:
    """A read-only transaction with a consistent snapshot."""
    with engine.connect() as conn, conn.begin():
        yield conn


BULK_CACHE_KIB = 64 * 1024


@contextmanager
def bulk_cache(conn: Connection) -> Iterator[None]:
    """A large SQLite page cache for one bulk write (index inserts of a million tasks stop
    thrashing), handed back afterwards so the server stays small."""
    if conn.dialect.name != "sqlite":
        yield
        return
    conn.exec_driver_sql(f"PRAGMA cache_size=-{BULK_CACHE_KIB}")
    try:
        yield
    finally:
        conn.exec_driver_sql(f"PRAGMA cache_size=-{SQLITE_CACHE_KIB}")
        conn.exec_driver_sql("PRAGMA shrink_memory")


def inserted_id(result: CursorResult[Any]) -> int:
    """The primary key of the row a one-row INSERT wrote (None only for other statements)."""
    key = result.inserted_primary_key
    if key is None:
        raise ValueError("not a one-row INSERT")
    return int(key[0])


def as_dicts(result: CursorResult[Any]) -> list[dict[str, Any]]:
    """Rows as plain dicts; builds the key list once (RowMapping per row costs 5x more)."""
    keys = list(result.keys())
    return [dict(zip(keys, row, strict=True)) for row in result.all()]
