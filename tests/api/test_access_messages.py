"""What a refused caller is told: 404 'project not found' to outsiders, and to members the role
and the action they may not do (mutation testing found both messages unchecked)."""

from __future__ import annotations

from collections.abc import Callable

from fastapi.testclient import TestClient

from api import factories as f
from postil.services.runtime import Actor

Clients = Callable[[Actor | None], TestClient]


def test_outsiders_and_members_are_told_why(client_for: Clients,
                                             make_user: Callable[..., Actor]) -> None:
    client = client_for(make_user("owner"))
    project_id = f.project(client)["id"]
    outsider, annotator = make_user("outsider"), make_user("ann")
    f.add_member(client, project_id, annotator.username, "annotator")
    response = client_for(outsider).get(f"/api/projects/{project_id}")
    assert (response.status_code, response.json()) == (404, {"detail": "project not found"})
    response = client_for(annotator).delete(f"/api/projects/{project_id}")
    assert (response.status_code, response.json()) == (
        403, {"detail": "role annotator may not delete project"})
