"""Writing imported tasks in batches: plain tasks, and tasks with annotations and predictions."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection

from postil.core.errors import InvalidError
from postil.core.media_urls import media_url_problem
from postil.core.records import AnnotationRecord, TaskRecord, task_content_hash
from postil.core.schema import Schema
from postil.services.annotations import check_results
from postil.services.runtime import Actor
from postil.storage import annotations as annotations_repo
from postil.storage import tasks as repo
from postil.storage import users as users_repo
from postil.storage.clock import utcnow

BATCH = 5000


@dataclass(slots=True)
class _Rich:
    """A task row with its checked annotations and predictions, waiting for its id."""

    row: dict[str, Any]
    annotations: list[tuple[AnnotationRecord, list[dict[str, Any]]]] = field(default_factory=list)
    predictions: list[dict[str, Any]] = field(default_factory=list)


def check_data(schema: Schema, source: str, record: TaskRecord) -> None:
    """Every object of the schema finds its field in the task data, as a string; media
    fields hold URLs that can only be media (no javascript:, no data:text/html)."""
    errors = []
    for obj in schema.objects:
        value = record.data.get(obj.data_key)
        loc = [source, "record", record.line, "data", obj.data_key]
        if value is None:
            errors.append({"loc": loc, "msg": f"missing {obj.type} field {obj.data_key!r}"})
        elif not isinstance(value, str):
            errors.append({"loc": loc, "msg": f"{obj.type} field {obj.data_key!r} must be text"})
        elif problem := media_url_problem(obj.type, value):
            errors.append({"loc": loc, "msg": f"{obj.type} field {obj.data_key!r}: {problem}"})
    if errors:
        raise InvalidError(f"{source}: record {record.line}: {errors[0]['msg']}", errors)


class RowBuilder:
    """Turns records into task rows checked against the schema (no database): plain tasks
    packed for `insert_packed`, tasks with annotations or predictions as `_Rich`."""

    def __init__(self, schema: Schema, project_id: int, import_id: int) -> None:
        self.schema, self.project_id, self.import_id = schema, project_id, import_id
        self.now = utcnow()
        self.relation = next((c.name for c in schema.controls if c.type == "relation"), None)

    def build(self, source: str, record: TaskRecord) -> repo.PackedTask | _Rich:
        check_data(self.schema, source, record)
        row = {"project_id": self.project_id, "data": record.data, "meta": record.meta,
               "external_id": record.external_id, "content_hash": task_content_hash(record.data),
               "priority": record.priority, "annotation_count": 0, "is_completed": False,
               "needs_relabel": False, "import_id": self.import_id,
               "created_at": self.now, "updated_at": self.now}
        if record.annotations or record.predictions:
            return self._checked_record(source, record, row)
        return repo.pack_task(row)

    def _checked_record(self, source: str, record: TaskRecord, row: dict[str, Any]) -> _Rich:
        task = {"data": record.data, "meta": record.meta}
        rich = _Rich(row)
        for i, annotation in enumerate(record.annotations):
            result = self._checked(source, record, i, "annotations", annotation.result, task)
            rich.annotations.append((annotation, result))
        for i, prediction in enumerate(record.predictions):
            result = self._checked(source, record, i, "predictions", prediction.result, task)
            rich.predictions.append({"project_id": self.project_id,
                                     "model_version": (prediction.model_version or "")[:200],
                                     "score": prediction.score, "result": result,
                                     "created_at": self.now})
        return rich

    def _checked(self, source: str, record: TaskRecord, index: int, kind: str,
                 result: list[dict[str, Any]], task: dict[str, Any]) -> list[dict[str, Any]]:
        # Label Studio relations name no control; ours belong to the schema's relation control.
        result = [{**r, "control": self.relation} if r.get("type") == "relation"
                  and r.get("control") is None else r for r in result]
        try:
            return check_results(self.schema, task, result, complete=False)
        except InvalidError as err:
            where = [source, "record", record.line, kind, index]
            raise InvalidError(f"{source}: record {record.line}: {err.message}",
                               [{**e, "loc": [*where, *e["loc"]]} for e in err.errors]) from None


class TaskWriter:
    """One import's transaction: batches of built rows, annotator ids, counters."""

    def __init__(self, conn: Connection, actor: Actor, project: dict[str, Any],
                 builder: RowBuilder) -> None:
        self.conn, self.actor = conn, actor
        self.project_id, self.import_id = project["id"], builder.import_id
        self.schema_version, self.overlap = project["schema_version"], project["overlap"]
        self.plain: list[repo.PackedTask] = []
        self.rich: list[_Rich] = []
        self.users: dict[str | None, int] = {None: actor.user_id}
        self.inserted = self.duplicates = self.completed = 0
        self.created_at, self.now = builder.now, utcnow()
        self.first_annotation = annotations_repo.max_annotation_id(conn)

    def add(self, item: repo.PackedTask | _Rich) -> None:
        if isinstance(item, _Rich):
            self.rich.append(item)
        else:
            self.plain.append(item)
        if len(self.plain) + len(self.rich) >= BATCH:
            self.flush()

    def flush(self) -> None:
        added = repo.insert_packed(self.conn, self.project_id, self.import_id, self.created_at,
                                   self.plain)
        self.inserted += added
        self.duplicates += len(self.plain) - added
        self.plain = []
        if self.rich:
            self._flush_rich()

    def finish(self) -> None:
        """Flush, then write version 1 of every new annotation to the history in one go."""
        self.flush()
        annotations_repo.copy_to_history(self.conn, self.project_id, self.first_annotation,
                                         self.actor.user_id)
        annotations_repo.add_completed(self.conn, self.project_id, self.completed)

    def _flush_rich(self) -> None:
        ids = repo.insert_returning(self.conn, [r.row for r in self.rich])
        annotations, predictions, counts = [], [], []
        for rich in self.rich:
            task_id = ids.pop(rich.row["content_hash"], None)
            if task_id is None:
                self.duplicates += 1
                continue
            self.inserted += 1
            rows = self._annotation_rows(task_id, rich.annotations)
            annotations += rows
            predictions += [{**p, "task_id": task_id} for p in rich.predictions]
            submitted = sum(1 for a in rows if a["status"] == "submitted")
            if submitted:
                done = submitted >= self.overlap
                self.completed += done
                counts.append({"task_id": task_id, "count": submitted, "done": done})
        annotations_repo.insert_annotations(self.conn, annotations)
        annotations_repo.insert_predictions(self.conn, predictions)
        repo.set_counts(self.conn, counts, self.now)
        self.rich = []

    def _annotation_rows(self, task_id: int,
                         items: list[tuple[AnnotationRecord, list[dict[str, Any]]]]
                         ) -> list[dict[str, Any]]:
        rows, seen = [], set()
        for annotation, result in items:
            user_id = self._user(annotation.completed_by)
            if user_id in seen:
                continue  # one annotation per annotator and task; a second one is a duplicate
            seen.add(user_id)
            rows.append({"task_id": task_id, "project_id": self.project_id,
                         "completed_by": user_id, "result": result, "version": 1,
                         "status": "skipped" if annotation.was_cancelled else "submitted",
                         "schema_version": self.schema_version,
                         "lead_time": float(annotation.lead_time or 0.0), "prediction_id": None,
                         "created_at": self.now, "updated_at": self.now})
        return rows

    def _user(self, name: str | None) -> int:
        """Annotators named in the file; unknown ones become inactive accounts (no login)."""
        if name not in self.users:
            found = users_repo.find_user_by_name(self.conn, str(name))
            self.users[name] = found["id"] if found else users_repo.insert_user(
                self.conn, str(name)[:150], None, "!imported", False, is_active=False)
        return self.users[name]
