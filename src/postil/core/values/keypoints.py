"""Keypoints: one instance of named points, names from the skeleton, COCO visibility."""

from __future__ import annotations

from typing import Any

from postil.core.geometry.keypoints import VISIBILITY
from postil.core.values.check import Loc, ResultCheck


def _point(raw: Any, path: Loc, check: ResultCheck, names: set[str] | None) -> dict[str, Any]:
    if not isinstance(raw, dict):
        check.problem(path, "a keypoint must be an object with name, x, y, visible")
        return {}
    for key in raw:
        if key not in ("name", "x", "y", "visible"):
            check.problem([*path, key], f"unexpected key {key!r} in a keypoint")
    name = raw.get("name")
    if not isinstance(name, str) or not name:
        check.problem([*path, "name"], "a keypoint needs a name")
    elif names is not None and name not in names:
        check.problem([*path, "name"], f"{name!r} is not a point of the skeleton")
    x, y = check.number(raw, "x", path=path), check.number(raw, "y", path=path)
    visible = check.whole(raw, "visible", default=2, path=path)
    if visible is not None and visible not in VISIBILITY:
        check.problem([*path, "visible"], f"visible must be 0, 1 or 2, got {visible}")
    if x is not None and y is not None and visible:
        check.point_inside(x, y, path)
    return {"name": name, "x": x, "y": y, "visible": visible}


def validate(value: dict[str, Any], check: ResultCheck) -> dict[str, Any]:
    check.only_keys(value, {"points", "labels"})
    labels = check.labels(value)
    raw = value.get("points")
    if not isinstance(raw, list) or not raw:
        check.problem(["points"], "points must be a non-empty list of keypoints")
        return value
    skeleton = check.control.skeleton
    names = set(skeleton.points) if skeleton else None
    points = [_point(p, ["points", i], check, names) for i, p in enumerate(raw)]
    seen: set[str] = set()
    for index, point in enumerate(points):
        name = point.get("name")
        if isinstance(name, str) and name in seen:
            check.problem(["points", index, "name"], f"keypoint {name!r} is given twice")
        seen.add(str(name))
    return {"points": points, "labels": labels}
