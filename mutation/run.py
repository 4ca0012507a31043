"""Mutation testing: mutmut (Python) or Stryker (web) on one module group at a time, kill rates."""

from __future__ import annotations

import argparse
import json
import re
import shutil
import subprocess
import sys
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / ".mutation"
DETECTED = {"killed", "timeout"}
# Mutants that never ran against a test's verdict: not counted either way.
NOT_JUDGED = {"skipped", "ignored", "error"}
RESULT_LINE = re.compile(r"^\s+(\S+): (.+)$")
STRYKER_STATUS = {
    "Killed": "killed",
    "Timeout": "timeout",
    "Survived": "survived",
    "NoCoverage": "no tests",
    "Ignored": "ignored",
    "CompileError": "error",
    "RuntimeError": "error",
}


@dataclass
class Module:
    name: str
    tool: str = "mutmut"
    mutate: list[str] = field(default_factory=list)
    tests: list[str] = field(default_factory=list)
    equivalent: dict[str, str] = field(default_factory=dict)


@dataclass
class Outcome:
    module: str
    status_by_mutant: dict[str, str]
    equivalent: dict[str, str]

    def _judged(self) -> dict[str, str]:
        return {
            name: status
            for name, status in self.status_by_mutant.items()
            if status not in NOT_JUDGED and name not in self.equivalent_found
        }

    @property
    def equivalent_found(self) -> list[str]:
        undetected = ("survived", "no tests")
        return [n for n in self.equivalent if self.status_by_mutant.get(n) in undetected]

    @property
    def detected(self) -> int:
        return sum(1 for status in self._judged().values() if status in DETECTED)

    @property
    def judged(self) -> int:
        return len(self._judged())

    @property
    def rate(self) -> float:
        return 100.0 * self.detected / self.judged if self.judged else 0.0

    def undetected(self) -> list[tuple[str, str]]:
        return sorted(
            (status, name) for name, status in self._judged().items() if status not in DETECTED
        )


def load_modules() -> list[Module]:
    table = tomllib.loads((ROOT / "mutation" / "modules.toml").read_text("utf-8"))
    return [Module(name=name, **spec) for name, spec in table.items()]


def prepare(module: Module) -> Path:
    """A fresh copy of the code and tests, with mutmut's settings for this module."""
    work = WORK / module.name
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    ignore = shutil.ignore_patterns("__pycache__", "*.egg-info")
    shutil.copytree(ROOT / "src", work / "src", ignore=ignore)
    shutil.copytree(ROOT / "tests", work / "tests", ignore=ignore)
    settings = "\n".join(
        [
            "",
            "[tool.mutmut]",
            'source_paths = ["src"]',
            f"only_mutate = {module.mutate!r}",
            f"pytest_add_cli_args_test_selection = {module.tests!r}",
            'pytest_add_cli_args = ["--db", "sqlite", "-p", "no:cacheprovider"]',
            "use_git_change_detection = false",
            "",
        ]
    )
    pyproject = (ROOT / "pyproject.toml").read_text("utf-8")
    (work / "pyproject.toml").write_text(pyproject + settings, "utf-8")
    return work


def call(command: list[str], cwd: Path, log: Path | None = None) -> str:
    """Run one of our own fixed commands: its output goes to `log` when given, else is returned."""
    if log is None:
        done = subprocess.run(command, cwd=cwd, check=True, capture_output=True, text=True)  # noqa: S603
        return done.stdout
    with log.open("w") as out:
        subprocess.run(command, cwd=cwd, check=True, stdout=out, stderr=subprocess.STDOUT)  # noqa: S603
    return ""


def run_mutmut(module: Module, children: int) -> dict[str, str]:
    work = prepare(module)
    mutmut = [sys.executable, "-m", "mutmut"]
    call([*mutmut, "run", "--max-children", str(children)], work, log=work / "mutmut.log")
    statuses = {}
    for line in call([*mutmut, "results", "--all", "true"], work).splitlines():
        if match := RESULT_LINE.match(line):
            statuses[match.group(1)] = match.group(2)
    return statuses


def run_stryker(module: Module, children: int) -> dict[str, str]:
    """Stryker works in a sandbox copy of web/ (web/.stryker-tmp) and mutates only that."""
    web = ROOT / "web"
    (WORK / module.name).mkdir(parents=True, exist_ok=True)
    npx = shutil.which("npx") or "npx"
    command = [npx, "stryker", "run", "--concurrency", str(children)]
    if module.mutate:
        command += ["--mutate", ",".join(module.mutate)]
    call(command, web, log=WORK / module.name / "stryker.log")
    report = json.loads((web / "reports" / "mutation" / "mutation.json").read_text("utf-8"))
    statuses = {}
    for path, file in report["files"].items():
        for mutant in file["mutants"]:
            start, end = mutant["location"]["start"], mutant["location"]["end"]
            where = f"{start['line']}:{start['column']}-{end['line']}:{end['column']}"
            replacement = " ".join(mutant.get("replacement", mutant["mutatorName"]).split())
            name = f"{path}:{where} -> {replacement}"
            statuses[name] = STRYKER_STATUS.get(mutant["status"], "error")
    return statuses


def write_mutmut_diffs(outcome: Outcome) -> None:
    """Each undetected mutant's diff, in .mutation/<group>/undetected.diff, to read or kill."""
    work = WORK / outcome.module
    shows = [
        call([sys.executable, "-m", "mutmut", "show", name], work)
        for _, name in outcome.undetected()
    ]
    (work / "undetected.diff").write_text("".join(shows), "utf-8")


def report(outcome: Outcome) -> None:
    for status, name in outcome.undetected():
        print(f"   {status}: {name}")
    for name in outcome.equivalent:
        if name not in outcome.equivalent_found:
            print(f"   listed as equivalent but no longer undetected (remove it): {name}")
    print(
        f"   {outcome.module}: {outcome.detected}/{outcome.judged} detected "
        f"({outcome.rate:.1f}%), {len(outcome.equivalent_found)} equivalent",
        flush=True,
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("modules", nargs="*", help="module groups of mutation/modules.toml")
    parser.add_argument("--children", type=int, default=2, help="mutants tested at once")
    args = parser.parse_args()
    modules = load_modules()
    unknown = set(args.modules) - {m.name for m in modules}
    if unknown:
        parser.error(f"unknown module group(s): {', '.join(sorted(unknown))}")
    outcomes: list[Outcome] = []
    failed: list[str] = []
    for module in (m for m in modules if not args.modules or m.name in args.modules):
        print(f"== {module.name} ({module.tool})", flush=True)
        runner = run_stryker if module.tool == "stryker" else run_mutmut
        try:
            statuses = runner(module, args.children)
        except subprocess.CalledProcessError:
            # e.g. the group's tests fail without any mutant: its log says why; go on
            print(f"   {module.name}: FAILED, see .mutation/{module.name}/", flush=True)
            failed.append(module.name)
            continue
        outcomes.append(Outcome(module.name, statuses, module.equivalent))
        if module.tool == "mutmut":
            write_mutmut_diffs(outcomes[-1])
        report(outcomes[-1])
    print("\n| module | detected / judged | kill rate | equivalent |\n|---|---|---|---|")
    for o in outcomes:
        print(
            f"| {o.module} | {o.detected} / {o.judged} | {o.rate:.1f}% "
            f"| {len(o.equivalent_found)} |"
        )
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
