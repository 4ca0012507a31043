"""Segment: a time range in seconds within the media duration, optionally on one channel."""

from __future__ import annotations

from typing import Any

from postil.core.geometry.time_range import clamp_end, time_range_problems
from postil.core.values.check import ResultCheck


def validate(value: dict[str, Any], check: ResultCheck) -> dict[str, Any]:
    check.only_keys(value, {"start", "end", "channel", "labels"})
    labels = check.labels(value)
    start, end = check.number(value, "start"), check.number(value, "end")
    channel = check.whole(value, "channel", default=None) if "channel" in value else None
    if channel is not None and channel < 0:
        check.problem(["channel"], "channel must not be negative")
    if start is None or end is None:
        return value
    end = clamp_end(check.context.duration, end)
    for key, msg in time_range_problems(check.context.duration, start, end):
        check.problem([key], msg)
    normal: dict[str, Any] = {"start": start, "end": end, "labels": labels}
    if channel is not None:
        normal["channel"] = channel
    return normal
