"""Project members: roles are ordered (nobody changes, removes or appoints a role above their
own), a project always keeps an owner, and administrators may do anything."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from fastapi.testclient import TestClient

from api import factories as f
from postil.services.permissions import Role, may_assign
from postil.services.runtime import Actor, Runtime

Clients = Callable[[Actor | None], TestClient]
LAST_OWNER = ("a project keeps at least one owner: make another member owner before demoting "
              "or removing the last one")


@dataclass
class Team:
    """A project of `olga` with a second owner `otto`, and one member of each lower role."""

    rt: Runtime
    project_id: int
    users: dict[str, Actor]
    clients: dict[str, TestClient]

    def roles(self) -> dict[str, str]:
        listed = self.clients["root"].get(f"/api/projects/{self.project_id}/members").json()
        return {m["username"]: m["role"] for m in listed}


BEFORE = {"olga": "owner", "otto": "owner", "mia": "manager", "max": "manager",
          "rita": "reviewer", "anna": "annotator"}


@pytest.fixture
def team(rt: Runtime, make_user: Callable[..., Actor], client_for: Clients) -> Team:
    users = {name: make_user(name) for name in [*BEFORE, "nora", "xena"]}
    users["root"] = make_user("root", admin=True)
    clients = {name: client_for(actor) for name, actor in users.items()}
    project_id = f.project(clients["olga"])["id"]
    for name, role in BEFORE.items():
        if name != "olga":
            f.add_member(clients["olga"], project_id, name, role)
    return Team(rt, project_id, users, clients)


def _put(team: Team, who: str, username: str, role: str) -> int:
    response = team.clients[who].put(f"/api/projects/{team.project_id}/members",
                                     json={"username": username, "role": role})
    return response.status_code


def _delete(team: Team, who: str, username: str) -> int:
    user_id = team.users[username].user_id
    return team.clients[who].delete(
        f"/api/projects/{team.project_id}/members/{user_id}").status_code


# (rank of the one managing, member's current role or None, new role or None) -> allowed
RANKS = [
    (Role.OWNER, Role.OWNER, Role.ANNOTATOR, True),
    (Role.OWNER, None, Role.OWNER, True),
    (Role.OWNER, Role.OWNER, None, True),
    (Role.MANAGER, None, Role.MANAGER, True),
    (Role.MANAGER, Role.MANAGER, Role.ANNOTATOR, True),
    (Role.MANAGER, Role.ANNOTATOR, Role.REVIEWER, True),
    (Role.MANAGER, Role.MANAGER, None, True),
    (Role.MANAGER, Role.ANNOTATOR, Role.OWNER, False),
    (Role.MANAGER, None, Role.OWNER, False),
    (Role.MANAGER, Role.OWNER, Role.MANAGER, False),
    (Role.MANAGER, Role.OWNER, Role.OWNER, False),
    (Role.MANAGER, Role.OWNER, None, False),
]


@pytest.mark.parametrize(("mine", "current", "new", "allowed"), RANKS)
def test_may_assign(mine: Role, current: Role | None, new: Role | None, allowed: bool) -> None:
    assert may_assign(mine, current, new) is allowed


class TestSetMember:
    @pytest.mark.parametrize(("who", "username", "role"), [
        ("olga", "anna", "owner"),
        ("olga", "otto", "annotator"),
        ("olga", "olga", "manager"),  # another owner is left
        ("otto", "olga", "reviewer"),
        ("mia", "nora", "annotator"),
        ("mia", "anna", "manager"),
        ("mia", "max", "reviewer"),  # an equal, not a higher role
        ("mia", "mia", "annotator"),
        ("root", "otto", "annotator"),  # an administrator who is not a member
        ("root", "nora", "owner"),
    ])
    def test_allowed_changes(self, team: Team, who: str, username: str, role: str) -> None:
        assert _put(team, who, username, role) == 200
        assert team.roles() == {**BEFORE, username: role}

    @pytest.mark.parametrize(("who", "username", "role", "status"), [
        ("mia", "anna", "owner", 403),  # a manager appoints no owner
        ("mia", "nora", "owner", 403),
        ("mia", "mia", "owner", 403),
        ("mia", "otto", "manager", 403),  # nor demotes one
        ("mia", "olga", "annotator", 403),
        ("mia", "olga", "owner", 403),  # nor touches one at all
        ("rita", "anna", "reviewer", 403),
        ("anna", "anna", "manager", 403),
        ("xena", "anna", "reviewer", 404),  # an outsider does not see the project
        ("olga", "ghost", "annotator", 404),
        ("olga", "anna", "admin", 422),
    ])
    def test_refused_changes_leave_everything(self, team: Team, who: str, username: str,
                                              role: str, status: int) -> None:
        before = f.snapshot(team.rt)
        assert _put(team, who, username, role) == status
        assert f.snapshot(team.rt) == before

    @pytest.mark.parametrize("who", ["olga", "root"])
    def test_the_last_owner_is_not_demoted(self, team: Team, who: str) -> None:
        assert _put(team, "olga", "otto", "manager") == 200
        before = f.snapshot(team.rt)
        response = team.clients[who].put(f"/api/projects/{team.project_id}/members",
                                         json={"username": "olga", "role": "manager"})
        assert response.status_code == 409
        assert response.json()["detail"] == LAST_OWNER
        assert f.snapshot(team.rt) == before

    def test_401(self, team: Team, client_for: Clients) -> None:
        response = client_for(None).put(f"/api/projects/{team.project_id}/members",
                                        json={"username": "anna", "role": "owner"})
        assert response.status_code == 401
        assert team.roles() == BEFORE


class TestRemoveMember:
    @pytest.mark.parametrize(("who", "username"), [
        ("olga", "otto"),
        ("olga", "olga"),  # another owner is left
        ("mia", "anna"),
        ("mia", "max"),  # an equal
        ("mia", "mia"),
        ("root", "otto"),
    ])
    def test_allowed_removals(self, team: Team, who: str, username: str) -> None:
        assert _delete(team, who, username) == 204
        assert team.roles() == {k: v for k, v in BEFORE.items() if k != username}

    @pytest.mark.parametrize(("who", "username", "status"), [
        ("mia", "otto", 403),  # a manager removes no owner
        ("mia", "olga", 403),
        ("max", "otto", 403),
        ("rita", "anna", 403),
        ("anna", "rita", 403),
        ("xena", "anna", 404),
        ("olga", "nora", 404),  # not a member
    ])
    def test_refused_removals_leave_everything(self, team: Team, who: str, username: str,
                                               status: int) -> None:
        before = f.snapshot(team.rt)
        assert _delete(team, who, username) == status
        assert f.snapshot(team.rt) == before

    @pytest.mark.parametrize("who", ["olga", "root"])
    def test_the_last_owner_is_not_removed(self, team: Team, who: str) -> None:
        assert _delete(team, "olga", "otto") == 204
        before = f.snapshot(team.rt)
        response = team.clients[who].delete(
            f"/api/projects/{team.project_id}/members/{team.users['olga'].user_id}")
        assert response.status_code == 409
        assert response.json()["detail"] == LAST_OWNER
        assert f.snapshot(team.rt) == before

    def test_401(self, team: Team, client_for: Clients) -> None:
        response = client_for(None).delete(
            f"/api/projects/{team.project_id}/members/{team.users['anna'].user_id}")
        assert response.status_code == 401
        assert team.roles() == BEFORE
