"""Authentication: tokens, sessions with CSRF, sign-up, password hashes, the audit log."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from api import factories as f
from conftest import PASSWORD
from postil.api.app import create_app
from postil.services.runtime import Actor, Runtime
from postil.settings import Settings
from postil.storage.tables import sessions

PROTECTED = [("GET", "/api/projects"), ("POST", "/api/projects"), ("GET", "/api/auth/me"),
             ("GET", "/api/projects/1"), ("GET", "/api/tasks/1"), ("GET", "/api/formats"),
             ("GET", "/api/templates"), ("GET", "/api/audit"), ("GET", "/api/users"),
             ("GET", "/api/media/1/ab/" + "0" * 64 + ".png")]


@pytest.fixture
def browser(app: FastAPI) -> TestClient:
    return TestClient(app, base_url="http://127.0.0.1")


def _login(client: TestClient, username: str, password: str = PASSWORD) -> str:
    response = client.post("/api/auth/login", json={"username": username, "password": password})
    assert response.status_code == 200, response.text
    return str(response.json()["csrf_token"])


class TestUnauthenticated:
    @pytest.mark.parametrize(("method", "path"), PROTECTED)
    def test_401_without_credentials(self, browser: TestClient, rt: Runtime, method: str,
                                     path: str) -> None:
        before = f.snapshot(rt)
        response = browser.request(method, path, json={"name": "x", "template": "sentiment"})
        assert response.status_code == 401
        assert f.snapshot(rt) == before

    @pytest.mark.parametrize("header", ["Token nope", "Bearer ", "Basic dXNlcjpwYXNz", "Token"])
    def test_401_with_a_bad_token(self, browser: TestClient, header: str) -> None:
        response = browser.get("/api/auth/me", headers={"Authorization": header})
        assert response.status_code == 401

    def test_health_is_public(self, browser: TestClient) -> None:
        assert browser.get("/api/health").json()["status"] == "ok"


class TestLogin:
    def test_login_sets_safe_cookies_and_logout_ends_the_session(
            self, browser: TestClient, make_user: Callable[..., Actor]) -> None:
        user = make_user("carol")
        response = browser.post("/api/auth/login",
                                json={"username": "carol", "password": PASSWORD})
        assert response.status_code == 200
        assert response.json()["user"]["username"] == "carol"
        cookies = response.headers.get_list("set-cookie")
        session = next(c for c in cookies if c.startswith("postil_session="))
        assert "HttpOnly" in session
        assert "samesite=lax" in session.lower() or "samesite=strict" in session.lower()
        assert browser.get("/api/auth/me").json()["id"] == user.user_id
        csrf = response.json()["csrf_token"]
        assert browser.post("/api/auth/logout", headers={"X-CSRF-Token": csrf}).status_code == 204
        browser.cookies.clear()
        assert browser.get("/api/auth/me").status_code == 401

    def test_old_session_cookie_is_dead_after_logout(
            self, browser: TestClient, make_user: Callable[..., Actor]) -> None:
        make_user("carol")
        csrf = _login(browser, "carol")
        stolen = browser.cookies.get("postil_session")
        assert browser.post("/api/auth/logout", headers={"X-CSRF-Token": csrf}).status_code == 204
        browser.cookies.clear()
        browser.cookies.set("postil_session", stolen)
        assert browser.get("/api/auth/me").status_code == 401

    @pytest.mark.parametrize("header", [{}, {"X-CSRF-Token": "guess"}])
    def test_logout_without_the_csrf_header_is_403_and_the_session_lives(
            self, browser: TestClient, rt: Runtime, make_user: Callable[..., Actor],
            header: dict[str, str]) -> None:
        """Another site's form post cannot log the user out."""
        make_user("carol")
        _login(browser, "carol")
        response = browser.post("/api/auth/logout", headers=header)
        assert response.status_code == 403
        assert "CSRF" in response.json()["detail"]
        assert response.headers.get_list("set-cookie") == []
        assert f.count(rt, "sessions") == 1
        assert browser.get("/api/auth/me").json()["username"] == "carol"

    def test_logout_of_an_ended_session_needs_no_csrf_header(
            self, browser: TestClient, rt: Runtime, make_user: Callable[..., Actor]) -> None:
        """Nothing is left to protect; the stale cookies are cleared."""
        browser.cookies.set("postil_session", "no-such-session")
        response = browser.post("/api/auth/logout")
        assert response.status_code == 204
        assert any(c.startswith("postil_session=") for c in response.headers.get_list("set-cookie"))

    def test_username_with_a_nul_is_422(self, browser: TestClient) -> None:
        """PostgreSQL refuses to compare text with U+0000 (it was a 500 there)."""
        response = browser.post("/api/auth/login", json={"username": "a\u0000", "password": "x"})
        assert response.status_code == 422

    @pytest.mark.parametrize("username", ["carol", "nobody"])
    def test_wrong_password_is_401_and_audited(
            self, browser: TestClient, rt: Runtime, make_user: Callable[..., Actor],
            username: str) -> None:
        make_user("carol")
        response = browser.post("/api/auth/login",
                                json={"username": username, "password": "wrong password"})
        assert response.status_code == 401
        assert "postil_session" not in response.cookies
        failed = f.rows(rt, "audit_log", action="login_failed")
        assert [e["detail"]["username"] for e in failed] == [username]
        assert f.count(rt, "sessions") == 0

    def test_login_is_audited(self, browser: TestClient, rt: Runtime,
                              make_user: Callable[..., Actor]) -> None:
        user = make_user("carol")
        _login(browser, "carol")
        assert [e["user_id"] for e in f.rows(rt, "audit_log", action="login")] == [user.user_id]

    def test_passwords_are_argon2_hashes(self, rt: Runtime,
                                         make_user: Callable[..., Actor]) -> None:
        make_user("carol")
        (row,) = f.rows(rt, "users", username="carol")
        assert row["password_hash"].startswith("$argon2")
        assert PASSWORD not in row["password_hash"]

    def test_tokens_are_stored_hashed(self, rt: Runtime, make_user: Callable[..., Actor],
                                      client_for: Callable[[Actor | None], TestClient]) -> None:
        client = client_for(make_user("carol"))
        token = client.headers["Authorization"].split()[1]
        stored = [r["token_hash"] for r in f.rows(rt, "api_tokens")]
        assert stored and token not in stored


