"""Benchmark: load a national-scale programme and time the loads and the reports.

    .venv/bin/python bench/run.py [--scale N] [--keep DIR] [--runs 5]

Generates the programme with bench/generate.py (into a temporary directory, or into
DIR with --keep, where it is reused when it is already there for the same scale),
creates a fresh store with ``python -m sharedsvc_core init``, then times, each as its
own command-line process:

* loading partnerships, members, services, baselines and targets;
* loading returns.csv (all the validation included);
* ``report realisation --by council|service_council|programme --format csv``
  (the whole process, --runs times: median and minimum), and the same report as an
  in-process call of ``sharedsvc_core.realisation.report``;
* loading the same returns.csv again (answered "already received", exit 0);
* a resubmission of 1,000 returns rows that supersede rows already loaded.

Each command's time is the whole process, start-up included; its peak memory (maximum
resident set size) and CPU time come from wait4 in a small launcher process.

Prints a table and writes it as JSON to bench/out/results-scaleN.json. Exits 1 if a
load fails. The targets (for scale 1) are checked and shown, but missing one does
not change the exit code.
"""

from __future__ import annotations

import argparse
import csv
import importlib.metadata
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
sys.path.insert(0, str(ROOT))

from generate import FILES, SEED, generate  # noqa: E402

from sharedsvc_core import realisation  # noqa: E402
from sharedsvc_core.store import Store  # noqa: E402

REFERENCE_KINDS = ("partnerships", "members", "services", "baselines", "targets")
GROUPINGS = ("council", "service_council", "programme")
DEFAULT_MAX_FILE_MB = 20.0
RESUBMISSION_ROWS = 1000

# The targets from the issue, for scale 1 on the 2-core reference machine.
TARGET_RETURNS_LOAD_S = 5.0
AIM_RETURNS_LOAD_S = 2.0
TARGET_REPORT_S = 1.0
TARGET_PEAK_MB = 1024.0


@dataclass
class Run:
    args: list[str]
    code: int
    seconds: float
    cpu_seconds: float
    peak_kb: int
    stdout: str
    stderr: str


# A small launcher runs each command and reports its time and rusage. The command
# must not be a direct child of this process: on Linux a child's ru_maxrss starts from
# the resident size of the process that spawned it, and this process grows while it
# times the in-process reports. The launcher is small, so its child's figure is the
# command's own.
LAUNCHER = """
import json, os, subprocess, sys, time
start = time.perf_counter()
proc = subprocess.Popen(sys.argv[2:])
_, status, usage = os.wait4(proc.pid, 0)
seconds = time.perf_counter() - start
proc.returncode = os.waitstatus_to_exitcode(status)
with open(sys.argv[1], "w") as f:
    json.dump({"code": proc.returncode, "seconds": seconds, "peak_kb": usage.ru_maxrss,
               "cpu_seconds": usage.ru_utime + usage.ru_stime}, f)
"""


def cli(args: list[str]) -> Run:
    """Run ``python -m sharedsvc_core ARGS`` and wait for it. The time is the whole
    process, start-up included; peak_kb is its maximum resident set size (kilobytes
    on Linux) and cpu_seconds its user plus system time."""
    env = {k: v for k, v in os.environ.items() if k != "SHAREDSVC_DB"}
    with (
        tempfile.TemporaryFile() as out,
        tempfile.TemporaryFile() as err,
        tempfile.TemporaryDirectory() as tmp,
    ):
        report = Path(tmp) / "rusage.json"
        command = [sys.executable, "-m", "sharedsvc_core", *args]
        subprocess.run(
            [sys.executable, "-I", "-S", "-c", LAUNCHER, str(report), *command],
            stdout=out,
            stderr=err,
            cwd=ROOT,
            env=env,
            check=False,
        )
        out.seek(0)
        err.seek(0)
        stdout = out.read().decode("utf-8", "replace")
        stderr = err.read().decode("utf-8", "replace")
        if not report.exists():
            return Run(args, 2, 0.0, 0.0, 0, stdout, stderr or "the launcher failed")
        usage = json.loads(report.read_text(encoding="utf-8"))
        return Run(
            args,
            int(usage["code"]),
            float(usage["seconds"]),
            float(usage["cpu_seconds"]),
            int(usage["peak_kb"]),
            stdout,
            stderr,
        )


def fail(run: Run, what: str) -> None:
    lines = (run.stdout + run.stderr).splitlines()
    errors = [line for line in lines if line.startswith("ERROR")]
    print(f"\nFAILED: {what} (exit {run.code})", file=sys.stderr)
    for line in (errors[:20] or lines[:20]) + (lines[-1:] if lines else []):
        print(f"  {line}", file=sys.stderr)
    raise SystemExit(1)


def summary_line(run: Run) -> str:
    lines = run.stdout.strip().splitlines()
    return lines[-1] if lines else run.stderr.strip()


