"""Polygons at their edge cases: fold-backs, touching and collinear segments, ray casting
through vertices, open polylines (cases found by mutation testing, docs/mutation.md)."""

from __future__ import annotations

import pytest

from postil.core.geometry.polygon import (
    as_ring,
    contains_point,
    is_simple,
    polyline_problems,
    ring_problems,
    rings_cross,
    segments_intersect,
)

Z_PATH = [(0, 0), (10, 0), (0, 10), (10, 10)]
DIAMOND = [(5, 0), (10, 5), (5, 10), (0, 5)]
TRIANGLE = [(2, 1), (12, 3), (4, 11)]


def test_only_a_repeated_closing_point_is_dropped() -> None:
    assert as_ring([(1, 1)]) == [(1.0, 1.0)]
    assert as_ring([(0, 0), (1, 0), (1, 1), (0, 0)]) == [(0.0, 0.0), (1.0, 0.0), (1.0, 1.0)]
    assert as_ring([(0, 0), (1, 0), (1, 1), (1, 0)]) == [(0, 0), (1, 0), (1, 1), (1, 0)]
    assert as_ring([(0, 0), (1, 0), (0, 0), (2, 2)]) == [(0, 0), (1, 0), (0, 0), (2, 2)]


def test_an_open_path_has_no_closing_edge() -> None:
    assert is_simple(Z_PATH, closed=False) is True
    assert is_simple(Z_PATH) is False
    assert is_simple([(0, 0), (10, 0), (10, 10), (5, -5)], closed=False) is False


def test_an_open_path_back_at_its_start_touches_itself() -> None:
    assert is_simple([(0, 0), (10, 0), (10, 10), (0, 0)], closed=False) is False
    assert is_simple([(0, 0), (10, 0), (10, 10), (0, 10), (0, 0)]) is True


def test_open_paths_keep_x_and_y_apart() -> None:
    assert is_simple([(0, 5), (10, 0), (20, 5)], closed=False) is True


@pytest.mark.parametrize("path", [
    [(-4, 0), (2, 0), (0, 0)],
    [(0, -4), (0, 2), (0, 0)],
    [(3, 7), (3, 1), (3, 5)],
    [(1, 2), (4, 8), (2, 4)],
    [(7, 3), (1, 3), (5, 3)],
    [(0, 0), (10, 10), (5, 5)],
    [(-4, -10), (2, -10), (0, -10)],
    [(-4, 10), (2, 10), (0, 10)],
])
def test_a_path_turning_back_on_itself_is_not_simple(path: list[tuple[int, int]]) -> None:
    assert is_simple(path, closed=False) is False


@pytest.mark.parametrize("path", [
    [(0, 0), (0.5, 0), (1, 0)],
    [(0, 0), (5, 0), (5, 0)],
    [(-4, 0), (0, 0), (2, 0)],
    [(3, 1), (3, 5), (3, 7)],
    [(1, 2), (2, 4), (4, 8)],
])
def test_a_straight_path_going_on_is_simple(path: list[tuple[float, float]]) -> None:
    assert is_simple(path, closed=False) is True


def test_small_crossing_segments_intersect() -> None:
    assert segments_intersect((0, 0), (0.1, 0.1), (0, 0.1), (0.1, 0)) is True


@pytest.mark.parametrize("short", [((8, 2), (9, 1)), ((2, 8), (1, 9))])
def test_a_segment_beside_a_diagonal_inside_its_bounds_does_not_touch_it(
    short: tuple[tuple[int, int], tuple[int, int]],
) -> None:
    diagonal = ((0, 0), (10, 10))
    assert segments_intersect(*diagonal, *short) is False
    assert segments_intersect(*short, *diagonal) is False


def test_points_near_a_slanted_edge() -> None:
    assert contains_point(TRIANGLE, (6, 4)) is True
    assert contains_point(TRIANGLE, (9, 7)) is False
    assert contains_point(TRIANGLE, (3, 8)) is False
    assert contains_point(TRIANGLE, (4, 9)) is True


def test_a_ray_through_vertices_counts_each_crossing_once() -> None:
    assert contains_point(DIAMOND, (2, 5)) is True
    assert contains_point(DIAMOND, (-2, 5)) is False
    assert contains_point(DIAMOND, (12, 5)) is False


def test_inside_the_bounds_of_an_edge_is_not_on_it() -> None:
    assert contains_point([(0, 0), (10, 0), (0, 10)], (6, 6)) is False


def test_the_closing_edge_bounds_the_polygon() -> None:
    assert contains_point([(0, 0), (10, 0), (0, 10)], (1, 5)) is True
    assert contains_point([(0, 0), (10, 0), (0, 10)], (-1, 5)) is False


def test_rings_crossing_only_at_a_closing_edge() -> None:
    triangle = [(0, 10), (0, 0), (10, 0)]
    crossing_its_long_side = [(4, 4), (20, 4), (20, 20)]
    assert rings_cross(triangle, crossing_its_long_side) is True
    assert rings_cross(crossing_its_long_side, triangle) is True


def test_problem_messages() -> None:
    assert ring_problems([(0, 0), (1, 1), (0, 0)]) == ["a polygon needs at least 3 distinct points"]
    assert ring_problems([(0, 0), (1, 1), (2, 2)]) == [
        "the polygon has zero area: its points are collinear"]
    assert polyline_problems([(0, 5), (1, 5)]) == []
    assert polyline_problems([(3, 3), (3, 3)]) == ["a polyline needs at least 2 distinct points"]


def test_a_point_in_line_with_an_edge_but_past_its_end_is_not_on_it() -> None:
    assert contains_point([(0, 0), (5, 0), (5, 20), (0, 20)], (10, 20)) is False
