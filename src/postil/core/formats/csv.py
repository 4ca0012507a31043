"""CSV export for classification: one row per task, one column per answer control."""

from __future__ import annotations

import csv
import io
from collections import Counter
from collections.abc import Iterable, Iterator
from typing import Any, BinaryIO

from postil.core.formats.registry import ExportContext, ExportReport, register_format
from postil.core.records import ExportTask

ANSWER_KINDS = frozenset({"choices", "rating", "number", "textarea", "taxonomy"})
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def escape_cell(value: str) -> str:
    """Neutralise spreadsheet formulas: a cell starting with = + - @ (or tab/CR) gets a quote."""
    return "'" + value if value.startswith(_FORMULA_STARTS) else value


def _flatten(data: dict[str, Any], prefix: str = "") -> Iterator[tuple[str, Any]]:
    for key, value in data.items():
        if isinstance(value, dict) and value:
            yield from _flatten(value, f"{prefix}{key}.")
        else:
            yield f"{prefix}{key}", value


def _cell(value: Any) -> str | None:
    """Scalar -> cell text; None for values a cell cannot hold."""
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


def _majority(task: ExportTask, control: str, kind: str) -> str:
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


class _Columns:
    """Header chosen from the first task's data plus the schema's answer controls."""

    def __init__(self, first: ExportTask, context: ExportContext) -> None:
        controls = context.schema.get("controls") or []
        self.controls = [(c["name"], c["type"]) for c in controls if c.get("type") in ANSWER_KINDS]
        reserved = {"id", "external_id"} | {name for name, _ in self.controls}
        self.data_keys = [key for key, _ in _flatten(first.data)]
        self.data_headers = [f"data.{k}" if k in reserved else k for k in self.data_keys]

    def header(self) -> list[str]:
        names = ["id", "external_id", *self.data_headers, *(name for name, _ in self.controls)]
        return [escape_cell(name) for name in names]

    def row(self, task: ExportTask, report: ExportReport) -> list[str]:
        flat = dict(_flatten(task.data))
        cells = []
        for key in self.data_keys:
            cell = _cell(flat.pop(key, None))
            if cell is None:
                report.skip(task.id, f"data field {key!r} is not a scalar; left empty")
            cells.append(cell or "")
        for key in flat:
            report.skip(task.id, f"data field {key!r} is not a column of this CSV")
        answers = [_majority(task, name, kind) for name, kind in self.controls]
        dropped = sorted({r.get("type", "?") for a in task.annotations for r in a.result
                          if r.get("type") not in ANSWER_KINDS})
        if dropped:
            report.skip(task.id, f"results a CSV cannot hold: {', '.join(dropped)}")
        external = escape_cell(task.external_id or "")
        return [str(task.id), external, *cells, *answers]


@register_format("csv", "CSV (classification)", ".csv", "text/csv", kinds=set(ANSWER_KINDS))
class ClassificationCsv:
    """Columns: id, external_id, data keys (flattened scalars), one per answer control."""

    def write(
        self, tasks: Iterable[ExportTask], out: BinaryIO, context: ExportContext
    ) -> ExportReport:
        report = ExportReport()
        text = io.TextIOWrapper(out, encoding="utf-8", newline="", write_through=True)
        writer = csv.writer(text)
        columns: _Columns | None = None
        try:
            for task in tasks:
                if columns is None:
                    columns = _Columns(task, context)
                    writer.writerow(columns.header())
                writer.writerow(columns.row(task, report))
                report.exported += 1
            if columns is None:
                empty = ExportTask(id=0, external_id=None, data={})
                writer.writerow(_Columns(empty, context).header())
        finally:
            text.detach()
        return report
