"""Relation: a directed link between two different regions of the same annotation."""

from __future__ import annotations

from typing import Any

from postil.core.values.check import ResultCheck


def _endpoint(value: dict[str, Any], key: str, check: ResultCheck) -> str | None:
    ref = value.get(key)
    if not isinstance(ref, str) or not ref:
        check.problem([key], f"{key} must be the id of a result")
        return None
    target = check.results_by_id.get(ref)
    if target is None:
        check.problem([key], f"no result has id {ref!r}")
        return None
    if target.get("control") not in check.control.to:
        controls = ", ".join(check.control.to)
        check.problem([key], f"result {ref!r} is not a region of the controls {controls}")
    return ref


def validate(value: dict[str, Any], check: ResultCheck) -> dict[str, Any]:
    check.only_keys(value, {"from_id", "to_id", "direction", "labels"})
    labels = check.labels(value)
    source, target = _endpoint(value, "from_id", check), _endpoint(value, "to_id", check)
    if source is not None and source == target:
        check.problem(["to_id"], "a relation cannot link a region to itself")
    direction = value.get("direction", "right")
    if direction not in check.control.directions:
        allowed = ", ".join(check.control.directions)
        check.problem(["direction"], f"direction {direction!r} is not one of {allowed}")
    return {"from_id": source, "to_id": target, "direction": direction, "labels": labels}
