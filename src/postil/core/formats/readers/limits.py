"""Input limits and the structural checks every reader applies to a decoded record."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from typing import Any, NoReturn

from postil.core.errors import InvalidError

# Bidirectional overrides and isolates: they make a key display as something else.
_BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


@dataclass(frozen=True, slots=True)
class ReadLimits:
    """Caps applied while reading; every breach is an InvalidError naming the record."""

    max_depth: int = 64
    max_string_length: int = 1_000_000
    max_key_length: int = 256
    max_record_bytes: int = 16 * 1024 * 1024


DEFAULT_LIMITS = ReadLimits()


def fail(line: int, loc: list[str | int], msg: str) -> NoReturn:
    """Raise an InvalidError located at `line` (then `loc`) with a message naming the line."""
    where = ".".join(str(part) for part in loc)
    text = f"line {line}: {where + ': ' if where else ''}{msg}"
    raise InvalidError(text, errors=[{"loc": ["line", line, *loc], "msg": msg}])


def is_bad_key(key: str) -> bool:
    """True when a key holds a control character or a bidirectional override."""
    return any(unicodedata.category(ch) == "Cc" or ch in _BIDI_CONTROLS for ch in key)


def check_value(value: Any, line: int, loc: list[str | int], limits: ReadLimits) -> None:
    """Check nesting depth, key characters and string lengths of a decoded JSON value."""
    _walk(value, line, loc, limits, 1)


def _walk(value: Any, line: int, loc: list[str | int], limits: ReadLimits, depth: int) -> None:
    if isinstance(value, str):
        if len(value) > limits.max_string_length:
            fail(line, loc, f"string longer than {limits.max_string_length} characters")
        return
    if not isinstance(value, dict | list):
        return
    if depth > limits.max_depth:
        fail(line, loc, f"nesting deeper than {limits.max_depth} levels")
    if isinstance(value, list):
        for index, item in enumerate(value):
            _walk(item, line, [*loc, index], limits, depth + 1)
        return
    for key, item in value.items():
        if len(key) > limits.max_key_length:
            fail(line, loc, f"key longer than {limits.max_key_length} characters")
        if is_bad_key(key):
            fail(line, loc, f"key {key!r} contains a control character")
        _walk(item, line, [*loc, key], limits, depth + 1)
