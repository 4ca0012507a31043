"""Full-text search over task data: an FTS5 table on SQLite, a GIN index on PostgreSQL.

Both index the words of a task's data (unicode word tokens, case-insensitive; accents too on
SQLite). A query matches tasks holding every word; a word ending in `*` is a prefix, so
"quick bro*" finds "The quick brown fox". Whole words by default because a prefix that
matches most tasks makes SQLite build the whole match list (50 ms at a million tasks
instead of 4 ms).
"""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import (
    Column,
    Connection,
    Integer,
    MetaData,
    Table,
    Text,
    false,
    func,
    literal_column,
    select,
)
from sqlalchemy.sql.elements import ColumnElement

from postil.storage.tables import tasks

MAX_WORDS = 8
# letters and digits ("_" separates, as in both tokenizers), and a trailing * for prefixes
WORD = re.compile(r"([^\W_]+)(\*?)")
PREFIX = "task_search"  # the FTS table and its shadow tables, and the PostgreSQL index

# Not part of `tables.metadata`: migrations create it per dialect, autogenerate ignores it.
task_search = Table("task_search", MetaData(), Column("rowid", Integer), Column("body", Text))

# SQLite: the task's JSON text is indexed after the import commits, by `index_pending` in
# the background (indexing row by row in the import tripled its time; in bulk afterwards it
# costs a quarter); a trigger drops the rows of deleted tasks. A search first waits for
# the index to catch up (services/tasks.py), so results are never missing new tasks.
SQLITE_CREATE = [
    "CREATE VIRTUAL TABLE task_search USING fts5(body, tokenize='unicode61 remove_diacritics 2')",
    "CREATE TRIGGER task_search_delete AFTER DELETE ON tasks BEGIN "
    "DELETE FROM task_search WHERE rowid = old.id; END",
]
SQLITE_DROP = ["DROP TRIGGER task_search_delete", "DROP TABLE task_search"]
_MARK = "SELECT coalesce((SELECT rowid FROM task_search ORDER BY rowid DESC LIMIT 1), 0)"
_INDEX = ("INSERT INTO task_search(rowid, body) SELECT id, data FROM tasks "
          "WHERE id > ? ORDER BY id LIMIT ?")
POSTGRES_CREATE = ["CREATE INDEX task_search ON tasks USING gin "
                   "(to_tsvector('simple'::regconfig, data))"]
POSTGRES_DROP = ["DROP INDEX task_search"]


def words(query: str) -> list[tuple[str, bool]]:
    """(word, is_prefix) pairs of the query, lower-cased; all other characters are ignored."""
    return [(w, star == "*") for w, star in WORD.findall(query.lower())[:MAX_WORDS]]


def sqlite_match(query: str) -> str:
    """An FTS5 query: every word quoted, so users cannot write FTS syntax."""
    return " ".join(f'"{w}"' + ("*" if prefix else "") for w, prefix in words(query)) or '""'


def postgres_match(query: str) -> str:
    """A to_tsquery text: words are letters and digits only, joined by &."""
    return " & ".join(w + (":*" if prefix else "") for w, prefix in words(query))


def search_filter(conn: Connection, query: str,
                  data: ColumnElement[Any] = tasks.c.data) -> ColumnElement[bool]:
    """Tasks whose data (the `data` column of tasks, or of a subquery of them on PostgreSQL)
    holds the words of `query`."""
    if not words(query):
        return false()
    if conn.dialect.name == "postgresql":
        vector = func.to_tsvector(literal_column("'simple'::regconfig"), data)
        return vector.op("@@")(func.to_tsquery(literal_column("'simple'::regconfig"),
                                                postgres_match(query)))
    return tasks.c.id.in_(select(task_search.c.rowid).where(search_match(query)))


def search_match(query: str) -> ColumnElement[bool]:
    """The SQLite MATCH condition, for queries that join `task_search` themselves."""
    return literal_column("task_search").match(sqlite_match(query))


def is_caught_up(conn: Connection) -> bool:
    """Whether the index holds every task (PostgreSQL's GIN index always does)."""
    if conn.dialect.name != "sqlite":
        return True
    newest = conn.exec_driver_sql("SELECT coalesce(max(id), 0) FROM tasks").scalar_one()
    return bool(conn.exec_driver_sql(_MARK).scalar_one() >= newest)


def index_pending(conn: Connection, limit: int) -> int:
    """Index up to `limit` tasks not in the SQLite search index yet; how many it indexed."""
    mark = conn.exec_driver_sql(_MARK).scalar_one()
    return conn.exec_driver_sql(_INDEX, (mark, limit)).rowcount


def include_object(obj: Any, name: str | None, type_: str, reflected: bool,
                   compare_to: Any) -> bool:
    """For autogenerate: the search objects are made by hand, per dialect."""
    return not (name or "").startswith(PREFIX)
