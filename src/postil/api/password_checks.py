"""Logins reach the password check (argon2) in turn and off the event loop; a throttled one
is answered after a pause that costs nothing.

argon2 takes ~150 ms of CPU and 64 MiB per check. At most `CHECKS_AT_ONCE` run at a time in
a process, in worker threads; other logins wait their turn on the event loop, holding no
thread, so a flood of logins takes neither every core nor the thread pool the other
requests need. A throttled login (429) is answered after `THROTTLED_PAUSE` seconds spent on
the event loop: a client looping on logins gets an answer a second per connection, not
thousands, each of them a request the server must parse.
"""

from __future__ import annotations

import asyncio
import os
from functools import partial

from anyio import CapacityLimiter, to_thread
from fastapi import FastAPI, Request

from postil.api.short_writes import short_read
from postil.core.errors import ThrottledError
from postil.services import login_throttle, users
from postil.services.runtime import Runtime

CHECKS_AT_ONCE = max(1, (os.cpu_count() or 2) // 2)
THROTTLED_PAUSE = 1.0


def _limiter(app: FastAPI) -> CapacityLimiter:
    """The app's own limiter (made on first use, on the event loop: no race)."""
    limiter: CapacityLimiter | None = getattr(app.state, "password_checks", None)
    if limiter is None:
        limiter = app.state.password_checks = CapacityLimiter(CHECKS_AT_ONCE)
    return limiter


async def log_in(request: Request, rt: Runtime, username: str,
                 password: str) -> users.SessionTokens:
    """A new session, or 401; 429 (after the pause) while the account or address waits."""
    address = request.client.host if request.client else ""
    try:
        await short_read(rt, login_throttle.check, rt, username, address)
        return await to_thread.run_sync(partial(users.login, rt, username, password, address),
                                        limiter=_limiter(request.app))
    except ThrottledError as err:
        await asyncio.sleep(min(THROTTLED_PAUSE, err.retry_after))
        raise
