"""Instance-wide settings, for administrators: who may create projects."""

from __future__ import annotations

from fastapi import APIRouter

from postil.api.body import StrictRoute
from postil.api.deps import ActorDep, RuntimeDep
from postil.api.models import InstanceSettingsOut, InstanceSettingsUpdate
from postil.services import instance_settings

router = APIRouter(prefix="/api/settings", tags=["settings"], route_class=StrictRoute)


@router.get("")
def get_settings(actor: ActorDep, rt: RuntimeDep) -> InstanceSettingsOut:
    return InstanceSettingsOut(**instance_settings.get_settings(rt, actor))


@router.patch("")
def update_settings(body: InstanceSettingsUpdate, actor: ActorDep,
                    rt: RuntimeDep) -> InstanceSettingsOut:
    changes = body.model_dump(exclude_unset=True)
    return InstanceSettingsOut(**instance_settings.update_settings(rt, actor, changes))