def load(db: Path, kind: str, path: Path, expect: str = "loaded submission") -> dict[str, Any]:
    run = cli(["load", kind, str(path), "--db", str(db), "--user", "bench"])
    line = summary_line(run)
    if run.code != 0 or not line.startswith(expect):
        fail(run, f"load {kind} {path.name}")
    warnings = re.search(r"(\d+) warnings", line)
    return {
        "step": f"load {kind}" if expect.startswith("loaded") else f"re-load {kind}",
        "file": path.name,
        "seconds": round(run.seconds, 3),
        "cpu_seconds": round(run.cpu_seconds, 3),
        "peak_mb": round(run.peak_kb / 1024, 1),
        "warnings": int(warnings.group(1)) if warnings else 0,
        "output": line,
    }


def time_report(db: Path, by: str, runs: int) -> list[dict[str, Any]]:
    cli_times: list[float] = []
    cpu_times: list[float] = []
    peak = 0
    rows = 0
    for _ in range(runs):
        run = cli(["report", "realisation", "--by", by, "--format", "csv", "--db", str(db)])
        if run.code != 0:
            fail(run, f"report realisation --by {by}")
        cli_times.append(run.seconds)
        cpu_times.append(run.cpu_seconds)
        peak = max(peak, run.peak_kb)
        rows = len(run.stdout.splitlines()) - 1
    store = Store.open(db)
    call_times: list[float] = []
    for _ in range(runs):
        start = time.perf_counter()
        realisation.report(store, by)
        call_times.append(time.perf_counter() - start)
    return [
        {
            "step": f"report --by {by} (CLI)",
            "seconds": round(statistics.median(cli_times), 3),
            "min_seconds": round(min(cli_times), 3),
            "cpu_seconds": round(statistics.median(cpu_times), 3),
            "runs": runs,
            "rows": rows,
            "peak_mb": round(peak / 1024, 1),
        },
        {
            "step": f"report --by {by} (in-process)",
            "seconds": round(statistics.median(call_times), 3),
            "min_seconds": round(min(call_times), 3),
            "runs": runs,
            "rows": rows,
        },
    ]


