"""SQLite transactions as `storage.db` opens them: explicit BEGINs, and none for one read."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import text

from postil.storage.db import make_engine, read, read_one, write


def test_read_one_runs_its_select_outside_a_transaction(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'db.sqlite'}")
    with write(engine) as conn:
        conn.execute(text("CREATE TABLE t (n INTEGER)"))
        conn.execute(text("INSERT INTO t VALUES (7)"))
        assert conn.connection.driver_connection.in_transaction
    with read_one(engine) as conn:
        assert conn.execute(text("SELECT n FROM t")).scalar() == 7
        assert not conn.connection.driver_connection.in_transaction
    with read(engine) as conn:
        assert conn.execute(text("SELECT n FROM t")).scalar() == 7
        assert conn.connection.driver_connection.in_transaction  # one snapshot for several
    engine.dispose()
