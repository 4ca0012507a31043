"""One annotation: read, update with its version, history."""

from __future__ import annotations

from fastapi import APIRouter

from postil.api.body import StrictRoute
from postil.api.deps import ActorDep, RuntimeDep
from postil.api.models import AnnotationOut, AnnotationUpdate, HistoryOut, Id
from postil.api.short_writes import short_write
from postil.services import annotations as annotations_service

router = APIRouter(prefix="/api/annotations", tags=["annotations"], route_class=StrictRoute)


@router.get("/{annotation_id}")
def get_annotation(annotation_id: Id, actor: ActorDep, rt: RuntimeDep) -> AnnotationOut:
    return AnnotationOut(**annotations_service.get_annotation(rt, actor, annotation_id))


@router.patch("/{annotation_id}")
async def update_annotation(annotation_id: Id, body: AnnotationUpdate, actor: ActorDep,
                            rt: RuntimeDep) -> AnnotationOut:
    """Replace the results; 409 with the current annotation when `version` is stale."""
    row = await short_write(rt, annotations_service.update, rt, actor, annotation_id,
                            body.result, version=body.version, lead_time=body.lead_time)
    return AnnotationOut(**row)


@router.get("/{annotation_id}/history")
def history(annotation_id: Id, actor: ActorDep, rt: RuntimeDep) -> list[HistoryOut]:
    return [HistoryOut(**h) for h in annotations_service.history(rt, actor, annotation_id)]
