"""Textarea: free text as a list of strings (a bare string becomes a one-item list)."""

from __future__ import annotations

from typing import Any

from postil.core.values.check import ResultCheck


def validate(value: dict[str, Any], check: ResultCheck) -> dict[str, Any]:
    check.only_keys(value, {"text"})
    raw = value.get("text")
    texts = [raw] if isinstance(raw, str) else raw
    if not isinstance(texts, list) or not all(isinstance(t, str) for t in texts):
        check.problem(["text"], "text must be a string or a list of strings")
        return value
    if not texts:
        check.problem(["text"], "text must not be empty")
    limit = check.control.max_length
    for index, text in enumerate(texts):
        if limit is not None and len(text) > limit:
            check.problem(["text", index], f"text is {len(text)} characters, over {limit}")
    if check.control.per_region and not check.result.get("parent_id"):
        check.problem([], "a per-region text needs parent_id, the id of its region")
    return {"text": texts}
