"""The tasks an import has read and checked, kept in a file of its working folder until its
write transaction sends them: memory stays flat, and the database's writer is held for the
writes alone, not for reading, parsing and checking the upload (security promise 14).

The file is pickled: this process writes it into its own owner-only, held folder and reads it
back moments later, so nothing another party wrote is ever unpickled.
"""

from __future__ import annotations

import os
import pickle  # nosec B403  # only our own file, see above
from collections.abc import Iterator
from pathlib import Path
from typing import Any

BATCH = 5000  # items per pickle: one executemany's worth


class TaskSpool:
    """Items (packed tasks, or tasks with their annotations) added one by one, read back in
    batches of up to `batch`, in the order they came."""

    def __init__(self, path: Path, batch: int = BATCH) -> None:
        self.path, self.batch = path, batch
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600)
        self._out = os.fdopen(fd, "wb")
        self._pending: list[Any] = []

    def add(self, item: Any) -> None:
        self._pending.append(item)
        if len(self._pending) >= self.batch:
            self._dump()

    def close(self) -> None:
        """Write out what is pending and close the spool for writing."""
        if not self._out.closed:
            try:
                self._dump()
            finally:
                self._out.close()

    def batches(self) -> Iterator[list[Any]]:
        """The items, batch by batch, once the spool is closed."""
        if not self._out.closed:
            raise ValueError("close the spool before reading it")
        with self.path.open("rb") as source:
            while True:
                try:
                    yield pickle.load(source)  # noqa: S301  # nosec B301  # our own file
                except EOFError:
                    return

    def _dump(self) -> None:
        if self._pending:
            pickle.dump(self._pending, self._out, protocol=pickle.HIGHEST_PROTOCOL)
            self._pending = []
