"""Revision 0004 adds the failed-login counters; downgrading to 0003 drops them, and back."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import inspect, text

from postil.storage import migrate
from postil.storage.db import make_unpooled_engine


def _tables(url: str) -> set[str]:
    engine = make_unpooled_engine(url)
    try:
        return set(inspect(engine).get_table_names())
    finally:
        engine.dispose()


def _count(url: str) -> int:
    engine = make_unpooled_engine(url)
    try:
        with engine.begin() as conn:
            conn.execute(text("INSERT INTO login_failures (key, failures, last_failed_at) "
                              "VALUES ('address:192.0.2.1', 3, :at)"), {"at": datetime.now(UTC)})
            return int(conn.execute(text("SELECT failures FROM login_failures")).scalar_one())
    finally:
        engine.dispose()


def test_down_to_0003_and_up_again(fresh_url: str) -> None:
    migrate.upgrade(fresh_url, "0004")
    assert "login_failures" in _tables(fresh_url)
    assert _count(fresh_url) == 3
    migrate.downgrade(fresh_url, "0003")
    assert migrate.current_revision(fresh_url) == "0003"
    assert "login_failures" not in _tables(fresh_url)
    migrate.upgrade(fresh_url, "0004")
    assert "login_failures" in _tables(fresh_url)
    assert _count(fresh_url) == 3  # an empty table again, which takes a row
