"""Time ranges in seconds for audio and video segments."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class TimeRange:
    """A range [start, end) in seconds."""

    start: float
    end: float

    @property
    def duration(self) -> float:
        return self.end - self.start

    def overlaps(self, other: TimeRange) -> bool:
        return self.start < other.end and other.start < self.end

    def overlap(self, other: TimeRange) -> float:
        """Seconds shared by both ranges."""
        return max(0.0, min(self.end, other.end) - max(self.start, other.start))


def time_range_problems(duration: float | None, start: float, end: float) -> list[tuple[str, str]]:
    """Why [start, end) is not a non-empty range inside `duration` s, as (field, message)."""
    problems: list[tuple[str, str]] = []
    if start < 0:
        problems.append(("start", f"start {start} is negative"))
    if end <= start:
        problems.append(("end", f"end {end} must be greater than start {start}"))
    if duration is not None and end > duration:
        problems.append(("end", f"end {end} is past the media duration ({duration} s)"))
    return problems
