"""The first view of the Overview after a load: how long the first person to open it
waits, at national scale and at ten times.

    .venv/bin/python bench/first_view.py --scale 1,10 --keep /tmp/bench
    .venv/bin/python bench/first_view.py --scale 10 --keep /tmp/bench --compare DIR

For each scale, on a copy of the benchmark store (bench/stores.py), for each way the
server is run:
  1. start a dashboard server (``streamlit run dashboard.py``) on 127.0.0.1;
  2. open the Overview once, over Streamlit's own websocket protocol (as
     bench/sessions.py does), and time it to "script finished": the first view after
     the server starts;
  3. --repeats times: load a resubmission of 1,000 returns rows with the command line
     (each round's rows differ, so each is a new submission), wait until the server is
     idle (under 5% of a core for a second, after at least 4 s; at most 120 s), then
     open the Overview in a new session and time it: the first view after a load;
  4. once more, load and open the Overview at once, without waiting: what someone who
     opens it as a load finishes waits.

The ways a server is run: as it ships, and with SHAREDSVC_WARM_CACHES=0 (the caches
not warmed after a load: the cost of working the figures out). With --compare DIR the
checkout in DIR (another commit, exported with ``git archive``) is measured the same
way in the same run, on its own copy of the store, for a before and after.

Also times each question of the Overview in-process on the loaded store, after the
last round: where a cold view's time goes.

Bounded: --repeats at most 5, a view gives up after 120 s, and no round starts after
--budget seconds (default 540). Writes bench/out/first-view.json.
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import json
import os
import shutil
import signal
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

from pages import Server  # noqa: E402
from run import machine  # noqa: E402
from sessions import _cpu_seconds, _messages, _run_until_finished  # noqa: E402
from stores import ensure_store, paths  # noqa: E402

MOST_REPEATS = 5
VIEW_TIMEOUT_S = 120.0
IDLE_SHARE = 0.05  # of a core: the server is idle below this, over IDLE_WINDOW_S
IDLE_WINDOW_S = 1.0
SHORTEST_SETTLE_S = 4.0  # longer than the server takes to start warming (2 x data.WARM_EVERY_S)
LONGEST_SETTLE_S = 120.0
ROWS = 1000


async def _open_overview(port: int) -> float:
    import websockets

    back_msg, _ = _messages()
    url = f"ws://127.0.0.1:{port}/_stcore/stream"
    async with websockets.connect(
        url, max_size=None, subprotocols=["streamlit"], open_timeout=VIEW_TIMEOUT_S
    ) as ws:
        first = back_msg()
        first.rerun_script.query_string = ""
        first.rerun_script.page_name = "overview"
        seconds, _ = await _run_until_finished(ws, first, VIEW_TIMEOUT_S, "certified_only")
    return seconds


def open_overview(server: Server) -> float:
    return asyncio.run(_open_overview(server.port))


def settle(server: Server) -> float:
    """Wait until the server is idle, and at least SHORTEST_SETTLE_S; the seconds
    waited."""
    started = time.perf_counter()
    time.sleep(SHORTEST_SETTLE_S - IDLE_WINDOW_S)
    while time.perf_counter() - started < LONGEST_SETTLE_S:
        before = _cpu_seconds(server.proc.pid)
        time.sleep(IDLE_WINDOW_S)
        if _cpu_seconds(server.proc.pid) - before < IDLE_SHARE * IDLE_WINDOW_S:
            break
    return time.perf_counter() - started


def resubmission(returns: Path, out: Path, label: str) -> None:
    """1,000 rows spread through returns.csv, each with ``label`` as its commentary, so
    each label makes a new submission superseding the rows it repeats."""
    with open(returns, encoding="utf-8", newline="") as f:
        total = sum(1 for _ in f) - 1
    step = max(1, total // ROWS)
    with (
        open(returns, encoding="utf-8", newline="") as f,
        open(out, "w", encoding="utf-8", newline="") as g,
    ):
        reader = csv.reader(f)
        writer = csv.writer(g, lineterminator="\n")
        header = next(reader)
        commentary = header.index("commentary")
        writer.writerow(header)
        written = 0
        for i, row in enumerate(reader):
            if i % step == 0 and written < ROWS:
                row[commentary] = label
                writer.writerow(row)
                written += 1


def cli(root: Path, *args: str) -> tuple[float, str]:
    started = time.perf_counter()
    run = subprocess.run(
        [sys.executable, "-m", "sharedsvc_core", *args],
        cwd=root,
        capture_output=True,
        text=True,
        check=False,
        env={k: v for k, v in os.environ.items() if k != "SHAREDSVC_DB"},
    )
    seconds = time.perf_counter() - started
    if run.returncode != 0:
        raise SystemExit(f"{' '.join(args)} failed in {root}:\n{run.stdout}{run.stderr}")
    return seconds, run.stdout.strip().splitlines()[-1]


def _median(values: list[float]) -> float | None:
    return round(statistics.median(values), 3) if values else None


def measure(
    root: Path,
    label: str,
    warm: bool,
    db: Path,
    data: Path,
    workdir: Path,
    repeats: int,
    deadline: float,
) -> dict[str, Any]:
    saved = os.environ.get("SHAREDSVC_WARM_CACHES")
    os.environ["SHAREDSVC_WARM_CACHES"] = "1" if warm else "0"
    try:
        server = Server(root / "dashboard.py", root, db, workdir / f"first-view-{label}.log")
    finally:
        if saved is None:
            os.environ.pop("SHAREDSVC_WARM_CACHES", None)
        else:
            os.environ["SHAREDSVC_WARM_CACHES"] = saved
    rounds: list[dict[str, Any]] = []
    try:
        after_start = open_overview(server)
        for i in range(repeats):
            if time.monotonic() > deadline:
                print("  budget spent: no more rounds")
                break
            file = workdir / f"resubmission-{label}-{i}.csv"
            resubmission(data / "returns.csv", file, f"first view benchmark: {label}, {i}")
            load_s, said = cli(root, "load", "returns", str(file), "--db", str(db))
            settled_s = settle(server)
            view_s = open_overview(server)
            rounds.append(
                {"load_s": round(load_s, 2), "settled_s": round(settled_s, 2), "view_s": view_s}
            )
            print(
                f"  {label}: load {load_s:.2f} s ({said}); server idle after "
                f"{settled_s:.1f} s; first view {view_s:.3f} s",
                flush=True,
            )
        at_once = None
        if time.monotonic() < deadline:
            file = workdir / f"resubmission-{label}-at-once.csv"
            resubmission(data / "returns.csv", file, f"first view benchmark: {label}, at once")
            cli(root, "load", "returns", str(file), "--db", str(db))
            at_once = round(open_overview(server), 3)
            print(f"  {label}: opened at once after a load: {at_once:.3f} s", flush=True)
        memory = server.memory_mb()
    finally:
        server.stop()
    return {
        "label": label,
        "warm_caches": warm,
        "after_server_start_s": round(after_start, 3),
        "after_load_s": _median([r["view_s"] for r in rounds]),
        "at_once_after_load_s": at_once,
        "rounds": rounds,
        **memory,
    }


def questions(root: Path, db: Path) -> dict[str, float]:
    """Each of the Overview's questions, timed in-process on a store just loaded."""
    script = """
import json, sys, time
from datetime import UTC, datetime
from sharedsvc_core import explore, returns_calendar, settings
from sharedsvc_core.realisation import Filters
from sharedsvc_core.store import Store
store = Store.open(sys.argv[1])
scope = explore.Scope()
today = datetime.now(UTC).date()
steps = {
    "quarters": lambda con: explore.quarters(con, None),
    "headline": lambda con: explore.headline(con, scope),
    "outstanding": lambda con: returns_calendar.outstanding(con, None, None, today, Filters()),
    "trajectory": lambda con: explore.trajectory(con, scope),
    "off_track": lambda con: explore.off_track(con, scope),
    "rag_rule": lambda con: explore.rag_rule(con),
    "figures by partnership": lambda con: explore.figures(con, "partnership", scope),
    "settings": lambda con: settings.get_settings(con),
}
out = {}
for name, step in steps.items():
    started = time.perf_counter()
    with store.reading() as con:
        step(con)
    out[name] = round(time.perf_counter() - started, 3)
print("questions: " + json.dumps(out))
"""
    run = subprocess.run(
        [sys.executable, "-c", script, str(db)],
        cwd=root,
        capture_output=True,
        text=True,
        check=True,
    )
    # DuckDB may draw a progress bar on the same output, with no line break after it
    return dict(json.loads(run.stdout[run.stdout.rindex("questions: ") + 11 :].strip()))


