"""What an import says: new versus already there, encodings read or named, files named."""

from __future__ import annotations

import codecs
import io
import zipfile
from collections.abc import Callable
from typing import Any

import pytest
from fastapi.testclient import TestClient

from api import factories as f
from postil.services.runtime import Actor, Runtime


@pytest.fixture
def client(make_user: Callable[..., Actor], client_for: Callable[[Actor], TestClient]
           ) -> TestClient:
    return client_for(make_user("alice"))


@pytest.fixture
def pid(client: TestClient) -> int:
    return int(f.project(client)["id"])  # sentiment: one text object, data key "text"


def _upload(client: TestClient, pid: int, *files: tuple[str, bytes]) -> Any:
    return client.post(f"/api/projects/{pid}/imports",
                       files=[("files", (name, body, "application/octet-stream"))
                              for name, body in files])


def _texts(client: TestClient, pid: int) -> list[str]:
    return [client.get(f"/api/tasks/{t}").json()["data"]["text"]
            for t in f.task_ids(client, pid)]


def _nothing_imported(rt: Runtime) -> None:
    assert f.count(rt, "tasks") == 0
    assert [r["status"] for r in f.rows(rt, "imports")] == ["failed"]


class TestReimport:
    def test_the_same_file_again_reports_nothing_new(self, client: TestClient,
                                                     pid: int) -> None:
        body = b"text\none\ntwo\nthree\nfour\n"
        first = _upload(client, pid, ("t.csv", body)).json()
        assert (first["imported"], first["duplicates"]) == (4, 0)
        again = _upload(client, pid, ("t.csv", body)).json()
        assert (again["imported"], again["duplicates"]) == (0, 4)
        grown = _upload(client, pid, ("t.csv", body + b"five\n")).json()
        assert (grown["imported"], grown["duplicates"]) == (1, 4)
        assert client.get(f"/api/projects/{pid}").json()["task_count"] == 5


class TestEncodings:
    TEXT = "Grüße \U0001f600\nzweite Zeile"

    @pytest.mark.parametrize("body", [
        codecs.BOM_UTF8 + TEXT.encode(),
        codecs.BOM_UTF16_LE + TEXT.encode("utf-16-le"),
        codecs.BOM_UTF16_BE + TEXT.encode("utf-16-be"),
    ], ids=["utf-8 bom", "utf-16 le", "utf-16 be"])
    def test_text_files_are_read(self, client: TestClient, pid: int, body: bytes) -> None:
        response = _upload(client, pid, ("letter.txt", body))
        assert response.status_code == 201, response.text
        assert _texts(client, pid) == ["Grüße 😀\nzweite Zeile"]

    def test_utf16_csv_and_jsonl_are_read(self, client: TestClient, pid: int) -> None:
        csv = codecs.BOM_UTF16_LE + "text\r\nÄrger\r\nçava\r\n".encode("utf-16-le")
        jsonl = codecs.BOM_UTF16_BE + '{"text": "日本"}\n'.encode("utf-16-be")
        response = _upload(client, pid, ("excel.csv", csv), ("b.jsonl", jsonl))
        assert response.status_code == 201, response.text
        assert _texts(client, pid) == ["Ärger", "çava", "日本"]

    def test_latin1_text_file_is_refused_naming_the_encoding(self, client: TestClient,
                                                             rt: Runtime, pid: int) -> None:
        body = "Café crème brûlée\nDeuxième ligne: à bientôt, garçon!\n".encode("latin-1")
        response = _upload(client, pid, ("notes.txt", body))
        assert response.status_code == 422
        assert response.json()["detail"] == (
            "notes.txt: the file is not UTF-8 (line 1); it looks like cp1250, cp1252 or "
            "cp1257: save it as UTF-8 and upload it again")
        _nothing_imported(rt)

    def test_latin1_csv_is_refused_at_its_first_bad_line(self, client: TestClient,
                                                         rt: Runtime, pid: int) -> None:
        body = "text\nplain\nGrüße aus Köln\n".encode("latin-1")
        response = _upload(client, pid, ("ok.csv", b"text\nfine\n"), ("old.csv", body))
        assert response.status_code == 422
        (error,) = response.json()["errors"]
        assert error["loc"] == ["old.csv", "line", 3]
        assert error["msg"].startswith("the file is not UTF-8 (line 3); it looks like cp1250")
        _nothing_imported(rt)


class TestFileNamedInLineErrors:
    def test_second_file_of_an_upload(self, client: TestClient, rt: Runtime, pid: int) -> None:
        response = _upload(client, pid, ("a.jsonl", b'{"text": "a"}\n'),
                           ("b.jsonl", b'{"text": "b"}\n{"text": \n'))
        assert response.status_code == 422
        body = response.json()
        assert body["errors"][0]["loc"] == ["b.jsonl", "line", 2]
        assert body["detail"].startswith("b.jsonl: line 2: malformed JSON")
        _nothing_imported(rt)

    def test_a_file_inside_a_zip(self, client: TestClient, rt: Runtime, pid: int) -> None:
        archive = io.BytesIO()
        with zipfile.ZipFile(archive, "w") as z:
            z.writestr("good.csv", "text\nx\n")
            z.writestr("bad.csv", "text\nx,y\n")
        response = _upload(client, pid, ("batch.zip", archive.getvalue()))
        assert response.status_code == 422
        assert response.json()["errors"][0]["loc"] == ["batch.zip/bad.csv", "line", 2]
        _nothing_imported(rt)
