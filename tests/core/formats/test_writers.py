"""Export formats: registry, native round trip, CSV escaping, Label Studio JSON."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from typing import Any

import orjson
import pytest

from postil.core.errors import InvalidError
from postil.core.formats import ExportContext, get_format, list_formats
from postil.core.formats.csv_cells import escape_cell
from postil.core.formats.readers import read_tasks
from postil.core.records import ExportAnnotation, ExportTask, PredictionRecord, TaskRecord

SCHEMA: dict[str, Any] = {
    "objects": [
        {"name": "image", "type": "image"},
        {"name": "caption", "type": "text", "value": "caption_text"},
    ],
    "controls": [
        {
            "name": "animal",
            "type": "choices",
            "to": ["image"],
            "labels": ["Cat", "Dog"],
            "multiple": True,
        },
        {"name": "quality", "type": "rating", "to": ["image"]},
        {"name": "boxes", "type": "box", "to": ["image"], "labels": ["Cat"]},
        {"name": "ner", "type": "span", "to": ["caption"], "labels": ["PER"]},
    ],
}
CONTEXT = ExportContext(schema=SCHEMA)


def result(rid: str, control: str, obj: str, kind: str, value: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": rid,
        "control": control,
        "object": obj,
        "type": kind,
        "value": value,
        "score": None,
        "parent_id": None,
    }


def make_task(task_id: int, caption: str = "caption \U0001f600 Bob") -> ExportTask:
    box = result(
        "b1",
        "boxes",
        "image",
        "box",
        {"x": 64.0, "y": 48.0, "width": 32.0, "height": 24.0, "rotation": 0.0, "labels": ["Cat"]},
    )
    span = result(
        "s1", "ner", "caption", "span", {"start": 10, "end": 13, "text": "Bob", "labels": ["PER"]}
    )
    choice = result("c1", "animal", "image", "choices", {"choices": ["Cat", "Dog"]})
    return ExportTask(
        id=task_id,
        external_id=f"ext-{task_id}" if task_id % 2 else None,
        data={"image": f"https://x.test/{task_id}.png", "caption_text": caption},
        meta={"media": {"image": {"width": 640, "height": 480}}},
        created_at="2024-01-01",
        annotations=[
            ExportAnnotation(
                10 + task_id, [box, span, choice], "alice", 3.5, "2024-01-02", "2024-01-03", 1
            )
        ],
        predictions=[PredictionRecord([box], "yolo-v8", 0.75)],
    )


def export(name: str, tasks: list[ExportTask]) -> tuple[bytes, Any]:
    out = io.BytesIO()
    report = get_format(name).write(iter(tasks), out, CONTEXT)
    return out.getvalue(), report


def stored(records: list[TaskRecord], like: list[ExportTask]) -> list[ExportTask]:
    """What storage would hand back after importing `records` (ids and timestamps kept)."""
    return [
        ExportTask(
            id=old.id,
            external_id=new.external_id,
            data=new.data,
            meta=new.meta,
            created_at=old.created_at,
            annotations=[
                ExportAnnotation(
                    o.id,
                    a.result,
                    a.completed_by,
                    a.lead_time,
                    a.created_at,
                    o.updated_at,
                    o.schema_version,
                )
                for a, o in zip(new.annotations, old.annotations, strict=True)
            ],
            predictions=list(new.predictions),
        )
        for new, old in zip(records, like, strict=True)
    ]


def test_registry_lists_builtins_and_rejects_unknown() -> None:
    names = {f.name: f for f in list_formats()}
    assert {"json", "jsonl", "csv", "labelstudio"} <= set(names)
    assert names["csv"].kinds is None  # every kind: flat answers or a JSON array per control
    assert names["json"].media_type == "application/json"
    with pytest.raises(InvalidError):
        get_format("nope")


@pytest.mark.parametrize(("name", "filename"), [("json", "x.json"), ("jsonl", "x.jsonl")])
def test_native_export_import_export_is_byte_equal(name: str, filename: str) -> None:
    tasks = [make_task(i) for i in range(1, 6)]
    first, report = export(name, tasks)
    assert report.exported == 5 and report.skipped == []
    records = list(read_tasks(io.BytesIO(first), filename))
    assert [r.data for r in records] == [t.data for t in tasks]
    assert records[0].annotations[0].result == tasks[0].annotations[0].result
    assert records[0].predictions == tasks[0].predictions
    second, _ = export(name, stored(records, tasks))
    assert second == first


def test_native_json_empty_export_is_valid() -> None:
    data, report = export("json", [])
    assert orjson.loads(data) == [] and report.exported == 0


def test_writers_stream_task_by_task() -> None:
    out = io.BytesIO()
    sizes: list[int] = []

    def tasks() -> Iterator[ExportTask]:
        for i in range(1, 4):
            sizes.append(out.tell())
            yield make_task(i)

    get_format("jsonl").write(tasks(), out, CONTEXT)
    assert sizes[0] < sizes[1] < sizes[2]


def _csv_rows(data: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(data.decode())))


def test_csv_escapes_formula_cells() -> None:
    assert escape_cell("=1+1") == "'=1+1" and escape_cell("plain") == "plain"
    evil = ExportTask(
        id=1,
        external_id="@SUM(A1)",
        data={"image": '=HYPERLINK("x")', "caption_text": "-2+3", "n": -5, "note": "+cmd"},
        annotations=[
            ExportAnnotation(1, [result("c", "animal", "image", "choices", {"choices": ["=Cat"]})])
        ],
    )
    data, _ = export("csv", [evil])
    (row,) = _csv_rows(data)
    assert row["image"] == '\'=HYPERLINK("x")'
    assert row["caption_text"] == "'-2+3" and row["note"] == "'+cmd"
    assert row["external_id"] == "'@SUM(A1)"
    assert row["animal"] == "'=Cat"
    assert row["n"] == "-5"  # numbers are not formulas


def test_csv_majority_multilabel_and_skips() -> None:
    def ann(aid: int, *choices: str) -> ExportAnnotation:
        return ExportAnnotation(
            aid,
            [
                result(f"c{aid}", "animal", "image", "choices", {"choices": list(choices)}),
                result(f"q{aid}", "quality", "image", "rating", {"rating": aid}),
            ],
        )

    task = ExportTask(
        id=7,
        external_id=None,
        data={"image": "a.png", "caption_text": "c", "tags": ["x"]},
        annotations=[ann(1, "Dog"), ann(2, "Cat", "Dog"), ann(3, "Cat", "Dog")],
    )
    later = ExportTask(id=8, external_id=None, data={"image": "b.png", "extra": 1})
    data, report = export("csv", [task, later])
    header = data.splitlines()[0].decode()
    assert header == "id,external_id,image,caption_text,tags,animal,quality,boxes,ner"
    first, second = _csv_rows(data)
    assert first["animal"] == "Cat|Dog" and first["quality"] == "1"
    assert first["tags"] == "" and second["animal"] == ""
    assert report.exported == 2
    assert [
        (s["task_id"], "tags" in s["reason"] or "extra" in s["reason"]) for s in report.skipped
    ] == [(7, True), (8, True)]


def test_labelstudio_export_fields() -> None:
    data, report = export("labelstudio", [make_task(1)])
    assert report.skipped == []
    (task,) = orjson.loads(data)
    assert task["id"] == 1 and task["data"]["caption_text"].startswith("caption")
    assert task["meta"]["external_id"] == "ext-1"
    annotation = task["annotations"][0]
    assert {"id", "result", "lead_time", "created_at", "updated_at", "was_cancelled"} <= set(
        annotation
    )
    box, span, choice = annotation["result"]
    assert box["type"] == "rectanglelabels" and box["original_width"] == 640
    assert box["value"] == {
        "x": 10.0,
        "y": 10.0,
        "width": 5.0,
        "height": 5.0,
        "rotation": 0.0,
        "rectanglelabels": ["Cat"],
    }
    assert span["type"] == "labels" and span["to_name"] == "caption"
    assert span["value"] == {"start": 10, "end": 13, "text": "Bob", "labels": ["PER"]}
    assert choice["value"] == {"choices": ["Cat", "Dog"]}
    prediction = task["predictions"][0]
    assert prediction["model_version"] == "yolo-v8" and prediction["score"] == 0.75
    assert prediction["result"][0]["value"]["x"] == 10.0


def test_labelstudio_export_reimports_to_the_same_results() -> None:
    tasks = [make_task(1), make_task(2)]
    data, _ = export("labelstudio", tasks)
    records = list(read_tasks(io.BytesIO(data), "ls.json"))
    for record, task in zip(records, tasks, strict=True):
        assert record.external_id == str(task.id)
        assert record.annotations[0].result == task.annotations[0].result
        assert record.annotations[0].completed_by == "alice"
        assert record.predictions[0].result == task.predictions[0].result


def test_labelstudio_export_reports_what_it_drops() -> None:
    task = make_task(1)
    task = ExportTask(id=3, external_id=None, data=task.data, meta={}, annotations=task.annotations)
    _, report = export("labelstudio", [task])
    assert report.exported == 1
    assert [s["task_id"] for s in report.skipped] == [3]
    assert "size unknown" in report.skipped[0]["reason"]
