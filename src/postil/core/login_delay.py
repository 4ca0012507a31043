"""How long logins wait after consecutive failures: a few free tries, then a doubling delay."""

from __future__ import annotations


def login_delay(failures: int, *, free: int, cap: float) -> float:
    """Seconds before the next try after `failures` failures in a row: none while fewer than
    `free`, then 1 s, doubling with each further failure, never more than `cap`."""
    if failures < free:
        return 0.0
    return min(cap, 2.0 ** min(failures - free, 32))  # the exponent's bound keeps it finite
