"""Backup and restore of a whole instance: every table's rows, the media files and a manifest
in one zip, restored into an empty instance all or nothing, across SQLite and PostgreSQL.

Archive layout: `manifest.json` (Postil version, Alembic revision, rows and bytes per table,
media count and bytes), `tables/<table>.jsonl` (see storage/backup.py) and
`media/<project>/<fan>/<sha256>.<ext>` (the media store's keys).
"""

from __future__ import annotations

import os
import shutil
import tempfile
import time
import zipfile
import zlib
from pathlib import Path
from typing import Any

import orjson
from sqlalchemy import Connection, Table

from postil import __version__
from postil.core.errors import ConflictError, InvalidError, PostilError, TooLargeError
from postil.services.runtime import Runtime
from postil.storage import audit, migrate
from postil.storage.archives import UnpackBudget, extract_zip, iter_media_files
from postil.storage.backup import (
    TABLES,
    dump_rows,
    load_rows,
    lock_tables,
    nonempty_tables,
    project_ids,
    reset_sequences,
    snapshot,
)
from postil.storage.clock import utcnow
from postil.storage.db import bulk_write, read, write
from postil.storage.media import KEY_PATTERN

FORMAT = "postil-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
MAX_MANIFEST_BYTES = 1 << 20


def create_backup(rt: Runtime, output: Path) -> dict[str, Any]:
    """Write the archive to `output`: whole or not at all, readable by its owner only (it
    holds password and token hashes). Returns the manifest."""
    fd, name = tempfile.mkstemp(dir=output.parent, prefix=f".{output.name}.", suffix=".partial")
    partial = Path(name)
    try:
        with os.fdopen(fd, "wb") as out:
            with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, allowZip64=True) as archive, \
                    snapshot(rt.engine) as conn:
                manifest = _write_snapshot(rt, conn, archive)
            out.flush()
            os.fsync(out.fileno())
        os.replace(partial, output)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    with write(rt.engine) as conn:
        audit.append(conn, "backup_created", None, detail=_summary(manifest, output))
    return manifest


def _write_snapshot(rt: Runtime, conn: Connection, archive: zipfile.ZipFile) -> dict[str, Any]:
    revision = migrate.revision_of(conn)  # the first read: it fixes SQLite's snapshot
    if revision is None:
        raise ConflictError("the database has no tables yet: nothing to back up")
    created = utcnow()
    tables = {str(table.name): _write_table(conn, table, archive) for table in TABLES}
    media = _write_media(rt.media.root, project_ids(conn), archive)
    manifest = {"format": FORMAT, "format_version": FORMAT_VERSION,
                "postil_version": __version__, "alembic_revision": revision,
                "database": conn.dialect.name, "created_at": created.isoformat(),
                "tables": tables, "media": media}
    archive.writestr(MANIFEST, orjson.dumps(manifest, option=orjson.OPT_INDENT_2))
    return manifest


def _write_table(conn: Connection, table: Table, archive: zipfile.ZipFile) -> dict[str, int]:
    rows = size = 0
    entry = zipfile.ZipInfo(f"tables/{table.name}.jsonl", date_time=time.localtime()[:6])
    entry.compress_type = zipfile.ZIP_DEFLATED
    with archive.open(entry, "w", force_zip64=True) as out:
        for lines in dump_rows(conn, table):
            chunk = b"".join(lines)
            out.write(chunk)
            rows, size = rows + len(lines), size + len(chunk)
    return {"rows": rows, "bytes": size}


def _write_media(root: Path, projects: list[int], archive: zipfile.ZipFile) -> dict[str, int]:
    """The files of the snapshot's projects (leftovers of deleted projects stay out), stored
    uncompressed: images and audio are compressed already."""
    files = size = 0
    for project_id in projects:
        for path in iter_media_files(root / str(project_id)):
            key = path.relative_to(root).as_posix()
            if KEY_PATTERN.fullmatch(key):
                archive.write(path, f"media/{key}", compress_type=zipfile.ZIP_STORED)
                files, size = files + 1, size + archive.getinfo(f"media/{key}").file_size
    return {"files": files, "bytes": size}


