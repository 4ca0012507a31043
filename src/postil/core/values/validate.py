"""Validate and normalize the results of one annotation or prediction against a schema."""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator
from typing import Any

from postil.core.errors import InvalidError
from postil.core.schema.model import ControlSpec, Schema
from postil.core.values import (
    box,
    choices,
    keypoints,
    mask,
    number,
    polygon,
    polyline,
    rating,
    relation,
    segment,
    span,
    taxonomy,
    textarea,
    track,
)
from postil.core.values.check import Loc, ResultCheck
from postil.core.values.context import UNKNOWN, ObjectContext

ValueValidator = Callable[[dict[str, Any], ResultCheck], dict[str, Any]]

VALIDATORS: dict[str, ValueValidator] = {
    "choices": choices.validate,
    "rating": rating.validate,
    "number": number.validate,
    "textarea": textarea.validate,
    "taxonomy": taxonomy.validate,
    "box": box.validate,
    "polygon": polygon.validate,
    "polyline": polyline.validate,
    "keypoints": keypoints.validate,
    "mask": mask.validate,
    "span": span.validate,
    "relation": relation.validate,
    "segment": segment.validate,
    "track": track.validate,
}

RESULT_KEYS = ("id", "control", "object", "type", "value", "score", "parent_id")
MAX_RESULTS = 50_000
MAX_ID = 128


def _non_finite(node: Any, loc: Loc) -> Iterator[Loc]:
    """Locations of NaN or infinite numbers anywhere inside `node`."""
    stack: list[tuple[Any, Loc]] = [(node, loc)]
    while stack:
        item, where = stack.pop()
        if isinstance(item, float) and not math.isfinite(item):
            yield where
        elif isinstance(item, dict):
            stack.extend((v, [*where, str(k)]) for k, v in item.items())
        elif isinstance(item, list | tuple):
            stack.extend((v, [*where, i]) for i, v in enumerate(item))


def _envelope(
    result: dict[str, Any], loc: Loc, schema: Schema, ids: dict[str, dict[str, Any]]
) -> tuple[list[dict[str, Any]], ControlSpec | None]:
    """Problems of the parts around the value: keys, control, type, object, score, parent."""
    problems: list[dict[str, Any]] = []

    def add(key: str, msg: str) -> None:
        problems.append({"loc": [*loc, key], "msg": msg})

    for key in result:
        if key not in RESULT_KEYS:
            add(key, f"unexpected key {key!r} in a result")
    name = result.get("control")
    control = schema.control(name) if isinstance(name, str) else None
    if control is None:
        add("control", f"{result.get('control')!r} is not a control of the schema")
    elif result.get("type") != control.type:
        add("type", f"type must be {control.type!r} for control {control.name!r}")
    obj = result.get("object")
    if control is not None and control.type != "relation" and obj not in control.to:
        add("object", f"{obj!r} is not an object labelled by control {control.name!r}")
    is_relation = control is not None and control.type == "relation"
    if is_relation and obj is not None and (not isinstance(obj, str) or not schema.object(obj)):
        add("object", f"{obj!r} is not an object of the schema")
    if not isinstance(result.get("value"), dict):
        add("value", "value must be an object")
    score = result.get("score")
    if score is not None and (isinstance(score, bool) or not isinstance(score, int | float)):
        add("score", "score must be a finite number")
    parent = result.get("parent_id")
    if parent is not None and (parent == result.get("id") or parent not in ids):
        add("parent_id", f"parent_id {parent!r} is not the id of another result")
    ok = not problems
    return problems, control if ok else None


def _ids(results: list[Any]) -> tuple[list[dict[str, Any]], dict[str, dict[str, Any]]]:
    problems: list[dict[str, Any]] = []
    by_id: dict[str, dict[str, Any]] = {}
    for index, result in enumerate(results):
        if not isinstance(result, dict):
            problems.append({"loc": ["result", index], "msg": "a result must be an object"})
            continue
        rid = result.get("id")
        if not isinstance(rid, str) or not rid or len(rid) > MAX_ID:
            msg = f"id must be a non-empty string of at most {MAX_ID} characters"
            problems.append({"loc": ["result", index, "id"], "msg": msg})
        elif rid in by_id:
            problems.append({"loc": ["result", index, "id"], "msg": f"duplicate id {rid!r}"})
        else:
            by_id[rid] = result
    return problems, by_id


def _required(schema: Schema, results: list[Any]) -> list[dict[str, Any]]:
    present = {r.get("control") for r in results if isinstance(r, dict)}
    return [
        {"loc": ["result"], "msg": f"required control {c.name!r} has no result"}
        for c in schema.controls
        if c.required and c.name not in present
    ]


def validate_results(
    schema: Schema,
    results: list[dict[str, Any]],
    context: dict[str, ObjectContext],
    *,
    require_all: bool = False,
) -> list[dict[str, Any]]:
    """Normalized copies of `results`, or one InvalidError listing every problem found."""
    if not isinstance(results, list):
        raise InvalidError("results must be a list", [{"loc": ["result"], "msg": "not a list"}])
    if len(results) > MAX_RESULTS:
        raise InvalidError(f"an annotation may hold at most {MAX_RESULTS} results")
    problems, by_id = _ids(results)
    normalized: list[dict[str, Any]] = []
    for index, result in enumerate(results):
        if not isinstance(result, dict):
            continue
        loc: Loc = ["result", index]
        bad = [
            {"loc": where, "msg": "NaN and infinite numbers are not allowed"}
            for where in _non_finite(result, loc)
        ]
        envelope, control = _envelope(result, loc, schema, by_id)
        problems += bad + envelope
        if bad or control is None:
            continue
        obj = result.get("object")
        ctx = context.get(obj, UNKNOWN) if isinstance(obj, str) else UNKNOWN
        check = ResultCheck(schema, control, ctx, result, by_id, loc)
        value = VALIDATORS[control.type](result["value"], check)
        problems += check.problems
        normalized.append(
            {
                "id": result.get("id"),
                "control": control.name,
                "object": obj,
                "type": control.type,
                "value": value,
                "score": result.get("score"),
                "parent_id": result.get("parent_id"),
            }
        )
    if require_all:
        problems += _required(schema, results)
    if problems:
        raise InvalidError(f"{len(problems)} problem(s) in the results", problems)
    return normalized
