"""CSV export: one row per task; a column per data key and per control of the schema."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any, BinaryIO

from postil.core.formats.csv_cells import (
    FLAT_KINDS,
    escape_cell,
    json_cell,
    majority_cell,
    scalar_cell,
)
from postil.core.formats.registry import ExportContext, ExportReport, register_format
from postil.core.records import ExportTask


def _flatten(data: dict[str, Any], prefix: str = "") -> Iterator[tuple[str, Any]]:
    for key, value in data.items():
        if isinstance(value, dict) and value:
            yield from _flatten(value, f"{prefix}{key}.")
        else:
            yield f"{prefix}{key}", value


@dataclass(frozen=True, slots=True)
class _Control:
    """A column for a control: its majority answer if `flat`, else a JSON array of results."""

    name: str
    kind: str
    flat: bool

    def cell(self, task: ExportTask) -> str:
        if self.flat:
            return majority_cell(task, self.name, self.kind)
        return json_cell(task, self.name)


def _controls(schema: dict[str, Any]) -> list[_Control]:
    return [_Control(c["name"], c["type"], c["type"] in FLAT_KINDS and not c.get("per_region"))
            for c in schema.get("controls") or []]


class _Columns:
    """Header chosen from the first task's data plus every control of the schema."""

    def __init__(self, first: ExportTask, context: ExportContext) -> None:
        self.controls = _controls(context.schema)
        self.names = {c.name for c in self.controls}
        reserved = {"id", "external_id"} | self.names
        self.data_keys = [key for key, _ in _flatten(first.data)]
        self.data_headers = [f"data.{k}" if k in reserved else k for k in self.data_keys]

    def header(self) -> list[str]:
        names = ["id", "external_id", *self.data_headers, *(c.name for c in self.controls)]
        return [escape_cell(name) for name in names]

    def row(self, task: ExportTask, report: ExportReport) -> list[str]:
        self._report_left_out(task, report)
        external = escape_cell(task.external_id or "")
        return [str(task.id), external, *self._data_cells(task, report),
                *(c.cell(task) for c in self.controls)]

    def _data_cells(self, task: ExportTask, report: ExportReport) -> list[str]:
        flat = dict(_flatten(task.data))
        cells = []
        for key in self.data_keys:
            cell = scalar_cell(flat.pop(key, None))
            if cell is None:
                report.skip(task.id, f"data field {key!r} is not a scalar; left empty")
            cells.append(cell or "")
        for key in flat:
            report.skip(task.id, f"data field {key!r} is not a column of this CSV")
        return cells

    def _report_left_out(self, task: ExportTask, report: ExportReport) -> None:
        unknown = sorted({str(r.get("control")) for a in task.annotations for r in a.result
                          if r.get("control") not in self.names})
        if unknown:
            report.skip(task.id, f"results of controls not in the schema: {', '.join(unknown)}")
        if task.predictions:
            report.skip(task.id, f"{len(task.predictions)} prediction(s) left out: "
                                 "CSV carries annotations only")


@register_format("csv", "CSV", ".csv", "text/csv")
class Csv:
    """Columns: id, external_id, data keys (flattened scalars), one per control."""

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
