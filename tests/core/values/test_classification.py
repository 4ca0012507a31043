"""Choices, rating, number, textarea and taxonomy values."""

from __future__ import annotations

import pytest

from postil.core.schema import Schema

from .support import locs, problems, result, valid


def test_single_choice_and_alias_normalized(schema: Schema) -> None:
    out = valid(schema, result("animal", {"choices": ["doggo"]}))
    assert out == [
        {
            "id": "r1",
            "control": "animal",
            "object": "image",
            "type": "choices",
            "value": {"choices": ["Dog"]},
            "score": None,
            "parent_id": None,
        }
    ]


@pytest.mark.parametrize(
    ("value", "loc", "fragment"),
    [
        ({"choices": ["Cat", "Dog"]}, ["choices"], "exactly one"),
        ({"choices": []}, ["choices"], "at least one"),
        ({"choices": ["Cow"]}, ["choices", 0], "not a label"),
        ({"choices": "Cat"}, ["choices"], "list of strings"),
        ({"choices": ["Cat"], "extra": 1}, ["extra"], "unexpected key"),
    ],
)
def test_bad_single_choice(schema: Schema, value: dict, loc: list, fragment: str) -> None:
    errors = problems(schema, result("animal", value))
    assert any(e["loc"] == ["result", 0, "value", *loc] and fragment in e["msg"] for e in errors)


def test_multiple_choices_refuse_repeats(schema: Schema) -> None:
    assert valid(schema, result("tags", {"choices": ["A", "C"]}))[0]["value"] == {
        "choices": ["A", "C"]
    }
    errors = problems(schema, result("tags", {"choices": ["A", "A"]}))
    assert locs(errors) == [["result", 0, "value", "choices", 1]]


@pytest.mark.parametrize("rating", [1, 4, 3.0])
def test_rating_in_range(schema: Schema, rating: float) -> None:
    assert valid(schema, result("stars", {"rating": rating}))[0]["value"] == {"rating": int(rating)}


@pytest.mark.parametrize("rating", [0, 5, 2.5, True, "3", None])
def test_rating_out_of_range_or_wrong_type(schema: Schema, rating: object) -> None:
    assert locs(problems(schema, result("stars", {"rating": rating}))) == [
        ["result", 0, "value", "rating"]
    ]


@pytest.mark.parametrize(
    ("number", "ok"),
    [(0, True), (10, True), (2.5, True), (2.25, False), (-0.5, False), (10.5, False)],
)
def test_number_bounds_and_step(schema: Schema, number: float, ok: bool) -> None:
    item = result("count", {"number": number})
    if ok:
        assert valid(schema, item)[0]["value"] == {"number": float(number)}
    else:
        assert problems(schema, item)[0]["loc"] == ["result", 0, "value", "number"]


def test_textarea_bare_string_becomes_list(schema: Schema) -> None:
    out = valid(schema, result("note", {"text": "short"}))
    assert out[0]["value"] == {"text": ["short"]}


@pytest.mark.parametrize(
    ("text", "loc"),
    [("x" * 11, ["text", 0]), (["ok", "x" * 11], ["text", 1]), ([], ["text"]), (5, ["text"])],
)
def test_textarea_problems(schema: Schema, text: object, loc: list) -> None:
    assert locs(problems(schema, result("note", {"text": text}))) == [["result", 0, "value", *loc]]


def test_per_region_textarea_needs_an_existing_parent(schema: Schema) -> None:
    region = result("speaker", {"start": 1, "end": 2, "labels": ["S1"]}, rid="seg")
    text = result("transcript", {"text": "hello"}, rid="t", parent_id="seg")
    assert valid(schema, region, text)[1]["parent_id"] == "seg"
    assert locs(problems(schema, result("transcript", {"text": "hello"}))) == [
        ["result", 0, "value"]
    ]
    orphan = result("transcript", {"text": "hi"}, parent_id="ghost")
    assert locs(problems(schema, orphan)) == [["result", 0, "parent_id"]]


def test_taxonomy_paths(schema: Schema) -> None:
    value = {"taxonomy": [["Science", "Physics"]]}
    assert valid(schema, result("topic", value))[0]["value"] == value
    assert valid(schema, result("topic", {"taxonomy": [["Art"]]}))


@pytest.mark.parametrize(
    ("paths", "loc"),
    [
        ([["Science", "Chemistry"]], ["taxonomy", 0]),
        ([["Physics"]], ["taxonomy", 0]),
        ([[]], ["taxonomy", 0]),
        ([["Art"], ["Science"]], ["taxonomy"]),  # single choice
        ("Art", ["taxonomy"]),
    ],
)
def test_bad_taxonomy(schema: Schema, paths: object, loc: list) -> None:
    assert ["result", 0, "value", *loc] in locs(
        problems(schema, result("topic", {"taxonomy": paths}))
    )
