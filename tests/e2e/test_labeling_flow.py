"""Log in, create a project from a template, import by upload, label by keyboard, export."""

from __future__ import annotations

import json

import pytest
from playwright.sync_api import Page, expect

from .support import ADMIN, PASSWORD, Api, Server, screenshot

pytestmark = pytest.mark.e2e

TEXTS = [
    {"text": "I love this phone, the battery lasts for days!"},
    {"text": "Terrible service 😠 and the food was cold."},
]


def test_login_create_import_label_by_keyboard_export(
    browser, server: Server, api: Api, tmp_path
) -> None:
    context = browser.new_context(base_url=server.url, viewport={"width": 1400, "height": 900})
    page = context.new_page()
    page.goto("/")
    page.fill("input[name=username]", ADMIN)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    expect(page.get_by_role("heading", name="Projects")).to_be_visible()

    page.get_by_role("link", name="New project").click()
    page.click("[data-template=sentiment]")
    expect(page.locator(".schema-state[data-valid=true]")).to_be_visible()
    page.fill("input[name=name]", "Reviews e2e")
    page.get_by_role("button", name="Create project").click()
    page.wait_for_url("**/projects/*/import")
    project_id = int(page.url.split("/projects/")[1].split("/")[0])

    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"text": "fine"}\n{"text": 5}\n', encoding="utf-8")
    page.set_input_files("[data-testid=import-files]", str(bad))
    expect(page.locator(".error")).to_contain_text("record 2")
    good = tmp_path / "reviews.jsonl"
    good.write_text(
        "".join(json.dumps(t, ensure_ascii=False) + "\n" for t in TEXTS), encoding="utf-8"
    )
    page.set_input_files("[data-testid=import-files]", str(good))
    expect(page.locator("[data-imported]")).to_have_attribute("data-imported", "2")
    screenshot(page, "import")

    page.get_by_role("link", name="Label tasks").click()
    first = page.locator(".workbench")
    expect(first).to_be_visible()
    first_id = first.get_attribute("data-task-id")
    expect(page.locator("html[data-hotkeys=on]")).to_have_count(1)  # keys reach the actions
    page.keyboard.press("1")  # Positive
    expect(page.locator("[data-label=Positive][aria-pressed=true]")).to_be_visible()
    page.keyboard.press("Control+Enter")
    expect(page.locator(".workbench")).not_to_have_attribute("data-task-id", first_id or "")
    page.keyboard.press("3")  # Neutral, then change our mind: undo, redo, and pick Negative
    page.keyboard.press("Control+z")
    expect(page.locator("[data-label=Neutral][aria-pressed=true]")).to_have_count(0)
    page.keyboard.press("Control+Shift+z")
    expect(page.locator("[data-label=Neutral][aria-pressed=true]")).to_be_visible()
    page.keyboard.press("2")
    page.keyboard.press("Control+Enter")
    expect(page.locator("[data-queue=empty]")).to_be_visible()

    out = page.request.get(f"/api/projects/{project_id}/export?format=json")
    assert out.ok
    exported = out.json()
    choices = sorted(
        a["result"][0]["value"]["choices"][0] for t in exported for a in t["annotations"]
    )
    assert choices == ["Negative", "Positive"]

    page.goto(f"/projects/{project_id}")
    expect(page.locator(".dm-row[data-task]")).to_have_count(2)
    expect(page.locator(".dm-row .status.completed")).to_have_count(2)
    page.goto("/")
    expect(page.locator(f"[data-project='{project_id}']")).to_contain_text("2 / 2 done")
    context.close()


def test_help_overlay_lists_shortcuts_and_remaps(page: Page, api: Api) -> None:
    project_id = api.project("Help e2e", "sentiment")
    api.upload(project_id, "one.jsonl", b'{"text": "remap me"}\n')
    page.goto(f"/projects/{project_id}/label")
    expect(page.locator(".workbench")).to_be_visible()
    expect(page.locator("html[data-hotkeys=on]")).to_have_count(1)  # keys reach the actions
    page.keyboard.press("?")
    dialog = page.get_by_role("dialog", name="Keyboard shortcuts")
    expect(dialog.locator("[data-action=submit]")).to_contain_text("Ctrl+Enter")
    expect(dialog.locator("[data-action='label:sentiment:Positive']")).to_contain_text("1")
    dialog.locator("[data-action='label:sentiment:Positive'] button").click()
    page.keyboard.press("q")
    expect(dialog.locator("[data-action='label:sentiment:Positive']")).to_contain_text("Q")
    dialog.get_by_role("button", name="Close").click()
    page.keyboard.press("q")
    expect(page.locator("[data-label=Positive][aria-pressed=true]")).to_be_visible()
    page.reload()
    expect(page.locator("[data-label=Positive] kbd")).to_have_text("Q")
    page.evaluate("localStorage.removeItem('postil.keymap')")
