"""Working folders in the data directory: owner-only, held while in use, removed at start-up
when the process that made them died.

A crash in the middle of an import used to leave its upload's copy and its unpacking folder
behind for good (27 MB per interrupted import). Each folder is now held with an `flock` for
as long as it is in use; the kernel lets go of it when its process ends, however it ends. So
any process can tell debris from a folder a live one (another `--workers` process, a CLI
import) is working in, and start-up removes only the debris. An import's folder is named after
it (`import-<id>-...`) and held from before its row is committed until its outcome is, so
start-up recovery can also tell a live import from one whose process died.
"""

from __future__ import annotations

import fcntl
import glob
import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

UPLOADS = "uploads"  # one folder per upload request, holding the upload's copy
IMPORT_PREFIX = "import-"  # where an import unpacks zips
URL_PREFIX = "url-"  # where a URL import downloads
HELD_FLAGS = os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW


@contextmanager
def scratch_dir(parent: Path, prefix: str) -> Iterator[Path]:
    """A new owner-only folder under `parent`, held while the block runs, then removed."""
    parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    path, fd = _new_held_dir(parent, prefix)
    try:
        yield path
    finally:
        shutil.rmtree(path, ignore_errors=True)
        os.close(fd)


def _new_held_dir(parent: Path, prefix: str) -> tuple[Path, int]:
    """A new folder and the descriptor holding it. Another process's start-up may take a
    folder for debris in the moment between its making and its holding, and remove it: then
    the lock is on a folder that is gone, so make another."""
    while True:
        path = Path(tempfile.mkdtemp(prefix=prefix, dir=parent))
        try:
            fd = os.open(path, HELD_FLAGS)
        except FileNotFoundError:
            continue
        fcntl.flock(fd, fcntl.LOCK_EX)
        try:
            if os.stat(path, follow_symlinks=False).st_ino == os.fstat(fd).st_ino:
                return path, fd
        except FileNotFoundError:
            pass
        os.close(fd)


def is_in_use(parent: Path, prefix: str) -> bool:
    """Whether a live process holds a working folder of `parent` whose name starts with
    `prefix`."""
    return any(_is_held(path) for path in parent.glob(f"{glob.escape(prefix)}*"))


def _is_held(path: Path) -> bool:
    try:
        fd = os.open(path, HELD_FLAGS)
    except OSError:  # gone, or not a folder of ours
        return False
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    finally:
        os.close(fd)  # closing lets go of a lock taken here
    return False


def remove_abandoned_dirs(data_dir: Path) -> list[Path]:
    """Remove the working folders of processes that died; returns what it removed."""
    candidates = [*data_dir.glob(f"{IMPORT_PREFIX}*"), *data_dir.glob(f"{URL_PREFIX}*")]
    uploads = data_dir / UPLOADS
    if uploads.is_dir() and not uploads.is_symlink():
        candidates += uploads.iterdir()
    return [path for path in sorted(candidates) if _remove_if_abandoned(path)]


def _remove_if_abandoned(path: Path) -> bool:
    try:
        fd = os.open(path, HELD_FLAGS)
    except OSError:  # not a folder (or a symbolic link): none of ours
        return False
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False  # a live process works in it
        shutil.rmtree(path, ignore_errors=True)
        return True
    finally:
        os.close(fd)
