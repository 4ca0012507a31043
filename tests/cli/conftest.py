"""CLI test fixtures: the `postil` command run against the test database and data directory."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from typer.testing import CliRunner, Result

from postil.cli.main import app
from postil.services.runtime import Runtime


@pytest.fixture
def postil(rt: Runtime) -> Callable[..., Result]:
    """Run the CLI against the test database and data directory."""
    runner = CliRunner()

    def run(*args: str) -> Result:
        return runner.invoke(app, [*args, "--database-url", rt.settings.sqlalchemy_url,
                                   "--data-dir", str(rt.settings.data_dir)])

    return run
