"""Importing tasks: all or nothing, idempotent, every record checked against the schema."""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator
from contextlib import AbstractContextManager
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from postil.core.errors import InvalidError, NotFoundError, PostilError
from postil.core.formats.readers import read_tasks
from postil.core.records import TaskRecord
from postil.core.schema import Schema
from postil.services.access import require
from postil.services.memory import release_after
from postil.services.permissions import Action
from postil.services.runtime import Actor, Runtime
from postil.services.task_writer import RowBuilder, TaskWriter
from postil.services.tasks import load_schema
from postil.services.text_encoding import as_utf8
from postil.storage import audit
from postil.storage import tasks as repo
from postil.storage.archives import UnpackBudget, extract_zip, iter_media_files
from postil.storage.clock import as_utc, utcnow
from postil.storage.db import bulk_write, read, write
from postil.storage.scratch import IMPORT_PREFIX, UPLOADS, URL_PREFIX, scratch_dir

DATA_EXTENSIONS = (".json", ".jsonl", ".ndjson", ".csv", ".tsv")
TEXT_EXTENSIONS = (*DATA_EXTENSIONS, ".txt", ".text", ".md", ".log")
MEDIA_KINDS = ("image", "audio", "video", "text")
log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class ImportSource:
    """One uploaded file, already on disk (spooled), and its original name."""

    filename: str
    path: Path


def import_sources(rt: Runtime, actor: Actor, project_id: int,
                   sources: Iterable[ImportSource]) -> dict[str, Any]:
    """Import every task in the sources in one transaction; a bad record imports nothing."""
    with read(rt.engine) as conn:
        require(conn, actor, project_id, Action.IMPORT_TASKS)
        schema, _ = load_schema(conn, project_id)
    sources = list(sources)
    size = sum(s.path.stat().st_size for s in sources)
    label = ", ".join(s.filename for s in sources)[:500]
    with write(rt.engine) as conn:
        import_id = repo.insert_import(conn, {
            "project_id": project_id, "status": "running", "source": label,
            "created_by": actor.user_id, "created_at": utcnow()})
    try:
        with scratch_dir(rt.settings.data_dir, IMPORT_PREFIX) as staging:
            records = _records(rt, project_id, schema, sources, staging, _budget(rt, size))
            report = _store(rt, actor, project_id, import_id, schema, records)
    except PostilError as err:
        _fail(rt, import_id, err.message, getattr(err, "errors", []))
        raise
    except BaseException as exc:  # a bug, RecursionError, MemoryError, a full disk: the job ends
        _fail(rt, import_id, f"the import stopped on an internal error ({type(exc).__name__}); "
              "nothing was imported", [])
        raise
    finally:
        release_after(size)
    return report


def upload_folder(rt: Runtime) -> AbstractContextManager[Path]:
    """A private folder for one request's upload copy: removed afterwards, or at the next
    start if the process dies first."""
    return scratch_dir(rt.settings.data_dir / UPLOADS, "upload-")


def _budget(rt: Runtime, size: int) -> UnpackBudget:
    """One budget for every archive of the upload, however deeply nested."""
    s = rt.settings
    return UnpackBudget(max_bytes=s.max_upload_bytes, max_entries=s.max_zip_entries,
                        max_ratio=s.max_zip_ratio, packed_bytes=size)


def _fail(rt: Runtime, import_id: int, message: str, errors: list[dict[str, Any]]) -> None:
    """Mark the import failed; if even that fails, start-up recovery will."""
    try:
        with write(rt.engine) as conn:
            repo.fail_import(conn, import_id, utcnow(),
                             {"message": message, "errors": errors[:50]})
    except Exception:  # the caller re-raises the error that stopped the import
        log.exception("could not mark import %s failed", import_id)


def _records(rt: Runtime, project_id: int, schema: Schema, sources: list[ImportSource],
             staging: Path, budget: UnpackBudget) -> Iterator[tuple[str, TaskRecord]]:
    for source in sources:
        yield from _from_file(rt, project_id, schema, source.filename, source.path, staging,
                              budget)


def _extension(name: str) -> str:
    return "." + name.rsplit(".", 1)[-1].lower() if "." in name else ""


def _from_file(rt: Runtime, project_id: int, schema: Schema, name: str, path: Path,
               staging: Path, budget: UnpackBudget) -> Iterator[tuple[str, TaskRecord]]:
    ext = _extension(name)
    if ext == ".zip":
        with budget.nested(name):
            folder = staging / f"zip-{len(list(staging.iterdir()))}"
            extract_zip(path, folder, budget)
            for inner in iter_media_files(folder):
                yield from _from_file(rt, project_id, schema,
                                      f"{name}/{inner.relative_to(folder)}", inner, staging, budget)
    elif ext in DATA_EXTENSIONS or (ext == ".txt" and not _has_object(schema, "text")):
        yield from _read_file(schema, name, as_utf8(path, name, staging))
    elif ext in TEXT_EXTENSIONS:
        yield name, _media_record(rt, project_id, schema, name, as_utf8(path, name, staging))
    else:
        yield name, _media_record(rt, project_id, schema, name, path)


