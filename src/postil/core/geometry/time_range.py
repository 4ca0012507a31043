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


# Players and waveform editors round the clip's end (a browser reports 1.553 s for a file
# the server measured at 1.55288 s), so an end less than a millisecond past the duration is
# the end itself: it is accepted and stored as the duration, not refused.
END_TOLERANCE = 0.001


def clamp_end(duration: float | None, end: float) -> float:
    """`end`, or the duration when `end` overshoots it by less than END_TOLERANCE seconds."""
    if duration is not None and duration < end < duration + END_TOLERANCE:
        return duration
    return end


def time_range_problems(duration: float | None, start: float, end: float) -> list[tuple[str, str]]:
    """Why [start, end) is not a non-empty range inside `duration` s, as (field, message);
    `end` is expected already clamped (`clamp_end`)."""
    problems: list[tuple[str, str]] = []
    if start < 0:
        problems.append(("start", f"start {start} is negative"))
    if end <= start:
        problems.append(("end", f"end {end} must be greater than start {start}"))
    if duration is not None and end > duration:
        problems.append(("end", f"end {end} is past the media duration ({duration} s)"))
    return problems
