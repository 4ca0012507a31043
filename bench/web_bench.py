"""Web app benchmarks in headless Chromium: big text, data manager, next task, long audio.

    python bench/web_bench.py [--tasks 100000] [--audio-minutes 60]

Needs the built web app (`make web`). Prints one line per figure. Generated data, 127.0.0.1 only.
"""

from __future__ import annotations

import argparse
import io
import math
import random
import struct
import sys
import tempfile
import time
import wave
from pathlib import Path

import httpx
import orjson
from playwright.sync_api import Page, sync_playwright

sys.path.insert(0, str(Path(__file__).resolve().parent))
from harness import ADMIN, PASSWORD, Server, env_for, figure, median, postil, text_tasks  # noqa: E402

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
WORDS = (
    "alpha",
    "beta",
    "gamma",
    "delta",
    "epsilon",
    "zeta",
    "eta",
    "theta",
    "iota",
    "kappa",
    "lambda",
    "mu",
    "nu",
    "xi",
    "omicron",
)


def session(base: str) -> httpx.Client:
    http = httpx.Client(base_url=base, timeout=600)
    out = http.post("/api/auth/login", json={"username": ADMIN, "password": PASSWORD})
    out.raise_for_status()
    http.headers["X-CSRF-Token"] = out.json()["csrf_token"]
    return http


def big_text(chars: int) -> str:
    rng = random.Random(7)
    parts: list[str] = []
    size = 0
    while size < chars:
        word = rng.choice(WORDS) + (" 😀 " if rng.random() < 0.01 else " ")
        if rng.random() < 0.012:  # paragraphs of about 600 characters, as in real documents
            word += "\n"
        parts.append(word)
        size += len(word)
    return "".join(parts)[:chars]


def bench_text(page: Page, http: httpx.Client) -> None:
    pid = http.post(
        "/api/projects", json={"name": "bench text", "template": "named_entities"}
    ).json()["id"]
    text = big_text(100_000)
    http.post(
        f"/api/projects/{pid}/imports?filename=t.jsonl",
        content=orjson.dumps({"text": text}) + b"\n",
    ).raise_for_status()
    task = http.get(f"/api/projects/{pid}/tasks").json()["items"][0]["id"]
    step = len(text) // 2000
    spans = [
        {
            "id": f"s{i}",
            "control": "entities",
            "object": "text",
            "type": "span",
            "value": {"start": i * step, "end": i * step + 8, "labels": ["PER"]},
        }
        for i in range(2000)
    ]
    http.put(f"/api/tasks/{task}/draft", json={"result": spans}).raise_for_status()
    t0 = time.perf_counter()
    page.goto(f"/projects/{pid}/label?task={task}")
    page.wait_for_function(
        "() => document.querySelectorAll('.textview [data-tag-for]').length === 2000",
        timeout=60_000,
    )
    figure("text 100k chars + 2000 spans: open", (time.perf_counter() - t0) * 1000, "ms")
    page.locator(".textview").focus()
    times = []
    for i in range(5):
        page.keyboard.press("Home")
        for _ in range(3 + i):
            page.keyboard.press("Control+ArrowRight")
        page.keyboard.press("Control+Shift+ArrowRight")
        times.append(
            page.evaluate("""() => new Promise((resolve) => {
          const count = () => document.querySelectorAll('.textview [data-tag-for]').length;
          const before = count();
          const t0 = performance.now();
          const key = new KeyboardEvent('keydown', {key: 'o', bubbles: true});
          document.activeElement.dispatchEvent(key);
          const check = () => (count() > before
            ? resolve(performance.now() - t0) : requestAnimationFrame(check));
          check();
        })""")
        )
    figure(
        "text: add a span (key to DOM)",
        median(times),
        "ms",
        f"median of {len(times)}, max {max(times):.1f}",
    )


