"""Video tracks: keyframes with linear interpolation; a disabled keyframe ends the track."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from postil.core.geometry.box import Box


@dataclass(frozen=True)
class Keyframe:
    """The box of a track at one frame; `enabled=False` hides the track after this frame."""

    frame: int
    box: Box
    enabled: bool = True


def _lerp(a: float, b: float, t: float) -> float:
    return a + (b - a) * t


def interpolate_box(a: Box, b: Box, t: float) -> Box:
    """The box a fraction `t` of the way from `a` to `b`."""
    return Box(
        x=_lerp(a.x, b.x, t),
        y=_lerp(a.y, b.y, t),
        width=_lerp(a.width, b.width, t),
        height=_lerp(a.height, b.height, t),
        rotation=_lerp(a.rotation, b.rotation, t),
    )


def box_at(keyframes: Sequence[Keyframe], frame: int) -> Box | None:
    """The track's box at `frame`, or None where the track is not visible.

    Keyframes must be sorted by frame. Before the first keyframe the track is absent; after an
    enabled keyframe it interpolates towards the next one (or stays put after the last one);
    after a disabled keyframe it is absent until the next keyframe.
    """
    for index, key in enumerate(keyframes):
        following = keyframes[index + 1] if index + 1 < len(keyframes) else None
        if key.frame > frame:
            return None
        if key.frame == frame:
            return key.box
        if following is None or following.frame > frame:
            return _between(key, following, frame)
    return None


def _between(key: Keyframe, following: Keyframe | None, frame: int) -> Box | None:
    if not key.enabled:
        return None
    if following is None:
        return key.box
    t = (frame - key.frame) / (following.frame - key.frame)
    return interpolate_box(key.box, following.box, t)


def track_boxes(keyframes: Sequence[Keyframe], frames: int) -> dict[int, Box]:
    """Every visible frame of a track within 0..frames-1, mapped to its box."""
    boxes: dict[int, Box] = {}
    for index, key in enumerate(keyframes):
        if key.frame >= frames:
            break
        following = keyframes[index + 1] if index + 1 < len(keyframes) else None
        boxes[key.frame] = key.box
        stop = min(following.frame if following else frames, frames)
        for frame in range(key.frame + 1, stop):
            box = _between(key, following, frame)
            if box is None:
                break
            boxes[frame] = box
    return boxes
