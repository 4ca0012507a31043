"""Request dependencies: the runtime, and the actor from an API token or a session + CSRF."""

from __future__ import annotations

import hmac
from typing import Annotated

from fastapi import Depends, Request

from postil.api.short_writes import short_read
from postil.core.errors import ForbiddenError, UnauthenticatedError
from postil.services import users
from postil.services.runtime import Actor, Runtime

SESSION_COOKIE = "postil_session"
CSRF_COOKIE = "postil_csrf"
CSRF_HEADER = "x-csrf-token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


async def get_runtime(request: Request) -> Runtime:
    """Async on purpose: a sync dependency costs a trip through the thread pool."""
    runtime: Runtime = request.app.state.runtime
    return runtime


async def get_actor(request: Request, rt: Annotated[Runtime, Depends(get_runtime)]) -> Actor:
    """Token auth (`Authorization: Token ...`) or a session cookie, CSRF-checked when unsafe.

    Async, with its one indexed read run in place on SQLite: a trip through the thread pool
    would cost more than the read, and every request makes it (`short_read`).
    """
    auth = request.headers.get("authorization", "")
    if auth:
        scheme, _, token = auth.partition(" ")
        if scheme.lower() not in ("token", "bearer") or not token:
            raise UnauthenticatedError("use 'Authorization: Token <token>'")
        return await short_read(rt, users.actor_from_token, rt, token.strip())
    session = request.cookies.get(SESSION_COOKIE)
    if not session:
        raise UnauthenticatedError("log in first")
    actor, csrf = await short_read(rt, users.actor_from_session, rt, session)
    if request.method not in SAFE_METHODS:
        check_csrf(request, csrf)
    return actor


def check_csrf(request: Request, csrf: str) -> None:
    """The session's CSRF token must come back in the header (another site cannot read it)."""
    sent = request.headers.get(CSRF_HEADER, "")
    if not hmac.compare_digest(sent.encode(), csrf.encode()):
        raise ForbiddenError("missing or wrong CSRF token (send the X-CSRF-Token header)")


RuntimeDep = Annotated[Runtime, Depends(get_runtime)]
ActorDep = Annotated[Actor, Depends(get_actor)]
