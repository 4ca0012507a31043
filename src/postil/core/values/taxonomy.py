"""Taxonomy: paths from a root of the control's tree to any node."""

from __future__ import annotations

from typing import Any

from postil.core.schema.model import TaxonomyNode
from postil.core.values.check import ResultCheck


def path_exists(tree: list[TaxonomyNode], path: list[str]) -> bool:
    """True if `path` walks from a root of `tree` down to some node."""
    level = tree
    for step in path:
        node = next((n for n in level if n.value == step), None)
        if node is None:
            return False
        level = node.children
    return bool(path)


def validate(value: dict[str, Any], check: ResultCheck) -> dict[str, Any]:
    check.only_keys(value, {"taxonomy"})
    raw = value.get("taxonomy")
    if not isinstance(raw, list) or not all(
        isinstance(p, list) and all(isinstance(s, str) for s in p) for p in raw
    ):
        check.problem(["taxonomy"], "taxonomy must be a list of paths (lists of strings)")
        return value
    if not raw:
        check.problem(["taxonomy"], "at least one taxonomy path is required")
    elif not check.control.multiple and len(raw) != 1:
        check.problem(["taxonomy"], f"exactly one path is allowed, got {len(raw)}")
    seen: list[list[str]] = []
    for index, path in enumerate(raw):
        if not path_exists(check.control.taxonomy, path):
            check.problem(["taxonomy", index], f"path {path!r} is not in the taxonomy")
        elif path in seen:
            check.problem(["taxonomy", index], f"path {path!r} is given twice")
        seen.append(path)
    return {"taxonomy": [list(p) for p in raw]}
