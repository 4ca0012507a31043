"""kill -9 of a real server in the middle of a 100k-task import: all or nothing, job failed,
its files removed at the next start."""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from tests.api.live_server import Server, cli

TASKS = 100_000
PASSWORD = "crash test password"


@pytest.fixture
def server(tmp_path: Path) -> Iterator[Server]:
    """A fresh SQLite install (whatever --db says: this test needs a process it can kill)."""
    data_dir = tmp_path / "data"
    cli(data_dir, "user", "create", "root", "--admin", "--password", PASSWORD)
    running = Server(data_dir)
    yield running
    running.stop()


def _db(data_dir: Path) -> sqlite3.Connection:
    return sqlite3.connect(f"file:{data_dir / 'postil.db'}?mode=ro", uri=True, timeout=30)


def _query(data_dir: Path, sql: str) -> list[tuple[object, ...]]:
    conn = _db(data_dir)
    try:
        return list(conn.execute(sql))
    finally:
        conn.close()


def _wait_for_running_import(data_dir: Path, sender: threading.Thread) -> None:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and sender.is_alive():
        if _query(data_dir, "SELECT id FROM imports WHERE status = 'running'"):
            return
        time.sleep(0.02)
    raise AssertionError("the import never started")


def test_kill_9_mid_import_leaves_all_or_nothing(server: Server, tmp_path: Path) -> None:
    project_id = int(cli(server.data_dir, "project", "create", "Crash", "--template",
                          "sentiment").strip().splitlines()[-1])
    body = b"".join(b'{"text": "task number %d"}\n' % i for i in range(TASKS))
    server.start()
    client = httpx.Client(base_url=server.url, timeout=300)
    login = client.post("/api/auth/login", json={"username": "root", "password": PASSWORD})
    csrf = login.json()["csrf_token"]
    outcome: list[object] = []

    def send() -> None:
        try:
            outcome.append(client.post(f"/api/projects/{project_id}/imports",
                                       params={"filename": "big.jsonl"}, content=body,
                                       headers={"X-CSRF-Token": csrf}).status_code)
        except httpx.TransportError as exc:
            outcome.append(exc)

    sender = threading.Thread(target=send)
    sender.start()
    _wait_for_running_import(server.data_dir, sender)
    time.sleep(0.3)  # well inside the one import transaction
    server.kill()
    sender.join(timeout=60)
    client.close()
    assert outcome and isinstance(outcome[0], httpx.TransportError), outcome

    debris = [*server.data_dir.glob("import-*"), *(server.data_dir / "uploads").iterdir()]
    assert len(debris) == 2, debris  # the upload's copy and the import's own folder
    server.start()  # start-up marks interrupted imports failed and removes their files
    assert [p for p in debris if p.exists()] == []
    (tasks,), = _query(server.data_dir, "SELECT count(*) FROM tasks")
    assert tasks in (0, TASKS)
    (counter,), = _query(server.data_dir,
                         f"SELECT task_count FROM projects WHERE id = {project_id}")
    assert counter == tasks
    assert _query(server.data_dir, "SELECT status FROM imports") == [("failed",)]
    (error,), = _query(server.data_dir, "SELECT error FROM imports")
    assert "stopped" in str(error)
