"""Turn one decoded JSON object (native, Label Studio or flat) into a TaskRecord."""

from __future__ import annotations

from typing import Any

from postil.core.errors import InvalidError
from postil.core.formats.labelstudio import from_labelstudio_result
from postil.core.formats.readers.limits import ReadLimits, check_value, fail
from postil.core.records import AnnotationRecord, PredictionRecord, TaskRecord


def task_from_object(obj: Any, line: int, limits: ReadLimits) -> TaskRecord:
    """Build a TaskRecord; a `data` key marks the wrapped form, otherwise the object is data."""
    if not isinstance(obj, dict):
        fail(line, [], f"a task must be a JSON object, not {_kind(obj)}")
    check_value(obj, line, [], limits)
    if "data" not in obj:
        data = dict(obj)
        external = data.pop("external_id", None)
        return TaskRecord(data=data, external_id=_external_id(external, line), line=line)
    data = obj["data"]
    if not isinstance(data, dict):
        fail(line, ["data"], f"data must be an object, not {_kind(data)}")
    meta = {} if obj.get("meta") is None else obj["meta"]
    if not isinstance(meta, dict):
        fail(line, ["meta"], "meta must be an object")
    external = obj["external_id"] if "external_id" in obj else obj.get("id")
    return TaskRecord(
        data=data,
        external_id=_external_id(external, line),
        meta=_with_media_sizes(meta, obj),
        priority=_priority(obj.get("priority"), line),
        annotations=[
            _annotation(item, line, index)
            for index, item in enumerate(_list(obj, "annotations", line))
        ],
        predictions=[
            _prediction(item, line, index)
            for index, item in enumerate(_list(obj, "predictions", line))
        ],
        line=line,
    )


def _with_media_sizes(meta: dict[str, Any], obj: dict[str, Any]) -> dict[str, Any]:
    """Label Studio results carry the image size (original_width/height); keep it per object
    in meta["media"], so geometry is checked and exported in the right units."""
    sizes: dict[str, dict[str, Any]] = {}
    items = [i for key in ("annotations", "predictions") if isinstance(obj.get(key), list)
             for i in obj[key] if isinstance(i, dict) and isinstance(i.get("result"), list)]
    for item in items:
        for r in item["result"]:
            if isinstance(r, dict):
                width, height = r.get("original_width"), r.get("original_height")
                name = r.get("to_name")
                if isinstance(name, str) and _is_size(width) and _is_size(height):
                    sizes.setdefault(name, {"width": width, "height": height})
    if not sizes:
        return meta
    media = dict(meta.get("media") or {})
    for name, size in sizes.items():
        media[name] = {**size, **(media.get(name) or {})}
    return {**meta, "media": media}


def _is_size(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and value > 0


def _priority(value: Any, line: int) -> float:
    if value is None:
        return 0.0
    if isinstance(value, bool) or not isinstance(value, int | float) or value != value:
        fail(line, ["priority"], "priority must be a number")
    if not -1e308 < value < 1e308:
        fail(line, ["priority"], "priority must be a finite number")
    return float(value)


def _kind(value: Any) -> str:
    names: dict[type, str] = {dict: "an object", list: "an array", str: "a string"}
    return names.get(type(value), "a scalar")


def _external_id(value: Any, line: int) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, str | int):
        fail(line, ["external_id"], "external id must be a string or an integer")
    return str(value)


def _list(obj: dict[str, Any], key: str, line: int) -> list[Any]:
    value = obj.get(key)
    if value is None:
        return []
    if not isinstance(value, list):
        fail(line, [key], f"{key} must be an array")
    return value


def _result(item: dict[str, Any], line: int, loc: list[str | int]) -> list[dict[str, Any]]:
    result = [] if item.get("result") is None else item["result"]
    if not isinstance(result, list) or not all(isinstance(r, dict) for r in result):
        fail(line, [*loc, "result"], "result must be an array of objects")
    if not any(
        "from_name" in r or r.get("type") == "relation" and "control" not in r for r in result
    ):
        return result
    try:
        return from_labelstudio_result(result)
    except InvalidError as exc:
        fail(line, [*loc, "result"], exc.message)


def _annotation(item: Any, line: int, index: int) -> AnnotationRecord:
    loc: list[str | int] = ["annotations", index]
    if not isinstance(item, dict):
        fail(line, loc, "an annotation must be an object")
    lead_time = item.get("lead_time")
    if lead_time is not None and (
        isinstance(lead_time, bool) or not isinstance(lead_time, int | float)
    ):
        fail(line, [*loc, "lead_time"], "lead_time must be a number")
    created_at = item.get("created_at")
    if created_at is not None and not isinstance(created_at, str):
        fail(line, [*loc, "created_at"], "created_at must be a string")
    return AnnotationRecord(
        result=_result(item, line, loc),
        completed_by=_user(item.get("completed_by")),
        lead_time=None if lead_time is None else float(lead_time),
        created_at=created_at,
        was_cancelled=bool(item.get("was_cancelled", False)),
    )


def _user(value: Any) -> str | None:
    """A username or email; Label Studio integer user ids mean nothing here and are dropped."""
    if isinstance(value, str):
        return value
    if isinstance(value, dict):
        found = value.get("username") or value.get("email")
        return found if isinstance(found, str) else None
    return None


def _prediction(item: Any, line: int, index: int) -> PredictionRecord:
    loc: list[str | int] = ["predictions", index]
    if not isinstance(item, dict):
        fail(line, loc, "a prediction must be an object")
    version, score = item.get("model_version"), item.get("score")
    if version is not None and not isinstance(version, str | int):
        fail(line, [*loc, "model_version"], "model_version must be a string")
    if score is not None and (isinstance(score, bool) or not isinstance(score, int | float)):
        fail(line, [*loc, "score"], "score must be a number")
    return PredictionRecord(
        result=_result(item, line, loc),
        model_version=None if version is None else str(version),
        score=None if score is None else float(score),
    )
