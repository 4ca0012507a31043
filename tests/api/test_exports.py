"""Exports: every format, counts, the report header, filters, round trips, Label Studio shapes."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from typing import Any

import orjson
import pytest
from fastapi.testclient import TestClient

from api import factories as f
from postil.core.formats import list_formats
from postil.services import memory
from postil.services.runtime import Actor, Runtime

Clients = Callable[[Actor | None], TestClient]
REPORT = "x-postil-export-report"


@pytest.fixture
def alice(make_user: Callable[..., Actor]) -> Actor:
    return make_user("alice")


@pytest.fixture
def client(alice: Actor, client_for: Clients) -> TestClient:
    return client_for(alice)


@pytest.fixture
def labelled(client: TestClient, make_user: Callable[..., Actor],
             client_for: Clients) -> tuple[int, list[int]]:
    """Five tasks: alice answered two (Positive, Negative), bob one (Mixed), two are open."""
    pid = f.project(client)["id"]
    ids = f.import_texts(client, pid, 5)
    f.submit(client, ids[0], "Positive", lead_time=2)
    f.submit(client, ids[1], "Negative")
    bob = make_user("bob")
    f.add_member(client, pid, "bob", "annotator")
    f.submit(client_for(bob), ids[2], "Mixed")
    assert client.post(f"/api/tasks/{ids[3]}/predictions", json=[
        {"result": f.choice("Neutral"), "model_version": "m1", "score": 0.5}]).status_code == 201
    return pid, ids


def _export(client: TestClient, pid: int, **params: Any) -> tuple[bytes, dict[str, Any]]:
    response = client.get(f"/api/projects/{pid}/export", params=params)
    assert response.status_code == 200, response.text
    return response.content, orjson.loads(response.headers[REPORT])


def _parse(fmt: str, body: bytes) -> list[dict[str, Any]]:
    if fmt in ("json", "labelstudio"):
        return list(orjson.loads(body))
    if fmt == "jsonl":
        return [orjson.loads(line) for line in body.splitlines() if line.strip()]
    if fmt == "csv":
        return list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"))))
    raise AssertionError(f"no parser for {fmt}; add one when a format is registered")


def _formats(client: TestClient) -> list[str]:
    return [x["name"] for x in client.get("/api/formats").json()]


FORMATS = [info.name for info in list_formats()]


class TestFormats:
    def test_api_lists_every_registered_format(self, client: TestClient) -> None:
        listed = client.get("/api/formats").json()
        assert [x["name"] for x in listed] == FORMATS
        assert all(x["media_type"] and x["extension"].startswith(".") for x in listed)

    def test_401(self, client_for: Clients) -> None:
        assert client_for(None).get("/api/formats").status_code == 401


class TestExport:
    @pytest.mark.parametrize("fmt", FORMATS)
    def test_every_format_exports_every_task(self, client: TestClient, rt: Runtime,
                                             labelled: tuple[int, list[int]], fmt: str) -> None:
        pid, ids = labelled
        response = client.get(f"/api/projects/{pid}/export", params={"format": fmt})
        assert response.status_code == 200, response.text
        info = next(x for x in client.get("/api/formats").json() if x["name"] == fmt)
        assert response.headers["content-type"].startswith(info["media_type"])
        assert info["extension"] in response.headers["content-disposition"]
        report = orjson.loads(response.headers[REPORT])
        records = _parse(fmt, response.content)
        assert len(records) == report["exported"] == f.count(rt, "tasks", project_id=pid)
        skipped = [] if fmt != "csv" else [  # CSV has no place for predictions
            {"task_id": ids[3], "reason": "1 prediction(s) left out: CSV carries annotations only"}]
        assert (report["skipped"], report["skipped_count"]) == (skipped, len(skipped))
        if fmt != "csv":
            exported = sum(len(r["annotations"]) for r in records)
            assert exported == f.count(rt, "annotations", project_id=pid, status="submitted")
            assert sum(len(r["predictions"]) for r in records) == f.count(rt, "predictions")

    @pytest.mark.parametrize("fmt", FORMATS)
    def test_empty_project(self, client: TestClient, fmt: str) -> None:
        pid = f.project(client)["id"]
        body, report = _export(client, pid, format=fmt)
        assert _parse(fmt, body) == []
        assert report["exported"] == 0

    def test_export_is_audited(self, client: TestClient, rt: Runtime,
                               labelled: tuple[int, list[int]]) -> None:
        pid, _ = labelled
        _export(client, pid, format="jsonl")
        (entry,) = f.rows(rt, "audit_log", action="project_exported")
        assert entry["detail"] == {"format": "jsonl", "exported": 5, "skipped": 0}

    def test_completed_only(self, client: TestClient, labelled: tuple[int, list[int]]) -> None:
        pid, ids = labelled
        body, report = _export(client, pid, format="json", completed_only="true")
        assert [t["id"] for t in orjson.loads(body)] == ids[:3]
        assert report["exported"] == 3

    def test_label_filter(self, client: TestClient, labelled: tuple[int, list[int]]) -> None:
        pid, ids = labelled
        body, _ = _export(client, pid, format="json", label="Negative")
        assert [t["id"] for t in orjson.loads(body)] == [ids[1]]

    def test_annotator_filter(self, client: TestClient,
                              labelled: tuple[int, list[int]]) -> None:
        pid, ids = labelled
        body, _ = _export(client, pid, format="json", annotator="bob")
        tasks = orjson.loads(body)
        assert [t["id"] for t in tasks] == [ids[2]]
        assert [a["completed_by"] for a in tasks[0]["annotations"]] == ["bob"]
        for nobody in ("nobody", "bob\u0000"):  # U+0000 was a 500 on PostgreSQL
            body, report = _export(client, pid, format="json", annotator=nobody)
            assert orjson.loads(body) == [] and report["exported"] == 0

    def test_unknown_format_is_422(self, client: TestClient, rt: Runtime,
                                   labelled: tuple[int, list[int]]) -> None:
        pid, _ = labelled
        response = client.get(f"/api/projects/{pid}/export", params={"format": "pickle"})
        assert response.status_code == 422
        assert response.json()["errors"][0]["loc"] == ["format"]
        assert f.count(rt, "audit_log", action="project_exported") == 0
        assert not list(rt.settings.data_dir.glob("export-*"))

    def test_404_and_401(self, client: TestClient, client_for: Clients) -> None:
        assert client.get("/api/projects/777/export").status_code == 404
        assert client_for(None).get("/api/projects/777/export").status_code == 401

    def test_memory_is_handed_back_after_big_exports_only(
            self, client: TestClient, monkeypatch: pytest.MonkeyPatch) -> None:
        released: list[int] = []
        monkeypatch.setattr(memory, "release_memory", lambda: released.append(1))
        monkeypatch.setattr(memory, "BULK_BYTES", 2000)
        small, big = f.project(client)["id"], f.project(client)["id"]
        f.import_rows(client, small, [{"text": "small"}])
        f.import_rows(client, big, [{"text": f"big {i:04}"} for i in range(100)])
        released.clear()  # the big import's own
        _export(client, small, format="json")
        assert released == []
        _export(client, big, format="json")
        assert released == [1]

    def test_no_temporary_files_left(self, client: TestClient, rt: Runtime,
                                     labelled: tuple[int, list[int]]) -> None:
        pid, _ = labelled
        for fmt in FORMATS:
            _export(client, pid, format=fmt)
        assert not list(rt.settings.data_dir.glob("export-*"))


def _comparable(tasks: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Export records without what a new project necessarily changes: ids and timestamps."""
    volatile = {"id", "created_at", "updated_at"}
    out = []
    for task in tasks:
        clean = {k: v for k, v in task.items() if k not in volatile}
        clean["annotations"] = [{k: v for k, v in a.items() if k not in volatile}
                                for a in task["annotations"]]
        out.append(clean)
    return sorted(out, key=lambda t: orjson.dumps(t["data"], option=orjson.OPT_SORT_KEYS))


