"""Plain typed factories for API tests: projects, imports, answers, database snapshots."""

from __future__ import annotations

import io
from typing import Any

import orjson
from fastapi.testclient import TestClient
from PIL import Image
from sqlalchemy import func, select

from postil.services.runtime import Runtime
from postil.storage.tables import metadata

TEXTS = ("the first text", "the second text", "the third text")


def project(client: TestClient, name: str = "Reviews", template: str = "sentiment",
            **fields: Any) -> dict[str, Any]:
    """A project from a template (or `schema=`), created by the client's user."""
    body: dict[str, Any] = {"name": name, **fields}
    if "schema" not in fields:
        body["template"] = template
    response = client.post("/api/projects", json=body)
    assert response.status_code == 201, response.text
    return response.json()


def jsonl(rows: list[dict[str, Any]]) -> bytes:
    return b"".join(orjson.dumps(row) + b"\n" for row in rows)


def import_rows(client: TestClient, project_id: int, rows: list[dict[str, Any]],
                filename: str = "tasks.jsonl") -> dict[str, Any]:
    body = jsonl(rows) if filename.endswith(".jsonl") else orjson.dumps(rows)
    response = client.post(f"/api/projects/{project_id}/imports",
                           params={"filename": filename}, content=body)
    assert response.status_code == 201, response.text
    return response.json()


def import_texts(client: TestClient, project_id: int, count: int = 3) -> list[int]:
    """Import `count` text tasks; their ids in order."""
    import_rows(client, project_id, [{"text": f"text number {i}"} for i in range(count)])
    return task_ids(client, project_id)


def task_ids(client: TestClient, project_id: int, **params: Any) -> list[int]:
    """Every task id of the project, walking all pages."""
    ids: list[int] = []
    cursor = None
    while True:
        query = {**params, "limit": params.get("limit", 1000)}
        if cursor:
            query["cursor"] = cursor
        response = client.get(f"/api/projects/{project_id}/tasks", params=query)
        assert response.status_code == 200, response.text
        page = response.json()
        ids += [t["id"] for t in page["items"]]
        cursor = page["next"]
        if not cursor:
            return ids


def choice(label: str = "Positive", control: str = "sentiment",
           obj: str = "text") -> list[dict[str, Any]]:
    """A one-result answer for a choices control."""
    return [{"id": "r1", "control": control, "object": obj, "type": "choices",
             "value": {"choices": [label]}}]


def submit(client: TestClient, task_id: int, label: str = "Positive",
           **extra: Any) -> dict[str, Any]:
    response = client.post(f"/api/tasks/{task_id}/annotations",
                           json={"result": choice(label), **extra})
    assert response.status_code == 201, response.text
    return response.json()


def add_member(client: TestClient, project_id: int, username: str, role: str) -> None:
    response = client.put(f"/api/projects/{project_id}/members",
                          json={"username": username, "role": role})
    assert response.status_code == 200, response.text


def png_bytes(width: int = 40, height: int = 30, color: str = "red") -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), color).save(out, format="PNG")
    return out.getvalue()


def snapshot(rt: Runtime) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table, in primary-key order: equal snapshots mean nothing changed."""
    with rt.engine.connect() as conn:
        return {table.name: [tuple(row) for row in conn.execute(
                    select(table).order_by(*table.primary_key.columns))]
                for table in metadata.sorted_tables}


def count(rt: Runtime, table_name: str, **where: Any) -> int:
    table = metadata.tables[table_name]
    stmt = select(func.count()).select_from(table).where(
        *(table.c[k] == v for k, v in where.items()))
    with rt.engine.connect() as conn:
        return int(conn.execute(stmt).scalar_one())


def rows(rt: Runtime, table_name: str, **where: Any) -> list[dict[str, Any]]:
    table = metadata.tables[table_name]
    stmt = select(table).where(*(table.c[k] == v for k, v in where.items()))
    with rt.engine.connect() as conn:
        return [dict(r) for r in conn.execute(stmt.order_by(*table.primary_key.columns)).mappings()]
