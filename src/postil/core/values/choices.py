"""Choices: one label (or several when the control is `multiple`) from the control's list."""

from __future__ import annotations

from typing import Any

from postil.core.values.check import ResultCheck


def validate(value: dict[str, Any], check: ResultCheck) -> dict[str, Any]:
    check.only_keys(value, {"choices"})
    raw = check.string_list(value, "choices")
    if raw is None:
        return value
    choices = check.label_values(raw, ["choices"])
    if not raw:
        check.problem(["choices"], "at least one choice is required")
    elif not check.control.multiple and len(raw) != 1:
        check.problem(["choices"], f"exactly one choice is allowed, got {len(raw)}")
    return {"choices": choices}
