"""Boxes in pixels, optionally rotated in degrees (clockwise on screen) about the top-left."""

from __future__ import annotations

import math
from dataclasses import dataclass

Point = tuple[float, float]

INSIDE_TOLERANCE = 1e-6


@dataclass(frozen=True)
class Box:
    """A box: top-left corner, size and rotation about the top-left corner."""

    x: float
    y: float
    width: float
    height: float
    rotation: float = 0.0

    @property
    def area(self) -> float:
        return max(self.width, 0.0) * max(self.height, 0.0)

    def corners(self) -> list[Point]:
        """Corners in order top-left, top-right, bottom-right, bottom-left (before rotation)."""
        angle = math.radians(self.rotation)
        cos, sin = math.cos(angle), math.sin(angle)
        local = [(0.0, 0.0), (self.width, 0.0), (self.width, self.height), (0.0, self.height)]
        # y points down, so this standard rotation turns clockwise on screen.
        return [(self.x + dx * cos - dy * sin, self.y + dx * sin + dy * cos) for dx, dy in local]

    def bounds(self) -> tuple[float, float, float, float]:
        """Axis-aligned bounds (x_min, y_min, x_max, y_max) of the rotated box."""
        xs, ys = zip(*self.corners(), strict=True)
        return min(xs), min(ys), max(xs), max(ys)


def is_inside_image(box: Box, width: float, height: float, tol: float = INSIDE_TOLERANCE) -> bool:
    """True if every corner of the (rotated) box lies within the image, give or take `tol`."""
    x_min, y_min, x_max, y_max = box.bounds()
    return x_min >= -tol and y_min >= -tol and x_max <= width + tol and y_max <= height + tol


def box_iou(a: Box, b: Box) -> float:
    """Intersection over union of two unrotated boxes."""
    if a.rotation or b.rotation:
        raise ValueError("box_iou supports unrotated boxes only")
    inter_w = min(a.x + a.width, b.x + b.width) - max(a.x, b.x)
    inter_h = min(a.y + a.height, b.y + b.height) - max(a.y, b.y)
    if inter_w <= 0 or inter_h <= 0:
        return 0.0
    inter = inter_w * inter_h
    union = a.area + b.area - inter
    return inter / union if union > 0 else 0.0
