"""PostgreSQL: a bulk import's foreign-key checks use primary keys, even on a connection that
planned them while the table was small (they scanned it whole per row: quadratic)."""

from __future__ import annotations

from pathlib import Path

import orjson
import pytest
from sqlalchemy import Engine
from tests.services.postgres_stats import counter, on_one_connection

from postil.services import annotations, imports, projects, queue, users
from postil.services.runtime import Actor, Runtime

ANSWER = [{"id": "s", "control": "sentiment", "object": "text", "type": "choices",
           "value": {"choices": ["Positive"]}}]
ANNOTATED = 3000
pytestmark = pytest.mark.postgres


def _seq_rows_read(engine: Engine, table: str) -> int:
    """Rows read by sequential scans of the table, this connection's included."""
    return counter(engine, "SELECT coalesce(seq_tup_read, 0) FROM pg_stat_user_tables "
                           f"WHERE relname = '{table}'")


def _jsonl(path: Path, rows: list[dict[str, object]]) -> imports.ImportSource:
    path.write_bytes(b"".join(orjson.dumps(row) + b"\n" for row in rows))
    return imports.ImportSource(path.name, path)


def test_annotated_import_after_small_table_plans_reads_no_table_per_row(
        rt: Runtime, database_url: str, tmp_path: Path) -> None:
    # One connection, so the import runs where the small-table plans were made.
    with on_one_connection(rt, database_url) as one:
        engine = one.engine
        user = users.create_user(one, "ann", "a long password here", is_admin=True)
        actor = Actor(user["id"], "ann", True)
        small = projects.create_project(one, actor, "small", template="sentiment")
        imports.import_sources(one, actor, small["id"], [_jsonl(
            tmp_path / "small.jsonl", [{"text": f"small {i}"} for i in range(10)])])
        one.indexer.analyze()  # as the server does after each import: annotations is empty
        for _ in range(10):  # submits plan the history -> annotations key check, table tiny
            task = queue.next_task(one, actor, small["id"])
            assert task is not None
            annotations.submit(one, actor, task["id"], ANSWER)
        before = _seq_rows_read(engine, "annotations")
        big = projects.create_project(one, actor, "big", template="sentiment")
        report = imports.import_sources(one, actor, big["id"], [_jsonl(
            tmp_path / "big.jsonl", [{"data": {"text": f"big {i}"}, "annotations": [
                {"completed_by": "ann", "result": ANSWER}]} for i in range(ANNOTATED)])])
        assert report["imported"] == ANNOTATED
        read = _seq_rows_read(engine, "annotations") - before
        # A scan per history row would read about ANNOTATED**2 / 2 = 4.5M rows.
        assert read < 10 * ANNOTATED, f"{read:,} rows read by sequential scans"
