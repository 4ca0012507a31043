"""Zip bombs and deep nesting: one budget for the whole upload, and a job never left running."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import IO, Any

import pytest
from fastapi.testclient import TestClient

from api import factories as f
from postil.api.app import create_app
from postil.services import imports, users
from postil.services.runtime import Actor, Runtime
from postil.storage import archives

MB = 1 << 20


@pytest.fixture
def alice(make_user: Callable[..., Actor]) -> Actor:
    return make_user("alice", admin=True)


@pytest.fixture
def client_with(rt: Runtime, alice: Actor) -> Callable[..., TestClient]:
    """A client of an app with other settings; server errors come back as responses."""

    def make(**overrides: Any) -> TestClient:
        changed = replace(rt, settings=rt.settings.model_copy(update=overrides))
        client = TestClient(create_app(runtime=changed), base_url="http://127.0.0.1",
                            raise_server_exceptions=False)
        client.headers["Authorization"] = "Token " + users.create_token(rt, alice, "t")["token"]
        return client

    return make


@pytest.fixture
def written(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The bytes every archive entry really produced, entry by entry."""
    counts: list[int] = []
    copy = archives.copy_capped

    def counting(source: IO[bytes], out: IO[bytes], limit: int, name: str) -> int:
        counts.append(copy(source, out, limit, name))
        return counts[-1]

    monkeypatch.setattr(archives, "copy_capped", counting)
    return counts


def zip_of(entries: list[tuple[str, bytes]], method: int = zipfile.ZIP_DEFLATED) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", method) as archive:
        for name, body in entries:
            archive.writestr(name, body)
    return out.getvalue()


def nested_zip(depth: int) -> bytes:
    """A text file inside `depth` zips, each holding only the next."""
    body = zip_of([("deepest.txt", b"hello")], zipfile.ZIP_STORED)
    for _ in range(depth - 1):
        body = zip_of([("inner.zip", body)], zipfile.ZIP_STORED)
    return body


def import_zip(client: TestClient, pid: int, body: bytes) -> Any:
    return client.post(f"/api/projects/{pid}/imports", params={"filename": "bomb.zip"},
                       content=body)


def leftovers(data_dir: Path) -> list[Path]:
    """What an import unpacks or uploads outside the media store, left behind."""
    media = data_dir / "media"
    return sorted(p for p in data_dir.rglob("*") if not p.is_relative_to(media)
                  and (p.is_file() or p.name.startswith(("import-", ".extract-", "zip-"))))


def assert_failed_and_empty(rt: Runtime, message: str) -> None:
    (job,) = f.rows(rt, "imports")
    assert job["status"] == "failed"
    assert message in job["error"]["message"]
    assert f.count(rt, "tasks") == 0
    assert leftovers(rt.settings.data_dir) == []


class TestNesting:
    def test_1200_levels_deep_is_422_naming_the_depth(
            self, client_with: Callable[..., TestClient], rt: Runtime) -> None:
        client = client_with()
        pid = f.project(client, template="text_classification")["id"]
        body = nested_zip(1200)
        assert len(body) < 200_000
        response = import_zip(client, pid, body)
        assert response.status_code == 422, response.text
        assert response.json()["detail"] == (
            "bomb.zip/inner.zip/inner.zip/inner.zip: archives nested more than 3 deep are not "
            "accepted")
        assert_failed_and_empty(rt, "nested more than 3 deep")
        assert [p for p in rt.settings.media_dir.rglob("*") if p.is_file()] == []

    def test_three_levels_are_imported(self, client_with: Callable[..., TestClient],
                                       rt: Runtime) -> None:
        client = client_with()
        pid = f.project(client, template="text_classification")["id"]
        response = import_zip(client, pid, nested_zip(3))
        assert response.status_code == 201, response.text
        assert response.json()["imported"] == 1


class TestNestedBomb:
    def test_zip_of_zips_stays_within_one_budget(
            self, client_with: Callable[..., TestClient], rt: Runtime,
            written: list[int]) -> None:
        # Eight zips of nine 1 MiB - 1 files of zeros: each entry too small to have its ratio
        # judged, each inner zip under the 10 MiB limit on its own; 72 MiB in all.
        inner = zip_of([(f"{i}.txt", b"0" * (MB - 1)) for i in range(9)])
        body = zip_of([(f"{name}.zip", inner) for name in "abcdefgh"], zipfile.ZIP_STORED)
        assert len(body) < 100_000
        client = client_with(max_upload_bytes=10 * MB)
        pid = f.project(client, template="text_classification")["id"]
        response = import_zip(client, pid, body)
        assert response.status_code == 413, response.text
        assert "10485760 bytes" in response.json()["detail"]
        assert sum(written) <= 10 * MB
        assert_failed_and_empty(rt, "10485760 bytes")

    def test_ratio_is_judged_on_the_whole_upload(
            self, client_with: Callable[..., TestClient], rt: Runtime,
            written: list[int]) -> None:
        inner = zip_of([(f"{i}.txt", b"0" * (MB - 1)) for i in range(9)])
        body = zip_of([(f"{name}.zip", inner) for name in "abcdefgh"], zipfile.ZIP_STORED)
        client = client_with(max_upload_bytes=100 * MB)
        pid = f.project(client, template="text_classification")["id"]
        response = import_zip(client, pid, body)
        assert response.status_code == 413, response.text
        assert "compression ratio over the limit of 200" in response.json()["detail"]
        assert sum(written) <= 200 * len(body)
        assert_failed_and_empty(rt, "compression ratio over the limit of 200")


class TestJobNeverLeftRunning:
    @pytest.mark.parametrize("error", [RecursionError("deep"), MemoryError(),
                                       OSError(28, "No space left on device")])
    def test_any_error_marks_the_import_failed(
            self, client_with: Callable[..., TestClient], rt: Runtime,
            monkeypatch: pytest.MonkeyPatch, error: BaseException) -> None:
        def broken(*args: Any) -> None:
            raise error

        monkeypatch.setattr(imports, "extract_zip", broken)
        client = client_with()
        pid = f.project(client, template="text_classification")["id"]
        response = import_zip(client, pid, nested_zip(1))
        assert response.status_code == 500
        name = type(error).__name__
        assert_failed_and_empty(rt, f"the import stopped on an internal error ({name})")
