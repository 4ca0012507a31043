"""Dialogs take focus, keep Tab inside, close with Escape (focus back to the opener) and the
shortcuts one toggles with `?`; label buttons with 200-character names stay on screen."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Page, expect

from .support import Api

pytestmark = pytest.mark.e2e

LONG = "A very long label name " * 8 + "that ends here"  # 198 characters
SCHEMA = {"objects": [{"name": "text", "type": "text"}], "controls": [
    {"name": "topic", "type": "choices", "to": "text",
     "labels": ["Sports", LONG[:200], "Business", "Science"]}]}

_FOCUS_IN_DIALOG = "() => !!document.activeElement?.closest('dialog[open]')"


def _labeling(page: Page, api: Api, name: str) -> None:
    pid = int(api.post("/api/projects", json={"name": name, "schema": SCHEMA})["id"])
    api.upload(pid, "one.jsonl", b'{"text": "a text to label"}\n')
    page.goto(f"/projects/{pid}/label")
    expect(page.locator("html[data-hotkeys=on]")).to_have_count(1)


def test_shortcuts_dialog_takes_focus_traps_tab_and_closes(page: Page, api: Api) -> None:
    _labeling(page, api, "Dialog e2e")
    opener = page.get_by_role("button", name="Shortcuts")
    opener.click()
    dialog = page.get_by_role("dialog", name="Keyboard shortcuts")
    expect(dialog).to_be_visible()
    expect(dialog.get_by_role("button", name="Close")).to_be_focused()
    buttons = dialog.locator("button:visible").count()
    for _ in range(buttons + 2):  # round the dialog and past its end: focus never leaves it
        page.keyboard.press("Tab")
        assert page.evaluate(_FOCUS_IN_DIALOG)
    page.keyboard.press("Shift+Tab")
    assert page.evaluate(_FOCUS_IN_DIALOG)
    keycap = dialog.locator("[data-action=submit] button")
    keycap.click()
    expect(keycap).to_have_text("press a key…")
    page.keyboard.press("Escape")  # gives up remapping; the dialog stays
    expect(keycap).to_have_text("Ctrl+Enter")
    expect(dialog).to_be_visible()
    page.keyboard.press("Escape")
    expect(dialog).to_have_count(0)
    expect(opener).to_be_focused()
    page.keyboard.press("?")
    expect(dialog).to_be_visible()
    page.keyboard.press("?")
    expect(dialog).to_have_count(0)


def _box(page: Page, selector: str) -> dict[str, Any]:
    box = page.locator(selector).bounding_box()
    assert box is not None, selector
    return dict(box)


def test_long_label_names_are_cut_with_the_full_name_on_hover(page: Page, api: Api) -> None:
    page.set_viewport_size({"width": 1000, "height": 800})
    _labeling(page, api, "Long labels e2e")
    panel = _box(page, "[data-control=topic]")
    heights = set()
    for label in ("Sports", LONG, "Business", "Science"):
        button = page.locator(f"[data-control=topic] button[data-label='{label}']")
        expect(button).to_be_visible()
        box = button.bounding_box()
        assert box is not None
        assert panel["x"] <= box["x"] and box["x"] + box["width"] <= panel["x"] + panel["width"]
        assert box["x"] + box["width"] <= 1000
        heights.add(round(box["height"]))
    assert len(heights) == 1  # one line each: the long name does not wrap either
    long = page.locator(f"button[data-label='{LONG}']")
    expect(long).to_have_attribute("title", LONG)
    cut = long.locator(".label-name").evaluate("el => el.scrollWidth > el.clientWidth")
    assert cut
    assert long.evaluate("el => getComputedStyle(el.querySelector('.label-name')).textOverflow") \
        == "ellipsis"