def bench_data_manager(page: Page, http: httpx.Client, tasks: int, workdir: Path) -> None:
    pid = http.post("/api/projects", json={"name": "bench dm", "template": "sentiment"}).json()[
        "id"
    ]
    path = text_tasks(workdir / "tasks.jsonl", tasks)
    with path.open("rb") as body:
        http.post(
            f"/api/projects/{pid}/imports?filename=tasks.jsonl", content=body
        ).raise_for_status()
    # As bench/run.py: the list is measured once the background search index has caught up
    # with the import (while it works, it shares the two cores and pages take about 2x).
    t0 = time.perf_counter()
    http.get(f"/api/projects/{pid}/tasks", params={"q": "warmup"}).raise_for_status()
    figure("search index catch-up", time.perf_counter() - t0, "s", f"{tasks:,} new tasks")
    t0 = time.perf_counter()
    page.goto(f"/projects/{pid}")
    page.wait_for_selector(".dm-row[data-task]")
    figure("data manager: first rows", (time.perf_counter() - t0) * 1000, "ms", f"{tasks:,} tasks")
    first_fetch = float(page.locator(".datamanager").get_attribute("data-first-ms") or 0)
    figure("data manager: first page fetch", first_fetch, "ms", f"{tasks:,} tasks")
    pages = []
    for i in range(1, 11):
        target = i * 200
        page.evaluate(f"document.querySelector('.vrows').scrollTop = {target} * 44")
        page.wait_for_function(
            f"() => Number(document.querySelector('.datamanager').dataset.loaded) > {target + 20}"
        )
        pages.append(float(page.locator(".datamanager").get_attribute("data-last-ms") or 0))
    figure(
        "data manager: further page (fetch)",
        median(pages),
        "ms",
        f"median of {len(pages)}, max {max(pages):.1f}, scrolls of 200 rows (pages of 200-1,000)",
    )


def bench_next_task(page: Page, http: httpx.Client) -> None:
    pid = http.post("/api/projects", json={"name": "bench next", "template": "sentiment"}).json()[
        "id"
    ]
    body = b"".join(b'{"text": "task %d"}\n' % i for i in range(30))
    http.post(f"/api/projects/{pid}/imports?filename=t.jsonl", content=body).raise_for_status()
    page.goto(f"/projects/{pid}/label")
    page.wait_for_selector(".workbench")
    times = []
    for _ in range(15):
        page.keyboard.press("1")
        times.append(
            page.evaluate("""() => new Promise((resolve) => {
          const id = () => document.querySelector('.workbench')?.dataset.taskId;
          const before = id();
          const t0 = performance.now();
          window.dispatchEvent(new KeyboardEvent('keydown', {key: 'Enter', ctrlKey: true}));
          const check = () => (id() && id() !== before
            ? resolve(performance.now() - t0) : requestAnimationFrame(check));
          check();
        })""")
        )
    figure(
        "next task after submit",
        median(times),
        "ms",
        f"median of {len(times)}, max {max(times):.1f}",
    )


def wav_bytes(minutes: float, rate: int = 16_000) -> bytes:
    frames = int(minutes * 60 * rate)
    chunk = b"".join(
        struct.pack("<h", int(8000 * math.sin(i / 7) * (1 + math.sin(i / 9000)) / 2))
        for i in range(rate)
    )
    buf = io.BytesIO()
    with wave.open(buf, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(rate)
        for _ in range(frames // rate):
            w.writeframes(chunk)
    return buf.getvalue()


def bench_audio(page: Page, http: httpx.Client, minutes: float) -> None:
    pid = http.post(
        "/api/projects", json={"name": "bench audio", "template": "audio_segmentation_transcripts"}
    ).json()["id"]
    http.post(
        f"/api/projects/{pid}/imports?filename=long.wav", content=wav_bytes(minutes)
    ).raise_for_status()
    t0 = time.perf_counter()
    page.goto(f"/projects/{pid}/label")
    page.wait_for_selector(".audioview[data-ready=true]", timeout=120_000)
    figure(
        "audio: open with waveform",
        (time.perf_counter() - t0) * 1000,
        "ms",
        f"{minutes:g} min WAV 16 kHz",
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "--tasks", type=int, default=100_000, help="tasks in the data manager project"
    )
    parser.add_argument("--audio-minutes", type=float, default=60)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        env = env_for(workdir / "data", None)
        postil("user", "create", ADMIN, "--admin", "--password", PASSWORD, env=env)
        server = Server(env)
        try:
            http = session(server.base)
            with sync_playwright() as pw:
                browser = pw.chromium.launch(
                    executable_path="/usr/bin/chromium", headless=True, args=CHROMIUM_ARGS
                )
                context = browser.new_context(
                    base_url=server.base, viewport={"width": 1400, "height": 900}
                )
                context.request.post(
                    "/api/auth/login", data={"username": ADMIN, "password": PASSWORD}
                )
                page = context.new_page()
                bench_text(page, http)
                bench_next_task(page, http)
                bench_audio(page, http, args.audio_minutes)
                bench_data_manager(page, http, args.tasks, workdir)
                browser.close()
        finally:
            server.stop()


if __name__ == "__main__":
    main()
