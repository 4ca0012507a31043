"""Box, polygon, polyline, keypoints and mask values on an image."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from postil.core.formats.brush import mask_to_coco
from postil.core.schema import Schema
from postil.core.values import ObjectContext

from .support import CONTEXT, locs, problems, result, valid

BOX = {"x": 10, "y": 5, "width": 20, "height": 10, "labels": ["Car"]}


def test_box_defaults_rotation_to_zero(schema: Schema) -> None:
    out = valid(schema, result("boxes", BOX))[0]["value"]
    assert out == {
        "x": 10.0,
        "y": 5.0,
        "width": 20.0,
        "height": 10.0,
        "rotation": 0.0,
        "labels": ["Car"],
    }


def test_box_touching_the_border_within_tolerance(schema: Schema) -> None:
    edge = {**BOX, "x": 80, "width": 20 + 1e-9}
    assert valid(schema, result("boxes", edge))


@pytest.mark.parametrize(
    ("change", "loc"),
    [
        ({"width": 0}, ["width"]),
        ({"height": -3}, ["height"]),
        ({"x": 90}, []),  # past the right edge of the 100 px image
        ({"y": -1}, []),
        ({"x": "10"}, ["x"]),
        ({"x": True}, ["x"]),
        ({"labels": []}, ["labels"]),
        ({"labels": ["Boat"]}, ["labels", 0]),
        ({"labels": ["Car", "Car"]}, ["labels", 1]),
        ({"rotation": 95}, []),  # rotated about the top-left, it leaves the image
    ],
)
def test_bad_box(schema: Schema, change: dict[str, Any], loc: list[Any]) -> None:
    assert ["result", 0, "value", *loc] in locs(
        problems(schema, result("boxes", {**BOX, **change}))
    )


def test_box_bottom_is_checked_against_the_image_height(schema: Schema) -> None:
    # The image is 100 x 50: a bottom edge at 60 is under the width but past the height.
    assert valid(schema, result("boxes", {**BOX, "y": 20, "height": 30}))  # bottom at 50
    errors = problems(schema, result("boxes", {**BOX, "y": 30, "height": 30}))
    assert errors == [{"loc": ["result", 0, "value"], "msg": "the box is outside the 100x50 image"}]


def test_box_right_edge_is_checked_against_the_image_width(schema: Schema) -> None:
    assert valid(schema, result("boxes", {**BOX, "x": 60, "width": 40}))  # right edge at 100
    errors = problems(schema, result("boxes", {**BOX, "x": 60, "width": 45}))
    assert errors == [{"loc": ["result", 0, "value"], "msg": "the box is outside the 100x50 image"}]


def test_missing_box_field(schema: Schema) -> None:
    value = {k: v for k, v in BOX.items() if k != "height"}
    assert locs(problems(schema, result("boxes", value))) == [["result", 0, "value", "height"]]


def test_rotation_only_where_the_control_allows_it(schema: Schema) -> None:
    rotated = {**BOX, "rotation": 10}
    assert valid(schema, result("boxes", rotated))[0]["value"]["rotation"] == 10
    assert locs(problems(schema, result("flat", rotated))) == [["result", 0, "value", "rotation"]]


def test_bounds_are_skipped_when_the_image_size_is_unknown(schema: Schema) -> None:
    far = {**BOX, "x": 5000}
    from postil.core.values import validate_results

    assert validate_results(schema, [result("boxes", far)], {"image": ObjectContext()})
    assert validate_results(schema, [result("boxes", far)], {})


@pytest.mark.parametrize("bad", [float("nan"), float("inf"), -float("inf")])
def test_non_finite_numbers_anywhere(schema: Schema, bad: float) -> None:
    errors = problems(schema, result("boxes", {**BOX, "y": bad}))
    assert locs(errors) == [["result", 0, "value", "y"]]
    assert "NaN" in errors[0]["msg"]
    assert locs(problems(schema, result("boxes", BOX, score=bad))) == [["result", 0, "score"]]


SQUARE = [[10, 10], [40, 10], [40, 40], [10, 40]]


def test_polygon_with_hole(schema: Schema) -> None:
    hole = [[20, 20], [30, 20], [30, 30]]
    value = {"points": SQUARE, "holes": [hole], "labels": ["Road"]}
    out = valid(schema, result("outline", value))[0]["value"]
    assert out["holes"] == [[[20.0, 20.0], [30.0, 20.0], [30.0, 30.0]]]


@pytest.mark.parametrize(
    ("value", "loc", "fragment"),
    [
        ({"points": [[0, 0], [10, 10], [10, 0], [0, 10]]}, ["points"], "intersects itself"),
        ({"points": [[0, 0], [10, 10], [0, 0]]}, ["points"], "3 distinct points"),
        ({"points": [[0, 0], [10, 0], [10, 60]]}, ["points", 2], "outside"),
        ({"points": [[0, 0], [10]]}, ["points"], "[x, y] pairs"),
        ({"points": SQUARE, "holes": [[[1, 1], [2, 1], [2, 2]]]}, ["holes", 0], "not inside"),
        (
            {"points": SQUARE, "holes": [[[20, 20], [30, 30], [30, 20], [20, 30]]]},
            ["holes", 0],
            "intersects itself",
        ),
    ],
)
def test_bad_polygon(schema: Schema, value: dict[str, Any], loc: list[Any], fragment: str) -> None:
    errors = problems(schema, result("outline", {**value, "labels": ["Road"]}))
    assert any(e["loc"] == ["result", 0, "value", *loc] and fragment in e["msg"] for e in errors)


def test_holes_need_a_control_that_allows_them(schema: Schema) -> None:
    value = {"points": SQUARE, "holes": [[[20, 20], [30, 20], [30, 30]]], "labels": ["Road"]}
    assert locs(problems(schema, result("solid", value))) == [["result", 0, "value", "holes"]]


def test_polyline(schema: Schema) -> None:
    assert valid(schema, result("lane", {"points": [[0, 0], [5, 5]], "labels": ["Lane"]}))
    errors = problems(schema, result("lane", {"points": [[1, 1], [1, 1]], "labels": ["Lane"]}))
    assert locs(errors) == [["result", 0, "value", "points"]]


def test_keypoints_default_visibility_and_skeleton_names(schema: Schema) -> None:
    value = {
        "points": [
            {"name": "nose", "x": 5, "y": 5},
            {"name": "left_eye", "x": 0, "y": 0, "visible": 0},
        ],
        "labels": ["Person"],
    }
    out = valid(schema, result("pose", value))[0]["value"]
    assert out["points"][0] == {"name": "nose", "x": 5.0, "y": 5.0, "visible": 2}


@pytest.mark.parametrize(
    ("point", "loc"),
    [
        ({"name": "tail", "x": 1, "y": 1}, ["points", 0, "name"]),
        ({"name": "nose", "x": 1, "y": 1, "visible": 3}, ["points", 0, "visible"]),
        ({"name": "nose", "x": 500, "y": 1, "visible": 1}, ["points", 0]),
        ({"name": "nose", "x": 1}, ["points", 0, "y"]),
        ({"name": "nose", "x": 1, "y": 1, "z": 0}, ["points", 0, "z"]),
    ],
)
def test_bad_keypoint(schema: Schema, point: dict[str, Any], loc: list[Any]) -> None:
    errors = problems(schema, result("pose", {"points": [point], "labels": ["Person"]}))
    assert locs(errors) == [["result", 0, "value", *loc]]


def test_repeated_keypoint(schema: Schema) -> None:
    point = {"name": "nose", "x": 1, "y": 1}
    errors = problems(schema, result("pose", {"points": [point, point], "labels": ["Person"]}))
    assert locs(errors) == [["result", 0, "value", "points", 1, "name"]]


def mask_rle(height: int = 50, width: int = 100, compressed: bool = True) -> dict[str, Any]:
    mask = np.zeros((height, width), dtype=np.uint8)
    mask[10:20, 30:60] = 1
    return mask_to_coco(mask, compressed=compressed)


@pytest.mark.parametrize("compressed", [True, False])
def test_mask_in_both_count_forms(schema: Schema, compressed: bool) -> None:
    rle = mask_rle(compressed=compressed)
    assert valid(schema, result("paint", {"rle": rle, "labels": ["Sky"]}))[0]["value"]["rle"] == rle


def test_mask_size_must_match_the_image(schema: Schema) -> None:
    errors = problems(schema, result("paint", {"rle": mask_rle(40, 100), "labels": ["Sky"]}))
    assert locs(errors) == [["result", 0, "value", "rle", "size"]]
    assert CONTEXT["image"].height == 50


def test_mask_counts_must_cover_the_image(schema: Schema) -> None:
    rle = {"size": [50, 100], "counts": [10, 20]}
    errors = problems(schema, result("paint", {"rle": rle, "labels": ["Sky"]}))
    assert locs(errors) == [["result", 0, "value", "rle"]]
    assert "cover 30 pixels" in errors[0]["msg"]
