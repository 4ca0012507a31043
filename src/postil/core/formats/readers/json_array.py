"""Streaming JSON reader: a top-level array of tasks split item by item, or a single object."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import BinaryIO

import orjson

from postil.core.formats.readers.limits import DEFAULT_LIMITS, ReadLimits, fail
from postil.core.formats.readers.task import task_from_object
from postil.core.records import TaskRecord

_CHUNK = 64 * 1024
_STRUCTURE = re.compile(rb'["{}\[\]]')
_STRING_STOP = re.compile(rb'["\\]')
_WHITESPACE = b" \t\r\n"
_BOM = b"\xef\xbb\xbf"


class _Buffer:
    """A sliding window over a binary stream; only the current item stays in memory."""

    def __init__(self, stream: BinaryIO) -> None:
        self.stream = stream
        self.data = bytearray()
        self.pos = 0
        self.eof = False

    def fill(self) -> bool:
        """Read one more chunk; False at end of input."""
        if self.eof:
            return False
        chunk = self.stream.read(_CHUNK)
        if not chunk:
            self.eof = True
            return False
        self.data += chunk
        return True

    def drop_consumed(self) -> None:
        del self.data[: self.pos]
        self.pos = 0

    def next_byte(self) -> int | None:
        """Skip whitespace and return the next byte (not consumed), None at end of input."""
        while True:
            while self.pos < len(self.data) and self.data[self.pos] in _WHITESPACE:
                self.pos += 1
            if self.pos < len(self.data):
                return self.data[self.pos]
            self.drop_consumed()
            if not self.fill():
                return None


def _scan_value(buf: _Buffer, record: int, limits: ReadLimits) -> bytes:
    """Consume one object or array starting at buf.pos and return its bytes."""
    start, i, depth, in_string = buf.pos, buf.pos, 0, False
    while True:
        pattern = _STRING_STOP if in_string else _STRUCTURE
        match = pattern.search(buf.data, i)
        if match is None or (in_string and match.group() == b"\\" and match.end() >= len(buf.data)):
            i = len(buf.data) if match is None else match.start()
            if len(buf.data) - start > limits.max_record_bytes:
                fail(record, [], f"record larger than {limits.max_record_bytes} bytes")
            if not buf.fill():
                fail(record, [], "unexpected end of input inside a task")
            continue
        char, i = match.group(), match.end()
        if in_string:
            if char == b"\\":
                i += 1  # skip the escaped byte; the check above made sure it is buffered
            else:
                in_string = False
        elif char == b'"':
            in_string = True
        elif char in (b"{", b"["):
            depth += 1
            if depth > limits.max_depth:
                fail(record, [], f"nesting deeper than {limits.max_depth} levels")
        else:
            depth -= 1
            if depth == 0:
                if i - start > limits.max_record_bytes:
                    fail(record, [], f"record larger than {limits.max_record_bytes} bytes")
                buf.pos = i
                return bytes(buf.data[start:i])


def _decode(raw: bytes, record: int) -> object:
    try:
        return orjson.loads(raw)
    except orjson.JSONDecodeError as exc:
        fail(record, [], f"malformed JSON: {exc}")


def _expect_task_start(buf: _Buffer, record: int) -> None:
    first = buf.next_byte()
    if first is None:
        fail(record, [], "unexpected end of input, expected a task")
    if first != ord("{"):
        fail(record, [], "a task must be a JSON object")


def iter_json_items(
    stream: BinaryIO, limits: ReadLimits = DEFAULT_LIMITS
) -> Iterator[tuple[int, object]]:
    """Yield (record number, decoded object) for each item of a top-level array or one object."""
    buf = _Buffer(stream)
    buf.fill()
    if buf.data.startswith(_BOM):
        buf.pos = len(_BOM)
    first = buf.next_byte()
    if first == ord("{"):
        yield 1, _decode(_scan_value(buf, 1, limits), 1)
        if buf.next_byte() is not None:
            fail(1, [], "unexpected data after the task object")
        return
    if first != ord("["):
        fail(1, [], "expected a JSON array of tasks or a single task object")
    buf.pos += 1
    if buf.next_byte() == ord("]"):
        buf.pos += 1
        _expect_end(buf, 1)
        return
    record = 1
    while True:
        _expect_task_start(buf, record)
        yield record, _decode(_scan_value(buf, record, limits), record)
        buf.drop_consumed()
        after = buf.next_byte()
        buf.pos += 1
        if after == ord("]"):
            _expect_end(buf, record)
            return
        if after != ord(","):
            fail(record, [], "expected ',' or ']' after a task")
        record += 1


def _expect_end(buf: _Buffer, record: int) -> None:
    if buf.next_byte() is not None:
        fail(record, [], "unexpected data after the closing ']'")


def read_json(
    stream: BinaryIO,
    limits: ReadLimits = DEFAULT_LIMITS,
) -> Iterator[TaskRecord]:
    """Yield tasks from a JSON array (or single object); `line` is the 1-based record number."""
    for record, obj in iter_json_items(stream, limits):
        yield task_from_object(obj, record, limits)
