"""Shared fixtures: real DuckDB stores in tmp_path, real files, the real command line."""

from __future__ import annotations

import contextlib
import csv
import hashlib
import io
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import pytest

from sharedsvc_core import demo
from sharedsvc_core.cli import main
from sharedsvc_core.contract import KINDS
from sharedsvc_core.councils import load_reference
from sharedsvc_core.store import Store

# a failure nobody foresaw is raised, not turned into a sentence, so no test can pass
# over one (test_hostile.py checks the sentence with it unset)
os.environ["SHAREDSVC_DEBUG"] = "1"

ROOT = Path(__file__).resolve().parent.parent
REAL_EXPORTS = ROOT / "tests" / "fixtures" / "real_council_exports"
TABLES = (
    "submissions",
    "rollbacks",
    "submission_messages",
    "settings",
    "partnership_rows",
    "member_rows",
    "service_rows",
    "baseline_rows",
    "target_rows",
    "return_rows",
    "survey_rows",
    "comment_rows",
)

# North Lincolnshire (lead) and North East Lincolnshire
NL, NEL = "E06000013", "E06000012"


@pytest.fixture(scope="session")
def empty_store_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An initialised store (schema and reference councils), built once and copied."""
    path = tmp_path_factory.mktemp("template") / "template.duckdb"
    store = Store.open(path)
    store.migrate()
    with store.writing() as con:
        load_reference(con)
    return path


@pytest.fixture
def db(tmp_path: Path, empty_store_template: Path) -> Path:
    """The path of a fresh, initialised store of this test's own."""
    path = tmp_path / "store.duckdb"
    shutil.copy(empty_store_template, path)
    return path


@pytest.fixture
def store(db: Path) -> Store:
    return Store.open(db)


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory: pytest.TempPathFactory, empty_store_template: Path) -> Path:
    path = tmp_path_factory.mktemp("demo") / "demo.duckdb"
    shutil.copy(empty_store_template, path)
    demo.load_demo(Store.open(path))
    return path


@pytest.fixture
def demo_db(tmp_path: Path, demo_template: Path) -> Path:
    path = tmp_path / "demo.duckdb"
    shutil.copy(demo_template, path)
    return path


class CliResult:
    def __init__(self, code: int, out: str, err: str) -> None:
        self.code, self.out, self.err = code, out, err

    @property
    def lines(self) -> list[str]:
        return self.out.splitlines()

    def __repr__(self) -> str:
        return f"CliResult(code={self.code}, out={self.out!r}, err={self.err!r})"


