"""The data manager's count under filters and search, skipped tasks, and the queue's skips."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from fastapi.testclient import TestClient

from api import factories as f
from postil.services.runtime import Actor, Runtime
from postil.storage import tasks as tasks_repo

Clients = Callable[[Actor | None], TestClient]


@pytest.fixture
def alice(make_user: Callable[..., Actor]) -> Actor:
    return make_user("alice")


@pytest.fixture
def client(alice: Actor, client_for: Clients) -> TestClient:
    return client_for(alice)


@pytest.fixture
def bob(client: TestClient, make_user: Callable[..., Actor], client_for: Clients,
        ) -> Callable[[int], TestClient]:
    """Bob's client, made an annotator of the given project."""
    def join(pid: int) -> TestClient:
        f.add_member(client, pid, "bob", "annotator")
        return client_for(user)
    user = make_user("bob")
    return join


@pytest.fixture
def skips(client: TestClient, bob: Callable[[int], TestClient]) -> tuple[int, list[int]]:
    """Five tasks, overlap 2: 1 skipped by alice; 2 skipped by both; 3 skipped by alice and
    answered by bob; 4 answered by bob; 5 untouched."""
    pid = f.project(client, overlap=2)["id"]
    f.import_rows(client, pid, [{"text": w} for w in
                                ("red apple", "green apple", "red pear", "blue sky", "red sky")])
    ids = f.task_ids(client, pid)
    bobs = bob(pid)
    for task_id in ids[:3]:
        assert client.post(f"/api/tasks/{task_id}/skip").status_code == 200
    assert bobs.post(f"/api/tasks/{ids[1]}/skip").status_code == 200
    f.submit(bobs, ids[2])
    f.submit(bobs, ids[3])
    return pid, ids


def _count(client: TestClient, pid: int, **params: Any) -> dict[str, Any]:
    response = client.get(f"/api/projects/{pid}/tasks/count", params=params)
    assert response.status_code == 200, response.text
    return dict(response.json())


class TestSkipped:
    def test_rows_say_how_many_skipped(self, client: TestClient,
                                       skips: tuple[int, list[int]]) -> None:
        pid, ids = skips
        items = client.get(f"/api/projects/{pid}/tasks").json()["items"]
        assert [(t["skipped_count"], t["annotation_count"]) for t in items] == [
            (1, 0), (2, 0), (1, 1), (0, 1), (0, 0)]
        assert [t["id"] for t in items] == ids

    def test_filter_lists_tasks_skipped_and_not_answered(
            self, client: TestClient, skips: tuple[int, list[int]]) -> None:
        pid, ids = skips
        assert f.task_ids(client, pid, status="skipped") == [ids[0], ids[1]]
        assert f.task_ids(client, pid, status="skipped", order="desc") == [ids[1], ids[0]]
        assert f.task_ids(client, pid, status="skipped", sort="created_at") == ids[:2]
        assert f.task_ids(client, pid, status="skipped", q="green") == [ids[1]]
        assert f.task_ids(client, pid, status="unlabeled") == [ids[0], ids[1], ids[4]]
        f.submit(client, ids[0])  # alice goes back to her skipped task and answers it
        assert f.task_ids(client, pid, status="skipped") == [ids[1]]

    def test_skips_of_another_project_do_not_count(
            self, client: TestClient, skips: tuple[int, list[int]]) -> None:
        pid, _ = skips
        other = f.project(client, name="Other")["id"]
        (task_id,) = f.import_texts(client, other, 1)
        assert f.task_ids(client, other, status="skipped") == []
        assert client.post(f"/api/tasks/{task_id}/skip").status_code == 200
        assert f.task_ids(client, other, status="skipped") == [task_id]
        assert _count(client, pid, status="skipped") == {"count": 2, "exact": True}


