"""CLI fixtures: runtimes the in-process CLI opens are closed after each test."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from postil.services.runtime import Runtime
from postil.settings import Settings


@pytest.fixture(autouse=True)
def close_cli_runtimes(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The CLI leaves closing to process exit; in-process runs must not leak connections."""
    opened: list[Runtime] = []
    original = Runtime.open.__func__  # type: ignore[attr-defined]

    def tracked(cls: type[Runtime], settings: Settings, *, upgrade: bool = True) -> Runtime:
        runtime = original(cls, settings, upgrade=upgrade)
        opened.append(runtime)
        return runtime

    monkeypatch.setattr(Runtime, "open", classmethod(tracked))
    yield
    for runtime in opened:
        runtime.close()
