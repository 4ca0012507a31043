"""Projects, their members and schema versions."""

from __future__ import annotations

from fastapi import APIRouter

from postil.api.body import StrictRoute
from postil.api.deps import ActorDep, RuntimeDep
from postil.api.models import (
    Id,
    MemberOut,
    MemberSet,
    ProjectCreate,
    ProjectOut,
    ProjectUpdate,
    SchemaChange,
    SchemaChangeOut,
    SchemaVersionOut,
)
from postil.services import projects, schemas

router = APIRouter(prefix="/api/projects", tags=["projects"], route_class=StrictRoute)


@router.get("")
def list_projects(actor: ActorDep, rt: RuntimeDep) -> list[ProjectOut]:
    return [ProjectOut(**p) for p in projects.list_projects(rt, actor)]


@router.post("", status_code=201)
def create_project(body: ProjectCreate, actor: ActorDep, rt: RuntimeDep) -> ProjectOut:
    return ProjectOut(**projects.create_project(
        rt, actor, body.name, schema=body.label_schema, template=body.template,
        description=body.description, overlap=body.overlap, ordering=body.ordering))


@router.get("/{project_id}")
def get_project(project_id: Id, actor: ActorDep, rt: RuntimeDep) -> ProjectOut:
    return ProjectOut(**projects.get_project(rt, actor, project_id))


@router.patch("/{project_id}")
def update_project(project_id: Id, body: ProjectUpdate, actor: ActorDep,
                   rt: RuntimeDep) -> ProjectOut:
    changes = body.model_dump(exclude_unset=True)
    return ProjectOut(**projects.update_project(rt, actor, project_id, changes))


@router.delete("/{project_id}", status_code=204)
def delete_project(project_id: Id, actor: ActorDep, rt: RuntimeDep) -> None:
    projects.delete_project(rt, actor, project_id)


@router.get("/{project_id}/members")
def list_members(project_id: Id, actor: ActorDep, rt: RuntimeDep) -> list[MemberOut]:
    return [MemberOut(**m) for m in projects.list_members(rt, actor, project_id)]


@router.put("/{project_id}/members")
def set_member(project_id: Id, body: MemberSet, actor: ActorDep,
               rt: RuntimeDep) -> list[MemberOut]:
    rows = projects.set_member(rt, actor, project_id, body.username, body.role)
    return [MemberOut(**m) for m in rows]


@router.delete("/{project_id}/members/{user_id}", status_code=204)
def remove_member(project_id: Id, user_id: Id, actor: ActorDep, rt: RuntimeDep) -> None:
    projects.remove_member(rt, actor, project_id, user_id)


@router.put("/{project_id}/schema")
def change_schema(project_id: Id, body: SchemaChange, actor: ActorDep,
                  rt: RuntimeDep) -> SchemaChangeOut:
    """A new schema version; renames and merges migrate results, splits queue relabeling."""
    return SchemaChangeOut(**schemas.change_schema(rt, actor, project_id, body.label_schema,
                                                   body.changes))


@router.get("/{project_id}/schema/versions")
def schema_versions(project_id: Id, actor: ActorDep, rt: RuntimeDep) -> list[SchemaVersionOut]:
    return [SchemaVersionOut(**v) for v in schemas.list_versions(rt, actor, project_id)]
