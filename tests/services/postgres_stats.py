"""PostgreSQL tests that count what a use case read: one connection, flushed statistics."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace

import orjson
from sqlalchemy import Engine

from postil.services.runtime import Runtime
from postil.storage.db import make_engine


@contextmanager
def on_one_connection(rt: Runtime, database_url: str) -> Iterator[Runtime]:
    """The runtime on an engine of one pooled connection: every use case runs on the backend
    whose statistics `counter` reads (and whose cached plans it keeps)."""
    engine = make_engine(database_url, pool_size=1, max_overflow=0,
                         json_serializer=lambda v: orjson.dumps(v).decode(),
                         json_deserializer=orjson.loads)
    try:
        yield replace(rt, engine=engine)
    finally:
        engine.dispose()


def counter(engine: Engine, sql: str) -> int:
    """A cumulative statistic, this connection's work included (flushed first)."""
    with engine.connect() as conn:
        conn.exec_driver_sql("SELECT pg_stat_force_next_flush()")
        conn.commit()  # the flush happens as the transaction ends
        conn.exec_driver_sql("SELECT pg_stat_clear_snapshot()")
        return int(conn.exec_driver_sql(sql).scalar_one())
