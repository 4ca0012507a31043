"""Polygons: shoelace area, simplicity, holes, polylines."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from postil.core.geometry.polygon import (
    contains_point,
    is_simple,
    polygon_area,
    polygon_problems,
    polyline_problems,
    ring_problems,
    segments_intersect,
    signed_area,
)

SQUARE = [[0, 0], [10, 0], [10, 10], [0, 10]]


def test_shoelace_area_and_orientation() -> None:
    assert polygon_area(SQUARE) == 100
    assert signed_area(SQUARE) == 100
    assert signed_area(list(reversed(SQUARE))) == -100
    assert polygon_area([[0, 0], [4, 0], [0, 3]]) == 6


def test_closing_point_and_duplicates_do_not_change_area() -> None:
    assert polygon_area([*SQUARE, [0, 0]]) == 100
    assert polygon_area([[0, 0], [0, 0], [10, 0], [10, 10], [0, 10]]) == 100


def test_area_minus_holes() -> None:
    hole = [[2, 2], [4, 2], [4, 4], [2, 4]]
    assert polygon_area(SQUARE, [hole]) == 96


def test_bowtie_intersects_itself() -> None:
    bowtie = [[0, 0], [10, 10], [10, 0], [0, 10]]
    assert not is_simple(bowtie)
    assert ring_problems(bowtie) == ["the polygon intersects itself"]


def test_touching_vertex_counts_as_intersection() -> None:
    # the path touches its own edge at (5, 0)
    pinched = [[0, 0], [10, 0], [10, 10], [5, 0], [0, 10]]
    assert not is_simple(pinched)


def test_spike_folding_back_is_not_simple() -> None:
    assert not is_simple([[0, 0], [10, 0], [5, 0], [5, 5]])


def test_convex_and_concave_polygons_are_simple() -> None:
    assert is_simple(SQUARE)
    assert is_simple([[0, 0], [10, 0], [10, 10], [5, 3], [0, 10]])


@pytest.mark.parametrize(
    ("points", "message"),
    [
        ([[0, 0], [1, 1]], "at least 3 distinct points"),
        ([[0, 0], [1, 1], [0, 0], [1, 1]], "at least 3 distinct points"),
        ([[0, 0], [1, 1], [2, 2]], "zero area"),
    ],
)
def test_degenerate_rings(points: list[list[float]], message: str) -> None:
    assert message in ring_problems(points)[0]


def test_segments_intersect_cases() -> None:
    assert segments_intersect((0, 0), (2, 2), (0, 2), (2, 0))
    assert not segments_intersect((0, 0), (1, 0), (0, 1), (1, 1))
    assert segments_intersect((0, 0), (2, 0), (1, 0), (3, 0))  # collinear overlap
    assert not segments_intersect((0, 0), (1, 0), (2, 0), (3, 0))  # collinear apart


def test_contains_point_including_boundary() -> None:
    assert contains_point(SQUARE, (5, 5))
    assert contains_point(SQUARE, (10, 5))
    assert not contains_point(SQUARE, (11, 5))


def test_holes() -> None:
    inside = [[2, 2], [4, 2], [4, 4], [2, 4]]
    outside = [[20, 20], [24, 20], [24, 24]]
    crossing = [[5, 5], [15, 5], [15, 8]]
    assert polygon_problems(SQUARE, [inside]) == []
    assert polygon_problems(SQUARE, [outside]) == [([0], "the hole is not inside the outer ring")]
    assert polygon_problems(SQUARE, [crossing])[0][1].startswith("the hole crosses")
    bad_hole = [[2, 2], [4, 4], [4, 2], [2, 4]]
    assert polygon_problems(SQUARE, [inside, bad_hole]) == [([1], "the polygon intersects itself")]
    overlapping = [[3, 3], [6, 3], [6, 6], [3, 6]]
    assert polygon_problems(SQUARE, [inside, overlapping]) == [
        ([1], "the hole crosses another hole")
    ]


def test_polyline_needs_two_distinct_points() -> None:
    assert polyline_problems([[0, 0], [1, 1]]) == []
    assert polyline_problems([[1, 1], [1, 1]]) != []


@given(st.floats(-1e3, 1e3), st.floats(-1e3, 1e3), st.floats(0.1, 1e3), st.floats(0.1, 1e3))
def test_rectangles_are_simple_with_width_times_height_area(
    x: float, y: float, w: float, h: float
) -> None:
    rect = [[x, y], [x + w, y], [x + w, y + h], [x, y + h]]
    assert ring_problems(rect) == []
    assert polygon_area(rect) == pytest.approx(w * h, rel=1e-6)
