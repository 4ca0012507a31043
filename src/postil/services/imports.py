"""Importing tasks: all or nothing, idempotent, every record checked against the schema."""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator
from contextlib import AbstractContextManager, ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from postil.core.errors import ConflictError, InvalidError, NotFoundError, PostilError
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
from postil.storage.media import MediaInfo
from postil.storage.scratch import IMPORT_PREFIX, UPLOADS, URL_PREFIX, is_in_use, scratch_dir
from postil.storage.task_spool import TaskSpool

DATA_EXTENSIONS = (".json", ".jsonl", ".ndjson", ".csv", ".tsv")
TEXT_EXTENSIONS = (*DATA_EXTENSIONS, ".txt", ".text", ".md", ".log")
MEDIA_KINDS = ("image", "audio", "video", "text")
log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class ImportSource:
    """One uploaded file, already on disk (spooled), and its original name."""

    filename: str
    path: Path


@dataclass(slots=True)
class _Job:
    """One import: its project, its row and held working folder once it runs, and the media
    files it has created so far."""

    project_id: int
    schema: Schema
    schema_version: int
    budget: UnpackBudget
    import_id: int = 0
    staging: Path = Path()
    new_media: list[MediaInfo] = field(default_factory=list)


def import_sources(rt: Runtime, actor: Actor, project_id: int,
                   sources: Iterable[ImportSource]) -> dict[str, Any]:
    """Import every task in the sources in one transaction; a bad record imports nothing.

    Unpacking, storing media, reading and checking every record come first, holding no
    database lock (other requests' writes go on meanwhile); the checked tasks wait in a
    spool file, and only sending them holds the write transaction."""
    with read(rt.engine) as conn:
        require(conn, actor, project_id, Action.IMPORT_TASKS)
        schema, project = load_schema(conn, project_id)
    sources = list(sources)
    size = sum(s.path.stat().st_size for s in sources)
    label = ", ".join(s.filename for s in sources)[:500]
    job = _Job(project_id, schema, project["schema_version"], _budget(rt, size))
    try:
        with _running(rt, actor, job, label):
            builder, spool = _prepare(rt, job, sources)
            report = _store(rt, actor, job, builder, spool)
    finally:
        release_after(size)
    rt.indexer.notify()
    return report


@contextmanager
def _running(rt: Runtime, actor: Actor, job: _Job, label: str) -> Iterator[None]:
    """The import's row and its working folder `import-<id>-...`, held (flock) from before
    the row is committed until the import's outcome is: start-up recovery fails only imports
    whose folder nobody holds, those of a process that died. Any error marks the import
    failed and takes back the media files it created."""
    with ExitStack() as held:
        with write(rt.engine) as conn:
            job.import_id = repo.insert_import(conn, {
                "project_id": job.project_id, "status": "running", "source": label,
                "created_by": actor.user_id, "created_at": utcnow()})
            job.staging = held.enter_context(
                scratch_dir(rt.settings.data_dir, f"{IMPORT_PREFIX}{job.import_id}-"))
        try:
            yield
        except PostilError as err:
            _fail(rt, job, err.message, getattr(err, "errors", []))
            raise
        except BaseException as exc:  # a bug, RecursionError, MemoryError, a full disk
            _fail(rt, job, f"the import stopped on an internal error ({type(exc).__name__}); "
                  "nothing was imported", [])
            raise


def upload_folder(rt: Runtime) -> AbstractContextManager[Path]:
    """A private folder for one request's upload copy: removed afterwards, or at the next
    start if the process dies first."""
    return scratch_dir(rt.settings.data_dir / UPLOADS, "upload-")


def _budget(rt: Runtime, size: int) -> UnpackBudget:
    """One budget for every archive of the upload, however deeply nested."""
    s = rt.settings
    return UnpackBudget(max_bytes=s.max_upload_bytes, max_entries=s.max_zip_entries,
                        max_ratio=s.max_zip_ratio, packed_bytes=size)


def _fail(rt: Runtime, job: _Job, message: str, errors: list[dict[str, Any]]) -> None:
    """Take back the media files the import created and mark it failed; if that fails,
    start-up recovery will (once this process has let go of the import's folder)."""
    try:
        rt.media.take_back(job.new_media)
    except OSError:
        log.exception("could not remove the media files of import %s", job.import_id)
    try:
        with write(rt.engine) as conn:
            repo.fail_import(conn, job.import_id, utcnow(),
                             {"message": message, "errors": errors[:50]})
    except Exception:  # the caller re-raises the error that stopped the import
        log.exception("could not mark import %s failed", job.import_id)


