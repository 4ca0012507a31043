"""Mask codecs: COCO RLE (Postil's mask value) and Label Studio's bit-packed brush RLE."""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt

from postil.core.errors import InvalidError

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


def coco_counts_from_string(text: str) -> list[int]:
    """Decode pycocotools' compressed counts string (LEB128-like, 5 bits per char)."""
    counts: list[int] = []
    pos = 0
    while pos < len(text):
        value, shift, more = 0, 0, True
        while more:
            if pos >= len(text):
                raise InvalidError("truncated COCO RLE counts")
            char = ord(text[pos]) - 48
            value |= (char & 0x1F) << shift
            more = bool(char & 0x20)
            pos, shift = pos + 1, shift + 5
            if not more and char & 0x10:
                value |= -1 << shift
        counts.append(value + counts[-2] if len(counts) > 2 else value)
    return counts


def coco_counts_to_string(counts: list[int]) -> str:
    """Encode counts the way pycocotools' rleToString does."""
    chars: list[str] = []
    for index, count in enumerate(counts):
        value = count - counts[index - 2] if index > 2 else count
        more = True
        while more:
            char = value & 0x1F
            value >>= 5
            more = value != -1 if char & 0x10 else value != 0
            chars.append(chr((char | (0x20 if more else 0)) + 48))
    return "".join(chars)


def mask_from_coco(rle: dict[str, Any]) -> Mask:
    """Decode a COCO RLE dict ({"size": [h, w], "counts": str | [int]}) to an h x w mask."""
    height, width = (int(v) for v in rle["size"])
    counts = rle["counts"]
    counts = coco_counts_from_string(counts) if isinstance(counts, str) else list(counts)
    if sum(counts) != height * width or any(c < 0 for c in counts):
        raise InvalidError("COCO RLE counts do not add up to height x width")
    values = np.arange(len(counts)) % 2
    flat = np.repeat(values.astype(np.bool_), counts)
    return flat.reshape((width, height)).T


def mask_to_coco(mask: Mask) -> dict[str, Any]:
    """Encode an h x w mask as COCO RLE with compressed string counts (column-major)."""
    flat = np.asarray(mask, dtype=np.uint8).ravel(order="F")
    lengths, values = _runs(flat)
    counts = [int(n) for n in lengths]
    if values.size and values[0] == 1:
        counts.insert(0, 0)
    height, width = mask.shape
    return {"size": [int(height), int(width)], "counts": coco_counts_to_string(counts)}


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
