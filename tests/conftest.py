"""Shared fixtures: a real database (SQLite file or PostgreSQL), a runtime, API clients."""

from __future__ import annotations

import secrets
from collections.abc import Callable, Iterator
from pathlib import Path

import psycopg
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text

from postil.api.app import create_app
from postil.services import users
from postil.services.runtime import Actor, Runtime
from postil.settings import Settings
from postil.storage import migrate
from postil.storage.tables import metadata

PG_ADMIN = "postgresql://postgres@127.0.0.1:5432/postgres"
PASSWORD = "correct horse battery"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--db", choices=("sqlite", "postgres"), default="sqlite",
                     help="database to run the tests on")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Tests marked `postgres` are about PostgreSQL itself: not run under --db sqlite."""
    if config.getoption("--db") != "sqlite":
        return
    wanted = [item for item in items if item.get_closest_marker("postgres") is None]
    if len(wanted) < len(items):
        config.hook.pytest_deselected(items=[i for i in items if i not in wanted])
        items[:] = wanted


@pytest.fixture(scope="session")
def database_url(request: pytest.FixtureRequest,
                 tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """One migrated database per test session; tests empty it after themselves."""
    if request.config.getoption("--db") == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('db') / 'postil.db'}"
        migrate.upgrade(url)
        yield url
        return
    name = f"postil_test_{secrets.token_hex(4)}"
    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    url = f"postgresql+psycopg://postgres@127.0.0.1:5432/{name}"
    migrate.upgrade(url)
    yield url
    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def fresh_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A new, empty, unmigrated database on the session's --db (PostgreSQL: a throwaway one)."""
    if request.config.getoption("--db") == "sqlite":
        yield f"sqlite:///{tmp_path / 'fresh.db'}"
        return
    name = f"postil_fresh_{secrets.token_hex(4)}"
    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    yield f"postgresql+psycopg://postgres@127.0.0.1:5432/{name}"
    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def settings(tmp_path: Path, database_url: str) -> Settings:
    return Settings(data_dir=tmp_path / "data", database_url=database_url,
                    max_upload_bytes=50 * 1024 * 1024)


@pytest.fixture
def rt(settings: Settings) -> Iterator[Runtime]:
    runtime = Runtime.open(settings, upgrade=False)
    yield runtime
    empty_database(runtime)
    runtime.close()


def empty_database(runtime: Runtime) -> None:
    with runtime.engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            names = ", ".join(f'"{t.name}"' for t in metadata.sorted_tables)
            conn.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
        else:
            for table in reversed(metadata.sorted_tables):
                conn.execute(table.delete())


@pytest.fixture
def make_user(rt: Runtime) -> Callable[..., Actor]:
    """Create a user and return them as an actor."""

    def make(name: str | None = None, *, admin: bool = False) -> Actor:
        name = name or f"user{secrets.token_hex(3)}"
        user = users.create_user(rt, name, PASSWORD, is_admin=admin)
        return Actor(user["id"], user["username"], admin)

    return make


@pytest.fixture
def app(rt: Runtime):  # type: ignore[no-untyped-def]
    return create_app(runtime=rt)


@pytest.fixture
def client_for(app, rt: Runtime) -> Iterator[Callable[[Actor | None], TestClient]]:  # type: ignore[no-untyped-def]
    """An API client authenticated with a fresh token of the actor (or anonymous)."""
    clients: list[TestClient] = []

    def make(actor: Actor | None) -> TestClient:
        client = TestClient(app, base_url="http://127.0.0.1")
        if actor is not None:
            token = users.create_token(rt, actor, "test")["token"]
            client.headers["Authorization"] = f"Token {token}"
        clients.append(client)
        return client

    yield make
    for client in clients:
        client.close()
