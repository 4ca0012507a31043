"""Span: code point offsets [start, end) into the object's exact text; `text` must match."""

from __future__ import annotations

from typing import Any

from postil.core.geometry.span import span_problems
from postil.core.values.check import ResultCheck


def validate(value: dict[str, Any], check: ResultCheck) -> dict[str, Any]:
    check.only_keys(value, {"start", "end", "text", "labels"})
    labels = check.labels(value)
    start, end = check.whole(value, "start"), check.whole(value, "end")
    stated = value.get("text")
    if stated is not None and not isinstance(stated, str):
        check.problem(["text"], "text must be a string")
        return value
    if start is None or end is None:
        return value
    full = check.context.text
    problems = span_problems(None if full is None else len(full), start, end)
    for key, msg in problems:
        check.problem([key], msg)
    if problems:
        return value
    normal: dict[str, Any] = {"start": start, "end": end, "labels": labels}
    if full is not None:
        actual = full[start:end]
        if stated is not None and stated != actual:
            msg = f"text {stated!r} differs from the text at {start}..{end}: {actual!r}"
            check.problem(["text"], msg)
        normal["text"] = actual
    elif stated is not None:
        if len(stated) != end - start:
            check.problem(["text"], f"text has {len(stated)} code points, the span {end - start}")
        normal["text"] = stated
    return normal
