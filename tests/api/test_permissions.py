"""Each role on each endpoint, administrators and outsiders, against a role x action matrix
written out here: a change to the permission table must change this file too."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient

from api import factories as f
from postil.services.permissions import PERMISSIONS, Action, Role, is_allowed
from postil.services.runtime import Actor, Runtime


@dataclass
class World:
    """A project of the owner with three tasks, an owner's annotation, and an extra member."""

    rt: Runtime
    owner: TestClient
    client: TestClient
    actor: Actor
    project_id: int
    task_ids: list[int]
    annotation_id: int
    extra: Actor


Call = Callable[[World], httpx.Response]


Y, N = True, False
# What each role may do, stated literally (not read from the table under test).
#                                    owner manager reviewer annotator
EXPECTED: dict[Action, tuple[bool, bool, bool, bool]] = {
    Action.VIEW_PROJECT:             (Y,    Y,      Y,       Y),
    Action.ANNOTATE:                 (Y,    Y,      Y,       Y),
    Action.VIEW_ALL_ANNOTATIONS:     (Y,    Y,      Y,       N),
    Action.REVIEW:                   (Y,    Y,      Y,       N),
    Action.IMPORT_TASKS:             (Y,    Y,      N,       N),
    Action.DELETE_TASKS:             (Y,    Y,      N,       N),
    Action.ADD_PREDICTIONS:          (Y,    Y,      N,       N),
    Action.EXPORT:                   (Y,    Y,      N,       N),
    Action.EDIT_PROJECT:             (Y,    Y,      N,       N),
    Action.MANAGE_MEMBERS:           (Y,    Y,      N,       N),
    Action.DELETE_PROJECT:           (Y,    N,      N,       N),
    Action.VIEW_AUDIT:               (Y,    Y,      N,       N),
}
COLUMNS = (Role.OWNER, Role.MANAGER, Role.REVIEWER, Role.ANNOTATOR)


def expected(role: Role, action: Action) -> bool:
    return EXPECTED[action][COLUMNS.index(role)]


@pytest.fixture
def make_world(rt: Runtime, make_user: Callable[..., Actor],
               client_for: Callable[[Actor | None], TestClient]) -> Callable[..., World]:
    def make(role: Role | None, *, admin: bool = False) -> World:
        owner_actor = make_user("owner")
        owner = client_for(owner_actor)
        project = f.project(owner)
        task_ids = f.import_texts(owner, project["id"], 3)
        annotation = f.submit(owner, task_ids[0])
        extra = make_user("extra")
        f.add_member(owner, project["id"], extra.username, "annotator")
        actor = make_user("member", admin=admin)
        if role is not None:
            f.add_member(owner, project["id"], actor.username, role.value)
        return World(rt, owner, client_for(actor), actor, project["id"], task_ids,
                     annotation["id"], extra)

    return make


def _schema_put(w: World) -> httpx.Response:
    schema = w.owner.get(f"/api/projects/{w.project_id}").json()["schema"]
    return w.client.put(f"/api/projects/{w.project_id}/schema",
                        json={"schema": schema, "changes": []})


def _import(w: World) -> httpx.Response:
    return w.client.post(f"/api/projects/{w.project_id}/imports",
                         params={"filename": "more.jsonl"}, content=b'{"text": "one more"}\n')


def _import_status(w: World) -> httpx.Response:
    import_id = w.owner.post(f"/api/projects/{w.project_id}/imports", params={
        "filename": "x.jsonl"}, content=b'{"text": "x"}\n').json()["import_id"]
    return w.client.get(f"/api/projects/{w.project_id}/imports/{import_id}")


