"""PostgreSQL: authentication waits for its read in the thread pool, not on the event loop,
so a request whose read waits (a lock, a busy pool, the network) stops no other request."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text

from postil.services.runtime import Actor, Runtime

pytestmark = pytest.mark.postgres


def test_a_waiting_token_lookup_does_not_stop_the_server(
        rt: Runtime, make_user: Callable[..., Actor],
        client_for: Callable[[Actor | None], TestClient]) -> None:
    client = client_for(make_user())
    answers: dict[str, float] = {}
    locked, release = threading.Event(), threading.Event()

    def lock_tokens() -> None:  # the token lookup waits for this transaction
        with rt.engine.begin() as conn:
            conn.execute(text("LOCK TABLE api_tokens IN ACCESS EXCLUSIVE MODE"))
            locked.set()
            release.wait(30)
            answers["released"] = time.monotonic()

    def ask(name: str, path: str) -> None:
        assert client.get(path).status_code == 200
        answers[name] = time.monotonic()

    locker = threading.Thread(target=lock_tokens)
    waiting = threading.Thread(target=ask, args=("authenticated", "/api/auth/me"))
    other = threading.Thread(target=ask, args=("health", "/api/health"))
    with client:  # one event loop serves every request from here on
        locker.start()
        try:
            assert locked.wait(30)
            waiting.start()
            time.sleep(0.3)
            assert "authenticated" not in answers  # its token lookup waits...
            other.start()
            other.join(10)
            assert "health" in answers  # ...while the server answers others
        finally:
            release.set()
            for thread in (locker, waiting, other):
                if thread.ident is not None:
                    thread.join(30)
    assert answers["authenticated"] >= answers["released"]
