"""Text offsets: conversion between Unicode code points (ours) and UTF-16 units (browsers)."""

from __future__ import annotations

from postil.core.errors import InvalidError

_ASTRAL = 0xFFFF


def _units(char: str) -> int:
    return 2 if ord(char) > _ASTRAL else 1


def utf16_length(text: str) -> int:
    """Length of `text` as a browser (JavaScript) counts it."""
    return len(text) + sum(1 for char in text if ord(char) > _ASTRAL)


def codepoint_to_utf16(text: str, offset: int) -> int:
    """UTF-16 offset of the code point offset `offset` in `text` (0..len(text))."""
    if isinstance(offset, bool) or not isinstance(offset, int):
        raise InvalidError(f"offset must be an integer, got {offset!r}")
    if not 0 <= offset <= len(text):
        raise InvalidError(f"code point offset {offset} is outside 0..{len(text)}")
    return offset + sum(1 for char in text[:offset] if ord(char) > _ASTRAL)


def utf16_to_codepoint(text: str, offset: int) -> int:
    """Code point offset of the UTF-16 offset `offset`; refuses offsets inside a surrogate pair."""
    if isinstance(offset, bool) or not isinstance(offset, int):
        raise InvalidError(f"offset must be an integer, got {offset!r}")
    if offset < 0:
        raise InvalidError(f"UTF-16 offset {offset} is negative")
    units = 0
    for index, char in enumerate(text):
        if units == offset:
            return index
        units += _units(char)
        if units > offset:
            raise InvalidError(
                f"UTF-16 offset {offset} splits the surrogate pair of code point {index}"
            )
    if units == offset:
        return len(text)
    raise InvalidError(f"UTF-16 offset {offset} is past the end of the text ({units} units)")
