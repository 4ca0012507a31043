"""An edit of a submitted annotation is held to the schema like the submit was, and a stale
edit is told the current text (mutation testing found both unchecked)."""

from __future__ import annotations

from collections.abc import Callable

from fastapi.testclient import TestClient

from api import factories as f
from postil.services.runtime import Actor, Runtime

Clients = Callable[[Actor | None], TestClient]


def test_an_edit_may_not_drop_a_required_answer(client_for: Clients, rt: Runtime,
                                                make_user: Callable[..., Actor]) -> None:
    client = client_for(make_user("alice"))
    project_id = f.project(client)["id"]
    (task_id,) = f.import_texts(client, project_id, 1)
    first = f.submit(client, task_id)
    before = f.snapshot(rt)
    response = client.patch(f"/api/annotations/{first['id']}", json={"result": [], "version": 1})
    assert response.status_code == 422
    assert "sentiment" in str(response.json())
    assert f.snapshot(rt) == before


def test_a_stale_edit_is_told_what_changed(client_for: Clients,
                                           make_user: Callable[..., Actor]) -> None:
    client = client_for(make_user("alice"))
    project_id = f.project(client)["id"]
    (task_id,) = f.import_texts(client, project_id, 1)
    first = f.submit(client, task_id)
    edit = {"result": f.choice("Negative"), "version": 1}
    assert client.patch(f"/api/annotations/{first['id']}", json=edit).status_code == 200
    response = client.patch(f"/api/annotations/{first['id']}", json=edit)
    assert response.status_code == 409
    assert response.json()["detail"] == "the annotation changed since you loaded it"
