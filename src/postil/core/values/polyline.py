"""Polyline: an open path of at least 2 distinct points inside the image."""

from __future__ import annotations

from typing import Any

from postil.core.geometry.polygon import polyline_problems
from postil.core.values.check import ResultCheck


def validate(value: dict[str, Any], check: ResultCheck) -> dict[str, Any]:
    check.only_keys(value, {"points", "labels"})
    labels = check.labels(value)
    points = check.point_list(value.get("points"), ["points"])
    if points is None:
        return value
    for msg in polyline_problems(points):
        check.problem(["points"], msg)
    return {"points": points, "labels": labels}
