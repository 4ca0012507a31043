"""Built-in schema templates: YAML files shipped in the package, listed in a small registry."""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

import yaml

from postil.core.errors import NotFoundError

_NAME = re.compile(r"[a-z][a-z0-9_]{0,63}")


@dataclass(frozen=True)
class TemplateInfo:
    """What the template gallery shows for one template."""

    name: str
    title: str
    description: str
    category: str


def _folder() -> Any:
    return resources.files("postil.core.schema").joinpath("templates")


@cache
def _load(name: str) -> dict[str, Any]:
    text = _folder().joinpath(f"{name}.yaml").read_text(encoding="utf-8")
    doc = yaml.safe_load(text)
    if not isinstance(doc, dict):
        raise ValueError(f"template {name} is not a mapping")
    return doc


def _names() -> list[str]:
    files = (entry.name for entry in _folder().iterdir())
    return sorted(f.removesuffix(".yaml") for f in files if f.endswith(".yaml"))


def list_templates() -> list[TemplateInfo]:
    """Every built-in template, sorted by category then title."""
    infos = []
    for name in _names():
        doc = _load(name)
        meta = doc.get("template", {})
        infos.append(
            TemplateInfo(name, doc.get("title", name), meta["description"], meta["category"])
        )
    return sorted(infos, key=lambda info: (info.category, info.title))


def get_template(name: str) -> dict[str, Any]:
    """The schema document of template `name` (a fresh copy, without gallery metadata)."""
    if not _NAME.fullmatch(name) or name not in _names():
        raise NotFoundError(f"no template named {name!r}")
    doc = {key: value for key, value in _load(name).items() if key != "template"}
    return copy.deepcopy(doc)  # callers may edit it; the cached original must not change
