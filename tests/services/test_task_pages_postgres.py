"""PostgreSQL: a project's first page of tasks starts at its own tasks, not at the oldest
project's (its planner walked the primary key through every older project's rows)."""

from __future__ import annotations

from pathlib import Path

import orjson
import pytest
from sqlalchemy import Engine
from tests.services.postgres_stats import counter, on_one_connection

from postil.services import imports, projects, tasks, users
from postil.services.runtime import Actor, Runtime

OLDER, NEWER = 4000, 12000  # the newer project holds most rows: the planner expects them early
pytestmark = pytest.mark.postgres


def _primary_key_reads(engine: Engine) -> int:
    """Index entries read through tasks' primary key, this connection's included."""
    return counter(engine, "SELECT coalesce(idx_tup_read, 0) FROM pg_stat_user_indexes "
                           "WHERE indexrelname = 'pk_tasks'")


def _project(rt: Runtime, actor: Actor, name: str, count: int, path: Path) -> int:
    project = projects.create_project(rt, actor, name, template="sentiment")
    path.write_bytes(b"".join(orjson.dumps({"text": f"{name} fox {i}"}) + b"\n"
                              for i in range(count)))
    imports.import_sources(rt, actor, project["id"], [imports.ImportSource(path.name, path)])
    return int(project["id"])


@pytest.mark.parametrize("query", [{}, {"descending": True}, {"search": "fox"}])
def test_first_page_reads_no_other_projects_rows(rt: Runtime, database_url: str, tmp_path: Path,
                                                 query: dict[str, object]) -> None:
    with on_one_connection(rt, database_url) as one:
        engine = one.engine
        user = users.create_user(one, "owner", "a long password here", is_admin=True)
        actor = Actor(user["id"], "owner", True)
        _project(one, actor, "older", OLDER, tmp_path / "older.jsonl")
        newer = _project(one, actor, "newer", NEWER, tmp_path / "newer.jsonl")
        one.indexer.analyze()  # as the server does after each import
        before = _primary_key_reads(engine)
        page = tasks.list_tasks(one, actor, newer, limit=50, **query)  # type: ignore[arg-type]
        read = _primary_key_reads(engine) - before
        assert len(page["items"]) == 50
        assert {t["data"]["text"].split()[0] for t in page["items"]} == {"newer"}
        assert read < 1000, f"{read:,} primary-key entries read for a page of 50"
