"""Hostile and messy files (CONTRACT.md section 1, "Whole-file rules"): refused fast, with
the right diagnosis, and never a crash. Files are real: CSV bytes, and .xlsx written
with openpyxl."""

from __future__ import annotations

import io
import time
from pathlib import Path

import openpyxl
from conftest import NL, RETURNS_HEADER, run_cli, snapshot

from sharedsvc_core.readers import column_letters


def _far_cells(path: Path, rows: int, far: object) -> Path:
    """A small returns workbook with one cell in column XFD (16,384) on every row."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "returns"
    sheet.append(RETURNS_HEADER)
    for i in range(rows):
        sheet.append([NL, "HR", "2014/15", "Q1", "92000", "", "", "own", ""])
        sheet.cell(row=i + 2, column=16384, value=far)
    book.save(path)
    return path


def test_column_letters() -> None:
    assert [column_letters(n) for n in (1, 26, 27, 52, 53, 702, 703, 16384)] == [
        "A", "Z", "AA", "AZ", "BA", "ZZ", "AAA", "XFD"
    ]  # fmt: skip


def test_a_value_far_to_the_right_refuses_the_file_at_once(register: Path, tmp_path: Path) -> None:
    path = _far_cells(tmp_path / "far.xlsx", 5000, "x")
    assert path.stat().st_size < 200_000
    before = snapshot(register)
    started = time.perf_counter()
    result = run_cli("load", "returns", path, "--db", register)
    elapsed = time.perf_counter() - started
    assert result.code == 1, result
    assert result.lines == [
        "ERROR row 2, column (file): the sheet 'returns' has a value in column XFD "
        "(column 16,384) of row 2, far beyond the 52 columns this kind of file could need: "
        "delete the cells to the right of the return (or copy the return alone into a new "
        "file) and upload it again",
        "rejected: 1 errors, nothing written",
    ]
    assert snapshot(register) == before
    assert elapsed < 10  # a generous bound for a slow machine; bench/hostile.py measures


def test_blank_cells_far_to_the_right_are_ignored(register: Path, tmp_path: Path) -> None:
    path = _far_cells(tmp_path / "far-blank.xlsx", 1, "")
    result = run_cli("load", "returns", path, "--db", register)
    assert result.code == 0, result
    assert result.lines[-1] == "loaded submission 6: 1 rows (1 new, 0 superseding), 0 warnings"


def test_a_csv_row_far_wider_than_any_return_is_refused(register: Path, tmp_path: Path) -> None:
    path = tmp_path / "wide.csv"
    header = ",".join(RETURNS_HEADER)
    path.write_text(f"{header}\n{NL},HR,2014/15,Q1,92000,,,own,{',' * 5000}stray\n")
    result = run_cli("load", "returns", path, "--db", register)
    assert result.code == 1, result
    assert result.lines[0].startswith(
        "ERROR row 2, column (file): the file has a value in column GJQ (column 5,009) of row 2"
    )


def test_after_200_problems_the_rest_are_counted_not_listed(register: Path, tmp_path: Path) -> None:
    path = tmp_path / "many.csv"
    rows = [
        f"{NL},HR,{1990 + y}/{(1991 + y) % 100:02d},Q{q},n/a,,,own,"
        for y in range(63)
        for q in range(1, 5)
    ][:250]
    path.write_text(",".join(RETURNS_HEADER) + "\n" + "\n".join(rows) + "\n")
    result = run_cli("load", "returns", path, "--db", register)
    assert result.code == 1
    errors = [line for line in result.lines if line.startswith("ERROR ")]
    assert len(errors) == 200
    assert errors[-1].startswith("ERROR row 201, column actual_cost: ")
    assert result.lines[-2] == (
        "NOTE 50 more problems are not listed (only the first 200 are): fix these, then "
        "check the file again to see the rest"
    )
    assert result.lines[-1] == "rejected: 250 errors, nothing written"


def test_an_xlsx_with_dates_and_formulas_still_reads(register: Path, tmp_path: Path) -> None:
    """The sheet parser used for bounded reading keeps Excel's dates and saved values."""
    import datetime

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "services"
    sheet.append(["service_code", "partnership_code", "name", "service_area", "stage", "go_live"])
    sheet.append(["PAY", "NLH", "Payroll", "Back office", "live", datetime.date(2015, 4, 1)])
    buffer = io.BytesIO()
    book.save(buffer)
    path = tmp_path / "services.xlsx"
    path.write_bytes(buffer.getvalue())
    result = run_cli("load", "services", path, "--db", register)
    assert result.code == 0, result
    import duckdb

    con = duckdb.connect(str(register), read_only=True)
    try:
        assert con.execute(
            "SELECT go_live FROM service_rows WHERE service_code = 'PAY'"
        ).fetchone() == (datetime.date(2015, 4, 1),)
    finally:
        con.close()