class TestTokens:
    def test_listed_tokens_have_timezone_aware_creation_times(
            self, make_user: Callable[..., Actor],
            client_for: Callable[[Actor | None], TestClient]) -> None:
        """SQLite hands back naive datetimes; the API declares RFC 3339 with an offset."""
        client = client_for(make_user("carol"))
        response = client.get("/api/auth/tokens")
        assert response.status_code == 200
        (token,) = response.json()
        assert datetime.fromisoformat(token["created_at"]).tzinfo is not None
        assert "token" not in token or token["token"] is None

    def test_a_deleted_token_stops_working(
            self, browser: TestClient, make_user: Callable[..., Actor]) -> None:
        make_user("carol")
        csrf = _login(browser, "carol")
        made = browser.post("/api/auth/tokens", json={"name": "script"},
                            headers={"X-CSRF-Token": csrf})
        assert made.status_code == 201
        script = TestClient(browser.app, base_url="http://127.0.0.1",
                            headers={"Authorization": f"Token {made.json()['token']}"})
        assert script.get("/api/auth/me").json()["username"] == "carol"
        deleted = browser.delete(f"/api/auth/tokens/{made.json()['id']}",
                                 headers={"X-CSRF-Token": csrf})
        assert deleted.status_code == 204
        assert script.get("/api/auth/me").status_code == 401
        assert script.post("/api/projects", json={"name": "X", "template": "sentiment"}
                           ).status_code == 401
        assert browser.get("/api/auth/tokens").json() == []

    def test_name_with_a_nul_is_422(self, rt: Runtime, make_user: Callable[..., Actor],
                                    client_for: Callable[[Actor | None], TestClient]) -> None:
        """PostgreSQL stores no U+0000 in text (it was a 500 there, stored on SQLite)."""
        client = client_for(make_user("carol"))
        before = f.snapshot(rt)
        response = client.post("/api/auth/tokens", json={"name": "a\u0000b"})
        assert response.status_code == 422
        assert "NUL" in response.json()["errors"][0]["msg"]
        assert f.snapshot(rt) == before


