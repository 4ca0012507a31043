"""Safe zip extraction: every entry checked first, then all or nothing through a private dir."""

from __future__ import annotations

import os
import re
import shutil
import stat
import tempfile
import zipfile
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import IO, BinaryIO

from postil.core.errors import InvalidError, TooLargeError

CHUNK = 1 << 16
# Small entries compress "too well" legitimately (a 10 KB file of spaces); judge ratio on bulk.
RATIO_MIN_BYTES = 1 << 20
MAX_DEPTH = 3  # a zip in a zip in a zip; deeper is a bomb or a mistake
DRIVE = re.compile(r"^[A-Za-z]:")
UNSAFE_CHARS = re.compile(r"[\x00-\x1f\x7f\\]")


@dataclass(slots=True)
class UnpackBudget:
    """The limits of one upload, shared by every archive in it however deeply nested: an
    inner zip spends what the outer one left, it never starts a fresh budget.

    Bytes are charged at the sizes the entries declare, before anything is written, and the
    writes are capped at those sizes, so what lands on disk stays within `max_bytes`. The
    ratio is judged on the whole upload (every level's output against the bytes uploaded),
    so many small entries, each too small to judge alone, cannot dodge it."""

    max_bytes: int
    max_entries: int
    max_ratio: float
    packed_bytes: int  # what the client sent
    max_depth: int = MAX_DEPTH
    unpacked: int = 0
    entries: int = 0
    depth: int = 0

    @contextmanager
    def nested(self, name: str) -> Iterator[None]:
        """Around the unpacking and reading of one archive; InvalidError past `max_depth`."""
        if self.depth >= self.max_depth:
            msg = f"archives nested more than {self.max_depth} deep are not accepted"
            raise InvalidError(f"{name}: {msg}", [{"loc": ["file", name[:200]], "msg": msg}])
        self.depth += 1
        try:
            yield
        finally:
            self.depth -= 1

    def count_entries(self, count: int) -> None:
        """Charge an archive's entries; TooLargeError past the limit."""
        self.entries += count
        if self.entries > self.max_entries:
            before = self.entries - count
            held = f" (and {before} before it)" if before else ""
            raise TooLargeError(f"archive has {count} entries{held}, over the limit of "
                                f"{self.max_entries}")

    def charge(self, info: zipfile.ZipInfo) -> None:
        """Charge one entry's declared size; TooLargeError past the total or the ratio."""
        self.unpacked += info.file_size
        if self.unpacked > self.max_bytes:
            raise TooLargeError(
                f"archive unpacks to over {self.max_bytes} bytes (at entry {shown(info)})"
            )
        allowed = self.max_ratio * max(self.packed_bytes, 1)
        if self.unpacked > max(RATIO_MIN_BYTES, allowed):
            raise TooLargeError(
                f"the upload of {self.packed_bytes} bytes unpacks to over {allowed:.0f} bytes "
                f"(at entry {shown(info)}): a compression ratio over the limit of "
                f"{self.max_ratio:g}"
            )


def extract_zip(src: BinaryIO | Path, dest_dir: Path, budget: UnpackBudget) -> list[Path]:
    """Extract a zip into `dest_dir` (absent or empty; its parent must exist); files, sorted.
    What it unpacks is charged to `budget`."""
    dest_dir = Path(dest_dir)
    if dest_dir.exists() and any(dest_dir.iterdir()):
        raise FileExistsError(f"{dest_dir} is not empty")
    try:
        with zipfile.ZipFile(src) as archive:
            plan = plan_entries(archive, budget)
            staging = Path(tempfile.mkdtemp(prefix=".extract-", dir=dest_dir.parent))
            try:
                write_entries(archive, plan, staging)
                if dest_dir.exists():
                    dest_dir.rmdir()
                staging.rename(dest_dir)
            except BaseException:
                shutil.rmtree(staging, ignore_errors=True)
                raise
    except (zipfile.BadZipFile, zlib.error, EOFError) as exc:
        raise InvalidError("not a valid zip archive", [{"loc": ["file"], "msg": str(exc)}]) from exc
    return sorted(dest_dir / rel for _, rel in plan)


def plan_entries(
    archive: zipfile.ZipFile, budget: UnpackBudget
) -> list[tuple[zipfile.ZipInfo, PurePosixPath]]:
    """Validate every entry before anything is written; returns the files to extract."""
    infos = archive.infolist()
    budget.count_entries(len(infos))
    plan: list[tuple[zipfile.ZipInfo, PurePosixPath]] = []
    seen: set[str] = set()
    for info in infos:
        rel = safe_entry_path(info)
        check_entry_size(info, budget.max_ratio)
        if info.is_dir() or is_skipped(rel):
            continue
        if str(rel) in seen:
            raise entry_error(info, "appears twice in the archive")
        seen.add(str(rel))
        budget.charge(info)
        plan.append((info, rel))
    check_file_dir_clash(plan)
    return plan


