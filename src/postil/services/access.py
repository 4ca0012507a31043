"""Who may do what to a project: outsiders get NotFound, members without the right Forbidden."""

from __future__ import annotations

from sqlalchemy import Connection

from postil.core.errors import ForbiddenError, NotFoundError
from postil.services.permissions import Action, Role, is_allowed
from postil.services.runtime import Actor
from postil.storage import projects as repo


def require(conn: Connection, actor: Actor, project_id: int, action: Action) -> Role:
    """The actor's role in the project, if it allows the action."""
    role_name = repo.get_role(conn, project_id, actor.user_id)
    if role_name is None and actor.is_admin and repo.project_exists(conn, project_id):
        role_name = Role.OWNER  # site administrators act as owners everywhere
    if role_name is None:
        raise NotFoundError("project not found")
    role = Role(role_name)
    if not is_allowed(role, action):
        raise ForbiddenError(f"role {role.value} may not {action.value.replace('_', ' ')}")
    return role
