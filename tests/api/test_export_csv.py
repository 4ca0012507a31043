"""CSV exports through the API: region results, data keys beyond Latin-1 in the report
header, and no temporary file left behind whatever happens."""

from __future__ import annotations

import asyncio
import csv
import io
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import orjson
import pytest
from fastapi.testclient import TestClient

from api import factories as f
from postil.api.routers import exports as exports_router
from postil.core.formats import list_formats
from postil.services import exports
from postil.services.runtime import Actor, Runtime

Clients = Callable[[Actor | None], TestClient]
REPORT = "x-postil-export-report"
FORMATS = [info.name for info in list_formats()]


@pytest.fixture
def client(make_user: Callable[..., Actor], client_for: Clients) -> TestClient:
    return client_for(make_user("alice"))


def _files(rt: Runtime) -> list[str]:
    return sorted(str(p.relative_to(rt.settings.data_dir)) for p in
                  rt.settings.data_dir.rglob("*"))


def _csv(body: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(body.decode("utf-8"))))


def test_spans_are_exported_as_a_json_column(client: TestClient) -> None:
    pid = f.project(client, template="named_entities")["id"]
    f.import_rows(client, pid, [{"text": "\U0001f600 Ada met Bob"}])
    (task_id,) = f.task_ids(client, pid)
    spans = [{"id": sid, "control": "entities", "object": "text", "type": "span",
              "value": {"start": start, "end": end, "text": text, "labels": ["PER"]}}
             for sid, start, end, text in (("s1", 2, 5, "Ada"), ("s2", 10, 13, "Bob"))]
    reply = client.post(f"/api/tasks/{task_id}/annotations", json={"result": spans})
    assert reply.status_code == 201, reply.text
    annotation = reply.json()["id"]
    response = client.get(f"/api/projects/{pid}/export", params={"format": "csv"})
    assert response.status_code == 200, response.text
    (row,) = _csv(response.content)
    assert json.loads(row["entities"]) == [
        {"id": "s1", "annotation": annotation,
         "value": {"start": 2, "end": 5, "text": "Ada", "labels": ["PER"]}},
        {"id": "s2", "annotation": annotation,
         "value": {"start": 10, "end": 13, "text": "Bob", "labels": ["PER"]}}]
    assert orjson.loads(response.headers[REPORT]) == {"exported": 1, "skipped_count": 0,
                                                      "skipped": []}


@pytest.mark.parametrize("fmt", FORMATS)
def test_data_keys_beyond_latin1_are_reported_in_ascii_json(
        client: TestClient, rt: Runtime, fmt: str) -> None:
    pid = f.project(client)["id"]
    f.import_rows(client, pid, [{"text": "a"},
                                {"text": "b", "ключ": "значение", "名前": {"深い": [1]}}])
    ids = f.task_ids(client, pid)
    before = _files(rt)
    response = client.get(f"/api/projects/{pid}/export", params={"format": fmt})
    assert response.status_code == 200, response.text
    raw = response.headers.raw  # bytes as sent: the header is ASCII, escapes included
    (header,) = [v for k, v in raw if k.decode().lower() == REPORT]
    assert header.isascii() and (b"\\u043a" in header) == (fmt == "csv")
    expected = [] if fmt != "csv" else [
        {"task_id": ids[1], "reason": "data field 'ключ' is not a column of this CSV"},
        {"task_id": ids[1], "reason": "data field '名前.深い' is not a column of this CSV"}]
    report = orjson.loads(header)
    report["skipped"].sort(key=lambda s: s["reason"])  # JSONB keeps keys in its own order
    assert report == {"exported": 2, "skipped_count": len(expected), "skipped": expected}
    assert _files(rt) == before


def test_the_header_keeps_the_skips_that_fit_and_counts_them_all(client: TestClient) -> None:
    pid = f.project(client)["id"]
    f.import_rows(client, pid, [{"text": "first"}, *({"text": f"t{i}", "я" * 250: i}
                                                     for i in range(40))])
    response = client.get(f"/api/projects/{pid}/export", params={"format": "csv"})
    report = orjson.loads(response.headers[REPORT])
    assert len(response.headers[REPORT]) <= 8192 + 100
    assert report["skipped_count"] == 40
    assert len(report["skipped"]) == 5  # 1,571 bytes of JSON each: five fit in 8 KiB


def _fail_midway(*args: Any, **kwargs: Any) -> None:
    args[4].write(b"half an export")
    raise RuntimeError("the disk went away")


def _fail_after(*args: Any, **kwargs: Any) -> None:
    raise RuntimeError("the disk went away")


@pytest.mark.parametrize(("target", "name", "failure"), [
    (exports, "export_project", _fail_midway),  # while writing
    (exports_router, "report_header", _fail_after),  # written, while building the response
])
def test_no_temporary_file_is_left_when_an_export_fails(
        client: TestClient, rt: Runtime, monkeypatch: pytest.MonkeyPatch, target: Any,
        name: str, failure: Callable[..., None]) -> None:
    pid = f.project(client)["id"]
    f.import_rows(client, pid, [{"text": "a"}])
    before = _files(rt)
    monkeypatch.setattr(target, name, failure)
    with pytest.raises(RuntimeError, match="the disk went away"):
        client.get(f"/api/projects/{pid}/export", params={"format": "csv"})
    assert _files(rt) == before


def test_the_file_is_removed_when_sending_fails(tmp_path: Path) -> None:
    """A client that goes away mid-download: the send raises, the file goes all the same."""
    spooled = tmp_path / "export-1"
    spooled.write_bytes(b"x" * 200_000)
    response = exports_router._SpooledFileResponse(spooled, media_type="text/csv")
    sent: list[str] = []

    async def send(message: dict[str, Any]) -> None:
        sent.append(message["type"])
        if message["type"] == "http.response.body":
            raise OSError("connection reset")

    async def receive() -> dict[str, Any]:
        await asyncio.Event().wait()  # the client says nothing more
        return {}

    scope = {"type": "http", "method": "GET", "headers": [], "path": "/"}
    with pytest.raises(OSError, match="connection reset"):
        asyncio.run(response(scope, receive, send))  # type: ignore[arg-type]
    assert sent == ["http.response.start", "http.response.body"]
    assert not spooled.exists()
