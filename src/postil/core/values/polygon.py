"""Polygon: at least 3 distinct points, not self-intersecting, holes inside the outline."""

from __future__ import annotations

from typing import Any

from postil.core.geometry.polygon import polygon_problems
from postil.core.values.check import ResultCheck


def validate(value: dict[str, Any], check: ResultCheck) -> dict[str, Any]:
    check.only_keys(value, {"points", "holes", "labels"})
    labels = check.labels(value)
    points = check.point_list(value.get("points"), ["points"])
    raw_holes = value.get("holes", [])
    if raw_holes and not check.control.holes:
        check.problem(["holes"], f"control {check.control.name!r} does not allow holes")
        return value
    if not isinstance(raw_holes, list):
        check.problem(["holes"], "holes must be a list of point lists")
        return value
    holes = [check.point_list(hole, ["holes", i]) for i, hole in enumerate(raw_holes)]
    if points is None or any(hole is None for hole in holes):
        return value
    rings = [hole for hole in holes if hole is not None]
    for sub, msg in polygon_problems(points, rings):
        check.problem(["holes", *sub] if sub else ["points"], msg)
    normal: dict[str, Any] = {"points": points, "labels": labels}
    if rings:
        normal["holes"] = rings
    return normal
