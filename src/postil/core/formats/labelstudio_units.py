"""Label Studio units: image geometry in percent of the original size.

Text offsets need no conversion: Label Studio counts Unicode code points, as Postil does.
"""

from __future__ import annotations

from typing import Any


def box_to_percent(value: dict[str, Any], size: tuple[float, float]) -> dict[str, Any]:
    """Pixel box fields -> percent of `size` (rotation unchanged)."""
    width, height = size
    return {
        "x": value["x"] / width * 100,
        "y": value["y"] / height * 100,
        "width": value["width"] / width * 100,
        "height": value["height"] / height * 100,
        "rotation": value.get("rotation", 0.0),
    }


def box_to_pixels(value: dict[str, Any], size: tuple[float, float]) -> dict[str, Any]:
    """Percent box fields -> pixels of `size` (rotation defaults to 0)."""
    width, height = size
    return {
        "x": value["x"] * width / 100,
        "y": value["y"] * height / 100,
        "width": value["width"] * width / 100,
        "height": value["height"] * height / 100,
        "rotation": value.get("rotation", 0.0),
    }
