"""The data manager's count follows the status filter and the search, an empty result says so,
skipped tasks show and filter as skipped; "All done" waits for the skipped tasks too."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from .support import Api, screenshot

pytestmark = pytest.mark.e2e

TEXTS = ["the red apple", "a green pear", "the red car", "a blue sky", "the red sun"]


def _project(api: Api) -> tuple[int, list[int]]:
    pid = api.project("Data manager e2e", "sentiment")
    api.upload(pid, "texts.jsonl", "".join(f'{{"text": "{t}"}}\n' for t in TEXTS).encode())
    ids = [t["id"] for t in api.get(f"/api/projects/{pid}/tasks")["items"]]
    return pid, ids


def test_count_follows_filters_and_skipped_tasks_show(page: Page, api: Api) -> None:
    pid, ids = _project(api)
    for task_id in ids[:2]:
        api.post(f"/api/tasks/{task_id}/skip")
    api.post(f"/api/tasks/{ids[4]}/annotations", json={"result": [
        {"id": "r", "control": "sentiment", "object": "text", "type": "choices",
         "value": {"choices": ["Positive"]}}]})
    page.goto(f"/projects/{pid}")
    foot = page.locator(".dm-foot")
    expect(foot).to_contain_text("5 tasks")
    expect(page.locator(f".dm-row[data-task='{ids[0]}'] .td.status")).to_have_text("skipped")
    expect(page.locator(f".dm-row[data-task='{ids[2]}'] .td.status")).to_have_text("unlabeled")

    page.get_by_label("Status filter").select_option("skipped")
    expect(page.locator(".dm-row[data-task]")).to_have_count(2)
    expect(foot).to_contain_text("2 of 5 tasks match")
    page.get_by_label("Search").fill("red")
    expect(page.locator(".dm-row[data-task]")).to_have_count(1)
    expect(foot).to_contain_text("1 of 5 tasks match")
    screenshot(page, "data-manager-skipped")
    page.get_by_label("Search").fill("purple")
    expect(page.locator(".dm-empty")).to_contain_text("No task matches this filter and search.")
    expect(foot).to_contain_text("0 of 5 tasks match")
    expect(page.locator(".dm-row")).to_have_count(0)  # no placeholder rows either
    page.get_by_role("button", name="Show all tasks").click()
    expect(page.locator(".dm-row[data-task]")).to_have_count(5)
    expect(page.get_by_label("Search")).to_have_value("")
    expect(foot).to_contain_text("5 tasks")


def test_all_done_only_once_skipped_tasks_are_answered(page: Page, api: Api) -> None:
    pid, ids = _project(api)
    api.post(f"/api/tasks/{ids[0]}/skip")
    for task_id in ids[1:]:
        api.post(f"/api/tasks/{task_id}/annotations", json={"result": [
            {"id": "r", "control": "sentiment", "object": "text", "type": "choices",
             "value": {"choices": ["Positive"]}}]})
    page.goto(f"/projects/{pid}/label")
    card = page.locator("[data-queue=skipped]")
    expect(card).to_contain_text("You skipped 1 task")
    expect(page.locator("[data-queue=empty]")).to_have_count(0)
    card.get_by_role("link", name="Label a skipped task").click()
    expect(page.locator(f".workbench[data-task-id='{ids[0]}']")).to_be_visible()
    expect(page.locator("html[data-hotkeys=on]")).to_have_count(1)
    page.keyboard.press("1")
    page.keyboard.press("Control+Enter")
    expect(page.locator("[data-queue=empty]")).to_contain_text("All done")
