"""Label Studio items -> Postil results, one item (or one keypoint group) at a time."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from postil.core.errors import InvalidError
from postil.core.formats.labelstudio_units import box_to_pixels

Result = dict[str, Any]
Item = dict[str, Any]
Objects = Mapping[str, Mapping[str, Any]]


def original_size(item: Item, objects: Objects) -> tuple[float, float]:
    """Original image/video size in pixels, from the item or else from `objects`."""
    obj = objects.get(item.get("to_name") or "", {})
    width = item.get("original_width") or obj.get("width")
    height = item.get("original_height") or obj.get("height")
    if (
        not isinstance(width, int | float)
        or not isinstance(height, int | float)
        or width <= 0
        or height <= 0
    ):
        raise InvalidError(f"item {item.get('id')!r}: original_width/original_height missing")
    return float(width), float(height)


def ls_labels(value: Item, ls_type: str) -> list[Any]:
    """The label list of a Label Studio value, whatever its key."""
    for key in (ls_type, ls_type + "labels", "labels"):
        if isinstance(value.get(key), list):
            return list(value[key])
    return []


def make_result(item: Item, rid: str, kind: str, value: Item, parent: str | None = None) -> Result:
    """A Postil result in canonical key order."""
    score = item.get("score")
    return {
        "id": rid,
        "control": item.get("from_name"),
        "object": item.get("to_name"),
        "type": kind,
        "value": value,
        "score": float(score) if isinstance(score, int | float) else None,
        "parent_id": parent,
    }


def span_or_segment(item: Item, value: Item, objects: Objects) -> tuple[str, Item]:
    """A `labels` item is a text span or an audio segment, told apart by the object."""
    obj = objects.get(item.get("to_name") or "", {})
    labels = ls_labels(value, "labels")
    if obj.get("type") == "audio" or (obj.get("type") != "text" and "text" not in value):
        out = {"start": value["start"], "end": value["end"]}
        if "channel" in value:
            out["channel"] = value["channel"]
        return "segment", {**out, "labels": labels}
    span = {"start": value["start"], "end": value["end"]}
    if "text" in value:
        span["text"] = value["text"]
    return "span", {**span, "labels": labels}


def region_value(item: Item, kind: str, objects: Objects) -> tuple[str, Item]:
    """Postil type and value of one Label Studio region item."""
    ls_type, value = item["type"], item["value"]
    if kind == "box":
        return kind, {
            **box_to_pixels(value, original_size(item, objects)),
            "labels": ls_labels(value, ls_type),
        }
    if kind == "polygon":
        width, height = original_size(item, objects)
        points = [[x * width / 100, y * height / 100] for x, y in value["points"]]
        kind = "polygon" if value.get("closed", True) else "polyline"
        return kind, {"points": points, "labels": ls_labels(value, ls_type)}
    if kind == "mask":
        if value.get("format", "rle") != "rle":
            raise InvalidError(f"item {item.get('id')!r}: brush format must be rle")
        from postil.core.formats.brush import mask_from_brush_rle, mask_to_coco  # numpy: lazy

        width, height = original_size(item, objects)
        mask = mask_from_brush_rle(value["rle"], int(height), int(width))
        return kind, {"rle": mask_to_coco(mask), "labels": ls_labels(value, ls_type)}
    if kind == "track":
        size = original_size(item, objects)
        keyframes = [
            {"frame": key["frame"], **box_to_pixels(key, size), "enabled": key.get("enabled", True)}
            for key in value["sequence"]
        ]
        return kind, {"keyframes": keyframes, "labels": ls_labels(value, ls_type)}
    return span_or_segment(item, value, objects)


def keypoints_result(rid: str, items: list[Item], objects: Objects) -> Result:
    """One keypoints instance from the point items sharing a parentID."""
    points: list[dict[str, Any]] = []
    labels: list[Any] = []
    for index, item in enumerate(items):
        value = item["value"]
        width, height = original_size(item, objects)
        names = ls_labels(value, item["type"])
        points.append(
            {
                "name": str(names[0]) if names else f"p{index}",
                "x": value["x"] * width / 100,
                "y": value["y"] * height / 100,
                "visible": value.get("visible", 2),
            }
        )
        labels = value.get("instance_labels", labels)
    return make_result(items[0], rid, "keypoints", {"points": points, "labels": list(labels)})


def relation_result(item: Item) -> Result:
    """A Postil relation from a Label Studio relation item."""
    for key in ("from_id", "to_id"):
        if not isinstance(item.get(key), str):
            raise InvalidError(f"relation {key} must be a string")
    value = {
        "from_id": item["from_id"],
        "to_id": item["to_id"],
        "direction": item.get("direction", "right"),
        "labels": item.get("labels") or [],
    }
    rid = item.get("id") or f"{item['from_id']}>{item['to_id']}"
    return make_result(item, str(rid), "relation", value)


def classification_result(item: Item, region_ids: set[str]) -> Result:
    """A classification; with a region's id it becomes a per-region answer."""
    value = dict(item["value"])
    if item["type"] == "textarea" and isinstance(value.get("text"), str):
        value["text"] = [value["text"]]
    rid = str(item["id"])
    if rid in region_ids:
        return make_result(item, f"{rid}-{item.get('from_name')}", item["type"], value, rid)
    return make_result(item, rid, item["type"], value)
