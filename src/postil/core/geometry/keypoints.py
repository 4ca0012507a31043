"""Keypoint instances: visibility, bounds and horizontal flipping with a skeleton's flip pairs."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

VISIBILITY = (0, 1, 2)  # COCO: 0 not labelled, 1 labelled but hidden, 2 visible


@dataclass(frozen=True)
class Keypoint:
    """One named point of an instance."""

    name: str
    x: float
    y: float
    visible: int = 2


def labelled(points: Sequence[Keypoint]) -> list[Keypoint]:
    """Points that carry a position (visibility 1 or 2)."""
    return [p for p in points if p.visible > 0]


def keypoints_bounds(points: Sequence[Keypoint]) -> tuple[float, float, float, float] | None:
    """(x_min, y_min, x_max, y_max) of the labelled points, or None if there are none."""
    placed = labelled(points)
    if not placed:
        return None
    xs = [p.x for p in placed]
    ys = [p.y for p in placed]
    return min(xs), min(ys), max(xs), max(ys)


def flip_horizontal(
    points: Sequence[Keypoint],
    names: Sequence[str],
    flip_pairs: Sequence[Sequence[int]],
    image_width: float,
) -> list[Keypoint]:
    """Mirror an instance left-right: x -> width - x, and left/right names swapped."""
    swap: dict[str, str] = {}
    for i, j in flip_pairs:
        swap[names[i]] = names[j]
        swap[names[j]] = names[i]
    return [replace(p, name=swap.get(p.name, p.name), x=image_width - p.x) for p in points]
