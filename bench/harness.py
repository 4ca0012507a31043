"""Shared bench plumbing: data generation, a real server process, timing and figures."""

from __future__ import annotations

import os
import shutil
import socket
import statistics
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import orjson
import psycopg

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
PG_ADMIN = "postgresql://postgres@127.0.0.1:5432/postgres"
ADMIN, PASSWORD = "bench", "bench-password"


def figure(name: str, value: float, unit: str, note: str = "") -> None:
    """One line per figure: name, value, unit (and what it was measured on)."""
    print(f"{name:<34} {value:>10.2f} {unit:<6} {note}", flush=True)


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def median(values: list[float]) -> float:
    return statistics.median(values)


def text_tasks(path: Path, count: int, start: int = 0) -> Path:
    with path.open("wb") as out:
        for i in range(start, start + count):
            out.write(orjson.dumps({"text": f"Review {i}: the quick brown fox jumps over the "
                                    f"lazy dog, order {i * 7919 % 1000003}."}) + b"\n")
    return path


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def database(kind: str, workdir: Path) -> Iterator[str | None]:
    """None for the default SQLite file in the data dir, or a throwaway PostgreSQL database."""
    if kind == "sqlite":
        yield None
        return
    name = f"postil_bench_{os.getpid()}"
    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"postgresql+psycopg://postgres@127.0.0.1:5432/{name}"
    finally:
        with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def env_for(data_dir: Path, url: str | None) -> dict[str, str]:
    env = dict(os.environ, POSTIL_DATA_DIR=str(data_dir), POSTIL_LEASE_SECONDS="600")
    if url:
        env["POSTIL_DATABASE_URL"] = url
    return env


def postil(*args: str, env: dict[str, str]) -> str:
    done = subprocess.run([str(BIN / "postil"), *args], env=env, check=True,
                          capture_output=True, text=True)
    return done.stdout.strip()


class Server:
    """A real `postil serve` process on 127.0.0.1."""

    def __init__(self, env: dict[str, str], workers: int = 1) -> None:
        self.env = env
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.proc = subprocess.Popen(
            [str(BIN / "postil"), "serve", "--host", "127.0.0.1", "--port", str(self.port),
             "--workers", str(workers)],
            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"{self.base}/api/health", timeout=1).status_code == 200:
                    return
            except httpx.HTTPError:
                time.sleep(0.2)
        raise RuntimeError("server did not start")

    def rss_mb(self) -> float:
        """The server's resident memory: its process and, with workers, theirs."""
        return process_rss_mb(self.proc.pid)

    def client(self, token: str) -> httpx.Client:
        # A million-task import on PostgreSQL takes over two minutes on a slow machine.
        return httpx.Client(base_url=self.base, timeout=900,
                            headers={"Authorization": f"Token {token}"})

    def stop(self) -> None:
        self.proc.terminate()
        self.proc.wait(timeout=30)


def process_rss_mb(pid: int) -> float:
    """Resident memory of a process and all its children."""
    return sum(_rss_kib(p) for p in [pid, *_children(pid)]) / 1024


def _children(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        for child in (task / "children").read_text().split():
            found += [int(child), *_children(int(child))]
    return found


def _rss_kib(pid: int) -> int:
    status = Path(f"/proc/{pid}/status").read_text()
    return int(next(x for x in status.splitlines() if x.startswith("VmRSS:")).split()[1])


def machine_speed() -> float:
    """Seconds for ten million additions in a Python loop. Machines of the same kind differ
    by more than twice from one session to the next: figures compare only beside this one."""
    start = time.perf_counter()
    total = 0
    for i in range(10_000_000):
        total += i
    return time.perf_counter() - start


def fresh_dir(path: Path) -> Path:
    shutil.rmtree(path, ignore_errors=True)
    path.mkdir(parents=True)
    return path
