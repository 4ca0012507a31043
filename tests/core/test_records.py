"""Records are slotted and the content hash is canonical."""

from __future__ import annotations

import hashlib

import pytest

from postil.core.records import (
    AnnotationRecord,
    ExportAnnotation,
    ExportTask,
    PredictionRecord,
    TaskRecord,
    full_content_hash,
    task_content_hash,
)


def test_hash_ignores_key_order() -> None:
    assert task_content_hash({"a": 1, "b": {"y": 2, "x": 3}}) == task_content_hash(
        {"b": {"x": 3, "y": 2}, "a": 1}
    )


def test_hash_distinguishes_values_and_types() -> None:
    base = task_content_hash({"a": 1})
    assert base != task_content_hash({"a": "1"})
    assert base != task_content_hash({"a": 1.5})
    assert len(base) == 32 and int(base, 16) >= 0


def test_hash_keeps_unicode_unnormalized() -> None:
    assert task_content_hash({"t": "e\u0301"}) != task_content_hash({"t": "\u00e9"})


def test_records_take_only_their_fields() -> None:
    """Records are slotted (not frozen: a frozen init costs 2x per record on big imports),
    so a misspelt field fails instead of hanging on unseen."""
    task = TaskRecord(
        data={"a": 1}, external_id=None, meta={}, annotations=[], predictions=[], line=1
    )
    with pytest.raises(AttributeError):
        task.lines = 2  # type: ignore[attr-defined]


def test_defaults() -> None:
    annotation = AnnotationRecord(result=[], completed_by=None, lead_time=None, created_at=None)
    assert annotation.was_cancelled is False
    prediction = PredictionRecord(result=[], model_version="v1", score=0.5)
    exported = ExportTask(
        id=1,
        external_id=None,
        data={},
        meta={},
        created_at=None,
        annotations=[ExportAnnotation(1, [], "ann", 1.0, None, None, 2)],
        predictions=[prediction],
    )
    assert exported.annotations[0].schema_version == 2


def test_content_hash_is_the_first_128_bits_of_the_sha256_of_canonical_json() -> None:
    data = {"b": [1, 2.5], "a": "tâche"}
    canonical = b'{"a":"t\xc3\xa2che","b":[1,2.5]}'
    assert full_content_hash(data) == hashlib.sha256(canonical).hexdigest()
    assert task_content_hash(data) == full_content_hash(data)[:32]
