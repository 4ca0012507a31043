"""Annotations: submit, versioned updates (409), drafts, skip, history, lead time."""

from __future__ import annotations

import io
import threading
import wave
from collections.abc import Callable
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient

from api import factories as f
from postil.services.runtime import Actor, Runtime

Clients = Callable[[Actor | None], TestClient]


@pytest.fixture
def alice(make_user: Callable[..., Actor]) -> Actor:
    return make_user("alice")


@pytest.fixture
def client(alice: Actor, client_for: Clients) -> TestClient:
    return client_for(alice)


@pytest.fixture
def task(client: TestClient) -> tuple[int, int]:
    """(project id, task id) of a one-task sentiment project."""
    pid = f.project(client)["id"]
    (task_id,) = f.import_texts(client, pid, 1)
    return pid, task_id


def _patch(client: TestClient, annotation_id: int, label: str, version: int,
           **extra: Any) -> httpx.Response:
    return client.patch(f"/api/annotations/{annotation_id}",
                        json={"result": f.choice(label), "version": version, **extra})


class TestSubmit:
    def test_happy(self, client: TestClient, alice: Actor, task: tuple[int, int]) -> None:
        pid, task_id = task
        body = f.submit(client, task_id, lead_time=4.5)
        assert (body["completed_by"], body["project_id"], body["task_id"]) == (
            alice.user_id, pid, task_id)
        assert (body["status"], body["version"], body["lead_time"]) == ("submitted", 1, 4.5)
        assert body["result"][0]["value"] == {"choices": ["Positive"]}
        got = client.get(f"/api/tasks/{task_id}").json()
        assert (got["annotation_count"], got["is_completed"]) == (1, True)

    def test_second_submit_is_409_with_current(self, client: TestClient, rt: Runtime,
                                               task: tuple[int, int]) -> None:
        _, task_id = task
        first = f.submit(client, task_id)
        before = f.snapshot(rt)
        response = client.post(f"/api/tasks/{task_id}/annotations",
                               json={"result": f.choice("Negative")})
        assert response.status_code == 409
        assert response.json()["current"]["id"] == first["id"]
        assert f.snapshot(rt) == before

    @pytest.mark.parametrize("body", [
        {"result": f.choice("Unknown")},
        {"result": []},  # sentiment is required
        {"result": "Positive"},
        {"result": [{"id": "r1", "control": "sentiment", "object": "text", "type": "rating",
                     "value": {"rating": 3}}]},
        {"result": f.choice(), "lead_time": -1},
        {"result": f.choice(), "lead_time": 10**9},
        {},
        {"result": [{**f.choice()[0], "id": "r\u0000"}]},  # PostgreSQL's JSONB refuses U+0000
    ])
    def test_invalid_is_422_and_nothing_written(self, client: TestClient, rt: Runtime,
                                                task: tuple[int, int],
                                                body: dict[str, Any]) -> None:
        _, task_id = task
        before = f.snapshot(rt)
        response = client.post(f"/api/tasks/{task_id}/annotations", json=body)
        assert response.status_code == 422, response.text
        assert response.json()["errors"][0]["loc"]
        assert f.snapshot(rt) == before

    def test_prediction_of_another_task_is_422(self, client: TestClient, rt: Runtime,
                                                task: tuple[int, int]) -> None:
        pid, task_id = task
        f.import_rows(client, pid, [{"text": "another"}])
        (other,) = [t for t in f.task_ids(client, pid) if t != task_id]
        response = client.post(f"/api/tasks/{other}/predictions", json=[{"result": f.choice()}])
        assert response.status_code == 201
        elsewhere = response.json()[0]["id"]
        before = f.snapshot(rt)
        for prediction_id in (elsewhere, 99999):
            response = client.post(f"/api/tasks/{task_id}/annotations",
                                   json={"result": f.choice(), "prediction_id": prediction_id})
            assert response.status_code == 422, response.text
            assert response.json()["errors"][0]["loc"] == ["prediction_id"]
        assert f.snapshot(rt) == before

    def test_prediction_of_the_task_is_kept(self, client: TestClient,
                                            task: tuple[int, int]) -> None:
        _, task_id = task
        response = client.post(f"/api/tasks/{task_id}/predictions", json=[{"result": f.choice()}])
        prediction_id = response.json()[0]["id"]
        assert f.submit(client, task_id, prediction_id=prediction_id)["prediction_id"] == (
            prediction_id)

    @pytest.mark.parametrize("raw", [b'{"result": [], "lead_time": NaN}',
                                     b'{"result": [], "lead_time": Infinity}'])
    def test_non_finite_is_422(self, client: TestClient, rt: Runtime, task: tuple[int, int],
                               raw: bytes) -> None:
        _, task_id = task
        response = client.post(f"/api/tasks/{task_id}/annotations", content=raw,
                               headers={"content-type": "application/json"})
        assert response.status_code == 422
        assert f.count(rt, "annotations") == 0

    def test_404_and_401(self, client: TestClient, client_for: Clients) -> None:
        assert client.post("/api/tasks/99999/annotations",
                           json={"result": f.choice()}).status_code == 404
        assert client_for(None).post("/api/tasks/1/annotations",
                                     json={"result": f.choice()}).status_code == 401


