"""Backups carry a SHA-256 per file and, given a key, an HMAC of the manifest (security promise
15): an edited archive is refused before anything is written, naming what changed."""

from __future__ import annotations

import hashlib
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import orjson
import pytest
from argon2 import PasswordHasher
from test_backup import media_files, populate, table_rows  # the round-trip tests' instance

from postil.core.errors import InvalidError
from postil.services import users
from postil.services.backup import create_backup, restore_backup
from postil.services.backup_integrity import load_key
from postil.services.runtime import Runtime
from postil.settings import Settings
from postil.storage.backup import TABLES

KEY = b"0123456789abcdef0123456789abcdef-the-admin-keeps-it"
OTHER_KEY = b"fedcba9876543210fedcba9876543210-someone-else-s-key"
Entries = dict[str, bytes]


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


def backup(rt: Runtime, tmp_path: Path, key: bytes | None = None) -> Path:
    populate(rt)
    archive = tmp_path / "backup.zip"
    create_backup(rt, archive, key)
    return archive


def repack(archive: Path, change: Callable[[Entries], None]) -> Path:
    """A copy of the archive with its entries changed, and nothing else."""
    with zipfile.ZipFile(archive) as z:
        entries = {i.filename: z.read(i) for i in z.infolist()}
    change(entries)
    out = archive.with_name("edited.zip")
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in entries.items():
            z.writestr(name, data)
    return out


def make_admin(entries: Entries) -> None:
    """The edit of the report: same size, so a size check cannot see it."""
    users_file = entries["tables/users.jsonl"]
    edited = users_file.replace(b'"is_admin":false', b'"is_admin":true ', 1)
    assert edited != users_file and len(edited) == len(users_file)
    entries["tables/users.jsonl"] = edited


def make_admin_and_fix_manifest(entries: Entries) -> None:
    """What anyone can do without the key: edit a file, then the manifest to match."""
    make_admin(entries)
    manifest = orjson.loads(entries["manifest.json"])
    manifest["tables"]["users"]["sha256"] = hashlib.sha256(
        entries["tables/users.jsonl"]).hexdigest()
    entries["manifest.json"] = orjson.dumps(manifest, option=orjson.OPT_INDENT_2)


def first_media(entries: Entries) -> str:
    return sorted(n for n in entries if n.startswith("media/"))[0]


def assert_untouched(target: Runtime) -> None:
    assert table_rows(target) == {t.name: [] for t in TABLES}
    assert media_files(target) == {}
    assert list(target.settings.data_dir.glob(".restore-*")) == []


class TestChecksums:
    def test_same_size_edit_is_refused_naming_the_file(self, rt: Runtime, target: Runtime,
                                                       tmp_path: Path) -> None:
        archive = repack(backup(rt, tmp_path), make_admin)
        with pytest.raises(InvalidError) as err:
            restore_backup(target, archive)
        assert err.value.message == ("malformed backup: tables/users.jsonl does not match its "
                                     "SHA-256 in manifest.json: the file was changed or "
                                     "corrupted")
        assert_untouched(target)

    def test_same_size_edit_of_a_media_file_is_refused(self, rt: Runtime, target: Runtime,
                                                       tmp_path: Path) -> None:
        def flip(entries: Entries) -> None:
            name = first_media(entries)
            entries[name] = entries[name][:-1] + bytes([entries[name][-1] ^ 1])

        archive = repack(backup(rt, tmp_path), flip)
        with pytest.raises(InvalidError, match=r"media/.*\.png does not match its SHA-256"):
            restore_backup(target, archive)
        assert_untouched(target)

    @pytest.mark.parametrize(("change", "message"), [
        (lambda e: e.pop("tables/tasks.jsonl"), "tables/tasks.jsonl missing"),
        (lambda e: e.pop("media.sha256"), "media.sha256 missing"),
        (lambda e: e.pop(first_media(e)), r"media/\d+/\w\w/\w+\.png missing"),
        (lambda e: e.update({"tables/secrets.jsonl": b"{}\n"}),
         "unexpected entry 'tables/secrets.jsonl'"),
        (lambda e: e.update({".hidden": b"x"}), "unexpected entry '.hidden'"),
        (lambda e: e.update({"__MACOSX/x": b"x"}), "unexpected entry '__MACOSX/x'"),
        (lambda e: e.update({f"media/1/ab/{'ab' * 32}.png": b"x"}),
         "3 media files, manifest.json says 2"),
        (lambda e: e.update({f"media/1/ab/{'ab' * 32}.png": e.pop(first_media(e))}),
         f"media/1/ab/{'ab' * 32}.png is not in media.sha256"),
        (lambda e: e.update({"media.sha256": e["media.sha256"] + b"\n"}),
         "media.sha256 does not match its SHA-256"),
    ], ids=["table", "media list", "media file", "extra table", "dotfile", "macosx",
            "extra media", "renamed media", "media list edited"])
    def test_missing_and_extra_entries_are_refused(self, rt: Runtime, target: Runtime,
                                                   tmp_path: Path,
                                                   change: Callable[[Entries], Any],
                                                   message: str) -> None:
        archive = repack(backup(rt, tmp_path, KEY), change)
        for key in (None, KEY):  # the signature is good: the manifest was not touched
            with pytest.raises(InvalidError, match=message):
                restore_backup(target, archive, key)
            assert_untouched(target)


