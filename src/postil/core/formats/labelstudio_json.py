"""Label Studio JSON export: tasks with annotations and predictions in Label Studio units."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, BinaryIO

from postil.core.formats.json import stream_array
from postil.core.formats.labelstudio import to_labelstudio_result
from postil.core.formats.objects import object_facts
from postil.core.formats.registry import ExportContext, ExportReport, register_format
from postil.core.records import ExportTask


def _convert(
    result: list[dict[str, Any]],
    objects: dict[str, dict[str, Any]],
    task_id: int,
    report: ExportReport,
) -> list[dict[str, Any]]:
    skipped: list[dict[str, Any]] = []
    items = to_labelstudio_result(result, objects, skipped=skipped)
    for entry in skipped:
        report.skip(task_id, f"result {entry['id']}: {entry['reason']}")
    return items


def labelstudio_task(
    task: ExportTask, context: ExportContext, report: ExportReport
) -> dict[str, Any]:
    """One task in Label Studio's JSON shape; lossy conversions are added to `report`."""
    objects = object_facts(context.schema, task)
    meta = dict(task.meta)
    if task.external_id is not None:
        meta["external_id"] = task.external_id
    annotations = [
        {
            "id": annotation.id,
            "result": _convert(annotation.result, objects, task.id, report),
            "completed_by": (
                {"username": annotation.completed_by} if annotation.completed_by else None
            ),
            "was_cancelled": False,
            "ground_truth": False,
            "lead_time": annotation.lead_time,
            "created_at": annotation.created_at,
            "updated_at": annotation.updated_at,
        }
        for annotation in task.annotations
    ]
    predictions = [
        {
            "model_version": prediction.model_version,
            "score": prediction.score,
            "result": _convert(prediction.result, objects, task.id, report),
        }
        for prediction in task.predictions
    ]
    return {
        "id": task.id,
        "data": task.data,
        "meta": meta,
        "created_at": task.created_at,
        "annotations": annotations,
        "predictions": predictions,
    }


@register_format("labelstudio", "Label Studio JSON", ".json", "application/json")
class LabelStudioJson:
    """A JSON array of Label Studio tasks, written item by item."""

    def write(
        self, tasks: Iterable[ExportTask], out: BinaryIO, context: ExportContext
    ) -> ExportReport:
        report = ExportReport()
        documents = (labelstudio_task(task, context, report) for task in tasks)
        report.exported = stream_array(documents, out)
        return report
