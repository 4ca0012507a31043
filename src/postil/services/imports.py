"""Importing tasks: all or nothing, idempotent, every record checked against the schema."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from postil.core.errors import InvalidError, NotFoundError, PostilError
from postil.core.formats.readers import read_tasks
from postil.core.records import TaskRecord, task_content_hash
from postil.core.schema import Schema
from postil.services.access import require
from postil.services.annotations import check_results
from postil.services.fetch import SafeFetcher
from postil.services.permissions import Action
from postil.services.runtime import Actor, Runtime
from postil.services.tasks import load_schema
from postil.storage import annotations as annotations_repo
from postil.storage import audit
from postil.storage import tasks as repo
from postil.storage import users as users_repo
from postil.storage.archives import extract_zip, iter_media_files
from postil.storage.clock import utcnow
from postil.storage.db import read, write

BATCH = 5000
DATA_EXTENSIONS = (".json", ".jsonl", ".ndjson", ".csv", ".tsv")
MEDIA_KINDS = ("image", "audio", "video", "text")


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
    label = ", ".join(s.filename for s in sources)[:500]
    with write(rt.engine) as conn:
        import_id = repo.insert_import(conn, {
            "project_id": project_id, "status": "running", "source": label,
            "created_by": actor.user_id, "created_at": utcnow()})
    staging = Path(tempfile.mkdtemp(prefix="import-", dir=rt.settings.data_dir))
    try:
        records = _records(rt, project_id, schema, sources, staging)
        report = _store(rt, actor, project_id, import_id, schema, records)
    except PostilError as err:
        _fail(rt, import_id, err)
        raise
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return report


def _fail(rt: Runtime, import_id: int, err: PostilError) -> None:
    errors = getattr(err, "errors", [])[:50]
    with write(rt.engine) as conn:
        repo.finish_import(conn, import_id, {"status": "failed", "finished_at": utcnow(),
                                             "error": {"message": err.message, "errors": errors}})


def _records(rt: Runtime, project_id: int, schema: Schema, sources: list[ImportSource],
             staging: Path) -> Iterator[tuple[str, TaskRecord]]:
    for source in sources:
        yield from _from_file(rt, project_id, schema, source.filename, source.path, staging)


def _extension(name: str) -> str:
    return "." + name.rsplit(".", 1)[-1].lower() if "." in name else ""


def _from_file(rt: Runtime, project_id: int, schema: Schema, name: str, path: Path,
               staging: Path) -> Iterator[tuple[str, TaskRecord]]:
    ext = _extension(name)
    if ext == ".zip":
        folder = staging / f"zip-{len(list(staging.iterdir()))}"
        s = rt.settings
        extract_zip(path, folder, max_entries=s.max_zip_entries,
                    max_total_bytes=s.max_upload_bytes, max_ratio=s.max_zip_ratio)
        for inner in iter_media_files(folder):
            yield from _from_file(rt, project_id, schema, f"{name}/{inner.relative_to(folder)}",
                                  inner, staging)
    elif ext in DATA_EXTENSIONS or (ext == ".txt" and not _has_object(schema, "text")):
        with path.open("rb") as stream:
            url_key = _object_key(schema, ("image", "audio", "video"), name)
            text_keys = {o.name: o.data_key for o in schema.objects if o.type == "text"}
            for record in read_tasks(stream, name, url_key=url_key, text_keys=text_keys):
                yield name, record
    else:
        yield name, _media_record(rt, project_id, schema, name, path)


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
        raise InvalidError(f"{name}: the schema has no {info.kind} object", [
            {"loc": [name], "msg": f"a {info.kind} file, but the schema has no {info.kind} object"}])
    if info.kind == "text":
        data = {target.data_key: rt.media.resolve(info.key).read_text(encoding="utf-8")}
        return TaskRecord(data=data, meta={"filename": name}, line=1)
    dims = {k: v for k, v in (("width", info.width), ("height", info.height),
                              ("duration", info.duration)) if v is not None}
    return TaskRecord(data={target.data_key: f"/api/media/{info.key}"},
                      meta={"filename": name, "media": {target.name: dims}}, line=1)


def _check_data(schema: Schema, source: str, record: TaskRecord) -> None:
    errors = []
    for obj in schema.objects:
        value = record.data.get(obj.data_key)
        if value is None:
            errors.append({"loc": [source, "record", record.line, "data", obj.data_key],
                           "msg": f"missing {obj.type} field {obj.data_key!r}"})
        elif not isinstance(value, str):
            errors.append({"loc": [source, "record", record.line, "data", obj.data_key],
                           "msg": f"{obj.type} field {obj.data_key!r} must be a string"})
    if errors:
        raise InvalidError(f"{source}: record {record.line} is invalid", errors)


class _Importer:
    """Holds one import's transaction state: batches, annotator ids, counters."""

    def __init__(self, conn: Any, actor: Actor, project_id: int, import_id: int,
                 schema: Schema, schema_version: int, overlap: int) -> None:
        self.conn, self.actor, self.project_id = conn, actor, project_id
        self.import_id, self.schema = import_id, schema
        self.schema_version, self.overlap = schema_version, overlap
        self.batch: list[dict[str, Any]] = []
        self.users: dict[str | None, int] = {None: actor.user_id}
        self.inserted = self.duplicates = self.completed = 0
        self.now = utcnow()

    def add(self, source: str, record: TaskRecord) -> None:
        _check_data(self.schema, source, record)
        row = {"project_id": self.project_id, "data": record.data, "meta": record.meta,
               "external_id": record.external_id, "content_hash": task_content_hash(record.data),
               "priority": 0.0, "annotation_count": 0, "is_completed": False,
               "needs_relabel": False, "import_id": self.import_id,
               "created_at": self.now, "updated_at": self.now}
        if record.annotations or record.predictions:
            self._with_results(source, record, row)
            return
        self.batch.append(row)
        if len(self.batch) >= BATCH:
            self.flush()

    def flush(self) -> None:
        added = repo.insert_many(self.conn, self.batch)
        self.inserted += added
        self.duplicates += len(self.batch) - added
        self.batch = []

    def _with_results(self, source: str, record: TaskRecord, row: dict[str, Any]) -> None:
        task = {"data": record.data, "meta": record.meta}
        checked = [self._checked(source, record, i, "annotations", a.result, task)
                   for i, a in enumerate(record.annotations)]
        predicted = [self._checked(source, record, i, "predictions", p.result, task)
                     for i, p in enumerate(record.predictions)]
        task_id = repo.insert_one(self.conn, row)
        if task_id is None:
            self.duplicates += 1
            return
        self.inserted += 1
        count = 0
        for annotation, result in zip(record.annotations, checked, strict=True):
            count += self._annotation(task_id, annotation, result)
        if count:
            annotations_repo.set_task_count(self.conn, task_id, self.project_id, count,
                                            self.overlap, self.now)
        annotations_repo.insert_predictions(self.conn, [
            {"task_id": task_id, "project_id": self.project_id,
             "model_version": (p.model_version or "")[:200], "score": p.score,
             "result": result, "created_at": self.now}
            for p, result in zip(record.predictions, predicted, strict=True)])

    def _checked(self, source: str, record: TaskRecord, index: int, kind: str,
                 result: list[dict[str, Any]], task: dict[str, Any]) -> list[dict[str, Any]]:
        relation = next((c.name for c in self.schema.controls if c.type == "relation"), None)
        result = [{**r, "control": relation} if r.get("type") == "relation" and
                  r.get("control") is None else r for r in result]
        try:
            return check_results(self.schema, task, result, complete=False)
        except InvalidError as err:
            where = [source, "record", record.line, kind, index]
            raise InvalidError(f"{source}: record {record.line}: {err.message}",
                               [{**e, "loc": [*where, *e["loc"]]} for e in err.errors]) from None

    def _annotation(self, task_id: int, annotation: Any, result: list[dict[str, Any]]) -> int:
        user_id = self._user(annotation.completed_by)
        if annotations_repo.find(self.conn, task_id, user_id):
            return 0  # one annotation per annotator and task; a second one is a duplicate
        status = "skipped" if annotation.was_cancelled else "submitted"
        values = {"task_id": task_id, "project_id": self.project_id, "completed_by": user_id,
                  "status": status, "result": result, "version": 1,
                  "schema_version": self.schema_version,
                  "lead_time": float(annotation.lead_time or 0.0), "prediction_id": None,
                  "created_at": self.now, "updated_at": self.now}
        annotation_id = annotations_repo.insert_annotation(self.conn, values)
        annotations_repo.add_history(self.conn, {
            "annotation_id": annotation_id, "version": 1, "status": status, "result": result,
            "schema_version": self.schema_version, "lead_time": values["lead_time"],
            "changed_by": self.actor.user_id, "created_at": self.now})
        return 1 if status == "submitted" else 0

    def _user(self, name: str | None) -> int:
        """Annotators named in the file; unknown ones become inactive accounts (no login)."""
        if name not in self.users:
            found = users_repo.find_user_by_name(self.conn, str(name))
            self.users[name] = found["id"] if found else users_repo.insert_user(
                self.conn, str(name)[:150], None, "!imported", False, is_active=False)
        return self.users[name]


