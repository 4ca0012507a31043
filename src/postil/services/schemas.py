"""Label schemas: templates, checks, Label Studio configs, and changing a live project's schema."""

from __future__ import annotations

from typing import Any

from postil.core.schema import parse_schema
from postil.core.schema.evolution import diff_schemas, migrate_results
from postil.core.schema.labelstudio_xml import schema_from_labelstudio_xml
from postil.core.schema.templates import get_template, list_templates
from postil.services.access import require
from postil.services.permissions import Action
from postil.services.runtime import Actor, Runtime
from postil.storage import annotations as annotations_repo
from postil.storage import audit
from postil.storage import projects as repo
from postil.storage.clock import as_utc, utcnow
from postil.storage.db import read, write

CHUNK = 2000


def templates() -> list[dict[str, Any]]:
    return [{"name": t.name, "title": t.title, "description": t.description,
             "category": t.category} for t in list_templates()]


def template(name: str) -> dict[str, Any]:
    return parse_schema(get_template(name)).to_dict()


def check(doc: Any) -> dict[str, Any]:
    """The normalised schema, or InvalidError naming every problem."""
    return parse_schema(doc).to_dict()


def from_labelstudio(xml: str) -> dict[str, Any]:
    return parse_schema(schema_from_labelstudio_xml(xml)).to_dict()


def list_versions(rt: Runtime, actor: Actor, project_id: int) -> list[dict[str, Any]]:
    with read(rt.engine) as conn:
        require(conn, actor, project_id, Action.VIEW_PROJECT)
        rows = repo.list_schema_versions(conn, project_id)
    return [{**r, "created_at": as_utc(r["created_at"])} for r in rows]


def change_schema(rt: Runtime, actor: Actor, project_id: int, doc: Any,
                  changes: list[dict[str, Any]]) -> dict[str, Any]:
    """Store a new schema version and migrate every annotation, draft-free, in one transaction.

    Renames and merges rewrite results; splits, retired labels in use and new required
    controls send the task to the relabel queue. History keeps each annotation as it was.
    """
    new = parse_schema(doc)
    with write(rt.engine) as conn:
        require(conn, actor, project_id, Action.EDIT_PROJECT)
        repo.lock_project(conn, project_id)
        project = repo.get_project(conn, project_id) or {}
        old = parse_schema(project["schema"])
        plan = diff_schemas(old, new, changes)
        version = project["schema_version"] + 1
        repo.insert_schema_version(conn, project_id, version, new.to_dict(), changes,
                                   actor.user_id)
        repo.update_project(conn, project_id, {"schema_version": version})
        migrated, relabel = _migrate(conn, project_id, plan, version, actor.user_id)
        report = {"version": version, "migrated_annotations": migrated,
                  "relabel_tasks": len(relabel), "relabel_task_ids": sorted(relabel)[:1000]}
        audit.append(conn, "schema_changed", actor.user_id, project_id=project_id,
                     object_type="project", object_id=str(project_id),
                     detail={k: v for k, v in report.items() if k != "relabel_task_ids"})
    return report


def _migrate(conn: Any, project_id: int, plan: Any, version: int,
             by: int) -> tuple[int, set[int]]:
    migrated, relabel, after = 0, set(), 0
    now = utcnow()
    while rows := annotations_repo.iter_project_annotations(conn, project_id, after, CHUNK):
        after = rows[-1]["id"]
        for row in rows:
            result, needs = migrate_results(plan, row["result"])
            if needs:
                relabel.add(row["task_id"])
            if result == row["result"]:
                continue
            values = {"result": result, "version": row["version"] + 1,
                      "schema_version": version, "updated_at": now}
            annotations_repo.update_versioned(conn, row["id"], row["version"], values)
            annotations_repo.add_history(conn, {
                "annotation_id": row["id"], "version": values["version"],
                "status": row["status"], "result": result, "schema_version": version,
                "lead_time": row["lead_time"], "changed_by": by, "created_at": now})
            migrated += 1
    annotations_repo.relabel(conn, sorted(relabel))
    return migrated, relabel
