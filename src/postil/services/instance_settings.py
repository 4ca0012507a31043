"""Instance-wide settings an administrator changes at run time, such as who creates projects."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection

from postil.core.errors import ForbiddenError, InvalidError
from postil.services.runtime import Actor, Runtime
from postil.storage import audit
from postil.storage import instance_settings as repo
from postil.storage.db import read, write

# Each setting's allowed values; the first is its default.
CHOICES: dict[str, tuple[str, ...]] = {
    "project_creators": ("everyone", "admins"),
}


def _require_admin(actor: Actor) -> None:
    if not actor.is_admin:
        raise ForbiddenError("only administrators read or change instance settings")


def _current(conn: Connection) -> dict[str, Any]:
    stored = repo.get_all(conn)
    return {name: stored.get(name, choices[0]) for name, choices in CHOICES.items()}


def get_settings(rt: Runtime, actor: Actor) -> dict[str, Any]:
    _require_admin(actor)
    with read(rt.engine) as conn:
        return _current(conn)


def _check(changes: dict[str, Any]) -> None:
    errors = [{"loc": [name], "msg": "unknown setting"} for name in changes
              if name not in CHOICES]
    errors += [{"loc": [name], "msg": f"must be one of {', '.join(CHOICES[name])}"}
               for name, value in changes.items()
               if name in CHOICES and value not in CHOICES[name]]
    if errors:
        raise InvalidError("invalid instance settings", errors)


def update_settings(rt: Runtime, actor: Actor, changes: dict[str, Any]) -> dict[str, Any]:
    """Apply the changes (all or none) and return every setting."""
    _require_admin(actor)
    _check(changes)
    with write(rt.engine) as conn:
        for name, value in changes.items():
            repo.put(conn, name, value)
        if changes:
            audit.append(conn, "settings_changed", actor.user_id, object_type="instance",
                         detail=changes)
        return _current(conn)


def may_create_projects(conn: Connection, actor: Actor) -> bool:
    return actor.is_admin or _current(conn)["project_creators"] == "everyone"


def can_create_projects(rt: Runtime, actor: Actor) -> bool:
    """Whether the actor may create projects now (for the web app to offer it or not)."""
    with read(rt.engine) as conn:
        return may_create_projects(conn, actor)
