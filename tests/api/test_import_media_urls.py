"""Imports refuse media URLs that can never be media (javascript:, data:text/html), by line."""

from __future__ import annotations

from collections.abc import Callable

import orjson
import pytest
from fastapi.testclient import TestClient

from api import factories as f
from postil.services.runtime import Actor, Runtime

GOOD = [{"image": "https://example.com/a.jpg"}, {"image": "/api/media/ab/cdef.png"},
        {"image": "data:image/png;base64,iVBORw0KGgo="}, {"image": "photos/b.png"}]


@pytest.fixture
def client(make_user: Callable[..., Actor], client_for: Callable[[Actor], TestClient]
           ) -> TestClient:
    return client_for(make_user("alice"))


@pytest.fixture
def project_id(client: TestClient) -> int:
    return int(f.project(client, name="Pets", template="image_classification")["id"])


def _post(client: TestClient, pid: int, *files: tuple[str, bytes]) -> object:
    return client.post(f"/api/projects/{pid}/imports",
                       files=[("files", (name, body, "application/octet-stream"))
                              for name, body in files])


def test_web_relative_and_image_data_urls_import(client: TestClient, project_id: int) -> None:
    assert f.import_rows(client, project_id, GOOD)["imported"] == 4


@pytest.mark.parametrize(("url", "msg"), [
    ("javascript:alert(1)",
     "image field 'image': image URL scheme 'javascript' is not allowed "
     "(use http, https or an upload)"),
    (" JaVaScRiPt:alert(1)",
     "image field 'image': image URL scheme 'javascript' is not allowed "
     "(use http, https or an upload)"),
    ("java\tscript:alert(1)", "image field 'image': image URL contains a control character"),
    ("data:text/html,<script>alert(1)</script>",
     "image field 'image': image URL is a data URI of type 'text/html'"),
])
def test_a_url_that_cannot_be_media_is_422_naming_file_line_and_field(
        client: TestClient, rt: Runtime, project_id: int, url: str, msg: str) -> None:
    body = f.jsonl([*GOOD, {"image": url}])
    response = client.post(f"/api/projects/{project_id}/imports",
                           params={"filename": "pets.jsonl"}, content=body)
    assert response.status_code == 422, response.text
    error = response.json()
    assert error["errors"] == [{"loc": ["pets.jsonl", "record", 5, "data", "image"],
                                "msg": msg}]
    assert error["detail"] == f"pets.jsonl: record 5: {msg}"
    assert f.count(rt, "tasks") == 0
    assert [r["status"] for r in f.rows(rt, "imports")] == ["failed"]


def test_second_file_of_an_upload_is_named(client: TestClient, rt: Runtime,
                                            project_id: int) -> None:
    bad = [{"data": {"image": "https://example.com/c.jpg"}},
           {"data": {"image": "javascript:alert(document.cookie)"}}]
    response = _post(client, project_id, ("good.jsonl", f.jsonl(GOOD)),
                     ("labelstudio.json", orjson.dumps(bad)))
    assert response.status_code == 422  # type: ignore[attr-defined]
    (error,) = response.json()["errors"]  # type: ignore[attr-defined]
    assert error["loc"] == ["labelstudio.json", "record", 2, "data", "image"]
    assert f.count(rt, "tasks") == 0