def safe_entry_path(info: zipfile.ZipInfo) -> PurePosixPath:
    """The entry's relative path, or InvalidError for traversal, absolute, links and the like."""
    name = info.filename
    if UNSAFE_CHARS.search(name):
        raise entry_error(info, "has a backslash or control character in its name")
    if name.startswith("/") or DRIVE.match(name):
        raise entry_error(info, "has an absolute path")
    parts = [p for p in name.split("/") if p not in ("", ".")]
    if ".." in parts:
        raise entry_error(info, "points outside the archive (..)")
    if not parts:
        raise entry_error(info, "has an empty name")
    if stat.S_ISLNK(info.external_attr >> 16):
        raise entry_error(info, "is a symbolic link")
    if info.flag_bits & 0x1:
        raise entry_error(info, "is encrypted")
    return PurePosixPath(*parts)


def check_entry_size(info: zipfile.ZipInfo, max_ratio: float) -> None:
    """Refuse an entry whose declared sizes say it is a compression bomb."""
    if info.file_size >= RATIO_MIN_BYTES:
        ratio = info.file_size / max(info.compress_size, 1)
        if ratio > max_ratio:
            raise TooLargeError(
                f"entry {shown(info)} has a compression ratio of {ratio:.0f}, "
                f"over the limit of {max_ratio:g}"
            )


def check_file_dir_clash(plan: list[tuple[zipfile.ZipInfo, PurePosixPath]]) -> None:
    """An entry cannot be both a file and the folder of another entry ('a' and 'a/b')."""
    files = {str(rel): info for info, rel in plan}
    for info, rel in plan:
        for parent in rel.parents:
            if str(parent) in files:
                raise entry_error(info, f"is inside {shown(files[str(parent)])}, which is a file")


def is_skipped(rel: PurePosixPath) -> bool:
    """macOS resource forks and dotfiles are not content."""
    return rel.parts[0] == "__MACOSX" or any(p.startswith(".") for p in rel.parts)


def write_entries(
    archive: zipfile.ZipFile, plan: list[tuple[zipfile.ZipInfo, PurePosixPath]], staging: Path
) -> None:
    """Stream every planned entry into staging, each capped at the size it declared (and
    was charged for)."""
    for info, rel in plan:
        target = staging.joinpath(*rel.parts)
        target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        if not target.parent.resolve().is_relative_to(staging.resolve()):
            raise entry_error(info, "points outside the archive")
        flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
        try:
            fd = os.open(target, flags, 0o600)
            with archive.open(info) as source, os.fdopen(fd, "wb") as out:
                copy_capped(source, out, info.file_size, shown(info))
        except (zipfile.BadZipFile, zlib.error, EOFError, RuntimeError, NotImplementedError) as exc:
            raise entry_error(info, f"cannot be read: {exc}") from exc


def copy_capped(source: IO[bytes], out: IO[bytes], limit: int, name: str) -> int:
    """Copy at most `limit` bytes; more means the headers lied, so TooLargeError."""
    written = 0
    while chunk := source.read(CHUNK):
        written += len(chunk)
        if written > limit:
            raise TooLargeError(f"entry {name} unpacks to more bytes than allowed")
        out.write(chunk)
    return written


def shown(info: zipfile.ZipInfo) -> str:
    """An entry name made safe for an error message."""
    return repr(info.filename[:200])


def entry_error(info: zipfile.ZipInfo, msg: str) -> InvalidError:
    """An InvalidError naming one archive entry."""
    return InvalidError(
        f"entry {shown(info)} {msg}", [{"loc": ["file", info.filename[:200]], "msg": msg}]
    )


def iter_media_files(folder: Path) -> Iterator[Path]:
    """Regular files under `folder`, sorted, skipping dotfiles, __MACOSX and every symlink."""
    root = Path(folder)
    found: list[Path] = []
    for dirpath, dirnames, filenames in os.walk(root, followlinks=False):
        here = Path(dirpath)
        dirnames[:] = [
            d
            for d in dirnames
            if not d.startswith(".") and d != "__MACOSX" and not (here / d).is_symlink()
        ]
        found.extend(
            here / f for f in filenames if not f.startswith(".") and not (here / f).is_symlink()
        )
    yield from sorted(found, key=lambda p: p.relative_to(root).parts)