class TestRoundTrip:
    @pytest.mark.parametrize("fmt", ["json", "jsonl"])
    def test_export_import_export_is_equal(self, client: TestClient,
                                           labelled: tuple[int, list[int]], fmt: str) -> None:
        pid, _ = labelled
        first, _ = _export(client, pid, format=fmt)
        copy = f.project(client, "Copy")["id"]
        response = client.post(f"/api/projects/{copy}/imports",
                               params={"filename": f"export.{fmt}"}, content=first)
        assert response.status_code == 201, response.text
        assert response.json()["imported"] == 5
        second, _ = _export(client, copy, format=fmt)
        before, after = _parse(fmt, first), _parse(fmt, second)
        assert _comparable(after) == _comparable(before)
        assert client.get(f"/api/projects/{copy}").json()["completed_count"] == 3

    def test_text_offsets_survive(self, client: TestClient) -> None:
        pid = f.project(client, template="named_entities")["id"]
        text = "\U0001f4a9This is an annotation. \U0001f468\U0001f3fb\u200d\U0001f692 e\u0301"
        f.import_rows(client, pid, [{"text": text}])
        (task_id,) = f.task_ids(client, pid)
        span = {"id": "s1", "control": "entities", "object": "text", "type": "span",
                "value": {"start": 12, "end": 22, "text": "annotation", "labels": ["PER"]}}
        assert client.post(f"/api/tasks/{task_id}/annotations",
                           json={"result": [span]}).status_code == 201
        body, _ = _export(client, pid, format="json")
        copy = f.project(client, "Copy", template="named_entities")["id"]
        client.post(f"/api/projects/{copy}/imports", params={"filename": "e.json"}, content=body)
        (exported,) = orjson.loads(_export(client, copy, format="json")[0])
        value = exported["annotations"][0]["result"][0]["value"]
        assert exported["data"]["text"] == text
        assert text[value["start"]:value["end"]] == "annotation"


