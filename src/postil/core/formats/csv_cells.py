"""The cells of the CSV export: escaped text, data scalars, flat answers and JSON arrays."""

from __future__ import annotations

from collections import Counter
from typing import Any

import orjson

from postil.core.records import ExportTask

# One answer per annotation, written as plain text; every other kind is a JSON array.
FLAT_KINDS = frozenset({"choices", "rating", "number", "textarea", "taxonomy"})
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def escape_cell(value: str) -> str:
    """Neutralise spreadsheet formulas: a cell starting with = + - @ (or tab/CR) gets a quote."""
    return "'" + value if value.startswith(_FORMULA_STARTS) else value


def scalar_cell(value: Any) -> str | None:
    """A data scalar as cell text; None for values a cell cannot hold."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, str):
        return escape_cell(value)
    return None


def _answer(kind: str, value: dict[str, Any]) -> str:
    if kind == "choices":
        return escape_cell("|".join(str(v) for v in value.get("choices", [])))
    if kind == "taxonomy":
        paths = ("/".join(str(p) for p in path) for path in value.get("taxonomy", []))
        return escape_cell("|".join(paths))
    if kind == "textarea":
        text = value.get("text", [])
        return escape_cell("\n".join(text) if isinstance(text, list) else str(text))
    found = value.get(kind)
    return "" if found is None else repr(found)


def majority_cell(task: ExportTask, control: str, kind: str) -> str:
    """The most frequent answer among the task's annotations; ties go to the first seen."""
    answers = []
    for annotation in task.annotations:
        for result in annotation.result:
            if result.get("control") == control and not result.get("parent_id"):
                answers.append(_answer(kind, result.get("value") or {}))
                break
    if not answers:
        return ""
    counts = Counter(answers)
    return max(answers, key=lambda answer: counts[answer])


def json_cell(task: ExportTask, control: str) -> str:
    """Every result of the control in every annotation, as a JSON array of
    {"id", "annotation", "value"} (and "region", the id of the region a per-region answer
    belongs to); empty when there is none. The text starts with "[", never a formula."""
    items = []
    for annotation in task.annotations:
        for result in annotation.result:
            if result.get("control") == control:
                item = {"id": result.get("id"), "annotation": annotation.id}
                if result.get("parent_id"):
                    item["region"] = result["parent_id"]
                items.append({**item, "value": result.get("value") or {}})
    return orjson.dumps(items).decode() if items else ""
