"""Instance settings: an administrator restricts project creation at run time; the web app
learns from /api/auth/me whether to offer it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from fastapi.testclient import TestClient

from api import factories as f
from postil.services.runtime import Actor, Runtime

Clients = Callable[[Actor | None], TestClient]
NEW_PROJECT = {"name": "X", "template": "sentiment"}


@pytest.fixture
def admin(make_user: Callable[..., Actor], client_for: Clients) -> TestClient:
    return client_for(make_user("root", admin=True))


@pytest.fixture
def member(make_user: Callable[..., Actor], client_for: Clients) -> TestClient:
    return client_for(make_user("ann"))


def _restrict(admin: TestClient) -> None:
    response = admin.patch("/api/settings", json={"project_creators": "admins"})
    assert response.status_code == 200, response.text


class TestGetSettings:
    def test_defaults(self, admin: TestClient) -> None:
        response = admin.get("/api/settings")
        assert response.status_code == 200
        assert response.json() == {"project_creators": "everyone"}

    def test_a_non_admin_gets_403(self, member: TestClient) -> None:
        assert member.get("/api/settings").status_code == 403

    def test_401(self, client_for: Clients) -> None:
        assert client_for(None).get("/api/settings").status_code == 401


class TestUpdateSettings:
    def test_restrict_and_open_again(self, admin: TestClient, rt: Runtime) -> None:
        _restrict(admin)
        assert admin.get("/api/settings").json() == {"project_creators": "admins"}
        assert f.rows(rt, "instance_settings") == [{"name": "project_creators",
                                                   "value": "admins"}]
        response = admin.patch("/api/settings", json={"project_creators": "everyone"})
        assert response.json() == {"project_creators": "everyone"}
        (logged, _) = [r for r in f.rows(rt, "audit_log") if r["action"] == "settings_changed"]
        assert logged["detail"] == {"project_creators": "admins"}

    def test_an_empty_patch_changes_nothing(self, admin: TestClient, rt: Runtime) -> None:
        before = f.snapshot(rt)
        response = admin.patch("/api/settings", json={})
        assert response.json() == {"project_creators": "everyone"}
        assert f.snapshot(rt) == before

    @pytest.mark.parametrize(("body", "loc"), [
        ({"project_creators": "nobody"}, "project_creators"),
        ({"project_creators": None}, "project_creators"),
        ({"project_creators": 1}, "project_creators"),
        ({"signup_open": True}, "signup_open"),
    ])
    def test_bad_values_are_422_naming_the_field(self, admin: TestClient, rt: Runtime,
                                                 body: dict[str, Any], loc: str) -> None:
        before = f.snapshot(rt)
        response = admin.patch("/api/settings", json=body)
        assert response.status_code == 422, response.text
        assert response.json()["errors"][0]["loc"][-1] == loc
        assert f.snapshot(rt) == before

    def test_a_non_admin_gets_403_and_nothing_changes(self, admin: TestClient,
                                                      member: TestClient, rt: Runtime) -> None:
        f.project(member)  # an owner of a project is still no administrator
        before = f.snapshot(rt)
        response = member.patch("/api/settings", json={"project_creators": "admins"})
        assert response.status_code == 403
        assert f.snapshot(rt) == before

    def test_401(self, client_for: Clients, rt: Runtime) -> None:
        before = f.snapshot(rt)
        response = client_for(None).patch("/api/settings", json={"project_creators": "admins"})
        assert response.status_code == 401
        assert f.snapshot(rt) == before


class TestCreateProjectWhenRestricted:
    def test_a_non_admin_gets_403_and_nothing_is_created(self, admin: TestClient,
                                                         member: TestClient,
                                                         rt: Runtime) -> None:
        _restrict(admin)
        before = f.snapshot(rt)
        response = member.post("/api/projects", json=NEW_PROJECT)
        assert response.status_code == 403
        assert response.json()["detail"] == ("only administrators create projects on this "
                                              "instance")
        assert f.snapshot(rt) == before

    def test_an_admin_still_creates(self, admin: TestClient, rt: Runtime) -> None:
        _restrict(admin)
        assert admin.post("/api/projects", json=NEW_PROJECT).status_code == 201
        assert f.count(rt, "projects") == 1

    def test_open_again_everyone_creates(self, admin: TestClient, member: TestClient) -> None:
        _restrict(admin)
        admin.patch("/api/settings", json={"project_creators": "everyone"})
        assert member.post("/api/projects", json=NEW_PROJECT).status_code == 201

    def test_members_keep_working_in_existing_projects(self, admin: TestClient,
                                                       member: TestClient) -> None:
        project = f.project(member)
        _restrict(admin)
        task_ids = f.import_texts(member, project["id"], 1)
        assert f.submit(member, task_ids[0])["task_id"] == task_ids[0]


class TestMe:
    def test_everyone_may_create_by_default(self, member: TestClient) -> None:
        body = member.get("/api/auth/me").json()
        assert (body["username"], body["can_create_projects"]) == ("ann", True)

    def test_restricted(self, admin: TestClient, member: TestClient) -> None:
        _restrict(admin)
        assert member.get("/api/auth/me").json()["can_create_projects"] is False
        assert admin.get("/api/auth/me").json()["can_create_projects"] is True
