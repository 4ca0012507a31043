"""Native JSON Lines export: one lossless task per line."""

from __future__ import annotations

from collections.abc import Iterable
from typing import BinaryIO

import orjson

from postil.core.formats.json import native_task
from postil.core.formats.registry import ExportContext, ExportReport, register_format
from postil.core.records import ExportTask


@register_format("jsonl", "Postil JSON Lines", ".jsonl", "application/x-ndjson")
class NativeJsonl:
    """One task object per line, as read back by the JSONL reader."""

    def write(
        self, tasks: Iterable[ExportTask], out: BinaryIO, context: ExportContext
    ) -> ExportReport:
        report = ExportReport()
        for task in tasks:
            out.write(orjson.dumps(native_task(task), option=orjson.OPT_APPEND_NEWLINE))
            report.exported += 1
        return report
