"""Server benchmarks: import, queue latency under concurrency, task list, export, memory.

    python bench/run.py --db sqlite --tasks 1000000

Prints one line per figure. Generated data, bounded loops, 127.0.0.1 only.
"""

from __future__ import annotations

import argparse
import http.client
import multiprocessing
import sys
import time
from pathlib import Path

import httpx
import orjson

sys.path.insert(0, str(Path(__file__).resolve().parent))
from harness import (  # noqa: E402
    ADMIN,
    PASSWORD,
    Server,
    database,
    env_for,
    figure,
    fresh_dir,
    machine_speed,
    median,
    percentile,
    postil,
    text_tasks,
)

WORK = Path("/tmp/postil-bench")


def token_for(base: str, username: str, password: str) -> str:
    with httpx.Client(base_url=base, timeout=30) as c:
        login = c.post("/api/auth/login", json={"username": username, "password": password})
        login.raise_for_status()
        made = c.post("/api/auth/tokens", json={"name": "bench"},
                      headers={"X-CSRF-Token": login.json()["csrf_token"]})
        made.raise_for_status()
        return str(made.json()["token"])


def bench_import(server: Server, admin: httpx.Client, count: int, data: Path) -> int:
    project = admin.post("/api/projects", json={"name": f"import {count}",
                                                "template": "sentiment", "overlap": 1})
    project_id = int(project.json()["id"])
    start = time.perf_counter()
    with data.open("rb") as body:
        reply = admin.post(f"/api/projects/{project_id}/imports", params={"filename": data.name},
                           content=body, headers={"Content-Type": "application/x-ndjson"})
    seconds = time.perf_counter() - start
    reply.raise_for_status()
    assert reply.json()["imported"] == count, reply.text
    figure(f"import {count:,} text tasks", seconds, "s", "HTTP upload of JSONL, all-or-nothing")
    return project_id


def annotate(port: int, token: str, project_id: int, rounds: int) -> list[float]:
    """One annotator's loop (a process of its own): next task, submit, repeat.

    The standard library's client on one keep-alive connection: httpx costs the client
    about 1.3 ms of CPU a request on this machine (0.3 ms here), CPU the server shares.
    """
    body = orjson.dumps({"lead_time": 1.0, "result": [
        {"id": "s", "control": "sentiment", "object": "text", "type": "choices",
         "value": {"choices": ["Positive"]}}]})
    headers = {"Authorization": f"Token {token}", "Content-Type": "application/json"}
    latencies: list[float] = []
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        for _ in range(rounds):
            start = time.perf_counter()
            conn.request("GET", f"/api/projects/{project_id}/next", headers=headers)
            task = conn.getresponse()
            payload = task.read()
            if task.status == 204:
                break
            if task.status != 200:
                raise RuntimeError(f"next: {task.status} {payload[:200]!r}")
            task_id = orjson.loads(payload)["id"]
            conn.request("POST", f"/api/tasks/{task_id}/annotations", body=body,
                         headers=headers)
            sent = conn.getresponse()
            answer = sent.read()
            if sent.status != 201:
                raise RuntimeError(f"submit: {sent.status} {answer[:200]!r}")
            latencies.append(time.perf_counter() - start)
    finally:
        conn.close()
    return latencies


def bench_queue(server: Server, admin: httpx.Client, project_id: int, annotators: int,
                rounds: int) -> None:
    tokens = []
    for i in range(annotators):
        name = f"annotator{i}"
        postil("user", "create", name, "--password", PASSWORD, env=server.env)
        admin.put(f"/api/projects/{project_id}/members",
                  json={"username": name, "role": "annotator"}).raise_for_status()
        tokens.append(token_for(server.base, name, PASSWORD))
    with multiprocessing.Pool(annotators) as pool:
        start = time.perf_counter()
        runs = pool.starmap(annotate, [(server.port, t, project_id, rounds) for t in tokens])
        seconds = time.perf_counter() - start
    latencies = [x for run in runs for x in run]
    ms = [x * 1000 for x in latencies]
    note = f"{annotators} annotators, {len(ms)} submits"
    figure("next task + submit p50", percentile(ms, 0.5), "ms", note)
    figure("next task + submit p99", percentile(ms, 0.99), "ms", note)
    figure("annotations per second", len(ms) / seconds, "1/s", note)


def timed(client: httpx.Client, path: str, runs: int = 30) -> float:
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        client.get(path).raise_for_status()
        samples.append((time.perf_counter() - start) * 1000)
    return median(samples)


