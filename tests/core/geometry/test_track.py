"""Tracks: keyframe interpolation and disabled keyframes."""

from __future__ import annotations

import pytest

from postil.core.geometry.box import Box
from postil.core.geometry.track import Keyframe, box_at, interpolate_box, track_boxes

A = Box(0, 0, 10, 10)
B = Box(100, 50, 20, 30, rotation=20)


def test_interpolate_halfway() -> None:
    assert interpolate_box(A, B, 0.5) == Box(50, 25, 15, 20, 10)


def test_box_at_between_and_on_keyframes() -> None:
    keys = [Keyframe(10, A), Keyframe(20, B)]
    assert box_at(keys, 5) is None
    assert box_at(keys, 10) == A
    assert box_at(keys, 15) == Box(50, 25, 15, 20, 10)
    assert box_at(keys, 20) == B
    assert box_at(keys, 99) == B  # the last enabled keyframe holds


def test_disabled_keyframe_ends_the_track_until_the_next() -> None:
    keys = [Keyframe(0, A, enabled=False), Keyframe(10, B, enabled=False)]
    assert box_at(keys, 0) == A
    assert box_at(keys, 5) is None
    assert box_at(keys, 10) == B
    assert box_at(keys, 11) is None


def test_track_boxes_lists_visible_frames_only() -> None:
    keys = [Keyframe(2, A), Keyframe(4, B, enabled=False), Keyframe(8, A)]
    boxes = track_boxes(keys, 10)
    assert sorted(boxes) == [2, 3, 4, 8, 9]
    assert boxes[3].x == pytest.approx(50)
    assert boxes == {f: box_at(keys, f) for f in range(10) if box_at(keys, f)}


def test_track_boxes_stops_at_frame_count() -> None:
    assert sorted(track_boxes([Keyframe(0, A), Keyframe(50, B)], 3)) == [0, 1, 2]


def test_frames_run_up_to_but_not_including_the_frame_count() -> None:
    first, last = Keyframe(0, Box(0, 0, 10, 10)), Keyframe(4, Box(40, 0, 10, 10))
    boxes = track_boxes([first, last], 5)
    assert [boxes[f].x for f in sorted(boxes)] == [0, 10, 20, 30, 40]
    assert sorted(track_boxes([first, last, Keyframe(5, Box(90, 0, 10, 10))], 5)) == [
        0, 1, 2, 3, 4]
