"""The task queue under concurrency: overlap, leases, ordering, skips (SQLite and PostgreSQL)."""

from __future__ import annotations

import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import replace

import pytest
from argon2 import PasswordHasher
from fastapi.testclient import TestClient
from sqlalchemy import update

from postil.services import annotations, projects, queue, users
from postil.services.runtime import Actor, Runtime
from postil.storage.tables import tasks as tasks_table

Clients = Callable[[Actor | None], TestClient]
ANSWER = [{"id": "r1", "control": "sentiment", "object": "text", "type": "choices",
           "value": {"choices": ["Positive"]}}]


@pytest.fixture(autouse=True)
def fast_password_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(users, "_hasher", PasswordHasher(time_cost=1, memory_cost=1024,
                                                         parallelism=1))


def _project(rt: Runtime, owner: Actor, tasks: int, *, overlap: int = 1,
             ordering: str = "sequential") -> tuple[int, list[int]]:
    """A sentiment project with `tasks` text tasks, through the services."""
    from postil.services import imports

    project = projects.create_project(rt, owner, "Queue", template="sentiment",
                                      overlap=overlap, ordering=ordering)
    path = rt.settings.data_dir / "tasks.jsonl"
    path.write_text("".join(f'{{"text": "task {i}"}}\n' for i in range(tasks)))
    imports.import_sources(rt, owner, project["id"],
                           [imports.ImportSource("tasks.jsonl", path)])
    with rt.engine.connect() as conn:
        ids = [r[0] for r in conn.execute(tasks_table.select().with_only_columns(
            tasks_table.c.id).where(tasks_table.c.project_id == project["id"])
            .order_by(tasks_table.c.id))]
    return project["id"], ids


def _annotators(rt: Runtime, make_user: Callable[..., Actor], owner: Actor, pid: int,
                n: int) -> list[Actor]:
    team = [make_user(f"annotator{i:02d}") for i in range(n)]
    for actor in team:
        projects.set_member(rt, owner, pid, actor.username, "annotator")
    return team


def _submitted(rt: Runtime, pid: int) -> Counter[int]:
    from postil.storage.tables import annotations as table

    with rt.engine.connect() as conn:
        rows = conn.execute(table.select().with_only_columns(table.c.task_id).where(
            table.c.project_id == pid, table.c.status == "submitted"))
        return Counter(r[0] for r in rows)


def _run_all(workers: list[Callable[[], None]]) -> list[BaseException]:
    errors: list[BaseException] = []

    def guarded(work: Callable[[], None]) -> None:
        try:
            work()
        except BaseException as exc:  # collected and asserted on by the test
            errors.append(exc)

    threads = [threading.Thread(target=guarded, args=(w,)) for w in workers]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=240)
    assert not any(t.is_alive() for t in threads), "a worker hangs"
    return errors


