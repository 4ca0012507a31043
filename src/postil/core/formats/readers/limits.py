"""Input limits and the structural checks every reader applies to a decoded record."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, NoReturn

from postil.core.errors import InvalidError

# Control characters (Unicode category Cc) and bidirectional overrides and isolates, which
# make a key display as something else; one regex is 20x faster than a per-character loop.
_BAD_KEY = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


@dataclass(frozen=True, slots=True)
class ReadLimits:
    """Caps applied while reading; every breach is an InvalidError naming the record."""

    max_depth: int = 64
    max_string_length: int = 1_000_000
    max_key_length: int = 256
    max_record_bytes: int = 16 * 1024 * 1024


DEFAULT_LIMITS = ReadLimits()
# PostgreSQL stores no U+0000 in text or JSON, so no database gets one.
NUL_MESSAGE = "contains a NUL character (U+0000)"


def fail(line: int, loc: list[str | int], msg: str) -> NoReturn:
    """Raise an InvalidError located at `line` (then `loc`) with a message naming the line."""
    where = ".".join(str(part) for part in loc)
    text = f"line {line}: {where + ': ' if where else ''}{msg}"
    raise InvalidError(text, errors=[{"loc": ["line", line, *loc], "msg": msg}])


def is_bad_key(key: str) -> bool:
    """True when a key holds a control character or a bidirectional override."""
    return _BAD_KEY.search(key) is not None


def check_value(value: Any, line: int, loc: list[str | int], limits: ReadLimits) -> None:
    """Check nesting depth, key characters and string lengths of a decoded JSON value."""
    _walk(value, line, loc, limits, 1)


def _walk(value: Any, line: int, loc: list[str | int], limits: ReadLimits, depth: int) -> None:
    kind = type(value)
    if kind is str:
        if len(value) > limits.max_string_length:
            fail(line, loc, f"string longer than {limits.max_string_length} characters")
        if "\x00" in value:
            fail(line, loc, NUL_MESSAGE)
        return
    if kind is not dict and kind is not list:
        return
    if depth > limits.max_depth:
        fail(line, loc, f"nesting deeper than {limits.max_depth} levels")
    if kind is list:
        for index, item in enumerate(value):
            if type(item) in _CONTAINERS_OR_TEXT:
                _walk(item, line, [*loc, index], limits, depth + 1)
        return
    for key, item in value.items():
        if len(key) > limits.max_key_length:
            fail(line, loc, f"key longer than {limits.max_key_length} characters")
        if _BAD_KEY.search(key):
            fail(line, loc, f"key {key!r} contains a control character")
        if type(item) in _CONTAINERS_OR_TEXT:
            _walk(item, line, [*loc, key], limits, depth + 1)


_CONTAINERS_OR_TEXT = frozenset({str, dict, list})  # decoded JSON: other types need no check
