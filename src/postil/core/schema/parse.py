"""Parse a schema document given as a dict, JSON text or YAML text."""

from __future__ import annotations

import json
from typing import Any

import yaml
from pydantic import ValidationError

from postil.core.errors import InvalidError
from postil.core.schema.model import Schema

MAX_DEPTH = 40
MAX_DOCUMENT = 2_000_000


def _depth_ok(doc: Any) -> bool:
    stack = [(doc, 1)]
    while stack:
        node, depth = stack.pop()
        if depth > MAX_DEPTH:
            return False
        children = node.values() if isinstance(node, dict) else node
        if isinstance(node, dict | list):
            stack.extend((child, depth + 1) for child in children)
    return True


def _load_text(text: str) -> Any:
    if len(text) > MAX_DOCUMENT:
        raise InvalidError(f"the schema document is over {MAX_DOCUMENT} characters")
    try:
        if text.lstrip().startswith("{"):
            return json.loads(text)
        return yaml.safe_load(text)
    except json.JSONDecodeError as exc:
        loc = [f"line {exc.lineno}", f"column {exc.colno}"]
        raise InvalidError("the schema is not valid JSON", [{"loc": loc, "msg": exc.msg}]) from exc
    except yaml.YAMLError as exc:
        raise InvalidError("the schema is not valid YAML", [{"loc": [], "msg": str(exc)}]) from exc
    except RecursionError as exc:
        raise InvalidError("the schema document is nested too deeply") from exc


def _errors(exc: ValidationError) -> list[dict[str, Any]]:
    errors = []
    for error in exc.errors(include_url=False):
        msg = error["msg"].removeprefix("Value error, ")
        loc = [part for part in error["loc"] if not str(part).startswith("function-")]
        errors.append({"loc": loc, "msg": msg})
    return errors


def parse_schema(doc: dict[str, Any] | str) -> Schema:
    """A checked Schema from a dict, JSON text or YAML text; InvalidError names every problem."""
    data = _load_text(doc) if isinstance(doc, str) else doc
    if not isinstance(data, dict):
        raise InvalidError("a schema must be a mapping with objects and controls")
    if not _depth_ok(data):
        raise InvalidError(f"the schema document is nested deeper than {MAX_DEPTH} levels")
    try:
        return Schema.model_validate(data)
    except ValidationError as exc:
        errors = _errors(exc)
        raise InvalidError(f"the schema has {len(errors)} problem(s)", errors) from exc
