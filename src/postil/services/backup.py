"""Backup and restore of a whole instance: every table's rows, the media files and a manifest
in one zip, restored into an empty instance all or nothing, across SQLite and PostgreSQL.

Archive layout: `manifest.json` (Postil version, Alembic revision, rows, bytes and SHA-256 per
table, media count, bytes and the SHA-256 of `media.sha256`), `tables/<table>.jsonl` (see
storage/backup.py), `media/<project>/<fan>/<sha256>.<ext>` (the media store's keys),
`media.sha256` (the SHA-256 of each media file) and, when signed, `manifest.hmac` (see
services/backup_integrity.py). Every file is checked before anything is written.
"""

from __future__ import annotations

import hashlib
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
from postil.services.backup_integrity import (
    MAX_SIGNATURE_BYTES,
    MEDIA_LIST,
    SIGNATURE,
    check_signature,
    copy_hashing,
    file_sha256,
    is_sha256,
    media_listing,
    parse_media_listing,
    sign,
)
from postil.services.runtime import Runtime
from postil.storage import audit, migrate
from postil.storage.archives import UnpackBudget, extract_zip, iter_media_files, safe_entry_path
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
FORMAT_VERSION = 2  # 2: a SHA-256 per file, an optional signature
MANIFEST = "manifest.json"
MAX_MANIFEST_BYTES = 1 << 20
MAX_LISTING_LINE = 170  # bytes of one media.sha256 line: hash, two spaces, the longest key


def create_backup(rt: Runtime, output: Path, sign_key: bytes | None = None) -> dict[str, Any]:
    """Write the archive to `output`: whole or not at all, readable by its owner only (it
    holds password and token hashes), signed when a key is given. Returns the manifest."""
    fd, name = tempfile.mkstemp(dir=output.parent, prefix=f".{output.name}.", suffix=".partial")
    partial = Path(name)
    try:
        with os.fdopen(fd, "wb") as out:
            with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, allowZip64=True) as archive, \
                    snapshot(rt.engine) as conn:
                manifest = _write_snapshot(rt, conn, archive, sign_key)
            out.flush()
            os.fsync(out.fileno())
        os.replace(partial, output)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    with write(rt.engine) as conn:
        audit.append(conn, "backup_created", None, detail=_summary(manifest, output))
    return manifest


def _write_snapshot(rt: Runtime, conn: Connection, archive: zipfile.ZipFile,
                    sign_key: bytes | None) -> dict[str, Any]:
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
    data = orjson.dumps(manifest, option=orjson.OPT_INDENT_2)
    archive.writestr(MANIFEST, data)
    if sign_key is not None:
        archive.writestr(SIGNATURE, sign(data, sign_key))
    return manifest


def _write_table(conn: Connection, table: Table,
                 archive: zipfile.ZipFile) -> dict[str, int | str]:
    rows = size = 0
    digest = hashlib.sha256()
    entry = zipfile.ZipInfo(f"tables/{table.name}.jsonl", date_time=time.localtime()[:6])
    entry.compress_type = zipfile.ZIP_DEFLATED
    with archive.open(entry, "w", force_zip64=True) as out:
        for lines in dump_rows(conn, table):
            chunk = b"".join(lines)
            out.write(chunk)
            digest.update(chunk)
            rows, size = rows + len(lines), size + len(chunk)
    return {"rows": rows, "bytes": size, "sha256": digest.hexdigest()}


def _write_media(root: Path, projects: list[int],
                 archive: zipfile.ZipFile) -> dict[str, int | str]:
    """The files of the snapshot's projects (leftovers of deleted projects stay out), stored
    uncompressed (images and audio are compressed already), and the list of their SHA-256."""
    checksums: list[tuple[str, str]] = []
    size = 0
    for project_id in projects:
        for path in iter_media_files(root / str(project_id)):
            key = path.relative_to(root).as_posix()
            if KEY_PATTERN.fullmatch(key):
                entry = zipfile.ZipInfo.from_file(path, f"media/{key}")
                entry.compress_type = zipfile.ZIP_STORED
                with path.open("rb") as source, archive.open(entry, "w", force_zip64=True) as out:
                    length, sha = copy_hashing(source, out)
                checksums.append((entry.filename, sha))
                size += length
    listing = media_listing(checksums)
    archive.writestr(MEDIA_LIST, listing, compress_type=zipfile.ZIP_DEFLATED)
    return {"files": len(checksums), "bytes": size, "sha256": hashlib.sha256(listing).hexdigest()}


def restore_backup(rt: Runtime, path: Path, verify_key: bytes | None = None) -> dict[str, Any]:
    """Load a backup into this empty instance, all or nothing: every file checked against its
    SHA-256 (and the manifest against its signature, given the key) first, rows in one
    transaction, media files moved in once it has committed. Returns a summary."""
    manifest, signature = read_manifest(path, verify_key)
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
    return {**_summary(manifest, path), "signature": signature}


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


def read_manifest(path: Path, verify_key: bytes | None = None) -> tuple[dict[str, Any], str]:
    """The archive's manifest, checked against this version of Postil, its entries and, given
    a key, its signature; and what was found of the signature: verified, not verified (signed,
    no key given) or none."""
    try:
        with zipfile.ZipFile(path) as archive:
            data = _read_member(archive, MANIFEST, MAX_MANIFEST_BYTES)
            if data is None:
                raise malformed(f"no {MANIFEST}: not a Postil backup")
            signature = _read_member(archive, SIGNATURE, MAX_SIGNATURE_BYTES)
            if verify_key is not None:
                check_signature(data, signature, verify_key)
            manifest = check_manifest(orjson.loads(data))
            _check_entries(archive, manifest)
    except (zipfile.BadZipFile, zlib.error, EOFError, RuntimeError, NotImplementedError) as exc:
        raise InvalidError("not a valid zip archive", [{"loc": ["file"], "msg": str(exc)}]) from exc
    except orjson.JSONDecodeError as exc:
        raise malformed(f"{MANIFEST} is not JSON ({exc})") from None
    if signature is None:
        return manifest, "none: the backup is not signed"
    if verify_key is None:
        return manifest, "not verified: the backup is signed, give --verify-key-file to check it"
    return manifest, "verified"


