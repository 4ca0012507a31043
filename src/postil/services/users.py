"""Users, passwords (argon2), browser sessions with CSRF tokens, and API tokens."""

from __future__ import annotations

import hashlib
import secrets
import unicodedata
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import Connection

from postil.core.errors import (
    ConflictError,
    ForbiddenError,
    InvalidError,
    NotFoundError,
    UnauthenticatedError,
)
from postil.services import login_throttle
from postil.services.runtime import Actor, Runtime
from postil.storage import audit
from postil.storage import users as repo
from postil.storage.clock import as_utc, utcnow
from postil.storage.db import read, read_one, write

_hasher = PasswordHasher()
# Verified against when the user does not exist, so timing does not reveal which names exist.
_DUMMY_HASH = _hasher.hash("postil-dummy-password")
MIN_PASSWORD = 8


@dataclass(frozen=True, slots=True)
class SessionTokens:
    token: str
    csrf: str
    user: dict[str, Any]


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def check_username(username: str) -> str:
    name = username.strip()
    if not 1 <= len(name) <= 150:
        raise InvalidError("username must be 1 to 150 characters", [{"loc": ["username"],
                           "msg": "must be 1 to 150 characters"}])
    if any(unicodedata.category(ch)[0] in "CZ" and ch != " " for ch in name) or " " in name:
        raise InvalidError("username has spaces or control characters",
                           [{"loc": ["username"], "msg": "no spaces or control characters"}])
    return name


def create_user(rt: Runtime, username: str, password: str, *, email: str | None = None,
                is_admin: bool = False, by: Actor | None = None) -> dict[str, Any]:
    name = check_username(username)
    if len(password) < MIN_PASSWORD:
        raise InvalidError("password too short", [{"loc": ["password"],
                           "msg": f"must be at least {MIN_PASSWORD} characters"}])
    with write(rt.engine) as conn:
        if repo.find_user_by_name(conn, name):
            raise ConflictError(f"user {name!r} exists")
        user_id = repo.insert_user(conn, name, email, _hasher.hash(password), is_admin)
        audit.append(conn, "user_created", by.user_id if by else None, object_type="user",
                     object_id=str(user_id), detail={"username": name, "is_admin": is_admin})
        return repo.get_user(conn, user_id) or {}


def signup(rt: Runtime, username: str, password: str, email: str | None) -> dict[str, Any]:
    if not rt.settings.signup_open:
        raise ForbiddenError("sign-up is closed; ask an administrator for an account")
    return create_user(rt, username, password, email=email)


def list_users(rt: Runtime, actor: Actor) -> list[dict[str, Any]]:
    """Administrators see every account in full; others only the ids and names of the people
    they share a project with (and their own)."""
    with read(rt.engine) as conn:
        if actor.is_admin:
            return repo.list_users(conn)
        return repo.list_users_sharing_projects(conn, actor.user_id)


@dataclass(frozen=True, slots=True)
class LoginAttempt:
    """A login between its look-up and its outcome; `user` is None if no such user."""

    username: str
    address: str
    user: dict[str, Any] | None


def login(rt: Runtime, username: str, password: str, address: str = "") -> SessionTokens:
    """A new session for a client at `address`, in three steps (the API runs each where it
    fits): a throttled login is refused before anything else; the password is checked
    (argon2, ~150 ms) outside any transaction, so it holds no lock (SQLite's one writer);
    then only the outcome is written: the session, or the failure counted against the
    account and the address."""
    attempt = start_login(rt, username, address)
    return finish_login(rt, attempt, check_password(attempt, password))


def start_login(rt: Runtime, username: str, address: str) -> LoginAttempt:
    """ThrottledError while the account or the address must wait; else the user's row."""
    login_throttle.check(rt, username, address)
    with read_one(rt.engine) as conn:
        return LoginAttempt(username, address, repo.find_user_by_name(conn, username))


def check_password(attempt: LoginAttempt, password: str) -> bool:
    """argon2, touching no database; an unknown or inactive user costs the same check."""
    user = attempt.user
    if user is None or not user["is_active"]:
        _verify(_DUMMY_HASH, password)
        return False
    return _verify(user["password_hash"], password)


