"""Boxes: rotated corners, area, bounds checks and IoU."""

from __future__ import annotations

import pytest

from postil.core.geometry.box import Box, box_iou, is_inside_image


def test_unrotated_corners_and_area() -> None:
    box = Box(10, 20, 30, 40)
    assert box.corners() == [(10, 20), (40, 20), (40, 60), (10, 60)]
    assert box.area == 1200


def test_rotation_90_turns_clockwise_on_screen_about_top_left() -> None:
    corners = Box(10, 10, 20, 10, rotation=90).corners()
    expected = [(10, 10), (10, 30), (0, 30), (0, 10)]
    for (x, y), (ex, ey) in zip(corners, expected, strict=True):
        assert x == pytest.approx(ex, abs=1e-9) and y == pytest.approx(ey, abs=1e-9)


def test_rotation_keeps_area_and_moves_bounds() -> None:
    box = Box(50, 50, 20, 10, rotation=45)
    assert box.area == 200
    x_min, y_min, x_max, y_max = box.bounds()
    assert x_min < 50 and y_max > 60


def test_inside_image_with_tolerance() -> None:
    assert is_inside_image(Box(0, 0, 100, 50), 100, 50)
    assert is_inside_image(Box(0, 0, 100 + 1e-7, 50), 100, 50)
    assert not is_inside_image(Box(0, 0, 100.001, 50), 100, 50)
    assert not is_inside_image(Box(-1, 0, 10, 10), 100, 50)
    # Bottom edge at 60: past the height (50), still under the width (100).
    assert not is_inside_image(Box(0, 30, 10, 30), 100, 50)
    # Right edge at 60 on a tall image: past the width (50), under the height (100).
    assert not is_inside_image(Box(30, 0, 30, 10), 50, 100)


def test_rotated_box_can_leave_the_image() -> None:
    assert is_inside_image(Box(10, 10, 20, 10), 40, 40)
    assert is_inside_image(Box(10, 10, 20, 10, rotation=90), 40, 40)  # spans x 0..10
    assert not is_inside_image(Box(5, 10, 20, 10, rotation=90), 40, 40)


def test_iou() -> None:
    a = Box(0, 0, 10, 10)
    assert box_iou(a, a) == 1.0
    assert box_iou(a, Box(5, 0, 10, 10)) == pytest.approx(50 / 150)
    assert box_iou(a, Box(10, 0, 10, 10)) == 0.0
    assert box_iou(a, Box(20, 20, 1, 1)) == 0.0


def test_iou_refuses_rotated_boxes() -> None:
    with pytest.raises(ValueError, match="unrotated"):
        box_iou(Box(0, 0, 1, 1, 10), Box(0, 0, 1, 1))
