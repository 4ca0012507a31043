"""Native JSON export: a lossless array of tasks, written item by item."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, BinaryIO

import orjson

from postil.core.formats.registry import ExportContext, ExportReport, register_format
from postil.core.records import ExportAnnotation, ExportTask, PredictionRecord


def _annotation(annotation: ExportAnnotation) -> dict[str, Any]:
    return {
        "id": annotation.id,
        "result": annotation.result,
        "completed_by": annotation.completed_by,
        "lead_time": annotation.lead_time,
        "created_at": annotation.created_at,
        "updated_at": annotation.updated_at,
        "schema_version": annotation.schema_version,
    }


def _prediction(prediction: PredictionRecord) -> dict[str, Any]:
    return {
        "model_version": prediction.model_version,
        "score": prediction.score,
        "result": prediction.result,
    }


def native_task(task: ExportTask) -> dict[str, Any]:
    """The native (lossless) JSON shape of one task; the JSON reader reads it back."""
    return {
        "id": task.id,
        "external_id": task.external_id,
        "data": task.data,
        "meta": task.meta,
        "annotations": [_annotation(a) for a in task.annotations],
        "predictions": [_prediction(p) for p in task.predictions],
    }


def stream_array(documents: Iterable[dict[str, Any]], out: BinaryIO) -> int:
    """Write `[doc, doc, ...]`, one document per line, without holding the list; the count."""
    count = 0
    out.write(b"[")
    for document in documents:
        out.write(b"\n" if count == 0 else b",\n")
        out.write(orjson.dumps(document))
        count += 1
    out.write(b"\n]\n" if count else b"]\n")
    return count


@register_format("json", "Postil JSON", ".json", "application/json")
class NativeJson:
    """`[task, task, ...]` with one task per line inside the array."""

    def write(
        self, tasks: Iterable[ExportTask], out: BinaryIO, context: ExportContext
    ) -> ExportReport:
        return ExportReport(exported=stream_array((native_task(t) for t in tasks), out))