def write_resubmission(returns: Path, total: int, out: Path, count: int) -> None:
    """``count`` rows of returns.csv (which has ``total`` rows) spread through the file,
    each with its actual cost 1% lower, so that they supersede the rows already loaded
    without a warning."""
    step = max(1, total // count)
    with (
        open(returns, encoding="utf-8", newline="") as f,
        open(out, "w", encoding="utf-8", newline="") as g,
    ):
        reader = csv.reader(f)
        writer = csv.writer(g, lineterminator="\n")
        header = next(reader)
        actual = header.index("actual_cost")
        writer.writerow(header)
        written = 0
        for i, row in enumerate(reader):
            if i % step == 0 and written < count:
                row[actual] = f"{float(row[actual]) * 0.99:.2f}"
                writer.writerow(row)
                written += 1


def machine() -> dict[str, Any]:
    cpu = ""
    memory = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                memory = f"{int(line.split()[1]) / 1048576:.1f} GiB"
                break
    except OSError:
        pass
    try:
        commit = subprocess.run(
            ["git", "describe", "--always", "--dirty"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=False,
        ).stdout.strip()
    except OSError:
        commit = ""
    return {
        "cpus": os.cpu_count(),
        "cpu": cpu,
        "memory": memory,
        "python": platform.python_version(),
        "duckdb": importlib.metadata.version("duckdb"),
        "platform": platform.platform(),
        "commit": commit,
    }


def prepare_data(scale: int, directory: Path) -> tuple[dict[str, int], float | None]:
    """Generate the files into ``directory`` unless they are there for this scale."""
    manifest = directory / "manifest.json"
    if manifest.exists():
        saved = json.loads(manifest.read_text(encoding="utf-8"))
        if saved.get("scale") == scale and saved.get("seed") == SEED:
            if all((directory / f"{name}.csv").exists() for name in FILES):
                print(f"reusing the generated files in {directory}")
                return saved["rows"], None
    print(f"generating scale {scale} into {directory} ...", flush=True)
    start = time.perf_counter()
    counts = generate(scale, directory)
    return counts, time.perf_counter() - start


def check_targets(scale: int, steps: list[dict[str, Any]]) -> list[dict[str, Any]]:
    by_step = {s["step"]: s for s in steps}
    returns = by_step["load returns"]
    report = by_step["report --by council (CLI)"]
    loads = [s for s in steps if s["step"].startswith("load ")]
    peak = max(s["peak_mb"] for s in loads)
    targets = [
        ("load returns.csv with validation", returns["seconds"], TARGET_RETURNS_LOAD_S, "s"),
        ("report realisation --by council (CLI, median)", report["seconds"], TARGET_REPORT_S, "s"),
        ("peak memory of a load", peak, TARGET_PEAK_MB, "MB"),
    ]
    return [
        {
            "target": name,
            "measured": value,
            "limit": limit,
            "unit": unit,
            "met": value <= limit,
            "aim": AIM_RETURNS_LOAD_S if name.startswith("load returns") else None,
            "applies": scale == 1,
        }
        for name, value, limit, unit in targets
    ]


def print_table(result: dict[str, Any]) -> None:
    print()
    print(
        f"sharedsvc benchmark, scale {result['scale']}: {result['rows']['returns']:,} returns rows"
    )
    print(f"{'step':40} {'median s':>9} {'min s':>7} {'cpu s':>7} {'peak MB':>8}  notes")
    print("-" * 98)
    for s in result["steps"]:
        low = f"{s['min_seconds']:.3f}" if "min_seconds" in s else ""
        peak = f"{s['peak_mb']:.0f}" if "peak_mb" in s else ""
        note = s.get("output", "")
        if "rows" in s and not note:
            note = f"{s['rows']:,} rows"
        cpu = f"{s['cpu_seconds']:.3f}" if "cpu_seconds" in s else ""
        print(f"{s['step']:40} {s['seconds']:9.3f} {low:>7} {cpu:>7} {peak:>8}  {note[:60]}")
    print()
    for t in result["targets"]:
        verdict = "met" if t["met"] else "MISSED"
        if not t["applies"]:
            verdict += " (the targets are for scale 1)"
        measured = f"{t['measured']} {t['unit']}"
        print(f"{t['target']:48} {measured:>10} (target <= {t['limit']:g} {t['unit']}): {verdict}")
    for note in result["notes"]:
        print(f"note: {note}")


def main() -> int:
    parser = argparse.ArgumentParser(description="Time loads and reports at national scale.")
    parser.add_argument("--scale", type=int, default=1, help="1 = about 185,000 return rows")
    parser.add_argument("--keep", type=Path, help="generate into (or reuse) DIR and keep the store")
    parser.add_argument("--runs", type=int, default=5, help="runs of each report (default 5)")
    args = parser.parse_args()

    workdir = (
        args.keep.resolve() if args.keep else Path(tempfile.mkdtemp(prefix="sharedsvc-bench-"))
    )
    try:
        return bench(args.scale, workdir, args.runs)
    finally:
        if not args.keep:
            shutil.rmtree(workdir, ignore_errors=True)


def bench(scale: int, workdir: Path, runs: int) -> int:
    data = workdir / f"data-scale{scale}"
    counts, generate_seconds = prepare_data(scale, data)
    db = workdir / f"bench-scale{scale}.duckdb"
    for path in (db, Path(f"{db}.wal")):
        path.unlink(missing_ok=True)
    notes: list[str] = []
    steps: list[dict[str, Any]] = []
    load_before = os.getloadavg()[0]

    run = cli(["init", "--db", str(db)])
    if run.code != 0:
        fail(run, "init")
    steps.append(
        {
            "step": "init (new store)",
            "seconds": round(run.seconds, 3),
            "cpu_seconds": round(run.cpu_seconds, 3),
        }
    )

    returns = data / "returns.csv"
    size_mb = returns.stat().st_size / 1048576
    if size_mb > DEFAULT_MAX_FILE_MB:
        limit = min(1000, int(size_mb) + 1)
        run = cli(["settings", "max_file_mb", str(limit), "--db", str(db)])
        if run.code != 0:
            fail(run, "settings max_file_mb")
        notes.append(
            f"returns.csv is {size_mb:.0f} MB, over the default 20 MB limit: "
            f"the bench set max_file_mb to {limit}"
        )

    for kind in REFERENCE_KINDS:
        print(f"loading {kind} ...", flush=True)
        steps.append(load(db, kind, data / f"{kind}.csv"))
    print("loading returns ...", flush=True)
    steps.append(load(db, "returns", returns))
    if steps[-1]["warnings"]:
        notes.append(f"the returns load raised {steps[-1]['warnings']} warnings")

    for by in GROUPINGS:
        print(f"report --by {by} x {runs} ...", flush=True)
        steps.extend(time_report(db, by, runs))

    print("re-loading the same returns file ...", flush=True)
    steps.append(load(db, "returns", returns, expect="already received"))
    resubmission = data / "resubmission.csv"
    write_resubmission(returns, counts["returns"], resubmission, RESUBMISSION_ROWS)
    print("resubmitting 1,000 rows ...", flush=True)
    step = load(db, "returns", resubmission)
    step["step"] = "resubmit 1,000 returns rows"
    if f"(0 new, {RESUBMISSION_ROWS} superseding)" not in step["output"]:
        notes.append(f"the resubmission did not supersede every row: {step['output']}")
    steps.append(step)

    load_after = os.getloadavg()[0]
    if load_before > 1.0:
        notes.append(
            f"the machine was busy when the run started (load average {load_before:.1f}): "
            "wall-clock times are longer than on a quiet machine; compare the cpu seconds"
        )
    result: dict[str, Any] = {
        "scale": scale,
        "measured_at": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "machine": machine(),
        "rows": counts,
        "returns_file_mb": round(size_mb, 1),
        "generate_seconds": round(generate_seconds, 1) if generate_seconds else None,
        "store_mb": round(db.stat().st_size / 1048576, 1),
        "load_average": {"start": round(load_before, 2), "end": round(load_after, 2)},
        "steps": steps,
        "notes": notes,
    }
    result["targets"] = check_targets(scale, steps)
    print_table(result)
    OUT.mkdir(parents=True, exist_ok=True)
    path = OUT / f"results-scale{scale}.json"
    path.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(f"\nwritten {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
