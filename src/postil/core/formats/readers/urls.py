"""Reader for a text file of URLs, one per line."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator
from typing import BinaryIO

from postil.core.formats.readers.limits import DEFAULT_LIMITS, ReadLimits, fail
from postil.core.records import TaskRecord

_MAX_URL_BYTES = 8192


def read_urls(
    stream: BinaryIO, url_key: str = "image", limits: ReadLimits = DEFAULT_LIMITS
) -> Iterator[TaskRecord]:
    """Yield {url_key: url} per non-blank line; lines starting with '#' are comments."""
    line = 0
    while True:
        raw = stream.readline(_MAX_URL_BYTES + 1)
        if not raw:
            return
        line += 1
        if len(raw) > _MAX_URL_BYTES:
            fail(line, [url_key], f"URL longer than {_MAX_URL_BYTES} bytes")
        try:
            url = raw.decode("utf-8").removeprefix("\ufeff").strip()
        except UnicodeDecodeError as exc:
            fail(line, [url_key], f"invalid UTF-8 ({exc.reason})")
        if not url or url.startswith("#"):
            continue
        if any(ch.isspace() or unicodedata.category(ch) in ("Cc", "Cf") for ch in url):
            fail(line, [url_key], "URL contains whitespace or control characters")
        yield TaskRecord(data={url_key: url}, line=line)
