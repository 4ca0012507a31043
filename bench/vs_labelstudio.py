"""Postil beside Label Studio 1.23.2: the same work on both, in the same run, figure by figure.

    python bench/vs_labelstudio.py --tasks 10000 --rounds 300 --runs 3

Label Studio is installed once into its own virtual environment under bench/out/ (the only
download; nothing of it enters Postil's environment). Each run starts both servers afresh on
127.0.0.1, each on SQLite in a temporary folder, as their own start commands serve them
(`postil serve`; `label-studio start`, which is Django's server), and sends both the same
requests: import the same JSON file of text tasks, one annotator's loop of next task and
submit, import the same file of annotated tasks, and a JSON export of those. The two take
turns within each figure, the one going first alternating, and the machine line is printed
before and after.
"""

from __future__ import annotations

import argparse
import http.client
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import httpx
import orjson

sys.path.insert(0, str(Path(__file__).resolve().parent))
from harness import (  # noqa: E402
    ADMIN,
    PASSWORD,
    ROOT,
    Server,
    env_for,
    figure,
    free_port,
    fresh_dir,
    machine_speed,
    median,
    percentile,
    postil,
    process_rss_mb,
)
from run import token_for  # noqa: E402

LS_VERSION = "1.23.2"
OUT = ROOT / "bench" / "out"
LS_VENV = OUT / "labelstudio-venv"
LS_TEMPLATE = OUT / f"labelstudio-{LS_VERSION}-migrated"  # a migrated, empty instance
LS_USER = "bench@postil.test"
LS_TOKEN = "5ba7c0d0e1f2a3b4c5d6e7f8091a2b3c4d5e6f70"  # 127.0.0.1 only, a throwaway instance
WORK = Path("/tmp/postil-vs-labelstudio")
LABELS = ("Positive", "Negative", "Neutral")
LS_CONFIG = ('<View><Text name="text" value="$text"/><Choices name="sentiment" toName="text" '
             'choice="single" required="true">'
             + "".join(f'<Choice value="{label}"/>' for label in LABELS) + "</Choices></View>")
POSTIL_SCHEMA = {"objects": [{"name": "text", "type": "text"}],
                 "controls": [{"name": "sentiment", "type": "choices", "to": ["text"],
                               "required": True, "labels": list(LABELS)}]}
LS_RESULT = [{"id": "s", "from_name": "sentiment", "to_name": "text", "type": "choices",
              "value": {"choices": ["Positive"]}}]
POSTIL_RESULT = [{"id": "s", "control": "sentiment", "object": "text", "type": "choices",
                  "value": {"choices": ["Positive"]}}]


def install_labelstudio() -> Path:
    """Label Studio's own virtual environment; the one step that downloads (from the index)."""
    binary = LS_VENV / "bin" / "label-studio"
    if not binary.exists():
        print(f"# installing label-studio=={LS_VERSION} into {LS_VENV}", flush=True)
        subprocess.run([sys.executable, "-m", "venv", str(LS_VENV)], check=True)
        subprocess.run([str(LS_VENV / "bin" / "pip"), "install", "-q",
                        f"label-studio=={LS_VERSION}"], check=True)
    return binary


def labelstudio_env(data_dir: Path) -> dict[str, str]:
    """SQLite in `data_dir`; no version check, analytics or error reports; and any request
    it would still make elsewhere goes to a closed local port."""
    closed = "http://127.0.0.1:9"
    env = {k: v for k, v in os.environ.items() if not k.startswith("POSTIL_")}
    return env | {"LABEL_STUDIO_BASE_DATA_DIR": str(data_dir), "DJANGO_DB": "sqlite",
                  "LATEST_VERSION_CHECK": "false", "COLLECT_ANALYTICS": "false",
                  "SENTRY_DSN": "", "FRONTEND_SENTRY_DSN": "", "LOG_LEVEL": "WARNING",
                  "LABEL_STUDIO_DISABLE_SIGNUP_WITHOUT_LINK": "true",
                  "HTTP_PROXY": closed, "HTTPS_PROXY": closed, "http_proxy": closed,
                  "https_proxy": closed, "NO_PROXY": "127.0.0.1", "no_proxy": "127.0.0.1"}


class LabelStudio:
    """A real `label-studio start` process on 127.0.0.1, on SQLite in its own folder."""

    def __init__(self, binary: Path, data_dir: Path, log: Path) -> None:
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        with log.open("ab") as out:
            self.proc = subprocess.Popen(
                [str(binary), "start", "--no-browser", "--internal-host", "127.0.0.1",
                 "--port", str(self.port), "--username", LS_USER, "--password", PASSWORD,
                 "--user-token", LS_TOKEN, "--enable-legacy-api-token", "--log-level",
                 "WARNING"], env=labelstudio_env(data_dir), stdout=out, stderr=out)
        deadline = time.monotonic() + 1200  # the first start migrates: minutes on 2 cores
        while time.monotonic() < deadline and self.proc.poll() is None:
            try:
                if httpx.get(f"{self.base}/health", timeout=2).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(1)
        self.stop()
        raise RuntimeError(f"Label Studio did not start; see {log}")

    def stop(self) -> None:
        self.proc.terminate()
        self.proc.wait(timeout=60)


