"""Logins reach the password check (argon2) in turn, off the event loop, at low CPU priority;
a throttled one is answered after a pause that costs nothing.

argon2 takes ~150 ms of CPU and 64 MiB per check. At most `CHECKS_AT_ONCE` run at a time in
a process, in threads of their own 10 nice levels below the server's (Linux): other logins
wait their turn on the event loop, holding no thread, so a flood of wrong passwords takes
neither every core, nor the CPU that requests in progress need, nor the thread pool. Only
the check runs there: the look-up before it and the write after it run at normal priority,
so a starved check never holds SQLite's writer.

A throttled login (429) is answered after `THROTTLED_PAUSE` seconds spent on the event loop:
a client looping on logins gets an answer a second per connection, not thousands, each of
them a request the server must parse.
"""

from __future__ import annotations

import asyncio
import os
import sys
import threading
from concurrent.futures import ThreadPoolExecutor

from fastapi import Request

from postil.api.short_writes import short_read, short_write
from postil.core.errors import ThrottledError
from postil.services import users
from postil.services.runtime import Runtime

CHECKS_AT_ONCE = max(1, (os.cpu_count() or 2) // 2)
THROTTLED_PAUSE = 1.0
NICER = 10  # nice levels below the server's


def lower_priority() -> None:
    """Makes the calling thread yield the CPU to the server's other threads (Linux counts
    nice levels per thread; elsewhere this does nothing)."""
    if sys.platform != "linux":
        return
    thread = threading.get_native_id()
    os.setpriority(os.PRIO_PROCESS, thread, min(19, os.getpriority(os.PRIO_PROCESS, thread)
                                                + NICER))


checks = ThreadPoolExecutor(CHECKS_AT_ONCE, thread_name_prefix="password-check",
                            initializer=lower_priority)


async def log_in(request: Request, rt: Runtime, username: str,
                 password: str) -> users.SessionTokens:
    """A new session, or 401; 429 (after the pause) while the account or address waits."""
    address = request.client.host if request.client else ""
    try:
        attempt = await short_read(rt, users.start_login, rt, username, address)
    except ThrottledError as err:
        await asyncio.sleep(min(THROTTLED_PAUSE, err.retry_after))
        raise
    correct = await asyncio.get_running_loop().run_in_executor(
        checks, users.check_password, attempt, password)
    return await short_write(rt, users.finish_login, rt, attempt, correct)
