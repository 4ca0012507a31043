"""Logins: the password check holds no lock and leaves the event loop free; failures in a row
make an account or a client address wait (429 + Retry-After, no password check), audited."""

from __future__ import annotations

import os
import sys
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text

from api import factories as f
from api.conftest import FAST_HASHER
from conftest import PASSWORD
from postil.api import password_checks
from postil.api.app import create_app
from postil.services import users
from postil.services.runtime import Actor, Runtime
from postil.storage import clock as storage_clock

WRONG = "not the password"
HOME, ELSEWHERE = "198.51.100.1", "203.0.113.9"


@pytest.fixture(autouse=True)
def no_pause(monkeypatch: pytest.MonkeyPatch) -> None:
    """Throttled logins are answered at once here (the pause has its own test)."""
    monkeypatch.setattr(password_checks, "THROTTLED_PAUSE", 0.0)


class Clock:
    """The throttle's clock, moved by hand instead of sleeping."""

    def __init__(self) -> None:
        self.now = datetime.now(UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    fake = Clock()
    monkeypatch.setattr(storage_clock, "utcnow", fake)
    return fake


class CountingHasher:
    """The fast test hasher, counting password checks."""

    def __init__(self) -> None:
        self.checks = 0

    def hash(self, password: str) -> str:
        return FAST_HASHER.hash(password)

    def verify(self, password_hash: str, password: str) -> bool:
        self.checks += 1
        return FAST_HASHER.verify(password_hash, password)


@pytest.fixture
def hasher(monkeypatch: pytest.MonkeyPatch) -> CountingHasher:
    counting = CountingHasher()
    monkeypatch.setattr(users, "_hasher", counting)
    return counting


def from_address(rt: Runtime, address: str, **settings: Any) -> TestClient:
    """A browser at `address`, on an app whose settings differ by `settings`."""
    if settings:
        rt = replace(rt, settings=rt.settings.model_copy(update=settings))
    return TestClient(create_app(runtime=rt), base_url="http://127.0.0.1", client=(address, 1))


def login(client: TestClient, username: str, password: str = PASSWORD) -> httpx.Response:
    return client.post("/api/auth/login", json={"username": username, "password": password})


def fail(client: TestClient, username: str, times: int) -> None:
    for _ in range(times):
        assert login(client, username, WRONG).status_code == 401


class TestThrottle:
    def test_five_failures_make_the_account_wait_one_second_then_the_password_works(
            self, rt: Runtime, make_user: Callable[..., Actor], clock: Clock) -> None:
        make_user("carol")
        browser = from_address(rt, HOME)
        fail(browser, "carol", 5)
        refused = login(browser, "carol")  # the right password, too early
        assert refused.status_code == 429
        assert refused.headers["Retry-After"] == "1"
        assert "try again in 1 s" in refused.json()["detail"]
        assert "postil_session" not in refused.cookies
        clock.advance(1)
        assert login(browser, "carol").status_code == 200

    def test_the_delay_doubles_with_each_further_failure(
            self, rt: Runtime, make_user: Callable[..., Actor], clock: Clock) -> None:
        make_user("carol")
        browser = from_address(rt, HOME)
        fail(browser, "carol", 5)
        waits = []
        for _ in range(4):
            refused = login(browser, "carol", WRONG)
            assert refused.status_code == 429
            waits.append(refused.headers["Retry-After"])
            clock.advance(int(refused.headers["Retry-After"]))
            fail(browser, "carol", 1)
        assert waits == ["1", "2", "4", "8"]
        assert login(browser, "carol").headers["Retry-After"] == "16"

    def test_the_delay_stops_growing_at_the_cap(
            self, rt: Runtime, make_user: Callable[..., Actor], clock: Clock) -> None:
        make_user("carol")
        browser = from_address(rt, HOME, login_max_delay_seconds=3)
        fail(browser, "carol", 5)
        waits = []
        for _ in range(4):
            refused = login(browser, "carol", WRONG)
            waits.append(refused.headers["Retry-After"])
            clock.advance(int(refused.headers["Retry-After"]))
            fail(browser, "carol", 1)
        assert waits == ["1", "2", "3", "3"]

    def test_a_throttled_login_checks_no_password_and_writes_nothing(
            self, rt: Runtime, make_user: Callable[..., Actor], clock: Clock,
            hasher: CountingHasher) -> None:
        make_user("carol")
        browser = from_address(rt, HOME)
        fail(browser, "carol", 5)
        assert hasher.checks == 5
        before = f.snapshot(rt)
        for password in (WRONG, PASSWORD) * 10:
            assert login(browser, "carol", password).status_code == 429
        assert hasher.checks == 5
        assert f.snapshot(rt) == before

    def test_an_address_waits_after_failures_on_different_accounts(
            self, rt: Runtime, make_user: Callable[..., Actor], clock: Clock) -> None:
        for name in ("a1", "a2", "a3", "a4", "a5", "dave"):
            make_user(name)
        attacker = from_address(rt, HOME)
        for name in ("a1", "a2", "a3", "a4", "a5"):
            fail(attacker, name, 1)
        refused = login(attacker, "dave")
        assert refused.status_code == 429
        assert refused.headers["Retry-After"] == "1"
        assert login(from_address(rt, ELSEWHERE), "dave").status_code == 200

    def test_an_account_waits_after_failures_from_different_addresses(
            self, rt: Runtime, make_user: Callable[..., Actor], clock: Clock) -> None:
        make_user("carol")
        make_user("dave")
        for i in range(5):
            fail(from_address(rt, f"192.0.2.{i + 1}"), "carol", 1)
        elsewhere = from_address(rt, ELSEWHERE)
        assert login(elsewhere, "carol").status_code == 429
        assert login(elsewhere, "dave").status_code == 200

    def test_a_success_resets_the_accounts_count(
            self, rt: Runtime, make_user: Callable[..., Actor], clock: Clock) -> None:
        make_user("carol")
        fail(from_address(rt, HOME), "carol", 4)
        assert login(from_address(rt, HOME), "carol").status_code == 200
        fail(from_address(rt, ELSEWHERE), "carol", 4)
        assert login(from_address(rt, "192.0.2.77"), "carol").status_code == 200

    def test_counts_restart_after_an_hour_without_failures(
            self, rt: Runtime, make_user: Callable[..., Actor], clock: Clock) -> None:
        make_user("carol")
        browser = from_address(rt, HOME)
        fail(browser, "carol", 4)
        clock.advance(3601)
        fail(browser, "carol", 4)  # counts 1 to 4 again, not 5 to 8
        assert login(browser, "carol").status_code == 200

    def test_a_wait_longer_than_an_hour_is_not_forgotten(
            self, rt: Runtime, make_user: Callable[..., Actor], clock: Clock) -> None:
        make_user("carol")
        make_user("dave")
        browser = from_address(rt, HOME, login_free_failures=1, login_max_delay_seconds=7200)
        for _ in range(12):  # waits of 1, 2, 4 ... 2048 s
            fail(browser, "carol", 1)
            clock.advance(int(login(browser, "carol").headers["Retry-After"]))
        fail(browser, "carol", 1)
        clock.advance(3700)
        fail(from_address(rt, ELSEWHERE, login_free_failures=1), "dave", 1)  # forgets old counts
        refused = login(from_address(rt, "192.0.2.5"), "carol")
        assert refused.status_code == 429
        assert refused.headers["Retry-After"] == "396"  # 4096 - 3700

    def test_off_when_disabled(self, rt: Runtime, make_user: Callable[..., Actor],
                               clock: Clock) -> None:
        make_user("carol")
        browser = from_address(rt, HOME, login_throttle=False)
        fail(browser, "carol", 12)
        assert login(browser, "carol").status_code == 200
        assert f.count(rt, "login_failures") == 0


class TestAudit:
    def test_failures_and_throttling_are_in_the_site_audit_log(
            self, rt: Runtime, make_user: Callable[..., Actor], clock: Clock,
            client_for: Callable[[Actor | None], TestClient]) -> None:
        admin = client_for(make_user("root", admin=True))
        carol = make_user("carol")
        browser = from_address(rt, HOME)
        fail(browser, "carol", 5)
        assert login(browser, "carol").status_code == 429
        log = admin.get("/api/audit").json()
        failed = [e for e in log if e["action"] == "login_failed"]
        assert len(failed) == 5
        assert {e["user_id"] for e in failed} == {carol.user_id}
        assert failed[0]["detail"] == {"username": "carol", "address": HOME}
        throttled = sorted((e["detail"] for e in log if e["action"] == "login_throttled"),
                           key=lambda d: sorted(d))
        assert throttled == [
            {"address": HOME, "failures": 5, "retry_after": 1},
            {"username": "carol", "failures": 5, "retry_after": 1},
        ]


class GatedHasher(CountingHasher):
    """Password checks wait for `release`, so a test can act while one runs."""

    def __init__(self) -> None:
        super().__init__()
        self.checking, self.release = threading.Event(), threading.Event()
        self.nice: int | None = None

    def verify(self, password_hash: str, password: str) -> bool:
        self.checks += 1
        self.nice = os.getpriority(os.PRIO_PROCESS, threading.get_native_id())
        self.checking.set()
        assert self.release.wait(30)
        return FAST_HASHER.verify(password_hash, password)


@pytest.fixture
def gated(monkeypatch: pytest.MonkeyPatch) -> GatedHasher:
    hasher = GatedHasher()
    monkeypatch.setattr(users, "_hasher", hasher)
    return hasher


@pytest.fixture
def one_check_at_a_time(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    checks = ThreadPoolExecutor(1, initializer=password_checks.lower_priority)
    monkeypatch.setattr(password_checks, "checks", checks)
    yield
    checks.shutdown(wait=False)


def _transactions_open(rt: Runtime) -> int:
    """PostgreSQL sessions of this database sitting inside a transaction."""
    with rt.engine.connect() as conn:
        return int(conn.execute(text(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
            "AND state LIKE 'idle in transaction%'")).scalar_one())


@pytest.fixture
def checking_password(rt: Runtime, gated: GatedHasher, make_user: Callable[..., Actor]
                      ) -> Iterator[TestClient]:
    """A login whose password check is running (on another thread) while the test body runs;
    the client serves every request from one event loop, as a server does."""
    make_user("carol")
    client = TestClient(create_app(runtime=rt), base_url="http://127.0.0.1")
    answers: list[int] = []
    with client:
        thread = threading.Thread(target=lambda: answers.append(login(client, "carol").status_code))
        thread.start()
        try:
            assert gated.checking.wait(30)
            yield client
        finally:
            gated.release.set()
            thread.join(30)
    assert answers == [200]


def _answered_within(seconds: float, request: Callable[[], httpx.Response]) -> int | None:
    """The request's status if it is answered within `seconds` (None if it still waits)."""
    answers: list[int] = []
    thread = threading.Thread(target=lambda: answers.append(request().status_code), daemon=True)
    thread.start()
    thread.join(seconds)
    return answers[0] if answers else None


@pytest.fixture
def dave_token(rt: Runtime, make_user: Callable[..., Actor]) -> str:
    return str(users.create_token(rt, make_user("dave"), "t")["token"])


class TestPasswordCheck:
    def test_a_write_proceeds_while_a_password_is_checked(
            self, rt: Runtime, dave_token: str, checking_password: TestClient) -> None:
        token = dave_token
        status = _answered_within(5, lambda: checking_password.post(
            "/api/projects", json={"name": "X", "template": "sentiment"},
            headers={"Authorization": f"Token {token}"}))
        assert status == 201
        if rt.engine.dialect.name == "postgresql":
            assert _transactions_open(rt) == 0

    def test_the_server_answers_others_while_a_password_is_checked(
            self, checking_password: TestClient) -> None:
        assert _answered_within(5, lambda: checking_password.get("/api/health")) == 200

    @pytest.mark.skipif(sys.platform != "linux", reason="nice levels per thread are Linux's")
    def test_the_check_runs_ten_nice_levels_below_the_server(
            self, checking_password: TestClient, gated: GatedHasher) -> None:
        assert gated.nice == min(19, os.getpriority(os.PRIO_PROCESS, 0) + 10)

    def test_password_checks_take_turns_and_the_server_answers_meanwhile(
            self, one_check_at_a_time: None, checking_password: TestClient,
            gated: GatedHasher) -> None:
        """With one check at a time, a second login waits its turn on the event loop."""
        second: list[int] = []
        waiting = threading.Thread(target=lambda: second.append(
            login(checking_password, "carol").status_code))
        waiting.start()
        waiting.join(0.5)
        assert gated.checks == 1  # the second login has not reached its check
        assert _answered_within(5, lambda: checking_password.get("/api/health")) == 200
        gated.release.set()
        waiting.join(30)
        assert second == [200] and gated.checks == 2


class TestPause:
    def test_a_throttled_login_is_answered_after_a_pause_that_blocks_nothing(
            self, rt: Runtime, make_user: Callable[..., Actor], clock: Clock,
            monkeypatch: pytest.MonkeyPatch) -> None:
        monkeypatch.setattr(password_checks, "THROTTLED_PAUSE", 1.0)
        make_user("carol")
        browser = from_address(rt, HOME)
        fail(browser, "carol", 5)
        answers: list[tuple[int, float]] = []

        def throttled() -> None:
            start = time.monotonic()
            answers.append((login(browser, "carol").status_code, time.monotonic() - start))

        with browser:  # one event loop for both requests
            thread = threading.Thread(target=throttled)
            thread.start()
            time.sleep(0.2)
            assert _answered_within(0.5, lambda: browser.get("/api/health")) == 200
            assert answers == []  # still pausing
            thread.join(10)
        ((status, seconds),) = answers
        assert status == 429 and seconds >= 1.0