def _prepare(rt: Runtime, job: _Job,
             sources: list[ImportSource]) -> tuple[RowBuilder, TaskSpool]:
    """Unpack, store media, read and check every record, into a spool: no database lock."""
    builder = RowBuilder(job.schema, job.project_id, job.import_id)
    spool = TaskSpool(job.staging / "tasks.spool")
    try:
        for source in sources:
            for name, record in _from_file(rt, job, source.filename, source.path):
                spool.add(builder.build(name, record))
    finally:
        spool.close()
    return builder, spool


def _extension(name: str) -> str:
    return "." + name.rsplit(".", 1)[-1].lower() if "." in name else ""


def _from_file(rt: Runtime, job: _Job, name: str,
               path: Path) -> Iterator[tuple[str, TaskRecord]]:
    ext, schema, staging = _extension(name), job.schema, job.staging
    if ext == ".zip":
        with job.budget.nested(name):
            folder = staging / f"zip-{len(list(staging.iterdir()))}"
            extract_zip(path, folder, job.budget)
            for inner in iter_media_files(folder):
                yield from _from_file(rt, job, f"{name}/{inner.relative_to(folder)}", inner)
    elif ext in DATA_EXTENSIONS or (ext == ".txt" and not _has_object(schema, "text")):
        yield from _read_file(schema, name, as_utf8(path, name, staging))
    elif ext in TEXT_EXTENSIONS:
        yield name, _media_record(rt, job, name, as_utf8(path, name, staging))
    else:
        yield name, _media_record(rt, job, name, path)


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


def _media_record(rt: Runtime, job: _Job, name: str, path: Path) -> TaskRecord:
    with path.open("rb") as stream:
        info = rt.media.put(job.project_id, stream, name,
                            max_bytes=rt.settings.max_media_bytes)
    if info.new_mtime_ns is not None:
        job.new_media.append(info)
    target = next((o for o in job.schema.objects if o.type == info.kind), None)
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


def _store(rt: Runtime, actor: Actor, job: _Job, builder: RowBuilder,
           spool: TaskSpool) -> dict[str, Any]:
    """The write transaction: send the spooled tasks, count them, finish the import."""
    with write(rt.engine) as conn, bulk_write(conn):
        _, project = load_schema(conn, job.project_id)
        if project["schema_version"] != job.schema_version:
            raise ConflictError("the project's labeling setup changed during the import; "
                                "nothing was imported: import the files again")
        importer = TaskWriter(conn, actor, project, builder)
        for batch in spool.batches():
            for item in batch:
                importer.add(item)
        importer.finish()
        repo.add_task_count(conn, job.project_id, importer.inserted)
        report = {"import_id": job.import_id, "imported": importer.inserted,
                  "duplicates": importer.duplicates}
        repo.finish_import(conn, job.import_id, {
            "status": "completed", "finished_at": utcnow(), "task_count": importer.inserted,
            "duplicate_count": importer.duplicates})
        audit.append(conn, "tasks_imported", actor.user_id, project_id=job.project_id,
                     object_type="import", object_id=str(job.import_id), detail=report)
    return report  # committed: nothing after this may fail the import and take back media


def get_import(rt: Runtime, actor: Actor, project_id: int, import_id: int) -> dict[str, Any]:
    with read(rt.engine) as conn:
        require(conn, actor, project_id, Action.IMPORT_TASKS)
        found = repo.get_import(conn, import_id)
    if found is None or found["project_id"] != project_id:
        raise NotFoundError("import not found")
    return {**found, "created_at": as_utc(found["created_at"]),
            "finished_at": as_utc(found["finished_at"])}


def recover_interrupted(rt: Runtime) -> int:
    """At start-up: mark failed the imports left running by a process that died (their
    transaction rolled back). A live import, of another `--workers` process or a CLI
    command, holds its working folder and is left alone."""
    with write(rt.engine) as conn:
        stopped = [i for i in repo.running_import_ids(conn)
                   if not is_in_use(rt.settings.data_dir, f"{IMPORT_PREFIX}{i}-")]
        return repo.fail_stopped_imports(conn, stopped, utcnow())


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
