"""Where the time of a returns load goes: ``python -m sharedsvc_core load returns`` of the
national programme's returns.csv, the whole command and its parts.

    .venv/bin/python bench/loading.py --keep /tmp/bench [--scale 1] [--runs 3]
    .venv/bin/python bench/loading.py --keep /tmp/bench --compare DIR

Builds (once, kept in DIR) a store with the programme's partnerships, members, services,
baselines and targets loaded (bench/generate.py, the command line), then --runs times
on a fresh copy of it:

* **the whole command**, timed from outside (wall clock, start-up included), as a
  finance officer's script would see it;
* **its parts**, from the same command run once more with timers around the loader's
  steps (a small runner imports the command line, wraps the steps and calls it):
  - *start-up*: the interpreter starting and importing the command line (the whole
    command's time less what the runner measured from its first line);
  - *imports on the way*: modules imported during the load itself (pyarrow, ...);
  - *reading and checks in DuckDB*: a large plain file read and checked column by
    column in DuckDB (``bulk_csv.scan``, which says None for any other file);
  - *reading*: the file into columns, line by line (``readers.read_table``);
  - *checks*: section 1's rules on every row (``ingest.validate_rows``);
  - *staging*: the checked rows into the store's temporary table (``ingest._stage``);
  - *checks across tables*: the SQL checks against the register (``ingest._cross_checks``
    and the count of rows superseded);
  - *the write*: the rows inserted, the snapshot of the present rewritten
    (``store._refresh_snapshots``) and the transaction committed;
  - *the rest*: settings, the audit log, printing.

With --compare DIR, the checkout in DIR (another commit, from ``git archive``) is
measured in the same run for a before and after. Medians of --runs (at most 5). Writes
bench/out/loading.json.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
OUT = BENCH / "out"
sys.path.insert(0, str(BENCH))

from run import REFERENCE_KINDS, machine, prepare_data  # noqa: E402

MOST_RUNS = 5
TIMEOUT_S = 300

# Runs the command line with timers around the loader's steps; prints them as JSON on
# its last line of standard error. A step a checkout does not have is left out.
RUNNER = r"""
import json, sys, time
started = time.perf_counter()
import contextlib, importlib
from sharedsvc_core import cli
imported = time.perf_counter() - started
spent = {}
def timed(module, name, label):
    try:
        target = importlib.import_module(module)
    except ImportError:  # a checkout from before the module
        return
    original = getattr(target, name, None)
    if original is None:
        return
    if isinstance(original, type(timed)):
        def wrapper(*args, **kwargs):
            t = time.perf_counter()
            try:
                return original(*args, **kwargs)
            finally:
                spent[label] = spent.get(label, 0.0) + time.perf_counter() - t
        setattr(target, name, wrapper)
before = set(sys.modules)
from sharedsvc_core import ingest, readers, store
importing_ingest = time.perf_counter()
timed("sharedsvc_core.bulk_csv", "scan", "reading and checks in DuckDB")
timed("sharedsvc_core.ingest", "read_table", "reading")
timed("sharedsvc_core.ingest", "validate_rows", "checks")
timed("sharedsvc_core.ingest", "_stage", "staging")
timed("sharedsvc_core.ingest", "_cross_checks", "checks across tables")
timed("sharedsvc_core.ingest", "_count_superseding", "checks across tables")
timed("sharedsvc_core.ingest", "_check_and_load", "checks across tables, staging and the write")
timed("sharedsvc_core.store", "_refresh_snapshots", "snapshot")
# imports made during the load (by the loader's own lazy imports)
import builtins
real_import = builtins.__import__
import_time = [0.0]
depth = [0]
def counting_import(*args, **kwargs):
    if depth[0]:
        return real_import(*args, **kwargs)
    depth[0] += 1
    t = time.perf_counter()
    try:
        return real_import(*args, **kwargs)
    finally:
        depth[0] -= 1
        import_time[0] += time.perf_counter() - t
builtins.__import__ = counting_import
code = cli.main(sys.argv[1:])
builtins.__import__ = real_import
total = time.perf_counter() - started
print(json.dumps({"code": code, "in_process": total, "imports": imported,
                  "load_imports": import_time[0], "spent": spent}), file=sys.stderr)
