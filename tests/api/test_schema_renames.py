"""Renaming a control through the schema API rewrites stored results; exports follow."""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

import orjson
import pytest
from fastapi.testclient import TestClient

from api import factories as f
from postil.services.runtime import Actor

SCHEMA: dict[str, Any] = {
    "objects": [{"name": "image", "type": "image"}],
    "controls": [
        {"name": "objects", "type": "box", "to": ["image"], "labels": ["Car", "Person"]},
        {"name": "weather", "type": "choices", "to": ["image"], "labels": ["Sunny", "Rainy"]},
    ],
}
BOX = {"x": 20.0, "y": 10.0, "width": 50.0, "height": 40.0, "rotation": 0.0, "labels": ["Car"]}


def _renamed() -> dict[str, Any]:
    schema = copy.deepcopy(SCHEMA)
    schema["controls"][0]["name"] = "vehicles"
    return schema


@pytest.fixture
def client(make_user: Callable[..., Actor], client_for: Callable[[Actor], TestClient]
           ) -> TestClient:
    return client_for(make_user("alice"))


@pytest.fixture
def annotated(client: TestClient) -> tuple[int, int]:
    """A project with one 200 x 100 image, answered with a box and a choice."""
    pid = int(f.project(client, name="Streets", schema=SCHEMA)["id"])
    response = client.post(f"/api/projects/{pid}/imports",
                           files=[("files", ("street.png", f.png_bytes(200, 100), "image/png"))])
    assert response.status_code == 201, response.text
    (task_id,) = f.task_ids(client, pid)
    result = [
        {"id": "b1", "control": "objects", "object": "image", "type": "box", "value": BOX},
        {"id": "w1", "control": "weather", "object": "image", "type": "choices",
         "value": {"choices": ["Rainy"]}},
    ]
    response = client.post(f"/api/tasks/{task_id}/annotations", json={"result": result})
    assert response.status_code == 201, response.text
    return pid, int(response.json()["id"])


def _rename(client: TestClient, pid: int) -> dict[str, Any]:
    response = client.put(f"/api/projects/{pid}/schema", json={
        "schema": _renamed(), "changes": [{"op": "rename_control", "from": "objects",
                                           "to": "vehicles"}]})
    assert response.status_code == 200, response.text
    return dict(response.json())


def test_renamed_control_is_in_the_stored_results_with_values_intact(
        client: TestClient, annotated: tuple[int, int]) -> None:
    pid, annotation_id = annotated
    report = _rename(client, pid)
    assert (report["version"], report["migrated_annotations"], report["relabel_tasks"]) == (
        2, 1, 0)
    now = client.get(f"/api/annotations/{annotation_id}").json()
    assert [(r["id"], r["control"], r["object"], r["type"], r["value"]) for r in now["result"]] == [
        ("b1", "vehicles", "image", "box", BOX),
        ("w1", "weather", "image", "choices", {"choices": ["Rainy"]}),
    ]
    assert (now["version"], now["schema_version"]) == (2, 2)
    history = client.get(f"/api/annotations/{annotation_id}/history").json()
    assert [[r["control"] for r in h["result"]] for h in history] == [
        ["objects", "weather"], ["vehicles", "weather"]]


def test_exports_carry_the_new_control_name(client: TestClient,
                                            annotated: tuple[int, int]) -> None:
    pid, _ = annotated
    _rename(client, pid)
    native = client.get(f"/api/projects/{pid}/export", params={"format": "json"})
    (task,) = orjson.loads(native.content)
    box, weather = task["annotations"][0]["result"]
    assert (box["control"], box["value"]) == ("vehicles", BOX)
    assert (weather["control"], weather["value"]) == ("weather", {"choices": ["Rainy"]})

    labelstudio = client.get(f"/api/projects/{pid}/export", params={"format": "labelstudio"})
    (task,) = orjson.loads(labelstudio.content)
    item = task["annotations"][0]["result"][0]
    assert (item["from_name"], item["to_name"], item["type"]) == ("vehicles", "image",
                                                                  "rectanglelabels")
    assert item["value"] == {"x": 10.0, "y": 10.0, "width": 25.0, "height": 40.0,
                             "rotation": 0.0, "rectanglelabels": ["Car"]}


def test_after_the_rename_only_the_new_name_is_accepted(client: TestClient,
                                                        annotated: tuple[int, int]) -> None:
    pid, _ = annotated
    _rename(client, pid)
    (task_id,) = f.task_ids(client, pid)
    old = [{"id": "b2", "control": "objects", "object": "image", "type": "box", "value": BOX}]
    response = client.post(f"/api/tasks/{task_id}/annotations", json={"result": old})
    assert response.status_code == 422
    assert response.json()["errors"][0]["loc"] == ["result", 0, "control"]
