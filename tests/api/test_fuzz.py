"""Schemathesis against our own OpenAPI: every operation, as an admin, a member and an outsider.

One seeded instance per role (a text project with tasks, annotations, a draft and predictions,
an image project with media, both owned by another user) and, per operation, a few generated
requests, valid and invalid, whose path ids mostly point at the seeded objects. Every response
must be no 5xx and match its declared schema. The outsider's must also never be a 2xx on the
other tenant's ids nor carry the other tenant's data, and must change none of it.
"""

from __future__ import annotations

import os
import socket
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
import schemathesis
from fastapi import FastAPI
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from schemathesis.errors import FailureGroup
from schemathesis.python import asgi
from schemathesis.specs.openapi.checks import response_schema_conformance
from sqlalchemy import select

from api import factories as f
from api.conftest import FAST_HASHER
from conftest import PASSWORD, empty_database
from postil.api.app import create_app
from postil.services import users
from postil.services.runtime import Actor, Runtime
from postil.settings import Settings
from postil.storage.tables import metadata

# Per generation mode (valid, invalid), role and operation; raise it for a deeper local run.
MAX_EXAMPLES = int(os.environ.get("POSTIL_FUZZ_EXAMPLES", "10"))
CANARY = "canary7f3a"  # in the other tenant's texts; no response to the outsider has it
ROLES = ("admin", "annotator", "outsider")
CHECKS = [schemathesis.checks.not_a_server_error, response_schema_conformance]
SCOPED = ("project_id", "task_id", "annotation_id", "import_id", "key", "user_id", "token_id")
# A generated token id could be the caller's own token: deleting it would end the session.
ALWAYS_AIMED = ("token_id",)

pytestmark = pytest.mark.slow


def _order(operation: tuple[str, str]) -> tuple[int, str, str]:
    """Deletions last: they would leave the operations after them nothing to aim at."""
    method, path = operation
    deletes = method == "DELETE" or path.endswith("/tasks/delete")
    return (2 if path == "/api/projects/{project_id}" and deletes else int(deletes), path, method)


# Nothing is left out: logout ends only a cookie session (we send a token), generated uploads
# are small, and URL imports resolve every host to loopback here, which the SSRF guard refuses.
OPERATIONS = sorted(((method.upper(), path)
                     for path, ops in create_app().openapi()["paths"].items() for method in ops),
                    key=_order)


@dataclass
class World:
    """The seeded instance as one role sees it: the app, its token, the ids to aim at."""

    role: str
    app: FastAPI
    rt: Runtime
    headers: dict[str, str]
    ids: dict[str, list[Any]]
    project_ids: list[int]
    owner_id: int


def _user(rt: Runtime, name: str, admin: bool = False) -> tuple[Actor, TestClient]:
    user = users.create_user(rt, name, PASSWORD, is_admin=admin)
    actor = Actor(user["id"], user["username"], admin)
    client = TestClient(create_app(runtime=rt), base_url="http://127.0.0.1")
    client.headers["Authorization"] = f"Token {users.create_token(rt, actor, 'seed')['token']}"
    return actor, client


def _seed(rt: Runtime, role: str) -> World:
    (owner, o), (annotator, a) = _user(rt, "olivia"), _user(rt, "anna")
    actor = {"admin": lambda: _user(rt, "ada", admin=True)[0], "annotator": lambda: annotator,
             "outsider": lambda: _user(rt, "oscar")[0]}[role]()
    text = f.project(o, f"Reviews {CANARY}", description=CANARY)
    report = f.import_rows(o, text["id"], [{"text": f"{CANARY} text {i}"} for i in range(4)])
    tasks = f.task_ids(o, text["id"])
    images = f.project(o, f"Images {CANARY}", template="image_classification")
    upload = o.post(f"/api/projects/{images['id']}/imports",
                    files=[("files", ("a.png", f.png_bytes(), "image/png"))])
    assert upload.status_code == 201, upload.text
    image_task = o.get(f"/api/projects/{images['id']}/tasks").json()["items"][0]
    for project_id in (text["id"], images["id"]):
        f.add_member(o, project_id, annotator.username, "annotator")
    annotations = [f.submit(o, tasks[0])["id"], f.submit(a, tasks[1], "Negative")["id"]]
    assert a.put(f"/api/tasks/{tasks[2]}/draft", json={"result": f.choice()}).status_code == 200
    for task_id in (tasks[0], tasks[2]):
        response = o.post(f"/api/tasks/{task_id}/predictions",
                          json=[{"result": f.choice(), "model_version": "m1", "score": 0.5}])
        assert response.status_code == 201, response.text
    for client in (o, a):
        client.close()
    # The outsider aims at the owner's token; the others at a spare one of their own.
    spare = users.create_token(rt, owner if role == "outsider" else actor, "spare")["id"]
    token = users.create_token(rt, actor, "fuzz")["token"]
    ids: dict[str, list[Any]] = {
        "project_id": [text["id"], images["id"]],
        "task_id": [*tasks, image_task["id"]],
        "annotation_id": annotations,
        "import_id": [report["import_id"], upload.json()["import_id"]],
        "key": [image_task["data"]["image"].removeprefix("/api/media/")],
        "user_id": [annotator.user_id, owner.user_id],
        "token_id": [spare],
        "name": ["sentiment", "image_classification"],
    }
    return World(role, create_app(runtime=rt), rt, {"Authorization": f"Token {token}"}, ids,
                 [text["id"], images["id"]], owner.user_id)