"""


def run(root: Path, args: list[str], runner: bool) -> tuple[float, dict[str, Any]]:
    command = (
        [sys.executable, "-c", RUNNER, *args]
        if runner
        else [
            sys.executable,
            "-m",
            "sharedsvc_core",
            *args,
        ]
    )
    started = time.perf_counter()
    done = subprocess.run(
        command, cwd=root, capture_output=True, text=True, check=False, timeout=TIMEOUT_S
    )
    seconds = time.perf_counter() - started
    if done.returncode != 0 or "loaded submission" not in done.stdout:
        raise SystemExit(f"{' '.join(args)} failed in {root}:\n{done.stdout}{done.stderr}")
    parts = json.loads(done.stderr.strip().splitlines()[-1]) if runner else {}
    return seconds, parts


def reference_store(scale: int, workdir: Path) -> tuple[Path, Path]:
    """The programme's files, and a store with everything but the returns loaded."""
    data = workdir / f"data-scale{scale}"
    prepare_data(scale, data)
    db = workdir / f"loading-reference-scale{scale}.duckdb"
    if not db.exists():
        subprocess.run(
            [sys.executable, "-m", "sharedsvc_core", "init", "--db", str(db)],
            cwd=ROOT,
            check=True,
            capture_output=True,
        )
        for kind in REFERENCE_KINDS:
            subprocess.run(
                [
                    sys.executable,
                    "-m",
                    "sharedsvc_core",
                    "load",
                    kind,
                    str(data / f"{kind}.csv"),
                    "--db",
                    str(db),
                ],
                cwd=ROOT,
                check=True,
                capture_output=True,
            )
    return data, db


def fresh_copy(root: Path, reference: Path, to: Path) -> None:
    shutil.copyfile(reference, to)
    Path(f"{to}.wal").unlink(missing_ok=True)
    subprocess.run(
        [sys.executable, "-m", "sharedsvc_core", "init", "--db", str(to)],
        cwd=root,
        check=True,
        capture_output=True,
    )


def breakdown(whole: float, parts: dict[str, Any]) -> dict[str, float]:
    spent = parts["spent"]
    combined = spent.get("checks across tables, staging and the write", 0.0)
    across = spent.get("checks across tables", 0.0)
    staging = spent.get("staging", 0.0)
    out = {
        "start-up (interpreter and imports)": whole - parts["in_process"] + parts["imports"],
        "imports on the way": parts["load_imports"],
        "reading and checks in DuckDB": spent.get("reading and checks in DuckDB", 0.0),
        "reading": spent.get("reading", 0.0),
        "checks": spent.get("checks", 0.0),
        "staging": staging,
        "checks across tables": across,
        # the snapshot is rewritten as the write's transaction closes
        "the write (rows, snapshot, commit)": combined
        - across
        - staging
        + spent.get("snapshot", 0.0),
    }
    out["the rest"] = whole - sum(out.values())
    out["(of the write: the snapshot)"] = spent.get("snapshot", 0.0)
    return {k: round(v, 3) for k, v in out.items()}


def measure(root: Path, scale: int, workdir: Path, runs: int) -> dict[str, Any]:
    data, reference = reference_store(scale, workdir)
    db = workdir / f"loading-scale{scale}.duckdb"
    wholes: list[float] = []
    parts: list[dict[str, float]] = []
    args = ["load", "returns", str(data / "returns.csv"), "--db", str(db), "--user", "bench"]
    for _ in range(runs):
        fresh_copy(root, reference, db)
        seconds, _ = run(root, args, runner=False)
        wholes.append(seconds)
        fresh_copy(root, reference, db)
        seconds, found = run(root, args, runner=True)
        parts.append(breakdown(seconds, found))
    db.unlink(missing_ok=True)
    Path(f"{db}.wal").unlink(missing_ok=True)
    return {
        "whole_command_s": round(statistics.median(wholes), 3),
        "whole_command_runs_s": [round(w, 3) for w in wholes],
        "parts_s": {k: round(statistics.median(p[k] for p in parts), 3) for k in parts[0]},
    }


def commit_of(root: Path) -> str:
    marker = root / "COMMIT"
    if marker.exists():
        return marker.read_text(encoding="utf-8").strip()
    return str(machine().get("commit", ""))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=int, default=1, help="1 = national (the default)")
    parser.add_argument("--keep", type=Path, required=True, help="the folder for the files")
    parser.add_argument("--runs", type=int, default=3, help=f"at most {MOST_RUNS}")
    parser.add_argument("--compare", type=Path, help="another checkout to measure too")
    args = parser.parse_args()
    runs = max(1, min(MOST_RUNS, args.runs))
    workdir = args.keep.resolve()
    workdir.mkdir(parents=True, exist_ok=True)
    checkouts = [("now", ROOT)]
    if args.compare:
        checkouts.insert(0, ("before", args.compare.resolve()))
    results = []
    for name, root in checkouts:
        found = measure(root, args.scale, workdir, runs)
        found.update(checkout=name, commit=commit_of(root))
        results.append(found)
        print(
            f"{name} ({found['commit']}): whole command {found['whole_command_s']} s "
            f"(runs {found['whole_command_runs_s']})"
        )
        for part, seconds in found["parts_s"].items():
            print(f"  {part:40} {seconds:6.3f} s")
    summary = {
        "measured_at": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "machine": machine(),
        "scale": args.scale,
        "runs": runs,
        "results": results,
    }
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "loading.json").write_text(json.dumps(summary, indent=2) + "\n", encoding="utf-8")
    print(f"written {OUT / 'loading.json'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