def run_cli(*args: str | Path) -> CliResult:
    """Run the command line in this process, as `python -m sharedsvc_core ARGS`."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = main([str(a) for a in args])
        except SystemExit as exit_:  # argparse usage errors
            code = int(exit_.code or 0)
    return CliResult(code, out.getvalue(), err.getvalue())


def run_cli_process(
    *args: str | Path, env: dict[str, str] | None = None, timeout: float = 120
) -> subprocess.CompletedProcess[str]:
    """Run the command line in a separate Python process."""
    return subprocess.run(
        [sys.executable, "-m", "sharedsvc_core", *map(str, args)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env=env,
        timeout=timeout,
        check=False,
    )


def write_csv(
    path: Path, header: Sequence[str], rows: Sequence[Sequence[Any]], encoding: str = "utf-8"
) -> Path:
    with open(path, "w", encoding=encoding, newline="") as f:
        writer = csv.writer(f)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def write_xlsx(
    path: Path, header: Sequence[str], rows: Sequence[Sequence[Any]], sheet: str | None = None
) -> Path:
    import openpyxl

    book = openpyxl.Workbook()
    ws = book.active
    if sheet:
        ws.title = sheet
    ws.append(list(header))
    for row in rows:
        ws.append(list(row))
    book.save(path)
    return path


def snapshot(db: Path) -> str:
    """A fingerprint of everything a load or rollback could change."""
    import duckdb

    con = duckdb.connect(str(db), read_only=True)
    try:
        digest = hashlib.sha256()
        for table in TABLES:
            rows = con.execute(f"SELECT * FROM {table} ORDER BY ALL").fetchall()  # noqa: S608
            digest.update(f"{table}:{len(rows)}:{rows!r}".encode())
        return digest.hexdigest()
    finally:
        con.close()


def count_rows(db: Path, table: str) -> int:
    import duckdb

    con = duckdb.connect(str(db), read_only=True)
    try:
        return int(con.execute(f"SELECT count(*) FROM {table}").fetchone()[0])  # noqa: S608
    finally:
        con.close()


# -- the small programme used across the tests -----------------------------------------
# Partnership NLH: North Lincolnshire (lead, share 0.6) and North East Lincolnshire (0.4).
# Services HR (own returns), ICT (whole_service returns from the lead) and LEG (targets,
# never a return). The figures that follow from it are worked out in test_figures.py.

REGISTER: dict[str, tuple[list[str], list[list[Any]]]] = {
    "partnerships": (
        KINDS["partnerships"].header(omit=("status", "description")),
        [["NLH", "Northern Lincolnshire hub", "hub_and_spoke", NL, "2014-04-01"]],
    ),
    "members": (
        KINDS["members"].header(),
        [["NLH", NL, "0.6", "2014/15", ""], ["NLH", NEL, "0.4", "2014/15", ""]],
    ),
    "services": (
        KINDS["services"].header(omit=("go_live",)),
        [
            ["HR", "NLH", "Human resources", "Back office", "live", NL],
            ["ICT", "NLH", "ICT", "Back office", "live", NL],
            ["LEG", "NLH", "Legal", "Back office", "fbc", ""],
        ],
    ),
    "baselines": (
        KINDS["baselines"].required_columns,
        [
            ["HR", NL, "2013/14", "400000"],
            ["HR", NEL, "2013/14", "200000"],
            ["ICT", NL, "2013/14", "800000"],
            ["ICT", NEL, "2013/14", "400000"],
        ],
    ),
    "targets": (
        KINDS["targets"].required_columns,
        [
            ["HR", NL, "2014/15", "40000"],
            ["HR", NEL, "2014/15", "20000"],
            ["ICT", NL, "2014/15", "80000"],
            ["ICT", NEL, "2014/15", "40000"],
            ["LEG", NL, "2014/15", "10000"],
            ["HR", NL, "2015/16", "40000"],
            ["HR", NEL, "2015/16", "20000"],
            ["ICT", NL, "2015/16", "80000"],
            ["ICT", NEL, "2015/16", "40000"],
        ],
    ),
}
RETURNS_HEADER = KINDS["returns"].header(omit=("fte", "forecast_year_saving", "confidence"))
RETURNS_2014 = [
    [NL, "HR", "2014/15", "Q1", "92000", "12000", "5000", "own", "Restructure under way"],
    [NEL, "HR", "2014/15", "Q1", "44000", "", "0", "own", ""],
    [NL, "HR", "2014/15", "Q2", "89000", "11000", "", "own", ""],
    [NL, "ICT", "2014/15", "Q1", "270000", "30000", "50000", "whole_service", "New data centre"],
    [NL, "ICT", "2014/15", "Q2", "250000", "", "0", "whole_service", ""],
]
RETURNS_2015 = [
    [NL, "HR", "2015/16", "Q1", "85000", "15000", "", "own", ""],
    [NEL, "HR", "2015/16", "Q1", "45000", "9000", "", "own", "Claim includes vacancy savings"],
    [NL, "ICT", "2015/16", "Q1", "240000", "", "10000", "whole_service", ""],
]
REGISTER_AT = "2014-04-01T09:00:00Z"
RETURNS_2014_AT = "2014-10-20T09:00:00Z"
RETURNS_2015_AT = "2015-07-20T09:00:00Z"


def load_register(db: Path, tmp_path: Path) -> None:
    for kind, (header, rows) in REGISTER.items():
        path = write_csv(tmp_path / f"{kind}.csv", header, rows)
        result = run_cli("load", kind, path, "--db", db, "--received-at", REGISTER_AT)
        assert result.code == 0, result


@pytest.fixture
def programme(db: Path, tmp_path: Path) -> Path:
    """The small programme with both years' returns loaded (back-dated)."""
    load_register(db, tmp_path)
    for name, rows, when in (
        ("returns_2014.csv", RETURNS_2014, RETURNS_2014_AT),
        ("returns_2015.csv", RETURNS_2015, RETURNS_2015_AT),
    ):
        path = write_csv(tmp_path / name, RETURNS_HEADER, rows)
        result = run_cli("load", "returns", path, "--db", db, "--received-at", when)
        assert result.code == 0, result
    return db


@pytest.fixture
def register(db: Path, tmp_path: Path) -> Path:
    """The small programme's register, baselines and targets, with no returns."""
    load_register(db, tmp_path)
    return db


def report_csv(db: Path, *args: str) -> dict[str, dict[str, str]]:
    """`report realisation --format csv`, as {key: {column: text}}."""
    result = run_cli("report", "realisation", "--db", db, "--format", "csv", *args)
    assert result.code == 0, result
    rows = list(csv.DictReader(io.StringIO(result.out)))
    return {row["key"]: row for row in rows}


def iter_lines(text: str) -> Iterator[str]:
    yield from (line for line in text.splitlines() if line.strip())


# -- a real browser: Debian's Chromium, driven by Playwright ------------------------------

CHROMIUM = "/usr/bin/chromium"


def count_runs(tab: Any) -> None:
    """Count, in ``tab.runs_finished``, the runs of the app's script that the server has
    said are finished, read from the page's websocket in Streamlit's own messages. A
    test waits on the count to know that a rerun it started is over, however quickly
    it ran (the page's "running" state may never be drawn for a quick one)."""
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    tab.runs_finished = 0

    def frame(payload: bytes | str) -> None:
        if isinstance(payload, bytes):
            message = ForwardMsg()
            message.ParseFromString(payload)
            if message.WhichOneof("type") == "script_finished":
                tab.runs_finished += 1

    tab.on("websocket", lambda socket: socket.on("framereceived", frame))


@pytest.fixture
def page() -> Iterator[Any]:
    """A fresh browser (no cookies) for each test."""
    if not Path(CHROMIUM).exists():
        pytest.fail("Debian's Chromium is missing: the test command installs it (./run test)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        tab = browser.new_page(viewport={"width": 1400, "height": 1000})
        tab.set_default_timeout(60_000)
        count_runs(tab)
        try:
            yield tab
        finally:
            browser.close()
