"""Helpers for the browser tests: an API client to set up and check, screenshots, demo media."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
from playwright.sync_api import Page

ROOT = Path(__file__).resolve().parents[2]
ADMIN, PASSWORD = "admin", "password123"
SCREENSHOTS = ROOT / "docs" / "img"


@dataclass
class Server:
    url: str
    data_dir: Path

    def api(self) -> Api:
        return Api(self.url)


class Api:
    """A logged-in HTTP client for setting up and checking what the browser did."""

    def __init__(self, url: str, username: str = ADMIN, password: str = PASSWORD) -> None:
        self.http = httpx.Client(base_url=url, timeout=30)
        out = self.http.post("/api/auth/login", json={"username": username, "password": password})
        out.raise_for_status()
        self.http.headers["X-CSRF-Token"] = out.json()["csrf_token"]

    def get(self, path: str, **kw: Any) -> Any:
        r = self.http.get(path, **kw)
        r.raise_for_status()
        return r.json() if r.content else None

    def post(self, path: str, **kw: Any) -> Any:
        r = self.http.post(path, **kw)
        r.raise_for_status()
        return r.json() if r.content else None

    def project(self, name: str, template: str) -> int:
        return int(self.post("/api/projects", json={"name": name, "template": template})["id"])

    def upload(self, project_id: int, name: str, content: bytes) -> Any:
        return self.post(f"/api/projects/{project_id}/imports", files=[("files", (name, content))])

    def close(self) -> None:
        self.http.close()


def screenshot(page: Page, name: str) -> None:
    """Writes docs/img/<name>.png only with POSTIL_SCREENSHOTS=1, so normal runs keep the tree."""
    if os.environ.get("POSTIL_SCREENSHOTS") == "1":
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / f"{name}.png"))


def demo_wav() -> bytes:
    return (ROOT / "src" / "postil" / "demo" / "turn_on_the_lights.wav").read_bytes()


# Client coordinates of a UTF-16 offset inside the rendered text (segments carry data-s).
_POINT_JS = """([selector, offset, side]) => {
  const root = document.querySelector(selector);
  const segs = [...root.querySelectorAll('[data-s]')];
  let seg = segs[0];
  for (const s of segs) { if (Number(s.dataset.s) <= offset) seg = s; else break; }
  const node = seg.firstChild;
  const at = offset - Number(seg.dataset.s);
  const range = document.createRange();
  range.setStart(node, Math.max(0, side === 'end' ? at - 1 : at));
  range.setEnd(node, Math.min(node.length, side === 'end' ? at : at + 1));
  const r = range.getBoundingClientRect();
  return side === 'end' ? [r.right - 1, r.top + r.height / 2] : [r.left + 1, r.top + r.height / 2];
}"""


def drag_select_text(page: Page, start: int, end: int, selector: str = ".textview") -> None:
    """Selects [start, end) (UTF-16 offsets, as the browser counts) with a real mouse drag."""
    x1, y1 = page.evaluate(_POINT_JS, [selector, start, "start"])
    x2, y2 = page.evaluate(_POINT_JS, [selector, end, "end"])
    page.mouse.move(x1, y1)
    page.mouse.down()
    page.mouse.move((x1 + x2) / 2, (y1 + y2) / 2, steps=4)
    page.mouse.move(x2, y2, steps=4)
    page.mouse.up()


def utf16_index(text: str, sub: str) -> int:
    """Where `sub` starts in `text`, counted in UTF-16 units like a browser."""
    return len(text[: text.index(sub)].encode("utf-16-le")) // 2