def finish_login(rt: Runtime, attempt: LoginAttempt, correct: bool) -> SessionTokens:
    """The session if the password was correct (and is still the user's), else 401 with the
    failure audited and counted."""
    user = attempt.user
    if correct and user is not None:
        with write(rt.engine) as conn:
            if _unchanged(conn, user):
                login_throttle.forget_account(conn, attempt.username)
                return _open_session(rt, conn, dict(user))
    with write(rt.engine) as conn:
        user_id = user["id"] if user else None
        audit.append(conn, "login_failed", user_id, detail={
            "username": attempt.username[:150], "address": attempt.address[:45]})
        login_throttle.count_failure(rt, conn, attempt.username, attempt.address, user_id)
    raise UnauthenticatedError("wrong username or password")


def _unchanged(conn: Connection, user: dict[str, Any]) -> bool:
    """Whether the user is still active with the password just checked (it may have changed
    while the check ran outside the transaction)."""
    now = repo.find_user_by_name(conn, user["username"])
    return now is not None and bool(now["is_active"]) \
        and now["password_hash"] == user["password_hash"]


def _open_session(rt: Runtime, conn: Connection, user: dict[str, Any]) -> SessionTokens:
    token, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
    expires = utcnow() + timedelta(days=rt.settings.session_days)
    repo.insert_session(conn, _digest(token), user["id"], csrf, expires)
    audit.append(conn, "login", user["id"])
    user.pop("password_hash")
    return SessionTokens(token=token, csrf=csrf, user=user)


def _verify(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def logout(rt: Runtime, token: str) -> None:
    with write(rt.engine) as conn:
        repo.delete_session(conn, _digest(token))


def actor_from_session(rt: Runtime, token: str) -> tuple[Actor, str]:
    """The session's user and its CSRF token."""
    with read_one(rt.engine) as conn:
        user = repo.find_session(conn, _digest(token))
    if not user or not user["is_active"]:
        raise UnauthenticatedError("session expired; log in again")
    return Actor(user["id"], user["username"], bool(user["is_admin"])), user["csrf_token"]


def session_csrf(rt: Runtime, token: str) -> str | None:
    """The CSRF token of a live session, or None if the session is over."""
    with read_one(rt.engine) as conn:
        user = repo.find_session(conn, _digest(token))
    return str(user["csrf_token"]) if user else None


def actor_from_token(rt: Runtime, token: str) -> Actor:
    with read_one(rt.engine) as conn:
        user = repo.find_token_user(conn, _digest(token))
    if not user or not user["is_active"]:
        raise UnauthenticatedError("invalid API token")
    return Actor(user["id"], user["username"], bool(user["is_admin"]))


def create_token(rt: Runtime, actor: Actor, name: str) -> dict[str, Any]:
    token = "pst_" + secrets.token_urlsafe(32)
    with write(rt.engine) as conn:
        token_id = repo.insert_token(conn, actor.user_id, _digest(token), name[:100] or "token")
        audit.append(conn, "token_created", actor.user_id, object_type="token",
                     object_id=str(token_id))
    return {"id": token_id, "name": name, "token": token}


def list_tokens(rt: Runtime, actor: Actor) -> list[dict[str, Any]]:
    with read(rt.engine) as conn:
        rows = repo.list_tokens(conn, actor.user_id)
    return [{**r, "created_at": as_utc(r["created_at"])} for r in rows]


def delete_token(rt: Runtime, actor: Actor, token_id: int) -> None:
    with write(rt.engine) as conn:
        if not repo.delete_token(conn, actor.user_id, token_id):
            raise NotFoundError("token not found")
        audit.append(conn, "token_deleted", actor.user_id, object_type="token",
                     object_id=str(token_id))


def user_by_name(rt: Runtime, username: str) -> dict[str, Any]:
    with read(rt.engine) as conn:
        user = repo.find_user_by_name(conn, username)
    if user is None:
        raise NotFoundError(f"user {username!r} not found")
    user.pop("password_hash")
    return user