# action -> (name, call); every action of the table appears here (checked below).
CALLS: list[tuple[Action, str, Call]] = [
    (Action.VIEW_PROJECT, "get project", lambda w: w.client.get(f"/api/projects/{w.project_id}")),
    (Action.VIEW_PROJECT, "list tasks",
     lambda w: w.client.get(f"/api/projects/{w.project_id}/tasks")),
    (Action.VIEW_PROJECT, "get task", lambda w: w.client.get(f"/api/tasks/{w.task_ids[1]}")),
    (Action.VIEW_PROJECT, "list members",
     lambda w: w.client.get(f"/api/projects/{w.project_id}/members")),
    (Action.VIEW_PROJECT, "schema versions",
     lambda w: w.client.get(f"/api/projects/{w.project_id}/schema/versions")),
    (Action.VIEW_PROJECT, "list predictions",
     lambda w: w.client.get(f"/api/tasks/{w.task_ids[1]}/predictions")),
    (Action.ANNOTATE, "next", lambda w: w.client.get(f"/api/projects/{w.project_id}/next")),
    (Action.ANNOTATE, "submit", lambda w: w.client.post(
        f"/api/tasks/{w.task_ids[2]}/annotations", json={"result": f.choice()})),
    (Action.ANNOTATE, "draft", lambda w: w.client.put(
        f"/api/tasks/{w.task_ids[1]}/draft", json={"result": f.choice("Negative")})),
    (Action.ANNOTATE, "skip", lambda w: w.client.post(f"/api/tasks/{w.task_ids[1]}/skip")),
    (Action.ANNOTATE, "my annotations",
     lambda w: w.client.get(f"/api/projects/{w.project_id}/my-annotations")),
    (Action.VIEW_ALL_ANNOTATIONS, "get other's annotation",
     lambda w: w.client.get(f"/api/annotations/{w.annotation_id}")),
    (Action.VIEW_ALL_ANNOTATIONS, "other's history",
     lambda w: w.client.get(f"/api/annotations/{w.annotation_id}/history")),
    (Action.REVIEW, "update other's annotation", lambda w: w.client.patch(
        f"/api/annotations/{w.annotation_id}", json={"result": f.choice("Mixed"), "version": 1})),
    (Action.IMPORT_TASKS, "import", _import),
    (Action.IMPORT_TASKS, "import status", _import_status),
    (Action.DELETE_TASKS, "delete tasks", lambda w: w.client.post(
        f"/api/projects/{w.project_id}/tasks/delete", json={"ids": [w.task_ids[2]]})),
    (Action.ADD_PREDICTIONS, "add predictions", lambda w: w.client.post(
        f"/api/tasks/{w.task_ids[1]}/predictions",
        json=[{"result": f.choice(), "model_version": "m1", "score": 0.5}])),
    (Action.EXPORT, "export", lambda w: w.client.get(f"/api/projects/{w.project_id}/export")),
    (Action.EDIT_PROJECT, "patch project", lambda w: w.client.patch(
        f"/api/projects/{w.project_id}", json={"name": "Renamed", "overlap": 2})),
    (Action.EDIT_PROJECT, "put schema", _schema_put),
    (Action.MANAGE_MEMBERS, "set member", lambda w: w.client.put(
        f"/api/projects/{w.project_id}/members",
        json={"username": w.extra.username, "role": "reviewer"})),
    (Action.MANAGE_MEMBERS, "remove member", lambda w: w.client.delete(
        f"/api/projects/{w.project_id}/members/{w.extra.user_id}")),
    (Action.DELETE_PROJECT, "delete project",
     lambda w: w.client.delete(f"/api/projects/{w.project_id}")),
    (Action.VIEW_AUDIT, "project audit",
     lambda w: w.client.get(f"/api/projects/{w.project_id}/audit")),
]
# Another user's annotation is invisible (404) to a role that may not view all annotations.
HIDDEN_WHEN_DENIED = {Action.VIEW_ALL_ANNOTATIONS, Action.REVIEW}


def _denied_status(role: Role, action: Action) -> int:
    if action in HIDDEN_WHEN_DENIED and not expected(role, Action.VIEW_ALL_ANNOTATIONS):
        return 404
    return 403


def test_every_action_has_an_endpoint() -> None:
    assert {action for action, _, _ in CALLS} == set(Action)
    assert set(PERMISSIONS) == set(Role)


def test_the_matrix_covers_every_action_and_role() -> None:
    assert set(EXPECTED) == set(Action)
    assert set(COLUMNS) == set(Role)


@pytest.mark.parametrize("role", list(Role), ids=str)
@pytest.mark.parametrize("action", list(Action), ids=str)
def test_the_table_is_the_expected_matrix(role: Role, action: Action) -> None:
    assert is_allowed(role, action) is expected(role, action)


@pytest.mark.parametrize("role", list(Role), ids=str)
@pytest.mark.parametrize(("action", "call"), [(a, c) for a, _, c in CALLS],
                         ids=[n.replace(" ", "-") for _, n, _ in CALLS])
def test_role_on_endpoint(make_world: Callable[..., World], role: Role,
                          action: Action, call: Call) -> None:
    w = make_world(role)
    # _import_status has the owner import first, which changes the database by design.
    before = None if call is _import_status else f.snapshot(w.rt)
    response = call(w)
    if expected(role, action):
        assert 200 <= response.status_code < 300, response.text
        return
    assert response.status_code == _denied_status(role, action), response.text
    if before is not None:
        assert f.snapshot(w.rt) == before


@pytest.mark.parametrize(("action", "call"), [(a, c) for a, _, c in CALLS],
                         ids=[n.replace(" ", "-") for _, n, _ in CALLS])
