"""SQLite's write-ahead log, copied back into the database by a thread of its own.

Left to itself, SQLite checkpoints inside the commit that takes the log past 1,000 pages:
that commit copies the pages and syncs the file, 10-20 ms more, and on the labeling loop
those commits were the whole p99 (23 ms against 11 ms without them, in-process). Engines made
with `make_engine(url, background_checkpoints=True)` leave that out; this thread does the
same work every half second, where waiting on the disk stops nobody (the sqlite3 module lets
go of the GIL while SQLite works, and a PASSIVE checkpoint waits for no reader or writer).
"""

from __future__ import annotations

import logging
import threading

from sqlalchemy import Engine

from postil.storage.db import is_sqlite

INTERVAL = 0.5  # seconds: the log stays a few megabytes under a steady stream of answers
log = logging.getLogger(__name__)


class WalCheckpointer:
    """Start it beside an engine made with background checkpoints; a no-op off SQLite."""

    def __init__(self, engine: Engine, interval: float = INTERVAL) -> None:
        self.engine, self.interval = engine, interval
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        if self._thread is None and is_sqlite(self.engine):
            self._thread = threading.Thread(target=self._run, name="postil-wal-checkpoint",
                                            daemon=True)
            self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join()
            self._thread = None

    def checkpoint(self) -> tuple[int, int, int]:
        """One PASSIVE checkpoint: (busy, pages in the log, pages copied back)."""
        raw = self.engine.raw_connection()
        try:
            cursor = raw.cursor()
            busy, logged, copied = cursor.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
            cursor.close()
            return int(busy), int(logged), int(copied)
        finally:
            raw.close()

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            try:
                self.checkpoint()
            except Exception:  # the next round retries; SQLite checkpoints at the last close
                log.exception("WAL checkpoint failed")
