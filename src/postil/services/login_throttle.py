"""Login throttling: after a few failures in a row, an account or a client address waits.

The counts live in the database (table login_failures), so every API process and machine
sees the same ones. A throttled login is refused before its password is checked: a flood of
them costs one indexed read each, no argon2 and no write.
"""

from __future__ import annotations

import math
from datetime import timedelta

from sqlalchemy import Connection

from postil.core.errors import ThrottledError
from postil.core.login_delay import login_delay
from postil.services.runtime import Runtime
from postil.storage import audit, clock
from postil.storage import login_failures as repo
from postil.storage.db import read_one

# A count restarts after an hour without failures: waiting that out buys an attacker about as
# many tries an hour as the default capped delay (300 s) allows, and a forgetful user's old
# mistakes are not held against them the next day.
FORGET_AFTER = timedelta(hours=1)


def _account(username: str) -> str:
    return f"account:{username[:150]}"


def _address(address: str) -> str:
    return f"address:{address[:45]}"


def check(rt: Runtime, username: str, address: str) -> None:
    """Raises ThrottledError while the account or the address must wait."""
    if not rt.settings.login_throttle:
        return
    with read_one(rt.engine) as conn:
        until = repo.blocked_until(conn, [_account(username), _address(address)])
    now = clock.utcnow()
    if until is not None and until > now:
        wait = math.ceil((until - now).total_seconds())
        raise ThrottledError(f"too many failed logins; try again in {wait} s", retry_after=wait)


def count_failure(rt: Runtime, conn: Connection, username: str, address: str,
                  user_id: int | None) -> None:
    """Counts a failed login for the account and the address (in the caller's transaction);
    one that now has to wait is recorded in the audit log as `login_throttled`."""
    if not rt.settings.login_throttle:
        return
    now = clock.utcnow()
    repo.prune(conn, now - FORGET_AFTER, now)  # counts quiet for an hour start again
    for key, detail in ((_account(username), {"username": username[:150]}),
                        (_address(address), {"address": address[:45]})):
        failures = repo.count_failure(conn, key, now)
        wait = login_delay(failures, free=rt.settings.login_free_failures,
                           cap=rt.settings.login_max_delay_seconds)
        if wait > 0:
            repo.block(conn, key, now + timedelta(seconds=wait))
            audit.append(conn, "login_throttled", user_id, detail={
                **detail, "failures": failures, "retry_after": math.ceil(wait)})


def forget_account(conn: Connection, username: str) -> None:
    """A successful login clears the account's count (its address's count stays: a valid
    account must not buy more guesses at others)."""
    repo.forget(conn, _account(username))
