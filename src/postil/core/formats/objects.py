"""Per-task object facts (type, media size, text) that unit conversions need at export."""

from __future__ import annotations

from typing import Any

from postil.core.records import ExportTask

_MEDIA_KEYS = ("width", "height", "duration", "frames")


def object_facts(schema: dict[str, Any], task: ExportTask) -> dict[str, dict[str, Any]]:
    """Map object name -> {"type", "width", "height", "duration", "frames", "text"} (known ones).

    Media facts come from `task.meta["media"][name]`, or from top-level `task.meta` keys when
    the schema has a single object; text is the task data under the object's value key.
    """
    objects = schema.get("objects") or []
    found = task.meta.get("media")
    media: dict[str, Any] = found if isinstance(found, dict) else {}
    facts: dict[str, dict[str, Any]] = {}
    for obj in objects:
        name = obj.get("name")
        info: dict[str, Any] = {"type": obj.get("type")}
        per_object = media.get(name)
        source: dict[str, Any] = (
            per_object if isinstance(per_object, dict) else (task.meta if len(objects) == 1 else {})
        )
        info.update({key: source[key] for key in _MEDIA_KEYS if source.get(key) is not None})
        value = task.data.get(obj.get("value") or name)
        if obj.get("type") == "text" and isinstance(value, str):
            info["text"] = value
        facts[name] = info
    return facts
