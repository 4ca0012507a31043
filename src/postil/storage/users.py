"""Queries for users, browser sessions and API tokens."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Connection, bindparam, delete, func, insert, select, update

from postil.storage.clock import utcnow
from postil.storage.db import as_dicts, inserted_id
from postil.storage.tables import api_tokens, members, sessions, users

USER_COLUMNS = (users.c.id, users.c.username, users.c.email, users.c.is_admin, users.c.is_active)


def insert_user(conn: Connection, username: str, email: str | None, password_hash: str,
                is_admin: bool, is_active: bool = True) -> int:
    stmt = insert(users).values(
        username=username, email=email, password_hash=password_hash, is_admin=is_admin,
        is_active=is_active, created_at=utcnow(),
    )
    return inserted_id(conn.execute(stmt))


def find_user_by_name(conn: Connection, username: str) -> dict[str, Any] | None:
    if "\x00" in username:  # no name has one, and PostgreSQL refuses to compare with it
        return None
    row = conn.execute(
        select(*USER_COLUMNS, users.c.password_hash).where(users.c.username == username)
    ).mappings().first()
    return dict(row) if row else None


def get_user(conn: Connection, user_id: int) -> dict[str, Any] | None:
    row = conn.execute(select(*USER_COLUMNS).where(users.c.id == user_id)).mappings().first()
    return dict(row) if row else None


def list_users(conn: Connection) -> list[dict[str, Any]]:
    return as_dicts(conn.execute(select(*USER_COLUMNS).order_by(users.c.id)))


def list_users_sharing_projects(conn: Connection, user_id: int) -> list[dict[str, Any]]:
    """Ids and names of the user and of everyone in a project with them."""
    mine = members.alias("mine")
    shared = select(members.c.user_id).join(mine, mine.c.project_id == members.c.project_id
                                            ).where(mine.c.user_id == user_id)
    stmt = select(users.c.id, users.c.username).where(
        (users.c.id == user_id) | users.c.id.in_(shared)).order_by(users.c.id)
    return as_dicts(conn.execute(stmt))


def count_users(conn: Connection) -> int:
    return int(conn.execute(select(func.count()).select_from(users)).scalar_one())


def set_password_hash(conn: Connection, user_id: int, password_hash: str) -> None:
    conn.execute(update(users).where(users.c.id == user_id).values(password_hash=password_hash))


def insert_session(conn: Connection, token_hash: str, user_id: int, csrf: str,
                   expires_at: datetime) -> None:
    conn.execute(insert(sessions).values(
        token_hash=token_hash, user_id=user_id, csrf_token=csrf, created_at=utcnow(),
        expires_at=expires_at,
    ))


def find_session(conn: Connection, token_hash: str) -> dict[str, Any] | None:
    """The session's user and CSRF token, if the session is live."""
    row = conn.execute(
        select(*USER_COLUMNS, sessions.c.csrf_token).join(users, users.c.id == sessions.c.user_id)
        .where(sessions.c.token_hash == token_hash, sessions.c.expires_at > utcnow())
    ).mappings().first()
    return dict(row) if row else None


def delete_session(conn: Connection, token_hash: str) -> None:
    conn.execute(delete(sessions).where(sessions.c.token_hash == token_hash))


def insert_token(conn: Connection, user_id: int, token_hash: str, name: str) -> int:
    stmt = insert(api_tokens).values(
        user_id=user_id, token_hash=token_hash, name=name, created_at=utcnow()
    )
    return inserted_id(conn.execute(stmt))


_TOKEN_USER = select(*USER_COLUMNS).join(api_tokens, api_tokens.c.user_id == users.c.id).where(
    api_tokens.c.token_hash == bindparam("token_hash"))


def find_token_user(conn: Connection, token_hash: str) -> dict[str, Any] | None:
    row = conn.execute(_TOKEN_USER, {"token_hash": token_hash}).mappings().first()
    return dict(row) if row else None


def list_tokens(conn: Connection, user_id: int) -> list[dict[str, Any]]:
    return as_dicts(conn.execute(
        select(api_tokens.c.id, api_tokens.c.name, api_tokens.c.created_at)
        .where(api_tokens.c.user_id == user_id).order_by(api_tokens.c.id)))


def delete_token(conn: Connection, user_id: int, token_id: int) -> int:
    stmt = delete(api_tokens).where(api_tokens.c.id == token_id, api_tokens.c.user_id == user_id)
    return conn.execute(stmt).rowcount


def first_admin(conn: Connection) -> dict[str, Any] | None:
    row = conn.execute(select(*USER_COLUMNS).where(users.c.is_admin.is_(True))
                       .order_by(users.c.id).limit(1)).mappings().first()
    return dict(row) if row else None
