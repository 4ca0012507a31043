"""Mask: a COCO RLE whose size equals the image and whose runs cover every pixel."""

from __future__ import annotations

from typing import Any

from postil.core.errors import InvalidError
from postil.core.geometry.rle import rle_counts
from postil.core.values.check import ResultCheck


def validate(value: dict[str, Any], check: ResultCheck) -> dict[str, Any]:
    check.only_keys(value, {"rle", "labels"})
    labels = check.labels(value)
    rle = value.get("rle")
    if not isinstance(rle, dict) or set(rle) != {"size", "counts"}:
        check.problem(["rle"], "rle must be an object with exactly size and counts")
        return value
    try:
        rle_counts(rle)
    except InvalidError as exc:
        check.problem(["rle"], exc.message)
        return value
    height, width = rle["size"]
    known = (check.context.height, check.context.width)
    if None not in known and [height, width] != list(known):
        check.problem(["rle", "size"], f"size {[height, width]} is not the image's {list(known)}")
    counts = rle["counts"] if isinstance(rle["counts"], str) else list(rle["counts"])
    return {"rle": {"size": [height, width], "counts": counts}, "labels": labels}
