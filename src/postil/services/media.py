"""Serving stored media to members of the project it belongs to."""

from __future__ import annotations

from pathlib import Path

from postil.core.errors import NotFoundError
from postil.services.access import require
from postil.services.permissions import Action
from postil.services.runtime import Actor, Runtime
from postil.storage.db import read


def media_file(rt: Runtime, actor: Actor, key: str) -> tuple[Path, dict[str, str]]:
    """The file and its safe headers; NotFound for bad keys and for non-members alike."""
    head = key.split("/", 1)[0]
    if not head.isdigit():
        raise NotFoundError("media not found")
    with read(rt.engine) as conn:
        try:
            require(conn, actor, int(head), Action.VIEW_PROJECT)
        except NotFoundError:
            raise NotFoundError("media not found") from None
    path, info = rt.media.open(key)
    return path, rt.media.safe_headers(info.media_type)
