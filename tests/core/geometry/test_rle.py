"""COCO RLE: encode, decode, area, both counts forms, checked against pycocotools."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from postil.core.errors import InvalidError
from postil.core.formats.brush import mask_from_coco, mask_to_coco
from postil.core.geometry.rle import (
    counts_to_string,
    rle_area,
    rle_counts,
    string_to_counts,
)

coco_mask = pytest.importorskip("pycocotools.mask")


def test_column_major_uncompressed_counts() -> None:
    mask = np.array([[0, 1], [0, 1], [1, 0]], dtype=np.uint8)
    # columns top to bottom: 0 0 1 | 1 1 0
    assert mask_to_coco(mask, compressed=False) == {"size": [3, 2], "counts": [2, 3, 1]}


def test_mask_starting_with_foreground_begins_with_zero_run() -> None:
    assert mask_to_coco(np.ones((2, 2), dtype=np.uint8), compressed=False)["counts"] == [0, 4]


def test_string_form_round_trip_with_large_and_delta_counts() -> None:
    counts = [5, 1000, 3, 70000, 2, 1, 0, 40]
    assert string_to_counts(counts_to_string(counts)) == counts


def test_area_and_decode_of_list_form() -> None:
    rle = {"size": [3, 2], "counts": [2, 3, 1]}
    assert rle_area(rle) == 3
    assert mask_from_coco(rle).tolist() == [[0, 1], [0, 1], [1, 0]]


@pytest.mark.parametrize(
    ("rle", "message"),
    [
        ({"size": [2, 2], "counts": [1, 2]}, "cover 3 pixels"),
        ({"size": [2, 2], "counts": [5, -1]}, "negative"),
        ({"size": [2], "counts": [4]}, "size"),
        ({"size": [2, 2], "counts": "\x01"}, "invalid character"),
        ({"size": [2, 2], "counts": "o"}, "ends in the middle"),
        ({"size": [2, 2], "counts": 4}, "string or a list"),
    ],
)
def test_bad_rle_is_refused(rle: dict[str, object], message: str) -> None:
    with pytest.raises(InvalidError, match=message):
        rle_counts(rle)


# pycocotools (test-only) still calls __array__ the numpy 1 way
@pytest.mark.filterwarnings("ignore:__array__ implementation:DeprecationWarning")
@settings(max_examples=60, deadline=None)
@given(
    arrays(np.uint8, st.tuples(st.integers(1, 40), st.integers(1, 40)), elements=st.integers(0, 1))
)
def test_matches_pycocotools(mask: np.ndarray) -> None:
    ours = mask_to_coco(mask)
    theirs = coco_mask.encode(np.asfortranarray(mask))
    assert ours["counts"] == theirs["counts"].decode("ascii")
    assert ours["size"] == list(theirs["size"])
    assert rle_area(ours) == int(coco_mask.area(theirs))
    assert np.array_equal(mask_from_coco(ours), mask)
    assert np.array_equal(coco_mask.decode({"size": ours["size"], "counts": ours["counts"]}), mask)


@pytest.mark.filterwarnings("ignore:__array__ implementation:DeprecationWarning")
def test_decodes_pycocotools_uncompressed_list_form() -> None:
    mask = np.zeros((30, 40), dtype=np.uint8)
    mask[5:25, 10:30] = 1
    uncompressed = mask_to_coco(mask, compressed=False)
    compressed = coco_mask.frPyObjects(uncompressed, 30, 40)
    assert compressed["counts"].decode("ascii") == mask_to_coco(mask)["counts"]
    assert np.array_equal(mask_from_coco(uncompressed), mask)
