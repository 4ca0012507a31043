"""read_ahead: same items in the same order, errors raised in place, producer stopped early."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest

from postil.services.read_ahead import read_ahead


def test_yields_every_item_in_order() -> None:
    assert list(read_ahead(iter(range(10_000)), depth=7)) == list(range(10_000))


def test_a_producer_error_is_raised_after_the_items_before_it() -> None:
    def items() -> Iterator[int]:
        yield 1
        yield 2
        raise ValueError("record 3 is bad")

    seen = []
    with pytest.raises(ValueError, match="record 3"):
        for item in read_ahead(items()):
            seen.append(item)
    assert seen == [1, 2]


def test_the_producer_stops_when_the_consumer_gives_up() -> None:
    produced = []

    def endless() -> Iterator[int]:
        n = 0
        while True:
            produced.append(n)
            yield n
            n += 1

    ahead = read_ahead(endless(), depth=4)
    assert next(ahead) == 0
    ahead.close()
    assert len(produced) < 100  # bounded by the buffer, not run to exhaustion
    assert not any(t.name == "postil-read-ahead" for t in threading.enumerate())
