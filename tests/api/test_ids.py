"""Ids, versions and page sizes the databases cannot hold: a 422 naming the field, never a 500.

Found by schemathesis (tests/api/test_fuzz.py): 2**63 in a path, query or body reached the
database and failed there (SQLite OverflowError, PostgreSQL "bigint out of range").
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from fastapi.testclient import TestClient

from api import factories as f
from postil.api.app import create_app
from postil.services.runtime import Actor, Runtime

TOO_BIG = 2**63  # one past the largest BIGINT
ID_NAMES = ("project_id", "task_id", "annotation_id", "import_id", "user_id", "token_id")


def _path_ids() -> list[tuple[str, str, str]]:
    """(method, path, id name) for every id in a path of the OpenAPI document."""
    paths = create_app().openapi()["paths"]
    return sorted((method.upper(), path, name) for path, ops in paths.items() for method in ops
                  for name in ID_NAMES if f"{{{name}}}" in path)


@pytest.fixture
def seeded(make_user: Callable[..., Actor],
           client_for: Callable[[Actor | None], TestClient]) -> tuple[TestClient, dict[str, int]]:
    client = client_for(make_user("ada", admin=True))
    project_id = f.project(client)["id"]
    task_ids = f.import_texts(client, project_id, 2)
    annotation = f.submit(client, task_ids[0])
    return client, {"project_id": project_id, "task_id": task_ids[1], "user_id": 1,
                    "annotation_id": annotation["id"], "import_id": 1, "token_id": 1}


def _locs(response: Any) -> list[list[Any]]:
    assert response.status_code == 422, response.text
    return [e["loc"] for e in response.json()["errors"]]


@pytest.mark.parametrize(("method", "path", "name"), _path_ids(), ids=str)
def test_path_id_out_of_range(seeded: tuple[TestClient, dict[str, int]], rt: Runtime,
                              method: str, path: str, name: str) -> None:
    client, ids = seeded
    before = f.snapshot(rt)
    response = client.request(method, path.format(**{**ids, name: TOO_BIG}))
    assert ["path", name] in _locs(response)
    assert f.snapshot(rt) == before


@pytest.mark.parametrize(("url", "params", "loc"), [
    ("/api/audit", {"before": TOO_BIG}, ["query", "before"]),
    ("/api/projects/{project_id}/audit", {"before": TOO_BIG}, ["query", "before"]),
    ("/api/projects/{project_id}/next", {"exclude": [1, TOO_BIG]}, ["query", "exclude", 1]),
    ("/api/projects/{project_id}/export", {"ids": [TOO_BIG]}, ["query", "ids", 0]),
    ("/api/projects/{project_id}/export", {"ids": [-TOO_BIG - 1]}, ["query", "ids", 0]),
    ("/api/projects/{project_id}/my-annotations", {"limit": -TOO_BIG}, ["query", "limit"]),
    ("/api/projects/{project_id}/my-annotations", {"limit": 0}, ["query", "limit"]),
])
def test_query_out_of_range(seeded: tuple[TestClient, dict[str, int]], rt: Runtime, url: str,
                            params: dict[str, Any], loc: list[Any]) -> None:
    client, ids = seeded
    before = f.snapshot(rt)
    assert loc in _locs(client.get(url.format(**ids), params=params))
    assert f.snapshot(rt) == before


@pytest.mark.parametrize(("method", "url", "body", "loc"), [
    ("POST", "/api/projects/{project_id}/tasks/delete", {"ids": [2**63 + 5]}, ["ids", 0]),
    ("POST", "/api/tasks/{task_id}/annotations", {"prediction_id": 2**63 + 5}, ["prediction_id"]),
    ("PATCH", "/api/annotations/{annotation_id}", {"version": 2**31}, ["version"]),
    ("PUT", "/api/tasks/{task_id}/draft", {"base_version": 2**31}, ["base_version"]),
    ("PUT", "/api/tasks/{task_id}/draft", {"base_version": -(2**31) - 1}, ["base_version"]),
])
def test_body_out_of_range(seeded: tuple[TestClient, dict[str, int]], rt: Runtime, method: str,
                           url: str, body: dict[str, Any], loc: list[Any]) -> None:
    client, ids = seeded
    before = f.snapshot(rt)
    response = client.request(method, url.format(**ids), json={"result": f.choice(), **body})
    assert ["body", *loc] in _locs(response)
    assert f.snapshot(rt) == before


@pytest.mark.parametrize("head", [str(TOO_BIG), "9" * 5000, "\u00b2"])
def test_media_key_with_an_impossible_project_is_404(
        seeded: tuple[TestClient, dict[str, int]], head: str) -> None:
    client, _ = seeded
    assert client.get(f"/api/media/{head}/ab/{'0' * 64}.png").status_code == 404
