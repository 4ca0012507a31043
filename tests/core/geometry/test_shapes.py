"""Keypoints, spans and time ranges."""

from __future__ import annotations

from postil.core.geometry.keypoints import Keypoint, flip_horizontal, keypoints_bounds
from postil.core.geometry.span import Span, span_problems
from postil.core.geometry.time_range import TimeRange, time_range_problems


def test_flip_swaps_left_and_right_names_and_mirrors_x() -> None:
    names = ["nose", "left_eye", "right_eye"]
    points = [Keypoint("nose", 10, 5), Keypoint("left_eye", 12, 4), Keypoint("right_eye", 8, 4)]
    flipped = flip_horizontal(points, names, [(1, 2)], image_width=100)
    assert flipped == [
        Keypoint("nose", 90, 5),
        Keypoint("right_eye", 88, 4),
        Keypoint("left_eye", 92, 4),
    ]


def test_bounds_ignore_unlabelled_points() -> None:
    points = [Keypoint("a", 1, 2), Keypoint("b", 0, 0, visible=0), Keypoint("c", 5, 9, 1)]
    assert keypoints_bounds(points) == (1, 2, 5, 9)
    assert keypoints_bounds([Keypoint("a", 0, 0, 0)]) is None


def test_span_relations_and_problems() -> None:
    assert Span(0, 5).overlaps(Span(4, 6)) and not Span(0, 5).overlaps(Span(5, 6))
    assert Span(0, 10).contains(Span(2, 3))
    assert span_problems(10, 0, 10) == []
    assert [k for k, _ in span_problems(10, -1, 11)] == ["start", "end"]
    assert span_problems(None, 3, 3) == [("end", "end 3 must be greater than start 3")]


def test_time_ranges() -> None:
    assert TimeRange(1.0, 3.0).overlap(TimeRange(2.0, 5.0)) == 1.0
    assert TimeRange(0, 1).duration == 1
    assert time_range_problems(10.0, 9.5, 10.0) == []
    assert time_range_problems(10.0, 9.5, 10.5)[0][0] == "end"
