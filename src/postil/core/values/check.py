"""The per-result checking state handed to each kind validator: readers that record problems."""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from postil.core.schema.kinds import KINDS
from postil.core.schema.model import ControlSpec, Schema
from postil.core.values.context import ObjectContext

Loc = list[str | int]
_MISSING = object()


def is_number(value: Any) -> bool:
    """A JSON number (bool excluded) that is finite."""
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


@dataclass
class ResultCheck:
    """Checks one result's value; problems are collected, never raised, so all are reported."""

    schema: Schema
    control: ControlSpec
    context: ObjectContext
    result: dict[str, Any]
    results_by_id: dict[str, dict[str, Any]]
    loc: Loc
    problems: list[dict[str, Any]] = field(default_factory=list)

    def problem(self, path: Loc, msg: str) -> None:
        """Record a problem at `path` inside the result's value."""
        self.problems.append({"loc": [*self.loc, "value", *path], "msg": msg})

    def only_keys(self, value: dict[str, Any], allowed: Iterable[str]) -> None:
        allowed = set(allowed)
        for key in value:
            if key not in allowed:
                self.problem([key], f"unexpected key {key!r} in a {self.control.type} value")

    def number(
        self, value: dict[str, Any], key: str, default: Any = _MISSING, path: Loc | None = None
    ) -> float | None:
        """A finite number at value[key]; None (and a problem) if absent or not a number."""
        raw = value.get(key, default)
        where = [*(path or []), key]
        if raw is _MISSING:
            self.problem(where, f"{key} is required")
            return None
        if not is_number(raw):
            self.problem(where, f"{key} must be a finite number, got {raw!r}")
            return None
        return float(raw)

    def whole(
        self, value: dict[str, Any], key: str, default: Any = _MISSING, path: Loc | None = None
    ) -> int | None:
        """An integer at value[key] (a float like 3.0 is accepted and becomes 3)."""
        number = self.number(value, key, default, path)
        if number is None:
            return None
        if not number.is_integer():
            self.problem([*(path or []), key], f"{key} must be a whole number, got {number!r}")
            return None
        return int(number)

    def string_list(self, value: dict[str, Any], key: str) -> list[str] | None:
        raw = value.get(key, _MISSING)
        if raw is _MISSING:
            self.problem([key], f"{key} is required")
            return None
        if not isinstance(raw, list) or not all(isinstance(item, str) for item in raw):
            self.problem([key], f"{key} must be a list of strings")
            return None
        return list(raw)

    def labels(self, value: dict[str, Any], key: str = "labels") -> list[str]:
        """Labels of the control, aliases resolved; regions of a labelled control need one."""
        raw = value.get(key, [])
        if not isinstance(raw, list) or not all(isinstance(item, str) for item in raw):
            self.problem([key], f"{key} must be a list of strings")
            return []
        kind = KINDS[self.control.type]
        if not self.control.labels:
            if raw:
                self.problem([key], f"control {self.control.name!r} has no labels")
            return []
        if kind.region and not raw:
            self.problem([key], "a region needs at least one label")
        return self.label_values(raw, [key])

    def label_values(self, raw: list[str], path: Loc) -> list[str]:
        """Each item resolved to its label's canonical value; unknown and repeated ones reported."""
        found: list[str] = []
        for index, item in enumerate(raw):
            label = self.control.label(item)
            if label is None:
                msg = f"{item!r} is not a label of control {self.control.name!r}"
                self.problem([*path, index], msg)
            elif label.value in found:
                self.problem([*path, index], f"label {label.value!r} is given twice")
            else:
                found.append(label.value)
        return found

    def point_inside(self, x: float, y: float, path: Loc, tol: float = 1e-6) -> None:
        """Report a point outside the image when the image size is known."""
        width, height = self.context.width, self.context.height
        if width is None or height is None:
            return
        if not (-tol <= x <= width + tol and -tol <= y <= height + tol):
            self.problem(path, f"point ({x}, {y}) is outside the {width}x{height} image")

    def point_list(self, raw: Any, path: Loc) -> list[list[float]] | None:
        """A list of [x, y] pairs of finite numbers, or None (and a problem)."""
        if not isinstance(raw, list) or not all(
            isinstance(p, list | tuple) and len(p) == 2 and all(is_number(c) for c in p)
            for p in raw
        ):
            self.problem(path, "points must be a list of [x, y] pairs of finite numbers")
            return None
        points = [[float(p[0]), float(p[1])] for p in raw]
        for index, (x, y) in enumerate(points):
            self.point_inside(x, y, [*path, index])
        return points
