"""Rules for names, labels, hotkeys and colours written by project owners."""

from __future__ import annotations

import re
import unicodedata

NAME_PATTERN = re.compile(r"[A-Za-z_][A-Za-z0-9_-]{0,63}")
MAX_NAME = 64
MAX_LABEL = 200
MAX_TEXT = 100_000
_JOINERS = {"\u200c", "\u200d"}  # ZWNJ and ZWJ shape Persian text and emoji: keep them
_HOTKEY = re.compile(r"(?:(?:ctrl|alt|shift|meta)\+){0,3}(?:F\d{1,2}|[A-Za-z0-9`=\[\];',./\\-])")
_COLOR = re.compile(r"#[0-9A-Fa-f]{3,8}|[A-Za-z]{1,30}|rgba?\(\s*[0-9.,%\s]{1,60}\)")


def _has_control_chars(text: str, allow_newlines: bool = False) -> bool:
    allowed = {"\n", "\r", "\t"} if allow_newlines else set()
    # Cc are control characters; Cf includes bidi overrides such as U+202E.
    return any(
        unicodedata.category(ch) in ("Cc", "Cf", "Cs") and ch not in allowed and ch not in _JOINERS
        for ch in text
    )


def name_problem(name: str) -> str | None:
    """Why `name` is not a valid object or control name, or None."""
    if len(name) > MAX_NAME:
        return f"a name must have at most {MAX_NAME} characters, got {len(name)}"
    if _has_control_chars(name):
        return "a name must not contain control characters"
    if not NAME_PATTERN.fullmatch(name):
        return "a name must match [A-Za-z_][A-Za-z0-9_-]{0,63}"
    return None


def label_problem(value: str) -> str | None:
    """Why `value` is not a valid label, or None."""
    if not value.strip():
        return "a label must not be empty"
    if len(value) > MAX_LABEL:
        return f"a label must have at most {MAX_LABEL} characters, got {len(value)}"
    if _has_control_chars(value):
        return "a label must not contain control or bidirectional-override characters"
    return None


def text_problem(value: str) -> str | None:
    """Why free text (guidelines, descriptions) is unacceptable, or None."""
    if len(value) > MAX_TEXT:
        return f"text must have at most {MAX_TEXT} characters"
    if _has_control_chars(value, allow_newlines=True):
        return "text must not contain control or bidirectional-override characters"
    return None


def hotkey_problem(hotkey: str) -> str | None:
    """Why `hotkey` is not a key like "d", "3" or "ctrl+shift+a", or None."""
    if not _HOTKEY.fullmatch(hotkey):
        return "a hotkey is one key (letter, digit, F1-F12, punctuation), maybe after ctrl+ etc."
    return None


def color_problem(color: str) -> str | None:
    """Why `color` is not a CSS hex colour, colour name or rgb()/rgba(), or None."""
    if not _COLOR.fullmatch(color):
        return "a colour must be #rgb, #rrggbb, #rrggbbaa, a CSS colour name or rgb()/rgba()"
    return None
