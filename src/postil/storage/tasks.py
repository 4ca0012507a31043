"""Queries for tasks: bulk insert, keyset pages, counters."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

import orjson
from sqlalchemy import (
    Connection,
    and_,
    bindparam,
    delete,
    exists,
    func,
    or_,
    select,
    text,
    update,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.sql.elements import ColumnElement

from postil.storage.db import as_dicts, inserted_id
from postil.storage.search import (
    search_filter,
    search_match,
    task_search,
    words,
)
from postil.storage.tables import annotations as annotations_table
from postil.storage.tables import imports, projects, tasks

TASK_COLUMNS = (
    tasks.c.id, tasks.c.project_id, tasks.c.data, tasks.c.meta, tasks.c.external_id,
    tasks.c.priority, tasks.c.annotation_count, tasks.c.is_completed, tasks.c.needs_relabel,
    tasks.c.created_at, tasks.c.updated_at,
)
SORTABLE = {
    "id": tasks.c.id,
    "created_at": tasks.c.created_at,
    "updated_at": tasks.c.updated_at,
    "annotation_count": tasks.c.annotation_count,
    "priority": tasks.c.priority,
}
INT32, INT64 = range(-(2**31), 2**31), range(-(2**63), 2**63)
# What a cursor's sort value must be, per sort: a date-time, a number, or a whole number in
# the column's range (PostgreSQL refuses to compare an integer column with a bigger one).
SORT_VALUES: dict[str, type | range] = {
    "id": INT64, "created_at": datetime, "updated_at": datetime, "annotation_count": INT32,
    "priority": float,
}


def _insert(conn: Connection) -> Any:
    dialect = postgresql if conn.dialect.name == "postgresql" else sqlite
    return dialect.insert(tasks).on_conflict_do_nothing()


BULK_COLUMNS = ("project_id", "data", "meta", "external_id", "content_hash", "priority",
                "annotation_count", "is_completed", "needs_relabel", "import_id", "created_at",
                "updated_at")


PackedTask = tuple[str, str, str | None, str, int]


def pack_task(row: dict[str, Any]) -> PackedTask:
    """What one new task brings of its own, its JSON already serialised with orjson: an
    import packs its tasks before its write transaction and `insert_packed` only sends them."""
    return (_json(row["data"]), _json(row["meta"]), row["external_id"], row["content_hash"],
            row["priority"])


def insert_packed(conn: Connection, project_id: int, import_id: int | None, now: datetime,
                  packed: Sequence[PackedTask]) -> int:
    """Insert new tasks of one import, skipping those whose content hash or external id the
    project has; returns how many were inserted.

    The hot path of big imports: rows go to the driver's executemany as tuples, skipping
    SQLAlchemy's per-value processing (3x faster).
    """
    if not packed:
        return 0
    marker = "%s" if conn.dialect.name == "postgresql" else "?"
    columns, markers = ", ".join(BULK_COLUMNS), ", ".join([marker] * len(BULK_COLUMNS))
    # Column names and markers are constants; the values go to the driver as parameters.
    sql = f"INSERT INTO tasks ({columns}) VALUES ({markers}) ON CONFLICT DO NOTHING"  # noqa: S608  # nosec B608
    moment = _moment(conn, now)
    params = [(project_id, data, meta, external_id, content_hash, priority, 0, False, False,
               import_id, moment, moment)
              for data, meta, external_id, content_hash, priority in packed]
    return conn.exec_driver_sql(sql, params).rowcount


def _json(value: Any) -> str:
    return orjson.dumps(value).decode() if value else "{}"


def _moment(conn: Connection, value: datetime) -> Any:
    """SQLite keeps datetimes as text in SQLAlchemy's format; PostgreSQL takes them as they are."""
    if conn.dialect.name == "postgresql":
        return value
    return value.strftime("%Y-%m-%d %H:%M:%S.%f")


def insert_returning(conn: Connection, rows: Sequence[dict[str, Any]]) -> dict[str, int]:
    """Insert tasks; the new ids by content hash (duplicates are skipped and absent)."""
    if not rows:
        return {}
    stmt = _insert(conn).returning(tasks.c.content_hash, tasks.c.id)
    return {h: int(i) for h, i in conn.execute(stmt, list(rows))}


