"""Browser tests: a real `postil serve` on a free port with a temporary SQLite data dir, and
headless Chromium (Debian's) driven by Playwright. Needs the built web app (`make web`)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Browser, Page, sync_playwright

from .support import ADMIN, PASSWORD, Api, Server

ROOT = Path(__file__).resolve().parents[2]
STATIC = ROOT / "src" / "postil" / "api" / "static" / "index.html"
CHROMIUM = os.environ.get("POSTIL_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def _postil() -> list[str]:
    exe = Path(sys.executable).with_name("postil")
    return [str(exe)] if exe.exists() else [sys.executable, "-m", "postil.cli.main"]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    if not STATIC.is_file():
        pytest.fail("the web app is not built: run `cd web && npm ci && npm run build`")
    data_dir = tmp_path_factory.mktemp("postil-e2e")
    env = {**os.environ, "PYTHONWARNINGS": "ignore"}
    subprocess.run(
        [
            *_postil(),
            "user",
            "create",
            ADMIN,
            "--admin",
            "--password",
            PASSWORD,
            "--data-dir",
            str(data_dir),
        ],
        check=True,
        capture_output=True,
        env=env,
    )
    port = _free_port()
    log = (data_dir / "server.log").open("wb")
    proc = subprocess.Popen(
        [*_postil(), "serve", "--port", str(port), "--data-dir", str(data_dir)],
        stdout=log,
        stderr=subprocess.STDOUT,
        env=env,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_healthy(url, proc)
        yield Server(url, data_dir)
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()


def _wait_healthy(url: str, proc: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"postil serve exited with {proc.returncode}")
        try:
            if httpx.get(f"{url}/api/health", timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.1)
    raise RuntimeError("postil serve did not become healthy in 30 s")


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM} (apt-get install chromium)")
    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture
def api(server: Server) -> Iterator[Api]:
    client = server.api()
    yield client
    client.close()


@pytest.fixture
def page(browser: Browser, server: Server) -> Iterator[Page]:
    """A fresh browser context, logged in through the API (the cookie is shared with the page)."""
    context = browser.new_context(base_url=server.url, viewport={"width": 1400, "height": 900})
    context.request.post("/api/auth/login", data={"username": ADMIN, "password": PASSWORD})
    pg = context.new_page()
    errors: list[str] = []
    pg.on("pageerror", lambda e: errors.append(str(e)))
    yield pg
    context.close()
    assert not errors, f"uncaught errors in the page: {errors}"
