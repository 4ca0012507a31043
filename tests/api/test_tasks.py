"""Tasks: keyset pages under every sort, filters, one task, deletion, the queue, predictions."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import update

from api import factories as f
from api.waiting import assert_others_answered_meanwhile
from postil.services.runtime import Actor, Runtime
from postil.storage import projects as projects_repo
from postil.storage.db import write
from postil.storage.tables import tasks as tasks_table

Clients = Callable[[Actor | None], TestClient]
SORTS = ["id", "created_at", "updated_at", "annotation_count", "priority"]


@pytest.fixture
def alice(make_user: Callable[..., Actor]) -> Actor:
    return make_user("alice")


@pytest.fixture
def client(alice: Actor, client_for: Clients) -> TestClient:
    return client_for(alice)


@pytest.fixture
def varied(client: TestClient, rt: Runtime, make_user: Callable[..., Actor],
           client_for: Clients) -> tuple[int, list[int]]:
    """25 tasks from two imports, with tied and distinct priorities, counts and update times."""
    pid = f.project(client, overlap=3)["id"]
    f.import_rows(client, pid, [{"text": f"alpha {i}"} for i in range(15)])
    f.import_rows(client, pid, [{"text": f"beta {i}"} for i in range(10)])
    ids = f.task_ids(client, pid)
    bob = make_user("bob")
    f.add_member(client, pid, "bob", "annotator")
    bob_client = client_for(bob)
    for i, task_id in enumerate(ids[::3]):
        f.submit(client, task_id)
        if i % 2:
            f.submit(bob_client, task_id, "Negative")
    with rt.engine.begin() as conn:
        for i, task_id in enumerate(ids):
            conn.execute(update(tasks_table).where(tasks_table.c.id == task_id)
                         .values(priority=float(i % 4)))
    return pid, ids


def _walk(client: TestClient, pid: int, **params: Any) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    cursor = None
    for _ in range(100):
        query = {**params, **({"cursor": cursor} if cursor else {})}
        response = client.get(f"/api/projects/{pid}/tasks", params=query)
        assert response.status_code == 200, response.text
        page = response.json()
        assert len(page["items"]) <= params["limit"]
        items += page["items"]
        cursor = page["next"]
        if not cursor:
            return items
    raise AssertionError("pagination does not end")


class TestListTasks:
    @pytest.mark.parametrize("order", ["asc", "desc"])
    @pytest.mark.parametrize("sort", SORTS)
    def test_keyset_walk_visits_every_task_once(
            self, client: TestClient, varied: tuple[int, list[int]], sort: str,
            order: str) -> None:
        pid, ids = varied
        items = _walk(client, pid, sort=sort, order=order, limit=4)
        seen = [t["id"] for t in items]
        assert sorted(seen) == sorted(ids)
        assert len(seen) == len(set(seen))
        keys = [(t[sort], t["id"]) for t in items]
        assert keys == sorted(keys, reverse=order == "desc")

    def test_total_and_page_size(self, client: TestClient,
                                 varied: tuple[int, list[int]]) -> None:
        pid, ids = varied
        page = client.get(f"/api/projects/{pid}/tasks", params={"limit": 10}).json()
        assert (len(page["items"]), page["total"]) == (10, len(ids))
        assert page["next"]

    def test_filters_by_status(self, client: TestClient, varied: tuple[int, list[int]]) -> None:
        pid, ids = varied
        items = _walk(client, pid, limit=100)
        by_id = {t["id"]: t for t in items}
        expected = {
            "completed": [i for i in ids if by_id[i]["is_completed"]],
            "incomplete": [i for i in ids if not by_id[i]["is_completed"]],
            "unlabeled": [i for i in ids if by_id[i]["annotation_count"] == 0],
            "relabel": [],
        }
        assert expected["unlabeled"] and expected["incomplete"]
        for status, wanted in expected.items():
            assert f.task_ids(client, pid, status=status) == wanted, status

    def test_completed_filter(self, client: TestClient) -> None:
        pid = f.project(client)["id"]
        ids = f.import_texts(client, pid, 3)
        f.submit(client, ids[1])
        assert f.task_ids(client, pid, status="completed") == [ids[1]]
        assert f.task_ids(client, pid, status="incomplete") == [ids[0], ids[2]]

    def test_filters_by_annotator(self, client: TestClient,
                                  varied: tuple[int, list[int]]) -> None:
        pid, ids = varied
        bobs = f.task_ids(client, pid, annotator="bob")
        assert bobs == [t for i, t in enumerate(ids[::3]) if i % 2]
        assert f.task_ids(client, pid, annotator="alice") == ids[::3]
        assert f.task_ids(client, pid, annotator="nobody-at-all") == []
        # PostgreSQL refuses to compare text with U+0000 (it was a 500 there)
        assert f.task_ids(client, pid, annotator="bob\u0000") == []

    def test_search(self, client: TestClient, varied: tuple[int, list[int]]) -> None:
        pid, ids = varied
        assert f.task_ids(client, pid, q="beta") == ids[15:]
        assert f.task_ids(client, pid, q="ALPHA 1") == [ids[1]]
        assert f.task_ids(client, pid, q="ALPHA 1*") == [ids[1]] + ids[10:15]
        assert f.task_ids(client, pid, q="%") == []
        assert f.task_ids(client, pid, q="_") == []

    def test_search_is_by_words_so_wildcards_are_no_patterns(self, client: TestClient) -> None:
        pid = f.project(client)["id"]
        f.import_rows(client, pid, [{"text": "100% sure"}, {"text": "100 percent"},
                                    {"text": "snake_case"}, {"text": "snakeXcase"}])
        ids = f.task_ids(client, pid)
        assert f.task_ids(client, pid, q="100%") == ids[:2]
        assert f.task_ids(client, pid, q="snake_case") == [ids[2]]
        assert f.task_ids(client, pid, q="%_") == []

    @pytest.mark.parametrize("params", [
        {"sort": "password_hash"}, {"sort": "data"}, {"sort": "id; DROP TABLE tasks"},
        {"sort": "project__created_by__password_hash"}, {"order": "sideways"},
        {"status": "done; --"}, {"limit": 0}, {"limit": 1001}, {"cursor": "not-a-cursor"},
        {"cursor": "W10="}, {"q": "x" * 201},
    ])
    def test_bad_queries_are_422(self, client: TestClient, rt: Runtime,
                                 varied: tuple[int, list[int]], params: dict[str, Any]) -> None:
        pid, ids = varied
        response = client.get(f"/api/projects/{pid}/tasks", params=params)
        assert response.status_code == 422, response.text
        assert response.json()["errors"][0]["loc"][-1] in params
        assert f.count(rt, "tasks") == len(ids)

    def test_401_and_404(self, client: TestClient, client_for: Clients) -> None:
        pid = f.project(client)["id"]
        assert client_for(None).get(f"/api/projects/{pid}/tasks").status_code == 401
        assert client.get("/api/projects/99999/tasks").status_code == 404


class TestGetTask:
    def test_happy(self, client: TestClient) -> None:
        pid = f.project(client)["id"]
        f.import_rows(client, pid, [{"text": "hello \U0001f600", "id": "ext-1"}])
        (task_id,) = f.task_ids(client, pid)
        task = client.get(f"/api/tasks/{task_id}").json()
        assert task["data"]["text"] == "hello \U0001f600"
        assert task["project_id"] == pid
        assert (task["annotation_count"], task["is_completed"]) == (0, False)

    def test_404(self, client: TestClient) -> None:
        assert client.get("/api/tasks/123456").status_code == 404


class TestDeleteTasks:
    def test_deletes_and_counts(self, client: TestClient, rt: Runtime) -> None:
        pid = f.project(client)["id"]
        ids = f.import_texts(client, pid, 4)
        f.submit(client, ids[0])
        response = client.post(f"/api/projects/{pid}/tasks/delete", json={"ids": ids[:2]})
        assert response.json() == {"deleted": 2}
        project = client.get(f"/api/projects/{pid}").json()
        assert (project["task_count"], project["completed_count"]) == (2, 0)
        assert f.task_ids(client, pid) == ids[2:]
        assert f.count(rt, "annotations") == 0
        assert client.get(f"/api/tasks/{ids[0]}").status_code == 404

    @pytest.mark.parametrize("body", [{"ids": []}, {"ids": ["x"]}, {}, {"ids": [1], "all": 1}])
    def test_422(self, client: TestClient, rt: Runtime, body: dict[str, Any]) -> None:
        pid = f.project(client)["id"]
        f.import_texts(client, pid, 2)
        response = client.post(f"/api/projects/{pid}/tasks/delete", json=body)
        assert response.status_code == 422
        assert f.count(rt, "tasks") == 2


class TestNextTask:
    def test_serves_in_order_then_204(self, client: TestClient) -> None:
        pid = f.project(client)["id"]
        ids = f.import_texts(client, pid, 2)
        served = []
        for _ in range(2):
            task = client.get(f"/api/projects/{pid}/next").json()
            served.append(task["id"])
            assert task["lease_expires_at"]
            f.submit(client, task["id"])
        assert served == ids
        assert client.get(f"/api/projects/{pid}/next").status_code == 204

    def test_reload_returns_the_leased_task(self, client: TestClient) -> None:
        pid = f.project(client)["id"]
        f.import_texts(client, pid, 3)
        first = client.get(f"/api/projects/{pid}/next").json()["id"]
        assert client.get(f"/api/projects/{pid}/next").json()["id"] == first

    def test_returns_predictions_and_draft(self, client: TestClient) -> None:
        pid = f.project(client)["id"]
        (task_id,) = f.import_texts(client, pid, 1)
        response = client.post(f"/api/tasks/{task_id}/predictions", json=[
            {"result": f.choice("Negative"), "model_version": "v2", "score": 0.75}])
        assert response.status_code == 201
        client.put(f"/api/tasks/{task_id}/draft", json={"result": f.choice("Mixed"),
                                                       "lead_time": 2})
        task = client.get(f"/api/projects/{pid}/next").json()
        (prediction,) = task["predictions"]
        assert (prediction["model_version"], prediction["score"]) == ("v2", 0.75)
        assert prediction["result"][0]["value"] == {"choices": ["Negative"]}
        assert task["draft"]["result"][0]["value"] == {"choices": ["Mixed"]}

    def test_times_are_timezone_aware(self, client: TestClient) -> None:
        """SQLite hands back naive datetimes; the API declares RFC 3339 with an offset."""
        pid = f.project(client)["id"]
        (task_id,) = f.import_texts(client, pid, 1)
        client.put(f"/api/tasks/{task_id}/draft", json={"result": f.choice()})
        task = client.get(f"/api/projects/{pid}/next").json()
        for moment in (task["lease_expires_at"], task["created_at"], task["draft"]["updated_at"]):
            assert datetime.fromisoformat(moment).tzinfo is not None

    def test_skip_is_not_served_again(self, client: TestClient) -> None:
        pid = f.project(client)["id"]
        ids = f.import_texts(client, pid, 2)
        first = client.get(f"/api/projects/{pid}/next").json()["id"]
        skipped = client.post(f"/api/tasks/{first}/skip")
        assert skipped.status_code == 200
        assert skipped.json()["status"] == "skipped"
        assert client.get(f"/api/projects/{pid}/next").json()["id"] == ids[1]

    def test_404(self, client: TestClient) -> None:
        assert client.get("/api/projects/55555/next").status_code == 404

    def test_waits_for_a_busy_writer_without_blocking_other_requests(
            self, client: TestClient, rt: Runtime) -> None:
        """The labeling loop runs in place only when the writer is free; when an import (here
        a held transaction) has it, `next` waits in the thread pool and the server goes on."""
        pid = f.project(client)["id"]
        f.import_texts(client, pid, 2)

        @contextmanager
        def writer() -> Iterator[None]:
            with write(rt.engine) as conn:
                projects_repo.lock_project(conn, pid)
                yield

        assert_others_answered_meanwhile(client, writer, f"/api/projects/{pid}/next",
                                         f"/api/projects/{pid}/tasks")


class TestPredictions:
    def test_add_and_list(self, client: TestClient, rt: Runtime) -> None:
        pid = f.project(client)["id"]
        (task_id,) = f.import_texts(client, pid, 1)
        response = client.post(f"/api/tasks/{task_id}/predictions", json=[
            {"result": f.choice("Negative"), "model_version": "a", "score": 0.1},
            {"result": f.choice("Positive"), "model_version": "b"}])
        assert response.status_code == 201
        listed = client.get(f"/api/tasks/{task_id}/predictions").json()
        assert [(p["model_version"], p["score"]) for p in listed] == [("a", 0.1), ("b", None)]
        assert f.count(rt, "predictions") == 2

    @pytest.mark.parametrize("item", [
        {"result": f.choice("NotALabel")},
        {"result": f.choice(control="nope")},
        {"result": [{"id": "r", "control": "sentiment", "object": "text", "type": "box",
                     "value": {"x": 1, "y": 1, "width": 1, "height": 1}}]},
        {"result": "Positive"},
        {"result": f.choice(), "score": "high"},
        {"result": f.choice(), "extra": True},
    ])
    def test_invalid_is_422_naming_the_prediction(self, client: TestClient, rt: Runtime,
                                                  item: dict[str, Any]) -> None:
        pid = f.project(client)["id"]
        (task_id,) = f.import_texts(client, pid, 1)
        response = client.post(f"/api/tasks/{task_id}/predictions",
                               json=[{"result": f.choice()}, item])
        assert response.status_code == 422, response.text
        where, index = response.json()["errors"][0]["loc"][:2]
        assert (where in ("body", "predictions"), index) == (True, 1)  # the second one
        assert f.count(rt, "predictions") == 0

    def test_nan_score_is_422(self, client: TestClient, rt: Runtime) -> None:
        pid = f.project(client)["id"]
        (task_id,) = f.import_texts(client, pid, 1)
        response = client.post(f"/api/tasks/{task_id}/predictions",
                               content=b'[{"result": [], "score": NaN}]',
                               headers={"content-type": "application/json"})
        assert response.status_code == 422
        assert f.count(rt, "predictions") == 0
