"""The task queue: which task an annotator gets next, under overlap, leases and ordering."""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from datetime import timedelta
from typing import Any

from postil.services.access import project_access
from postil.services.permissions import Action
from postil.services.runtime import Actor, Runtime
from postil.services.tasks import task_out
from postil.storage import annotations as annotations_repo
from postil.storage import projects as projects_repo
from postil.storage import queue as repo
from postil.storage import tasks as tasks_repo
from postil.storage.clock import as_utc, utcnow
from postil.storage.db import read, write


def next_task(rt: Runtime, actor: Actor, project_id: int,
              exclude: Sequence[int] = ()) -> dict[str, Any] | None:
    """Lease and return the next task this annotator should label, or None when done.

    A task is served to at most `overlap` annotators at once (submitted answers plus live
    leases), never twice to the same annotator; reloading returns the task already leased.
    `exclude` (the task on screen) lets a client prefetch the one after it.
    """
    with write(rt.engine) as conn:
        project, _ = project_access(conn, actor, project_id, Action.ANNOTATE)
        projects_repo.lock_project(conn, project_id)
        now = utcnow()
        task_id = repo.active_lease(conn, project_id, actor.user_id, now, exclude)
        if task_id is None:
            task_id = _pick(conn, project, actor.user_id, now, exclude)
        if task_id is None:
            return None
        expires = now + timedelta(seconds=rt.settings.lease_seconds)
        repo.take_lease(conn, task_id, project_id, actor.user_id, expires)
        task = task_out(tasks_repo.get(conn, task_id) or {})
        task["lease_expires_at"] = expires
        draft = annotations_repo.get_draft(conn, task_id, actor.user_id)
        task["draft"] = {**draft, "updated_at": as_utc(draft["updated_at"])} if draft else None
        task["predictions"] = annotations_repo.predictions_for(conn, [task_id])
        return task


def queue_state(rt: Runtime, actor: Actor, project_id: int) -> dict[str, Any]:
    """What is left for the caller besides the queue: the tasks they skipped that are still
    open (the labeling page says "All done" only when there are none and `next` has none)."""
    with read(rt.engine) as conn:
        project_access(conn, actor, project_id, Action.ANNOTATE)
        skipped, first = repo.open_skips(conn, project_id, actor.user_id)
    return {"skipped": skipped, "first_skipped": first}


def _pick(conn: Any, project: dict[str, Any], user_id: int, now: Any,
          exclude: Sequence[int]) -> int | None:
    def candidate(pivot: int | None) -> int | None:
        return repo.next_candidate(conn, project["id"], user_id, project["overlap"], now,
                                   project["ordering"], pivot, exclude)

    if project["ordering"] == "random":
        bounds = repo.id_range(conn, project["id"])
        if bounds is None:
            return None
        pivot = bounds[0] + secrets.randbelow(bounds[1] - bounds[0] + 1)
        return candidate(pivot) or candidate(None)
    return candidate(None)
