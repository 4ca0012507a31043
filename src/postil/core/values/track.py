"""Track: keyframed boxes sorted by frame, within the video's frame count and image size."""

from __future__ import annotations

from typing import Any

from postil.core.values.box import BOX_KEYS, read_box
from postil.core.values.check import ResultCheck

_KEYFRAME_KEYS = {*BOX_KEYS, "frame", "rotation", "enabled"}


def _keyframe(raw: Any, index: int, check: ResultCheck) -> dict[str, Any] | None:
    path: list[str | int] = ["keyframes", index]
    if not isinstance(raw, dict):
        check.problem(path, "a keyframe must be an object")
        return None
    for key in raw:
        if key not in _KEYFRAME_KEYS:
            check.problem([*path, key], f"unexpected key {key!r} in a keyframe")
    frame = check.whole(raw, "frame", path=path)
    frames = check.context.frames
    if frame is not None and (frame < 0 or (frames is not None and frame >= frames)):
        limit = f"0..{frames - 1}" if frames is not None else "0 or more"
        check.problem([*path, "frame"], f"frame {frame} is outside {limit}")
    enabled = raw.get("enabled", True)
    if not isinstance(enabled, bool):
        check.problem([*path, "enabled"], "enabled must be true or false")
    box = read_box(raw, check, path)
    if frame is None or box is None:
        return None
    return {
        "frame": frame,
        "x": box.x,
        "y": box.y,
        "width": box.width,
        "height": box.height,
        "rotation": box.rotation,
        "enabled": enabled,
    }


def validate(value: dict[str, Any], check: ResultCheck) -> dict[str, Any]:
    check.only_keys(value, {"keyframes", "labels"})
    labels = check.labels(value)
    raw = value.get("keyframes")
    if not isinstance(raw, list) or not raw:
        check.problem(["keyframes"], "keyframes must be a non-empty list")
        return value
    keyframes = [_keyframe(item, index, check) for index, item in enumerate(raw)]
    previous: int | None = None
    for index, key in enumerate(keyframes):
        if key is None:
            continue
        if previous is not None and key["frame"] <= previous:
            msg = f"keyframes must be sorted by frame, no repeats ({key['frame']} after {previous})"
            check.problem(["keyframes", index, "frame"], msg)
        previous = key["frame"]
    if any(key is None for key in keyframes):
        return value
    return {"keyframes": keyframes, "labels": labels}
