"""Who may do what to a project: outsiders get NotFound, members without the right Forbidden."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection

from postil.core.errors import ForbiddenError, NotFoundError
from postil.services.permissions import Action, Role, is_allowed
from postil.services.runtime import Actor
from postil.storage import projects as repo


def require(conn: Connection, actor: Actor, project_id: int, action: Action) -> Role:
    """The actor's role in the project, if it allows the action."""
    return project_access(conn, actor, project_id, action)[1]


def project_access(conn: Connection, actor: Actor, project_id: int,
                   action: Action) -> tuple[dict[str, Any], Role]:
    """The project's settings and the actor's role in it, if the role allows the action."""
    project, role_name = repo.get_settings_and_role(conn, project_id, actor.user_id)
    if project is not None and actor.is_admin:
        role_name = Role.OWNER  # site administrators act as owners everywhere, members or not
    if project is None or role_name is None:
        raise NotFoundError("project not found")
    role = Role(role_name)
    if not is_allowed(role, action):
        raise ForbiddenError(f"role {role.value} may not {action.value.replace('_', ' ')}")
    return project, role
