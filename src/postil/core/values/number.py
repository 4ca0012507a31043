"""Number: a finite number within the control's min..max, on its step grid when given."""

from __future__ import annotations

import math
from typing import Any

from postil.core.values.check import ResultCheck


def validate(value: dict[str, Any], check: ResultCheck) -> dict[str, Any]:
    check.only_keys(value, {"number"})
    number = check.number(value, "number")
    if number is None:
        return value
    low, high, step = check.control.min, check.control.max, check.control.step
    if low is not None and number < low:
        check.problem(["number"], f"number {number} is below the minimum {low}")
    if high is not None and number > high:
        check.problem(["number"], f"number {number} is above the maximum {high}")
    if step is not None:
        steps = (number - (low or 0.0)) / step
        if not math.isclose(steps, round(steps), abs_tol=1e-9):
            check.problem(["number"], f"number {number} is not a multiple of the step {step}")
    return {"number": number}
