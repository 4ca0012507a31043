"""Import jobs: the slow part holds no database writer, start-up fails only the imports of
dead processes, and a failed import takes back the media files it stored (and no others)."""

from __future__ import annotations

import hashlib
import io
import os
import signal
import subprocess
import sys
import threading
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from api import factories as f
from postil.api.app import create_app
from postil.services import imports, projects, task_writer
from postil.services.runtime import Actor, Runtime
from postil.storage import archives
from postil.storage import tasks as tasks_repo
from postil.storage.db import write
from postil.storage.media import MediaStore

Clients = Callable[[Actor | None], TestClient]
STOPPED = "the server stopped during the import; nothing was imported"


@pytest.fixture
def alice(make_user: Callable[..., Actor]) -> Actor:
    return make_user("alice", admin=True)


@pytest.fixture
def client(alice: Actor, client_for: Clients) -> TestClient:
    return client_for(alice)


class Pause:
    """Stops the first call of a patched function (made from a thread it applies to) until
    the test releases it."""

    def __init__(self) -> None:
        self.reached, self.release = threading.Event(), threading.Event()

    def patch(self, monkeypatch: pytest.MonkeyPatch, owner: object, name: str, *,
              nth: int = 1, applies: Callable[[], bool] = lambda: True) -> None:
        """Pause the `nth` call that `applies`."""
        original = getattr(owner, name)
        calls = [0]

        def paused(*args: Any, **kwargs: Any) -> Any:
            if applies():
                calls[0] += 1
                if calls[0] == nth:
                    self.reached.set()
                    assert self.release.wait(30), "never released"
            return original(*args, **kwargs)

        monkeypatch.setattr(owner, name, paused)


@pytest.fixture
def pause() -> Iterator[Pause]:
    held = Pause()
    yield held
    held.release.set()  # a failing test must not leave a thread waiting


def in_thread(target: Callable[[], Any]) -> tuple[threading.Thread, list[Any]]:
    """Run `target` in a thread; its result (or exception) lands in the list."""
    outcome: list[Any] = []

    def run() -> None:
        try:
            outcome.append(target())
        except BaseException as exc:  # handed to the test, which asserts on it
            outcome.append(exc)

    thread = threading.Thread(target=run)
    thread.start()
    return thread, outcome


