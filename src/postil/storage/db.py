"""Engine set-up and transactions: SQLite in WAL mode with a busy timeout, or PostgreSQL."""

from __future__ import annotations

import fcntl
import os
import threading
import weakref
from collections.abc import Iterator
from contextlib import contextmanager, suppress
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


def make_engine(url: str, *, background_checkpoints: bool = False, **kwargs: Any) -> Engine:
    """An engine for the URL; SQLite connections get WAL, a busy timeout and explicit BEGINs.

    `background_checkpoints`: SQLite's commits stop copying the write-ahead log back into
    the database; a `WalCheckpointer` must run beside the engine (see storage/checkpoints.py).
    """
    if url.startswith("sqlite"):
        engine = create_engine(
            url, connect_args={"check_same_thread": False, "timeout": 30}, **kwargs
        )
        _configure_sqlite(engine, autocheckpoint=not background_checkpoints)
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


def _create_private(database: str | None) -> None:
    """Create a new SQLite file readable by its owner only: SQLite would make it 0644, and
    gives its -wal and -shm files the database file's permissions."""
    if not database or database == ":memory:" or database.startswith("file:"):
        return
    with suppress(OSError):  # it exists; or it cannot be made, which SQLite will report
        os.close(os.open(database, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))


def _configure_sqlite(engine: Engine, *, autocheckpoint: bool = True) -> None:
    _create_private(engine.url.database)
    pragmas = SQLITE_PRAGMAS if autocheckpoint else (*SQLITE_PRAGMAS, "PRAGMA wal_autocheckpoint=0")

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        dbapi_conn.isolation_level = None  # we issue BEGIN ourselves, below
        cursor = dbapi_conn.cursor()
        for pragma in pragmas:
            cursor.execute(pragma)
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        # A write transaction takes the lock up front, so read-then-write cannot deadlock.
        options = conn.get_execution_options()
        if options.get("postil_one_read"):
            return  # one statement is its own snapshot in SQLite's autocommit mode
        conn.exec_driver_sql(f"BEGIN {'IMMEDIATE' if options.get('postil_write') else 'DEFERRED'}")


def is_sqlite(engine: Engine) -> bool:
    return engine.dialect.name == "sqlite"


class WriterLock:
    """SQLite's one writer at a time, as a queue instead of SQLite's busy handler, whose
    sleeps of up to 100 ms would make tail latency: threads of a process queue on a lock,
    processes (`postil serve --workers N`) on an flock of a file beside the database. Both
    hand over to the next writer the moment the last one ends. Reentrant, so a caller that
    took it with `try_hold` can run a use case that takes it again."""

    def __init__(self, database: str | None) -> None:
        self._threads = threading.RLock()
        self._depth = 0  # how deep the owning thread holds it; only the owner changes it
        self._path = f"{database}.write-lock" if database and database != ":memory:" else None
        self._fd: int | None = None

    @contextmanager
    def held(self) -> Iterator[None]:
        with self._threads:
            self._enter(blocking=True)
            try:
                yield
            finally:
                self._exit()

    @contextmanager
    def try_hold(self) -> Iterator[bool]:
        """Holds the lock if no thread or process has it right now; yields whether it does."""
        if not self._threads.acquire(blocking=False):
            yield False
            return
        try:
            entered = self._enter(blocking=False)
            try:
                yield entered
            finally:
                if entered:
                    self._exit()
        finally:
            self._threads.release()

    def _enter(self, *, blocking: bool) -> bool:
        if self._depth == 0 and self._path is not None:
            if self._fd is None:
                self._fd = os.open(self._path, os.O_RDWR | os.O_CREAT, 0o600)
                weakref.finalize(self, os.close, self._fd)
            try:
                fcntl.flock(self._fd, fcntl.LOCK_EX | (0 if blocking else fcntl.LOCK_NB))
            except BlockingIOError:
                return False
        self._depth += 1
        return True

    def _exit(self) -> None:
        self._depth -= 1
        if self._depth == 0 and self._fd is not None:
            fcntl.flock(self._fd, fcntl.LOCK_UN)


_WRITERS: weakref.WeakKeyDictionary[Engine, WriterLock] = weakref.WeakKeyDictionary()


def _writer(engine: Engine) -> WriterLock:
    return _WRITERS.get(engine) or _WRITERS.setdefault(engine, WriterLock(engine.url.database))


@contextmanager
def write(engine: Engine) -> Iterator[Connection]:
    """A write transaction: committed on success, rolled back on any error."""
    if not is_sqlite(engine):
        with engine.connect().execution_options(postil_write=True) as conn, conn.begin():
            yield conn
        return
    with _writer(engine).held(), engine.connect().execution_options(postil_write=True) as conn, \
            conn.begin():
        yield conn


@contextmanager
def writer_if_free(engine: Engine) -> Iterator[bool]:
    """Holds SQLite's writer for the block if nobody has it right now (writes inside then
    never wait); yields False, holding nothing, when it is taken or the database is not
    SQLite, whose writers wait on row locks instead."""
    if not is_sqlite(engine):
        yield False
        return
    with _writer(engine).try_hold() as held:
        yield held


@contextmanager
def read(engine: Engine) -> Iterator[Connection]:
    """A read-only transaction with a consistent snapshot."""
    with engine.connect() as conn, conn.begin():
        yield conn


@contextmanager
def read_one(engine: Engine) -> Iterator[Connection]:
    """A connection for a single SELECT (a statement is its own snapshot): on SQLite it skips
    the BEGIN and ROLLBACK around it, two statements' worth of work on every request's
    authentication. Two statements inside would not see one snapshot: use `read`."""
    with engine.connect().execution_options(postil_one_read=True) as conn:
        yield conn


BULK_CACHE_KIB = 64 * 1024


@contextmanager
def bulk_write(conn: Connection) -> Iterator[None]:
    """Settings for one bulk write transaction (an import, a restore).

    SQLite: a large page cache (index inserts of a million tasks stop thrashing), handed
    back afterwards so the server stays small. PostgreSQL: foreign-key checks are planned
    once per connection and kept; planned while a table was small, they scan it whole for
    every row, and an import of annotated tasks turned quadratic (20,000 took 62 s). The
    transaction drops cached plans and plans without sequential scans, so those checks use
    the primary keys, now and afterwards.
    """
    if conn.dialect.name == "postgresql":
        conn.exec_driver_sql("DISCARD PLANS")
        conn.exec_driver_sql("SET LOCAL enable_seqscan = off")
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
