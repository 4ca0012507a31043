"""Backup and restore (security promise 11): backup, restore on a fresh instance, export: equal.

The source is the session's database (--db); the target a new database of the same kind and a
new data directory. With --db postgres the cross-database tests restore a SQLite backup into
PostgreSQL and a PostgreSQL backup into SQLite.
"""

from __future__ import annotations

import hashlib
import io
import stat
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson
import pytest
from argon2 import PasswordHasher
from PIL import Image
from sqlalchemy import select

from postil.core.errors import ConflictError, InvalidError, PostilError, UnauthenticatedError
from postil.services import (
    annotations,
    exports,
    imports,
    instance_settings,
    projects,
    queue,
    schemas,
    tasks,
    users,
)
from postil.services.backup import MANIFEST, create_backup, restore_backup
from postil.services.runtime import Actor, Runtime
from postil.settings import Settings
from postil.storage import migrate
from postil.storage.backup import TABLES
from postil.storage.clock import as_utc

PASSWORD = "correct horse battery"
Rows = dict[str, list[tuple[Any, ...]]]


@pytest.fixture(autouse=True)
def fast_password_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(users, "_hasher", PasswordHasher(time_cost=1, memory_cost=1024,
                                                         parallelism=1))


@pytest.fixture
def target(fresh_url: str, tmp_path: Path) -> Iterator[Runtime]:
    """A new, migrated, empty instance on the session's kind of database."""
    runtime = Runtime.open(Settings(data_dir=tmp_path / "restored", database_url=fresh_url))
    yield runtime
    runtime.close()


@pytest.fixture
def sqlite_instance(tmp_path: Path) -> Iterator[Runtime]:
    """A new, migrated, empty instance on SQLite, whatever --db says."""
    runtime = Runtime.open(Settings(data_dir=tmp_path / "lite"))
    assert runtime.engine.dialect.name == "sqlite"
    yield runtime
    runtime.close()


@dataclass(frozen=True)
class Instance:
    admin: Actor
    ann: Actor
    api_token: str
    session_token: str
    project_ids: tuple[int, ...]


def _actor(user: dict[str, Any]) -> Actor:
    return Actor(user["id"], user["username"], bool(user["is_admin"]))


def _import(rt: Runtime, actor: Actor, project_id: int, name: str, content: bytes) -> None:
    path = rt.settings.data_dir / name
    path.write_bytes(content)
    imports.import_sources(rt, actor, project_id, [imports.ImportSource(name, path)])


def _answer(label: str) -> list[dict[str, Any]]:
    return [{"id": "r1", "control": "sentiment", "object": "text", "type": "choices",
             "value": {"choices": [label]}}]


def populate(rt: Runtime) -> Instance:
    """Users with a token and a session; a text project with annotations (several versions,
    a skip, a schema change), drafts, predictions and a lease; an image project with media."""
    admin = _actor(users.create_user(rt, "root", PASSWORD, is_admin=True))
    ann = _actor(users.create_user(rt, "ann", PASSWORD, email="ann@example.org"))
    api_token = users.create_token(rt, ann, "laptop")["token"]
    session_token = users.login(rt, "ann", PASSWORD).token
    with pytest.raises(UnauthenticatedError):  # counted against the account and the address
        users.login(rt, "root", "wrong password", "192.0.2.1")
    text = projects.create_project(rt, admin, "Reviews ✓", template="sentiment", overlap=2)["id"]
    projects.set_member(rt, admin, text, "ann", "annotator")
    rows = [{"text": "great food 🍜", "id": "r-1"}, {"text": "so-so\nservice", "id": "r-2"},
            {"text": "never again", "priority": 2.5}, {"text": "نص عربي"}]
    _import(rt, admin, text, "reviews.jsonl", b"".join(orjson.dumps(r) + b"\n" for r in rows))
    ids = [t["id"] for t in tasks.list_tasks(rt, admin, text)["items"]]
    first = annotations.submit(rt, admin, ids[0], _answer("Mixed"), lead_time=3.25)
    annotations.update(rt, admin, first["id"], _answer("Positive"), version=1, lead_time=1.5)
    annotations.submit(rt, ann, ids[0], _answer("Negative"), lead_time=0.1)
    annotations.skip(rt, ann, ids[1])
    annotations.save_draft(rt, ann, ids[2], _answer("Neutral"), lead_time=7)
    annotations.add_predictions(rt, admin, ids[3], [
        {"model_version": "m-1", "score": 0.8125, "result": _answer("Positive")},
        {"model_version": "m-2", "score": None, "result": _answer("Negative")}])
    queue.next_task(rt, ann, text)
    schema = orjson.loads(orjson.dumps(projects.get_project(rt, admin, text)["schema"])
                          .replace(b'"Positive"', b'"Good"'))
    schemas.change_schema(rt, admin, text, schema, [
        {"op": "rename_label", "control": "sentiment", "from": "Positive", "to": "Good"}])
    pets = projects.create_project(rt, admin, "Pets", template="image_classification")["id"]
    instance_settings.update_settings(rt, admin, {"project_creators": "admins"})
    for name, color in (("cat.png", "red"), ("dog.png", "blue")):
        image = io.BytesIO()
        Image.new("RGB", (12, 8), color).save(image, "PNG")
        _import(rt, admin, pets, name, image.getvalue())
    return Instance(admin, ann, api_token, session_token, (text, pets))