def _read_member(archive: zipfile.ZipFile, name: str, limit: int) -> bytes | None:
    info = next((i for i in archive.infolist() if i.filename == name), None)
    if info is None:
        return None
    if info.file_size > limit:
        raise malformed(f"{name} is over {limit} bytes")
    with archive.open(info) as f:
        data = f.read(limit + 1)
    if len(data) > limit:
        raise malformed(f"{name} is over {limit} bytes")
    return data


def _check_entries(archive: zipfile.ZipFile, manifest: dict[str, Any]) -> None:
    """Every entry is one the manifest accounts for, and none is missing (unsafe names are
    named as such first); extraction would skip some names silently, so look before."""
    tables = {f"tables/{name}.jsonl" for name in manifest["tables"]}
    known = {MANIFEST, SIGNATURE, MEDIA_LIST, *tables}
    media = 0
    for info in archive.infolist():
        safe_entry_path(info)
        name = info.filename
        if name.startswith("media/") and KEY_PATTERN.fullmatch(name.removeprefix("media/")):
            media += 1
        elif name not in known:
            raise malformed(f"unexpected entry {name[:200]!r}")
    if missing := sorted({*tables, MEDIA_LIST} - set(archive.namelist())):
        raise malformed(f"{', '.join(missing)} missing")
    if media > (declared := manifest["media"]["files"]):
        raise malformed(f"{media} media files, {MANIFEST} says {declared}")


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
        if not is_sha256(counts.get("sha256")):
            raise malformed(f"{MANIFEST}: {name} needs a sha256 (64 hex digits)")
    return manifest


def _is_count(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def malformed(msg: str) -> InvalidError:
    return InvalidError(f"malformed backup: {msg}", [{"loc": ["file"], "msg": msg}])


def _unpack(rt: Runtime, path: Path, manifest: dict[str, Any], dest: Path) -> Path:
    """Extract through the safe archive code, capped by what the manifest declares: the
    extraction counts the bytes really written, so a lying manifest cannot get past it."""
    media = manifest["media"]
    declared = (sum(t["bytes"] for t in manifest["tables"].values()) + media["bytes"]
                + media["files"] * MAX_LISTING_LINE)
    free = shutil.disk_usage(rt.settings.data_dir).free
    if declared > free:
        raise TooLargeError(f"the backup unpacks to {declared} bytes; the data directory's "
                            f"disk has {free} free")
    extract_zip(path, dest, UnpackBudget(
        max_bytes=declared + MAX_MANIFEST_BYTES + MAX_SIGNATURE_BYTES,
        max_entries=len(TABLES) + media["files"] + 3,
        max_ratio=rt.settings.max_zip_ratio, packed_bytes=path.stat().st_size))
    _check_files(dest, manifest)
    return dest


def _check_files(dest: Path, manifest: dict[str, Any]) -> None:
    """Exactly the manifest's files, each with its size and SHA-256: checked before anything
    is written to the instance."""
    for name, counts in manifest["tables"].items():
        _check_file(dest, f"tables/{name}.jsonl", counts["bytes"], counts["sha256"])
    _check_file(dest, MEDIA_LIST, None, manifest["media"]["sha256"])
    listed = parse_media_listing((dest / MEDIA_LIST).read_bytes())
    files = size = 0
    for path in iter_media_files(dest / "media"):
        rel = path.relative_to(dest).as_posix()
        if rel not in listed:
            raise malformed(f"{rel[:200]} is not in {MEDIA_LIST}")
        _check_file(dest, rel, path.stat().st_size, listed.pop(rel))
        files, size = files + 1, size + path.stat().st_size
    if listed:
        raise malformed(f"{', '.join(sorted(listed))[:300]} missing")
    if (files, size) != (manifest["media"]["files"], manifest["media"]["bytes"]):
        raise malformed(f"{files} media files of {size} bytes, not the "
                        f"{manifest['media']['files']} of {manifest['media']['bytes']} bytes "
                        f"of {MANIFEST}")


def _check_file(dest: Path, rel: str, length: int | None, sha256: str) -> None:
    path = dest / rel
    if not path.is_file():
        raise malformed(f"{rel} missing")
    if length is not None and (actual := path.stat().st_size) != length:
        raise malformed(f"{rel} holds {actual} bytes, {MANIFEST} says {length}")
    if file_sha256(path) != sha256:
        raise malformed(f"{rel} does not match its SHA-256 in {MANIFEST}: the file was changed "
                        "or corrupted")


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
            target.parent.parent.mkdir(exist_ok=True, mode=0o700)  # the project's folder
            target.parent.mkdir(exist_ok=True, mode=0o700)
            shutil.move(path, target)
    except OSError as exc:
        kept = staging.with_name(staging.name.replace(".restore-", "restore-unmoved-"))
        staging.rename(kept)
        raise PostilError(f"the database is restored but moving media failed ({exc}); "
                          f"move the files under {kept / 'archive' / 'media'} into {root}") from exc
