"""Data at rest is private: an instance's folders and database files are its owner's only, and
start-up removes what a crash left in the data directory (and nothing else)."""

from __future__ import annotations

import io
import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest
from PIL import Image

from postil.services import imports, projects, users
from postil.services.runtime import Actor, Runtime
from postil.settings import Settings
from postil.storage.scratch import scratch_dir

PASSWORD = "correct horse battery"


@pytest.fixture(autouse=True)
def usual_umask() -> Iterator[None]:
    """The umask most systems run with: new files 0644 and folders 0755 unless asked."""
    before = os.umask(0o022)
    yield
    os.umask(before)


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return tmp_path / "instance" / "data"


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def open_instance(data_dir: Path) -> Runtime:
    """An instance on SQLite in its data directory, as `postil serve` opens it by default."""
    return Runtime.open(Settings(data_dir=data_dir))


def png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (4, 3), "red").save(out, format="PNG")
    return out.getvalue()


def import_one_image(rt: Runtime, folder: Path) -> str:
    """A finished import of one image; the key of the media file it stored."""
    user = users.create_user(rt, "admin", PASSWORD, is_admin=True)
    actor = Actor(user["id"], user["username"], True)
    project = projects.create_project(rt, actor, "Pets", template="image_classification")
    source = folder / "cat.png"
    source.write_bytes(png())
    report = imports.import_sources(rt, actor, project["id"],
                                    [imports.ImportSource("cat.png", source)])
    assert report["imported"] == 1
    (key,) = [p.relative_to(rt.media.root).as_posix() for p in rt.media.root.rglob("*.png")]
    return key


class TestOwnerOnly:
    def test_a_new_instance_is_readable_by_its_owner_only(self, data_dir: Path) -> None:
        rt = open_instance(data_dir)
        try:
            users.create_user(rt, "alice", PASSWORD)  # a write: the -wal and -shm files exist
            database = data_dir / "postil.db"
            files = [database, data_dir / "postil.db-wal", data_dir / "postil.db-shm"]
            assert {p.name: mode(p) for p in files} == {
                "postil.db": 0o600, "postil.db-wal": 0o600, "postil.db-shm": 0o600}
            assert {p.name: mode(p) for p in (data_dir, rt.settings.media_dir)} == {
                "data": 0o700, "media": 0o700}
        finally:
            rt.close()
        assert mode(database) == 0o600

    def test_upload_and_unpacking_folders_are_owner_only(self, data_dir: Path,
                                                         tmp_path: Path) -> None:
        rt = open_instance(data_dir)
        try:
            with imports.upload_folder(rt) as upload:
                assert (mode(upload.parent), mode(upload)) == (0o700, 0o700)
            key = import_one_image(rt, tmp_path)
            stored = rt.media.root / key
            assert [mode(p) for p in (stored.parent.parent, stored.parent, stored)] == [
                0o700, 0o700, 0o600]
        finally:
            rt.close()


class TestCrashDebris:
    def plant(self, data_dir: Path) -> list[Path]:
        """What an import killed halfway leaves: the upload's copy, its unpacking folder
        (empty, or holding a zip's files), a URL download, a half-stored media file."""
        debris = [data_dir / "uploads" / "upload-k1ll3d" / "00000",
                  data_dir / "import-k1ll3d" / "zip-0" / "a.png",
                  data_dir / "url-k1ll3d" / "body",
                  data_dir / "media" / ".staging" / "put-k1ll3d"]
        for path in debris:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(b"\x00" * 100_000)
        (data_dir / "import-empty").mkdir()
        return [*debris, data_dir / "import-empty"]

    def test_start_up_removes_debris_and_keeps_media(self, data_dir: Path,
                                                     tmp_path: Path) -> None:
        rt = open_instance(data_dir)
        key = import_one_image(rt, tmp_path)
        rt.close()
        debris = self.plant(data_dir)
        (data_dir / "notes.txt").write_text("mine")
        (data_dir / "import-list.txt").write_text("a file, not a working folder")
        rt = open_instance(data_dir)
        try:
            assert [p for p in debris if p.exists()] == []
            assert [p.name for p in data_dir.iterdir() if p.name.startswith(("import", "url"))
                    ] == ["import-list.txt"]
            assert list((data_dir / "uploads").iterdir()) == []
            assert (data_dir / "notes.txt").read_text() == "mine"
            assert rt.media.resolve(key).read_bytes() == png()
        finally:
            rt.close()

    def test_folders_in_use_by_a_live_process_are_kept(self, data_dir: Path) -> None:
        data_dir.mkdir(parents=True)
        with scratch_dir(data_dir / "uploads", "upload-") as upload, \
                scratch_dir(data_dir, "import-") as staging:
            (upload / "00000").write_bytes(b"an upload being received")
            rt = open_instance(data_dir)  # another process starting meanwhile (--workers)
            rt.close()
            assert (upload / "00000").read_bytes() == b"an upload being received"
            assert staging.is_dir()
        assert not upload.exists() and not staging.exists()