def set_counts(conn: Connection, counts: Sequence[dict[str, Any]], now: Any) -> None:
    """Store submitted-annotation counts of new tasks: [{"task_id", "count", "done"}]."""
    if counts:
        stmt = update(tasks).where(tasks.c.id == bindparam("task_id")).values(
            annotation_count=bindparam("count"), is_completed=bindparam("done"), updated_at=now)
        conn.execute(stmt, list(counts))


def add_task_count(conn: Connection, project_id: int, added: int) -> None:
    conn.execute(update(projects).where(projects.c.id == project_id)
                 .values(task_count=projects.c.task_count + added))


_GET = select(*TASK_COLUMNS).where(tasks.c.id == bindparam("task_id"))


def get(conn: Connection, task_id: int) -> dict[str, Any] | None:
    row = conn.execute(_GET, {"task_id": task_id}).mappings().first()
    return dict(row) if row else None


def page(conn: Connection, project_id: int, *, sort: str, descending: bool,
         after: tuple[Any, int] | None, limit: int, filters: Sequence[ColumnElement[bool]],
         status: str | None = None, search: str | None = None) -> list[dict[str, Any]]:
    """One page in keyset order: rows strictly after the (sort value, id) cursor, of the
    status and holding the words of `search` if given."""
    key = SORTABLE[sort]
    if after is None and sort == "id" and conn.dialect.name == "postgresql":
        edge = _edge_id(conn, project_id, descending)
        if edge is None:
            return []
        after = (edge, edge + 1 if descending else edge - 1)  # the walk starts at the edge
    # Columns fixed by equality lead the ORDER BY, so PostgreSQL walks the index that starts
    # with them instead of the primary key through other projects' rows (32 ms -> 1 ms).
    fixed = [tasks.c.project_id]
    if status is not None:
        filters = [*filters, status_filter(status, project_id)]
        if status in ("completed", "incomplete", "unlabeled", "skipped"):
            fixed.append(tasks.c.is_completed)
    source: Any = tasks
    task_id: Any = tasks.c.id
    if search and words(search) and sort == "id" and conn.dialect.name == "sqlite":
        # walk the SQLite index in id order and stop at a page: fast for rare and common words
        source = tasks.join(task_search, task_search.c.rowid == tasks.c.id)
        task_id = task_search.c.rowid
        # one index serves every project: start the walk at this project's first task
        first = select(func.min(tasks.c.id)).where(tasks.c.project_id == project_id)
        filters = [*filters, search_match(search), task_id >= first.scalar_subquery()]
    elif search and sort == "id" and conn.dialect.name == "postgresql":
        last_id = after[1] if after is not None else None
        return _postgres_search_page(conn, [tasks.c.project_id == project_id, *filters], fixed,
                                     search, descending, last_id, limit)
    elif search:
        filters = [*filters, search_filter(conn, search)]
    stmt = select(*TASK_COLUMNS).select_from(source).where(
        tasks.c.project_id == project_id, *filters)
    if after is not None:
        value, last_id = after
        if sort == "id":
            stmt = stmt.where(task_id < last_id if descending else task_id > last_id)
        elif descending:
            stmt = stmt.where(or_(key < value, and_(key == value, tasks.c.id < last_id)))
        else:
            stmt = stmt.where(or_(key > value, and_(key == value, tasks.c.id > last_id)))
    order = [key.desc(), tasks.c.id.desc()] if descending else [key.asc(), tasks.c.id.asc()]
    if sort == "id":
        order = [task_id.desc() if descending else task_id.asc()]
    if source is tasks:
        order = [*(c.desc() if descending else c.asc() for c in fixed), *order]
    return as_dicts(conn.execute(stmt.order_by(*order).limit(limit)))


