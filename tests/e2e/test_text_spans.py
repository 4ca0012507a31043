"""Text spans on a text with emoji: mouse and keyboard selection, relations, code-point offsets."""

from __future__ import annotations

import json

import pytest
from playwright.sync_api import Page, expect

from .support import Api, drag_select_text, screenshot, utf16_index

pytestmark = pytest.mark.e2e

TEXT = "💩 This is an annotation: Marie Curie worked at the University of Paris. 👨🏻‍🚒 Ada"


def _open(page: Page, api: Api, template: str) -> tuple[int, int]:
    project_id = api.project(f"Spans {template}", template)
    record = json.dumps({"text": TEXT}, ensure_ascii=False).encode()
    api.upload(project_id, "texts.jsonl", record + b"\n")
    page.goto(f"/projects/{project_id}/label")
    expect(page.locator(".textview")).to_be_visible()
    expect(page.locator("html[data-hotkeys=on]")).to_have_count(1)  # keys reach the actions
    return project_id, int(page.locator(".workbench").get_attribute("data-task-id") or 0)


def test_span_offsets_are_code_points(page: Page, api: Api) -> None:
    project_id, task_id = _open(page, api, "named_entities")
    start = utf16_index(TEXT, "Marie Curie")
    drag_select_text(page, start, start + len("Marie Curie"))
    page.keyboard.press("p")
    expect(page.locator(".region-list li")).to_have_count(1)
    # keyboard selection: Ctrl+Right jumps words, Shift extends
    page.locator(".textview").focus()
    for key in ("Home", "Control+ArrowRight", "Control+ArrowLeft", "Control+Shift+ArrowRight"):
        page.keyboard.press(key)
    page.keyboard.press("m")
    expect(page.locator(".region-list li")).to_have_count(2)
    # the astral-heavy name at the end, overlapping nothing
    ada = utf16_index(TEXT, "Ada")
    drag_select_text(page, ada, ada + 3)
    page.keyboard.press("p")
    expect(page.locator(".region-list li")).to_have_count(3)
    screenshot(page, "labeling-text")
    page.keyboard.press("Control+Enter")
    expect(page.locator("[data-queue=empty]")).to_be_visible()

    annotations = api.get(f"/api/tasks/{task_id}/annotations")
    spans = {r["value"]["text"]: r["value"] for r in annotations[0]["result"]}
    marie = spans["Marie Curie"]
    assert (marie["start"], marie["end"]) == (
        TEXT.index("Marie Curie"),
        TEXT.index("Marie Curie") + 11,
    )
    assert marie["labels"] == ["PER"]
    assert spans["This"]["start"] == TEXT.index("This") == 2
    assert spans["This"]["labels"] == ["MISC"]
    assert TEXT[spans["Ada"]["start"] : spans["Ada"]["end"]] == "Ada"

    # reopen from "My annotations": the spans come back at the same characters
    page.goto(f"/projects/{project_id}/mine")
    page.get_by_role("link", name="Reopen").click()
    expect(page.locator(".region-list li")).to_have_count(3)
    expect(page.locator(".textview .mark", has_text="Marie Curie")).to_have_count(1)


def test_relation_between_spans(page: Page, api: Api) -> None:
    _, task_id = _open(page, api, "relation_extraction")
    for word, key in (("Marie Curie", "p"), ("University of Paris", "o")):
        start = utf16_index(TEXT, word)
        drag_select_text(page, start, start + len(word))
        page.keyboard.press(key)
    expect(page.locator(".region-list li")).to_have_count(2)
    page.keyboard.press("Tab")  # first region in reading order: Marie Curie
    page.keyboard.press("Alt+r")
    page.locator(".textview .mark", has_text="University of Paris").click()
    expect(page.locator(".relations g.relation")).to_have_count(1)
    screenshot(page, "labeling-relations")
    page.get_by_role("button", name="Direction: right").click()
    page.keyboard.press("Control+Enter")
    expect(page.locator("[data-queue=empty]")).to_be_visible()
    result = api.get(f"/api/tasks/{task_id}/annotations")[0]["result"]
    by_id = {r["id"]: r for r in result}
    rel = next(r for r in result if r["type"] == "relation")
    assert by_id[rel["value"]["from_id"]]["value"]["text"] == "Marie Curie"
    assert by_id[rel["value"]["to_id"]]["value"]["text"] == "University of Paris"
    assert rel["value"]["direction"] == "left"
    assert rel["value"]["labels"] == ["works_for"]


def test_guidelines_are_markdown_one_key_away_and_never_html(page: Page, api: Api) -> None:
    schema = {"guidelines": "# How to label\nMark **people** only. <img src=x onerror=alert(1)>"
                            " See [the spec](https://example.org/spec).",
              "objects": [{"name": "text", "type": "text"}],
              "controls": [{"name": "entities", "type": "span", "to": ["text"],
                            "labels": [{"value": "PER", "hotkey": "p",
                                        "guideline": "A *person*, not a title"}]}]}
    project_id = api.post("/api/projects", json={"name": "Guided", "schema": schema})["id"]
    api.upload(project_id, "texts.jsonl", b'{"text": "Ada wrote programs."}\n')
    page.goto(f"/projects/{project_id}/label")
    expect(page.locator(".textview")).to_be_visible()
    expect(page.locator("html[data-hotkeys=on]")).to_have_count(1)  # keys reach the actions
    page.keyboard.press("F1")
    panel = page.get_by_label("Guidelines")
    expect(panel.get_by_role("heading", name="How to label")).to_be_visible()
    expect(panel.locator("strong", has_text="people")).to_be_visible()
    expect(panel.locator("em", has_text="person")).to_be_visible()
    expect(panel.get_by_role("link", name="the spec")).to_have_attribute(
        "href", "https://example.org/spec")
    expect(panel.locator("img")).to_have_count(0)  # raw HTML is dropped, not rendered
