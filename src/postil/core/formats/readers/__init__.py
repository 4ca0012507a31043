"""Streaming task readers chosen by file extension; each yields TaskRecord one at a time."""

from __future__ import annotations

from collections.abc import Iterator
from typing import BinaryIO

from postil.core.errors import InvalidError
from postil.core.formats.readers.delimited import read_delimited
from postil.core.formats.readers.json_array import read_json
from postil.core.formats.readers.jsonl import read_jsonl
from postil.core.formats.readers.limits import DEFAULT_LIMITS, ReadLimits
from postil.core.formats.readers.urls import read_urls
from postil.core.records import TaskRecord

__all__ = [
    "READABLE_EXTENSIONS",
    "ReadLimits",
    "read_delimited",
    "read_json",
    "read_jsonl",
    "read_tasks",
    "read_urls",
]

READABLE_EXTENSIONS = (".json", ".jsonl", ".ndjson", ".csv", ".tsv", ".txt")


def read_tasks(
    stream: BinaryIO,
    filename: str,
    *,
    url_key: str = "image",
    limits: ReadLimits = DEFAULT_LIMITS,
) -> Iterator[TaskRecord]:
    """Yield tasks from `stream`, choosing the reader by the extension of `filename`."""
    extension = "." + filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    if extension == ".json":
        return read_json(stream, limits)
    if extension in (".jsonl", ".ndjson"):
        return read_jsonl(stream, limits)
    if extension in (".csv", ".tsv"):
        return read_delimited(stream, "\t" if extension == ".tsv" else ",", limits)
    if extension == ".txt":
        return read_urls(stream, url_key, limits)
    allowed = ", ".join(READABLE_EXTENSIONS)
    raise InvalidError(
        f"unsupported file type {extension or filename!r}; expected one of {allowed}",
        errors=[{"loc": ["filename"], "msg": f"unsupported extension, expected {allowed}"}],
    )