class TestUpdateAnnotation:
    def test_happy_and_history(self, client: TestClient, task: tuple[int, int]) -> None:
        _, task_id = task
        first = f.submit(client, task_id)
        response = _patch(client, first["id"], "Negative", 1)
        assert response.status_code == 200
        assert response.json()["version"] == 2
        history = client.get(f"/api/annotations/{first['id']}/history").json()
        assert [(h["version"], h["result"][0]["value"]["choices"]) for h in history] == [
            (1, ["Positive"]), (2, ["Negative"])]

    def test_stale_version_is_409_with_current(self, client: TestClient, rt: Runtime,
                                               task: tuple[int, int]) -> None:
        _, task_id = task
        first = f.submit(client, task_id)
        assert _patch(client, first["id"], "Negative", 1).status_code == 200
        before = f.snapshot(rt)
        response = _patch(client, first["id"], "Mixed", 1)
        assert response.status_code == 409
        current = response.json()["current"]
        assert (current["version"], current["result"][0]["value"]["choices"]) == (
            2, ["Negative"])
        assert f.snapshot(rt) == before

    def test_two_clients_from_the_same_version(self, client: TestClient, rt: Runtime,
                                               task: tuple[int, int], client_for: Clients,
                                               make_user: Callable[..., Actor]) -> None:
        pid, task_id = task
        first = f.submit(client, task_id)
        reviewer = make_user("rita")
        f.add_member(client, pid, "rita", "reviewer")
        clients = [client, client_for(reviewer)]
        barrier = threading.Barrier(2)
        results: list[httpx.Response] = []

        def edit(c: TestClient, label: str) -> None:
            barrier.wait()
            results.append(_patch(c, first["id"], label, 1))

        threads = [threading.Thread(target=edit, args=(c, label))
                   for c, label in zip(clients, ["Negative", "Mixed"], strict=True)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        codes = sorted(r.status_code for r in results)
        assert codes == [200, 409]
        winner = next(r for r in results if r.status_code == 200).json()
        loser = next(r for r in results if r.status_code == 409).json()
        assert loser["current"]["result"] == winner["result"]
        history = client.get(f"/api/annotations/{first['id']}/history").json()
        assert [h["version"] for h in history] == [1, 2]

    def test_lead_time_accumulates(self, client: TestClient, task: tuple[int, int]) -> None:
        _, task_id = task
        first = f.submit(client, task_id, lead_time=3)
        body = _patch(client, first["id"], "Negative", 1, lead_time=2.5).json()
        assert body["lead_time"] == 5.5
        body = _patch(client, first["id"], "Mixed", 2).json()
        assert body["lead_time"] == 5.5

    @pytest.mark.parametrize("body", [{"result": f.choice("Nope"), "version": 1},
                                      {"result": f.choice()},
                                      {"result": f.choice(), "version": "one"}])
    def test_invalid_is_422(self, client: TestClient, rt: Runtime, task: tuple[int, int],
                            body: dict[str, Any]) -> None:
        _, task_id = task
        first = f.submit(client, task_id)
        before = f.snapshot(rt)
        assert client.patch(f"/api/annotations/{first['id']}", json=body).status_code == 422
        assert f.snapshot(rt) == before

    def test_404(self, client: TestClient) -> None:
        assert _patch(client, 4242, "Negative", 1).status_code == 404


class TestGetAnnotation:
    def test_happy_and_404(self, client: TestClient, task: tuple[int, int]) -> None:
        _, task_id = task
        first = f.submit(client, task_id)
        assert client.get(f"/api/annotations/{first['id']}").json() == first
        assert client.get("/api/annotations/98765").status_code == 404
        assert client.get("/api/annotations/98765/history").status_code == 404

    def test_task_annotations_and_my_annotations(self, client: TestClient,
                                                 task: tuple[int, int]) -> None:
        pid, task_id = task
        first = f.submit(client, task_id)
        assert client.get(f"/api/tasks/{task_id}/annotations").json() == [first]
        mine = client.get(f"/api/projects/{pid}/my-annotations").json()
        assert [a["id"] for a in mine] == [first["id"]]


class TestSkip:
    def test_skip_then_submit(self, client: TestClient, task: tuple[int, int]) -> None:
        _, task_id = task
        skipped = client.post(f"/api/tasks/{task_id}/skip").json()
        assert (skipped["status"], skipped["result"]) == ("skipped", [])
        assert client.get(f"/api/tasks/{task_id}").json()["annotation_count"] == 0
        answered = f.submit(client, task_id, lead_time=1)
        assert (answered["id"], answered["version"], answered["status"]) == (
            skipped["id"], 2, "submitted")


class TestDrafts:
    def test_autosave_and_read_back(self, client: TestClient, task: tuple[int, int]) -> None:
        _, task_id = task
        assert client.get(f"/api/tasks/{task_id}/draft").status_code == 204
        for label in ("Positive", "Negative"):
            response = client.put(f"/api/tasks/{task_id}/draft",
                                  json={"result": f.choice(label), "lead_time": 1})
            assert response.status_code == 200
        draft = client.get(f"/api/tasks/{task_id}/draft").json()
        assert draft["result"][0]["value"] == {"choices": ["Negative"]}
        assert draft["base_version"] is None

    def test_partial_draft_is_allowed_but_checked(self, client: TestClient, rt: Runtime,
                                                  task: tuple[int, int]) -> None:
        _, task_id = task
        assert client.put(f"/api/tasks/{task_id}/draft", json={"result": []}).status_code == 200
        bad = client.put(f"/api/tasks/{task_id}/draft", json={"result": f.choice("Nope")})
        assert bad.status_code == 422
        assert f.rows(rt, "drafts")[0]["result"] == []

    def test_submit_clears_the_draft(self, client: TestClient, rt: Runtime,
                                     task: tuple[int, int]) -> None:
        _, task_id = task
        client.put(f"/api/tasks/{task_id}/draft", json={"result": f.choice()})
        f.submit(client, task_id)
        assert f.count(rt, "drafts") == 0

    def test_draft_based_on_an_older_version_is_409(self, client: TestClient, rt: Runtime,
                                                    task: tuple[int, int]) -> None:
        _, task_id = task
        first = f.submit(client, task_id)
        _patch(client, first["id"], "Negative", 1)
        before = f.snapshot(rt)
        for base in (None, 1):
            response = client.put(f"/api/tasks/{task_id}/draft",
                                  json={"result": f.choice("Mixed"), "base_version": base})
            assert response.status_code == 409
            assert response.json()["current"]["version"] == 2
        assert f.snapshot(rt) == before

    def test_draft_never_overwrites_the_submission(self, client: TestClient,
                                                   task: tuple[int, int]) -> None:
        _, task_id = task
        first = f.submit(client, task_id)
        response = client.put(f"/api/tasks/{task_id}/draft",
                              json={"result": f.choice("Mixed"), "base_version": 1})
        assert response.status_code == 200
        now = client.get(f"/api/annotations/{first['id']}").json()
        assert (now["version"], now["result"]) == (1, first["result"])

    def test_drafts_are_per_user(self, client: TestClient, task: tuple[int, int],
                                 make_user: Callable[..., Actor], client_for: Clients) -> None:
        pid, task_id = task
        bob = make_user("bob")
        f.add_member(client, pid, "bob", "manager")
        client.put(f"/api/tasks/{task_id}/draft", json={"result": f.choice()})
        assert client_for(bob).get(f"/api/tasks/{task_id}/draft").status_code == 204

    def test_404(self, client: TestClient) -> None:
        assert client.put("/api/tasks/31337/draft", json={"result": []}).status_code == 404
        assert client.get("/api/tasks/31337/draft").status_code == 404


def _wav(frames: int, rate: int) -> bytes:
    """A silent mono 16-bit WAV of `frames` samples at `rate` Hz."""
    out = io.BytesIO()
    with wave.open(out, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes(b"\0\0" * frames)
    return out.getvalue()


def _segment(end: float) -> list[dict[str, Any]]:
    return [{"id": "s1", "control": "speaker", "object": "audio", "type": "segment",
             "value": {"start": 0.5, "end": end, "labels": ["Speaker 1"]}}]


class TestSegmentAtTheEndOfTheClip:
    """A browser reports the clip's end rounded (1.553 s); the server measured 1.55288 s."""

    @pytest.fixture
    def audio_task(self, client: TestClient) -> int:
        pid = f.project(client, template="audio_segmentation_transcripts")["id"]
        response = client.post(f"/api/projects/{pid}/imports", params={"filename": "clip.wav"},
                               content=_wav(38822, 25000))  # 38822 / 25000 = 1.55288 s
        assert response.status_code == 201, response.text
        (task_id,) = f.task_ids(client, pid)
        assert client.get(f"/api/tasks/{task_id}").json()["meta"]["media"]["audio"] == {
            "duration": 1.55288}
        return task_id

    def test_an_overshoot_under_a_millisecond_is_stored_as_the_duration(
            self, client: TestClient, audio_task: int) -> None:
        draft = client.put(f"/api/tasks/{audio_task}/draft", json={"result": _segment(1.553)})
        assert draft.status_code == 200, draft.text
        saved = client.get(f"/api/tasks/{audio_task}/draft").json()
        assert saved["result"][0]["value"]["end"] == 1.55288
        response = client.post(f"/api/tasks/{audio_task}/annotations",
                               json={"result": _segment(1.553)})
        assert response.status_code == 201, response.text
        assert response.json()["result"][0]["value"] == {
            "start": 0.5, "end": 1.55288, "labels": ["Speaker 1"]}

    def test_a_larger_overshoot_is_422_and_nothing_written(
            self, client: TestClient, rt: Runtime, audio_task: int) -> None:
        before = f.snapshot(rt)
        for method, url in (("PUT", f"/api/tasks/{audio_task}/draft"),
                            ("POST", f"/api/tasks/{audio_task}/annotations")):
            response = client.request(method, url, json={"result": _segment(1.56)})
            assert response.status_code == 422, response.text
            assert response.json()["errors"][0]["loc"] == ["result", 0, "value", "end"]
        assert f.snapshot(rt) == before