def commit_of(root: Path) -> str:
    marker = root / "COMMIT"
    if marker.exists():
        return marker.read_text(encoding="utf-8").strip()
    return str(machine().get("commit", ""))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", default="1,10", help="scales, comma-separated")
    parser.add_argument("--keep", type=Path, required=True, help="the benchmark stores' folder")
    parser.add_argument("--repeats", type=int, default=3, help=f"at most {MOST_REPEATS}")
    parser.add_argument(
        "--compare",
        type=Path,
        help="another checkout to measure too (a COMMIT file in it names its commit)",
    )
    parser.add_argument(
        "--compared-only", action="store_true", help="measure only the --compare checkout"
    )
    parser.add_argument("--budget", type=float, default=540.0, help="seconds for all rounds")
    args = parser.parse_args()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))  # stop the servers on the way out
    repeats = max(1, min(MOST_REPEATS, args.repeats))
    deadline = time.monotonic() + args.budget
    workdir = args.keep.resolve()
    checkouts = [("this checkout", ROOT)]
    if args.compare:
        checkouts.insert(0, ("compared", args.compare.resolve()))
        if args.compared_only:
            checkouts = checkouts[:1]
    results: list[dict[str, Any]] = []
    for scale in (int(s) for s in args.scale.split(",")):
        ensure_store(scale, workdir)
        data, store, _ = paths(scale, workdir)
        for name, root in checkouts:
            has_warming = "SHAREDSVC_WARM_CACHES" in (root / "sharedsvc_app" / "data.py").read_text(
                encoding="utf-8"
            )
            for warm in (False, True) if has_warming else (True,):
                label = f"scale{scale}-{'before' if name == 'compared' else 'now'}-" + (
                    "warmed" if warm and has_warming else "cold"
                )
                db = workdir / f"first-view-{label}.duckdb"
                shutil.copyfile(store, db)
                Path(f"{db}.wal").unlink(missing_ok=True)
                cli(root, "init", "--db", str(db))
                print(
                    f"scale {scale}, {name} ({commit_of(root)}), caches warmed: "
                    f"{warm and has_warming}",
                    flush=True,
                )
                result = measure(root, label, warm, db, data, workdir, repeats, deadline)
                result.update(
                    scale=scale,
                    checkout=name,
                    commit=commit_of(root),
                    questions=questions(root, db),
                )
                print(
                    f"  first view after the server starts {result['after_server_start_s']} s; "
                    f"after a load, median {result['after_load_s']} s, at once "
                    f"{result['at_once_after_load_s']} s; questions "
                    f"{result['questions']}",
                    flush=True,
                )
                results.append(result)
                db.unlink(missing_ok=True)
                Path(f"{db}.wal").unlink(missing_ok=True)
    summary = {
        "measured_at": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "machine": machine(),
        "repeats": repeats,
        "results": results,
    }
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "first-view.json").write_text(json.dumps(summary, indent=2) + "\n", encoding="utf-8")
    print(f"written {OUT / 'first-view.json'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