def test_a_report_succeeds_while_a_file_is_being_read(programme: Path, tmp_path: Path) -> None:
    """Reading and checking a file never holds the store: with a load paused just after
    it has read and checked its file, a report asked with a one-second wait for the
    store succeeds, and so does a second load."""
    import os
    import subprocess
    import sys

    from conftest import RETURNS_2015, ROOT

    path = tmp_path / "r.csv"
    path.write_text(",".join(RETURNS_HEADER) + "\n" + ",".join(RETURNS_2015[0]) + "\n")
    marker = tmp_path / "paused"
    command = [sys.executable, "-m", "sharedsvc_core"]
    env = dict(os.environ, SHAREDSVC_LOCK_WAIT="1")
    paused = dict(env, SHAREDSVC_FAULT_PAUSE="after_reading", SHAREDSVC_FAULT_MARKER=str(marker))
    loader = subprocess.Popen(
        [*command, "load", "returns", str(path), "--user", "slow", "--db", str(programme)],
        cwd=ROOT, env=paused, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 60
        while not marker.exists():
            assert loader.poll() is None, loader.communicate()
            assert time.monotonic() < deadline, "the load never reached the pause"
            time.sleep(0.05)
        report = subprocess.run(
            [*command, "report", "realisation", "--db", str(programme), "--format", "csv"],
            cwd=ROOT, env=env, capture_output=True, text=True, timeout=60,
        )  # fmt: skip
        assert report.returncode == 0, report.stderr
        assert report.stdout.startswith("key,target,evidenced")
        other = tmp_path / "other.csv"
        other.write_text(",".join(RETURNS_HEADER) + "\n" + ",".join(RETURNS_2015[1]) + "\n")
        second = subprocess.run(
            [*command, "load", "returns", str(other), "--db", str(programme)],
            cwd=ROOT, env=env, capture_output=True, text=True, timeout=60,
        )  # fmt: skip
        assert second.returncode == 0, second.stderr
    finally:
        loader.kill()
        loader.wait(20)


def test_csv_output_makes_formula_like_text_safe(register: Path, tmp_path: Path) -> None:
    import csv

    path = tmp_path / "=HYPERLINK(x).csv"
    # HR at North Lincolnshire: quarterly baseline 100,000, actual 120,000: evidenced -20,000
    path.write_text(",".join(RETURNS_HEADER) + f"\n{NL},HR,2014/15,Q1,120000,,,own,\n")
    assert run_cli("load", "returns", path, "--user", "=1+1", "--db", register).code == 0
    out = run_cli("submissions", "--format", "csv", "--db", register).out
    newest = next(csv.DictReader(io.StringIO(out)))
    assert newest["file_name"] == "'=HYPERLINK(x).csv"
    assert newest["received_by"] == "'=1+1"
    log = list(
        csv.DictReader(io.StringIO(run_cli("audit", "--format", "csv", "--db", register).out))
    )
    assert log[-1]["user"] == "'=1+1"
    # numbers are numbers: a negative evidenced saving keeps its minus sign
    report = run_cli(
        "report", "realisation", "--by", "council", "--format", "csv", "--db", register
    )
    rows = {r["key"]: r for r in csv.DictReader(io.StringIO(report.out))}
    assert rows[NL]["evidenced"] == "-20000.00"
