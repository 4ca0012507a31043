"""GET /api/users: administrators see every account in full; others only the names of the
people they share a project with."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient

from api import factories as f
from postil.services import users
from postil.services.runtime import Actor, Runtime

Clients = Callable[[Actor | None], TestClient]
PASSWORD = "a long enough password"


@pytest.fixture
def people(rt: Runtime, make_user: Callable[..., Actor], client_for: Clients) -> dict[str, Actor]:
    """ann and bob share project A; bob and cy share B; dee is in no project; root is an admin.
    Created in that order, so their ids ascend."""
    found = {"root": make_user("root", admin=True)}
    for name in ("ann", "bob", "cy"):
        user = users.create_user(rt, name, PASSWORD, email=f"{name}@example.org")
        found[name] = Actor(user["id"], name, False)
    found["dee"] = make_user("dee")
    a = f.project(client_for(found["ann"]), "A")["id"]
    f.add_member(client_for(found["ann"]), a, "bob", "annotator")
    b = f.project(client_for(found["bob"]), "B")["id"]
    f.add_member(client_for(found["bob"]), b, "cy", "reviewer")
    return found


def _ids(people: dict[str, Actor], *names: str) -> list[dict[str, object]]:
    return [{"id": people[n].user_id, "username": n} for n in names]


class TestListUsers:
    def test_an_admin_sees_every_account_in_full(self, people: dict[str, Actor],
                                                  client_for: Clients) -> None:
        response = client_for(people["root"]).get("/api/users")
        assert response.status_code == 200
        assert response.json() == [
            {"id": people["root"].user_id, "username": "root", "email": None,
             "is_admin": True, "is_active": True},
            {"id": people["ann"].user_id, "username": "ann", "email": "ann@example.org",
             "is_admin": False, "is_active": True},
            {"id": people["bob"].user_id, "username": "bob", "email": "bob@example.org",
             "is_admin": False, "is_active": True},
            {"id": people["cy"].user_id, "username": "cy", "email": "cy@example.org",
             "is_admin": False, "is_active": True},
            {"id": people["dee"].user_id, "username": "dee", "email": None,
             "is_admin": False, "is_active": True},
        ]

    @pytest.mark.parametrize(("who", "sees"), [
        ("ann", ("ann", "bob")),
        ("bob", ("ann", "bob", "cy")),  # in both projects
        ("cy", ("bob", "cy")),
        ("dee", ("dee",)),  # in no project: only themself
    ])
    def test_others_see_only_names_of_people_they_share_a_project_with(
            self, people: dict[str, Actor], client_for: Clients, who: str,
            sees: tuple[str, ...]) -> None:
        response = client_for(people[who]).get("/api/users")
        assert response.status_code == 200
        assert response.json() == _ids(people, *sees)

    def test_a_removed_member_drops_out(self, people: dict[str, Actor],
                                        client_for: Clients) -> None:
        ann = client_for(people["ann"])
        (project,) = ann.get("/api/projects").json()
        removed = ann.delete(f"/api/projects/{project['id']}/members/{people['bob'].user_id}")
        assert removed.status_code == 204
        assert ann.get("/api/users").json() == _ids(people, "ann")

    def test_401(self, people: dict[str, Actor], client_for: Clients) -> None:
        assert client_for(None).get("/api/users").status_code == 401
