"""Templates, schema checks and Label Studio config conversion."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from postil.api.body import StrictRoute
from postil.api.deps import ActorDep
from postil.api.models import LabelStudioConfig, SchemaCheck, TemplateOut
from postil.services import schemas

router = APIRouter(prefix="/api", tags=["schemas"], route_class=StrictRoute)


@router.get("/templates")
def list_templates(actor: ActorDep) -> list[TemplateOut]:
    return [TemplateOut(**t) for t in schemas.templates()]


@router.get("/templates/{name}")
def get_template(name: str, actor: ActorDep) -> dict[str, Any]:
    return schemas.template(name)


@router.post("/schemas/check")
def check_schema(body: SchemaCheck, actor: ActorDep) -> dict[str, Any]:
    """The normalised schema, or 422 naming each problem."""
    return schemas.check(body.label_schema)


@router.post("/schemas/from-labelstudio")
def convert_labelstudio(body: LabelStudioConfig, actor: ActorDep) -> dict[str, Any]:
    return schemas.from_labelstudio(body.xml)
