"""The registry as a plugin uses it, the native JSON shape of a task, and the errors of a bad
prediction on import (cases found by mutation testing, docs/mutation.md)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any, BinaryIO

import orjson
import pytest

from postil.core.errors import InvalidError
from postil.core.formats import registry
from postil.core.formats.json import native_task
from postil.core.formats.registry import (
    ExportContext,
    ExportReport,
    FormatInfo,
    get_format,
    list_formats,
    register_format,
)
from postil.core.records import ExportAnnotation, ExportTask, PredictionRecord

from .conftest import read_all


class Plain:
    def write(self, tasks: Iterable[ExportTask], out: BinaryIO,
              context: ExportContext) -> ExportReport:
        return ExportReport()


@pytest.fixture
def plugin() -> Iterator[type[Plain]]:
    """A format registered the way a plugin would, removed afterwards."""
    registered = register_format("zz-plain", "Plain text", "txt", "text/plain",
                                 kinds={"choices"})(Plain)
    yield registered
    registry._FORMATS.pop("zz-plain")


def test_a_registered_format_carries_its_description(plugin: type[Plain]) -> None:
    assert plugin is Plain
    assert (Plain.name, Plain.title, Plain.extension, Plain.media_type, Plain.kinds) == (  # type: ignore[attr-defined]
        "zz-plain", "Plain text", "txt", "text/plain", frozenset({"choices"}))
    info = list_formats()[-1]
    assert info == FormatInfo("zz-plain", "Plain text", "txt", "text/plain",
                              frozenset({"choices"}), Plain)  # type: ignore[arg-type]
    assert isinstance(get_format("zz-plain"), Plain)


def test_a_format_for_every_kind_and_a_name_taken_twice(plugin: type[Plain]) -> None:
    class Everything(Plain):
        pass

    register_format("zz-all", "All", "bin", "application/octet-stream")(Everything)
    try:
        assert Everything.kinds is None  # type: ignore[attr-defined]
        with pytest.raises(ValueError, match="^export format 'zz-plain' registered twice$"):
            register_format("zz-plain", "Again", "txt", "text/plain")(Everything)
    finally:
        registry._FORMATS.pop("zz-all")


def test_the_native_json_shape_of_a_task() -> None:
    task = ExportTask(
        id=7, external_id="x7", data={"text": "hi"}, meta={"source": "a"},
        annotations=[ExportAnnotation(id=3, result=[{"id": "r"}], completed_by="ann",
                                      lead_time=1.5, created_at="c", updated_at="u",
                                      schema_version=2)],
        predictions=[PredictionRecord(result=[{"id": "p"}], model_version="v1", score=0.25)],
    )
    assert native_task(task) == {
        "id": 7, "external_id": "x7", "data": {"text": "hi"}, "meta": {"source": "a"},
        "annotations": [{"id": 3, "result": [{"id": "r"}], "completed_by": "ann",
                         "lead_time": 1.5, "created_at": "c", "updated_at": "u",
                         "schema_version": 2}],
        "predictions": [{"model_version": "v1", "score": 0.25, "result": [{"id": "p"}]}],
    }


def _prediction_errors(prediction: Any) -> list[dict[str, Any]]:
    payload = orjson.dumps([{"text": "a"}, {"data": {"text": "b"}, "predictions": [
        {"result": []}, prediction]}])
    with pytest.raises(InvalidError) as info:
        read_all(payload, "tasks.json")
    return list(info.value.errors)


@pytest.mark.parametrize(("prediction", "loc", "msg"), [
    ("not an object", ["predictions", 1], "a prediction must be an object"),
    ({"result": [], "model_version": ["v1"]}, ["predictions", 1, "model_version"],
     "model_version must be a string"),
    ({"result": [], "score": True}, ["predictions", 1, "score"], "score must be a number"),
    ({"result": [], "score": "0.5"}, ["predictions", 1, "score"], "score must be a number"),
])
def test_a_bad_prediction_is_named_by_line_and_place(prediction: Any, loc: list[Any],
                                                     msg: str) -> None:
    assert _prediction_errors(prediction) == [{"loc": ["line", 2, *loc], "msg": msg}]


def test_a_prediction_read_back() -> None:
    payload = orjson.dumps([{"data": {"text": "b"}, "predictions": [
        {"result": [], "model_version": 3, "score": 1}, {"result": []}]}])
    first, second = read_all(payload, "tasks.json")[0].predictions
    assert (first.model_version, first.score, second.model_version, second.score) == (
        "3", 1.0, None, None)
