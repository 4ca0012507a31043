"""PostgreSQL: authentication waits for its read in the thread pool, not on the event loop,
so a request whose read waits (a lock, a busy pool, the network) stops no other request."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text

from api.waiting import assert_others_answered_meanwhile
from postil.services.runtime import Actor, Runtime

pytestmark = pytest.mark.postgres


def test_a_waiting_token_lookup_does_not_stop_the_server(
        rt: Runtime, make_user: Callable[..., Actor],
        client_for: Callable[[Actor | None], TestClient]) -> None:

    @contextmanager
    def tokens_locked() -> Iterator[None]:  # the token lookup waits for this transaction
        with rt.engine.begin() as conn:
            conn.execute(text("LOCK TABLE api_tokens IN ACCESS EXCLUSIVE MODE"))
            yield

    assert_others_answered_meanwhile(client_for(make_user()), tokens_locked, "/api/auth/me",
                                     "/api/health")
