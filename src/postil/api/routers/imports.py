"""Imports: multipart uploads, raw bodies streamed to disk, or one URL fetched safely."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, Query, Request
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile

from postil.api.body import StrictRoute
from postil.api.deps import ActorDep, RuntimeDep
from postil.api.models import Id, ImportOut, ImportReport, UrlImport
from postil.core.errors import InvalidError, TooLargeError
from postil.services import imports

router = APIRouter(prefix="/api/projects/{project_id}", tags=["imports"],
                   route_class=StrictRoute)
CHUNK = 1 << 20
MAX_FILES = 10_000


async def _save_body(request: Request, target: Path, limit: int) -> None:
    size = 0
    with target.open("wb") as out:
        async for chunk in request.stream():
            size += len(chunk)
            if size > limit:
                raise TooLargeError(f"upload is over the limit of {limit} bytes")
            out.write(chunk)


async def _save_files(request: Request, staging: Path) -> list[imports.ImportSource]:
    sources = []
    async with request.form(max_files=MAX_FILES, max_fields=20) as form:
        for i, (_, value) in enumerate(form.multi_items()):
            if not isinstance(value, UploadFile):
                continue
            name = Path(value.filename or f"upload-{i}").name or f"upload-{i}"
            target = staging / f"{i:05d}"
            with target.open("wb") as out:
                while chunk := await value.read(CHUNK):
                    out.write(chunk)
            sources.append(imports.ImportSource(filename=name, path=target))
    if not sources:
        raise InvalidError("no files in the upload", [{"loc": ["files"], "msg": "no files"}])
    return sources


@router.post("/imports", status_code=201, openapi_extra={"requestBody": {"content": {
    "multipart/form-data": {"schema": {"type": "object", "properties": {"files": {
        "type": "array", "items": {"type": "string", "format": "binary"}}}}},
    "application/octet-stream": {"schema": {"type": "string", "format": "binary"}}}}})
async def import_tasks(
    project_id: Id, request: Request, actor: ActorDep, rt: RuntimeDep,
    filename: Annotated[str | None, Query(max_length=255, pattern=r"^[^\x00]*$")] = None,
) -> ImportReport:
    """Import files (multipart `files`) or one raw body named by `filename` (tasks.jsonl, a.zip).

    All or nothing: a bad record gets 422 naming the file, record and field, and nothing is
    imported. Tasks already in the project (same external id or same data) are skipped.
    """
    with imports.upload_folder(rt) as staging:
        if request.headers.get("content-type", "").startswith("multipart/form-data"):
            sources = await _save_files(request, staging)
        else:
            if not filename:
                raise InvalidError("name the upload", [{"loc": ["query", "filename"],
                                   "msg": "required for a raw body, e.g. tasks.jsonl"}])
            target = staging / "body"
            await _save_body(request, target, rt.settings.max_upload_bytes)
            sources = [imports.ImportSource(filename=Path(filename).name, path=target)]
        report = await run_in_threadpool(imports.import_sources, rt, actor, project_id, sources)
    return ImportReport(**report)


@router.post("/imports/url", status_code=201)
def import_url(project_id: Id, body: UrlImport, actor: ActorDep, rt: RuntimeDep) -> ImportReport:
    """Fetch one task file from a URL (through the SSRF-safe client) and import it."""
    return ImportReport(**imports.import_url(rt, actor, project_id, body.url))


@router.get("/imports/{import_id}")
def get_import(project_id: Id, import_id: Id, actor: ActorDep, rt: RuntimeDep) -> ImportOut:
    return ImportOut(**imports.get_import(rt, actor, project_id, import_id))
