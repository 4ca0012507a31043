"""Who the command line acts as: a named user, or the first administrator."""

from __future__ import annotations

from postil.core.errors import NotFoundError
from postil.services.runtime import Actor, Runtime
from postil.storage import users as repo
from postil.storage.db import read


def actor_for(rt: Runtime, username: str | None) -> Actor:
    with read(rt.engine) as conn:
        user = repo.find_user_by_name(conn, username) if username else repo.first_admin(conn)
    if user is None:
        raise NotFoundError("no such user; create an admin first: postil user create NAME --admin")
    return Actor(user["id"], user["username"], bool(user["is_admin"]))