class TestCount:
    def test_follows_status_search_and_annotator(
            self, client: TestClient, skips: tuple[int, list[int]]) -> None:
        pid, _ = skips
        expected = {
            (): 5, (("status", "skipped"),): 2, (("status", "unlabeled"),): 3,
            (("status", "incomplete"),): 5, (("status", "completed"),): 0,
            (("status", "relabel"),): 0, (("q", "red"),): 3, (("q", "apple"),): 2,
            (("q", "red"), ("status", "unlabeled")): 2, (("q", "nothing"),): 0,
            (("q", "%"),): 0, (("annotator", "bob"),): 2, (("annotator", "nobody"),): 0,
        }
        for params, count in expected.items():
            assert _count(client, pid, **dict(params)) == {"count": count, "exact": True}, params

    def test_stops_at_the_cap_and_says_so(self, client: TestClient, skips: tuple[int, list[int]],
                                          monkeypatch: pytest.MonkeyPatch) -> None:
        pid, _ = skips
        monkeypatch.setattr(tasks_repo, "COUNT_CAP", 2)
        assert _count(client, pid, status="unlabeled") == {"count": 2, "exact": False}
        assert _count(client, pid, status="skipped") == {"count": 2, "exact": True}
        assert _count(client, pid, q="red") == {"count": 2, "exact": False}
        assert _count(client, pid) == {"count": 5, "exact": True}  # the project's counter

    def test_bad_status_is_422_and_outsiders_get_404(
            self, client: TestClient, client_for: Clients, make_user: Callable[..., Actor],
            skips: tuple[int, list[int]]) -> None:
        pid, _ = skips
        bad = client.get(f"/api/projects/{pid}/tasks/count", params={"status": "skiped"})
        assert bad.status_code == 422
        assert bad.json()["errors"][0]["loc"][-1] == "status"
        too_long = client.get(f"/api/projects/{pid}/tasks/count", params={"q": "x" * 201})
        assert too_long.status_code == 422
        assert client_for(None).get(f"/api/projects/{pid}/tasks/count").status_code == 401
        eve = client_for(make_user("eve"))
        assert eve.get(f"/api/projects/{pid}/tasks/count").status_code == 404


class TestQueueState:
    def test_open_skips_are_what_is_left_after_the_queue(
            self, client: TestClient, rt: Runtime, bob: Callable[[int], TestClient]) -> None:
        pid = f.project(client)["id"]
        ids = f.import_texts(client, pid, 3)
        assert client.get(f"/api/projects/{pid}/queue").json() == {
            "skipped": 0, "first_skipped": None}
        for _ in range(2):
            task_id = client.get(f"/api/projects/{pid}/next").json()["id"]
            assert client.post(f"/api/tasks/{task_id}/skip").status_code == 200
        f.submit(client, client.get(f"/api/projects/{pid}/next").json()["id"])
        assert client.get(f"/api/projects/{pid}/next").status_code == 204
        assert client.get(f"/api/projects/{pid}/queue").json() == {
            "skipped": 2, "first_skipped": ids[0]}
        f.submit(bob(pid), ids[0])  # overlap 1: bob's answer completes the first one
        assert client.get(f"/api/projects/{pid}/queue").json() == {
            "skipped": 1, "first_skipped": ids[1]}
        f.submit(client, ids[1])
        assert client.get(f"/api/projects/{pid}/queue").json() == {
            "skipped": 0, "first_skipped": None}
        # her skip of the task bob completed stays, but there is nothing to go back to
        assert f.count(rt, "annotations", status="skipped") == 1

    def test_is_per_person_and_project(self, client: TestClient, client_for: Clients,
                                       make_user: Callable[..., Actor],
                                       bob: Callable[[int], TestClient]) -> None:
        pid = f.project(client)["id"]
        (task_id,) = f.import_texts(client, pid, 1)
        assert client.post(f"/api/tasks/{task_id}/skip").status_code == 200
        assert bob(pid).get(f"/api/projects/{pid}/queue").json()["skipped"] == 0
        other = f.project(client, name="Other")["id"]
        assert client.get(f"/api/projects/{other}/queue").json()["skipped"] == 0
        assert client_for(None).get(f"/api/projects/{pid}/queue").status_code == 401
        eve = client_for(make_user("eve"))
        assert eve.get(f"/api/projects/{pid}/queue").status_code == 404
