"""Serving stored media to members of the project it belongs to."""

from __future__ import annotations

import re
from pathlib import Path

from postil.core.errors import NotFoundError
from postil.core.ids import INT64_MAX
from postil.services.access import require
from postil.services.permissions import Action
from postil.services.runtime import Actor, Runtime
from postil.storage.db import read

# ASCII digits only: str.isdigit() also takes '²', which int() refuses.
PROJECT_ID = re.compile(r"[0-9]{1,19}")


def media_file(rt: Runtime, actor: Actor, key: str) -> tuple[Path, dict[str, str]]:
    """The file and its safe headers; NotFound for bad keys and for non-members alike."""
    head = key.split("/", 1)[0]
    if not PROJECT_ID.fullmatch(head) or int(head) > INT64_MAX:
        raise NotFoundError("media not found")
    with read(rt.engine) as conn:
        try:
            require(conn, actor, int(head), Action.VIEW_PROJECT)
        except NotFoundError:
            raise NotFoundError("media not found") from None
    path, info = rt.media.open(key)
    return path, rt.media.safe_headers(info.media_type)
