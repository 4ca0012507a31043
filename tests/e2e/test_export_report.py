"""Export from the project page: the file downloads and what the format left out is listed."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from .support import Api

pytestmark = pytest.mark.e2e


def test_csv_export_downloads_and_lists_what_it_left_out(page: Page, api: Api) -> None:
    project_id = api.project("Export report", "named_entities")
    rows = [{"text": "Ada"}, {"text": "Bob", "ключ": "значение"}]
    api.upload(project_id, "t.jsonl", "\n".join(json.dumps(r) for r in rows).encode())
    first, second = [t["id"] for t in api.get(f"/api/projects/{project_id}/tasks")["items"]]
    span = {"id": "s1", "control": "entities", "object": "text", "type": "span",
            "value": {"start": 0, "end": 3, "text": "Ada", "labels": ["PER"]}}
    api.post(f"/api/tasks/{first}/annotations", json={"result": [span]})

    page.goto(f"/projects/{project_id}")
    page.get_by_label("Export format").select_option("csv")
    with page.expect_download() as download:
        page.get_by_role("button", name="Export").click()
    assert download.value.suggested_filename == f"project-{project_id}.csv"
    body = Path(download.value.path()).read_text(encoding="utf-8")
    ada, bob = csv.DictReader(io.StringIO(body))
    assert [s["value"] for s in json.loads(ada["entities"])] == [span["value"]]
    assert (bob["text"], bob["entities"]) == ("Bob", "")
    report = page.get_by_test_id("export-report")
    expect(report).to_contain_text(
        "Exported 2 tasks as CSV; 1 thing CSV cannot carry was left out:")
    expect(report.locator("li")).to_have_text(
        [f"Task {second}: data field 'ключ' is not a column of this CSV"])

    page.get_by_label("Export format").select_option("json")
    with page.expect_download():
        page.get_by_role("button", name="Export").click()
    done = page.get_by_test_id("export-done")
    expect(done).to_have_text("Exported 2 tasks as Postil JSON. Close")
    expect(page.get_by_test_id("export-report")).to_have_count(0)