def test_outsider_gets_404_and_nothing_changes(make_world: Callable[..., World],
                                               action: Action, call: Call) -> None:
    w = make_world(None)
    before = None if call is _import_status else f.snapshot(w.rt)
    response = call(w)
    assert response.status_code == 404, response.text
    if before is not None:
        assert f.snapshot(w.rt) == before


@pytest.mark.parametrize("membership", [None, Role.ANNOTATOR], ids=["outsider", "annotator"])
@pytest.mark.parametrize(("action", "call"), [(a, c) for a, _, c in CALLS],
                         ids=[n.replace(" ", "-") for _, n, _ in CALLS])
def test_administrators_may_do_everything(make_world: Callable[..., World],
                                          membership: Role | None, action: Action,
                                          call: Call) -> None:
    """Site administrators act as owners, also where they joined with a lower role."""
    w = make_world(membership, admin=True)
    response = call(w)
    assert 200 <= response.status_code < 300, response.text


class TestAnnotationVisibility:
    def test_annotator_sees_only_own_annotations(
            self, make_world: Callable[..., World]) -> None:
        w = make_world(Role.ANNOTATOR)
        task = w.task_ids[0]
        mine = w.client.post(f"/api/tasks/{task}/annotations", json={"result": f.choice("Mixed")})
        assert mine.status_code == 201
        listed = w.client.get(f"/api/tasks/{task}/annotations").json()
        assert [a["id"] for a in listed] == [mine.json()["id"]]
        assert [a["completed_by"] for a in listed] == [w.actor.user_id]

    @pytest.mark.parametrize("role", [Role.REVIEWER, Role.MANAGER, Role.OWNER], ids=str)
    def test_reviewers_and_up_see_all(self, make_world: Callable[..., World],
                                      role: Role) -> None:
        w = make_world(role)
        listed = w.client.get(f"/api/tasks/{w.task_ids[0]}/annotations").json()
        assert [a["id"] for a in listed] == [w.annotation_id]


class TestMassAssignment:
    @pytest.mark.parametrize("field", [{"role": "owner"}, {"id": 999}, {"task_count": 1000},
                                       {"completed_count": 5}, {"schema_version": 9},
                                       {"created_by": 1}])
    def test_patch_project_refuses_protected_fields(
            self, make_world: Callable[..., World], field: dict[str, Any]) -> None:
        w = make_world(Role.MANAGER)
        before = f.snapshot(w.rt)
        response = w.client.patch(f"/api/projects/{w.project_id}",
                                  json={"name": "Sneaky", **field})
        assert response.status_code == 422
        assert any(e["loc"][-1] == next(iter(field)) for e in response.json()["errors"])
        assert f.snapshot(w.rt) == before

    @pytest.mark.parametrize("field", ["completed_by", "project_id", "id", "version", "status"])
    def test_submit_refuses_protected_fields(
            self, make_world: Callable[..., World], field: str) -> None:
        w = make_world(Role.ANNOTATOR)
        before = f.snapshot(w.rt)
        response = w.client.post(f"/api/tasks/{w.task_ids[1]}/annotations",
                                 json={"result": f.choice(), field: w.extra.user_id})
        assert response.status_code == 422
        assert f.snapshot(w.rt) == before

    def test_patch_annotation_refuses_completed_by(
            self, make_world: Callable[..., World]) -> None:
        w = make_world(Role.OWNER)
        before = f.snapshot(w.rt)
        response = w.owner.patch(f"/api/annotations/{w.annotation_id}", json={
            "result": f.choice(), "version": 1, "completed_by": w.extra.user_id})
        assert response.status_code == 422
        assert f.snapshot(w.rt) == before

    def test_member_set_refuses_unknown_role(
            self, make_world: Callable[..., World]) -> None:
        w = make_world(Role.OWNER)
        before = f.snapshot(w.rt)
        response = w.client.put(f"/api/projects/{w.project_id}/members",
                                json={"username": w.extra.username, "role": "admin"})
        assert response.status_code == 422
        assert f.snapshot(w.rt) == before

    def test_manager_cannot_make_owners(self, make_world: Callable[..., World]) -> None:
        w = make_world(Role.MANAGER)
        before = f.snapshot(w.rt)
        response = w.client.put(f"/api/projects/{w.project_id}/members",
                                json={"username": w.actor.username, "role": "owner"})
        assert response.status_code == 403
        assert f.snapshot(w.rt) == before

    def test_non_admin_cannot_create_admins(
            self, make_world: Callable[..., World]) -> None:
        w = make_world(Role.OWNER)
        before = f.snapshot(w.rt)
        response = w.client.post("/api/users", json={
            "username": "mallory", "password": "long enough pw", "is_admin": True})
        assert response.status_code == 403
        assert f.snapshot(w.rt) == before