class TestCsrf:
    def test_cookie_post_without_csrf_header_is_403_and_changes_nothing(
            self, browser: TestClient, rt: Runtime, make_user: Callable[..., Actor]) -> None:
        make_user("carol")
        _login(browser, "carol")
        before = f.snapshot(rt)
        response = browser.post("/api/projects", json={"name": "X", "template": "sentiment"})
        assert response.status_code == 403
        assert f.snapshot(rt) == before

    def test_cookie_post_with_a_wrong_csrf_header_is_403(
            self, browser: TestClient, rt: Runtime, make_user: Callable[..., Actor]) -> None:
        make_user("carol")
        _login(browser, "carol")
        response = browser.post("/api/projects", json={"name": "X", "template": "sentiment"},
                                headers={"X-CSRF-Token": "guess"})
        assert response.status_code == 403
        assert f.count(rt, "projects") == 0

    def test_cookie_post_with_csrf_header_works(
            self, browser: TestClient, rt: Runtime, make_user: Callable[..., Actor]) -> None:
        make_user("carol")
        csrf = _login(browser, "carol")
        response = browser.post("/api/projects", json={"name": "X", "template": "sentiment"},
                                headers={"X-CSRF-Token": csrf})
        assert response.status_code == 201
        assert f.count(rt, "projects") == 1

    def test_cookie_get_needs_no_csrf(self, browser: TestClient,
                                      make_user: Callable[..., Actor]) -> None:
        make_user("carol")
        _login(browser, "carol")
        assert browser.get("/api/projects").status_code == 200

    def test_token_auth_is_exempt(self, rt: Runtime, make_user: Callable[..., Actor],
                                  client_for: Callable[[Actor | None], TestClient]) -> None:
        client = client_for(make_user("carol"))
        response = client.post("/api/projects", json={"name": "X", "template": "sentiment"})
        assert response.status_code == 201

    def test_expired_session_mid_save_is_401_and_nothing_written(
            self, browser: TestClient, rt: Runtime, make_user: Callable[..., Actor]) -> None:
        make_user("carol")
        csrf = _login(browser, "carol")
        _expire_sessions(rt)
        before = f.snapshot(rt)
        response = browser.post("/api/projects", json={"name": "X", "template": "sentiment"},
                                headers={"X-CSRF-Token": csrf})
        assert response.status_code == 401
        assert f.snapshot(rt) == before

    def test_a_session_past_its_expiry_is_401(
            self, browser: TestClient, rt: Runtime, make_user: Callable[..., Actor]) -> None:
        """The row is still there: only its expiry says the session is over."""
        make_user("carol")
        _login(browser, "carol")
        assert browser.get("/api/auth/me").status_code == 200
        _expire_sessions(rt)
        assert f.count(rt, "sessions") == 1
        assert browser.get("/api/auth/me").status_code == 401


def _expire_sessions(rt: Runtime) -> None:
    """Moves every session's expiry a minute into the past (the rows stay)."""
    with rt.engine.begin() as conn:
        conn.execute(sessions.update().values(
            expires_at=datetime.now(UTC) - timedelta(minutes=1)))


