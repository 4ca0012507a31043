"""`postil serve --workers 2` on SQLite: annotators on both processes, no lost or extra work."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest
from tests.api.live_server import Server, cli

PASSWORD = "workers test password"
ANNOTATORS, TASKS, OVERLAP = 6, 40, 2
RESULT = [{"id": "s", "control": "sentiment", "object": "text", "type": "choices",
           "value": {"choices": ["Positive"]}}]


@pytest.fixture
def server(tmp_path: Path) -> Iterator[Server]:
    """A fresh SQLite install (whatever --db says: the lock file is SQLite's)."""
    data_dir = tmp_path / "data"
    cli(data_dir, "user", "create", "root", "--admin", "--password", PASSWORD)
    for i in range(ANNOTATORS):
        cli(data_dir, "user", "create", f"a{i}", "--password", PASSWORD)
    running = Server(data_dir, "--workers", "2")
    running.start()
    yield running
    running.stop()


def _token(server: Server, username: str) -> str:
    with httpx.Client(base_url=server.url, timeout=60) as client:
        login = client.post("/api/auth/login", json={"username": username, "password": PASSWORD})
        made = client.post("/api/auth/tokens", json={"name": "t"},
                           headers={"X-CSRF-Token": login.json()["csrf_token"]})
        return str(made.json()["token"])


def _annotate(server: Server, token: str, project_id: int) -> list[int]:
    """Next and submit until the queue is empty; the ids answered. A new connection each
    time, so requests spread over both worker processes."""
    answered = []
    while True:
        with httpx.Client(base_url=server.url, timeout=60,
                          headers={"Authorization": f"Token {token}"}) as client:
            task = client.get(f"/api/projects/{project_id}/next")
            if task.status_code == 204:
                return answered
            assert task.status_code == 200, task.text
            sent = client.post(f"/api/tasks/{task.json()['id']}/annotations",
                               json={"result": RESULT})
            assert sent.status_code == 201, sent.text
            answered.append(task.json()["id"])


def test_two_worker_processes_share_the_queue_and_lose_nothing(server: Server) -> None:
    root = httpx.Client(base_url=server.url, timeout=60,
                        headers={"Authorization": f"Token {_token(server, 'root')}"})
    project_id = root.post("/api/projects", json={"name": "Workers", "template": "sentiment",
                                                  "overlap": OVERLAP}).json()["id"]
    body = b"".join(b'{"text": "task %d"}\n' % i for i in range(TASKS))
    imported = root.post(f"/api/projects/{project_id}/imports", params={"filename": "t.jsonl"},
                         content=body)
    assert imported.json()["imported"] == TASKS
    for i in range(ANNOTATORS):
        root.put(f"/api/projects/{project_id}/members",
                 json={"username": f"a{i}", "role": "annotator"}).raise_for_status()
    tokens = [_token(server, f"a{i}") for i in range(ANNOTATORS)]
    with ThreadPoolExecutor(ANNOTATORS) as pool:
        runs = list(pool.map(lambda token: _annotate(server, token, project_id), tokens))

    assert all(len(run) == len(set(run)) for run in runs)  # never the same task twice
    assert sum(len(run) for run in runs) == TASKS * OVERLAP
    db = sqlite3.connect(f"file:{server.data_dir / 'postil.db'}?mode=ro", uri=True, timeout=30)
    try:
        per_task = db.execute("SELECT task_id, count(*) FROM annotations "
                              "GROUP BY task_id").fetchall()
        completed, = db.execute("SELECT count(*) FROM tasks WHERE is_completed").fetchone()
    finally:
        db.close()
    assert sorted(n for _, n in per_task) == [OVERLAP] * TASKS
    assert completed == TASKS
    root.close()
