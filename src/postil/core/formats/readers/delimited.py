"""Streaming CSV/TSV reader: the header row names the data keys."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from typing import Any, BinaryIO

from postil.core.formats.readers.limits import (
    DEFAULT_LIMITS,
    NUL_MESSAGE,
    ReadLimits,
    fail,
    is_bad_key,
)
from postil.core.records import TaskRecord

_BOM = "\ufeff"


def read_delimited(
    stream: BinaryIO, delimiter: str = ",", limits: ReadLimits = DEFAULT_LIMITS
) -> Iterator[TaskRecord]:
    """Yield one task per row (values stay strings); an `external_id` column becomes the id.

    `line` is the physical line where the row ends (the header is line 1).
    """
    reader = csv.reader(_decoded_lines(stream, limits), delimiter=delimiter, strict=True)
    try:
        yield from _rows(reader, limits)
    except csv.Error as exc:
        fail(reader.line_num, [], f"malformed CSV: {exc}")


def _decoded_lines(stream: BinaryIO, limits: ReadLimits) -> Iterator[str]:
    """Decode line by line so a UTF-8 error names its exact line and memory stays bounded."""
    number = 0
    while raw := stream.readline(limits.max_record_bytes + 1):
        number += 1
        if len(raw) > limits.max_record_bytes:
            fail(number, [], f"line longer than {limits.max_record_bytes} bytes")
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            fail(number, [], f"invalid UTF-8 ({exc.reason})")
        if "\x00" in text:
            fail(number, [], NUL_MESSAGE)
        yield text.removeprefix(_BOM) if number == 1 else text


def _header(reader: Iterator[list[str]], limits: ReadLimits) -> list[str]:
    header = next(reader, None)
    if not header:
        fail(1, [], "missing header row")
    for index, name in enumerate(header):
        if not name or len(name) > limits.max_key_length or is_bad_key(name):
            fail(1, [index], f"bad column name {name[:40]!r}")
    if len(set(header)) != len(header):
        fail(1, [], "duplicate column names in the header")
    return header


def _rows(reader: Any, limits: ReadLimits) -> Iterator[TaskRecord]:
    """Read rows from a csv reader (typed Any: its class is private in the stdlib)."""
    header = _header(reader, limits)
    for row in reader:
        line = reader.line_num
        if not row:
            continue
        if len(row) != len(header):
            fail(line, [], f"expected {len(header)} fields, found {len(row)}")
        data = dict(zip(header, row, strict=True))
        for key, value in data.items():
            if len(value) > limits.max_string_length:
                fail(line, [key], f"string longer than {limits.max_string_length} characters")
        external = data.pop("external_id", None) or None
        yield TaskRecord(data=data, external_id=external, line=line)
