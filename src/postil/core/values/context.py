"""What is known about each object of a task when its results are validated."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ObjectContext:
    """Facts about one object of a task; None means unknown, so that bound is not checked."""

    text: str | None = None
    width: float | None = None
    height: float | None = None
    duration: float | None = None
    frames: int | None = None


UNKNOWN = ObjectContext()