class TestSignup:
    def test_closed_by_default(self, browser: TestClient, rt: Runtime) -> None:
        response = browser.post("/api/auth/signup",
                                json={"username": "eve", "password": "long enough pw"})
        assert response.status_code == 403
        assert f.count(rt, "users") == 0

    def test_open_when_enabled(self, rt: Runtime, settings: Settings) -> None:
        open_rt = replace(rt, settings=settings.model_copy(update={"signup_open": True}))
        client = TestClient(create_app(runtime=open_rt), base_url="http://127.0.0.1")
        response = client.post("/api/auth/signup",
                               json={"username": "eve", "password": "long enough pw"})
        assert response.status_code == 201
        assert response.json()["is_admin"] is False
        assert client.post("/api/auth/login", json={
            "username": "eve", "password": "long enough pw"}).status_code == 200

    def test_signup_cannot_make_an_admin(self, rt: Runtime, settings: Settings) -> None:
        open_rt = replace(rt, settings=settings.model_copy(update={"signup_open": True}))
        client = TestClient(create_app(runtime=open_rt), base_url="http://127.0.0.1")
        response = client.post("/api/auth/signup", json={
            "username": "eve", "password": "long enough pw", "is_admin": True})
        assert response.status_code == 422
        assert f.count(rt, "users") == 0

    @pytest.mark.parametrize("username", ["a b", "x\u202eevil", "tab\tname", "n" * 151, ""])
    def test_bad_usernames(self, rt: Runtime, settings: Settings, username: str) -> None:
        open_rt = replace(rt, settings=settings.model_copy(update={"signup_open": True}))
        client = TestClient(create_app(runtime=open_rt), base_url="http://127.0.0.1")
        response = client.post("/api/auth/signup",
                               json={"username": username, "password": "long enough pw"})
        assert response.status_code == 422
        assert f.count(rt, "users") == 0


class TestAuditLog:
    def test_records_login_role_change_export_and_deletion(
            self, browser: TestClient, rt: Runtime, make_user: Callable[..., Actor],
            client_for: Callable[[Actor | None], TestClient]) -> None:
        admin = client_for(make_user("root", admin=True))
        owner_actor, worker = make_user("owner"), make_user("worker")
        owner = client_for(owner_actor)
        _login(browser, "worker")
        project = f.project(owner)
        pid = project["id"]
        ids = f.import_texts(owner, pid, 2)
        f.add_member(owner, pid, "worker", "annotator")
        assert owner.get(f"/api/projects/{pid}/export", params={"format": "csv"}).status_code == 200
        assert owner.post(f"/api/projects/{pid}/tasks/delete",
                          json={"ids": [ids[0]]}).status_code == 200
        log = owner.get(f"/api/projects/{pid}/audit").json()
        actions = {e["action"]: e for e in log}
        assert actions["role_changed"]["detail"] == {"username": "worker", "role": "annotator"}
        assert actions["project_exported"]["detail"]["format"] == "csv"
        assert actions["tasks_deleted"]["detail"]["count"] == 1
        assert owner.delete(f"/api/projects/{pid}").status_code == 204
        site = admin.get("/api/audit").json()
        site_actions = {e["action"] for e in site}
        assert {"login", "role_changed", "project_exported", "tasks_deleted",
                "project_deleted"} <= site_actions
        login = next(e for e in site if e["action"] == "login")
        assert login["user_id"] == worker.user_id

    def test_manager_reads_the_project_log_annotator_cannot(
            self, make_user: Callable[..., Actor],
            client_for: Callable[[Actor | None], TestClient]) -> None:
        owner = client_for(make_user("owner"))
        manager, annotator = make_user("mgr"), make_user("ann")
        pid = f.project(owner)["id"]
        f.add_member(owner, pid, "mgr", "manager")
        f.add_member(owner, pid, "ann", "annotator")
        assert client_for(manager).get(f"/api/projects/{pid}/audit").status_code == 200
        assert client_for(annotator).get(f"/api/projects/{pid}/audit").status_code == 403

    def test_site_log_is_for_admins_only(self, make_user: Callable[..., Actor],
                                         client_for: Callable[[Actor | None], TestClient]) -> None:
        assert client_for(make_user("plain")).get("/api/audit").status_code == 403

    def test_audit_pages(self, make_user: Callable[..., Actor],
                         client_for: Callable[[Actor | None], TestClient]) -> None:
        admin = client_for(make_user("root", admin=True))
        for i in range(3):
            f.project(admin, f"P{i}")
        first = admin.get("/api/audit", params={"limit": 2}).json()
        rest = admin.get("/api/audit", params={"before": first[-1]["id"]}).json()
        all_ids = [e["id"] for e in admin.get("/api/audit").json()]
        assert [e["id"] for e in first + rest] == all_ids
