"""Exporting chosen tasks (the data manager's "export selected")."""

from __future__ import annotations

from collections.abc import Callable

import orjson
from fastapi.testclient import TestClient
from tests.api import factories as f

from postil.services.runtime import Actor


def test_export_of_selected_ids_holds_exactly_those_tasks(
        make_user: Callable[..., Actor], client_for: Callable[[Actor], TestClient]) -> None:
    client = client_for(make_user("alice"))
    pid = f.project(client)["id"]
    ids = f.import_texts(client, pid, 5)
    other = f.project(client, name="Other")["id"]
    foreign = f.import_texts(client, other, 1)
    chosen = [ids[1], ids[3], foreign[0]]
    reply = client.get(f"/api/projects/{pid}/export",
                       params={"format": "jsonl", "ids": chosen})
    assert reply.status_code == 200, reply.text
    exported = [orjson.loads(line)["id"] for line in reply.content.splitlines() if line]
    assert exported == [ids[1], ids[3]]  # another project's task never leaks in
    assert orjson.loads(reply.headers["x-postil-export-report"])["exported"] == 2
    whole = client.get(f"/api/projects/{pid}/export", params={"format": "jsonl"})
    assert len([line for line in whole.content.splitlines() if line]) == 5
