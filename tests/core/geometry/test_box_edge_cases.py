"""Boxes at their edge cases: exact image borders, one-pixel and sub-pixel overlaps (cases found
by mutation testing, docs/mutation.md)."""

from __future__ import annotations

import pytest

from postil.core.geometry.box import Box, box_iou, is_inside_image


def test_a_box_filling_the_image_exactly_is_inside_without_tolerance() -> None:
    assert is_inside_image(Box(0, 0, 10, 20), 10, 20, tol=0) is True
    assert is_inside_image(Box(-1e-6, -1e-6, 10, 20), 10, 20) is True
    assert is_inside_image(Box(-2e-6, 0, 10, 20), 10, 20) is False


def test_rotated_boxes_have_no_iou() -> None:
    with pytest.raises(ValueError, match="^box_iou supports unrotated boxes only$"):
        box_iou(Box(0, 0, 10, 10, rotation=5), Box(0, 0, 10, 10))


@pytest.mark.parametrize(("b", "expected"), [
    (Box(0, 5, 10, 10), 50 / 150),
    (Box(9, 0, 10, 10), 10 / 190),
    (Box(0, 9, 10, 10), 10 / 190),
    (Box(20, 0, 10, 10), 0.0),
    (Box(0, 20, 10, 10), 0.0),
    (Box(10, 0, 10, 10), 0.0),
])
def test_iou_of_shifted_squares(b: Box, expected: float) -> None:
    assert box_iou(Box(0, 0, 10, 10), b) == pytest.approx(expected)


def test_iou_of_sub_pixel_boxes() -> None:
    assert box_iou(Box(0, 0, 0.5, 0.5), Box(0, 0, 0.5, 0.5)) == 1.0
    assert box_iou(Box(0, 0, 0.5, 0.5), Box(0.25, 0, 0.5, 0.5)) == pytest.approx(1 / 3)
