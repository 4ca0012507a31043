"""`postil settings show|set`: instance settings from the command line, as an administrator."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from typer.testing import Result

from api import factories as f
from postil.services.runtime import Runtime

PASSWORD = "a long enough password"


@pytest.fixture
def users(postil: Callable[..., Result]) -> None:
    for args in (["root", "--admin"], ["ann"]):
        result = postil("user", "create", *args, "--password", PASSWORD)
        assert result.exit_code == 0, result.output


def test_show_the_defaults(postil: Callable[..., Result], users: None) -> None:
    result = postil("settings", "show")
    assert result.exit_code == 0, result.output
    assert result.stdout == "project-creators\teveryone\n"


def test_set_restricts_project_creation(postil: Callable[..., Result], users: None,
                                        rt: Runtime) -> None:
    result = postil("settings", "set", "project-creators", "admins")
    assert result.exit_code == 0, result.output
    assert result.stdout == "project-creators = admins\n"
    assert postil("settings", "show").stdout == "project-creators\tadmins\n"
    refused = postil("project", "create", "X", "--template", "sentiment", "--as", "ann")
    assert refused.exit_code == 2
    assert "only administrators create projects on this instance" in refused.output
    assert f.count(rt, "projects") == 0


@pytest.mark.parametrize(("args", "message"), [
    (["project-creators", "nobody"], "project_creators: must be one of everyone, admins"),
    (["signup", "open"], "signup: unknown setting"),
])
def test_bad_values_exit_2(postil: Callable[..., Result], users: None, rt: Runtime,
                           args: list[str], message: str) -> None:
    before = f.snapshot(rt)
    result = postil("settings", "set", *args)
    assert result.exit_code == 2
    assert message in result.output
    assert f.snapshot(rt) == before


def test_a_non_admin_is_refused(postil: Callable[..., Result], users: None,
                                rt: Runtime) -> None:
    before = f.snapshot(rt)
    result = postil("settings", "set", "project-creators", "admins", "--as", "ann")
    assert result.exit_code == 2
    assert "only administrators" in result.output
    assert f.snapshot(rt) == before
