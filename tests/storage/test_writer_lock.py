"""SQLite writers of several processes (`postil serve --workers N`) queue on one lock file."""

from __future__ import annotations

import fcntl
import multiprocessing
import os
from pathlib import Path

import pytest
from sqlalchemy import text

from postil.storage.db import make_engine, write

SPAWN = multiprocessing.get_context("spawn")


def _hold_write(url: str, held: multiprocessing.synchronize.Event,
                release: multiprocessing.synchronize.Event) -> None:
    engine = make_engine(url)
    with write(engine) as conn:
        conn.execute(text("INSERT INTO counter (n) VALUES (0)"))
        held.set()
        release.wait(30)
    engine.dispose()


def _increment(url: str, times: int) -> None:
    engine = make_engine(url)
    for _ in range(times):
        with write(engine) as conn:  # read, then write: lost updates if writers overlapped
            n = conn.execute(text("SELECT n FROM counter")).scalar_one()
            conn.execute(text("UPDATE counter SET n = :n"), {"n": n + 1})
    engine.dispose()


@pytest.fixture
def url(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'db.sqlite'}"
    engine = make_engine(url)
    with write(engine) as conn:
        conn.execute(text("CREATE TABLE counter (n INTEGER NOT NULL)"))
    engine.dispose()
    return url


def _lock_is_free(path: Path) -> bool:
    fd = os.open(path, os.O_RDWR)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    else:
        fcntl.flock(fd, fcntl.LOCK_UN)
        return True
    finally:
        os.close(fd)


def test_a_write_in_another_process_holds_the_lock_file(url: str, tmp_path: Path) -> None:
    held, release = SPAWN.Event(), SPAWN.Event()
    other = SPAWN.Process(target=_hold_write, args=(url, held, release))
    other.start()
    try:
        assert held.wait(60), "the other process never began its write"
        assert not _lock_is_free(tmp_path / "db.sqlite.write-lock")
    finally:
        release.set()
        other.join(60)
    assert other.exitcode == 0
    assert _lock_is_free(tmp_path / "db.sqlite.write-lock")


def test_writers_in_two_processes_lose_no_update(url: str) -> None:
    engine = make_engine(url)
    with write(engine) as conn:
        conn.execute(text("INSERT INTO counter (n) VALUES (0)"))
    workers = [SPAWN.Process(target=_increment, args=(url, 150)) for _ in range(2)]
    for worker in workers:
        worker.start()
    _increment(url, 150)
    for worker in workers:
        worker.join(120)
    assert [w.exitcode for w in workers] == [0, 0]
    with engine.connect() as conn:
        assert conn.execute(text("SELECT n FROM counter")).scalar_one() == 450
    engine.dispose()
