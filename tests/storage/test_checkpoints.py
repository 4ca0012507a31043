"""SQLite's write-ahead log is copied into the database by a background thread, not by the
commit that fills it (which made the labeling loop's p99)."""

from __future__ import annotations

import shutil
import sqlite3
import threading
import time
from contextlib import AbstractContextManager, nullcontext
from pathlib import Path

import pytest
from sqlalchemy import Engine, text

from postil.storage.checkpoints import WalCheckpointer
from postil.storage.db import make_engine, write

ROWS = 3000  # of 2 kB: about 1,500 pages, past SQLite's own threshold of 1,000


def _fill(engine: Engine, rows: int = ROWS) -> None:
    for start in range(0, rows, 500):
        with write(engine) as conn:
            conn.execute(text("INSERT INTO blob (body) VALUES (:body)"),
                         [{"body": "x" * 2000} for _ in range(start, start + 500)])


def _rows_in_main_file(db: Path, tmp_path: Path,
                       quiet: AbstractContextManager[object] | None = None) -> int:
    """Rows a reader finds in the database file alone, without its write-ahead log.

    `quiet` holds off checkpoints while the file is copied: a copy taken while one writes
    pages into it is torn ("database disk image is malformed")."""
    copy = tmp_path / "main-only.db"
    with quiet or nullcontext():
        shutil.copyfile(db, copy)
    with sqlite3.connect(copy) as conn:
        tables = conn.execute("SELECT count(*) FROM sqlite_master WHERE name = 'blob'")
        if tables.fetchone()[0] == 0:
            return 0
        return int(conn.execute("SELECT count(*) FROM blob").fetchone()[0])


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "wal.db"
    engine = make_engine(f"sqlite:///{path}")
    with write(engine) as conn:
        conn.execute(text("CREATE TABLE blob (id INTEGER PRIMARY KEY, body TEXT)"))
    engine.dispose()  # the last close checkpoints: the table is in the file
    return path


def test_commits_leave_the_log_alone(db: Path, tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{db}", background_checkpoints=True)
    _fill(engine)
    assert _rows_in_main_file(db, tmp_path) == 0
    engine.dispose()
    assert _rows_in_main_file(db, tmp_path) == ROWS  # SQLite's last close checkpoints


def test_without_background_checkpoints_commits_checkpoint(db: Path, tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{db}")
    _fill(engine)
    assert _rows_in_main_file(db, tmp_path) > 0
    engine.dispose()


def _between_checkpoints(checkpointer: WalCheckpointer) -> threading.Lock:
    """A lock the thread's every checkpoint takes: held, no checkpoint is writing the file."""
    lock = threading.Lock()
    checkpoint = checkpointer.checkpoint

    def guarded() -> tuple[int, int, int]:
        with lock:
            return checkpoint()

    checkpointer.checkpoint = guarded  # type: ignore[method-assign]
    return lock


def test_the_thread_copies_the_log_into_the_database(db: Path, tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{db}", background_checkpoints=True)
    checkpointer = WalCheckpointer(engine, interval=0.05)
    quiet = _between_checkpoints(checkpointer)
    checkpointer.start()
    try:
        _fill(engine)
        deadline = time.monotonic() + 30
        while _rows_in_main_file(db, tmp_path, quiet) < ROWS and time.monotonic() < deadline:
            time.sleep(0.05)
        assert _rows_in_main_file(db, tmp_path, quiet) == ROWS
    finally:
        checkpointer.stop()
        engine.dispose()