def _edge_id(conn: Connection, project_id: int, last: bool) -> int | None:
    """The project's first (or last) task id, from its (project_id, id) index.

    Asked for `project_id = :p` in id order, PostgreSQL takes the project as a constant, drops
    it from the ORDER BY and walks the primary key through every older project's tasks before
    reaching this one's (16 ms behind 100k tasks, seconds behind millions). A range on the
    project keeps it in the ORDER BY, which only that index serves; pages then start here.
    """
    stmt = select(tasks.c.id).where(tasks.c.project_id.between(project_id, project_id))
    order = [tasks.c.project_id.desc(), tasks.c.id.desc()] if last else [tasks.c.project_id,
                                                                       tasks.c.id]
    value = conn.execute(stmt.order_by(*order).limit(1)).scalar()
    return int(value) if value is not None else None


SEARCH_WINDOW = 2000


def _postgres_search_page(conn: Connection, filters: Sequence[ColumnElement[bool]],
                          fixed: Sequence[Any], search: str, descending: bool,
                          last_id: int | None, limit: int) -> list[dict[str, Any]]:
    """A page of search results in id order on PostgreSQL, fast for common and rare words.

    PostgreSQL guesses 0.5% of the rows match a word it has no statistics for, so for a rare
    word with a small LIMIT it walks the id index and computes every task's words (12 s at a
    million tasks). Here the first SEARCH_WINDOW tasks are walked (a common word fills the
    page there); past them, the matches come from the GIN index, fenced off in a
    materialized CTE so the planner cannot turn back to the walk, and are sorted.
    """
    def beyond(edge: int | None) -> list[ColumnElement[bool]]:
        if edge is None:
            return []
        return [tasks.c.id < edge if descending else tasks.c.id > edge]

    def ordered(column: Any) -> Any:
        return column.desc() if descending else column.asc()

    walk = [*(ordered(c) for c in fixed), ordered(tasks.c.id)]  # fixed columns: see page()
    window = select(*TASK_COLUMNS).where(*filters, *beyond(last_id)).order_by(*walk) \
        .limit(SEARCH_WINDOW).subquery()
    rows = as_dicts(conn.execute(select(window).where(search_filter(conn, search, window.c.data))
                                 .order_by(ordered(window.c.id)).limit(limit)))
    if len(rows) == limit:
        return rows
    ids = select(tasks.c.id).where(*filters, *beyond(last_id)).order_by(*walk) \
        .limit(SEARCH_WINDOW).subquery()
    walked, edge = conn.execute(select(func.count(), (func.min if descending else func.max)(
        ids.c.id))).one()
    if walked < SEARCH_WINDOW:
        return rows  # the walk reached the project's last task
    matches = select(*TASK_COLUMNS).where(*filters, *beyond(edge), search_filter(conn, search)) \
        .cte("matches").prefix_with("MATERIALIZED")
    rest = select(matches).order_by(ordered(matches.c.id)).limit(limit - len(rows))
    return rows + as_dicts(conn.execute(rest))


# Spelled as the partial index ix_annotations_skipped is, so both databases use it.
_SKIPPED = text("annotations.status = 'skipped'")


def status_filter(status: str, project_id: int) -> ColumnElement[bool]:
    """Tasks of a status. A task without answers is never completed (overlap is at least 1):
    saying so lets unlabeled and skipped walk the queue index (project, is_completed, id)."""
    unanswered = and_(tasks.c.annotation_count == 0, tasks.c.is_completed.is_(False))
    if status == "skipped":  # someone skipped it and nobody has answered it yet
        skipped = select(annotations_table.c.task_id).where(
            annotations_table.c.project_id == project_id, _SKIPPED)
        return and_(unanswered, tasks.c.id.in_(skipped))
    return {
        "completed": tasks.c.is_completed.is_(True),
        "incomplete": tasks.c.is_completed.is_(False),
        "relabel": tasks.c.needs_relabel.is_(True),
        "unlabeled": unanswered,
    }[status]


COUNT_CAP = 10_000


