"""Span, relation, segment and track values; the result envelope and cross-result rules."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from postil.core.errors import InvalidError
from postil.core.schema import Schema
from postil.core.values import ObjectContext, validate_results

from .support import TEXT, locs, problems, result, valid


def span(start: int, end: int, rid: str = "s1", **value: Any) -> dict[str, Any]:
    return result("ner", {"start": start, "end": end, "labels": ["PER"], **value}, rid=rid)


def test_span_uses_code_points_and_fills_text(schema: Schema) -> None:
    out = valid(schema, span(12, 22, text="annotation"))
    assert out[0]["value"]["text"] == "annotation"
    assert valid(schema, span(12, 22))[0]["value"]["text"] == "annotation"


def test_span_with_utf16_offsets_is_caught_by_its_text(schema: Schema) -> None:
    errors = problems(schema, span(13, 23, text="annotation"))
    assert locs(errors) == [["result", 0, "value", "text"]]


def test_span_ending_with_an_astral_character_at_len(schema: Schema) -> None:
    text = "ok 🎉"
    context = {"text": ObjectContext(text=text)}
    out = validate_results(schema, [span(3, 4, text="🎉")], context)
    assert out[0]["value"]["end"] == len(text)


def test_span_text_is_not_normalized(schema: Schema) -> None:
    context = {"text": ObjectContext(text="cafe\u0301")}
    with pytest.raises(InvalidError):
        validate_results(schema, [span(0, 4, text="caf\u00e9")], context)
    assert validate_results(schema, [span(0, 5, text="cafe\u0301")], context)


@pytest.mark.parametrize(
    ("start", "end", "loc"),
    [(5, 5, "end"), (6, 2, "end"), (-1, 3, "start"), (0, len(TEXT) + 1, "end"), (1.5, 3, "start")],
)
def test_bad_span_offsets(schema: Schema, start: Any, end: Any, loc: str) -> None:
    assert ["result", 0, "value", loc] in locs(problems(schema, span(start, end)))


def test_span_without_known_text_checks_stated_length(schema: Schema) -> None:
    assert validate_results(schema, [span(0, 3, text="abc")], {})
    with pytest.raises(InvalidError):
        validate_results(schema, [span(0, 3, text="ab")], {})


def relation(source: str, target: str, **value: Any) -> dict[str, Any]:
    return result("rel", {"from_id": source, "to_id": target, **value}, rid="rel1")


def test_relation_defaults_direction_right(schema: Schema) -> None:
    out = valid(schema, span(0, 1, "a"), span(2, 6, "b"), relation("a", "b"))
    assert out[2]["value"] == {"from_id": "a", "to_id": "b", "direction": "right", "labels": []}
    assert out[2]["object"] is None


@pytest.mark.parametrize(
    ("rel", "loc"),
    [
        (relation("a", "ghost"), ["to_id"]),
        (relation("a", "a"), ["to_id"]),
        (relation("a", "b", direction="left"), ["direction"]),
        (relation("a", "b", labels=["likes"]), ["labels", 0]),
        (relation("a", "t"), ["to_id"]),  # not a region of the ner control
    ],
)
def test_bad_relation(schema: Schema, rel: dict[str, Any], loc: list[Any]) -> None:
    tag = result("tags", {"choices": ["A"]}, rid="t", object="text")
    errors = problems(schema, span(0, 1, "a"), span(2, 6, "b"), tag, rel)
    assert locs(errors) == [["result", 3, "value", *loc]]


def segment(start: Any, end: Any, **extra: Any) -> dict[str, Any]:
    return result("speaker", {"start": start, "end": end, "labels": ["S1"], **extra})


def test_segment_in_seconds(schema: Schema) -> None:
    out = valid(schema, segment(0, 10.0, channel=1))
    assert out[0]["value"] == {"start": 0.0, "end": 10.0, "labels": ["S1"], "channel": 1}


def test_segment_end_under_a_millisecond_past_the_duration_is_the_duration(
    schema: Schema,
) -> None:
    out = valid(schema, segment(9, 10.0009))
    assert out[0]["value"] == {"start": 9.0, "end": 10.0, "labels": ["S1"]}


@pytest.mark.parametrize(
    ("item", "loc"),
    [
        (segment(2, 1), "end"),
        (segment(-1, 1), "start"),
        (segment(9, 10.5), "end"),
        (segment(9, 10.002), "end"),
        (segment(1, 2, channel=-1), "channel"),
    ],
)
def test_bad_segment(schema: Schema, item: dict[str, Any], loc: str) -> None:
    assert locs(problems(schema, item)) == [["result", 0, "value", loc]]


def key(frame: int, **extra: Any) -> dict[str, Any]:
    return {"frame": frame, "x": 10, "y": 10, "width": 50, "height": 40, **extra}


def test_track_normalizes_keyframes(schema: Schema) -> None:
    value = {"keyframes": [key(0), key(99, enabled=False)], "labels": ["Car"]}
    out = valid(schema, result("track", value))[0]["value"]
    assert out["keyframes"][0] == {
        "frame": 0,
        "x": 10.0,
        "y": 10.0,
        "width": 50.0,
        "height": 40.0,
        "rotation": 0.0,
        "enabled": True,
    }
    assert out["keyframes"][1]["enabled"] is False


@pytest.mark.parametrize(
    ("keyframes", "loc"),
    [
        ([key(5), key(3)], ["keyframes", 1, "frame"]),
        ([key(5), key(5)], ["keyframes", 1, "frame"]),
        ([key(100)], ["keyframes", 0, "frame"]),
        ([key(0, width=0)], ["keyframes", 0, "width"]),
        ([key(0, x=600)], ["keyframes", 0]),
        ([key(0, enabled="no")], ["keyframes", 0, "enabled"]),
        ([], ["keyframes"]),
    ],
)
def test_bad_track(schema: Schema, keyframes: list[Any], loc: list[Any]) -> None:
    errors = problems(schema, result("track", {"keyframes": keyframes, "labels": ["Car"]}))
    assert locs(errors) == [["result", 0, "value", *loc]]


def test_every_problem_is_listed_in_one_error(schema: Schema) -> None:
    bad = [
        result("animal", {"choices": ["Cow"]}, rid="a"),
        {"id": "b", "control": "ghost", "object": "image", "type": "box", "value": {}},
        result("boxes", {"x": 0, "y": 0, "width": 1, "height": 1, "labels": ["Car"]}, rid="a"),
        result("animal", {"choices": ["Cat"]}, rid="c", type="box"),
        result("animal", {"choices": ["Cat"]}, rid="d", object="text"),
        result("animal", {"choices": ["Cat"]}, rid="e", completed_by=1),
        "not a dict",
        result("animal", ["Cat"], rid="f"),
        {"control": "animal", "object": "image", "type": "choices", "value": {"choices": ["Cat"]}},
    ]
    errors = problems(schema, *bad)
    assert sorted(map(str, locs(errors))) == sorted(
        map(
            str,
            [
                ["result", 0, "value", "choices", 0],
                ["result", 1, "control"],
                ["result", 2, "id"],
                ["result", 3, "type"],
                ["result", 4, "object"],
                ["result", 5, "completed_by"],
                ["result", 6],
                ["result", 7, "value"],
                ["result", 8, "id"],
            ],
        )
    )


def test_object_must_be_one_the_control_labels(schema: Schema) -> None:
    assert valid(schema, result("tags", {"choices": ["A"]}, object="text"))
    assert locs(problems(schema, result("tags", {"choices": ["A"]}, object="audio"))) == [
        ["result", 0, "object"]
    ]


def test_required_controls_when_asked(schema: Schema) -> None:
    from postil.core.schema import parse_schema

    strict = parse_schema(
        {
            "objects": [{"name": "t", "type": "text"}],
            "controls": [
                {"name": "c", "type": "choices", "to": "t", "labels": ["A"], "required": True}
            ],
        }
    )
    assert validate_results(strict, [], {}) == []
    with pytest.raises(InvalidError, match="1 problem"):
        validate_results(strict, [], {}, require_all=True)


def test_results_must_be_a_list(schema: Schema) -> None:
    with pytest.raises(InvalidError):
        validate_results(schema, {"id": "x"}, {})  # type: ignore[arg-type]


def test_validators_cover_every_control_kind() -> None:
    from postil.core.schema.kinds import CONTROL_TYPES
    from postil.core.values import VALIDATORS

    assert set(VALIDATORS) == set(CONTROL_TYPES)


@settings(max_examples=50)
@given(st.text(min_size=1), st.data())
def test_any_code_point_span_with_its_text_validates(text: str, data: st.DataObject) -> None:
    from postil.core.schema import parse_schema

    from .support import DOC

    start = data.draw(st.integers(0, len(text) - 1))
    end = data.draw(st.integers(start + 1, len(text)))
    out = validate_results(
        parse_schema(DOC),
        [span(start, end, text=text[start:end])],
        {"text": ObjectContext(text=text)},
    )
    assert out[0]["value"]["text"] == text[start:end]
