"""Label Studio units: percent of the original size, and UTF-16 text offsets."""

from __future__ import annotations

from typing import Any

from postil.core.errors import InvalidError


def utf16_offset(text: str, index: int) -> int:
    """Code point index -> UTF-16 code unit offset."""
    return index + sum(1 for ch in text[:index] if ord(ch) > 0xFFFF)


def code_point_index(text: str, offset: int) -> int:
    """UTF-16 code unit offset -> code point index; an offset inside a surrogate pair fails."""
    units = 0
    for index, ch in enumerate(text):
        if units == offset:
            return index
        if units > offset:
            break
        units += 2 if ord(ch) > 0xFFFF else 1
    if units == offset:
        return len(text)
    raise InvalidError(f"offset {offset} is not a character boundary of the text")


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
