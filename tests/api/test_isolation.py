"""Tenant isolation: user B (not a member) on every endpoint with A's ids: 404, nothing changes."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from fastapi.testclient import TestClient

from api import factories as f
from postil.api.app import create_app
from postil.services import users
from postil.services.runtime import Actor, Runtime

ID_PARAMS = ("{project_id}", "{task_id}", "{annotation_id}", "{import_id}", "{key}",
             "{user_id}", "{token_id}")


@dataclass
class Tenants:
    rt: Runtime
    a: TestClient
    b: TestClient
    b_actor: Actor
    ids: dict[str, Any]
    b_project_id: int


@pytest.fixture
def tenants(rt: Runtime, make_user: Callable[..., Actor],
            client_for: Callable[[Actor | None], TestClient]) -> Tenants:
    """A owns a text project (tasks, annotation, draft, prediction, import) and an image one."""
    a_actor, b_actor = make_user("alice"), make_user("bob")
    a, b = client_for(a_actor), client_for(b_actor)
    project = f.project(a)
    report = f.import_rows(a, project["id"], [{"text": "secret one"}, {"text": "secret two"}])
    task_ids = f.task_ids(a, project["id"])
    annotation = f.submit(a, task_ids[0])
    assert a.put(f"/api/tasks/{task_ids[1]}/draft", json={"result": f.choice()}).status_code == 200
    assert a.post(f"/api/tasks/{task_ids[1]}/predictions",
                  json=[{"result": f.choice(), "model_version": "m"}]).status_code == 201
    images = f.project(a, "Images", template="image_classification")
    assert a.post(f"/api/projects/{images['id']}/imports",
                  files=[("files", ("a.png", f.png_bytes(), "image/png"))]).status_code == 201
    image_task = a.get(f"/api/projects/{images['id']}/tasks").json()["items"][0]
    token_id = users.create_token(rt, a_actor, "a's second token")["id"]
    ids = {"project_id": project["id"], "task_id": task_ids[0], "annotation_id": annotation["id"],
           "import_id": report["import_id"], "user_id": a_actor.user_id, "token_id": token_id,
           "key": image_task["data"]["image"].removeprefix("/api/media/"),
           "task_ids": task_ids}
    b_project = f.project(b, "Bob's")
    return Tenants(rt, a, b, b_actor, ids, b_project["id"])


def _bodies(t: Tenants) -> dict[tuple[str, str], dict[str, Any]]:
    """Request arguments for every endpoint that takes an id; valid, so only access decides."""
    answer = {"json": {"result": f.choice()}}
    return {
        ("GET", "/api/projects/{project_id}"): {},
        ("PATCH", "/api/projects/{project_id}"): {"json": {"name": "pwned"}},
        ("DELETE", "/api/projects/{project_id}"): {},
        ("GET", "/api/projects/{project_id}/members"): {},
        ("PUT", "/api/projects/{project_id}/members"):
            {"json": {"username": t.b_actor.username, "role": "owner"}},
        ("DELETE", "/api/projects/{project_id}/members/{user_id}"): {},
        ("PUT", "/api/projects/{project_id}/schema"):
            {"json": {"schema": t.a.get("/api/templates/sentiment").json(), "changes": []}},
        ("GET", "/api/projects/{project_id}/schema/versions"): {},
        ("GET", "/api/projects/{project_id}/tasks"): {},
        ("POST", "/api/projects/{project_id}/tasks/delete"): {"json": {"ids": t.ids["task_ids"]}},
        ("GET", "/api/projects/{project_id}/tasks/count"): {"params": {"status": "skipped"}},
        ("GET", "/api/projects/{project_id}/next"): {},
        ("GET", "/api/projects/{project_id}/queue"): {},
        ("GET", "/api/projects/{project_id}/my-annotations"): {},
        ("GET", "/api/tasks/{task_id}"): {},
        ("GET", "/api/tasks/{task_id}/annotations"): {},
        ("POST", "/api/tasks/{task_id}/annotations"): answer,
        ("POST", "/api/tasks/{task_id}/skip"): {},
        ("GET", "/api/tasks/{task_id}/draft"): {},
        ("PUT", "/api/tasks/{task_id}/draft"): answer,
        ("GET", "/api/tasks/{task_id}/predictions"): {},
        ("POST", "/api/tasks/{task_id}/predictions"): {"json": [{"result": f.choice()}]},
        ("GET", "/api/annotations/{annotation_id}"): {},
        ("PATCH", "/api/annotations/{annotation_id}"):
            {"json": {"result": f.choice("Negative"), "version": 1}},
        ("GET", "/api/annotations/{annotation_id}/history"): {},
        ("POST", "/api/projects/{project_id}/imports"):
            {"params": {"filename": "t.jsonl"}, "content": b'{"text": "injected"}\n'},
        ("POST", "/api/projects/{project_id}/imports/url"):
            {"json": {"url": "http://127.0.0.1:9/tasks.json"}},
        ("GET", "/api/projects/{project_id}/imports/{import_id}"): {},
        ("GET", "/api/projects/{project_id}/export"): {},
        ("GET", "/api/media/{key}"): {},
        ("GET", "/api/projects/{project_id}/audit"): {},
        ("DELETE", "/api/auth/tokens/{token_id}"): {},
    }




def _id_endpoints() -> list[tuple[str, str]]:
    paths = create_app().openapi()["paths"]
    return sorted((method.upper(), path) for path, ops in paths.items() for method in ops
                  if any(p in path for p in ID_PARAMS))


def test_every_endpoint_with_an_id_is_covered(tenants: Tenants) -> None:
    assert set(_id_endpoints()) == set(_bodies(tenants))


@pytest.mark.parametrize(("method", "path"), _id_endpoints(), ids=lambda v: str(v))
def test_outsider_gets_404_and_nothing_changes(tenants: Tenants, method: str, path: str) -> None:
    t = tenants
    kwargs = _bodies(t)[(method, path)]
    before = f.snapshot(t.rt)
    response = t.b.request(method, path.format(**t.ids), **kwargs)
    assert response.status_code == 404, response.text
    assert "secret" not in response.text
    assert f.snapshot(t.rt) == before
    assert t.a.get(f"/api/media/{t.ids['key']}").status_code == 200


class TestCrossProjectIds:
    """B's own project in the path, A's object ids in the rest or in the body."""

    def test_delete_a_tasks_through_b_project(self, tenants: Tenants) -> None:
        t = tenants
        before = f.snapshot(t.rt)
        response = t.b.post(f"/api/projects/{t.b_project_id}/tasks/delete",
                            json={"ids": t.ids["task_ids"]})
        assert response.status_code == 200
        assert response.json() == {"deleted": 0}
        after = f.snapshot(t.rt)
        assert after["tasks"] == before["tasks"]
        assert after["projects"] == before["projects"]

    def test_a_import_through_b_project(self, tenants: Tenants) -> None:
        t = tenants
        before = f.snapshot(t.rt)
        response = t.b.get(f"/api/projects/{t.b_project_id}/imports/{t.ids['import_id']}")
        assert response.status_code == 404
        assert f.snapshot(t.rt) == before

    def test_remove_a_from_b_project(self, tenants: Tenants) -> None:
        t = tenants
        before = f.snapshot(t.rt)
        response = t.b.delete(f"/api/projects/{t.b_project_id}/members/{t.ids['user_id']}")
        assert response.status_code == 404
        assert f.snapshot(t.rt) == before

    def test_a_projects_not_listed_for_b(self, tenants: Tenants) -> None:
        listed = tenants.b.get("/api/projects").json()
        assert [p["id"] for p in listed] == [tenants.b_project_id]

    def test_media_key_of_a_with_b_project_prefix(self, tenants: Tenants) -> None:
        t = tenants
        forged = f"{t.b_project_id}/" + t.ids["key"].split("/", 1)[1]
        assert t.b.get(f"/api/media/{forged}").status_code == 404

    @pytest.mark.parametrize("key", ["..%2f..%2fetc%2fpasswd", "%2e%2e/%2e%2e/etc/passwd",
                                     "1/../../postil.db", "/etc/passwd", "1/ab/x%00.png"])
    def test_media_traversal(self, tenants: Tenants, key: str) -> None:
        assert tenants.a.get(f"/api/media/{key}").status_code == 404