def fresh_labelstudio(binary: Path, work: Path) -> LabelStudio:
    """Label Studio on a copy of an instance migrated once (its migrations take minutes)."""
    if not (LS_TEMPLATE / "label_studio.sqlite3").exists():
        shutil.rmtree(LS_TEMPLATE, ignore_errors=True)
        LabelStudio(binary, LS_TEMPLATE, OUT / "labelstudio.log").stop()
    data = work / "labelstudio"
    shutil.copytree(LS_TEMPLATE, data)
    return LabelStudio(binary, data, OUT / "labelstudio.log")


@dataclass(frozen=True)
class Peer:
    """One server's routes for the same work; both take `Authorization: Token ...`."""

    name: str
    port: int
    token: str
    new_project: Callable[[httpx.Client, str], int]
    import_path: str
    next_path: str
    submit_path: str
    answer: bytes
    export_path: str
    pid: int

    def client(self) -> httpx.Client:
        return httpx.Client(base_url=f"http://127.0.0.1:{self.port}", timeout=3600,
                            headers={"Authorization": f"Token {self.token}"})


def _postil_project(client: httpx.Client, title: str) -> int:
    made = client.post("/api/projects", json={"name": title, "schema": POSTIL_SCHEMA})
    made.raise_for_status()
    return int(made.json()["id"])


def _labelstudio_project(client: httpx.Client, title: str) -> int:
    made = client.post("/api/projects", json={"title": title, "label_config": LS_CONFIG})
    made.raise_for_status()
    return int(made.json()["id"])


def postil_peer(server: Server, token: str) -> Peer:
    answer = orjson.dumps({"lead_time": 1.0, "result": POSTIL_RESULT})
    return Peer("Postil", server.port, token, _postil_project,
                "/api/projects/{project}/imports?filename=tasks.json",
                "/api/projects/{project}/next", "/api/tasks/{task}/annotations", answer,
                "/api/projects/{project}/export?format=json", server.proc.pid)


def labelstudio_peer(server: LabelStudio) -> Peer:
    answer = orjson.dumps({"lead_time": 1.0, "result": LS_RESULT})
    return Peer("Label Studio", server.port, LS_TOKEN, _labelstudio_project,
                "/api/projects/{project}/import", "/api/projects/{project}/next",
                "/api/tasks/{task}/annotations", answer,
                "/api/projects/{project}/export?exportType=JSON", server.proc.pid)


def _postil_settle(client: httpx.Client, project: int) -> None:
    """Wait for the search index to take in an import, so it does not share the cores with
    the other server's next figure (a search waits for the index)."""
    client.get(f"/api/projects/{project}/tasks", params={"q": "settle"}).raise_for_status()


def task_file(path: Path, count: int, annotated: bool) -> bytes:
    """One JSON array for both servers: text tasks, or tasks with one answer each in Label
    Studio's own import format (Postil reads it as it is)."""
    tasks: list[dict[str, object]] = []
    for i in range(count):
        text = f"Review {i}: the quick brown fox jumps over the lazy dog, order {i * 7919}."
        tasks.append({"data": {"text": text}, "annotations": [{"result": LS_RESULT}]}
                     if annotated else {"text": text})
    path.write_bytes(orjson.dumps(tasks))
    return path.read_bytes()


def import_tasks(peer: Peer, project: int, body: bytes, count: int) -> float:
    with peer.client() as client:
        start = time.perf_counter()
        reply = client.post(peer.import_path.format(project=project), content=body,
                            headers={"Content-Type": "application/json"})
        seconds = time.perf_counter() - start
        if reply.status_code not in (200, 201):
            raise RuntimeError(f"{peer.name} import: {reply.status_code} {reply.text[:500]}")
        made = reply.json()
        assert made.get("imported", made.get("task_count")) == count, reply.text[:300]
        if peer.name == "Postil":
            _postil_settle(client, project)
    return seconds


def label(peer: Peer, project: int, rounds: int) -> tuple[list[float], float]:
    """One annotator on one keep-alive connection: next task, submit its answer, repeat."""
    headers = {"Authorization": f"Token {peer.token}", "Content-Type": "application/json"}
    conn = http.client.HTTPConnection("127.0.0.1", peer.port, timeout=600)
    latencies: list[float] = []
    began = time.perf_counter()
    try:
        for _ in range(rounds):
            start = time.perf_counter()
            conn.request("GET", peer.next_path.format(project=project), headers=headers)
            task = conn.getresponse()
            payload = task.read()
            if task.status != 200:
                raise RuntimeError(f"{peer.name} next: {task.status} {payload[:200]!r}")
            path = peer.submit_path.format(task=orjson.loads(payload)["id"])
            conn.request("POST", path, body=peer.answer, headers=headers)
            sent = conn.getresponse()
            answer = sent.read()
            if sent.status != 201:
                raise RuntimeError(f"{peer.name} submit: {sent.status} {answer[:200]!r}")
            latencies.append(time.perf_counter() - start)
    finally:
        conn.close()
    return latencies, time.perf_counter() - began