def export_all(rt: Runtime, actor: Actor, project_ids: tuple[int, ...]) -> dict[int, bytes]:
    """Native JSON exports (each adds an audit entry, so take them after reading the rows)."""
    out: dict[int, bytes] = {}
    for project_id in project_ids:
        buffer = io.BytesIO()
        exports.export_project(rt, actor, project_id, "json", buffer)
        out[project_id] = buffer.getvalue()
    return out


def table_rows(rt: Runtime) -> Rows:
    """Every row of every table, datetimes as aware UTC (SQLite hands back naive ones)."""
    with rt.engine.connect() as conn:
        return {t.name: [tuple(as_utc(v) if hasattr(v, "tzinfo") else v for v in row)
                         for row in conn.execute(select(t).order_by(*t.primary_key.columns))]
                for t in TABLES}


def without_last_audit(rows: Rows) -> Rows:
    """The source logs `backup_created` after its snapshot, the target `backup_restored`."""
    return {**rows, "audit_log": rows["audit_log"][:-1]}


def media_files(rt: Runtime) -> dict[str, bytes]:
    root = rt.media.root
    return {p.relative_to(root).as_posix(): p.read_bytes()
            for p in root.rglob("*") if p.is_file() and ".staging" not in p.parts}


def backed_up(rt: Runtime, tmp_path: Path) -> Path:
    archive = tmp_path / "backup.zip"
    create_backup(rt, archive)
    return archive


class TestRoundTrip:
    def test_restore_then_export_is_byte_equal(self, rt: Runtime, target: Runtime,
                                               tmp_path: Path) -> None:
        site = populate(rt)
        archive = backed_up(rt, tmp_path)
        before = table_rows(rt)
        assert before["audit_log"][-1][3] == "backup_created"
        restore_backup(target, archive)
        after = table_rows(target)
        assert without_last_audit(after) == without_last_audit(before)
        assert after["audit_log"][-1][3] == "backup_restored"
        assert all(after[t.name] for t in TABLES), "the instance should fill every table"
        assert media_files(target) == media_files(rt) and len(media_files(rt)) == 2
        # Nothing dropped: the native export of every project, byte for byte.
        assert (export_all(target, site.admin, site.project_ids)
                == export_all(rt, site.admin, site.project_ids))

    def test_archive_is_private_and_describes_itself(self, rt: Runtime,
                                                     tmp_path: Path) -> None:
        populate(rt)
        archive = backed_up(rt, tmp_path)
        assert stat.S_IMODE(archive.stat().st_mode) == 0o600
        assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".partial")] == []
        with zipfile.ZipFile(archive) as z:
            manifest = orjson.loads(z.read(MANIFEST))
            names = set(z.namelist())
        assert manifest["alembic_revision"] == migrate.head_revision()
        assert manifest["tables"]["tasks"]["rows"] == 6
        assert manifest["media"]["files"] == 2
        assert {f"tables/{t.name}.jsonl" for t in TABLES} <= names
        assert not any("task_search" in n for n in names)  # derived: rebuilt after restore

    def test_old_password_token_and_session_still_work(self, rt: Runtime, target: Runtime,
                                                       tmp_path: Path) -> None:
        site = populate(rt)
        restore_backup(target, backed_up(rt, tmp_path))
        assert users.login(target, "ann", PASSWORD).user["id"] == site.ann.user_id
        assert users.actor_from_token(target, site.api_token) == site.ann
        assert users.actor_from_session(target, site.session_token)[0] == site.ann

    def test_new_rows_get_new_ids(self, rt: Runtime, target: Runtime, tmp_path: Path) -> None:
        site = populate(rt)
        restore_backup(target, backed_up(rt, tmp_path))
        old = table_rows(target)
        bob = _actor(users.create_user(target, "bob", PASSWORD))
        project = projects.create_project(target, site.admin, "New", template="sentiment")["id"]
        _import(target, site.admin, project, "new.jsonl", b'{"text": "fresh"}\n')
        task = tasks.list_tasks(target, site.admin, project)["items"][0]["id"]
        answer = annotations.submit(target, site.admin, task, _answer("Negative"))
        for table, new_id in (("users", bob.user_id), ("projects", project), ("tasks", task),
                              ("annotations", answer["id"])):
            assert new_id > max(row[0] for row in old[table]), table

    def test_search_index_is_rebuilt(self, rt: Runtime, target: Runtime,
                                     tmp_path: Path) -> None:
        site = populate(rt)
        restore_backup(target, backed_up(rt, tmp_path))
        found = tasks.list_tasks(target, site.admin, site.project_ids[0], search="food")
        assert [t["data"]["text"] for t in found["items"]] == ["great food 🍜"]


