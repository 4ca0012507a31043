"""Every table's rows as JSON lines and back, the same on SQLite and PostgreSQL.

One line is one row: a JSON object keyed by column name. Datetimes are ISO 8601 with their
offset (SQLite's naive values are UTC), booleans JSON booleans, JSON columns nested JSON, so
a dump of one database loads into the other. Rows are read in primary-key order and loaded
in chunks, so a million tasks never sit in memory at once. The SQLite search index is not a
table of `metadata`: it is derived from the tasks and rebuilt by the indexer.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any

import orjson
from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Connection,
    DateTime,
    Engine,
    Float,
    Integer,
    String,
    Table,
    func,
    select,
    text,
)
from sqlalchemy.exc import DataError, IntegrityError

from postil.core.errors import InvalidError
from postil.storage.tables import metadata

CHUNK = 2000
TABLES: list[Table] = list(metadata.sorted_tables)  # parents before the rows pointing at them
Check = Callable[[Any], Any]


@contextmanager
def snapshot(engine: Engine) -> Iterator[Connection]:
    """One read transaction that sees every table at the same moment: SQLite's WAL snapshot,
    PostgreSQL's REPEATABLE READ (its default READ COMMITTED sees commits made between the
    reads of two tables)."""
    with engine.connect() as conn:
        if conn.dialect.name == "postgresql":
            conn.execution_options(isolation_level="REPEATABLE READ", postgresql_readonly=True)
        with conn.begin():
            yield conn


def dump_rows(conn: Connection, table: Table) -> Iterator[list[bytes]]:
    """The table's rows as JSON lines, in primary-key order, a chunk at a time."""
    stmt = select(table).order_by(*table.primary_key.columns).execution_options(yield_per=CHUNK)
    keys = [str(c.name) for c in table.columns]  # orjson takes exact str, not quoted_name
    for rows in conn.execute(stmt).partitions():
        yield [orjson.dumps(dict(zip(keys, row, strict=True)), option=orjson.OPT_NAIVE_UTC)
               + b"\n" for row in rows]


def project_ids(conn: Connection) -> list[int]:
    table = metadata.tables["projects"]
    return list(conn.execute(select(table.c.id).order_by(table.c.id)).scalars())


def nonempty_tables(conn: Connection) -> list[str]:
    """Names of the tables that hold any row."""
    return [t.name for t in TABLES
            if conn.execute(select(text("1")).select_from(t).limit(1)).first() is not None]


def lock_tables(conn: Connection) -> None:
    """PostgreSQL: keep other writers out until the load commits (SQLite's BEGIN IMMEDIATE
    already does)."""
    if conn.dialect.name == "postgresql":
        quote = conn.dialect.identifier_preparer.quote
        names = ", ".join(quote(t.name) for t in TABLES)
        conn.exec_driver_sql(f"LOCK TABLE {names} IN EXCLUSIVE MODE")


def load_rows(conn: Connection, table: Table, lines: Iterable[bytes], source: str) -> int:
    """Insert the rows of JSON lines into an empty table; how many. InvalidError names the
    line of a malformed row, or the lines of a chunk the database refused."""
    decode = RowDecoder(table, source)
    batch: list[dict[str, Any]] = []
    count = 0
    for count, line in enumerate(lines, 1):
        batch.append(decode(line, count))
        if len(batch) == CHUNK:
            _insert(conn, table, batch, source, count)
            batch = []
    if batch:
        _insert(conn, table, batch, source, count)
    return count


def _insert(conn: Connection, table: Table, rows: list[dict[str, Any]], source: str,
            last: int) -> None:
    try:
        conn.execute(table.insert(), rows)
    except (IntegrityError, DataError) as exc:
        first = last - len(rows) + 1
        reason = str(exc.orig).strip().splitlines()[0][:300]
        raise InvalidError(f"{source}: the database refused a row of lines {first}-{last}: "
                           f"{reason}", [{"loc": [source, first], "msg": reason}]) from None


def reset_sequences(conn: Connection) -> None:
    """PostgreSQL: move each id sequence past the loaded ids, so new rows get fresh ones.
    (SQLite's INTEGER PRIMARY KEY continues from the largest id by itself.)"""
    if conn.dialect.name != "postgresql":
        return
    for table in TABLES:
        column = table.autoincrement_column
        if column is None:
            continue
        sequence = conn.execute(text("SELECT pg_get_serial_sequence(:t, :c)"),
                                {"t": table.name, "c": column.name}).scalar()
        if sequence is not None:
            top = conn.execute(select(func.coalesce(func.max(column), 0))).scalar_one()
            conn.execute(text("SELECT setval(CAST(:s AS regclass), :n, false)"),
                         {"s": sequence, "n": top + 1})


class RowDecoder:
    """Turns one JSON line back into a row of `table`, checking every value's type."""

    def __init__(self, table: Table, source: str) -> None:
        self.source = source
        self.names = frozenset(c.name for c in table.columns)
        self.columns = [(c.name, c.nullable, _checker(c)) for c in table.columns]

    def __call__(self, line: bytes, number: int) -> dict[str, Any]:
        try:
            row = orjson.loads(line)
        except orjson.JSONDecodeError as exc:
            raise self._error(number, f"not JSON ({exc})") from None
        if not isinstance(row, dict):
            raise self._error(number, "not a JSON object")
        if row.keys() != self.names:
            odd = sorted(row.keys() ^ self.names)
            raise self._error(number, f"unknown or missing columns: {', '.join(odd)[:200]}")
        name = ""
        try:
            for name, nullable, check in self.columns:
                value = row[name]
                if value is None:
                    if not nullable:
                        raise ValueError("must not be null")
                elif check is not None:
                    row[name] = check(value)
        except (TypeError, ValueError) as exc:
            raise self._error(number, f"column {name}: {exc}") from None
        return row

    def _error(self, number: int, msg: str) -> InvalidError:
        return InvalidError(f"{self.source} line {number}: {msg}",
                            [{"loc": [self.source, number], "msg": msg}])


def _checker(column: Column[Any]) -> Check | None:
    """The check (and conversion) of one column's JSON value; None: any JSON value."""
    kind = column.type
    if isinstance(kind, DateTime):
        return _moment
    if isinstance(kind, Boolean):
        return _of(bool)
    if isinstance(kind, Integer):
        return _of(int)
    if isinstance(kind, Float):
        number = _of(int, float)
        return lambda v: float(number(v))
    if isinstance(kind, String):
        return _text(kind.length)
    if isinstance(kind, JSON):
        return None
    raise TypeError(f"no backup encoding for {column} ({kind})")  # a new column type: add one


def _of(*types: type) -> Check:
    def check(value: Any) -> Any:
        if isinstance(value, bool) != (bool in types) or not isinstance(value, types):
            raise TypeError(f"expected {' or '.join(t.__name__ for t in types)}")
        return value

    return check


def _text(length: int | None) -> Check:
    def check(value: Any) -> str:
        if not isinstance(value, str):
            raise TypeError("expected a string")
        if length is not None and len(value) > length:
            raise ValueError(f"longer than {length} characters")
        return value

    return check


def _moment(value: Any) -> datetime:
    if not isinstance(value, str):
        raise TypeError("expected an ISO 8601 datetime")
    moment = datetime.fromisoformat(value)
    if moment.tzinfo is None:
        raise ValueError("datetime without a UTC offset")
    return moment.astimezone(UTC)