def _read_file(schema: Schema, name: str, path: Path) -> Iterator[tuple[str, TaskRecord]]:
    """Tasks of one data file; a reader's error names the file (uploads hold several)."""
    url_key = _object_key(schema, ("image", "audio", "video"), name)
    with path.open("rb") as stream:
        try:
            for record in read_tasks(stream, name, url_key=url_key):
                yield name, record
        except InvalidError as err:
            errors = [{**e, "loc": [name, *e.get("loc", [])]} for e in err.errors]
            raise InvalidError(f"{name}: {err.message}", errors) from None


def _has_object(schema: Schema, kind: str) -> bool:
    return any(obj.type == kind for obj in schema.objects)


def _object_key(schema: Schema, kinds: tuple[str, ...], name: str) -> str:
    """The data key URL lists fill: the first media object's."""
    for obj in schema.objects:
        if obj.type in kinds:
            return obj.data_key
    return schema.objects[0].data_key if schema.objects else "data"


def _media_record(rt: Runtime, project_id: int, schema: Schema, name: str,
                  path: Path) -> TaskRecord:
    with path.open("rb") as stream:
        info = rt.media.put(project_id, stream, name, max_bytes=rt.settings.max_media_bytes)
    target = next((o for o in schema.objects if o.type == info.kind), None)
    if target is None:
        msg = f"a {info.kind} file, but the schema has no {info.kind} object"
        raise InvalidError(f"{name}: {msg}", [{"loc": [name], "msg": msg}])
    if info.kind == "text":
        text = rt.media.resolve(info.key).read_text(encoding="utf-8-sig")  # without a BOM
        data = {target.data_key: text}
        return TaskRecord(data=data, meta={"filename": name}, line=1)
    dims = {k: v for k, v in (("width", info.width), ("height", info.height),
                              ("duration", info.duration)) if v is not None}
    return TaskRecord(data={target.data_key: f"/api/media/{info.key}"},
                      meta={"filename": name, "media": {target.name: dims}}, line=1)


def _store(rt: Runtime, actor: Actor, project_id: int, import_id: int, schema: Schema,
           records: Iterator[tuple[str, TaskRecord]]) -> dict[str, Any]:
    builder = RowBuilder(schema, project_id, import_id)
    rows = (builder.build(source, record) for source, record in records)
    with write(rt.engine) as conn, bulk_write(conn):
        _, project = load_schema(conn, project_id)
        importer = TaskWriter(conn, actor, project)
        for row in rows:
            importer.add(row)
        importer.finish()
        repo.add_task_count(conn, project_id, importer.inserted)
        report = {"import_id": import_id, "imported": importer.inserted,
                  "duplicates": importer.duplicates}
        repo.finish_import(conn, import_id, {
            "status": "completed", "finished_at": utcnow(), "task_count": importer.inserted,
            "duplicate_count": importer.duplicates})
        audit.append(conn, "tasks_imported", actor.user_id, project_id=project_id,
                     object_type="import", object_id=str(import_id), detail=report)
    rt.indexer.notify()
    return report


def get_import(rt: Runtime, actor: Actor, project_id: int, import_id: int) -> dict[str, Any]:
    with read(rt.engine) as conn:
        require(conn, actor, project_id, Action.IMPORT_TASKS)
        found = repo.get_import(conn, import_id)
    if found is None or found["project_id"] != project_id:
        raise NotFoundError("import not found")
    return {**found, "created_at": as_utc(found["created_at"]),
            "finished_at": as_utc(found["finished_at"])}


def recover_interrupted(rt: Runtime) -> int:
    """At start-up: imports a crash left running rolled back, so mark them failed."""
    with write(rt.engine) as conn:
        return repo.fail_running_imports(conn, utcnow())


def import_url(rt: Runtime, actor: Actor, project_id: int, url: str) -> dict[str, Any]:
    """Fetch a task file (or media file) through the SSRF-safe client, then import it."""
    from postil.services.fetch import SafeFetcher  # httpx costs a server 6 MB: loaded on use

    with read(rt.engine) as conn:
        require(conn, actor, project_id, Action.IMPORT_TASKS)
    s = rt.settings
    fetcher = SafeFetcher(s.allowed_url_hosts, s.allow_private_urls,
                          max_bytes=s.max_upload_bytes, timeout=60.0)
    name = Path(urlsplit(url).path).name or "download.json"
    with scratch_dir(s.data_dir, URL_PREFIX) as staging:
        target = staging / "body"
        with fetcher.stream(url) as response, target.open("wb") as out:
            for chunk in response.iter_bytes():
                out.write(chunk)
        return import_sources(rt, actor, project_id, [ImportSource(name, target)])
