"""CSV export: every control of every template is a column that carries its results."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

import pytest

from postil.core.formats import ExportContext, get_format
from postil.core.records import ExportAnnotation, ExportTask, PredictionRecord
from postil.core.schema import parse_schema
from postil.core.schema.templates import get_template, list_templates
from postil.core.values import ObjectContext
from postil.core.values.validate import validate_results


def r(rid: str, control: str, obj: str | None, kind: str, value: dict[str, Any],
      parent: str | None = None) -> dict[str, Any]:
    out = {"id": rid, "control": control, "object": obj, "type": kind, "value": value}
    return {**out, "parent_id": parent} if parent else out


IMAGE = ObjectContext(width=100, height=80)
# Per template: the task's data, what is known of its objects, one annotation with a result
# of every control, and the cells expected for the controls' columns, written out.
CASES: dict[str, dict[str, Any]] = {
    "audio_segmentation_transcripts": {
        "data": {"audio": "a.wav"}, "context": {"audio": ObjectContext(duration=2.0)},
        "results": [
            r("s1", "speaker", "audio", "segment", {"start": 0.5, "end": 1.25,
                                                   "labels": ["Speaker 1"]}),
            r("t1", "transcript", "audio", "textarea", {"text": ["héllo, there"]}, "s1"),
        ],
        "cells": {
            "speaker": [{"id": "s1", "annotation": 1, "value": {
                "start": 0.5, "end": 1.25, "labels": ["Speaker 1"]}}],
            "transcript": [{"id": "t1", "annotation": 1, "region": "s1",
                            "value": {"text": ["héllo, there"]}}],
        },
    },
    "face_landmarks": {
        "data": {"image": "f.png"}, "context": {"image": IMAGE},
        "results": [r("k1", "landmarks", "image", "keypoints", {
            "points": [{"name": "jaw_1", "x": 10, "y": 20, "visible": 2},
                       {"name": "jaw_2", "x": 12.5, "y": 24, "visible": 1}],
            "labels": ["Face"]})],
        "cells": {"landmarks": [{"id": "k1", "annotation": 1, "value": {
            "points": [{"name": "jaw_1", "x": 10, "y": 20, "visible": 2},
                       {"name": "jaw_2", "x": 12.5, "y": 24, "visible": 1}],
            "labels": ["Face"]}}]},
    },
    "human_pose": {
        "data": {"image": "p.png"}, "context": {"image": IMAGE},
        "results": [r("k1", "pose", "image", "keypoints", {
            "points": [{"name": "nose", "x": 50, "y": 40}], "labels": ["Person"]})],
        "cells": {"pose": [{"id": "k1", "annotation": 1, "value": {
            "points": [{"name": "nose", "x": 50, "y": 40, "visible": 2}],
            "labels": ["Person"]}}]},
    },
    "image_classification": {
        "data": {"image": "c.png"}, "context": {"image": IMAGE},
        "results": [r("c1", "class", "image", "choices", {"choices": ["Dog"]})],
        "cells": {"class": "Dog"},
    },
    "instance_segmentation": {
        "data": {"image": "s.png"}, "context": {"image": IMAGE},
        "results": [
            r("p1", "outline", "image", "polygon", {"points": [[10, 10], [50, 10], [30, 40]],
                                                    "labels": ["Person"]}),
            r("m1", "brush", "image", "mask", {"rle": {"size": [80, 100],
                                                       "counts": [100, 20, 7880]},
                                               "labels": ["Vehicle mask"]}),
        ],
        "cells": {
            "outline": [{"id": "p1", "annotation": 1, "value": {
                "points": [[10, 10], [50, 10], [30, 40]], "labels": ["Person"]}}],
            "brush": [{"id": "m1", "annotation": 1, "value": {
                "rle": {"size": [80, 100], "counts": [100, 20, 7880]},
                "labels": ["Vehicle mask"]}}],
        },
    },
    "named_entities": {
        "data": {"text": "Ada lives in Paris 😀"},
        "context": {"text": ObjectContext(text="Ada lives in Paris 😀")},
        "results": [
            r("e1", "entities", "text", "span", {"start": 0, "end": 3, "text": "Ada",
                                                 "labels": ["PER"]}),
            r("e2", "entities", "text", "span", {"start": 13, "end": 18, "text": "Paris",
                                                 "labels": ["LOC"]}),
        ],
        "cells": {"entities": [
            {"id": "e1", "annotation": 1, "value": {"start": 0, "end": 3, "text": "Ada",
                                                    "labels": ["PER"]}},
            {"id": "e2", "annotation": 1, "value": {"start": 13, "end": 18, "text": "Paris",
                                                    "labels": ["LOC"]}}]},
    },
    "object_detection": {
        "data": {"image": "d.png"}, "context": {"image": IMAGE},
        "results": [r("b1", "objects", "image", "box", {"x": 10, "y": 5, "width": 20,
                                                        "height": 15, "labels": ["Car"]})],
        "cells": {"objects": [{"id": "b1", "annotation": 1, "value": {
            "x": 10, "y": 5, "width": 20, "height": 15, "rotation": 0, "labels": ["Car"]}}]},
    },
    "relation_extraction": {
        "data": {"text": "Ada works for Acme"},
        "context": {"text": ObjectContext(text="Ada works for Acme")},
        "results": [
            r("e1", "entities", "text", "span", {"start": 0, "end": 3, "text": "Ada",
                                                 "labels": ["Person"]}),
            r("e2", "entities", "text", "span", {"start": 14, "end": 18, "text": "Acme",
                                                 "labels": ["Organization"]}),
            r("r1", "relations", None, "relation", {"from_id": "e1", "to_id": "e2",
                                                    "labels": ["works_for"]}),
        ],
        "cells": {
            "entities": [
                {"id": "e1", "annotation": 1, "value": {"start": 0, "end": 3, "text": "Ada",
                                                        "labels": ["Person"]}},
                {"id": "e2", "annotation": 1, "value": {"start": 14, "end": 18, "text": "Acme",
                                                        "labels": ["Organization"]}}],
            "relations": [{"id": "r1", "annotation": 1, "value": {
                "from_id": "e1", "to_id": "e2", "direction": "right", "labels": ["works_for"]}}],
        },
    },
    "sentiment": {
        "data": {"text": "Great!"}, "context": {"text": ObjectContext(text="Great!")},
        "results": [r("c1", "sentiment", "text", "choices", {"choices": ["Mixed"]})],
        "cells": {"sentiment": "Mixed"},
    },
    "spam_filtering": {
        "data": {"message": "Win!"}, "context": {"message": ObjectContext(text="Win!")},
        "results": [r("c1", "verdict", "message", "choices", {"choices": ["Spam"]}),
                    r("c2", "confidence", "message", "rating", {"rating": 4})],
        "cells": {"verdict": "Spam", "confidence": "4"},
    },
    "text_classification": {
        "data": {"text": "Vote and match"}, "context": {"text": ObjectContext(text="x")},
        "results": [r("c1", "topic", "text", "choices", {"choices": ["Politics", "Sports"]})],
        "cells": {"topic": "Politics|Sports"},
    },
    "video_object_tracking": {
        "data": {"video": "v.mp4"},
        "context": {"video": ObjectContext(width=64, height=48, frames=10)},
        "results": [r("t1", "tracks", "video", "track", {"keyframes": [
            {"frame": 0, "x": 1, "y": 2, "width": 10, "height": 20},
            {"frame": 5, "x": 3, "y": 4, "width": 10, "height": 20, "enabled": False}],
            "labels": ["Car"]})],
        "cells": {"tracks": [{"id": "t1", "annotation": 1, "value": {"keyframes": [
            {"frame": 0, "x": 1, "y": 2, "width": 10, "height": 20, "rotation": 0,
             "enabled": True},
            {"frame": 5, "x": 3, "y": 4, "width": 10, "height": 20, "rotation": 0,
             "enabled": False}], "labels": ["Car"]}}]},
    },
    "voice_command_classification": {
        "data": {"audio": "c.wav"}, "context": {"audio": ObjectContext(duration=1.0)},
        "results": [r("c1", "command", "audio", "choices", {"choices": ["Stop"]})],
        "cells": {"command": "Stop"},
    },
}


def _rows(schema: dict[str, Any], tasks: list[ExportTask]) -> tuple[list[dict[str, str]], Any]:
    out = io.BytesIO()
    report = get_format("csv").write(tasks, out, ExportContext(schema=schema))
    return list(csv.DictReader(io.StringIO(out.getvalue().decode("utf-8")))), report


def _read(cell: str) -> Any:
    """A JSON cell parsed (numbers compare by value: 10 == 10.0), a flat one as it is."""
    return json.loads(cell) if cell.startswith("[") else cell


def test_every_template_has_a_case() -> None:
    assert sorted(t.name for t in list_templates()) == sorted(CASES)


@pytest.mark.parametrize("name", sorted(CASES))
def test_every_control_of_a_template_is_a_column_carrying_its_results(name: str) -> None:
    case = CASES[name]
    schema = parse_schema(get_template(name))
    stored = validate_results(schema, case["results"], case["context"], require_all=True)
    task = ExportTask(id=7, external_id="ext-7", data=case["data"],
                      annotations=[ExportAnnotation(1, stored)])
    (row,), report = _rows(schema.to_dict(), [task])
    controls = [c.name for c in schema.controls]
    assert list(row) == ["id", "external_id", *case["data"], *controls]
    assert {c: _read(row[c]) for c in controls} == case["cells"]
    assert (row["id"], row["external_id"]) == ("7", "ext-7")
    assert report.exported == 1 and report.skipped == []


SCHEMA: dict[str, Any] = {
    "objects": [{"name": "image", "type": "image"}],
    "controls": [
        {"name": "kind", "type": "taxonomy", "to": ["image"], "multiple": True,
         "taxonomy": [{"value": "Animal", "children": [{"value": "Cat"}, {"value": "Dog"}]}]},
        {"name": "count", "type": "number", "to": ["image"]},
        {"name": "note", "type": "textarea", "to": ["image"]},
        {"name": "edge", "type": "polyline", "to": ["image"], "labels": ["Road"]},
        {"name": "boxes", "type": "box", "to": ["image"], "rotation": True, "labels": ["Cat"]},
        {"name": "why", "type": "textarea", "to": ["image"], "per_region": True},
    ],
}


def test_two_annotations_majority_for_answers_and_every_region_of_both() -> None:
    schema = parse_schema(SCHEMA)
    context = {"image": IMAGE}

    def annotation(aid: int, count: int, note: str, box_id: str) -> ExportAnnotation:
        results = [
            r("k", "kind", "image", "taxonomy", {"taxonomy": [["Animal", "Cat"],
                                                              ["Animal", "Dog"]]}),
            r("n", "count", "image", "number", {"number": count}),
            r("t", "note", "image", "textarea", {"text": [note, "second line"]}),
            r("l", "edge", "image", "polyline", {"points": [[0, 0], [5, 5]],
                                                 "labels": ["Road"]}),
            r(box_id, "boxes", "image", "box", {"x": 20, "y": 20, "width": 3, "height": 4,
                                                "rotation": 30, "labels": ["Cat"]}),
            r(f"{box_id}w", "why", "image", "textarea", {"text": [f"why {box_id}"]}, box_id),
        ]
        return ExportAnnotation(aid, validate_results(schema, results, context))

    task = ExportTask(id=1, external_id=None, data={"image": "x.png"},
                      annotations=[annotation(10, 3, "fine", "b1"),
                                   annotation(11, 3, "ok", "b2")])
    (row,), report = _rows(schema.to_dict(), [task])
    assert row["kind"] == "Animal/Cat|Animal/Dog"
    assert row["count"] == "3.0"  # numbers are stored as floats
    assert row["note"] == "fine\nsecond line"  # a tie: the first annotation's answer
    assert _read(row["edge"]) == [
        {"id": "l", "annotation": 10, "value": {"points": [[0, 0], [5, 5]], "labels": ["Road"]}},
        {"id": "l", "annotation": 11, "value": {"points": [[0, 0], [5, 5]], "labels": ["Road"]}}]
    box = {"x": 20, "y": 20, "width": 3, "height": 4, "rotation": 30, "labels": ["Cat"]}
    assert _read(row["boxes"]) == [{"id": "b1", "annotation": 10, "value": box},
                                   {"id": "b2", "annotation": 11, "value": box}]
    assert _read(row["why"]) == [
        {"id": "b1w", "annotation": 10, "region": "b1", "value": {"text": ["why b1"]}},
        {"id": "b2w", "annotation": 11, "region": "b2", "value": {"text": ["why b2"]}}]
    assert report.skipped == []


def test_a_task_without_results_has_empty_control_cells() -> None:
    (row,), _ = _rows(SCHEMA, [ExportTask(id=1, external_id=None, data={"image": "x.png"})])
    assert [row[c] for c in ("kind", "count", "note", "edge", "boxes", "why")] == [""] * 6


def test_what_csv_cannot_carry_is_reported_per_task() -> None:
    gone = r("g", "removed_control", "image", "choices", {"choices": ["A"]})
    task = ExportTask(id=4, external_id=None, data={"image": "x.png"},
                      annotations=[ExportAnnotation(1, [gone])],
                      predictions=[PredictionRecord(result=[], model_version="m")])
    (row,), report = _rows(SCHEMA, [task])
    assert report.skipped == [
        {"task_id": 4, "reason": "results of controls not in the schema: removed_control"},
        {"task_id": 4, "reason": "1 prediction(s) left out: CSV carries annotations only"},
    ]


FORMULAS = ["=1+1", "+cmd|' /C calc'!A0", "-2+3", "@SUM(A1)", "\tinjected", "\rinjected"]
TYPED: dict[str, Any] = {
    "objects": [{"name": "text", "type": "text"}],
    "controls": [
        {"name": "note", "type": "textarea", "to": ["text"]},
        {"name": "kind", "type": "taxonomy", "to": ["text"],
         "taxonomy": [{"value": v, "children": [{"value": "=leaf"}]} for v in FORMULAS]},
    ],
}


def test_typed_answers_starting_a_formula_are_quoted() -> None:
    """Free text and taxonomy paths are what annotators type or name: = + - @ tab CR."""
    tasks = [ExportTask(id=i, external_id=None, data={"text": "t"}, annotations=[
        ExportAnnotation(i, [r("n", "note", "text", "textarea", {"text": [formula, "=2"]}),
                             r("k", "kind", "text", "taxonomy",
                               {"taxonomy": [[formula, "=leaf"]]})])])
        for i, formula in enumerate(FORMULAS)]
    rows, _ = _rows(TYPED, tasks)
    assert [row["note"] for row in rows] == [
        "'=1+1\n=2", "'+cmd|' /C calc'!A0\n=2", "'-2+3\n=2", "'@SUM(A1)\n=2",
        "'\tinjected\n=2", "'\rinjected\n=2"]
    assert [row["kind"] for row in rows] == [
        "'=1+1/=leaf", "'+cmd|' /C calc'!A0/=leaf", "'-2+3/=leaf", "'@SUM(A1)/=leaf",
        "'\tinjected/=leaf", "'\rinjected/=leaf"]