class TestLabelStudioShape:
    """Field by field against Label Studio's documented JSON (docs: formats.md)."""

    def _one(self, client: TestClient, pid: int) -> dict[str, Any]:
        body, report = _export(client, pid, format="labelstudio")
        assert report["skipped"] == []
        (task,) = orjson.loads(body)
        assert {"id", "data", "annotations", "predictions"} <= set(task)
        return dict(task)

    def _annotation(self, task: dict[str, Any]) -> dict[str, Any]:
        (annotation,) = task["annotations"]
        assert {"id", "result", "was_cancelled", "lead_time", "created_at",
                "completed_by"} <= set(annotation)
        assert annotation["was_cancelled"] is False
        for item in annotation["result"]:
            assert {"id", "from_name", "to_name", "type", "value"} <= set(item)
        return dict(annotation)

    def test_choices(self, client: TestClient) -> None:
        pid = f.project(client)["id"]
        (task_id,) = f.import_texts(client, pid, 1)
        f.submit(client, task_id, "Negative", lead_time=3.5)
        task = self._one(client, pid)
        assert task["data"] == {"text": "text number 0"}
        annotation = self._annotation(task)
        assert annotation["lead_time"] == 3.5
        (item,) = annotation["result"]
        assert (item["from_name"], item["to_name"], item["type"]) == ("sentiment", "text",
                                                                      "choices")
        assert item["value"] == {"choices": ["Negative"]}

    def test_span_offsets_are_code_points(self, client: TestClient) -> None:
        pid = f.project(client, template="named_entities")["id"]
        f.import_rows(client, pid, [{"text": "\U0001f4a9This is an annotation."}])
        (task_id,) = f.task_ids(client, pid)
        span = {"id": "s1", "control": "entities", "object": "text", "type": "span",
                "value": {"start": 12, "end": 22, "text": "annotation", "labels": ["ORG"]}}
        assert client.post(f"/api/tasks/{task_id}/annotations",
                           json={"result": [span]}).status_code == 201
        (item,) = self._annotation(self._one(client, pid))["result"]
        assert (item["from_name"], item["to_name"], item["type"]) == ("entities", "text",
                                                                      "labels")
        assert item["value"] == {"start": 12, "end": 22, "text": "annotation",
                                 "labels": ["ORG"]}

    def test_rectangle_in_percent(self, client: TestClient) -> None:
        pid = f.project(client, template="object_detection")["id"]
        response = client.post(f"/api/projects/{pid}/imports",
                               files=[("files", ("a.png", f.png_bytes(200, 100), "image/png"))])
        assert response.status_code == 201
        (task_id,) = f.task_ids(client, pid)
        box = {"id": "b1", "control": "objects", "object": "image", "type": "box",
               "value": {"x": 20, "y": 10, "width": 50, "height": 25, "labels": ["Car"]}}
        assert client.post(f"/api/tasks/{task_id}/annotations",
                           json={"result": [box]}).status_code == 201
        assert client.post(f"/api/tasks/{task_id}/predictions", json=[
            {"result": [box], "model_version": "det", "score": 0.9}]).status_code == 201
        task = self._one(client, pid)
        (item,) = self._annotation(task)["result"]
        assert (item["from_name"], item["to_name"], item["type"]) == ("objects", "image",
                                                                      "rectanglelabels")
        assert (item["original_width"], item["original_height"]) == (200, 100)
        value = item["value"]
        assert value.pop("rectanglelabels") == ["Car"]
        assert value == pytest.approx({"x": 10.0, "y": 10.0, "width": 25.0, "height": 25.0,
                                       "rotation": 0.0})
        (prediction,) = task["predictions"]
        assert (prediction["model_version"], prediction["score"]) == ("det", 0.9)
        assert prediction["result"][0]["type"] == "rectanglelabels"

    def test_import_of_our_labelstudio_export(self, client: TestClient) -> None:
        pid = _one_boxed_image(client)
        body, _ = _export(client, pid, format="labelstudio")
        copy = f.project(client, "Copy", template="object_detection")["id"]
        response = client.post(f"/api/projects/{copy}/imports",
                               params={"filename": "ls.json"}, content=body)
        assert response.status_code == 201, response.text
        (copied,) = f.task_ids(client, copy)
        (annotation,) = client.get(f"/api/tasks/{copied}/annotations").json()
        value = annotation["result"][0]["value"]
        assert (value["x"], value["y"], value["width"], value["height"]) == pytest.approx(
            (20, 10, 50, 25))


