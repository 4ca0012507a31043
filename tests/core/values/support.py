"""A schema document with every control kind, and helpers to build and check results."""

from __future__ import annotations

from typing import Any

import pytest

from postil.core.errors import InvalidError
from postil.core.schema import Schema
from postil.core.values import ObjectContext, validate_results

DOC: dict[str, Any] = {
    "objects": [
        {"name": "image", "type": "image"},
        {"name": "text", "type": "text"},
        {"name": "audio", "type": "audio"},
        {"name": "video", "type": "video"},
    ],
    "controls": [
        {
            "name": "animal",
            "type": "choices",
            "to": "image",
            "labels": ["Cat", {"value": "Dog", "aliases": ["doggo"]}],
        },
        {
            "name": "tags",
            "type": "choices",
            "to": ["image", "text"],
            "multiple": True,
            "labels": ["A", "B", "C"],
        },
        {"name": "stars", "type": "rating", "to": "image", "max": 4},
        {"name": "count", "type": "number", "to": "image", "min": 0, "max": 10, "step": 0.5},
        {"name": "note", "type": "textarea", "to": "text", "max_length": 10},
        {"name": "transcript", "type": "textarea", "to": "audio", "per_region": True},
        {
            "name": "topic",
            "type": "taxonomy",
            "to": "text",
            "taxonomy": [{"value": "Science", "children": ["Physics", "Biology"]}, "Art"],
        },
        {
            "name": "boxes",
            "type": "box",
            "to": "image",
            "labels": ["Car", "Person"],
            "rotation": True,
        },
        {"name": "flat", "type": "box", "to": "image", "labels": ["Car"]},
        {"name": "outline", "type": "polygon", "to": "image", "labels": ["Road"], "holes": True},
        {"name": "solid", "type": "polygon", "to": "image", "labels": ["Road"]},
        {"name": "lane", "type": "polyline", "to": "image", "labels": ["Lane"]},
        {
            "name": "pose",
            "type": "keypoints",
            "to": "image",
            "labels": ["Person"],
            "skeleton": {"points": ["nose", "left_eye", "right_eye"], "edges": [[0, 1], [0, 2]]},
        },
        {"name": "paint", "type": "mask", "to": "image", "labels": ["Sky"]},
        {"name": "ner", "type": "span", "to": "text", "labels": ["PER", "ORG"]},
        {
            "name": "rel",
            "type": "relation",
            "to": ["ner"],
            "labels": ["works_for"],
            "directions": ["right", "bi"],
        },
        {"name": "speaker", "type": "segment", "to": ["audio", "video"], "labels": ["S1", "S2"]},
        {"name": "track", "type": "track", "to": "video", "labels": ["Car"]},
    ],
}

TEXT = "💩This is an annotation."
CONTEXT = {
    "image": ObjectContext(width=100, height=50),
    "text": ObjectContext(text=TEXT),
    "audio": ObjectContext(duration=10.0),
    "video": ObjectContext(width=640, height=480, duration=4.0, frames=100),
}


def result(control: str, value: dict[str, Any], rid: str = "r1", **extra: Any) -> dict[str, Any]:
    """A result for `control`, with the type and first object of that control."""
    spec = next(c for c in DOC["controls"] if c["name"] == control)
    to = spec["to"] if isinstance(spec["to"], str) else spec["to"][0]
    item = {"id": rid, "control": control, "object": to, "type": spec["type"], "value": value}
    if spec["type"] == "relation":
        del item["object"]
    item.update(extra)
    return item


def valid(schema: Schema, *results: dict[str, Any], **kwargs: Any) -> list[dict[str, Any]]:
    return validate_results(schema, list(results), CONTEXT, **kwargs)


def problems(
    schema: Schema, *results: dict[str, Any], context: Any = None, **kwargs: Any
) -> list[dict[str, Any]]:
    with pytest.raises(InvalidError) as info:
        validate_results(schema, list(results), CONTEXT if context is None else context, **kwargs)
    return info.value.errors


def locs(errors: list[dict[str, Any]]) -> list[list[Any]]:
    return [e["loc"] for e in errors]
