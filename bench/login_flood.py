"""Login flood: one annotator's next+submit, idle and while 8 connections loop wrong passwords.

    python bench/login_flood.py --db sqlite
    python bench/login_flood.py --db postgres

Two servers in turn: the default one (failed logins throttled) and one started with
POSTIL_LOGIN_THROTTLE=false, where every wrong password runs argon2, which shows what the
password check outside the transaction does alone. For each: the annotator's p50/p99 idle,
then with the flood, and what the flood got back. 127.0.0.1 only, generated data.
"""

from __future__ import annotations

import argparse
import http.client
import multiprocessing
import sys
import time
from collections import Counter
from multiprocessing.synchronize import Event
from pathlib import Path

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
from run import annotate, token_for  # noqa: E402

WORK = Path("/tmp/postil-bench-login-flood")
ANNOTATOR, VICTIM = "annotator", "victim"


def flood(port: int, stop: Event) -> Counter[int]:
    """One connection looping wrong passwords for one account until `stop`; the statuses."""
    body = orjson.dumps({"username": VICTIM, "password": "wrong password"})
    headers = {"Content-Type": "application/json"}
    statuses: Counter[int] = Counter()
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        while not stop.is_set():
            conn.request("POST", "/api/auth/login", body=body, headers=headers)
            reply = conn.getresponse()
            reply.read()
            statuses[reply.status] += 1
    finally:
        conn.close()
    return statuses


def measure(server: Server, token: str, project_id: int, rounds: int, flooders: int) -> None:
    """The annotator's loop, alone (flooders=0) or beside `flooders` flooding connections."""
    label = f"{flooders} flooding" if flooders else "idle"
    with multiprocessing.Manager() as manager:
        stop = manager.Event()
        with multiprocessing.Pool(flooders + 1) as pool:
            floods = [pool.apply_async(flood, (server.port, stop)) for _ in range(flooders)]
            time.sleep(1.0 if flooders else 0)  # the flood is in full swing before we measure
            start = time.perf_counter()
            latencies = pool.apply(annotate, (server.port, token, project_id, rounds))
            seconds = time.perf_counter() - start
            stop.set()
            statuses = sum((f.get(120) for f in floods), Counter())
    ms = [x * 1000 for x in latencies]
    note = f"{len(ms)} submits, {label}"
    figure(f"next+submit p50, {label}", percentile(ms, 0.5), "ms", note)
    figure(f"next+submit p99, {label}", percentile(ms, 0.99), "ms", note)
    if flooders:
        answered = sum(statuses.values())
        figure(f"flood logins answered, {label}", answered / seconds, "1/s",
               ", ".join(f"{n} x {status}" for status, n in sorted(statuses.items())))


def setup(server: Server, tasks: Path) -> tuple[str, int]:
    """A project of text tasks with the annotator in it; the annotator's token and project."""
    with server.client(token_for(server.base, ADMIN, PASSWORD)) as admin:
        project = admin.post("/api/projects", json={"name": "flood", "template": "sentiment"})
        project_id = int(project.json()["id"])
        with tasks.open("rb") as body:
            admin.post(f"/api/projects/{project_id}/imports", params={"filename": tasks.name},
                       content=body).raise_for_status()
        admin.put(f"/api/projects/{project_id}/members",
                  json={"username": ANNOTATOR, "role": "annotator"}).raise_for_status()
    return token_for(server.base, ANNOTATOR, PASSWORD), project_id


def run_server(kind: str, work: Path, throttle: bool, args: argparse.Namespace) -> None:
    with database(kind, work) as url:
        env = env_for(fresh_dir(work / "data"), url)
        env["POSTIL_LOGIN_THROTTLE"] = "true" if throttle else "false"
        if args.src:
            env["PYTHONPATH"] = str(args.src)
        for name, admin in ((ADMIN, True), (ANNOTATOR, False), (VICTIM, False)):
            postil("user", "create", name, *(["--admin"] if admin else []),
                   "--password", PASSWORD, env=env)
        server = Server(env)
        try:
            print(f"## login throttle {'on' if throttle else 'off'}", flush=True)
            token, project_id = setup(server, text_tasks(work / "tasks.jsonl", args.tasks))
            annotate(server.port, token, project_id, 50)  # warm-up
            measure(server, token, project_id, args.rounds, 0)
            measure(server, token, project_id, args.rounds, args.flooders)
        finally:
            server.stop()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("--rounds", type=int, default=300, help="submits per measurement")
    parser.add_argument("--flooders", type=int, default=8, help="connections looping logins")
    parser.add_argument("--tasks", type=int, default=5000)
    parser.add_argument("--throttle", choices=("on", "off", "both"), default="both")
    parser.add_argument("--src", type=Path, help="serve this source tree instead, e.g. an older "
                        "commit's (git archive C src | tar -x -C /tmp/old; --src /tmp/old/src)")
    args = parser.parse_args()
    print(f"# login flood bench on {args.db}, {time.strftime('%Y-%m-%d %H:%M')}"
          f"{f', serving {args.src}' if args.src else ''}", flush=True)
    figure("machine: Python loop of 10M adds", median([machine_speed() for _ in range(3)]), "s",
           "lower is a faster machine")
    for throttle in {"on": [True], "off": [False], "both": [True, False]}[args.throttle]:
        run_server(args.db, fresh_dir(WORK / args.db), throttle, args)
    figure("machine: Python loop of 10M adds", median([machine_speed() for _ in range(3)]), "s",
           "after the run")


if __name__ == "__main__":
    main()