def _store(rt: Runtime, actor: Actor, project_id: int, import_id: int, schema: Schema,
           records: Iterator[tuple[str, TaskRecord]]) -> dict[str, Any]:
    with write(rt.engine) as conn:
        _, project = load_schema(conn, project_id)
        importer = _Importer(conn, actor, project_id, import_id, schema,
                             project["schema_version"], project["overlap"])
        for source, record in records:
            importer.add(source, record)
        importer.flush()
        repo.add_task_count(conn, project_id, importer.inserted)
        report = {"import_id": import_id, "imported": importer.inserted,
                  "duplicates": importer.duplicates}
        repo.finish_import(conn, import_id, {
            "status": "completed", "finished_at": utcnow(), "task_count": importer.inserted,
            "duplicate_count": importer.duplicates})
        audit.append(conn, "tasks_imported", actor.user_id, project_id=project_id,
                     object_type="import", object_id=str(import_id), detail=report)
    return report


def get_import(rt: Runtime, actor: Actor, project_id: int, import_id: int) -> dict[str, Any]:
    with read(rt.engine) as conn:
        require(conn, actor, project_id, Action.IMPORT_TASKS)
        found = repo.get_import(conn, import_id)
    if found is None or found["project_id"] != project_id:
        raise NotFoundError("import not found")
    return found


def recover_interrupted(rt: Runtime) -> int:
    """At start-up: imports a crash left running rolled back, so mark them failed."""
    with write(rt.engine) as conn:
        return repo.fail_running_imports(conn, utcnow())


def import_url(rt: Runtime, actor: Actor, project_id: int, url: str) -> dict[str, Any]:
    """Fetch a task file (or media file) through the SSRF-safe client, then import it."""
    with read(rt.engine) as conn:
        require(conn, actor, project_id, Action.IMPORT_TASKS)
    s = rt.settings
    fetcher = SafeFetcher(s.allowed_url_hosts, s.allow_private_urls,
                          max_bytes=s.max_upload_bytes, timeout=60.0)
    name = Path(urlsplit(url).path).name or "download.json"
    staging = Path(tempfile.mkdtemp(prefix="url-", dir=s.data_dir))
    try:
        target = staging / "body"
        with fetcher.stream(url) as response, target.open("wb") as out:
            for chunk in response.iter_bytes():
                out.write(chunk)
        return import_sources(rt, actor, project_id, [ImportSource(name, target)])
    finally:
        shutil.rmtree(staging, ignore_errors=True)