def export_json(peer: Peer, project: int, count: int) -> float:
    with peer.client() as client:
        start = time.perf_counter()
        reply = client.get(peer.export_path.format(project=project))
        seconds = time.perf_counter() - start
    reply.raise_for_status()
    tasks = orjson.loads(reply.content)
    answers = sum(len(t["annotations"]) for t in tasks)
    assert (len(tasks), answers) == (count, count), (peer.name, len(tasks), answers)
    return seconds


Results = dict[str, dict[str, list[float]]]


def record(results: Results, name: str, peer: Peer, value: float, unit: str,
           note: str = "") -> None:
    figure(name, value, unit, f"{peer.name}{'; ' + note if note else ''}")
    results.setdefault(f"{name} ({unit})", {}).setdefault(peer.name, []).append(value)


def turns(peers: list[Peer], step: int) -> list[Peer]:
    """Who goes first alternates from one figure to the next (and from run to run)."""
    return peers if step % 2 == 0 else peers[::-1]


def compare(peers: list[Peer], results: Results, args: argparse.Namespace, run: int,
            files: tuple[bytes, bytes]) -> None:
    plain, annotated = files
    n = args.tasks
    projects = {}
    for peer in peers:
        with peer.client() as client:
            projects[peer.name] = (peer.new_project(client, f"tasks {run}"),
                                   peer.new_project(client, f"annotated {run}"))
    for peer in turns(peers, run):
        record(results, f"import {n:,} text tasks", peer,
               import_tasks(peer, projects[peer.name][0], plain, n), "s", "one JSON file")
    for peer in turns(peers, run + 1):
        latencies, seconds = label(peer, projects[peer.name][0], args.rounds)
        ms = [x * 1000 for x in latencies]
        note = f"1 annotator, {len(ms)} submits"
        record(results, "next task + submit p50", peer, percentile(ms, 0.5), "ms", note)
        record(results, "next task + submit p99", peer, percentile(ms, 0.99), "ms", note)
        record(results, "annotations per second", peer, len(ms) / seconds, "1/s", note)
    for peer in turns(peers, run):
        record(results, f"import {n:,} annotated tasks", peer,
               import_tasks(peer, projects[peer.name][1], annotated, n), "s",
               "one answer each")
    for peer in turns(peers, run + 1):
        record(results, f"JSON export of {n:,} annotated tasks", peer,
               export_json(peer, projects[peer.name][1], n), "s")
    for peer in peers:
        record(results, "server RSS at the end", peer, process_rss_mb(peer.pid), "MB")


def one_run(binary: Path, args: argparse.Namespace, run: int, results: Results,
            files: tuple[bytes, bytes]) -> None:
    work = fresh_dir(WORK / f"run{run}")
    env = env_for(work / "postil", None)
    postil("user", "create", ADMIN, "--admin", "--password", PASSWORD, env=env)
    server = Server(env)
    labelstudio = None
    try:
        labelstudio = fresh_labelstudio(binary, work)
        peers = [postil_peer(server, token_for(server.base, ADMIN, PASSWORD)),
                 labelstudio_peer(labelstudio)]
        print(f"# run {run + 1} of {args.runs}", flush=True)
        compare(peers, results, args, run, files)
    finally:
        server.stop()
        if labelstudio is not None:
            labelstudio.stop()
        shutil.rmtree(work, ignore_errors=True)


def summary(results: Results, runs: int) -> None:
    """Each figure's median over the runs (range), Postil first, and Label Studio / Postil."""
    print(f"# medians of {runs} run(s) (range); the last column is Label Studio / Postil",
          flush=True)
    for name, by_peer in results.items():
        mine, theirs = by_peer["Postil"], by_peer["Label Studio"]
        cells = [f"{who} {median(v):.2f} ({min(v):.2f}-{max(v):.2f})"
                 for who, v in (("Postil", mine), ("Label Studio", theirs))]
        ratio = median(theirs) / median(mine)
        print(f"{name:<40} {'  '.join(cells)}  {ratio:.3g}x", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--tasks", type=int, default=10_000, help="tasks per import and export")
    parser.add_argument("--rounds", type=int, default=300, help="next + submit pairs")
    parser.add_argument("--runs", type=int, default=1)
    args = parser.parse_args()
    binary = install_labelstudio()
    print(f"# postil beside label-studio {LS_VERSION}, both on SQLite, 127.0.0.1, "
          f"{time.strftime('%Y-%m-%d %H:%M')}", flush=True)
    figure("machine: Python loop of 10M adds", median([machine_speed() for _ in range(3)]), "s",
           "before; lower is a faster machine")
    inputs = fresh_dir(WORK / "inputs")
    files = (task_file(inputs / "tasks.json", args.tasks, annotated=False),
             task_file(inputs / "annotated.json", args.tasks, annotated=True))
    results: Results = {}
    for run in range(args.runs):
        one_run(binary, args, run, results, files)
    figure("machine: Python loop of 10M adds", median([machine_speed() for _ in range(3)]), "s",
           "after")
    summary(results, args.runs)


if __name__ == "__main__":
    main()