class TestSignature:
    def test_signed_restore_with_the_key_works(self, rt: Runtime, target: Runtime,
                                               tmp_path: Path) -> None:
        archive = backup(rt, tmp_path, KEY)
        summary = restore_backup(target, archive, KEY)
        assert summary["signature"] == "verified"
        assert users.login(target, "ann", "correct horse battery").user["username"] == "ann"

    def test_manifest_edited_to_match_is_refused_with_the_key(
            self, rt: Runtime, target: Runtime, tmp_path: Path) -> None:
        archive = repack(backup(rt, tmp_path, KEY), make_admin_and_fix_manifest)
        with pytest.raises(InvalidError) as err:
            restore_backup(target, archive, KEY)
        assert err.value.message == (
            "refused backup: the signature in manifest.hmac does not match: the archive was "
            "changed after it was signed, or it was signed with another key")
        assert_untouched(target)

    def test_without_the_key_such_an_edit_is_not_detected(
            self, rt: Runtime, target: Runtime, tmp_path: Path) -> None:
        """What the README says checksums alone cannot do: the forged archive restores."""
        archive = repack(backup(rt, tmp_path, KEY), make_admin_and_fix_manifest)
        summary = restore_backup(target, archive)
        assert summary["signature"] == ("not verified: the backup is signed, give "
                                        "--verify-key-file to check it")
        ann = users.login(target, "ann", "correct horse battery").user
        assert ann["is_admin"] is True

    def test_wrong_key_is_refused(self, rt: Runtime, target: Runtime, tmp_path: Path) -> None:
        archive = backup(rt, tmp_path, KEY)
        with pytest.raises(InvalidError, match="signature in manifest.hmac does not match"):
            restore_backup(target, archive, OTHER_KEY)
        assert_untouched(target)

    @pytest.mark.parametrize("strip", [True, False], ids=["signature removed", "never signed"])
    def test_unsigned_archive_is_refused_with_a_key(self, rt: Runtime, target: Runtime,
                                                    tmp_path: Path, strip: bool) -> None:
        archive = backup(rt, tmp_path, KEY if strip else None)
        if strip:
            archive = repack(archive, lambda e: e.pop("manifest.hmac"))
        with pytest.raises(InvalidError, match="the backup is not signed, but a key"):
            restore_backup(target, archive, KEY)
        assert_untouched(target)

    def test_unsigned_restore_without_a_key_says_so(self, rt: Runtime, target: Runtime,
                                                    tmp_path: Path) -> None:
        summary = restore_backup(target, backup(rt, tmp_path))
        assert summary["signature"] == "none: the backup is not signed"


class TestKeyFiles:
    def test_a_key_file_is_read_without_its_newline(self, tmp_path: Path) -> None:
        path = tmp_path / "backup.key"
        path.write_bytes(KEY + b"\n")
        assert load_key(path) == KEY

    @pytest.mark.parametrize(("content", "message"), [
        (b"short\n", "holds 5 bytes; a key needs 32 or more"),
        (None, "cannot be read"),
    ])
    def test_bad_key_files_are_refused(self, tmp_path: Path, content: bytes | None,
                                       message: str) -> None:
        path = tmp_path / "backup.key"
        if content is not None:
            path.write_bytes(content)
        with pytest.raises(InvalidError, match=f"key file {path}: {message}"):
            load_key(path)
