"""How much a page sends to the browser when it is opened: the bytes of Streamlit's
messages (ForwardMsg) over its websocket, and the options of each select box.

    .venv/bin/python bench/page_bytes.py --scale 10 --keep /tmp/bench --page realisation
    .venv/bin/python bench/page_bytes.py --scale 10 --keep /tmp/bench --compare DIR

Starts a dashboard server on a copy of the benchmark store (bench/stores.py) on
127.0.0.1, opens the page in a session over Streamlit's own protocol (as
bench/sessions.py does), reads until the script has finished and adds up the size of
every message, and counts the options of each multiselect and select box drawn. With
--compare DIR the checkout in DIR (another commit, from ``git archive``) is measured
the same way, for a before and after. Bounded: one open per checkout, 120 s each.
Writes bench/out/page-bytes.json.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import shutil
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
from sessions import _messages  # noqa: E402
from stores import ensure_store, paths  # noqa: E402

TIMEOUT_S = 120.0


async def _open(port: int, page: str) -> dict[str, Any]:
    import websockets

    back_msg, forward_msg = _messages()
    url = f"ws://127.0.0.1:{port}/_stcore/stream"
    sent = 0
    options: dict[str, int] = {}
    started = time.perf_counter()
    async with websockets.connect(
        url, max_size=None, subprotocols=["streamlit"], open_timeout=TIMEOUT_S
    ) as ws:
        first = back_msg()
        first.rerun_script.query_string = ""
        first.rerun_script.page_name = page
        await ws.send(first.SerializeToString())
        async with asyncio.timeout(TIMEOUT_S):
            while True:
                raw = await ws.recv()
                sent += len(raw)
                message = forward_msg()
                message.ParseFromString(raw)
                kind = message.WhichOneof("type")
                if kind == "delta" and message.delta.WhichOneof("type") == "new_element":
                    element = message.delta.new_element
                    inner = getattr(element, element.WhichOneof("type") or "", None)
                    if inner is not None and hasattr(inner, "options") and hasattr(inner, "label"):
                        options[str(inner.label)] = len(inner.options)
                elif kind == "script_finished":
                    if message.script_finished == forward_msg.FINISHED_EARLY_FOR_RERUN:
                        continue
                    break
    return {
        "bytes": sent,
        "options": options,
        "seconds": round(time.perf_counter() - started, 3),
    }


def commit_of(root: Path) -> str:
    marker = root / "COMMIT"
    if marker.exists():
        return marker.read_text(encoding="utf-8").strip()
    return str(machine().get("commit", ""))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=int, default=10, help="1 = national")
    parser.add_argument("--keep", type=Path, required=True, help="the benchmark stores' folder")
    parser.add_argument("--page", default="realisation", help="the page's name in the URL")
    parser.add_argument("--compare", type=Path, help="another checkout to measure too")
    args = parser.parse_args()
    workdir = args.keep.resolve()
    ensure_store(args.scale, workdir)
    store = paths(args.scale, workdir)[1]
    checkouts = [("now", ROOT)]
    if args.compare:
        checkouts.insert(0, ("before", args.compare.resolve()))
    results = []
    for name, root in checkouts:
        db = workdir / f"page-bytes-{name}.duckdb"
        shutil.copyfile(store, db)
        Path(f"{db}.wal").unlink(missing_ok=True)
        subprocess.run(
            [sys.executable, "-m", "sharedsvc_core", "init", "--db", str(db)],
            cwd=root,
            check=True,
            capture_output=True,
        )
        server = Server(root / "dashboard.py", root, db, workdir / f"page-bytes-{name}.log")
        try:
            found = asyncio.run(_open(server.port, args.page))
        finally:
            server.stop()
            db.unlink(missing_ok=True)
        found.update(checkout=name, commit=commit_of(root), page=args.page, scale=args.scale)
        results.append(found)
        print(
            f"{name} ({found['commit']}): {found['bytes']:,} bytes sent; options "
            f"{found['options']}",
            flush=True,
        )
    summary = {
        "measured_at": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "machine": machine(),
        "results": results,
    }
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "page-bytes.json").write_text(json.dumps(summary, indent=2) + "\n", encoding="utf-8")
    print(f"written {OUT / 'page-bytes.json'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