def count_matching(conn: Connection, project_id: int, *, filters: Sequence[ColumnElement[bool]],
                   status: str | None, search: str | None, cap: int) -> int:
    """How many tasks page() would walk through for these filters, counting no further than
    `cap` + 1 (a LIMIT inside the count, so the work stops there: cap + 1 means "more")."""
    where = [tasks.c.project_id == project_id, *filters]
    if status is not None:
        where.append(status_filter(status, project_id))
    source: Any = tasks
    order: list[Any] = []
    if search and words(search) and conn.dialect.name == "sqlite":
        # as in page(): the word index drives in rowid order, each match looked up by its key
        # (the other way round, SQLite reads every task of the project: seconds at a million)
        source = tasks.join(task_search, task_search.c.rowid == tasks.c.id)
        first = select(func.min(tasks.c.id)).where(tasks.c.project_id == project_id)
        where += [search_match(search), task_search.c.rowid >= first.scalar_subquery()]
        order = [task_search.c.rowid]
    elif search:
        where.append(search_filter(conn, search))
    hits = select(tasks.c.id).select_from(source).where(*where).order_by(*order) \
        .limit(cap + 1).subquery()
    return int(conn.execute(select(func.count()).select_from(hits)).scalar_one())


def skip_counts(conn: Connection, task_ids: Sequence[int]) -> dict[int, int]:
    """How many people skipped each of these tasks (those nobody skipped are absent)."""
    if not task_ids:
        return {}
    stmt = select(annotations_table.c.task_id, func.count()).where(
        annotations_table.c.task_id.in_(task_ids), _SKIPPED).group_by(annotations_table.c.task_id)
    return {int(task_id): int(n) for task_id, n in conn.execute(stmt)}


def annotator_filter(user_id: int) -> ColumnElement[bool]:
    return exists().where(annotations_table.c.task_id == tasks.c.id,
                          annotations_table.c.completed_by == user_id,
                          annotations_table.c.status == "submitted")


def delete_ids(conn: Connection, project_id: int, ids: Sequence[int]) -> tuple[int, int]:
    """Delete tasks; the counts of deleted and of deleted completed tasks."""
    scope = and_(tasks.c.project_id == project_id, tasks.c.id.in_(ids))
    completed = conn.execute(select(func.count()).select_from(tasks).where(
        scope, tasks.c.is_completed.is_(True))).scalar_one()
    deleted = conn.execute(delete(tasks).where(scope)).rowcount
    conn.execute(update(projects).where(projects.c.id == project_id).values(
        task_count=projects.c.task_count - deleted,
        completed_count=projects.c.completed_count - completed))
    return deleted, int(completed)


def rows_in_order(conn: Connection, project_id: int, after_id: int, limit: int,
                  filters: Sequence[ColumnElement[bool]] = ()) -> list[dict[str, Any]]:
    """The next `limit` tasks after `after_id` in id order (for exports)."""
    stmt = select(*TASK_COLUMNS).where(tasks.c.project_id == project_id, tasks.c.id > after_id,
                                       *filters).order_by(tasks.c.id).limit(limit)
    return as_dicts(conn.execute(stmt))


def insert_import(conn: Connection, values: dict[str, Any]) -> int:
    return inserted_id(conn.execute(imports.insert().values(**values)))


def finish_import(conn: Connection, import_id: int, values: dict[str, Any]) -> None:
    conn.execute(update(imports).where(imports.c.id == import_id).values(**values))


def fail_import(conn: Connection, import_id: int, now: Any, error: dict[str, Any]) -> None:
    """Mark a running import failed (one that completed stays completed)."""
    conn.execute(update(imports).where(imports.c.id == import_id, imports.c.status == "running")
                 .values(status="failed", finished_at=now, error=error))


def get_import(conn: Connection, import_id: int) -> dict[str, Any] | None:
    row = conn.execute(select(imports).where(imports.c.id == import_id)).mappings().first()
    return dict(row) if row else None


def running_import_ids(conn: Connection) -> list[int]:
    return list(conn.execute(select(imports.c.id).where(imports.c.status == "running")
                             .order_by(imports.c.id)).scalars())


def fail_stopped_imports(conn: Connection, import_ids: Sequence[int], now: Any) -> int:
    """Imports whose process died while they ran: their transaction rolled back, so they
    failed (one that finished meanwhile keeps its outcome)."""
    if not import_ids:
        return 0
    return conn.execute(update(imports).where(imports.c.id.in_(import_ids),
                                              imports.c.status == "running").values(
        status="failed", finished_at=now,
        error={"message": "the server stopped during the import; nothing was imported"},
    )).rowcount
