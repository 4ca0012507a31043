"""Migrations: upgrade -> downgrade -> upgrade on a fresh database, and no drift from tables.py."""

from __future__ import annotations

from typing import Any

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Column, inspect

from postil.storage import migrate
from postil.storage.db import make_unpooled_engine
from postil.storage.search import include_object
from postil.storage.tables import metadata


def _tables(url: str) -> set[str]:
    engine = make_unpooled_engine(url)
    try:
        return set(inspect(engine).get_table_names())
    finally:
        engine.dispose()


def _expression_indexes() -> set[str]:
    return {str(index.name) for table in metadata.tables.values() for index in table.indexes
            if any(not isinstance(e, Column) for e in index.expressions)}


def _drift(url: str) -> list[Any]:
    """Autogenerate's differences; SQLite cannot reflect expression indexes (priority DESC),
    so on SQLite those are checked by name instead of by definition."""
    engine = make_unpooled_engine(url)
    try:
        with engine.connect() as conn:
            context = MigrationContext.configure(conn, opts={
                "compare_type": True, "compare_server_default": True,
                "include_object": include_object})
            diffs = list(compare_metadata(context, metadata))
            if conn.dialect.name != "sqlite":
                return diffs
            names = {str(ix["name"]) for table in metadata.tables
                     for ix in inspect(conn).get_indexes(table)}
    finally:
        engine.dispose()
    expression = _expression_indexes()
    assert expression <= names
    return [d for d in diffs if not (isinstance(d, tuple) and d[0] in ("add_index",
            "remove_index") and d[1].name in expression)]


def test_upgrade_downgrade_upgrade(fresh_url: str) -> None:
    expected = set(metadata.tables)
    assert migrate.current_revision(fresh_url) is None
    migrate.upgrade(fresh_url)
    head = migrate.current_revision(fresh_url)
    assert head is not None
    assert expected <= _tables(fresh_url)
    migrate.downgrade(fresh_url)
    assert migrate.current_revision(fresh_url) is None
    assert not expected & _tables(fresh_url)
    migrate.upgrade(fresh_url)
    assert migrate.current_revision(fresh_url) == head
    assert expected <= _tables(fresh_url)


def test_upgraded_database_matches_the_tables(fresh_url: str) -> None:
    migrate.upgrade(fresh_url)
    assert _drift(fresh_url) == []


def test_upgrade_is_idempotent(fresh_url: str) -> None:
    migrate.upgrade(fresh_url)
    head = migrate.current_revision(fresh_url)
    migrate.upgrade(fresh_url)
    assert migrate.current_revision(fresh_url) == head