def _loopback(host: Any, port: Any, *args: Any, **kwargs: Any) -> list[Any]:
    """Every host resolves to loopback: URL imports reach the SSRF guard, never the network."""
    return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("127.0.0.1", int(port or 0)))]


@pytest.fixture(scope="module", params=ROLES)
def world(request: pytest.FixtureRequest, database_url: str,
          tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    """Seeded once per role (seeding per operation would cost most of the run)."""
    settings = Settings(data_dir=tmp_path_factory.mktemp("fuzz") / "data",
                        database_url=database_url, max_upload_bytes=50 * 1024 * 1024)
    rt = Runtime.open(settings, upgrade=False)
    try:
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(users, "_hasher", FAST_HASHER)
            patch.setattr(socket, "getaddrinfo", _loopback)
            yield _seed(rt, request.param)
    finally:
        asgi.shutdown_lifespans()  # schemathesis keeps each app's lifespan open until told
        empty_database(rt)
        rt.close()


def _tenant_rows(w: World) -> dict[str, list[tuple[Any, ...]]]:
    """The owner's side of the database: the seeded projects and all in them, users, tokens."""
    snapshot = {}
    with w.rt.engine.connect() as conn:
        for table in metadata.sorted_tables:
            if table.name in ("sessions", "audit_log", "login_failures"):  # anyone may log in
                continue
            stmt = select(table).order_by(*table.primary_key.columns)
            if "project_id" in table.c:
                stmt = stmt.where(table.c.project_id.in_(w.project_ids))
            elif table.name == "projects":
                stmt = stmt.where(table.c.id.in_(w.project_ids))
            elif table.name == "api_tokens":
                stmt = stmt.where(table.c.user_id == w.owner_id)
            elif table.name == "annotation_history":
                answers = metadata.tables["annotations"]
                stmt = stmt.where(table.c.annotation_id.in_(
                    select(answers.c.id).where(answers.c.project_id.in_(w.project_ids))))
            snapshot[table.name] = [tuple(row) for row in conn.execute(stmt)]
    return snapshot


def _aimed(w: World, case: schemathesis.Case, aim: list[int]) -> schemathesis.Case:
    """Point path ids at seeded objects (aim picks which), or keep the generated value (-1)."""
    for i, name in enumerate(sorted(case.path_parameters)):
        choices, pick = w.ids.get(name, []), aim[i % len(aim)]
        if choices and (pick >= 0 or name in ALWAYS_AIMED):
            case.path_parameters[name] = choices[pick % len(choices)]
    return case


def _cases(w: World, method: str, path: str) -> st.SearchStrategy[schemathesis.Case]:
    operation = schemathesis.openapi.from_asgi("/api/openapi.json", w.app)[path][method]
    modes = [operation.as_strategy(generation_mode=mode) for mode in schemathesis.GenerationMode]
    aims = st.lists(st.integers(-1, 7), min_size=1, max_size=3)
    return st.builds(lambda case, aim: _aimed(w, case, aim), st.one_of(modes), aims)


def _problems(w: World, case: schemathesis.Case, response: schemathesis.Response) -> list[str]:
    """What is wrong with one response: failed checks, and for the outsider any leak."""
    try:
        case.validate_response(response, checks=CHECKS)
        problems = []
    except FailureGroup as group:
        problems = [f"{failure.title} ({response.status_code}): {failure.message}"
                    for failure in group.exceptions]
    if w.role == "outsider":
        theirs = any(case.path_parameters.get(name) in w.ids.get(name, []) for name in SCOPED)
        if 200 <= response.status_code < 300 and theirs:
            problems.append(f"outsider got {response.status_code} on the other tenant's ids")
        if CANARY in response.text:
            problems.append("a response to the outsider carries the other tenant's data")
    return problems


@pytest.mark.parametrize(("method", "path"), OPERATIONS, ids=[" ".join(o) for o in OPERATIONS])
def test_fuzz(world: World, method: str, path: str) -> None:
    found: dict[str, str] = {}
    before = _tenant_rows(world) if world.role == "outsider" else None

    @settings(max_examples=2 * MAX_EXAMPLES, derandomize=True, database=None, deadline=None,
              phases=[Phase.explicit, Phase.generate], suppress_health_check=list(HealthCheck))
    @given(case=_cases(world, method, path))
    def run(case: schemathesis.Case) -> None:
        try:
            response = case.call(headers=world.headers)
        except Exception as exc:  # raised through the ASGI app: a 500 behind a real server
            problem = f"the app raised {type(exc).__name__}: {exc}"[:300]
            found.setdefault(problem, f"{problem}\n{case.as_curl_command()}")
            return
        for problem in _problems(world, case, response):
            found.setdefault(problem.splitlines()[0], f"{problem}\n{case.as_curl_command()}")

    run()
    assert not found, "\n\n".join(found.values())
    if before is not None:
        assert _tenant_rows(world) == before, "the outsider changed the other tenant's data"
