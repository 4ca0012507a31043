"""Cross-reference rules of a schema: unique names, valid targets, options, labels, hotkeys."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from postil.core.errors import InvalidError
from postil.core.schema.kinds import KINDS, REGION_TYPES
from postil.core.schema.model import ControlSpec, Schema, Skeleton, TaxonomyNode

Problem = tuple[list[Any], str]
_DEFAULTS = ControlSpec(name="x", type="choices", to=["x"]).model_dump()
_OPTIONS = (
    "multiple",
    "max",
    "min",
    "step",
    "max_length",
    "per_region",
    "taxonomy",
    "rotation",
    "holes",
    "skeleton",
    "directions",
)


def check_schema(schema: Schema) -> None:
    """Raise one InvalidError listing every cross-reference problem of `schema`."""
    problems = list(_names(schema)) + list(_hotkeys(schema))
    for index, control in enumerate(schema.controls):
        loc: list[Any] = ["controls", index]
        problems += [(loc + sub, msg) for sub, msg in _control(schema, control)]
    if problems:
        errors = [{"loc": loc, "msg": msg} for loc, msg in problems]
        raise InvalidError(f"the schema has {len(errors)} problem(s)", errors)


def _names(schema: Schema) -> Iterator[Problem]:
    seen: dict[str, list[Any]] = {}
    items = [("objects", i, o.name) for i, o in enumerate(schema.objects)]
    items += [("controls", i, c.name) for i, c in enumerate(schema.controls)]
    for section, index, name in items:
        if name in seen:
            first = ".".join(map(str, seen[name]))
            yield [section, index, "name"], f"duplicate name {name!r} (also at {first})"
        else:
            seen[name] = [section, index]


def _hotkeys(schema: Schema) -> Iterator[Problem]:
    seen: dict[str, str] = {}
    for c_index, control in enumerate(schema.controls):
        for l_index, label in enumerate(control.labels):
            if label.hotkey is None:
                continue
            key = label.hotkey.lower()
            where = f"{control.name}/{label.value}"
            if key in seen:
                loc = ["controls", c_index, "labels", l_index, "hotkey"]
                yield loc, f"duplicate hotkey {label.hotkey!r} (also used by {seen[key]})"
            else:
                seen[key] = where


def _control(schema: Schema, control: ControlSpec) -> Iterator[Problem]:
    kind = KINDS[control.type]
    for option in _OPTIONS:
        if option not in kind.options and getattr(control, option) != _DEFAULTS[option]:
            yield [option], f"option {option!r} does not apply to {control.type} controls"
    yield from _targets(schema, control)
    yield from _labels(control, kind.labels)
    yield from _numbers(control)
    if control.type == "taxonomy":
        if not control.taxonomy:
            yield ["taxonomy"], "a taxonomy control needs a non-empty taxonomy tree"
        yield from _tree(control.taxonomy, ["taxonomy"])
    if control.skeleton is not None:
        yield from ((["skeleton", *sub], msg) for sub, msg in _skeleton(control.skeleton))
    if len(set(control.directions)) != len(control.directions) or not control.directions:
        yield ["directions"], "directions must be a non-empty list without repeats"


def _targets(schema: Schema, control: ControlSpec) -> Iterator[Problem]:
    kind = KINDS[control.type]
    if len(set(control.to)) != len(control.to):
        yield ["to"], "`to` names the same target twice"
    for index, target in enumerate(control.to):
        obj, other = schema.object(target), schema.control(target)
        if control.type == "relation":
            if other is None:
                yield ["to", index], f"relation target {target!r} is not a control"
            elif other.type not in REGION_TYPES:
                msg = f"relation target {target!r} is a {other.type} control, not a region kind"
                yield ["to", index], msg
        elif obj is None:
            hint = " (it is a control)" if other else ""
            yield ["to", index], f"{target!r} is not an object of the schema{hint}"
        elif obj.type not in kind.objects:
            msg = f"a {control.type} control cannot label the {obj.type} object {target!r}"
            yield ["to", index], msg


def _labels(control: ControlSpec, policy: str) -> Iterator[Problem]:
    if policy == "required" and not control.labels:
        yield ["labels"], f"a {control.type} control needs at least one label"
    if policy == "none" and control.labels:
        yield ["labels"], f"a {control.type} control takes no labels"
    seen: set[str] = set()
    for index, label in enumerate(control.labels):
        for value in [label.value, *label.aliases]:
            if value in seen:
                yield ["labels", index], f"duplicate label or alias {value!r}"
            seen.add(value)


def _numbers(control: ControlSpec) -> Iterator[Problem]:
    top = control.max
    if control.type == "rating" and top is not None and not (top.is_integer() and 1 <= top <= 100):
        yield ["max"], "a rating max must be a whole number from 1 to 100"
    if control.min is not None and control.max is not None and control.min > control.max:
        yield ["min"], f"min {control.min} is greater than max {control.max}"
    if control.step is not None and control.step <= 0:
        yield ["step"], "step must be positive"


def _tree(nodes: list[TaxonomyNode], loc: list[Any], depth: int = 1) -> Iterator[Problem]:
    if depth > 16:
        yield loc, "the taxonomy is nested deeper than 16 levels"
        return
    seen: set[str] = set()
    for index, node in enumerate(nodes):
        if node.value in seen:
            yield [*loc, index, "value"], f"duplicate taxonomy value {node.value!r} among siblings"
        seen.add(node.value)
        yield from _tree(node.children, [*loc, index, "children"], depth + 1)


def _skeleton(skeleton: Skeleton) -> Iterator[Problem]:
    seen: set[str] = set()
    for index, name in enumerate(skeleton.points):
        if name in seen:
            yield ["points", index], f"duplicate keypoint name {name!r}"
        seen.add(name)
    count = len(skeleton.points)
    for field in ("edges", "flip"):
        pairs: set[frozenset[int]] = set()
        for index, (a, b) in enumerate(getattr(skeleton, field)):
            if not (0 <= a < count and 0 <= b < count):
                yield [field, index], f"index out of range 0..{count - 1} in {[a, b]}"
            elif a == b:
                yield [field, index], f"a pair joins point {a} to itself"
            elif frozenset((a, b)) in pairs:
                yield [field, index], f"duplicate pair {[a, b]}"
            pairs.add(frozenset((a, b)))
