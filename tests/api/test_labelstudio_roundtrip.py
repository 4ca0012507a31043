"""Label Studio JSON in and out: image boxes on URL images keep their size and come back."""

from __future__ import annotations

from collections.abc import Callable

import orjson
import pytest
from fastapi.testclient import TestClient
from tests.api import factories as f

from postil.services.runtime import Actor

LS_TASK = {
    "id": 17,
    "data": {"image": "https://example.org/cat.jpg"},
    "priority": 2.5,
    "annotations": [{"completed_by": "ann", "result": [{
        "id": "r1", "from_name": "objects", "to_name": "image", "type": "rectanglelabels",
        "original_width": 800, "original_height": 600,
        "value": {"x": 10.0, "y": 20.0, "width": 25.0, "height": 50.0, "rotation": 0,
                  "rectanglelabels": ["Car"]}}]}],
}


@pytest.fixture
def client(make_user: Callable[..., Actor], client_for: Callable[[Actor], TestClient]
           ) -> TestClient:
    return client_for(make_user("alice"))


@pytest.fixture
def project_id(client: TestClient) -> int:
    return int(f.project(client, name="Detect", template="object_detection")["id"])


def test_boxes_on_url_images_are_stored_in_pixels_and_exported_back(
        client: TestClient, project_id: int) -> None:
    report = f.import_rows(client, project_id, [LS_TASK], filename="ls.json")
    assert report["imported"] == 1
    (task_id,) = f.task_ids(client, project_id)
    task = client.get(f"/api/tasks/{task_id}").json()
    assert task["meta"]["media"]["image"] == {"width": 800, "height": 600}
    assert task["priority"] == 2.5
    (annotation,) = client.get(f"/api/tasks/{task_id}/annotations").json()
    box = annotation["result"][0]["value"]
    assert (box["x"], box["y"], box["width"], box["height"]) == (80.0, 120.0, 200.0, 300.0)

    exported = client.get(f"/api/projects/{project_id}/export", params={"format": "labelstudio"})
    assert orjson.loads(exported.headers["x-postil-export-report"])["skipped_count"] == 0
    (item,) = orjson.loads(exported.content)[0]["annotations"][0]["result"]
    assert item["type"] == "rectanglelabels"
    assert (item["original_width"], item["original_height"]) == (800, 600)
    assert item["value"]["x"] == pytest.approx(10.0)
    assert item["value"]["height"] == pytest.approx(50.0)
    assert item["value"]["rectanglelabels"] == ["Car"]


def test_box_outside_the_stated_image_size_is_refused(client: TestClient,
                                                       project_id: int) -> None:
    bad = orjson.loads(orjson.dumps(LS_TASK))
    bad["annotations"][0]["result"][0]["value"]["x"] = 90.0  # 90% + 25% width > 100%
    response = client.post(f"/api/projects/{project_id}/imports",
                           params={"filename": "ls.json"}, content=orjson.dumps([bad]))
    assert response.status_code == 422
    assert f.task_ids(client, project_id) == []


CAT_TEXT = "\U0001f431 Warning: This is a test text"
LS_SPAN_TASK = {
    "id": 5,
    "data": {"text": CAT_TEXT},
    "annotations": [{"completed_by": "ann", "result": [{
        "id": "e1", "from_name": "entities", "to_name": "text", "type": "labels",
        "value": {"start": 21, "end": 25, "text": "test", "labels": ["MISC"]}}]}],
}


def test_spans_after_an_emoji_import_and_export_as_code_points(client: TestClient) -> None:
    """Label Studio's own test: `test` is 21..25 after a cat emoji (not 22..26 in UTF-16)."""
    pid = int(f.project(client, name="NER", template="named_entities")["id"])
    assert f.import_rows(client, pid, [LS_SPAN_TASK], filename="ls.json")["imported"] == 1
    (task_id,) = f.task_ids(client, pid)
    (annotation,) = client.get(f"/api/tasks/{task_id}/annotations").json()
    (span,) = annotation["result"]
    assert span["value"] == {"start": 21, "end": 25, "text": "test", "labels": ["MISC"]}

    exported = client.get(f"/api/projects/{pid}/export", params={"format": "labelstudio"})
    (item,) = orjson.loads(exported.content)[0]["annotations"][0]["result"]
    assert item["value"] == {"start": 21, "end": 25, "text": "test", "labels": ["MISC"]}

    again = int(f.project(client, name="NER again", template="named_entities")["id"])
    f.import_rows(client, again, orjson.loads(exported.content), filename="ls.json")
    (task_id,) = f.task_ids(client, again)
    (annotation,) = client.get(f"/api/tasks/{task_id}/annotations").json()
    assert annotation["result"][0]["value"] == span["value"]
