"""Audio segments with a transcript, and drafts that survive closing the tab."""

from __future__ import annotations

import time

import pytest
from playwright.sync_api import Browser, Page, expect

from .support import Api, Server, demo_wav, screenshot

pytestmark = pytest.mark.e2e


def test_audio_segment_with_transcript(page: Page, api: Api) -> None:
    project_id = api.project("Audio e2e", "audio_segmentation_transcripts")
    api.upload(project_id, "turn_on_the_lights.wav", demo_wav())
    page.goto(f"/projects/{project_id}/label")
    expect(page.locator(".audioview[data-ready=true]")).to_be_visible(timeout=15_000)
    box = page.locator(".waveform").bounding_box()
    assert box
    y = box["y"] + 50
    page.mouse.move(box["x"] + box["width"] * 0.2, y)
    page.mouse.down()
    page.mouse.move(box["x"] + box["width"] * 0.4, y, steps=5)
    page.mouse.move(box["x"] + box["width"] * 0.6, y, steps=5)
    page.mouse.up()
    expect(page.locator(".region-list li")).to_have_count(1)
    page.keyboard.press("2")  # Speaker 2 for the selected segment
    expect(page.locator(".region-list li strong")).to_have_text("Speaker 2")
    page.locator("textarea[data-transcript-for]").fill("turn on the lights")
    screenshot(page, "labeling-audio")
    page.keyboard.press("Control+Enter")
    expect(page.locator("[data-queue=empty]")).to_be_visible()

    task_id = api.get(f"/api/projects/{project_id}/tasks")["items"][0]["id"]
    result = api.get(f"/api/tasks/{task_id}/annotations")[0]["result"]
    segment = next(r for r in result if r["type"] == "segment")
    transcript = next(r for r in result if r["type"] == "textarea")
    assert segment["value"]["labels"] == ["Speaker 2"]
    assert 0 <= segment["value"]["start"] < segment["value"]["end"]
    assert transcript["parent_id"] == segment["id"]
    assert transcript["value"]["text"] == ["turn on the lights"]

    page.reload()
    page.goto(f"/projects/{project_id}/mine")
    page.get_by_role("link", name="Reopen").click()
    expect(page.locator(".region-list li")).to_have_count(1)
    page.locator(".region-list li button").first.click()
    expect(page.locator("textarea[data-transcript-for]")).to_have_value("turn on the lights")

    exported = page.request.get(f"/api/projects/{project_id}/export?format=json").json()
    assert any(r["type"] == "segment" for r in exported[0]["annotations"][0]["result"])


def test_draft_survives_closing_the_tab(browser: Browser, server: Server, api: Api) -> None:
    project_id = api.project("Drafts e2e", "text_classification")
    api.upload(project_id, "t.jsonl", b'{"text": "A match report about football and markets."}\n')

    def open_page() -> Page:
        context = browser.new_context(base_url=server.url)
        context.request.post(
            "/api/auth/login", data={"username": "admin", "password": "password123"}
        )
        pg = context.new_page()
        pg.goto(f"/projects/{project_id}/label")
        expect(pg.locator(".workbench")).to_be_visible()
        return pg

    first = open_page()
    task_id = first.locator(".workbench").get_attribute("data-task-id")
    first.keyboard.press("2")  # Business
    first.keyboard.press("3")  # Sports
    expect(first.locator("[data-label=Sports][aria-pressed=true]")).to_be_visible()
    # close at once: the draft goes out on pagehide with fetch keepalive
    first.close(run_before_unload=True)
    first.context.close()

    draft = None
    for _ in range(50):
        draft = api.get(f"/api/tasks/{task_id}/draft")
        if draft:
            break
        time.sleep(0.1)
    assert draft, "the draft was not saved when the tab closed"
    assert draft["result"][0]["value"]["choices"] == ["Business", "Sports"]

    second = open_page()
    expect(second.locator("[data-label=Business][aria-pressed=true]")).to_be_visible()
    expect(second.locator("[data-label=Sports][aria-pressed=true]")).to_be_visible()
    expect(second.locator(".task-head .badge", has_text="draft")).to_be_visible()
    second.context.close()
