"""Running an iterator ahead of its consumer in a thread, so parsing overlaps database work.

The database drivers release the GIL while they execute, so reading and checking the next
batch of an import (Python) proceeds while the previous one is inserted (C).
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Iterator
from typing import TypeVar

T = TypeVar("T")
_DONE = object()


def read_ahead(items: Iterator[T], depth: int = 2048) -> Iterator[T]:
    """Yield what `items` yields, produced by a thread up to `depth` items ahead.

    An exception in the producer is raised here, in order; if the consumer stops early
    (an error, or closing the generator), the producer stops too.
    """
    buffer: queue.Queue[object] = queue.Queue(maxsize=depth)
    stop = threading.Event()

    def put(item: object) -> bool:
        while not stop.is_set():
            try:
                buffer.put(item, timeout=0.1)
                return True
            except queue.Full:
                continue
        return False

    def produce() -> None:
        try:
            for item in items:
                if not put(item):
                    return
        except BaseException as err:  # handed to the consumer, which re-raises it
            put(_Failure(err))
            return
        put(_DONE)

    worker = threading.Thread(target=produce, name="postil-read-ahead", daemon=True)
    worker.start()
    try:
        while (item := buffer.get()) is not _DONE:
            if isinstance(item, _Failure):
                raise item.error
            yield item  # type: ignore[misc]
    finally:
        stop.set()
        worker.join()


class _Failure:
    __slots__ = ("error",)

    def __init__(self, error: BaseException) -> None:
        self.error = error
