"""Streaming JSON Lines reader: one task per line, blank lines skipped."""

from __future__ import annotations

from collections.abc import Iterator
from typing import BinaryIO

import orjson

from postil.core.formats.readers.limits import DEFAULT_LIMITS, ReadLimits, fail
from postil.core.formats.readers.task import task_from_object
from postil.core.records import TaskRecord

_BOM = b"\xef\xbb\xbf"


def read_jsonl(
    stream: BinaryIO,
    limits: ReadLimits = DEFAULT_LIMITS,
) -> Iterator[TaskRecord]:
    """Yield one task per non-blank line; `line` is the physical 1-based line number."""
    line = 0
    while True:
        raw = stream.readline(limits.max_record_bytes + 1)
        if not raw:
            return
        line += 1
        if len(raw) > limits.max_record_bytes:
            fail(line, [], f"line longer than {limits.max_record_bytes} bytes")
        if line == 1 and raw.startswith(_BOM):
            raw = raw[len(_BOM) :]
        if not raw.strip():
            continue
        try:
            obj = orjson.loads(raw)
        except orjson.JSONDecodeError as exc:
            fail(line, [], f"malformed JSON: {exc}")
        yield task_from_object(obj, line, limits)
