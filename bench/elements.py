"""Benchmark: what each kind of Streamlit element costs in the browser.

    .venv/bin/python bench/elements.py [--loads 8]

Serves the empty app and variants of bench/pages.py's yardstick of the Overview's kinds
of element side by side on 127.0.0.1, each variant with one kind of element left out or
drawn another way, then opens each --loads times in turn in Debian's Chromium (a new
browser context each time) and prints the median time to a fully drawn page, and its
multiple of the empty app's. A variant much faster than the whole yardstick names an
element worth drawing differently. No store is needed: the content is made up.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

import pages  # noqa: E402

BASE = pages.ELEMENTS_APP


def _block(first: str) -> str:
    """The line of the yardstick that starts with ``first`` (indent aside), with the
    lines indented under it."""
    lines = BASE.splitlines()
    for i, line in enumerate(lines):
        if line.strip().startswith(first):
            indent = len(line) - len(line.lstrip())
            j = i + 1
            while j < len(lines) and len(lines[j]) - len(lines[j].lstrip()) > indent:
                j += 1
            return "\n".join(lines[i:j])
    raise SystemExit(f"the yardstick has no line starting {first!r}")


PERIOD_BOX = _block('with st.sidebar.expander("Change the period"')
TILE = _block("column.metric(")
EXPANDER = _block("with st.expander(")
TABS = _block("tabs = st.tabs(")
TABLE = _block("st.html(")


def _drawn_in_sidebar(box: str) -> str:
    """The period box's controls drawn straight into the sidebar instead."""
    inner = [line.strip() for line in box.splitlines()[2:]]
    return "\n".join(line.replace("st.", "st.sidebar.", 1) for line in inner)


def variants() -> dict[str, str]:
    """The yardstick, and each variant of it, as app scripts."""
    drawn = {
        "the yardstick, as it is": BASE,
        "period controls drawn in the sidebar": BASE.replace(
            PERIOD_BOX, _drawn_in_sidebar(PERIOD_BOX)
        ),
        "without the headline tiles' help": BASE.replace(', help="What it means."', ""),
        "without the headline tiles": BASE.replace(TILE, TILE.split("column.")[0] + "pass"),
        "without the charts' expanders": BASE.replace(EXPANDER, EXPANDER.split("with")[0] + "pass"),
        "without the tabs": BASE.replace(TABS, "tabs = [st.container(), st.container()]").replace(
            "if tab.open:", "if i == 1:"
        ),
        "without the short table": BASE.replace(TABLE, "pass"),
    }
    for name, script in drawn.items():
        if name != "the yardstick, as it is" and script == BASE:
            raise SystemExit(f"the variant '{name}' no longer changes the yardstick")
        compile(script, name, "exec")  # each variant is still a whole script
    return drawn


async def measure(loads: int) -> dict[str, float]:
    from playwright.async_api import async_playwright

    scratch = Path(tempfile.mkdtemp(prefix="sharedsvc-elements-"))
    apps = {"(empty app)": (pages.EMPTY_APP, 0, pages.EMPTY_TITLE)}
    apps |= {name: (script, 2, pages.ELEMENTS_TITLE) for name, script in variants().items()}
    servers = {}
    try:
        for number, (name, (script, charts, heading)) in enumerate(apps.items()):
            path = scratch / f"app{number}.py"
            path.write_text(script, encoding="utf-8")
            server = pages.Server(path, scratch, None, scratch / f"app{number}.log")
            servers[name] = (server, charts, heading)
        times: dict[str, list[float]] = {name: [] for name in servers}
        async with async_playwright() as p:
            browser = await pages.launch(p)
            try:
                for round_ in range(loads + 1):  # the first round warms each server
                    for name, (server, charts, heading) in servers.items():
                        got = await pages.open_page(browser, server.url, charts, heading, 120)
                        if not got["ok"]:
                            raise SystemExit(f"{name}: {got.get('error')}")
                        if round_:
                            times[name].append(got["seconds"])
            finally:
                await browser.close()
    finally:
        for server, _, _ in servers.values():
            server.stop()
    return {name: statistics.median(values) for name, values in times.items()}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--loads", type=int, default=8, help="loads of each app (default 8)")
    args = parser.parse_args()
    medians = asyncio.run(measure(args.loads))
    empty = medians["(empty app)"]
    print(f"{'app':40} {'median s':>9} {'x empty':>8}")
    for name, seconds in medians.items():
        print(f"{name:40} {seconds:9.3f} {seconds / empty:8.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
