"""Schema migrations with Alembic: upgrade, downgrade and the current revision."""

from __future__ import annotations

from importlib.resources import files

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine

from postil.storage.db import make_unpooled_engine


def _config(engine: Engine | None = None) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(files("postil.storage") / "migrations"))
    cfg.attributes["engine"] = engine
    return cfg


def _run(url: str, action: str, revision: str) -> None:
    engine = make_unpooled_engine(url)
    try:
        with engine.begin() as conn:
            cfg = _config(engine)
            cfg.attributes["connection"] = conn
            getattr(command, action)(cfg, revision)
    finally:
        engine.dispose()


def upgrade(url: str, revision: str = "head") -> None:
    _run(url, "upgrade", revision)


def downgrade(url: str, revision: str = "base") -> None:
    _run(url, "downgrade", revision)


def current_revision(url: str) -> str | None:
    engine = make_unpooled_engine(url)
    try:
        with engine.connect() as conn:
            return revision_of(conn)
    finally:
        engine.dispose()


def revision_of(conn: Connection) -> str | None:
    """The revision of the database behind an open connection (inside its transaction)."""
    return MigrationContext.configure(conn).get_current_revision()


def head_revision() -> str | None:
    """The newest revision this version of Postil knows."""
    return ScriptDirectory.from_config(_config()).get_current_head()
