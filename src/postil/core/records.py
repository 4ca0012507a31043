"""Plain records passed between import, storage and export."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any

import orjson


@dataclass(frozen=True, slots=True)
class AnnotationRecord:
    """One imported annotation; `result` holds Postil results (pixels, code points, seconds)."""

    result: list[dict[str, Any]]
    completed_by: str | None = None
    lead_time: float | None = None
    created_at: str | None = None
    was_cancelled: bool = False


@dataclass(slots=True)  # not frozen: built per row on exports, frozen init costs 2x
class PredictionRecord:
    """One model prediction attached to a task."""

    result: list[dict[str, Any]]
    model_version: str | None = None
    score: float | None = None


@dataclass(slots=True)  # not frozen: built per record on imports, frozen init costs 2x
class TaskRecord:
    """One imported task; `line` is the 1-based line or record number in the source."""

    data: dict[str, Any]
    external_id: str | None = None
    meta: dict[str, Any] = field(default_factory=dict)
    annotations: list[AnnotationRecord] = field(default_factory=list)
    predictions: list[PredictionRecord] = field(default_factory=list)
    line: int = 0
    priority: float = 0.0


@dataclass(slots=True)  # not frozen: built per row on exports, frozen init costs 2x
class ExportAnnotation:
    """One stored annotation as handed to an export format."""

    id: int
    result: list[dict[str, Any]]
    completed_by: str | None = None
    lead_time: float | None = None
    created_at: str | None = None
    updated_at: str | None = None
    schema_version: int = 1


@dataclass(slots=True)  # not frozen: built per row on exports, frozen init costs 2x
class ExportTask:
    """One stored task with its annotations and predictions, as handed to an export format."""

    id: int
    external_id: str | None
    data: dict[str, Any]
    meta: dict[str, Any] = field(default_factory=dict)
    created_at: str | None = None
    annotations: list[ExportAnnotation] = field(default_factory=list)
    predictions: list[PredictionRecord] = field(default_factory=list)


def task_content_hash(data: dict[str, Any]) -> str:
    """What makes a task a duplicate: the first 128 bits of `full_content_hash`, as 32 hex
    digits (a key half as long makes the project's unique index a third cheaper to fill)."""
    return full_content_hash(data)[:32]


def full_content_hash(data: dict[str, Any]) -> str:
    """The SHA-256 hex digest of `data` as canonical JSON (sorted keys, no spaces)."""
    return hashlib.sha256(orjson.dumps(data, option=orjson.OPT_SORT_KEYS)).hexdigest()
