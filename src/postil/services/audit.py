"""Reading the audit log: the whole site for administrators, a project for its managers."""

from __future__ import annotations

from typing import Any

from postil.core.errors import ForbiddenError
from postil.services.access import require
from postil.services.permissions import Action
from postil.services.runtime import Actor, Runtime
from postil.storage import audit as repo
from postil.storage.clock import as_utc
from postil.storage.db import read

MAX_PAGE = 1000


def _out(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{**r, "at": as_utc(r["at"])} for r in rows]


def site_log(rt: Runtime, actor: Actor, before: int | None, limit: int) -> list[dict[str, Any]]:
    if not actor.is_admin:
        raise ForbiddenError("only administrators read the site audit log")
    with read(rt.engine) as conn:
        return _out(repo.page(conn, project_id=None, before_id=before,
                              limit=max(1, min(limit, MAX_PAGE))))


def project_log(rt: Runtime, actor: Actor, project_id: int, before: int | None,
                limit: int) -> list[dict[str, Any]]:
    with read(rt.engine) as conn:
        require(conn, actor, project_id, Action.VIEW_AUDIT)
        return _out(repo.page(conn, project_id=project_id, before_id=before,
                              limit=max(1, min(limit, MAX_PAGE))))