def zip_of(entries: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, body in entries.items():
            archive.writestr(name, body)
    return out.getvalue()


def stored_media(rt: Runtime) -> list[str]:
    return sorted(p.relative_to(rt.media.root).as_posix()
                  for p in rt.media.root.rglob("*") if p.is_file()
                  and ".staging" not in p.parts)


def media_key(project_id: int, body: bytes) -> str:
    sha = hashlib.sha256(body).hexdigest()
    return f"{project_id}/{sha[:2]}/{sha}.png"


def import_status(rt: Runtime) -> list[tuple[str, str | None]]:
    return [(r["status"], (r["error"] or {}).get("message")) for r in f.rows(rt, "imports")]


TEXT_ZIP = {"reviews/a.jsonl": f.jsonl([{"text": "first"}, {"text": "second"}]),
            "reviews/b.txt": b"third"}
IMAGE_ZIP = {"a.png": f.png_bytes(4, 3), "b.png": f.png_bytes(5, 3, "blue"),
             "c.png": f.png_bytes(6, 3, "green")}


class TestSlowWorkHoldsNoWriter:
    """Unpacking, storing media and reading files run before the write transaction: another
    request's write is answered meanwhile (on SQLite it waited for the whole import)."""

    @pytest.mark.parametrize(("template", "entries", "where"), [
        ("sentiment", TEXT_ZIP, "unpacking"),
        ("sentiment", TEXT_ZIP, "reading"),
        ("image_classification", IMAGE_ZIP, "storing media"),
    ])
    def test_a_write_is_answered_while_an_import_is_paused(
            self, client: TestClient, rt: Runtime, pause: Pause,
            monkeypatch: pytest.MonkeyPatch, template: str, entries: dict[str, bytes],
            where: str) -> None:
        if where == "unpacking":
            pause.patch(monkeypatch, archives, "copy_capped")
        elif where == "reading":
            pause.patch(monkeypatch, imports, "read_tasks")
        else:
            pause.patch(monkeypatch, MediaStore, "put")
        pid = f.project(client, template=template)["id"]
        with client:  # one event loop serves every request from here on
            importing, imported = in_thread(lambda: client.post(
                f"/api/projects/{pid}/imports", params={"filename": "upload.zip"},
                content=zip_of(entries)))
            try:
                assert pause.reached.wait(30)
                creating, created = in_thread(lambda: client.post(
                    "/api/projects", json={"name": "Meanwhile", "template": "sentiment"}))
                creating.join(10)
                assert not creating.is_alive(), f"the write waited for the {where}"
                assert created[0].status_code == 201
                assert importing.is_alive()  # still paused
            finally:
                pause.release.set()
                importing.join(30)
        assert imported[0].status_code == 201, imported[0].text
        assert imported[0].json()["imported"] == 3
        assert f.count(rt, "tasks") == 3
        assert import_status(rt) == [("completed", None)]


class TestSchemaChangedMeanwhile:
    SCHEMA: dict[str, Any] = {"objects": [{"name": "image", "type": "image"}], "controls": [
        {"name": "kind", "type": "choices", "to": ["image"], "labels": ["Cat", "Dog"]}]}

    def test_the_import_is_409_and_imports_nothing(self, client: TestClient, rt: Runtime,
                                                   pause: Pause,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
        """Records were checked against the labeling setup of the import's start."""
        pid = f.project(client, name="Pets", schema=self.SCHEMA)["id"]
        pause.patch(monkeypatch, MediaStore, "put", nth=2)
        renamed = {**self.SCHEMA, "objects": [{"name": "photo", "type": "image"}],
                   "controls": [{**self.SCHEMA["controls"][0], "to": ["photo"]}]}
        with client:
            importing, imported = in_thread(lambda: client.post(
                f"/api/projects/{pid}/imports", params={"filename": "upload.zip"},
                content=zip_of(IMAGE_ZIP)))
            try:
                assert pause.reached.wait(30)
                changed = client.put(f"/api/projects/{pid}/schema",
                                     json={"schema": renamed, "changes": []})
                assert changed.status_code == 200, changed.text
            finally:
                pause.release.set()
                importing.join(30)
        assert imported[0].status_code == 409, imported[0].text
        assert "changed during the import" in imported[0].json()["detail"]
        assert f.count(rt, "tasks") == 0
        assert stored_media(rt) == []
        assert [s for s, _ in import_status(rt)] == ["failed"]


class TestStartUpRecovery:
    def test_a_live_import_survives_another_process_starting(
            self, rt: Runtime, alice: Actor, pause: Pause, monkeypatch: pytest.MonkeyPatch,
            tmp_path: Path) -> None:
        project = projects.create_project(rt, alice, "Live", template="sentiment")
        upload = tmp_path / "upload.zip"
        upload.write_bytes(zip_of(TEXT_ZIP))
        pause.patch(monkeypatch, archives, "copy_capped")
        importing, report = in_thread(lambda: imports.import_sources(
            rt, alice, project["id"], [imports.ImportSource("upload.zip", upload)]))
        try:
            assert pause.reached.wait(30)
            other = Runtime.open(rt.settings, upgrade=False)  # a second worker, a CLI command
            try:
                with TestClient(create_app(runtime=other)):  # its start-up recovery runs
                    pass
            finally:
                other.close()
            assert import_status(rt) == [("running", None)]
        finally:
            pause.release.set()
            importing.join(30)
        assert report[0]["imported"] == 3, report
        assert import_status(rt) == [("completed", None)]

    def test_an_import_whose_process_died_is_marked_failed(self, rt: Runtime,
                                                           alice: Actor) -> None:
        project = projects.create_project(rt, alice, "Dead", template="sentiment")
        with write(rt.engine) as conn:
            import_id = tasks_repo.insert_import(conn, {
                "project_id": project["id"], "status": "running", "source": "a.jsonl",
                "created_by": alice.user_id, "created_at": project["created_at"]})
        folder = rt.settings.data_dir / f"import-{import_id}-k1ll3d"
        folder.mkdir()
        with subprocess.Popen(  # the import's process: holds its folder, then dies
                [sys.executable, "-c", "import fcntl, os, sys, time\n"
                 f"fd = os.open({str(folder)!r}, os.O_RDONLY)\n"
                 "fcntl.flock(fd, fcntl.LOCK_EX)\nprint('held', flush=True)\ntime.sleep(60)\n"],
                stdout=subprocess.PIPE, text=True) as holder:
            try:
                assert holder.stdout is not None and holder.stdout.readline() == "held\n"
                imports.recover_interrupted(rt)
                assert import_status(rt) == [("running", None)]  # its process lives
            finally:
                os.kill(holder.pid, signal.SIGKILL)
        other = Runtime.open(rt.settings, upgrade=False)
        try:
            with TestClient(create_app(runtime=other)):
                pass
        finally:
            other.close()
        assert import_status(rt) == [("failed", STOPPED)]
        assert not folder.exists()


def fail_while_writing(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(self: object) -> None:
        raise RuntimeError("the disk is full")

    monkeypatch.setattr(task_writer.TaskWriter, "finish", broken)


class TestFailedImportsTakeBackTheirMedia:
    SHARED, NEW, OTHER = f.png_bytes(4, 3), f.png_bytes(5, 3, "blue"), f.png_bytes(7, 3, "green")

    @pytest.mark.parametrize("failure", ["a bad file", "an error while writing"])
    def test_only_the_files_this_import_stored_are_removed(
            self, client: TestClient, rt: Runtime, monkeypatch: pytest.MonkeyPatch,
            failure: str) -> None:
        pid = f.project(client, template="image_classification")["id"]
        first = client.post(f"/api/projects/{pid}/imports", params={"filename": "kept.png"},
                            content=self.SHARED)
        assert first.status_code == 201, first.text
        entries = {"again.png": self.SHARED, "new.png": self.NEW, "other.png": self.OTHER}
        if failure == "a bad file":
            entries["z.png"] = b"<html><script>alert(1)</script></html>"
            expected = 422
        else:
            fail_while_writing(monkeypatch)
            expected = 500
        quiet = TestClient(client.app, base_url="http://127.0.0.1",
                           raise_server_exceptions=False, headers=client.headers)
        failed = quiet.post(f"/api/projects/{pid}/imports", params={"filename": "b.zip"},
                            content=zip_of(entries))
        assert failed.status_code == expected, failed.text
        assert stored_media(rt) == [media_key(pid, self.SHARED)]
        (task,) = client.get(f"/api/projects/{pid}/tasks").json()["items"]
        assert client.get(task["data"]["image"]).content == self.SHARED
        assert [s for s, _ in import_status(rt)] == ["completed", "failed"]

    def test_a_file_a_finished_import_shares_is_kept(
            self, rt: Runtime, alice: Actor, pause: Pause, monkeypatch: pytest.MonkeyPatch,
            tmp_path: Path) -> None:
        """One import stores a new file and is still running when another stores the same
        content and finishes; the first then fails: the file is the second one's now."""
        project = projects.create_project(rt, alice, "Pets", template="image_classification")
        failing = tmp_path / "failing.zip"
        failing.write_bytes(zip_of({"a.png": self.NEW, "b.png": b"<html>no</html>"}))
        finishing = tmp_path / "same.png"
        finishing.write_bytes(self.NEW)
        test = threading.current_thread()
        pause.patch(monkeypatch, MediaStore, "put", nth=2,
                    applies=lambda: threading.current_thread() is not test)
        importing, outcome = in_thread(lambda: imports.import_sources(
            rt, alice, project["id"], [imports.ImportSource("failing.zip", failing)]))
        try:
            assert pause.reached.wait(30)  # a.png is stored, b.png not yet
            assert stored_media(rt) == [media_key(project["id"], self.NEW)]
            report = imports.import_sources(rt, alice, project["id"],
                                            [imports.ImportSource("same.png", finishing)])
            assert report["imported"] == 1
        finally:
            pause.release.set()
            importing.join(30)
        assert "not accepted" in str(outcome[0])
        assert stored_media(rt) == [media_key(project["id"], self.NEW)]
        assert rt.media.resolve(media_key(project["id"], self.NEW)).read_bytes() == self.NEW
