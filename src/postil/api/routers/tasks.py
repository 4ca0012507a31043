"""Tasks of a project: pages, one task, deletion, the queue, annotations on a task."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Response

from postil.api.body import StrictRoute
from postil.api.deps import ActorDep, RuntimeDep
from postil.api.models import (
    AnnotationCreate,
    AnnotationOut,
    DraftIn,
    DraftOut,
    Id,
    NextTaskOut,
    PredictionIn,
    PredictionOut,
    QueueState,
    TaskCount,
    TaskDelete,
    TaskOut,
    TaskPage,
    TasksDeleted,
)
from postil.api.short_writes import short_write
from postil.services import annotations as annotations_service
from postil.services import queue, tasks

router = APIRouter(prefix="/api", tags=["tasks"], route_class=StrictRoute)


@router.get("/projects/{project_id}/tasks")
def list_tasks(
    project_id: Id, actor: ActorDep, rt: RuntimeDep,
    sort: str = "id", order: Annotated[str, Query(pattern="^(asc|desc)$")] = "asc",
    cursor: Annotated[str | None, Query(max_length=500)] = None,
    limit: int = 100, status: str | None = None,
    annotator: Annotated[str | None, Query(max_length=150)] = None,
    q: Annotated[str | None, Query(max_length=200)] = None,
) -> TaskPage:
    """Keyset pages: pass `next` back as `cursor`. Sort and filters are allow-listed."""
    page = tasks.list_tasks(rt, actor, project_id, sort=sort, descending=order == "desc",
                            cursor=cursor, limit=limit, status=status, annotator=annotator,
                            search=q)
    return TaskPage(**page)


@router.get("/projects/{project_id}/tasks/count")
def count_tasks(
    project_id: Id, actor: ActorDep, rt: RuntimeDep, status: str | None = None,
    annotator: Annotated[str | None, Query(max_length=150)] = None,
    q: Annotated[str | None, Query(max_length=200)] = None,
) -> TaskCount:
    """How many tasks the same filters list (counting stops at 10,000: `exact` is then false)."""
    return TaskCount(**tasks.count_tasks(rt, actor, project_id, status=status,
                                         annotator=annotator, search=q))


@router.post("/projects/{project_id}/tasks/delete")
def delete_tasks(project_id: Id, body: TaskDelete, actor: ActorDep,
                 rt: RuntimeDep) -> TasksDeleted:
    return TasksDeleted(deleted=tasks.delete_tasks(rt, actor, project_id, body.ids))


@router.get("/projects/{project_id}/next", response_model=NextTaskOut,
            responses={204: {"description": "no task left"}})
async def next_task(project_id: Id, actor: ActorDep, rt: RuntimeDep,
                    exclude: Annotated[list[Id] | None, Query(max_length=20)] = None,
                    ) -> NextTaskOut | Response:
    """Lease the next task for the caller; 204 when the queue has nothing left for them.
    Pass the task on screen as `exclude` to prefetch (and lease) the one after it."""
    task = await short_write(rt, queue.next_task, rt, actor, project_id, exclude or ())
    if task is None:
        return Response(status_code=204)
    return NextTaskOut(**task)


@router.get("/projects/{project_id}/queue")
def queue_state(project_id: Id, actor: ActorDep, rt: RuntimeDep) -> QueueState:
    """Besides `next`: the caller's skipped tasks that are still open, to go back to."""
    return QueueState(**queue.queue_state(rt, actor, project_id))


@router.get("/projects/{project_id}/my-annotations")
def my_annotations(project_id: Id, actor: ActorDep, rt: RuntimeDep,
                   limit: Annotated[int, Query(ge=1, le=1000)] = 100) -> list[AnnotationOut]:
    rows = annotations_service.my_annotations(rt, actor, project_id, limit)
    return [AnnotationOut(**a) for a in rows]


@router.get("/tasks/{task_id}")
def get_task(task_id: Id, actor: ActorDep, rt: RuntimeDep) -> TaskOut:
    return TaskOut(**tasks.get_task(rt, actor, task_id))


@router.get("/tasks/{task_id}/annotations")
def task_annotations(task_id: Id, actor: ActorDep, rt: RuntimeDep) -> list[AnnotationOut]:
    return [AnnotationOut(**a) for a in annotations_service.list_for_task(rt, actor, task_id)]


@router.post("/tasks/{task_id}/annotations", status_code=201)
async def submit(task_id: Id, body: AnnotationCreate, actor: ActorDep,
                 rt: RuntimeDep) -> AnnotationOut:
    return AnnotationOut(**await short_write(rt, annotations_service.submit, rt, actor,
                                             task_id, body.result, lead_time=body.lead_time,
                                             prediction_id=body.prediction_id))


@router.post("/tasks/{task_id}/skip")
async def skip(task_id: Id, actor: ActorDep, rt: RuntimeDep) -> AnnotationOut:
    return AnnotationOut(**await short_write(rt, annotations_service.skip, rt, actor, task_id))


@router.get("/tasks/{task_id}/draft", response_model=DraftOut,
            responses={204: {"description": "no draft"}})
def get_draft(task_id: Id, actor: ActorDep, rt: RuntimeDep) -> DraftOut | Response:
    draft = annotations_service.get_draft(rt, actor, task_id)
    return DraftOut(**draft) if draft else Response(status_code=204)


@router.put("/tasks/{task_id}/draft")
async def save_draft(task_id: Id, body: DraftIn, actor: ActorDep,
                     rt: RuntimeDep) -> DraftOut:
    """Autosave; 409 when a newer submission exists than the draft was based on."""
    return DraftOut(**await short_write(rt, annotations_service.save_draft, rt, actor, task_id,
                                        body.result, lead_time=body.lead_time,
                                        base_version=body.base_version))


@router.get("/tasks/{task_id}/predictions")
def list_predictions(task_id: Id, actor: ActorDep, rt: RuntimeDep) -> list[PredictionOut]:
    return [PredictionOut(**p) for p in annotations_service.list_predictions(rt, actor, task_id)]


@router.post("/tasks/{task_id}/predictions", status_code=201)
def add_predictions(task_id: Id, body: list[PredictionIn], actor: ActorDep,
                    rt: RuntimeDep) -> list[PredictionOut]:
    rows = annotations_service.add_predictions(rt, actor, task_id, [p.model_dump() for p in body])
    return [PredictionOut(**p) for p in rows]
