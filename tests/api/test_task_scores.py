"""The data manager's prediction score: the best score of each task's predictions."""

from __future__ import annotations

from collections.abc import Callable

from fastapi.testclient import TestClient
from tests.api import factories as f

from postil.services.runtime import Actor


def _prediction(label: str, score: float | None) -> dict[str, object]:
    return {"model_version": "m1", "score": score, "result": [
        {"id": "p", "control": "sentiment", "object": "text", "type": "choices",
         "value": {"choices": [label]}}]}


def test_task_rows_carry_the_best_prediction_score(
        make_user: Callable[..., Actor], client_for: Callable[[Actor], TestClient]) -> None:
    client = client_for(make_user("alice"))
    pid = f.project(client)["id"]
    first, second, third = f.import_texts(client, pid, 3)
    reply = client.post(f"/api/tasks/{first}/predictions",
                        json=[_prediction("Positive", 0.25), _prediction("Negative", 0.75)])
    assert reply.status_code == 201, reply.text
    client.post(f"/api/tasks/{second}/predictions", json=[_prediction("Neutral", None)])
    page = client.get(f"/api/projects/{pid}/tasks").json()
    scores = {t["id"]: t["prediction_score"] for t in page["items"]}
    assert scores == {first: 0.75, second: None, third: None}
