"""One request waits on a held resource while the server goes on answering others."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from contextlib import AbstractContextManager

from fastapi.testclient import TestClient

Hold = Callable[[], AbstractContextManager[object]]


def assert_others_answered_meanwhile(client: TestClient, hold: Hold, waiting: str,
                                     other: str) -> None:
    """With `hold()` entered in another thread, GET `waiting` waits for it, GET `other` is
    answered meanwhile, and `waiting` is answered (200) once the hold ends."""
    answers: dict[str, tuple[int, float]] = {}
    held, release = threading.Event(), threading.Event()
    released_at: list[float] = []

    def holder() -> None:
        with hold():
            held.set()
            release.wait(30)
            released_at.append(time.monotonic())

    def ask(path: str) -> None:
        answers[path] = (client.get(path).status_code, time.monotonic())

    threads = [threading.Thread(target=holder), threading.Thread(target=ask, args=(waiting,)),
               threading.Thread(target=ask, args=(other,))]
    with client:  # one event loop serves every request from here on
        threads[0].start()
        try:
            assert held.wait(30)
            threads[1].start()
            time.sleep(0.3)
            assert waiting not in answers  # it waits for the holder...
            threads[2].start()
            threads[2].join(10)
            assert answers.get(other, (0, 0))[0] == 200  # ...while the server answers others
        finally:
            release.set()
            for thread in threads:
                if thread.ident is not None:  # started
                    thread.join(30)
    status, answered_at = answers[waiting]
    assert status == 200 and answered_at >= released_at[0]
