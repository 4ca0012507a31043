"""Imports: every file format, Label Studio JSON, zips, folders, idempotency, atomicity, limits."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime
from typing import Any

import orjson
import pytest
from fastapi.testclient import TestClient
from pytest_httpserver import HTTPServer
from sqlalchemy import select

from api import factories as f
from postil.api.app import create_app
from postil.services import memory, users
from postil.services.runtime import Actor, Runtime
from postil.storage.tables import imports as imports_table

Clients = Callable[[Actor | None], TestClient]
JSON = {"content-type": "application/json"}


@pytest.fixture
def alice(make_user: Callable[..., Actor]) -> Actor:
    return make_user("alice", admin=True)


@pytest.fixture
def client(alice: Actor, client_for: Clients) -> TestClient:
    return client_for(alice)


@pytest.fixture
def client_with(rt: Runtime, alice: Actor) -> Callable[..., TestClient]:
    """A client of an app whose settings differ from the default test settings."""

    def make(**overrides: Any) -> TestClient:
        changed = replace(rt, settings=rt.settings.model_copy(update=overrides))
        client = TestClient(create_app(runtime=changed), base_url="http://127.0.0.1")
        client.headers["Authorization"] = "Token " + users.create_token(rt, alice, "t")["token"]
        return client

    return make


def _upload(client: TestClient, pid: int, *files: tuple[str, bytes]) -> Any:
    return client.post(f"/api/projects/{pid}/imports",
                       files=[("files", (name, body, "application/octet-stream"))
                              for name, body in files])


def _raw(client: TestClient, pid: int, filename: str, body: bytes) -> Any:
    return client.post(f"/api/projects/{pid}/imports", params={"filename": filename},
                       content=body)


def _zip(entries: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, body in entries.items():
            archive.writestr(name, body)
    return out.getvalue()


def _texts(client: TestClient, pid: int) -> list[str]:
    return [client.get(f"/api/tasks/{t}").json()["data"]["text"]
            for t in f.task_ids(client, pid)]


class TestImportFormats:
    ROWS = [{"text": "first"}, {"text": "second, with a comma"}, {"text": "third \U0001f600"}]

    @pytest.mark.parametrize(("name", "body"), [
        ("t.json", orjson.dumps(ROWS)),
        ("t.json", orjson.dumps([{"data": r} for r in ROWS])),
        ("t.jsonl", f.jsonl(ROWS)),
        ("t.ndjson", f.jsonl(ROWS)),
        ("t.csv", "text\nfirst\n\"second, with a comma\"\nthird \U0001f600\n".encode()),
        ("t.tsv", "text\nfirst\nsecond, with a comma\nthird \U0001f600\n".encode()),
        ("T.CSV", "\ufefftext\r\nfirst\r\n\"second, with a comma\"\r\nthird \U0001f600\r\n"
         .encode()),
    ])
    @pytest.mark.parametrize("how", ["multipart", "raw"])
    def test_each_format(self, client: TestClient, rt: Runtime, name: str, body: bytes,
                         how: str) -> None:
        pid = f.project(client)["id"]
        response = _upload(client, pid, (name, body)) if how == "multipart" else \
            _raw(client, pid, name, body)
        assert response.status_code == 201, response.text
        assert response.json()["imported"] == 3
        assert _texts(client, pid) == [r["text"] for r in self.ROWS]
        (row,) = f.rows(rt, "imports")
        assert (row["status"], row["task_count"]) == ("completed", 3)
        assert client.get(f"/api/projects/{pid}").json()["task_count"] == 3

    def test_several_files_in_one_request(self, client: TestClient) -> None:
        pid = f.project(client)["id"]
        response = _upload(client, pid, ("a.jsonl", f.jsonl([{"text": "a"}])),
                           ("b.csv", b"text\nb\n"))
        assert response.json()["imported"] == 2
        assert _texts(client, pid) == ["a", "b"]

    def test_import_status(self, client: TestClient) -> None:
        pid = f.project(client)["id"]
        report = f.import_rows(client, pid, [{"text": "a"}])
        status = client.get(f"/api/projects/{pid}/imports/{report['import_id']}").json()
        assert (status["status"], status["task_count"], status["source"]) == (
            "completed", 1, "tasks.jsonl")
        for moment in (status["created_at"], status["finished_at"]):
            assert datetime.fromisoformat(moment).tzinfo is not None
        assert client.get(f"/api/projects/{pid}/imports/999").status_code == 404

    def test_failed_import_status_says_why(self, client: TestClient, rt: Runtime) -> None:
        pid = f.project(client)["id"]
        assert _raw(client, pid, "bad.jsonl", b'{"text": "a"}\n{"text": 5}\n').status_code == 422
        with rt.engine.connect() as conn:
            (import_id,) = conn.execute(select(imports_table.c.id)).scalars().all()
        status = client.get(f"/api/projects/{pid}/imports/{import_id}").json()
        assert (status["status"], status["task_count"]) == ("failed", 0)
        assert "record 2" in status["error"]["message"]
        assert status["error"]["errors"][0]["loc"][-2:] == ["data", "text"]


    def test_memory_is_handed_back_after_big_uploads_only(
            self, client: TestClient, monkeypatch: pytest.MonkeyPatch) -> None:
        released: list[int] = []
        monkeypatch.setattr(memory, "release_memory", lambda: released.append(1))
        monkeypatch.setattr(memory, "BULK_BYTES", 2000)
        pid = f.project(client)["id"]
        f.import_rows(client, pid, [{"text": "small"}])
        assert released == []
        f.import_rows(client, pid, [{"text": f"big {i:04}"} for i in range(200)])
        assert released == [1]
        assert _raw(client, pid, "bad.jsonl", b'{"text": 1}\n' * 200).status_code == 422
        assert released == [1, 1]

class TestLabelStudioJson:
    TASK = {
        "id": 7,
        "data": {"image": "https://example.com/1.jpg"},
        "annotations": [{"completed_by": 10, "lead_time": 4.25, "result": [{
            "id": "a1", "from_name": "objects", "to_name": "image", "type": "rectanglelabels",
            "original_width": 1000, "original_height": 500,
            "value": {"x": 50, "y": 10, "width": 20, "height": 40, "rotation": 0,
                      "rectanglelabels": ["Car"]}}]}],
        "predictions": [{"model_version": "yolo", "score": 0.8, "result": [{
            "id": "p1", "from_name": "objects", "to_name": "image", "type": "rectanglelabels",
            "original_width": 1000, "original_height": 500,
            "value": {"x": 10, "y": 20, "width": 10, "height": 10,
                      "rectanglelabels": ["Person"]}}]}],
    }

    def test_percent_boxes_become_pixels(self, client: TestClient, rt: Runtime) -> None:
        pid = f.project(client, template="object_detection")["id"]
        response = _upload(client, pid, ("export.json", orjson.dumps([self.TASK])))
        assert response.status_code == 201, response.text
        (task_id,) = f.task_ids(client, pid)
        task = client.get(f"/api/tasks/{task_id}").json()
        assert (task["external_id"], task["annotation_count"], task["is_completed"]) == (
            "7", 1, True)
        (annotation,) = client.get(f"/api/tasks/{task_id}/annotations").json()
        box = annotation["result"][0]
        assert (box["control"], box["object"], box["type"]) == ("objects", "image", "box")
        value = box["value"]
        assert value.pop("labels") == ["Car"]
        assert value == pytest.approx({"x": 500.0, "y": 50.0, "width": 200.0, "height": 200.0,
                                       "rotation": 0.0})
        assert annotation["lead_time"] == 4.25
        (prediction,) = client.get(f"/api/tasks/{task_id}/predictions").json()
        assert (prediction["model_version"], prediction["score"]) == ("yolo", 0.8)
        assert prediction["result"][0]["value"]["x"] == pytest.approx(100.0)
        assert prediction["result"][0]["value"]["y"] == pytest.approx(100.0)
        assert len(f.rows(rt, "annotation_history")) == 1

    def test_unknown_label_is_422_naming_the_record(self, client: TestClient,
                                                    rt: Runtime) -> None:
        pid = f.project(client, template="object_detection")["id"]
        bad = orjson.loads(orjson.dumps(self.TASK))
        bad["annotations"][0]["result"][0]["value"]["rectanglelabels"] = ["Unicorn"]
        response = _upload(client, pid, ("export.json", orjson.dumps([self.TASK, bad])))
        assert response.status_code == 422
        loc = response.json()["errors"][0]["loc"]
        assert loc[:3] == ["export.json", "record", 2]
        assert f.count(rt, "tasks") == f.count(rt, "annotations") == 0

    def test_box_outside_the_image_is_422(self, client: TestClient, rt: Runtime) -> None:
        pid = f.project(client, template="object_detection")["id"]
        bad = orjson.loads(orjson.dumps(self.TASK))
        bad["annotations"][0]["result"][0]["value"]["width"] = -5
        response = _upload(client, pid, ("export.json", orjson.dumps([bad])))
        assert response.status_code == 422
        assert f.count(rt, "tasks") == 0


class TestZipAndMedia:
    def test_zip_of_images(self, client: TestClient, rt: Runtime) -> None:
        pid = f.project(client, template="image_classification")["id"]
        body = _zip({"a.png": f.png_bytes(40, 30), "sub/b.png": f.png_bytes(8, 6, "blue"),
                     "__MACOSX/._a.png": b"junk", ".DS_Store": b"junk"})
        response = _raw(client, pid, "images.zip", body)
        assert response.status_code == 201, response.text
        assert response.json()["imported"] == 2
        items = client.get(f"/api/projects/{pid}/tasks").json()["items"]
        sizes = sorted(tuple(t["meta"]["media"]["image"].values()) for t in items)
        assert sizes == [(8, 6), (40, 30)]
        for task in items:
            media = client.get(task["data"]["image"])
            assert media.status_code == 200
            assert media.headers["content-type"] == "image/png"
            assert media.headers["x-content-type-options"] == "nosniff"

    def test_zip_of_text_files(self, client: TestClient) -> None:
        pid = f.project(client)["id"]
        body = _zip({"one.txt": b"first review", "dir/two.txt": "zweite \u00fc".encode()})
        response = _upload(client, pid, ("texts.zip", body))
        assert response.status_code == 201, response.text
        assert sorted(_texts(client, pid)) == ["first review", "zweite \u00fc"]

    def test_zip_mixing_images_and_a_url_list(self, client: TestClient) -> None:
        pid = f.project(client, template="image_classification")["id"]
        body = _zip({"a.png": f.png_bytes(), "urls.txt": b"https://example.com/x.jpg\n"})
        response = _upload(client, pid, ("mixed.zip", body))
        assert response.status_code == 201, response.text
        images = sorted(client.get(f"/api/tasks/{t}").json()["data"]["image"]
                        for t in f.task_ids(client, pid))
        assert images[0].startswith("/api/media/")
        assert images[1] == "https://example.com/x.jpg"

    @pytest.mark.parametrize("entries", [
        {"../evil.png": b"x"}, {"/abs/evil.png": b"x"}, {"a/../../evil.png": b"x"},
        {"ok.png": None},
    ])
    def test_zip_slip_and_symlinks_import_nothing(self, client: TestClient, rt: Runtime,
                                                  entries: dict[str, bytes | None]) -> None:
        pid = f.project(client, template="image_classification")["id"]
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w") as archive:
            archive.writestr("good.png", f.png_bytes())
            for name, body in entries.items():
                if body is None:
                    link = zipfile.ZipInfo("link.png")
                    link.external_attr = 0o120777 << 16
                    archive.writestr(link, "/etc/passwd")
                else:
                    archive.writestr(name, body)
        response = _raw(client, pid, "bad.zip", out.getvalue())
        assert 400 <= response.status_code < 500, response.text
        assert f.count(rt, "tasks") == 0
        assert not (rt.settings.data_dir / "evil.png").exists()
        assert not (rt.settings.data_dir.parent / "evil.png").exists()
        assert not list((rt.settings.media_dir).rglob("*.png"))

    def test_not_a_zip(self, client: TestClient, rt: Runtime) -> None:
        pid = f.project(client, template="image_classification")["id"]
        assert _raw(client, pid, "x.zip", b"PK\x03\x04 nope").status_code == 422
        assert f.count(rt, "tasks") == 0

    @pytest.mark.parametrize(("name", "body"), [
        ("evil.png", b"<html><script>alert(1)</script></html>"),
        ("evil.png", b"<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>"),
        ("evil.svg", b"<svg xmlns='http://www.w3.org/2000/svg'/>"),
        ("evil.jpg", f.png_bytes()),
        ("trunc.png", f.png_bytes()[:30]),
    ])
    def test_file_type_disagreeing_with_content_is_422(self, client: TestClient, rt: Runtime,
                                                       name: str, body: bytes) -> None:
        pid = f.project(client, template="image_classification")["id"]
        response = _upload(client, pid, ("ok.png", f.png_bytes()), (name, body))
        assert response.status_code == 422, response.text
        assert f.count(rt, "tasks") == 0

    def test_image_into_a_text_project_is_422(self, client: TestClient, rt: Runtime) -> None:
        pid = f.project(client)["id"]
        assert _upload(client, pid, ("a.png", f.png_bytes())).status_code == 422
        assert f.count(rt, "tasks") == 0


class TestIdempotency:
    def test_reimport_adds_nothing(self, client: TestClient, rt: Runtime) -> None:
        pid = f.project(client)["id"]
        rows = [{"text": "a"}, {"text": "b"}]
        assert f.import_rows(client, pid, rows)["imported"] == 2
        again = f.import_rows(client, pid, rows + [{"text": "c"}])
        assert (again["imported"], again["duplicates"]) == (1, 2)
        assert f.count(rt, "tasks") == 3
        assert client.get(f"/api/projects/{pid}").json()["task_count"] == 3

    def test_duplicates_inside_one_file(self, client: TestClient, rt: Runtime) -> None:
        pid = f.project(client)["id"]
        report = f.import_rows(client, pid, [{"text": "a"}, {"text": "a"}])
        assert (report["imported"], report["duplicates"]) == (1, 1)

    def test_external_id_prevents_duplicates_with_new_content(self, client: TestClient,
                                                              rt: Runtime) -> None:
        pid = f.project(client)["id"]
        f.import_rows(client, pid, [{"text": "old", "external_id": "doc-1"}])
        again = f.import_rows(client, pid, [{"text": "edited", "external_id": "doc-1"}])
        assert (again["imported"], again["duplicates"]) == (0, 1)
        (row,) = f.rows(rt, "tasks")
        assert (row["external_id"], row["data"]) == ("doc-1", {"text": "old"})

    def test_same_image_twice_is_one_task(self, client: TestClient, rt: Runtime) -> None:
        pid = f.project(client, template="image_classification")["id"]
        _upload(client, pid, ("a.png", f.png_bytes()))
        report = _upload(client, pid, ("copy.png", f.png_bytes())).json()
        assert (report["imported"], report["duplicates"]) == (0, 1)
        assert f.count(rt, "tasks") == 1
        assert len(list(rt.settings.media_dir.rglob("*.png"))) == 1


class TestAtomicity:
    def test_bad_last_line_of_70001_imports_nothing(self, client: TestClient,
                                                    rt: Runtime) -> None:
        pid = f.project(client)["id"]
        body = b"".join(b'{"text": "task %d"}\n' % i for i in range(70_000)) + b'{"text": \n'
        response = _raw(client, pid, "big.jsonl", body)
        assert response.status_code == 422
        detail = response.json()
        assert "70001" in detail["detail"]
        assert 70001 in detail["errors"][0]["loc"]
        assert f.count(rt, "tasks") == 0
        assert client.get(f"/api/projects/{pid}").json()["task_count"] == 0
        (row,) = f.rows(rt, "imports")
        assert row["status"] == "failed"
        assert row["error"]["errors"][0]["loc"] == detail["errors"][0]["loc"]

    @pytest.mark.parametrize(("name", "body", "line"), [
        ("t.jsonl", b'{"text": "a"}\n{"text": NaN}\n', 2),
        ("t.jsonl", b'{"text": "a"}\n{"text": Infinity}\n', 2),
        ("t.jsonl", b'{"text": "a"}\n{"text": "\\udc00"}\n', 2),
        ("t.jsonl", b'{"text": "a"}\n{"text": ' + b"[" * 1000 + b"]" * 1000 + b"}\n", 2),
        ("t.jsonl", b'{"text": "a"}\n{"other": "b"}\n', 2),
        ("t.jsonl", b'{"text": "a"}\n{"text": 5}\n', 2),
        ("t.jsonl", b'{"text": "a"}\n\xff\xfe\n', 2),
        ("t.json", b'[{"text": "a"}, {"text": NaN}]', 2),
        ("t.csv", b"text\nok\n\"unterminated\n", None),
        ("t.csv", b"other\nx\n", 2),
        # U+0000: PostgreSQL stores it in no text or JSON column (was a 500 there)
        ("t.jsonl", b'{"text": "a"}\n{"text": "a\\u0000b"}\n', 2),
        ("t.jsonl", b'{"text": "a"}\n{"text": "b", "external_id": "e\\u0000"}\n', 2),
        ("t.csv", b"text\nok\na\x00b\n", 3),
    ])
    def test_bad_records_are_422_and_nothing_imported(self, client: TestClient, rt: Runtime,
                                                      name: str, body: bytes,
                                                      line: int | None) -> None:
        pid = f.project(client)["id"]
        response = _raw(client, pid, name, body)
        assert response.status_code == 422, response.text
        if line is not None:
            assert line in response.json()["errors"][0]["loc"]
        assert f.count(rt, "tasks") == 0
        assert [r["status"] for r in f.rows(rt, "imports")] in ([], ["failed"])

    @pytest.mark.parametrize("name", ["t.exe", "t", "t.xml"])
    def test_unsupported_files_are_422(self, client: TestClient, rt: Runtime, name: str) -> None:
        pid = f.project(client)["id"]
        assert _raw(client, pid, name, b"MZ\x90\x00").status_code == 422
        assert f.count(rt, "tasks") == 0

    def test_filename_with_a_nul_is_422(self, client: TestClient, rt: Runtime) -> None:
        pid = f.project(client)["id"]
        response = _raw(client, pid, "t\x00.jsonl", b'{"text": "a"}\n')
        assert response.status_code == 422
        assert response.json()["errors"][0]["loc"] == ["query", "filename"]
        assert f.count(rt, "imports") == 0

    def test_raw_body_without_a_filename_is_422(self, client: TestClient) -> None:
        pid = f.project(client)["id"]
        response = client.post(f"/api/projects/{pid}/imports", content=b'{"text": "a"}')
        assert response.status_code == 422
        assert response.json()["errors"][0]["loc"] == ["query", "filename"]

    def test_multipart_without_files_is_422(self, client: TestClient) -> None:
        pid = f.project(client)["id"]
        response = client.post(f"/api/projects/{pid}/imports", data={"x": "y"},
                               files=[("meta", ("", b"", "text/plain"))])
        assert response.status_code == 422


class TestUploadLimit:
    def test_413_before_the_body_is_read(self, client_with: Callable[..., TestClient],
                                         client: TestClient, rt: Runtime) -> None:
        pid = f.project(client)["id"]
        small = client_with(max_upload_bytes=1000)
        body = f.jsonl([{"text": f"task {i}"} for i in range(500)])
        response = small.post(f"/api/projects/{pid}/imports", params={"filename": "t.jsonl"},
                              content=body)
        assert response.status_code == 413
        assert f.count(rt, "tasks") == 0
        assert f.count(rt, "imports") == 0
        uploads = rt.settings.data_dir / "uploads"
        assert not uploads.exists() or not any(uploads.rglob("*"))

    def test_413_on_a_declared_length(self, client_with: Callable[..., TestClient],
                                      client: TestClient, rt: Runtime) -> None:
        pid = f.project(client)["id"]
        small = client_with(max_upload_bytes=1000)

        def chunks() -> Any:
            yield b'{"text": "a"}\n'

        response = small.post(f"/api/projects/{pid}/imports", params={"filename": "t.jsonl"},
                              content=chunks(), headers={"content-length": str(10**12)})
        assert response.status_code == 413
        assert f.count(rt, "tasks") == 0

    def test_413_multipart(self, client_with: Callable[..., TestClient], client: TestClient,
                           rt: Runtime) -> None:
        pid = f.project(client)["id"]
        small = client_with(max_upload_bytes=1000)
        response = _upload(small, pid, ("t.jsonl", b"x" * 5000))
        assert response.status_code == 413
        assert f.count(rt, "tasks") == 0

    def test_under_the_limit_works(self, client_with: Callable[..., TestClient],
                                   client: TestClient) -> None:
        pid = f.project(client)["id"]
        small = client_with(max_upload_bytes=1000)
        assert _raw(small, pid, "t.jsonl", b'{"text": "a"}\n').status_code == 201


class TestUrlImport:
    def test_private_address_refused_by_default(self, client: TestClient, rt: Runtime,
                                                httpserver: HTTPServer) -> None:
        httpserver.expect_request("/tasks.jsonl").respond_with_data(b'{"text": "a"}\n')
        pid = f.project(client)["id"]
        for host in ("127.0.0.1", "localhost", "2130706433", "0x7f.0.0.1", "[::ffff:127.0.0.1]"):
            url = f"http://{host}:{httpserver.port}/tasks.jsonl"
            response = client.post(f"/api/projects/{pid}/imports/url", json={"url": url})
            assert 400 <= response.status_code < 500, (host, response.text)
        assert httpserver.log == []
        assert f.count(rt, "tasks") == 0

    @pytest.mark.parametrize("url", ["file:///etc/passwd", "ftp://example.com/x.json",
                                     "gopher://127.0.0.1/", "not a url"])
    def test_other_schemes_refused(self, client: TestClient, rt: Runtime, url: str) -> None:
        pid = f.project(client)["id"]
        response = client.post(f"/api/projects/{pid}/imports/url", json={"url": url})
        assert response.status_code == 422
        assert f.count(rt, "tasks") == 0

    def test_allowed_with_allow_private_urls(self, client_with: Callable[..., TestClient],
                                             client: TestClient, rt: Runtime,
                                             httpserver: HTTPServer) -> None:
        httpserver.expect_request("/tasks.jsonl").respond_with_data(
            b'{"text": "a"}\n{"text": "b"}\n')
        pid = f.project(client)["id"]
        trusting = client_with(allow_private_urls=True)
        response = trusting.post(f"/api/projects/{pid}/imports/url",
                                 json={"url": httpserver.url_for("/tasks.jsonl")})
        assert response.status_code == 201, response.text
        assert response.json()["imported"] == 2
        assert len(httpserver.log) == 1

    def test_upstream_error_is_not_echoed(self, client_with: Callable[..., TestClient],
                                          client: TestClient, rt: Runtime,
                                          httpserver: HTTPServer) -> None:
        httpserver.expect_request("/gone.json").respond_with_data("SECRET-UPSTREAM-BODY",
                                                                  status=500)
        pid = f.project(client)["id"]
        trusting = client_with(allow_private_urls=True)
        response = trusting.post(f"/api/projects/{pid}/imports/url",
                                 json={"url": httpserver.url_for("/gone.json")})
        assert 400 <= response.status_code < 500
        assert "SECRET-UPSTREAM-BODY" not in response.text
        assert f.count(rt, "tasks") == 0