class TestAcrossDatabases:
    """JSONB keeps object keys in its own order, so exports across databases are compared as
    parsed JSON; within one database they are byte-equal (TestRoundTrip)."""

    def test_sqlite_backup_into_the_session_database(self, sqlite_instance: Runtime,
                                                     target: Runtime, tmp_path: Path) -> None:
        self._check(sqlite_instance, target, tmp_path)

    def test_session_database_backup_into_sqlite(self, rt: Runtime, sqlite_instance: Runtime,
                                                 tmp_path: Path) -> None:
        self._check(rt, sqlite_instance, tmp_path)

    @staticmethod
    def _check(source: Runtime, dest: Runtime, tmp_path: Path) -> None:
        site = populate(source)
        archive = backed_up(source, tmp_path)
        before = table_rows(source)
        restore_backup(dest, archive)
        assert without_last_audit(table_rows(dest)) == without_last_audit(before)
        assert media_files(dest) == media_files(source)
        assert users.actor_from_token(dest, site.api_token) == site.ann
        new = projects.create_project(dest, site.admin, "After", template="sentiment")["id"]
        assert new > max(site.project_ids)
        exported = [export_all(r, site.admin, site.project_ids) for r in (source, dest)]
        assert ({k: orjson.loads(v) for k, v in exported[0].items()}
                == {k: orjson.loads(v) for k, v in exported[1].items()})


def rewrite(archive: Path, edit: Callable[[dict[Any, bytes], dict[str, Any]], None]) -> Path:
    """A copy of the archive changed by `edit(entries, manifest)`, sizes and checksums in the
    manifest fixed up as a careful forger would (so the check under test is the one that
    fires)."""
    with zipfile.ZipFile(archive) as z:
        entries = {i.filename: z.read(i) for i in z.infolist()}
    manifest = orjson.loads(entries.pop(MANIFEST))
    edit(entries, manifest)
    for name, counts in manifest.get("tables", {}).items():
        counts["bytes"] = len(entries.get(f"tables/{name}.jsonl", b""))
        counts["sha256"] = hashlib.sha256(entries.get(f"tables/{name}.jsonl", b"")).hexdigest()
    out = archive.with_name("tampered.zip")
    with zipfile.ZipFile(out, "w") as z:
        for name, data in entries.items():
            z.writestr(name, data)
        if manifest:
            z.writestr(MANIFEST, orjson.dumps(manifest))
    return out


def _add_media(name: str | zipfile.ZipInfo) -> Callable[..., None]:
    def edit(entries: dict[Any, bytes], manifest: dict[str, Any]) -> None:
        entries[name] = b"evil"  # a ZipInfo key keeps its attributes (a symlink's mode)
        manifest["media"]["files"] += 1
        manifest["media"]["bytes"] += 4
    return edit


def _symlink(name: str) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name)
    info.create_system = 3
    info.external_attr = (stat.S_IFLNK | 0o777) << 16
    return info


def _set_row(table: str, line: int, **values: Any) -> Callable[..., None]:
    def edit(entries: dict[str, bytes], manifest: dict[str, Any]) -> None:
        rows = entries[f"tables/{table}.jsonl"].splitlines()
        rows[line] = orjson.dumps({**orjson.loads(rows[line]), **values})
        entries[f"tables/{table}.jsonl"] = b"".join(r + b"\n" for r in rows)
    return edit


