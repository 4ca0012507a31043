"""parse_schema: dict, JSON and YAML input, precise error locations, round trip."""

from __future__ import annotations

import json
from typing import Any

import pytest

from postil.core.errors import InvalidError
from postil.core.schema import parse_schema


def doc(*controls: dict[str, Any], objects: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    return {
        "objects": objects
        or [{"name": "image", "type": "image"}, {"name": "text", "type": "text"}],
        "controls": list(controls)
        or [{"name": "c", "type": "choices", "to": "image", "labels": ["A"]}],
    }


def errors_of(document: Any) -> list[dict[str, Any]]:
    with pytest.raises(InvalidError) as info:
        parse_schema(document)
    return info.value.errors


def test_dict_json_and_yaml_give_the_same_schema() -> None:
    yaml_text = """
objects: [{name: image, type: image}, {name: text, type: text}]
controls:
  - {name: c, type: choices, to: image, labels: [A]}
"""
    assert parse_schema(doc()) == parse_schema(json.dumps(doc())) == parse_schema(yaml_text)


def test_lookups_and_label_forms() -> None:
    schema = parse_schema(
        doc(
            {
                "name": "animal",
                "type": "choices",
                "to": ["image"],
                "labels": [
                    "Cat",
                    {"value": "Dog", "hotkey": "d", "color": "#00aa00", "aliases": ["dog"]},
                ],
            }
        )
    )
    assert schema.control("animal").to == ["image"]
    assert schema.control("missing") is None
    assert schema.object("text").data_key == "text"
    assert schema.label("animal", "dog").value == "Dog"
    assert schema.label("animal", "Cow") is None
    assert schema.control("animal").label_values() == ["Cat", "Dog"]


def test_to_dict_round_trips_and_is_compact() -> None:
    schema = parse_schema(
        doc(
            {
                "name": "animal",
                "type": "choices",
                "to": "image",
                "labels": ["Cat", {"value": "Dog", "hotkey": "d"}],
            },
            {
                "name": "tax",
                "type": "taxonomy",
                "to": "text",
                "taxonomy": [{"value": "Animal", "children": ["Cat"]}],
            },
        )
    )
    out = schema.to_dict()
    assert out["controls"][0]["labels"] == ["Cat", {"value": "Dog", "hotkey": "d"}]
    assert "multiple" not in out["controls"][0]
    assert parse_schema(out) == schema


@pytest.mark.parametrize(
    ("control", "loc", "fragment"),
    [
        ({"name": "x", "type": "lasso", "to": "image"}, ["controls", 0, "type"], "unknown control"),
        (
            {"name": "x", "type": "choices", "to": "nope", "labels": ["A"]},
            ["controls", 0, "to", 0],
            "not an object",
        ),
        (
            {"name": "x", "type": "span", "to": "image", "labels": ["A"]},
            ["controls", 0, "to", 0],
            "cannot label the image",
        ),
        (
            {"name": "x", "type": "choices", "to": "image", "labels": ["A", "A"]},
            ["controls", 0, "labels", 1],
            "duplicate label",
        ),
        (
            {"name": "x", "type": "choices", "to": "image", "labels": []},
            ["controls", 0, "labels"],
            "at least one label",
        ),
        (
            {"name": "x", "type": "rating", "to": "image", "labels": ["A"]},
            ["controls", 0, "labels"],
            "takes no labels",
        ),
        (
            {"name": "x", "type": "choices", "to": "image", "labels": ["A"], "max": 3},
            ["controls", 0, "max"],
            "does not apply",
        ),
        (
            {"name": "x" * 65, "type": "choices", "to": "image", "labels": ["A"]},
            ["controls", 0, "name"],
            "at most 64",
        ),
        (
            {"name": "bad\x07name", "type": "choices", "to": "image", "labels": ["A"]},
            ["controls", 0, "name"],
            "control characters",
        ),
        (
            {"name": "1abc", "type": "choices", "to": "image", "labels": ["A"]},
            ["controls", 0, "name"],
            "must match",
        ),
        (
            {"name": "x", "type": "choices", "to": "image", "labels": ["evil\u202etxt"]},
            ["controls", 0, "labels", 0, "value"],
            "bidirectional",
        ),
        (
            {
                "name": "x",
                "type": "choices",
                "to": "image",
                "labels": [{"value": "A", "hotkey": "ab"}],
            },
            ["controls", 0, "labels", 0, "hotkey"],
            "hotkey",
        ),
        (
            {
                "name": "x",
                "type": "choices",
                "to": "image",
                "labels": [{"value": "A", "color": "};x"}],
            },
            ["controls", 0, "labels", 0, "color"],
            "colour",
        ),
        (
            {
                "name": "x",
                "type": "keypoints",
                "to": "image",
                "skeleton": {"points": ["a", "b"], "edges": [[0, 2]]},
            },
            ["controls", 0, "skeleton", "edges", 0],
            "out of range",
        ),
        (
            {
                "name": "x",
                "type": "keypoints",
                "to": "image",
                "skeleton": {"points": ["a", "a"], "flip": [[1, 1]]},
            },
            ["controls", 0, "skeleton", "points", 1],
            "duplicate keypoint",
        ),
        (
            {"name": "x", "type": "rating", "to": "image", "max": 2.5},
            ["controls", 0, "max"],
            "whole number",
        ),
        (
            {"name": "x", "type": "number", "to": "image", "min": 5, "max": 1},
            ["controls", 0, "min"],
            "greater than max",
        ),
        (
            {"name": "x", "type": "taxonomy", "to": "image"},
            ["controls", 0, "taxonomy"],
            "non-empty taxonomy",
        ),
        (
            {"name": "x", "type": "relation", "to": ["image"]},
            ["controls", 0, "to", 0],
            "not a control",
        ),
        (
            {"name": "x", "type": "choices", "to": "image", "labels": ["A"], "mutiple": True},
            ["controls", 0, "mutiple"],
            "Extra inputs",
        ),
    ],
)
def test_bad_control_is_located_precisely(
    control: dict[str, Any], loc: list[Any], fragment: str
) -> None:
    errors = errors_of(doc(control))
    assert any(e["loc"] == loc and fragment in e["msg"] for e in errors), errors


def test_duplicate_names_across_objects_and_controls() -> None:
    errors = errors_of(doc({"name": "image", "type": "choices", "to": "image", "labels": ["A"]}))
    assert errors[0]["loc"] == ["controls", 0, "name"]
    assert "duplicate name 'image'" in errors[0]["msg"]


def test_duplicate_hotkeys_across_controls_case_insensitive() -> None:
    errors = errors_of(
        doc(
            {
                "name": "a",
                "type": "choices",
                "to": "image",
                "labels": [{"value": "X", "hotkey": "d"}],
            },
            {
                "name": "b",
                "type": "choices",
                "to": "text",
                "labels": [{"value": "Y", "hotkey": "D"}],
            },
        )
    )
    assert errors == [
        {
            "loc": ["controls", 1, "labels", 0, "hotkey"],
            "msg": "duplicate hotkey 'D' (also used by a/X)",
        }
    ]


def test_every_problem_is_reported_at_once() -> None:
    errors = errors_of(
        doc(
            {"name": "a", "type": "span", "to": "image", "labels": ["A", "A"]},
            {"name": "b", "type": "box", "to": ["ghost"]},
        )
    )
    assert len(errors) == 3


def test_relation_must_point_at_region_controls() -> None:
    errors = errors_of(
        doc(
            {"name": "c", "type": "choices", "to": "text", "labels": ["A"]},
            {"name": "r", "type": "relation", "to": ["c"]},
        )
    )
    assert errors[0]["loc"] == ["controls", 1, "to", 0]
    assert "not a region kind" in errors[0]["msg"]


@pytest.mark.parametrize(
    "document",
    ["{not json", "objects: [unclosed", "- just\n- a list", 42],
)
def test_malformed_documents(document: Any) -> None:
    with pytest.raises(InvalidError):
        parse_schema(document)


def test_deep_nesting_is_refused_without_recursion_error() -> None:
    nested: Any = "leaf"
    for _ in range(5000):
        nested = {"value": "n", "children": [nested]}
    with pytest.raises(InvalidError, match="nested"):
        parse_schema(doc({"name": "t", "type": "taxonomy", "to": "text", "taxonomy": [nested]}))
    with pytest.raises(InvalidError, match="nested"):
        parse_schema("[" * 100_000)


def test_yaml_is_loaded_safely() -> None:
    with pytest.raises(InvalidError):
        parse_schema("!!python/object/apply:os.system ['echo hi']")


def test_nan_option_is_refused() -> None:
    errors = errors_of(doc({"name": "n", "type": "number", "to": "text", "max": float("nan")}))
    assert errors[0]["loc"] == ["controls", 0, "max"]
