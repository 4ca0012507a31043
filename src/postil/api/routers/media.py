"""Media files, served with server-chosen types and headers that keep them inert."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import FileResponse

from postil.api.deps import ActorDep, RuntimeDep
from postil.services import media

router = APIRouter(prefix="/api/media", tags=["media"])


@router.get("/{key:path}", response_class=FileResponse)
def get_media(key: str, actor: ActorDep, rt: RuntimeDep) -> FileResponse:
    path, headers = media.media_file(rt, actor, key)
    return FileResponse(path, headers=headers, media_type=headers["Content-Type"])
