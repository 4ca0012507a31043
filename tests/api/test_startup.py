"""What the app does when it starts a runtime of its own, as `postil serve` does."""

from __future__ import annotations

import gc
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from postil.api.app import create_app
from postil.services.runtime import Runtime
from postil.settings import Settings


@pytest.fixture
def unfrozen() -> Iterator[None]:
    gc.unfreeze()
    yield
    gc.unfreeze()  # the rest of the test session collects as usual


@pytest.mark.usefixtures("unfrozen")
def test_a_server_moves_what_start_up_loaded_out_of_the_collectors_way(
        settings: Settings) -> None:
    with TestClient(create_app(settings), base_url="http://127.0.0.1") as client:
        assert client.get("/api/health").status_code == 200
        assert gc.get_freeze_count() > 10_000  # the app, its routes, the engine, the libraries


@pytest.mark.usefixtures("unfrozen")
def test_an_app_on_a_runtime_handed_in_leaves_the_collector_alone(rt: Runtime) -> None:
    with TestClient(create_app(runtime=rt), base_url="http://127.0.0.1") as client:
        assert client.get("/api/health").status_code == 200
        assert gc.get_freeze_count() == 0


def test_the_server_loads_numpy_and_httpx_only_when_asked(tmp_path: Path) -> None:
    """Masks (numpy, 12 MB) and URL imports (httpx, 6 MB) are rare; the server starts without."""
    probe = ("import sys, postil.api.asgi; "
             "print(sorted(m for m in ('numpy', 'httpx') if m in sys.modules))")
    env = {**os.environ, "POSTIL_DATA_DIR": str(tmp_path)}
    done = subprocess.run([sys.executable, "-c", probe], env=env, capture_output=True,
                          text=True, timeout=120, check=True)
    assert done.stdout.strip() == "[]"
