"""Masks as arrays: COCO RLE (Postil's mask value) and Label Studio's bit-packed brush RLE.

numpy costs a server 12 MB it rarely needs: the Label Studio converters import this module
when they meet a mask, not before."""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt

from postil.core.errors import InvalidError
from postil.core.geometry.rle import counts_to_string, rle_counts

Mask = npt.NDArray[np.bool_]

_LS_WORD_BITS = 8
_LS_RUN_BITS = (3, 4, 8, 16)
_LS_MAX_RUN = 1 << _LS_RUN_BITS[-1]


def _runs(flat: npt.NDArray[np.uint8]) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.uint8]]:
    """Run lengths and run values of a 1-d array."""
    if flat.size == 0:
        return np.zeros(0, np.int64), np.zeros(0, np.uint8)
    starts = np.concatenate(([0], np.flatnonzero(np.diff(flat)) + 1))
    lengths = np.diff(np.concatenate((starts, [flat.size])))
    return lengths.astype(np.int64), flat[starts]


def mask_from_coco(rle: dict[str, Any]) -> Mask:
    """Decode a COCO RLE ({"size": [h, w], "counts": str | [int]}), checked, to an h x w mask."""
    counts = rle_counts(rle)
    height, width = rle["size"]
    values = np.arange(len(counts)) % 2
    flat = np.repeat(values.astype(np.bool_), counts)
    return flat.reshape((width, height)).T


def mask_to_coco(mask: Mask, compressed: bool = True) -> dict[str, Any]:
    """Encode an h x w mask as COCO RLE (column-major), with pycocotools' compressed string
    counts or a plain list."""
    if np.ndim(mask) != 2:
        raise InvalidError("a mask must be a 2-D array")
    flat = np.asarray(mask, dtype=np.uint8).ravel(order="F")
    lengths, values = _runs(flat)
    counts = [int(n) for n in lengths]
    if values.size and values[0] == 1:
        counts.insert(0, 0)
    if not counts:
        counts = [0]
    height, width = np.shape(mask)
    return {"size": [int(height), int(width)],
            "counts": counts_to_string(counts) if compressed else counts}


def _ls_run_bits(length: int) -> str:
    for index, bits in enumerate(_LS_RUN_BITS):
        if length <= 1 << bits:
            return f"{index:02b}{length - 1:0{bits}b}"
    raise AssertionError("run longer than the longest Label Studio run")


def mask_to_brush_rle(mask: Mask) -> list[int]:
    """Encode a mask as Label Studio brush RLE: an RGBA (255 where set) byte stream."""
    flat = np.repeat(np.asarray(mask, dtype=np.uint8).ravel() * 255, 4)
    head = f"{flat.size:032b}{_LS_WORD_BITS - 1:05b}" + "".join(
        f"{bits - 1:04b}" for bits in _LS_RUN_BITS
    )
    parts = [head]
    lengths, values = _runs(flat)
    for length, value in zip(lengths.tolist(), values.tolist(), strict=True):
        while length > 0:
            step = min(length, _LS_MAX_RUN)
            parts.append(("1" if step > 1 else "0") + _ls_run_bits(step) + f"{value:08b}")
            length -= step
    bits = "".join(parts)
    bits += "0" * (-len(bits) % 8)
    return list(int(bits, 2).to_bytes(len(bits) // 8, "big"))


class _BitReader:
    def __init__(self, data: list[int]) -> None:
        self.bits = "".join(f"{byte:08b}" for byte in data)
        self.pos = 0

    def read(self, size: int) -> int:
        if self.pos + size > len(self.bits):
            raise InvalidError("truncated Label Studio brush RLE")
        chunk = self.bits[self.pos : self.pos + size]
        self.pos += size
        return int(chunk, 2)


def mask_from_brush_rle(rle: list[int], height: int, width: int) -> Mask:
    """Decode Label Studio brush RLE to an h x w mask (the alpha channel, set where > 0)."""
    if not isinstance(rle, list) or not all(isinstance(b, int) and 0 <= b < 256 for b in rle):
        raise InvalidError("brush rle must be a list of bytes")
    reader = _BitReader(rle)
    total = reader.read(32)
    if total != height * width * 4:
        raise InvalidError("brush RLE size does not match original_width x original_height")
    word = reader.read(5) + 1
    run_bits = [reader.read(4) + 1 for _ in range(4)]
    out = np.zeros(total, dtype=np.uint8)
    index = 0
    while index < total:
        is_run = reader.read(1)
        end = min(total, index + 1 + reader.read(run_bits[reader.read(2)]))
        if is_run:
            out[index:end] = min(reader.read(word), 255)
            index = end
            continue
        while index < end:
            out[index] = min(reader.read(word), 255)
            index += 1
    return out.reshape(height, width, 4)[:, :, 3] > 0