def _one_boxed_image(client: TestClient) -> int:
    """A detection project: one 200x100 image with a submitted box at (20, 10, 50, 25)."""
    pid = int(f.project(client, template="object_detection")["id"])
    client.post(f"/api/projects/{pid}/imports",
                files=[("files", ("a.png", f.png_bytes(200, 100), "image/png"))])
    (task_id,) = f.task_ids(client, pid)
    box = {"id": "b1", "control": "objects", "object": "image", "type": "box",
           "value": {"x": 20, "y": 10, "width": 50, "height": 25, "labels": ["Car"]}}
    reply = client.post(f"/api/tasks/{task_id}/annotations", json={"result": [box]})
    assert reply.status_code == 201, reply.text
    return pid


class TestCsv:
    FORMULAS = ["=1+1", "+cmd|' /C calc'!A0", "-2+3", "@SUM(A1)", "\tinjected", "\rinjected"]

    def test_formula_cells_are_escaped(self, client: TestClient) -> None:
        pid = f.project(client)["id"]
        f.import_rows(client, pid, [{"text": t} for t in [*self.FORMULAS, "safe text"]])
        body, _ = _export(client, pid, format="csv")
        cells = [row["text"] for row in _parse("csv", body)]
        assert cells[-1] == "safe text"
        for original, cell in zip(self.FORMULAS, cells, strict=False):
            assert cell == "'" + original

    def test_answers_are_columns(self, client: TestClient,
                                 labelled: tuple[int, list[int]]) -> None:
        pid, ids = labelled
        rows = _parse("csv", _export(client, pid, format="csv")[0])
        assert [r["sentiment"] for r in rows] == ["Positive", "Negative", "Mixed", "", ""]
        assert [int(r["id"]) for r in rows] == ids

    def test_boxes_are_a_json_column(self, client: TestClient) -> None:
        pid = _one_boxed_image(client)
        body, report = _export(client, pid, format="csv")
        (row,) = _parse("csv", body)
        (box,) = orjson.loads(row["objects"])
        assert box["value"] == {"x": 20, "y": 10, "width": 50, "height": 25, "rotation": 0,
                                "labels": ["Car"]}
        assert report["skipped"] == []
