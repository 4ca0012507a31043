"""Postil results <-> Label Studio result items (the only place percent units exist)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from postil.core.errors import InvalidError
from postil.core.formats.labelstudio_items import (
    classification_result,
    keypoints_result,
    make_result,
    region_value,
    relation_result,
)
from postil.core.formats.labelstudio_units import box_to_percent

Result = dict[str, Any]
Item = dict[str, Any]
Objects = Mapping[str, Mapping[str, Any]]
Report = Callable[[str], None]

__all__ = ["from_labelstudio_result", "to_labelstudio_result"]

CLASSIFICATIONS = frozenset({"choices", "rating", "number", "textarea", "taxonomy"})
_KEYPOINT_SIZE_PX = 5.0


class _Skip(Exception):
    """This result has no Label Studio form; the reason goes to the caller's report."""


def _size(obj: Mapping[str, Any], what: str) -> tuple[float, float]:
    width, height = obj.get("width"), obj.get("height")
    if not width or not height:
        raise _Skip(f"{what} size unknown, cannot convert to percent")
    return float(width), float(height)


# ---- Postil -> Label Studio ------------------------------------------------------------


def _to_region(result: Result, obj: Mapping[str, Any], report: Report) -> tuple[str, Item]:
    """LS type and value of one region result (not classification, keypoints or relation)."""
    kind, value, labels = result["type"], result["value"], result["value"].get("labels", [])
    obj_type = obj.get("type")
    if kind == "box":
        if obj_type == "video":
            raise _Skip("a box on a video has no Label Studio form; use a track")
        return "rectanglelabels", {
            **box_to_percent(value, _size(obj, "image")),
            "rectanglelabels": labels,
        }
    if kind in ("polygon", "polyline"):
        width, height = _size(obj, "image")
        if value.get("holes"):
            report("polygon holes dropped: Label Studio polygons have none")
        points = [[x / width * 100, y / height * 100] for x, y in value["points"]]
        return "polygonlabels", {
            "points": points,
            "polygonlabels": labels,
            "closed": kind == "polygon",
        }
    if kind == "mask":
        from postil.core.formats.brush import mask_from_coco, mask_to_brush_rle  # numpy: lazy

        mask = mask_from_coco(value["rle"])
        return "brushlabels", {
            "format": "rle",
            "rle": mask_to_brush_rle(mask),
            "brushlabels": labels,
        }
    if kind == "span":
        text = obj.get("text")
        # Label Studio offsets are code points too (its converter slices Python strings).
        span = {"start": value["start"], "end": value["end"]}
        if isinstance(text, str):
            span["text"] = value.get("text", text[value["start"] : value["end"]])
        elif "text" in value:
            span["text"] = value["text"]
        return "labels", {**span, "labels": labels}
    if kind == "segment":
        if obj_type == "video":
            raise _Skip("a video segment has no Label Studio form here")
        return "labels", {
            "start": value["start"],
            "end": value["end"],
            "channel": value.get("channel", 0),
            "labels": labels,
        }
    if kind == "track":
        return "videorectangle", _track_value(value, obj)
    raise _Skip(f"result type {kind!r} has no Label Studio form")


def _track_value(value: Result, obj: Mapping[str, Any]) -> Item:
    size = _size(obj, "video")
    frames, duration = obj.get("frames"), obj.get("duration")
    fps = frames / duration if frames and duration else None
    sequence = []
    for key in value["keyframes"]:
        frame: Item = {"frame": key["frame"], "enabled": key.get("enabled", True)}
        if fps:
            frame["time"] = key["frame"] / fps
        sequence.append({**frame, **box_to_percent(key, size)})
    out: Item = {"sequence": sequence, "labels": value.get("labels", [])}
    if frames:
        out["framesCount"] = frames
    if duration:
        out["duration"] = duration
    return out


def _item(result: Result, ls_type: str, value: Item, obj: Mapping[str, Any]) -> Item:
    item: Item = {
        "id": result["id"],
        "from_name": result["control"],
        "to_name": result["object"],
        "type": ls_type,
        "value": value,
    }
    if obj.get("type") in ("image", "video") and obj.get("width") and obj.get("height"):
        item["original_width"], item["original_height"] = obj["width"], obj["height"]
        item["image_rotation"] = 0
    if ls_type == "brushlabels":
        height, width = result["value"]["rle"]["size"]
        item["original_width"], item["original_height"] = width, height
        item["image_rotation"] = 0
    if result.get("score") is not None:
        item["score"] = result["score"]
    return item


def _keypoint_items(result: Result, obj: Mapping[str, Any]) -> list[Item]:
    width, height = _size(obj, "image")
    value, items = result["value"], []
    if not value.get("points"):
        raise _Skip("keypoints without points have no Label Studio form")
    for index, point in enumerate(value["points"]):
        ls_value: Item = {
            "x": point["x"] / width * 100,
            "y": point["y"] / height * 100,
            "width": _KEYPOINT_SIZE_PX / width * 100,
            "keypointlabels": [point["name"]],
        }
        # Not Label Studio fields: they keep visibility and instance labels across a round trip.
        if point.get("visible", 2) != 2:
            ls_value["visible"] = point["visible"]
        if value.get("labels"):
            ls_value["instance_labels"] = value["labels"]
        item = _item({**result, "id": f"{result['id']}-{index}"}, "keypointlabels", ls_value, obj)
        items.append({**item, "parentID": result["id"]})
    return items