class TestConcurrentAnnotators:
    def test_twenty_annotators_overlap_three(self, rt: Runtime, make_user: Callable[..., Actor],
                                             client_for: Clients) -> None:
        owner = make_user("owner")
        pid, ids = _project(rt, owner, 30, overlap=3)
        team = _annotators(rt, make_user, owner, pid, 20)
        clients = [client_for(a) for a in team]
        served: dict[int, list[int]] = {a.user_id: [] for a in team}
        statuses: list[int] = []
        start = threading.Barrier(len(team))

        def work(actor: Actor, client: TestClient) -> Callable[[], None]:
            def loop() -> None:
                start.wait()
                for _ in range(len(ids) + 5):
                    got = client.get(f"/api/projects/{pid}/next")
                    statuses.append(got.status_code)
                    if got.status_code == 204:
                        return
                    task_id = got.json()["id"]
                    served[actor.user_id].append(task_id)
                    done = client.post(f"/api/tasks/{task_id}/annotations",
                                       json={"result": ANSWER})
                    statuses.append(done.status_code)
                raise AssertionError("the queue never ran dry")
            return loop

        errors = _run_all([work(a, c) for a, c in zip(team, clients, strict=True)])
        assert errors == []
        assert all(code in (200, 201, 204) for code in statuses), Counter(statuses)
        counts = _submitted(rt, pid)
        assert max(counts.values()) <= 3
        assert counts == Counter({task_id: 3 for task_id in ids})
        for task_list in served.values():
            assert len(task_list) == len(set(task_list))
        assert sum(len(v) for v in served.values()) == 3 * len(ids)
        project = projects.get_project(rt, owner, pid)
        assert (project["completed_count"], project["task_count"]) == (30, 30)

    def test_twenty_submit_one_task_at_once(self, rt: Runtime, make_user: Callable[..., Actor],
                                            client_for: Clients) -> None:
        owner = make_user("owner")
        pid, (task_id,) = _project(rt, owner, 1, overlap=20)
        team = _annotators(rt, make_user, owner, pid, 20)
        clients = [client_for(a) for a in team]
        barrier = threading.Barrier(len(team))
        statuses: list[int] = []

        def work(client: TestClient) -> Callable[[], None]:
            def submit() -> None:
                barrier.wait()
                statuses.append(client.post(f"/api/tasks/{task_id}/annotations",
                                            json={"result": ANSWER}).status_code)
            return submit

        assert _run_all([work(c) for c in clients]) == []
        assert statuses == [201] * 20
        assert _submitted(rt, pid) == Counter({task_id: 20})
        task = clients[0].get(f"/api/tasks/{task_id}").json()
        assert (task["annotation_count"], task["is_completed"]) == (20, True)
        assert projects.get_project(rt, owner, pid)["completed_count"] == 1


def _next_id(rt: Runtime, actor: Actor, pid: int) -> int | None:
    task = queue.next_task(rt, actor, pid)
    return None if task is None else int(task["id"])


class TestLeases:
    def test_a_lease_keeps_two_annotators_apart(self, rt: Runtime,
                                                make_user: Callable[..., Actor]) -> None:
        owner = make_user("owner")
        pid, ids = _project(rt, owner, 2)
        a, b, c = _annotators(rt, make_user, owner, pid, 3)
        assert _next_id(rt, a, pid) == ids[0]
        assert _next_id(rt, b, pid) == ids[1]
        assert _next_id(rt, c, pid) is None
        assert _next_id(rt, a, pid) == ids[0]  # reload keeps the lease

    def test_an_expired_lease_frees_the_task(self, rt: Runtime,
                                             make_user: Callable[..., Actor]) -> None:
        owner = make_user("owner")
        short = replace(rt, settings=rt.settings.model_copy(update={"lease_seconds": 1}))
        pid, ids = _project(rt, owner, 1)
        a, b = _annotators(rt, make_user, owner, pid, 2)
        assert _next_id(short, a, pid) == ids[0]
        assert _next_id(short, b, pid) is None
        time.sleep(1.2)
        assert _next_id(short, b, pid) == ids[0]
        annotations.submit(short, b, ids[0], ANSWER)
        assert _next_id(short, a, pid) is None

    def test_a_submit_releases_the_lease(self, rt: Runtime,
                                         make_user: Callable[..., Actor]) -> None:
        owner = make_user("owner")
        pid, ids = _project(rt, owner, 1, overlap=2)
        a, b, c = _annotators(rt, make_user, owner, pid, 3)
        assert _next_id(rt, a, pid) == ids[0]
        annotations.submit(rt, a, ids[0], ANSWER)
        assert _next_id(rt, a, pid) is None
        assert _next_id(rt, b, pid) == ids[0]
        assert _next_id(rt, c, pid) is None


