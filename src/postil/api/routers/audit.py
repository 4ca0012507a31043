"""The audit log: logins, role changes, exports, deletions."""

from __future__ import annotations

from fastapi import APIRouter

from postil.api.deps import ActorDep, RuntimeDep
from postil.api.models import AuditOut, Id
from postil.services import audit

router = APIRouter(prefix="/api", tags=["audit"])


@router.get("/audit")
def site_audit(actor: ActorDep, rt: RuntimeDep, before: Id | None = None,
               limit: int = 100) -> list[AuditOut]:
    """Administrators see every entry."""
    return [AuditOut(**e) for e in audit.site_log(rt, actor, before, limit)]


@router.get("/projects/{project_id}/audit")
def project_audit(project_id: Id, actor: ActorDep, rt: RuntimeDep, before: Id | None = None,
                  limit: int = 100) -> list[AuditOut]:
    return [AuditOut(**e) for e in audit.project_log(rt, actor, project_id, before, limit)]
