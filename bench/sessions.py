"""How many people one dashboard server holds: simulated sessions that speak Streamlit's
own websocket protocol (the BackMsg and ForwardMsg protobufs of the streamlit package),
so the machine's two cores measure the server, not twenty browsers.

    python bench/sessions.py                       # 10, 25, 50 sessions; national scale
    python bench/sessions.py --sessions 10,25,50,100,200 --keep /tmp/bench
    python bench/sessions.py --replicas 2 --sessions 10,20,30 --keep /tmp/bench

With --replicas N (or --nginx), N dashboard processes share the one store behind
Debian's nginx, configured as deploy/replicas.py configures it, and every session goes
through nginx, which gives each new session to the process with the fewest open
connections.

Each session, as a finance officer at quarter end would:
  1. opens a page (a rerun of the page by its name) and waits for the script to finish;
  2. thinks for 1–3 s;
  3. opens the box of controls (and waits), then ticks "Certified returns only" under
     Period (a widget change), or on Taking Stock chooses the first stakeholder group,
     and waits again.

All the sessions of a round start within the ramp (default 5 s). For each page and
count it reports the time from asking to "script finished" (p50, p95, max) for the open
and for the change, the failed sessions, and the server's CPU seconds and peak memory
(with several processes: their sum, and how the sessions were shared among them).
The capacity is the largest count at which every page's p95 is at most 2 s.

Every run is bounded: at most 200 sessions, a step gives up after --step-timeout
seconds (a failed session), and the whole run stops starting rounds after --budget
seconds (default 540). Traffic goes only to 127.0.0.1. Writes bench/out/sessions.json
(sessions-Nreplicas.json with --replicas N).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import shutil
import statistics
import sys
import tempfile
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
from stores import demo_store, ensure_store, paths  # noqa: E402

sys.path.insert(0, str(ROOT / "deploy"))
import replicas  # noqa: E402

MOST_SESSIONS = 200
TARGET_P95_S = 2.0
# the filter each page's sessions change, after opening the box it is in: the period
# box's "Certified returns only" on the savings pages; the stakeholder group on Taking
# Stock (its first option)
WIDGETS = {"overview": "certified_only", "realisation": "certified_only"}
DEFAULT_WIDGET = "survey_group"
BOXES = {"overview": "period_box", "realisation": "period_box"}
BOXES["taking_stock"] = "survey_filters_box"


def _messages() -> tuple[Any, Any]:
    from streamlit.proto.BackMsg_pb2 import BackMsg
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    return BackMsg, ForwardMsg


async def _run_until_finished(ws: Any, back: Any, timeout: float, widget: str) -> tuple[float, Any]:
    """Send one rerun and read until the script has finished: the seconds taken, and the
    element of ``widget`` (by its key) if the page drew it. An error drawn on the page
    fails the session."""
    _, forward_msg = _messages()
    started = time.perf_counter()
    await ws.send(back.SerializeToString())
    found_widget = None
    async with asyncio.timeout(timeout):
        while True:
            message = forward_msg()
            message.ParseFromString(await ws.recv())
            kind = message.WhichOneof("type")
            if kind == "delta" and message.delta.WhichOneof("type") == "add_block":
                box = message.delta.add_block
                if box.WhichOneof("type") == "expandable" and box.expandable.id.endswith(
                    f"-{widget}"
                ):
                    found_widget = box.expandable
            if kind == "delta" and message.delta.WhichOneof("type") == "new_element":
                element = message.delta.new_element
                kind_of = element.WhichOneof("type") or ""
                if kind_of == "exception":
                    raise RuntimeError(f"the page failed: {element.exception.message[:100]}")
                inner = getattr(element, kind_of, None)
                found = getattr(inner, "id", "")
                if isinstance(found, str) and found.endswith(f"-{widget}"):
                    found_widget = inner
            elif kind == "script_finished":
                if message.script_finished == forward_msg.FINISHED_EARLY_FOR_RERUN:
                    continue
                return time.perf_counter() - started, found_widget


async def session(url: str, page: str, delay: float, timeout: float) -> dict[str, Any]:
    import websockets

    back_msg, _ = _messages()
    await asyncio.sleep(delay)
    out: dict[str, Any] = {"open_s": None, "change_s": None, "error": None}
    try:
        # no keepalive pings of its own, as a browser sends none: with 200 sessions on
        # 2 cores a late pong would close a session the server was still serving
        async with websockets.connect(
            url,
            max_size=None,
            subprotocols=["streamlit"],
            open_timeout=timeout,
            ping_interval=None,
        ) as ws:
            first = back_msg()
            first.rerun_script.query_string = ""
            first.rerun_script.page_name = page
            widget = WIDGETS.get(page, DEFAULT_WIDGET)
            box = BOXES.get(page)
            out["open_s"], element = await _run_until_finished(ws, first, timeout, box or widget)
            if element is None:
                raise RuntimeError(f"the page drew no {box or widget} widget")
            await asyncio.sleep(random.uniform(1.0, 3.0))  # thinking
            change = back_msg()
            change.rerun_script.query_string = ""
            change.rerun_script.page_name = page
            if box:  # open the box, so the filter in it is drawn, and keep it open
                opened = change.rerun_script.widget_states.widgets.add()
                opened.id = element.id
                opened.bool_value = True
                _, element = await _run_until_finished(ws, change, timeout, widget)
                if element is None:
                    raise RuntimeError(f"the box drew no {widget} widget")
            state = change.rerun_script.widget_states.widgets.add()
            state.id = element.id
            if hasattr(element, "options"):  # a multiselect: choose its first option
                state.string_array_value.data.append(element.options[0])
            else:
                state.bool_value = True
            out["change_s"], _ = await _run_until_finished(ws, change, timeout, widget)
    except Exception as error:  # a failed session is counted, whatever failed
        out["error"] = f"{type(error).__name__}: {error}"[:200]
    return out


def _with_survey(store: Path, workdir: Path) -> Path:
    """A copy of the benchmark store with a Taking Stock survey, so that its page has a
    filter to change: the demo's programme-wide answers for both waves (the benchmark
    programme's services are not the demo's, so rows about a service are left out)."""
    import csv
    import shutil
    import subprocess

    copy = workdir / f"sessions-{store.name}"
    if copy.exists() and copy.stat().st_mtime >= store.stat().st_mtime:
        return copy
    shutil.copyfile(store, copy)
    for wave in ("2013-14", "2014-15"):
        with open(ROOT / "data" / "demo" / f"survey_{wave}.csv", encoding="utf-8") as f:
            rows = [r for r in csv.reader(f)]
        wanted = workdir / f"survey_{wave}.csv"
        with open(wanted, "w", encoding="utf-8", newline="") as f:
            csv.writer(f).writerows([rows[0], *(r for r in rows[1:] if not r[3])])
        subprocess.run(
            [
                sys.executable,
                "-m",
                "sharedsvc_core",
                "load",
                "survey",
                str(wanted),
                "--db",
                str(copy),
            ],
            cwd=ROOT,
            check=True,
            capture_output=True,
        )
    return copy


def _cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    ticks = os.sysconf("SC_CLK_TCK")
    return (int(fields[11]) + int(fields[12])) / ticks  # utime + stime


def _spread(values: list[float]) -> dict[str, float | None]:
    if not values:
        return {"p50": None, "p95": None, "max": None}
    ordered = sorted(values)
    p95 = ordered[min(len(ordered) - 1, max(0, round(0.95 * len(ordered)) - 1))]
    return {
        "p50": round(statistics.median(ordered), 3),
        "p95": round(p95, 3),
        "max": round(ordered[-1], 3),
    }


def _served_by(log: Path | None, since: int) -> dict[str, int]:
    """How many websockets each process served, from nginx's access log after ``since``
    bytes (nginx writes a websocket's line when it closes)."""
    if log is None or not log.exists():
        return {}
    counts: dict[str, int] = {}
    with open(log, "rb") as f:
        f.seek(since)
        for line in f.read().decode(errors="replace").splitlines():
            if '"GET /_stcore/stream ' in line and " replica=" in line:
                served = line.split(" replica=", 1)[1].split()[0]
                counts[served] = counts.get(served, 0) + 1
    return counts


async def one_round(
    servers: list[Server],
    url: str,
    page: str,
    count: int,
    ramp: float,
    timeout: float,
    log: Path | None = None,
) -> dict:
    cpu_before = sum(_cpu_seconds(server.proc.pid) for server in servers)
    log_before = log.stat().st_size if log is not None and log.exists() else 0
    started = time.perf_counter()
    results = await asyncio.gather(
        *(session(url, page, random.uniform(0, ramp), timeout) for _ in range(count))
    )
    wall = time.perf_counter() - started
    cpu = sum(_cpu_seconds(server.proc.pid) for server in servers) - cpu_before
    failed = [r["error"] for r in results if r["error"]]
    memory = [server.memory_mb() for server in servers]
    if log is not None:
        await asyncio.sleep(0.5)  # nginx writes the closed websockets' lines
    return {
        "page": page,
        "sessions": count,
        "open": _spread([r["open_s"] for r in results if r["open_s"] is not None]),
        "change": _spread([r["change_s"] for r in results if r["change_s"] is not None]),
        "failed": len(failed),
        "first_failures": sorted(set(failed))[:3],
        "wall_s": round(wall, 1),
        "server_cpu_s": round(cpu, 1),
        "server_cpu_share": round(cpu / wall, 2) if wall else None,
        "peak_mb": round(sum(m["peak_mb"] for m in memory), 1),
        "rss_mb": round(sum(m["rss_mb"] for m in memory), 1),
        "peak_mb_each": [m["peak_mb"] for m in memory],
        "sessions_each": _served_by(log, log_before),
    }


def replicas_port() -> int:
    from pages import free_port

    return free_port()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sessions", default="10,25,50", help="counts, comma-separated")
    parser.add_argument("--pages", default="overview,realisation,taking_stock")
    parser.add_argument("--scale", type=int, default=1, help="1 = national (the default)")
    parser.add_argument("--demo", action="store_true", help="use the demo store instead")
    parser.add_argument("--keep", type=Path, help="build the store in (or reuse it from) DIR")
    parser.add_argument("--ramp", type=float, default=5.0, help="seconds to start a round")
    parser.add_argument("--step-timeout", type=float, default=120.0)
    parser.add_argument("--budget", type=float, default=540.0, help="seconds for all rounds")
    parser.add_argument("--replicas", type=int, default=1, help="processes behind nginx")
    parser.add_argument("--nginx", action="store_true", help="through nginx with one process")
    args = parser.parse_args()
    if not 1 <= args.replicas <= 8:
        parser.error("--replicas is 1 to 8")
    through_nginx = args.nginx or args.replicas > 1
    counts = [min(MOST_SESSIONS, int(c)) for c in args.sessions.split(",")]
    pages = args.pages.split(",")
    random.seed(20141001)
    workdir = args.keep.resolve() if args.keep else Path(tempfile.mkdtemp(prefix="sessions-"))
    try:
        if args.demo:
            db = demo_store(workdir)
            where = "the demo store"
        else:
            ensure_store(args.scale, workdir)
            db = _with_survey(paths(args.scale, workdir)[1], workdir)
            where = f"scale {args.scale} (1 = national), with the demo's programme-wide survey"
        servers: list[Server] = []
        nginx = None
        log = None
        rounds: list[dict[str, Any]] = []
        try:
            for i in range(args.replicas):
                log_file = workdir / f"sessions-server-{i + 1}.log"
                servers.append(Server(ROOT / "dashboard.py", ROOT, db, log_file))
            url = f"ws://127.0.0.1:{servers[0].port}/_stcore/stream"
            if through_nginx:
                listen = replicas_port()
                folder = workdir / "sessions-nginx"
                nginx = replicas.start_nginx(folder, [s.port for s in servers], listen)
                url = f"ws://127.0.0.1:{listen}/_stcore/stream"
                log = folder / "replicas.log"
            deadline = time.monotonic() + args.budget
            for page in pages:  # warm each process's caches once per page
                for _ in servers:
                    asyncio.run(one_round(servers, url, page, 1, 0, args.step_timeout, log))
            for count in counts:
                for page in pages:
                    if time.monotonic() > deadline:
                        print(f"budget of {args.budget:.0f} s spent: stopping before more")
                        break
                    result = asyncio.run(
                        one_round(servers, url, page, count, args.ramp, args.step_timeout, log)
                    )
                    rounds.append(result)
                    print(
                        f"{page:13} {count:4} sessions: open p50 {result['open']['p50']} "
                        f"p95 {result['open']['p95']} max {result['open']['max']} s; change "
                        f"p95 {result['change']['p95']} s; failed {result['failed']}; server "
                        f"CPU {result['server_cpu_s']} s ({result['server_cpu_share']} of a "
                        f"core), peak {result['peak_mb']} MB"
                        + (f"; sessions per process {result['sessions_each']}" if log else ""),
                        flush=True,
                    )
        finally:
            if nginx is not None:
                replicas.stop([nginx])
            for server in servers:
                server.stop()
        held = [
            count
            for count in counts
            if (mine := [r for r in rounds if r["sessions"] == count])
            and len(mine) == len(pages)
            and all(
                r["failed"] == 0
                and (r["open"]["p95"] or 99) <= TARGET_P95_S
                and (r["change"]["p95"] or 99) <= TARGET_P95_S
                for r in mine
            )
        ]
        result = {
            "measured_at": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "machine": machine(),
            "store": where,
            "replicas": args.replicas,
            "through_nginx": through_nginx,
            "pages": pages,
            "ramp_s": args.ramp,
            "rounds": rounds,
            "holds_with_p95_at_most_2_s": max(held) if held else 0,
        }
        held_by = "one process holds" if args.replicas == 1 else f"{args.replicas} processes hold"
        print(f"{held_by} {result['holds_with_p95_at_most_2_s']} sessions with p95 <= 2 s")
        OUT.mkdir(parents=True, exist_ok=True)
        name = "sessions.json" if args.replicas == 1 else f"sessions-{args.replicas}replicas.json"
        (OUT / name).write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
        print(f"written {OUT / name}")
        return 0
    finally:
        if not args.keep:
            shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
