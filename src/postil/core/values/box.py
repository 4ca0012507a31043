"""Box: pixels from the top-left, positive size, optional rotation, inside the image."""

from __future__ import annotations

from typing import Any

from postil.core.geometry.box import Box, is_inside_image
from postil.core.values.check import Loc, ResultCheck

BOX_KEYS = ("x", "y", "width", "height")


def read_box(value: dict[str, Any], check: ResultCheck, path: Loc | None = None) -> Box | None:
    """A Box from value, with every problem (size, rotation, image bounds) recorded."""
    where = path or []
    numbers = [check.number(value, key, path=where) for key in BOX_KEYS]
    rotation = check.number(value, "rotation", default=0.0, path=where)
    if any(n is None for n in numbers) or rotation is None:
        return None
    x, y, width, height = (float(n) for n in numbers if n is not None)
    ok = True
    for key, size in (("width", width), ("height", height)):
        if size <= 0:
            check.problem([*where, key], f"{key} must be positive, got {size}")
            ok = False
    if rotation and not check.control.rotation:
        check.problem([*where, "rotation"], f"control {check.control.name!r} has no rotation")
        ok = False
    box = Box(x, y, width, height, rotation % 360.0 if rotation else 0.0)
    image_w, image_h = check.context.width, check.context.height
    known = image_w is not None and image_h is not None
    if ok and known and not is_inside_image(box, image_w or 0.0, image_h or 0.0):
        check.problem(where, f"the box is outside the {image_w}x{image_h} image")
    return box if ok else None


def validate(value: dict[str, Any], check: ResultCheck) -> dict[str, Any]:
    check.only_keys(value, {*BOX_KEYS, "rotation", "labels"})
    box = read_box(value, check)
    labels = check.labels(value)
    if box is None:
        return value
    return {
        "x": box.x,
        "y": box.y,
        "width": box.width,
        "height": box.height,
        "rotation": box.rotation,
        "labels": labels,
    }