class TestOrdering:
    def _drain(self, rt: Runtime, actor: Actor, pid: int) -> list[int]:
        order: list[int] = []
        while (task_id := _next_id(rt, actor, pid)) is not None:
            order.append(task_id)
            annotations.submit(rt, actor, task_id, ANSWER)
            assert len(order) <= 1000
        return order

    def test_sequential(self, rt: Runtime, make_user: Callable[..., Actor]) -> None:
        owner = make_user("owner")
        pid, ids = _project(rt, owner, 5)
        assert self._drain(rt, owner, pid) == ids

    def test_random_serves_every_task_once_in_a_shuffled_order(
            self, rt: Runtime, make_user: Callable[..., Actor]) -> None:
        owner = make_user("owner")
        pid, ids = _project(rt, owner, 40, ordering="random")
        order = self._drain(rt, owner, pid)
        assert sorted(order) == ids
        assert order != ids

    def test_priority(self, rt: Runtime, make_user: Callable[..., Actor]) -> None:
        owner = make_user("owner")
        pid, ids = _project(rt, owner, 6, ordering="priority")
        priorities = [1.0, 5.0, 1.0, 9.0, 0.0, 5.0]
        with rt.engine.begin() as conn:
            for task_id, priority in zip(ids, priorities, strict=True):
                conn.execute(update(tasks_table).where(tasks_table.c.id == task_id)
                             .values(priority=priority))
        expected = [t for _, t in sorted(zip(priorities, ids, strict=True),
                                         key=lambda p: (-p[0], p[1]))]
        assert self._drain(rt, owner, pid) == expected

    def test_skip_is_not_served_again(self, rt: Runtime,
                                      make_user: Callable[..., Actor]) -> None:
        owner = make_user("owner")
        pid, ids = _project(rt, owner, 2)
        a, b = _annotators(rt, make_user, owner, pid, 2)
        assert _next_id(rt, a, pid) == ids[0]
        annotations.skip(rt, a, ids[0])
        assert _next_id(rt, a, pid) == ids[1]
        annotations.submit(rt, a, ids[1], ANSWER)
        assert _next_id(rt, a, pid) is None
        assert _next_id(rt, b, pid) == ids[0]

    def test_completed_tasks_are_not_served(self, rt: Runtime,
                                            make_user: Callable[..., Actor]) -> None:
        owner = make_user("owner")
        pid, ids = _project(rt, owner, 2)
        a, b = _annotators(rt, make_user, owner, pid, 2)
        annotations.submit(rt, a, ids[0], ANSWER)
        assert _next_id(rt, b, pid) == ids[1]



def test_prefetch_leases_a_second_task_and_reload_keeps_the_first(
        rt: Runtime, make_user: Callable[..., Actor]) -> None:
    owner = make_user("owner")
    pid, ids = _project(rt, owner, 3)
    current = queue.next_task(rt, owner, pid)
    assert current is not None and current["id"] == ids[0]
    following = queue.next_task(rt, owner, pid, exclude=[ids[0]])
    assert following is not None and following["id"] == ids[1]
    assert _next_id(rt, owner, pid) == ids[0]  # reload: the task on screen, not the prefetched
    annotations.submit(rt, owner, ids[0], ANSWER)
    assert _next_id(rt, owner, pid) == ids[1]  # then the prefetched one, still leased to us
    other = make_user("other")
    projects.set_member(rt, owner, pid, other.username, "annotator")
    assert _next_id(rt, other, pid) == ids[2]  # the prefetched task is not served to others


def test_random_order_starts_anywhere_and_reload_keeps_the_leased_task(
        rt: Runtime, make_user: Callable[..., Actor]) -> None:
    """Mutation testing found a pivot drawn off the id range, and a reload that drew again,
    unnoticed: in random order the task served is rarely the lowest left, the order is not
    simply reversed either, and a reload returns the task already leased."""
    owner = make_user("owner")
    pid, ids = _project(rt, owner, 40, ordering="random")
    left, order, lowest_served = set(ids), [], 0
    while (task_id := _next_id(rt, owner, pid)) is not None:
        assert _next_id(rt, owner, pid) == task_id
        lowest_served += task_id == min(left)
        left.remove(task_id)
        order.append(task_id)
        annotations.submit(rt, owner, task_id, ANSWER)
    assert sorted(order) == ids
    assert order != ids[::-1]
    assert lowest_served <= 15
