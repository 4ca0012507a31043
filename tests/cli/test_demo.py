"""`postil demo` and the other commands find the same instance without being told where."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner, Result

from postil.api.app import create_app
from postil.cli.main import app

PASSWORD = "bob's long password"


@pytest.fixture
def fresh_checkout(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A working directory with no instance and no POSTIL_ settings, as after a clone."""
    monkeypatch.chdir(tmp_path)
    for name in ("POSTIL_DATA_DIR", "POSTIL_DATABASE_URL"):
        monkeypatch.setenv(name, "restored after the test")  # so the undo restores it
        monkeypatch.delenv(name)
    return tmp_path


def _postil(*args: str) -> Result:
    return CliRunner().invoke(app, list(args))


def _served_settings(monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    """Run `postil demo` up to the point it would start serving; return what it serves."""
    import uvicorn

    served: dict[str, Any] = {}
    monkeypatch.setattr(uvicorn, "run", lambda target, **kw: served.update(target=target, **kw))
    result = _postil("demo", "--port", "8123")
    assert result.exit_code == 0, result.output
    return served


def _log_in(username: str, password: str) -> int:
    """Log in to the app `postil serve` runs (settings from the environment it set)."""
    with TestClient(create_app(), base_url="http://127.0.0.1") as client:
        reply = client.post("/api/auth/login", json={"username": username,
                                                     "password": password})
        return reply.status_code


def test_a_user_created_after_the_demo_logs_in_to_the_demo(
        fresh_checkout: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    seeded = _postil("demo", "--no-serve")
    assert seeded.exit_code == 0, seeded.output
    admin_password = seeded.stdout.split("login: admin / ")[1].split()[0]

    made = _postil("user", "create", "bob", "--password", PASSWORD)
    assert made.exit_code == 0, made.output
    served = _served_settings(monkeypatch)

    assert served["target"] == "postil.api.asgi:app"
    assert _log_in("bob", PASSWORD) == 200
    assert _log_in("admin", admin_password) == 200
    assert (fresh_checkout / ".postil" / "demo-login.txt").read_text() == (
        f"admin\n{admin_password}\n")
    assert seeded.stdout.rstrip().endswith("/postil user create bob")  # the hint: no flags


def test_a_demo_in_another_folder_names_it_in_its_hint(fresh_checkout: Path) -> None:
    result = _postil("demo", "--no-serve", "--data-dir", "elsewhere")
    assert result.exit_code == 0, result.output
    assert result.stdout.rstrip().endswith("/postil --data-dir elsewhere user create bob")
    assert (fresh_checkout / "elsewhere" / "demo-login.txt").is_file()
    assert not (fresh_checkout / ".postil").exists()


def test_the_demo_is_not_mixed_into_an_instance_with_users(fresh_checkout: Path) -> None:
    made = _postil("user", "create", "alice", "--admin", "--password", PASSWORD)
    assert made.exit_code == 0, made.output

    result = _postil("demo", "--no-serve")

    assert result.exit_code == 2
    assert "has users and is not a demo" in result.output
    assert not (fresh_checkout / ".postil" / "demo-login.txt").exists()
    listed = _postil("project", "list", "--as", "alice")
    assert listed.exit_code == 0, listed.output
    assert listed.stdout == ""