def restore_backup(rt: Runtime, path: Path) -> dict[str, Any]:
    """Load a backup into this empty instance, all or nothing: rows in one transaction, media
    files moved in once it has committed. Returns a summary."""
    manifest = read_manifest(path)
    with read(rt.engine) as conn:
        _check_target(conn)  # fail before unpacking gigabytes
    staging = Path(tempfile.mkdtemp(prefix=".restore-", dir=rt.settings.data_dir))
    try:
        unpacked = _unpack(rt, path, manifest, staging / "archive")
        with write(rt.engine) as conn, bulk_write(conn):
            lock_tables(conn)
            _check_target(conn)
            _load_tables(conn, unpacked, manifest)
            reset_sequences(conn)
            audit.append(conn, "backup_restored", None, detail=_summary(manifest, path))
        _move_media(unpacked / "media", rt.media.root, staging)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    rt.indexer.notify()  # SQLite's search index is rebuilt from the tasks, in the background
    return _summary(manifest, path)


def _summary(manifest: dict[str, Any], path: Path) -> dict[str, Any]:
    return {"file": path.name, "postil_version": manifest["postil_version"],
            "alembic_revision": manifest["alembic_revision"],
            "created_at": manifest["created_at"],
            "rows": {name: t["rows"] for name, t in manifest["tables"].items()},
            "media_files": manifest["media"]["files"]}


def _check_target(conn: Connection) -> None:
    head, current = migrate.head_revision(), migrate.revision_of(conn)
    if current != head:
        raise ConflictError(f"the target database is at revision {current}, not {head}: "
                            "run `postil db upgrade` first")
    if busy := nonempty_tables(conn):
        raise ConflictError(f"the target instance is not empty (rows in {', '.join(busy)}): "
                            "restore into a new data directory and database")


def read_manifest(path: Path) -> dict[str, Any]:
    """The archive's manifest, checked against this version of Postil."""
    try:
        with zipfile.ZipFile(path) as archive:
            info = next((i for i in archive.infolist() if i.filename == MANIFEST), None)
            if info is None:
                raise malformed(f"no {MANIFEST}: not a Postil backup")
            if info.file_size > MAX_MANIFEST_BYTES:
                raise malformed(f"{MANIFEST} is over {MAX_MANIFEST_BYTES} bytes")
            with archive.open(info) as f:
                data = f.read(MAX_MANIFEST_BYTES + 1)
        if len(data) > MAX_MANIFEST_BYTES:
            raise malformed(f"{MANIFEST} is over {MAX_MANIFEST_BYTES} bytes")
        manifest = orjson.loads(data)
    except (zipfile.BadZipFile, zlib.error, EOFError, RuntimeError, NotImplementedError) as exc:
        raise InvalidError("not a valid zip archive", [{"loc": ["file"], "msg": str(exc)}]) from exc
    except orjson.JSONDecodeError as exc:
        raise malformed(f"{MANIFEST} is not JSON ({exc})") from None
    return check_manifest(manifest)


def check_manifest(manifest: Any) -> dict[str, Any]:
    """InvalidError for a manifest we cannot trust the shape of; ConflictError for a backup of
    another database revision."""
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise malformed(f"{MANIFEST} does not describe a Postil backup")
    if manifest.get("format_version") != FORMAT_VERSION:
        raise malformed(f"backup format {manifest.get('format_version')!r} is not "
                        f"{FORMAT_VERSION}: restore it with the Postil that wrote it")
    head, revision = migrate.head_revision(), manifest.get("alembic_revision")
    if revision != head:
        raise ConflictError(
            f"the backup is of database revision {revision!r} (Postil "
            f"{manifest.get('postil_version')}), this Postil is at {head!r}: restore it with "
            "that version of Postil, then upgrade")
    tables = manifest.get("tables")
    if not isinstance(tables, dict):
        raise malformed(f"{MANIFEST} has no table list")
    if unknown := sorted(set(tables) - {t.name for t in TABLES}):
        raise malformed(f"unknown table {', '.join(map(repr, unknown))[:200]} in {MANIFEST}")
    if missing := sorted({t.name for t in TABLES} - set(tables)):
        raise malformed(f"table {', '.join(missing)} missing from {MANIFEST}")
    for name, counts in [*tables.items(), ("media", manifest.get("media"))]:
        keys = ("files", "bytes") if name == "media" else ("rows", "bytes")
        if not isinstance(counts, dict) or not all(_is_count(counts.get(k)) for k in keys):
            raise malformed(f"{MANIFEST}: {name} needs counts of {' and '.join(keys)}")
    return manifest


