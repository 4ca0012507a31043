"""The labeling loop's short writes, run on the event loop when they would not wait.

A plain `def` route costs two trips through the thread pool (the handler, then the response
check), and every trip hands the GIL between threads. `next`, submit, skip and autosave take
about a millisecond of SQLite work: when SQLite's writer is free they run in place, holding
it, so they cannot block the loop; when it is busy (an import, another process) or the
database is PostgreSQL, they wait in the thread pool as before.

Reads every request makes (authentication) run in place on SQLite, where they are a local
file read, and in the thread pool on PostgreSQL, where they wait on the network and on a
pooled connection: in place, that wait stopped the whole event loop.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import ParamSpec, TypeVar

from starlette.concurrency import run_in_threadpool

from postil.services.runtime import Runtime

P = ParamSpec("P")
T = TypeVar("T")


async def short_write(rt: Runtime, use_case: Callable[P, T], *args: P.args,
                      **kwargs: P.kwargs) -> T:
    with rt.writer_if_free() as held:
        if held:
            return use_case(*args, **kwargs)
    return await run_in_threadpool(use_case, *args, **kwargs)


async def short_read(rt: Runtime, use_case: Callable[P, T], *args: P.args,
                     **kwargs: P.kwargs) -> T:
    if rt.reads_in_place:
        return use_case(*args, **kwargs)
    return await run_in_threadpool(use_case, *args, **kwargs)
