"""Revision 0003 shortens task content hashes; duplicates stay duplicates across it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import orjson
import pytest
from sqlalchemy import select

from postil.core.records import full_content_hash, task_content_hash
from postil.services import imports, projects, users
from postil.services.imports import ImportSource
from postil.services.runtime import Actor, Runtime
from postil.settings import Settings
from postil.storage import migrate
from postil.storage.tables import tasks

DATA = [{"text": "première tâche"}, {"text": "second task", "n": 2}]


@pytest.fixture
def runtime(tmp_path: Path, fresh_url: str) -> Iterator[Runtime]:
    migrate.upgrade(fresh_url)
    rt = Runtime.open(Settings(data_dir=tmp_path / "data", database_url=fresh_url),
                      upgrade=False)
    yield rt
    rt.close()


def _import(rt: Runtime, actor: Actor, project_id: int, path: Path) -> dict[str, int]:
    return imports.import_sources(rt, actor, project_id, [ImportSource("t.jsonl", path)])


def _hashes(rt: Runtime) -> list[str]:
    with rt.engine.connect() as conn:
        return list(conn.execute(select(tasks.c.content_hash).order_by(tasks.c.id)).scalars())


def test_hashes_shorten_and_lengthen_and_reimports_stay_duplicates(
        runtime: Runtime, fresh_url: str, tmp_path: Path) -> None:
    user = users.create_user(runtime, "admin", "correct horse battery", is_admin=True)
    actor = Actor(user["id"], "admin", True)
    project = projects.create_project(runtime, actor, "p", template="text_classification")
    path = tmp_path / "t.jsonl"
    path.write_bytes(b"".join(orjson.dumps(d) + b"\n" for d in DATA))
    assert _import(runtime, actor, project["id"], path)["imported"] == 2
    assert _hashes(runtime) == [task_content_hash(d) for d in DATA]

    migrate.downgrade(fresh_url, "0002")
    assert _hashes(runtime) == [full_content_hash(d) for d in DATA]

    migrate.upgrade(fresh_url)
    assert _hashes(runtime) == [full_content_hash(d)[:32] for d in DATA]
    again = _import(runtime, actor, project["id"], path)
    assert (again["imported"], again["duplicates"]) == (0, 2)
