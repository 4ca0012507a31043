"""Full-text search over task data: query building, the index, and the background indexer."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

import orjson
import pytest

from postil.services import imports, projects, tasks
from postil.services.runtime import Actor, Runtime
from postil.storage import search
from postil.storage.db import read

TEXTS = ["The quick brown fox", "A lazy dog sleeps", "Quick thinking saves the day",
         "Café au lait in Montréal", 'Tricky "quotes" OR operators*']


def test_queries_are_words_only_so_users_cannot_write_fts_syntax() -> None:
    assert search.sqlite_match('foo" OR bar*') == '"foo" "or" "bar"*'
    assert search.postgres_match("foo & !bar:*") == "foo & bar"
    assert search.postgres_match("foo* (bar") == "foo:* & bar"
    assert search.sqlite_match("!!!") == '""'
    assert len(search.words(" ".join(["w"] * 50))) == search.MAX_WORDS


@pytest.fixture
def project(rt: Runtime, make_user: Callable[..., Actor], tmp_path: Path) -> tuple[Actor, int]:
    owner = make_user("owner")
    pid = projects.create_project(rt, owner, "Search", template="sentiment")["id"]
    source = tmp_path / "texts.jsonl"
    source.write_bytes(b"".join(orjson.dumps({"text": text}) + b"\n" for text in TEXTS))
    imports.import_sources(rt, owner, pid, [imports.ImportSource("texts.jsonl", source)])
    return owner, pid


def _found(rt: Runtime, owner: Actor, pid: int, query: str) -> list[str]:
    page = tasks.list_tasks(rt, owner, pid, search=query)
    return [t["data"]["text"] for t in page["items"]]


def _indexed_up_to(rt: Runtime) -> int:
    with read(rt.engine) as conn:
        if conn.dialect.name != "sqlite":
            return -1
        return int(conn.exec_driver_sql(search._MARK).scalar_one())


def test_search_finds_every_word_and_prefixes_marked_with_a_star(rt: Runtime,
                                                           project: tuple[Actor, int]) -> None:
    owner, pid = project  # nothing indexed yet: the search waits for the index to catch up
    assert _found(rt, owner, pid, "quick") == [TEXTS[0], TEXTS[2]]
    assert _found(rt, owner, pid, "QUICK bro*") == [TEXTS[0]]
    assert _found(rt, owner, pid, "QUICK bro") == []  # whole words unless marked
    assert _found(rt, owner, pid, "dog lazy") == [TEXTS[1]]
    assert _found(rt, owner, pid, "montr*") == [TEXTS[3]]
    assert _found(rt, owner, pid, 'quotes" OR') == [TEXTS[4]]
    assert _found(rt, owner, pid, "elephant") == []
    assert _indexed_up_to(rt) in (-1, max(_ids(rt, owner, pid)))


def _ids(rt: Runtime, owner: Actor, pid: int) -> list[int]:
    return [t["id"] for t in tasks.list_tasks(rt, owner, pid)["items"]]


def test_the_indexer_catches_up_and_deleted_tasks_leave_the_index(
        rt: Runtime, project: tuple[Actor, int]) -> None:
    owner, pid = project
    indexed = rt.indexer.catch_up()
    page = tasks.list_tasks(rt, owner, pid)
    ids = [t["id"] for t in page["items"]]
    if indexed:  # SQLite; PostgreSQL's GIN index needs no indexer
        assert indexed == len(TEXTS) and _indexed_up_to(rt) == max(ids)
    tasks.delete_tasks(rt, owner, pid, [ids[0]])
    assert _found(rt, owner, pid, "quick") == [TEXTS[2]]


def _last_analyze(rt: Runtime) -> object:
    with read(rt.engine) as conn:
        return conn.exec_driver_sql("SELECT last_analyze FROM pg_stat_user_tables "
                                    "WHERE relname = 'tasks'").scalar()


def _ready(rt: Runtime, newest: int, analyzed_before: object) -> bool:
    """SQLite: the index holds the newest task. PostgreSQL: tasks were analyzed again."""
    if rt.engine.dialect.name == "sqlite":
        return _indexed_up_to(rt) == newest
    return _last_analyze(rt) not in (None, analyzed_before)


def test_the_background_thread_indexes_after_an_import(rt: Runtime,
                                                       project: tuple[Actor, int]) -> None:
    owner, pid = project
    newest = max(_ids(rt, owner, pid))  # (before start: listing without a search)
    before = None if rt.engine.dialect.name == "sqlite" else _last_analyze(rt)
    rt.indexer.start()
    try:
        rt.indexer.notify()
        deadline = time.monotonic() + 10
        while not _ready(rt, newest, before) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert _ready(rt, newest, before)
    finally:
        rt.indexer.stop()


def _all_pages(rt: Runtime, owner: Actor, pid: int, query: str, descending: bool) -> list[int]:
    found, cursor = [], None
    while True:
        page = tasks.list_tasks(rt, owner, pid, search=query, cursor=cursor, limit=4,
                                descending=descending)
        found += [t["id"] for t in page["items"]]
        if not (cursor := page["next"]):
            return found


@pytest.mark.parametrize("descending", [False, True])
def test_pages_of_rare_and_common_words_past_the_walked_window(
        rt: Runtime, make_user: Callable[..., Actor], tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch, descending: bool) -> None:
    """PostgreSQL walks a window of tasks in id order, then asks its GIN index; a window
    of 10 over 60 tasks takes both ways on every page (SQLite has one way)."""
    monkeypatch.setattr("postil.storage.tasks.SEARCH_WINDOW", 10)
    owner = make_user("owner")
    pid = projects.create_project(rt, owner, "Words", template="sentiment")["id"]
    texts = [" ".join(["every", "third" if i % 3 == 0 else "", "rare" if i in (7, 45) else "",
                       "late" if i >= 50 else "", f"n{i}"]) for i in range(60)]
    source = tmp_path / "words.jsonl"
    source.write_bytes(b"".join(orjson.dumps({"text": text}) + b"\n" for text in texts))
    imports.import_sources(rt, owner, pid, [imports.ImportSource("words.jsonl", source)])
    by_text = dict(zip(texts, _ids(rt, owner, pid), strict=True))

    def expected(*wanted: str) -> list[int]:
        hits = [by_text[t] for t in texts if all(w in t.split() for w in wanted)]
        return sorted(hits, reverse=descending)

    for query, wanted in [("rare", ["rare"]), ("every rare", ["every", "rare"]),
                          ("third", ["third"]), ("every", ["every"]), ("late", ["late"]),
                          ("third late", ["third", "late"]), ("absent", ["absent"])]:
        assert _all_pages(rt, owner, pid, query, descending) == expected(*wanted), query
