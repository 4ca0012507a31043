"""Task-list cursors: a value of the wrong type for the sort is a 422 naming `cursor`."""

from __future__ import annotations

import base64
import json
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient

from api import factories as f
from postil.services.runtime import Actor, Runtime

Clients = Callable[[Actor | None], TestClient]
SORTS = ["id", "created_at", "updated_at", "annotation_count", "priority"]
DATES = ["created_at", "updated_at"]

# Wrong for every sort: no sort key is text, a list, an object, a boolean or null.
WRONG_EVERYWHERE: list[Any] = [
    ["not-a-date", 1], ["abc", 1], [{"x": 1}, 1], [[1], 1], [True, 1], [None, 1],
    [1, "1"], [1, 1.5], [1, True], [1, 2**63], [1, -(2**63) - 1], [1], [1, 2, 3], {"a": 1},
    "text", 7,
]
WRONG_FOR: dict[str, list[Any]] = {
    "created_at": [[12345, 1], [1.5, 1], ["9999-12-31T23:59:59-05:00", 1], ["", 1]],
    "updated_at": [[12345, 1], ["2024-13-01T00:00:00", 1]],
    "id": [[1.5, 1], ["2024-01-01T00:00:00", 1], [2**63, 1]],
    "annotation_count": [[0.5, 1], ["2024-01-01T00:00:00", 1], [2**31, 1], [-(2**31) - 1, 1]],
    "priority": [["2024-01-01T00:00:00", 1], ["1.5", 1]],
}



def _cursor(value: Any) -> str:
    return base64.urlsafe_b64encode(json.dumps(value).encode()).decode()


@pytest.fixture
def client(make_user: Callable[..., Actor], client_for: Clients) -> TestClient:
    return client_for(make_user("alice"))


@pytest.fixture
def project(client: TestClient) -> tuple[int, list[int]]:
    pid = f.project(client)["id"]
    return pid, f.import_texts(client, pid, 5)


def _status(client: TestClient, url: str, params: dict[str, str]) -> Any:
    """The status and error places, or the exception a 500 raised in the test client."""
    try:
        response = client.get(url, params=params)
    except Exception as exc:  # noqa: BLE001 - a 500 surfaces here; the test names it
        return type(exc).__name__
    if response.status_code != 422:
        return response.status_code
    return [e["loc"][-1] for e in response.json()["errors"]]


@pytest.mark.parametrize("sort", SORTS)
def test_a_cursor_of_the_wrong_type_is_a_422_naming_cursor(
        client: TestClient, rt: Runtime, project: tuple[int, list[int]], sort: str) -> None:
    pid, _ = project
    before = f.snapshot(rt)
    wrong = WRONG_EVERYWHERE + WRONG_FOR[sort]
    answers = {(json.dumps(value), order): _status(
        client, f"/api/projects/{pid}/tasks",
        {"sort": sort, "order": order, "cursor": _cursor(value)})
        for value in wrong for order in ("asc", "desc")}
    assert answers == {key: ["cursor"] for key in answers}
    assert f.snapshot(rt) == before


@pytest.mark.parametrize(("sort", "value"), [
    ("id", 0), ("annotation_count", -1), ("priority", -1), ("priority", -0.5),
    ("created_at", "2000-01-01T00:00:00+00:00"), ("updated_at", "2000-01-01T00:00:00"),
    ("created_at", "2000-01-01"),
])
def test_a_cursor_before_every_task_pages_them_all(
        client: TestClient, project: tuple[int, list[int]], sort: str, value: Any) -> None:
    pid, ids = project
    response = client.get(f"/api/projects/{pid}/tasks",
                          params={"sort": sort, "cursor": _cursor([value, 0])})
    assert response.status_code == 200, response.text
    assert [t["id"] for t in response.json()["items"]] == ids


@pytest.mark.parametrize("sort", DATES)
def test_a_date_cursor_with_an_offset_means_the_same_moment(
        client: TestClient, project: tuple[int, list[int]], sort: str) -> None:
    """The first task's time written at +05:00 is the same instant: the page starts after it."""
    pid, ids = project
    first = client.get(f"/api/tasks/{ids[0]}").json()[sort]
    moment = datetime.fromisoformat(first).astimezone(UTC)
    shifted = moment.astimezone(UTC).replace(tzinfo=None) + timedelta(hours=5)
    cursor = _cursor([shifted.isoformat() + "+05:00", ids[0]])
    response = client.get(f"/api/projects/{pid}/tasks", params={"sort": sort, "cursor": cursor})
    assert response.status_code == 200, response.text
    assert [t["id"] for t in response.json()["items"]] == ids[1:]


@pytest.mark.parametrize(("sort", "value"), [
    ("id", 2**63 - 1), ("annotation_count", 2**31 - 1), ("priority", 2**64 - 1),
    ("priority", 1e308), ("created_at", "9999-12-31T00:00:00+00:00")])
def test_a_cursor_past_every_task_pages_nothing(
        client: TestClient, project: tuple[int, list[int]], sort: str, value: Any) -> None:
    pid, _ = project
    response = client.get(f"/api/projects/{pid}/tasks",
                          params={"sort": sort, "cursor": _cursor([value, 2**63 - 1])})
    assert response.status_code == 200, response.text
    assert response.json()["items"] == []
