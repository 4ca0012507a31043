"""COCO RLE values refused, each with its message, and the empty mask (cases found by mutation
testing, docs/mutation.md)."""

from __future__ import annotations

from typing import Any

import pytest

from postil.core.errors import InvalidError
from postil.core.geometry.rle import rle_counts, string_to_counts

SIZE = "^RLE size must be \\[height, width\\] of non-negative integers$"
COUNTS = "^RLE counts must be a string or a list of integers$"


@pytest.mark.parametrize("size", [[-1, 2], [True, 1], [1.5, 2], [1], "1x1"])
def test_a_size_that_is_not_two_non_negative_integers(size: Any) -> None:
    with pytest.raises(InvalidError, match=SIZE):
        rle_counts({"size": size, "counts": [0, 1]})


@pytest.mark.parametrize("counts", [[1.0], ["1"], [True], None])
def test_counts_that_are_not_integers(counts: Any) -> None:
    with pytest.raises(InvalidError, match=COUNTS):
        rle_counts({"size": [1, 1], "counts": counts})


def test_negative_counts_and_a_wrong_total() -> None:
    with pytest.raises(InvalidError, match="^RLE counts must not be negative$"):
        rle_counts({"size": [1, 1], "counts": [2, -1]})
    with pytest.raises(InvalidError, match="^RLE counts cover 5 pixels, size is 6$"):
        rle_counts({"size": [2, 3], "counts": [2, 3]})


def test_an_empty_mask() -> None:
    assert rle_counts({"size": [0, 5], "counts": []}) == []
    assert rle_counts({"size": [0, 0], "counts": ""}) == []


def test_compressed_counts_that_cannot_be_read() -> None:
    with pytest.raises(InvalidError, match="^RLE counts string ends in the middle of a number$"):
        string_to_counts("0`")
    with pytest.raises(InvalidError, match="^RLE counts string has an invalid character at 0$"):
        string_to_counts("p")
    with pytest.raises(InvalidError, match="^RLE counts string has an invalid character at 1$"):
        string_to_counts("1/")
