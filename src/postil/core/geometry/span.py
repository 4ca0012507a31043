"""Text spans in code points (end-exclusive) over the exact stored string."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Span:
    """A half-open range [start, end) of code points."""

    start: int
    end: int

    @property
    def length(self) -> int:
        return self.end - self.start

    def overlaps(self, other: Span) -> bool:
        return self.start < other.end and other.start < self.end

    def contains(self, other: Span) -> bool:
        return self.start <= other.start and other.end <= self.end


def span_problems(text_length: int | None, start: int, end: int) -> list[tuple[str, str]]:
    """Why [start, end) is not a non-empty span of a `text_length` text, as (field, message)."""
    problems: list[tuple[str, str]] = []
    if start < 0:
        problems.append(("start", f"start {start} is negative"))
    if end <= start:
        problems.append(("end", f"end {end} must be greater than start {start}"))
    if text_length is not None and end > text_length:
        problems.append(
            ("end", f"end {end} is past the end of the text ({text_length} code points)")
        )
    return problems