def _is_count(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def malformed(msg: str) -> InvalidError:
    return InvalidError(f"malformed backup: {msg}", [{"loc": ["file"], "msg": msg}])


def _unpack(rt: Runtime, path: Path, manifest: dict[str, Any], dest: Path) -> Path:
    """Extract through the safe archive code, capped by what the manifest declares: the
    extraction counts the bytes really written, so a lying manifest cannot get past it."""
    media = manifest["media"]
    declared = sum(t["bytes"] for t in manifest["tables"].values()) + media["bytes"]
    free = shutil.disk_usage(rt.settings.data_dir).free
    if declared > free:
        raise TooLargeError(f"the backup unpacks to {declared} bytes; the data directory's "
                            f"disk has {free} free")
    extract_zip(path, dest, UnpackBudget(
        max_bytes=declared + MAX_MANIFEST_BYTES, max_entries=len(TABLES) + media["files"] + 1,
        max_ratio=rt.settings.max_zip_ratio, packed_bytes=path.stat().st_size))
    _check_files(dest, manifest)
    return dest


def _check_files(dest: Path, manifest: dict[str, Any]) -> None:
    """Exactly the manifest's table files, with its sizes, and media files under their keys."""
    expected = {f"tables/{name}.jsonl": t["bytes"] for name, t in manifest["tables"].items()}
    files = size = 0
    for path in iter_media_files(dest):
        rel, length = path.relative_to(dest).as_posix(), path.stat().st_size
        if rel in expected:
            if length != (declared := expected.pop(rel)):
                raise malformed(f"{rel} holds {length} bytes, {MANIFEST} says {declared}")
        elif rel.startswith("media/") and KEY_PATTERN.fullmatch(rel.removeprefix("media/")):
            files, size = files + 1, size + length
        elif rel != MANIFEST:
            raise malformed(f"unexpected entry {rel[:200]!r}")
    if expected:
        raise malformed(f"{', '.join(sorted(expected))} missing")
    if (files, size) != (manifest["media"]["files"], manifest["media"]["bytes"]):
        raise malformed(f"{files} media files of {size} bytes, not the "
                        f"{manifest['media']['files']} of {manifest['media']['bytes']} bytes "
                        f"of {MANIFEST}")


def _load_tables(conn: Connection, unpacked: Path, manifest: dict[str, Any]) -> None:
    for table in TABLES:
        name = f"tables/{table.name}.jsonl"
        with (unpacked / name).open("rb") as lines:
            count = load_rows(conn, table, lines, name)
        expected = manifest["tables"][table.name]["rows"]
        if count != expected:
            raise malformed(f"{name} has {count} rows, {MANIFEST} says {expected}")


def _move_media(source: Path, root: Path, staging: Path) -> None:
    """Into the media store, after the commit (a rename on the same disk)."""
    try:
        for path in iter_media_files(source):
            target = root / path.relative_to(source)
            target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            shutil.move(path, target)
    except OSError as exc:
        kept = staging.with_name(staging.name.replace(".restore-", "restore-unmoved-"))
        staging.rename(kept)
        raise PostilError(f"the database is restored but moving media failed ({exc}); "
                          f"move the files under {kept / 'archive' / 'media'} into {root}") from exc
