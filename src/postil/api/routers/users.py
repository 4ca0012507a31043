"""User accounts, managed by administrators."""

from __future__ import annotations

from fastapi import APIRouter

from postil.api.body import StrictRoute
from postil.api.deps import ActorDep, RuntimeDep
from postil.api.models import UserBrief, UserCreate, UserOut
from postil.core.errors import ForbiddenError
from postil.services import users

router = APIRouter(prefix="/api/users", tags=["users"], route_class=StrictRoute)


@router.get("")
def list_users(actor: ActorDep, rt: RuntimeDep) -> list[UserOut] | list[UserBrief]:
    """Administrators get every account in full; others the ids and names of the people they
    share a project with, and their own."""
    found = users.list_users(rt, actor)
    if actor.is_admin:
        return [UserOut(**u) for u in found]
    return [UserBrief(**u) for u in found]


@router.post("", status_code=201)
def create_user(body: UserCreate, actor: ActorDep, rt: RuntimeDep) -> UserOut:
    if not actor.is_admin:
        raise ForbiddenError("only administrators create users")
    return UserOut(**users.create_user(rt, body.username, body.password, email=body.email,
                                       is_admin=body.is_admin, by=actor))