def _duplicate_first_row(table: str) -> Callable[..., None]:
    def edit(entries: dict[str, bytes], manifest: dict[str, Any]) -> None:
        name = f"tables/{table}.jsonl"
        entries[name] += entries[name].splitlines(keepends=True)[0]
        manifest["tables"][table]["rows"] += 1
    return edit


def _count(table: str, delta: int) -> Callable[..., None]:
    def edit(entries: dict[str, bytes], manifest: dict[str, Any]) -> None:
        manifest["tables"][table]["rows"] += delta
    return edit


LAST = TABLES[-1].name  # loaded last: a failure there must undo every table before it
TAMPERED: dict[str, tuple[Callable[..., None], type[PostilError], str]] = {
    "zip slip": (_add_media("media/../../../../evil.txt"), InvalidError, "outside"),
    "absolute path": (_add_media("/tmp/evil.txt"), InvalidError, "absolute"),
    "symlink": (_add_media(_symlink("media/1/ab/link.png")), InvalidError, "symbolic link"),
    "stray file": (_add_media("media/notes.txt"), InvalidError, "unexpected entry"),
    "row count": (_count("tasks", 1), InvalidError, "tasks.jsonl has 6 rows, manifest.json"),
    "row count of the last table": (_count(LAST, -1), InvalidError, f"{LAST}.jsonl has"),
    "wrong revision": (lambda e, m: m.update(alembic_revision="0001"), ConflictError,
                       "revision '0001'"),
    "missing manifest": (lambda e, m: m.clear(), InvalidError, "no manifest.json"),
    "unknown table": (lambda e, m: m["tables"].update(secrets={"rows": 0, "bytes": 0}),
                      InvalidError, "unknown table 'secrets'"),
    "missing table file": (lambda e, m: e.pop("tables/tasks.jsonl"), InvalidError,
                           "tables/tasks.jsonl missing"),
    "bad value": (_set_row("tasks", 2, is_completed="yes"), InvalidError,
                  "tables/tasks.jsonl line 3: column is_completed: expected bool"),
    "bad datetime": (_set_row("users", 0, created_at="2026-01-01T00:00:00"), InvalidError,
                     "without a UTC offset"),
    "unknown column": (_set_row(LAST, 0, is_admin=True), InvalidError, "unknown or missing"),
    "duplicate key": (_duplicate_first_row(LAST), InvalidError, "the database refused a row"),
}


class TestRefusals:
    @pytest.mark.parametrize("case", list(TAMPERED))
    def test_tampered_archive_leaves_the_target_empty(self, rt: Runtime, target: Runtime,
                                                      tmp_path: Path, case: str) -> None:
        edit, error, message = TAMPERED[case]
        populate(rt)
        archive = rewrite(backed_up(rt, tmp_path), edit)
        with pytest.raises(error, match=message.replace("(", r"\(")):
            restore_backup(target, archive)
        assert table_rows(target) == {t.name: [] for t in TABLES}
        assert media_files(target) == {}
        assert list(target.settings.data_dir.glob(".restore-*")) == []
        assert not (tmp_path / "evil.txt").exists() and not Path("/tmp/evil.txt").exists()

    def test_not_a_zip(self, target: Runtime, tmp_path: Path) -> None:
        path = tmp_path / "backup.zip"
        path.write_bytes(b"PK\x03\x04 this is not a zip")
        with pytest.raises(InvalidError, match="not a valid zip"):
            restore_backup(target, path)

    def test_non_empty_instance_is_refused_and_unchanged(self, rt: Runtime, target: Runtime,
                                                         tmp_path: Path) -> None:
        populate(rt)
        archive = backed_up(rt, tmp_path)
        users.create_user(target, "someone", PASSWORD)
        before, files = table_rows(target), media_files(target)
        with pytest.raises(ConflictError, match=r"not empty \(rows in audit_log, users\)"):
            restore_backup(target, archive)
        assert table_rows(target) == before and media_files(target) == files
        assert list(target.settings.data_dir.glob(".restore-*")) == []

    def test_restoring_twice_is_refused(self, rt: Runtime, target: Runtime,
                                        tmp_path: Path) -> None:
        populate(rt)
        archive = backed_up(rt, tmp_path)
        restore_backup(target, archive)
        before = table_rows(target)
        with pytest.raises(ConflictError, match="not empty"):
            restore_backup(target, archive)
        assert table_rows(target) == before