def _classification_item(result: Result, obj: Mapping[str, Any]) -> Item:
    value = dict(result["value"])
    if result["type"] == "textarea" and isinstance(value.get("text"), str):
        value["text"] = [value["text"]]
    # A per-region answer shares its region's id in Label Studio.
    region_id = result.get("parent_id") or result["id"]
    return _item({**result, "id": region_id}, result["type"], value, obj)


def _relation_item(result: Result) -> Item:
    value = result["value"]
    item: Item = {
        "type": "relation",
        "from_id": value["from_id"],
        "to_id": value["to_id"],
        "direction": value.get("direction", "right"),
        "labels": value.get("labels", []),
    }
    # id and from_name are not read by Label Studio; they keep a round trip exact.
    item.update({"id": result["id"], "from_name": result["control"]})
    if result.get("object") is not None:
        item["to_name"] = result["object"]
    return item


def to_labelstudio_result(
    result: list[Result],
    objects: Objects,
    *,
    skipped: list[dict[str, Any]] | None = None,
) -> list[Item]:
    """Convert Postil results to Label Studio items.

    `objects` maps object name -> {"type", "width", "height"} (plus "text", "frames",
    "duration" when known). Results with no Label Studio form, and lossy conversions, are
    appended to `skipped` as {"id", "reason"}.
    """
    items: list[Item] = []
    for res in result:
        obj = objects.get(res.get("object") or "", {})

        def report(reason: str, rid: str = res["id"]) -> None:
            if skipped is not None:
                skipped.append({"id": rid, "reason": reason})

        try:
            items.extend(_convert(res, obj, report))
        except _Skip as exc:
            report(str(exc))
    return items


def _convert(result: Result, obj: Mapping[str, Any], report: Report) -> list[Item]:
    kind = result["type"]
    if kind in CLASSIFICATIONS:
        return [_classification_item(result, obj)]
    if kind == "relation":
        return [_relation_item(result)]
    if kind == "keypoints":
        return _keypoint_items(result, obj)
    ls_type, value = _to_region(result, obj, report)
    return [_item(result, ls_type, value, obj)]


# ---- Label Studio -> Postil ------------------------------------------------------------

_REGION_TYPES = {
    "rectanglelabels": "box",
    "rectangle": "box",
    "polygonlabels": "polygon",
    "polygon": "polygon",
    "brushlabels": "mask",
    "brush": "mask",
    "labels": "span",
    "videorectangle": "track",
    "keypointlabels": "keypoints",
    "keypoint": "keypoints",
}


def _check_item(item: Any) -> Item:
    if not isinstance(item, dict) or not isinstance(item.get("value", {}), dict):
        raise InvalidError("a Label Studio result item must be an object with a value object")
    kind = item.get("type")
    if kind != "relation" and kind not in CLASSIFICATIONS and kind not in _REGION_TYPES:
        raise InvalidError(f"Label Studio result type {kind!r} is not supported")
    if kind != "relation" and not isinstance(item.get("id"), str | int):
        raise InvalidError(f"a Label Studio {kind} item needs an id")
    return item


def from_labelstudio_result(items: list[Item], *, objects: Objects | None = None) -> list[Result]:
    """Convert Label Studio items to Postil results (inverse of to_labelstudio_result).

    Items sharing an id are one region: a classification item with a region's id becomes a
    per-region result with parent_id (its id is "<region id>-<control>"). Keypoints are
    grouped into one instance per parentID. `objects` supplies sizes missing from items and
    object types (a `labels` item on an audio object is a segment). Span offsets are code
    points on both sides and pass through unchanged.
    """
    objects = objects or {}
    checked = [_check_item(item) for item in items]
    keypoint_groups: dict[str, list[Item]] = {}
    region_ids: set[str] = set()
    for item in checked:
        if _REGION_TYPES.get(item["type"]) == "keypoints":
            group = str(item.get("parentID") or item["id"])
            keypoint_groups.setdefault(group, []).append(item)
            region_ids.add(group)
        elif item["type"] in _REGION_TYPES:
            region_ids.add(str(item["id"]))
    results: list[Result] = []
    for item in checked:
        try:
            results.extend(_from_item(item, region_ids, keypoint_groups, objects))
        except (KeyError, TypeError, ValueError) as exc:
            raise InvalidError(f"item {item.get('id')!r}: malformed value ({exc})") from exc
    return results


def _from_item(
    item: Item, region_ids: set[str], groups: dict[str, list[Item]], objects: Objects
) -> list[Result]:
    ls_type = item["type"]
    if ls_type == "relation":
        return [relation_result(item)]
    if ls_type in CLASSIFICATIONS:
        return [classification_result(item, region_ids)]
    kind = _REGION_TYPES[ls_type]
    if kind == "keypoints":
        group = str(item.get("parentID") or item["id"])
        members = groups.get(group, [])
        return [keypoints_result(group, members, objects)] if members and members[0] is item else []
    kind, value = region_value(item, kind, objects)
    return [make_result(item, str(item["id"]), kind, value)]
