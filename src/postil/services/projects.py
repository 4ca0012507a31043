"""Projects: create from a schema or template, settings, members, schema evolution."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection

from postil.core.errors import ConflictError, ForbiddenError, InvalidError, NotFoundError
from postil.core.schema import parse_schema
from postil.core.schema.templates import get_template
from postil.services.access import require
from postil.services.instance_settings import can_create_projects
from postil.services.permissions import Action, Role, may_assign
from postil.services.runtime import Actor, Runtime
from postil.storage import audit
from postil.storage import projects as repo
from postil.storage import users as users_repo
from postil.storage.clock import as_utc
from postil.storage.db import read, write

ORDERINGS = ("sequential", "random", "priority")
MAX_OVERLAP = 100


def _settings(overlap: int, ordering: str) -> None:
    errors = []
    if not 1 <= overlap <= MAX_OVERLAP:
        errors.append({"loc": ["overlap"], "msg": f"must be between 1 and {MAX_OVERLAP}"})
    if ordering not in ORDERINGS:
        errors.append({"loc": ["ordering"], "msg": f"must be one of {', '.join(ORDERINGS)}"})
    if errors:
        raise InvalidError("invalid project settings", errors)


def _name(name: str) -> str:
    cleaned = name.strip()
    if not 1 <= len(cleaned) <= 200 or any(ord(c) < 32 or 0x202A <= ord(c) <= 0x202E
                                            for c in cleaned):
        raise InvalidError("invalid project name", [{"loc": ["name"], "msg":
                           "1 to 200 characters, no control or direction-override characters"}])
    return cleaned


def resolve_schema(schema: Any = None, template: str | None = None) -> dict[str, Any]:
    """The normalised schema document from an explicit schema or a template name."""
    if (schema is None) == (template is None):
        raise InvalidError("give exactly one of schema or template",
                           [{"loc": ["schema"], "msg": "give exactly one of schema or template"}])
    if template is not None:
        try:
            schema = get_template(template)
        except NotFoundError as err:
            raise InvalidError(err.message, [{"loc": ["template"], "msg": err.message}]) from None
    doc = schema
    return parse_schema(doc).to_dict()


def create_project(rt: Runtime, actor: Actor, name: str, *, schema: Any = None,
                   template: str | None = None, description: str = "", overlap: int = 1,
                   ordering: str = "sequential") -> dict[str, Any]:
    if not can_create_projects(rt, actor):
        raise ForbiddenError("only administrators create projects on this instance")
    clean = _name(name)
    _settings(overlap, ordering)
    doc = resolve_schema(schema, template)
    with write(rt.engine) as conn:
        project_id = repo.insert_project(conn, name=clean, description=description,
                                         overlap=overlap, ordering=ordering,
                                         created_by=actor.user_id)
        repo.insert_schema_version(conn, project_id, 1, doc, [], actor.user_id)
        repo.set_member(conn, project_id, actor.user_id, Role.OWNER)
        audit.append(conn, "project_created", actor.user_id, project_id=project_id,
                     object_type="project", object_id=str(project_id))
        return _out(repo.get_project(conn, project_id), Role.OWNER)


def _out(row: dict[str, Any] | None, role: str | None, mine: int = 0) -> dict[str, Any]:
    if row is None:
        raise NotFoundError("project not found")
    out = dict(row)
    out["created_at"], out["updated_at"] = as_utc(out["created_at"]), as_utc(out["updated_at"])
    out["role"] = role
    out["my_annotations"] = mine
    return out


def list_projects(rt: Runtime, actor: Actor) -> list[dict[str, Any]]:
    with read(rt.engine) as conn:
        rows = repo.list_projects(conn, actor.user_id, actor.is_admin)
        mine = repo.count_user_annotations(conn, actor.user_id)
    return [_out(r, Role.OWNER if actor.is_admin else r.pop("role"), mine.get(r["id"], 0))
            for r in rows]


def get_project(rt: Runtime, actor: Actor, project_id: int) -> dict[str, Any]:
    with read(rt.engine) as conn:
        role = require(conn, actor, project_id, Action.VIEW_PROJECT)
        mine = repo.count_user_annotations(conn, actor.user_id).get(project_id, 0)
        return _out(repo.get_project(conn, project_id), role, mine)


def update_project(rt: Runtime, actor: Actor, project_id: int,
                   changes: dict[str, Any]) -> dict[str, Any]:
    with write(rt.engine) as conn:
        role = require(conn, actor, project_id, Action.EDIT_PROJECT)
        current = repo.get_project(conn, project_id) or {}
        values = {k: v for k, v in changes.items() if v is not None}
        if "name" in values:
            values["name"] = _name(values["name"])
        _settings(values.get("overlap", current["overlap"]),
                  values.get("ordering", current["ordering"]))
        repo.update_project(conn, project_id, values)
        if values.get("overlap", current["overlap"]) != current["overlap"]:
            repo.recompute_completion(conn, project_id, values["overlap"])
        audit.append(conn, "project_updated", actor.user_id, project_id=project_id,
                     object_type="project", object_id=str(project_id), detail=values)
        return _out(repo.get_project(conn, project_id), role)


def delete_project(rt: Runtime, actor: Actor, project_id: int) -> None:
    with write(rt.engine) as conn:
        require(conn, actor, project_id, Action.DELETE_PROJECT)
        repo.delete_project(conn, project_id)
        audit.append(conn, "project_deleted", actor.user_id, project_id=project_id,
                     object_type="project", object_id=str(project_id))
    rt.media.delete_project(project_id)


def list_members(rt: Runtime, actor: Actor, project_id: int) -> list[dict[str, Any]]:
    with read(rt.engine) as conn:
        require(conn, actor, project_id, Action.VIEW_PROJECT)
        return repo.list_members(conn, project_id)


def set_member(rt: Runtime, actor: Actor, project_id: int, username: str,
               role: str) -> list[dict[str, Any]]:
    try:
        new_role = Role(role)
    except ValueError:
        raise InvalidError("unknown role", [{"loc": ["role"], "msg":
                           f"must be one of {', '.join(r.value for r in Role)}"}]) from None
    with write(rt.engine) as conn:
        mine = require(conn, actor, project_id, Action.MANAGE_MEMBERS)
        if not may_assign(mine, None, new_role):
            raise ForbiddenError(f"a {mine.value} cannot make anyone {new_role.value}")
        user = users_repo.find_user_by_name(conn, username)
        if user is None:
            raise NotFoundError(f"user {username!r} not found")
        _check_change(conn, project_id, mine, user["id"], new_role)
        repo.set_member(conn, project_id, user["id"], new_role)
        audit.append(conn, "role_changed", actor.user_id, project_id=project_id,
                     object_type="user", object_id=str(user["id"]),
                     detail={"username": username, "role": new_role.value})
        return repo.list_members(conn, project_id)


def remove_member(rt: Runtime, actor: Actor, project_id: int, user_id: int) -> None:
    with write(rt.engine) as conn:
        mine = require(conn, actor, project_id, Action.MANAGE_MEMBERS)
        _check_change(conn, project_id, mine, user_id, None)
        repo.remove_member(conn, project_id, user_id)
        audit.append(conn, "member_removed", actor.user_id, project_id=project_id,
                     object_type="user", object_id=str(user_id))


def _check_change(conn: Connection, project_id: int, mine: Role, user_id: int,
                  new_role: Role | None) -> None:
    """Refuse moving a member to `new_role` (None: removing them) when their role is above
    the actor's, or when they are the last owner."""
    members = repo.list_members(conn, project_id)
    current = next((Role(m["role"]) for m in members if m["user_id"] == user_id), None)
    if current is None and new_role is None:
        raise NotFoundError("member not found")
    if not may_assign(mine, current, new_role):
        raise ForbiddenError(f"a {mine.value} cannot change or remove an {current}")
    owners = [m["user_id"] for m in members if m["role"] == Role.OWNER]
    if new_role is not Role.OWNER and owners == [user_id]:
        raise ConflictError("a project keeps at least one owner: make another member owner "
                            "before demoting or removing the last one")
