"""Spans and time ranges at their ends: touching, equal and nested ranges, the end tolerance
(cases found by mutation testing, docs/mutation.md)."""

from __future__ import annotations

from postil.core.geometry.span import Span
from postil.core.geometry.time_range import TimeRange, clamp_end, time_range_problems


def test_spans_that_touch_do_not_overlap_either_way() -> None:
    assert Span(5, 6).overlaps(Span(0, 5)) is False
    assert Span(0, 5).overlaps(Span(5, 6)) is False
    assert Span(4, 6).overlaps(Span(0, 5)) is True


def test_a_span_contains_itself_but_not_one_sticking_out() -> None:
    assert Span(0, 10).contains(Span(0, 10)) is True
    assert Span(2, 5).contains(Span(0, 3)) is False
    assert Span(2, 5).contains(Span(3, 7)) is False


def test_time_ranges_overlap_only_when_they_share_time() -> None:
    assert TimeRange(0.0, 1.0).overlaps(TimeRange(0.5, 2.0)) is True
    assert TimeRange(0.0, 1.0).overlaps(TimeRange(1.0, 2.0)) is False
    assert TimeRange(1.0, 2.0).overlaps(TimeRange(0.0, 1.0)) is False
    assert TimeRange(2.0, 3.0).overlaps(TimeRange(0.0, 1.0)) is False
    assert TimeRange(0.0, 1.0).overlap(TimeRange(0.75, 2.0)) == 0.25
    assert TimeRange(0.0, 1.0).overlap(TimeRange(2.0, 3.0)) == 0.0


def test_an_end_a_full_millisecond_past_the_duration_is_not_clamped() -> None:
    assert clamp_end(2.0, 2.001) == 2.001
    assert clamp_end(2.0, 2.0005) == 2.0
    assert clamp_end(None, 2.0005) == 2.0005


def test_an_empty_range_is_refused() -> None:
    assert time_range_problems(None, 1.0, 1.0) == [
        ("end", "end 1.0 must be greater than start 1.0")]
