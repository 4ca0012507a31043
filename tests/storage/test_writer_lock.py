"""SQLite writers of several processes (`postil serve --workers N`) queue on one lock file;
the labeling loop's short writes take it in place when it is free."""

from __future__ import annotations

import fcntl
import multiprocessing
import os
import threading
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, text

from postil.storage.db import make_engine, write, writer_if_free

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


def _busy_then_free(engine: Engine, other: threading.Thread | multiprocessing.Process,
                    holding: Any, release: Any) -> None:
    """While `other` holds the writer, writer_if_free holds nothing; afterwards it does."""
    other.start()
    try:
        assert holding.wait(60), "the other writer never began"
        with writer_if_free(engine) as held:
            assert not held
    finally:
        release.set()
        other.join(60)
    with writer_if_free(engine) as held:
        assert held
    engine.dispose()


class TestWriterIfFree:
    def test_held_when_free_and_writes_inside_do_not_wait(self, url: str,
                                                           tmp_path: Path) -> None:
        engine = make_engine(url)
        with writer_if_free(engine) as held:
            assert held
            assert not _lock_is_free(tmp_path / "db.sqlite.write-lock")
            with write(engine) as conn:  # the same thread takes it again: no deadlock
                conn.execute(text("INSERT INTO counter (n) VALUES (1)"))
            assert not _lock_is_free(tmp_path / "db.sqlite.write-lock")
        assert _lock_is_free(tmp_path / "db.sqlite.write-lock")
        with engine.connect() as conn:
            assert conn.execute(text("SELECT n FROM counter")).scalar_one() == 1
        engine.dispose()

    def test_not_held_while_another_thread_writes(self, url: str) -> None:
        engine = make_engine(url)
        inside, leave = threading.Event(), threading.Event()

        def hold() -> None:
            with write(engine):
                inside.set()
                leave.wait(30)

        _busy_then_free(engine, threading.Thread(target=hold), inside, leave)

    def test_not_held_while_another_process_writes(self, url: str) -> None:
        engine = make_engine(url)
        held_there, release = SPAWN.Event(), SPAWN.Event()
        other = SPAWN.Process(target=_hold_write, args=(url, held_there, release))
        _busy_then_free(engine, other, held_there, release)

    def test_an_error_inside_lets_go(self, url: str, tmp_path: Path) -> None:
        engine = make_engine(url)
        with pytest.raises(RuntimeError), writer_if_free(engine) as held:
            assert held
            raise RuntimeError("boom")
        assert _lock_is_free(tmp_path / "db.sqlite.write-lock")
        engine.dispose()
