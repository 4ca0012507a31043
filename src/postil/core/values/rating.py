"""Rating: a whole number from 1 to the control's max (default 5)."""

from __future__ import annotations

from typing import Any

from postil.core.values.check import ResultCheck


def validate(value: dict[str, Any], check: ResultCheck) -> dict[str, Any]:
    check.only_keys(value, {"rating"})
    rating = check.whole(value, "rating")
    top = check.control.rating_max
    if rating is not None and not 1 <= rating <= top:
        check.problem(["rating"], f"rating must be from 1 to {top}, got {rating}")
    return {"rating": rating}
