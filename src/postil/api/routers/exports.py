"""Exports, streamed from a spooled file, with a machine-readable report of what was skipped."""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import FileResponse
from starlette.types import Receive, Scope, Send

from postil.api.deps import ActorDep, RuntimeDep
from postil.api.models import FormatOut, Id
from postil.core.formats import ExportReport, get_format
from postil.services import exports

router = APIRouter(prefix="/api", tags=["exports"])
REPORT_HEADER = "X-Postil-Export-Report"
REPORT_SKIPS = 100
REPORT_BYTES = 8192  # browsers refuse responses whose headers pass a few hundred KiB


class _SpooledFileResponse(FileResponse):
    """The export's temporary file, removed once sent or when sending fails (a client gone)."""

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        try:
            await super().__call__(scope, receive, send)
        finally:
            _remove(str(self.path))


def _remove(path: str) -> None:
    Path(path).unlink(missing_ok=True)


def report_header(report: ExportReport) -> str:
    """The report as JSON with every non-ASCII character escaped (header values are Latin-1):
    the first skips that fit in REPORT_BYTES, and the count of all of them."""
    skipped, size = [], 0
    for item in report.skipped[:REPORT_SKIPS]:
        size += len(json.dumps(item)) + 1
        if size > REPORT_BYTES:
            break
        skipped.append(item)
    summary = {"exported": report.exported, "skipped_count": len(report.skipped),
               "skipped": skipped}
    return json.dumps(summary, ensure_ascii=True, separators=(",", ":"))


@router.get("/formats")
def list_formats(actor: ActorDep) -> list[FormatOut]:
    return [FormatOut(**f) for f in exports.formats()]


@router.get("/projects/{project_id}/export", response_class=FileResponse)
def export_project(
    project_id: Id, actor: ActorDep, rt: RuntimeDep,
    format: Annotated[str, Query(max_length=50)] = "json",  # noqa: A002
    completed_only: bool = False,
    label: Annotated[str | None, Query(max_length=200)] = None,
    annotator: Annotated[str | None, Query(max_length=150)] = None,
    ids: Annotated[list[Id] | None, Query(max_length=10_000)] = None,
) -> FileResponse:
    """The project (or the tasks `ids`) in a registered format; the header
    X-Postil-Export-Report is ASCII JSON (other characters as \\u escapes):
    {"exported": n, "skipped_count": n, "skipped": [{"task_id", "reason"}, ...]}
    (the first 100 skips, fewer if they pass 8 KiB)."""
    handle, path = tempfile.mkstemp(prefix="export-", dir=rt.settings.data_dir)
    try:
        with os.fdopen(handle, "wb") as out:
            report = exports.export_project(
                rt, actor, project_id, format, out,
                exports.ExportFilter(completed_only, label, annotator,
                                     tuple(ids) if ids is not None else None))
        fmt = get_format(format)
        return _SpooledFileResponse(
            path, media_type=fmt.media_type, filename=f"project-{project_id}{fmt.extension}",
            headers={REPORT_HEADER: report_header(report)})
    except BaseException:
        _remove(path)
        raise
