"""Revision 0005 adds instance settings; downgrading drops them, upgrading starts at defaults."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import inspect

from postil.core.errors import ForbiddenError
from postil.services import instance_settings, projects, users
from postil.services.runtime import Actor, Runtime
from postil.settings import Settings
from postil.storage import migrate
from postil.storage.db import make_unpooled_engine


@pytest.fixture
def runtime(tmp_path: Path, fresh_url: str) -> Iterator[Runtime]:
    migrate.upgrade(fresh_url)
    rt = Runtime.open(Settings(data_dir=tmp_path / "data", database_url=fresh_url),
                      upgrade=False)
    yield rt
    rt.close()


def _has_table(url: str) -> bool:
    engine = make_unpooled_engine(url)
    try:
        return "instance_settings" in inspect(engine).get_table_names()
    finally:
        engine.dispose()


def test_down_and_up_again(runtime: Runtime, fresh_url: str) -> None:
    root = users.create_user(runtime, "root", "correct horse battery", is_admin=True)
    ann = users.create_user(runtime, "ann", "correct horse battery")
    admin, member = Actor(root["id"], "root", True), Actor(ann["id"], "ann", False)
    instance_settings.update_settings(runtime, admin, {"project_creators": "admins"})
    with pytest.raises(ForbiddenError):
        projects.create_project(runtime, member, "p", template="sentiment")

    migrate.downgrade(fresh_url, "0004")
    assert migrate.current_revision(fresh_url) == "0004"
    assert not _has_table(fresh_url)

    migrate.upgrade(fresh_url, "0005")
    assert migrate.current_revision(fresh_url) == "0005"
    assert instance_settings.get_settings(runtime, admin) == {"project_creators": "everyone"}
    assert projects.create_project(runtime, member, "p", template="sentiment")["name"] == "p"