def bench_list(admin: httpx.Client, project_id: int, count: int) -> None:
    base = f"/api/projects/{project_id}/tasks?limit=100"
    note = f"{count:,} tasks, median of 30"
    figure("task list first page", timed(admin, base), "ms", note)
    figure("task list filtered (completed)", timed(admin, base + "&status=completed"), "ms", note)
    figure("task list filtered (incomplete)", timed(admin, base + "&status=incomplete"), "ms", note)
    figure("task list search, common word", timed(admin, base + "&q=fox"), "ms", note)
    figure("task list search, common prefix", timed(admin, base + "&q=fo*"), "ms", note)
    figure("task list search, rare words", timed(admin, base + "&q=order+999983"), "ms", note)
    cursor = admin.get(base).json()["next"]
    figure("task list next page", timed(admin, f"{base}&cursor={cursor}"), "ms", note)
    count = f"/api/projects/{project_id}/tasks/count"  # capped at 10,000 matches
    figure("task count filtered (unlabeled)", timed(admin, count + "?status=unlabeled"), "ms", note)
    figure("task count filtered (skipped)", timed(admin, count + "?status=skipped"), "ms", note)
    figure("task count search, common word", timed(admin, count + "?q=fox"), "ms", note)


def bench_export(admin: httpx.Client, project_id: int, count: int) -> None:
    samples = []
    for _ in range(3):
        start = time.perf_counter()
        reply = admin.get(f"/api/projects/{project_id}/export", params={"format": "json"})
        reply.raise_for_status()
        samples.append(time.perf_counter() - start)
    figure("JSON export", median(samples), "s", f"{count:,} tasks, median of 3")


def annotated_tasks(path: Path, count: int) -> Path:
    """A native JSON export-shaped file: every task with one annotation by the admin."""
    with path.open("wb") as out:
        for i in range(count):
            out.write(orjson.dumps({"data": {"text": f"Annotated review {i}, all good."},
                                    "annotations": [{"completed_by": ADMIN, "result": [
                                        {"id": "s", "control": "sentiment", "object": "text",
                                         "type": "choices", "value": {"choices": ["Positive"]}}
                                    ]}]}) + b"\n")
    return path


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("--tasks", type=int, default=1_000_000, help="size of the big project")
    parser.add_argument("--export-tasks", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=300, help="submits per annotator")
    parser.add_argument("--workers", type=int, default=1, help="API processes")
    args = parser.parse_args()
    work = fresh_dir(WORK / args.db)
    print(f"# postil bench on {args.db}, {args.workers} API process(es), "
          f"{time.strftime('%Y-%m-%d %H:%M')}", flush=True)
    figure("machine: Python loop of 10M adds", median([machine_speed() for _ in range(3)]), "s",
           "lower is a faster machine")
    with database(args.db, work) as url:
        env = env_for(work / "data", url)
        postil("user", "create", ADMIN, "--admin", "--password", PASSWORD, env=env)
        server = Server(env, args.workers)
        figure("server RSS at start", server.rss_mb(), "MB")
        try:
            with server.client(token_for(server.base, ADMIN, PASSWORD)) as admin:
                bench_import(server, admin, 100_000, text_tasks(work / "t100k.jsonl", 100_000))
                big = bench_import(server, admin, args.tasks,
                                   text_tasks(work / "big.jsonl", args.tasks))
                figure("server RSS after big import", server.rss_mb(), "MB",
                       f"{args.tasks:,} tasks")
                start = time.perf_counter()  # the first search waits for the index
                admin.get(f"/api/projects/{big}/tasks", params={"q": "warmup"}).raise_for_status()
                figure("search index catch-up", time.perf_counter() - start, "s",
                       "first search after the imports")
                bench_queue(server, admin, big, 4, args.rounds)
                bench_list(admin, big, args.tasks)
                project = admin.post("/api/projects", json={"name": "export",
                                                            "template": "sentiment"}).json()
                data = annotated_tasks(work / "annotated.jsonl", args.export_tasks)
                start = time.perf_counter()
                with data.open("rb") as body:
                    admin.post(f"/api/projects/{project['id']}/imports",
                               params={"filename": data.name}, content=body).raise_for_status()
                figure("import annotated tasks", time.perf_counter() - start, "s",
                       f"{args.export_tasks:,} tasks with one annotation each")
                bench_export(admin, project["id"], args.export_tasks)
                figure("server RSS at end", server.rss_mb(), "MB")
        finally:
            server.stop()


if __name__ == "__main__":
    main()
