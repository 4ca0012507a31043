"""The "New project" button follows the instance setting: shown to administrators always, and
to other users only while everyone may create projects."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect

from .support import Api, Server

pytestmark = pytest.mark.e2e
MEMBER, MEMBER_PASSWORD = "creator-e2e", "a long e2e password"


@pytest.fixture
def member(api: Api) -> str:
    if MEMBER not in {u["username"] for u in api.get("/api/users")}:
        api.post("/api/users", json={"username": MEMBER, "password": MEMBER_PASSWORD})
    return MEMBER


@pytest.fixture
def restricted(api: Api) -> Iterator[None]:
    """Only administrators create projects, for this test (the server is shared)."""
    api.http.patch("/api/settings", json={"project_creators": "admins"}).raise_for_status()
    yield
    api.http.patch("/api/settings", json={"project_creators": "everyone"}).raise_for_status()


def _log_in(browser: Browser, server: Server, username: str, password: str) -> Page:
    context = browser.new_context(base_url=server.url)
    page = context.new_page()
    page.goto("/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")
    expect(page.get_by_role("heading", name="Projects")).to_be_visible()
    return page


def test_a_member_sees_new_project_while_everyone_may(browser: Browser, server: Server,
                                                      member: str) -> None:
    page = _log_in(browser, server, member, MEMBER_PASSWORD)
    expect(page.get_by_role("link", name="New project")).to_be_visible()
    page.context.close()


def test_restricted_a_member_does_not(browser: Browser, server: Server, member: str,
                                      restricted: None) -> None:
    page = _log_in(browser, server, member, MEMBER_PASSWORD)
    expect(page.get_by_text("No projects yet: ask a project owner or manager")).to_be_visible()
    expect(page.get_by_role("link", name="New project")).to_have_count(0)
    page.goto("/projects/new")
    expect(page.get_by_role("button", name="Create project")).to_be_disabled()
    expect(page.get_by_text("Only administrators create projects on this instance.")
           ).to_be_visible()
    page.context.close()


def test_restricted_an_admin_still_does(page: Page, restricted: None) -> None:
    page.goto("/")
    expect(page.get_by_role("link", name="New project")).to_be_visible()
