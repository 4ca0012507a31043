"""COCO run-length encoding of binary masks (column-major), in list and compressed string form.

Pure Python, so checking a mask value needs no numpy; masks as arrays are in
`postil.core.formats.brush`."""

from __future__ import annotations

from typing import Any

from postil.core.errors import InvalidError

_BASE = 48  # compressed counts are printable ASCII from "0"


def counts_to_string(counts: list[int]) -> str:
    """Compress run lengths the way pycocotools does (delta, 5-bit groups, sign bit)."""
    chars: list[str] = []
    for index, count in enumerate(counts):
        value = int(count) - (int(counts[index - 2]) if index > 2 else 0)
        more = True
        while more:
            chunk = value & 0x1F
            value >>= 5
            more = value != -1 if chunk & 0x10 else value != 0
            if more:
                chunk |= 0x20
            chars.append(chr(chunk + _BASE))
    return "".join(chars)


def string_to_counts(text: str) -> list[int]:
    """Decompress a pycocotools counts string into run lengths."""
    counts: list[int] = []
    position = 0
    while position < len(text):
        value, shift, more = 0, 0, True
        while more:
            if position >= len(text):
                raise InvalidError("RLE counts string ends in the middle of a number")
            chunk = ord(text[position]) - _BASE
            if not 0 <= chunk < 64:
                raise InvalidError(f"RLE counts string has an invalid character at {position}")
            value |= (chunk & 0x1F) << (5 * shift)
            more = bool(chunk & 0x20)
            position += 1
            shift += 1
            if not more and chunk & 0x10:
                value |= -1 << (5 * shift)
        if len(counts) > 2:
            value += counts[-2]
        counts.append(value)
    return counts


def rle_counts(rle: dict[str, Any]) -> list[int]:
    """Run lengths of an RLE in either form, checked to be non-negative and to cover h*w."""
    size = rle.get("size")
    if not (
        isinstance(size, list | tuple)
        and len(size) == 2
        and all(isinstance(v, int) and not isinstance(v, bool) and v >= 0 for v in size)
    ):
        raise InvalidError("RLE size must be [height, width] of non-negative integers")
    raw = rle.get("counts")
    if isinstance(raw, str):
        counts = string_to_counts(raw)
    elif isinstance(raw, list) and all(isinstance(v, int) and not isinstance(v, bool) for v in raw):
        counts = list(raw)
    else:
        raise InvalidError("RLE counts must be a string or a list of integers")
    if any(v < 0 for v in counts):
        raise InvalidError("RLE counts must not be negative")
    height, width = size
    if sum(counts) != height * width:
        raise InvalidError(f"RLE counts cover {sum(counts)} pixels, size is {height * width}")
    return counts


def rle_area(rle: dict[str, Any]) -> int:
    """Number of foreground pixels: the sum of the odd-indexed runs."""
    return int(sum(rle_counts(rle)[1::2]))
