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
from pathlib import Path, PurePosixPath
from typing import IO, BinaryIO

from postil.core.errors import InvalidError, TooLargeError

CHUNK = 1 << 16
# Small entries compress "too well" legitimately (a 10 KB file of spaces); judge ratio on bulk.
RATIO_MIN_BYTES = 1 << 20
DRIVE = re.compile(r"^[A-Za-z]:")
UNSAFE_CHARS = re.compile(r"[\x00-\x1f\x7f\\]")


def extract_zip(
    src: BinaryIO | Path,
    dest_dir: Path,
    *,
    max_entries: int,
    max_total_bytes: int,
    max_ratio: float,
) -> list[Path]:
    """Extract a zip into `dest_dir` (absent or empty; its parent must exist); files, sorted."""
    dest_dir = Path(dest_dir)
    if dest_dir.exists() and any(dest_dir.iterdir()):
        raise FileExistsError(f"{dest_dir} is not empty")
    try:
        with zipfile.ZipFile(src) as archive:
            plan = plan_entries(archive, max_entries, max_total_bytes, max_ratio)
            staging = Path(tempfile.mkdtemp(prefix=".extract-", dir=dest_dir.parent))
            try:
                write_entries(archive, plan, staging, max_total_bytes)
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
    archive: zipfile.ZipFile, max_entries: int, max_total_bytes: int, max_ratio: float
) -> list[tuple[zipfile.ZipInfo, PurePosixPath]]:
    """Validate every entry before anything is written; returns the files to extract."""
    infos = archive.infolist()
    if len(infos) > max_entries:
        raise TooLargeError(f"archive has {len(infos)} entries, over the limit of {max_entries}")
    plan: list[tuple[zipfile.ZipInfo, PurePosixPath]] = []
    seen: set[str] = set()
    total = 0
    for info in infos:
        rel = safe_entry_path(info)
        check_entry_size(info, max_ratio)
        if info.is_dir() or is_skipped(rel):
            continue
        if str(rel) in seen:
            raise entry_error(info, "appears twice in the archive")
        seen.add(str(rel))
        total += info.file_size
        if total > max_total_bytes:
            raise TooLargeError(
                f"archive unpacks to over {max_total_bytes} bytes (at entry {shown(info)})"
            )
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
    archive: zipfile.ZipFile,
    plan: list[tuple[zipfile.ZipInfo, PurePosixPath]],
    staging: Path,
    max_total_bytes: int,
) -> None:
    """Stream every planned entry into staging, counting the bytes really produced."""
    budget = max_total_bytes
    for info, rel in plan:
        target = staging.joinpath(*rel.parts)
        target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        if not target.parent.resolve().is_relative_to(staging.resolve()):
            raise entry_error(info, "points outside the archive")
        flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
        try:
            fd = os.open(target, flags, 0o600)
            with archive.open(info) as source, os.fdopen(fd, "wb") as out:
                budget -= copy_capped(source, out, min(info.file_size, budget), shown(info))
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
