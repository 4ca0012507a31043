"""The label schema: objects (task data) and controls (what annotators produce)."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from postil.core.schema import names
from postil.core.schema.kinds import CONTROL_TYPES

ObjectType = Literal["image", "text", "audio", "video"]
Direction = Literal["right", "left", "bi"]

_CONFIG = ConfigDict(extra="forbid", allow_inf_nan=False, str_strip_whitespace=False)


def _all_directions() -> list[Direction]:
    return ["right", "left", "bi"]


def _check(problem: str | None, value: str) -> str:
    if problem:
        raise ValueError(problem)
    return value


class _Named(BaseModel):
    """A label-like item: written as a bare string or as an object with a `value`."""

    model_config = _CONFIG

    value: str

    @model_validator(mode="before")
    @classmethod
    def _from_string(cls, data: Any) -> Any:
        return {"value": data} if isinstance(data, str) else data

    @field_validator("value")
    @classmethod
    def _value(cls, value: str) -> str:
        return _check(names.label_problem(value), value)


class LabelSpec(_Named):
    """One label of a control; written as a bare string or as an object."""

    hotkey: str | None = None
    color: str | None = None
    guideline: str | None = None
    aliases: list[str] = Field(default_factory=list)

    @field_validator("aliases")
    @classmethod
    def _aliases(cls, aliases: list[str]) -> list[str]:
        for alias in aliases:
            _check(names.label_problem(alias), alias)
        return aliases

    @field_validator("hotkey")
    @classmethod
    def _hotkey(cls, hotkey: str | None) -> str | None:
        return hotkey if hotkey is None else _check(names.hotkey_problem(hotkey), hotkey)

    @field_validator("color")
    @classmethod
    def _color(cls, color: str | None) -> str | None:
        return color if color is None else _check(names.color_problem(color), color)

    @field_validator("guideline")
    @classmethod
    def _guideline(cls, text: str | None) -> str | None:
        return text if text is None else _check(names.text_problem(text), text)


class TaxonomyNode(_Named):
    """A node of a taxonomy tree; a path from a root to any node is a valid answer."""

    children: list[TaxonomyNode] = Field(default_factory=list)


class Skeleton(BaseModel):
    """Named keypoints with 0-based index edges and left/right flip pairs."""

    model_config = _CONFIG

    points: list[str] = Field(min_length=1)
    edges: list[tuple[int, int]] = Field(default_factory=list)
    flip: list[tuple[int, int]] = Field(default_factory=list)

    @field_validator("points")
    @classmethod
    def _points(cls, points: list[str]) -> list[str]:
        for point in points:
            _check(names.label_problem(point), point)
        return points


class ObjectSpec(BaseModel):
    """A piece of task data shown to annotators."""

    model_config = _CONFIG

    name: str
    type: ObjectType
    value: str | None = None

    @field_validator("name")
    @classmethod
    def _name(cls, name: str) -> str:
        return _check(names.name_problem(name), name)

    @field_validator("value")
    @classmethod
    def _value(cls, value: str | None) -> str | None:
        return value if value is None else _check(names.label_problem(value), value)

    @property
    def data_key(self) -> str:
        """The key of this object's data in `task.data`."""
        return self.value or self.name


class ControlSpec(BaseModel):
    """A control: what annotators produce for one or more objects (or, for relations, regions)."""

    model_config = _CONFIG

    name: str
    type: str
    to: list[str] = Field(min_length=1)
    labels: list[LabelSpec] = Field(default_factory=list)
    multiple: bool = False
    required: bool = False
    max: float | None = None
    min: float | None = None
    step: float | None = None
    max_length: int | None = Field(default=None, ge=1)
    per_region: bool = False
    taxonomy: list[TaxonomyNode] = Field(default_factory=list)
    rotation: bool = False
    holes: bool = False
    skeleton: Skeleton | None = None
    directions: list[Direction] = Field(default_factory=_all_directions)

    @model_validator(mode="before")
    @classmethod
    def _to_as_list(cls, data: Any) -> Any:
        if isinstance(data, dict) and isinstance(data.get("to"), str):
            return {**data, "to": [data["to"]]}
        return data

    @field_validator("name")
    @classmethod
    def _name(cls, name: str) -> str:
        return _check(names.name_problem(name), name)

    @field_validator("type")
    @classmethod
    def _type(cls, kind: str) -> str:
        if kind not in CONTROL_TYPES:
            raise ValueError(f"unknown control type {kind!r}; expected one of {CONTROL_TYPES}")
        return kind

    @property
    def rating_max(self) -> int:
        """Highest rating (default 5)."""
        return int(self.max) if self.max is not None else 5

    def label(self, value: str) -> LabelSpec | None:
        """The label with this value or alias, or None."""
        for label in self.labels:
            if value == label.value or value in label.aliases:
                return label
        return None

    def label_values(self) -> list[str]:
        return [label.value for label in self.labels]


class Schema(BaseModel):
    """A project's label schema. Build it with `parse_schema`, which checks cross-references."""

    model_config = _CONFIG

    title: str | None = None
    guidelines: str = ""
    objects: list[ObjectSpec] = Field(min_length=1)
    controls: list[ControlSpec] = Field(min_length=1)

    @field_validator("title", "guidelines")
    @classmethod
    def _text(cls, text: str | None) -> str | None:
        return text if text is None else _check(names.text_problem(text), text)

    @model_validator(mode="after")
    def _cross_references(self) -> Schema:
        from postil.core.schema.rules import check_schema  # rules import this module

        check_schema(self)
        return self

    def control(self, name: str) -> ControlSpec | None:
        return next((c for c in self.controls if c.name == name), None)

    def object(self, name: str) -> ObjectSpec | None:
        return next((o for o in self.objects if o.name == name), None)

    def label(self, control: str, value: str) -> LabelSpec | None:
        """The label `value` (or alias) of control `control`, or None."""
        spec = self.control(control)
        return spec.label(value) if spec else None

    def to_dict(self) -> dict[str, Any]:
        """A plain document that `parse_schema` turns back into an equal schema."""
        doc = self.model_dump(mode="json", exclude_defaults=True)
        for control in doc["controls"]:
            control["labels"] = [
                label["value"] if set(label) == {"value"} else label
                for label in control.get("labels", [])
            ] or None
            if control["labels"] is None:
                del control["labels"]
        return doc
