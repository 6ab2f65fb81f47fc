"""Hostile and messy files (CONTRACT.md section 1, "Whole-file rules"): refused fast, with
the right diagnosis, and never a crash. Files are real: CSV bytes, and .xlsx written
with openpyxl."""

from __future__ import annotations

import io
import time
from pathlib import Path

import openpyxl
import pytest
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


def test_the_problems_listed_are_the_first_by_row_then_column(
    register: Path, tmp_path: Path
) -> None:
    """Quarters and amounts are checked in separate passes over the file, yet the 200
    listed are rows 2 to 101, each quarter before its amount; the other 100 are counted.
    (A row without a valid quarter has no key, so the rows are not repeats.)"""
    path = tmp_path / "two-wrong.csv"
    rows = [f"{NL},HR,2014/15,Q9,n/a,,,own,"] * 150
    path.write_text(",".join(RETURNS_HEADER) + "\n" + "\n".join(rows) + "\n")
    result = run_cli("load", "returns", path, "--db", register)
    assert result.code == 1
    errors = [line for line in result.lines if line.startswith("ERROR ")]
    assert len(errors) == 200
    assert [e.split(":")[0] for e in errors[:4]] == [
        "ERROR row 2, column quarter",
        "ERROR row 2, column actual_cost",
        "ERROR row 3, column quarter",
        "ERROR row 3, column actual_cost",
    ]
    assert errors[-1].startswith("ERROR row 101, column actual_cost: ")
    assert "NOTE 100 more problems are not listed" in result.lines[-2]
    assert result.lines[-1] == "rejected: 300 errors, nothing written"


def test_a_repeated_row_is_named_with_the_row_it_repeats(register: Path, tmp_path: Path) -> None:
    """Every copy of one key after the first is an error naming the first; 250 copies
    are 249 errors, of which 200 are listed."""
    path = tmp_path / "repeated.csv"
    path.write_text(",".join(RETURNS_HEADER) + "\n" + f"{NL},HR,2014/15,Q1,92000,,,own,\n" * 250)
    result = run_cli("load", "returns", path, "--db", register)
    errors = [line for line in result.lines if line.startswith("ERROR ")]
    assert errors[0] == (
        "ERROR row 3, column council: the same council, service_code, financial_year, "
        "quarter as row 2: each may appear only once in a file"
    )
    assert errors[-1].startswith("ERROR row 202, column council: the same ")
    assert "NOTE 49 more problems are not listed" in result.lines[-2]
    assert result.lines[-1] == "rejected: 249 errors, nothing written"


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


# -- files that once reached people as internal errors ---------------------------------


def test_a_csv_with_classic_mac_line_ends_is_read(register: Path, tmp_path: Path) -> None:
    path = tmp_path / "mac.csv"
    lines = [",".join(RETURNS_HEADER), f"{NL},HR,2014/15,Q1,92000,12000,5000,own,"]
    path.write_bytes(("\r".join(lines) + "\r").encode("cp1252"))
    result = run_cli("load", "returns", path, "--db", register)
    assert result.code == 0, result
    assert result.lines[-1] == "loaded submission 6: 1 rows (1 new, 0 superseding), 0 warnings"


def test_utf16_without_a_byte_order_mark_is_named(register: Path, tmp_path: Path) -> None:
    path = tmp_path / "utf16.csv"
    text = ",".join(RETURNS_HEADER) + f"\r\n{NL},HR,2014/15,Q1,92000,,,own,\r\n"
    path.write_bytes(text.encode("utf-16-le"))  # no BOM
    result = run_cli("load", "returns", path, "--db", register)
    assert result.code == 1, result
    assert result.lines[0] == (
        "ERROR row 1, column (file): this is UTF-16 text without the mark at its start that "
        "says which UTF-16 it is, so it cannot be read safely: in Excel use Save As > CSV "
        "UTF-8 (Comma delimited), or in a text editor save it with the encoding UTF-8, and "
        "upload that"
    )


def test_a_huge_single_value_is_called_that_not_an_unclosed_quote(
    register: Path, tmp_path: Path
) -> None:
    path = tmp_path / "huge.csv"
    header = ",".join(RETURNS_HEADER)
    good = f"{NL},HR,2014/15,Q1,92000,,,own,"
    path.write_text(f'{header}\n{good}\n\n{good}"x\n{"y" * 15_000_000}"\n')
    result = run_cli("load", "returns", path, "--db", register)
    assert result.code == 1, result
    assert result.lines[0].startswith(
        "ERROR row 4, column (file): a single value in this row is over 131,072 characters"
    )
    assert "unclosed quote" not in result.out


def test_a_damaged_store_is_said_plainly_and_a_backup_restores_it(
    programme: Path, tmp_path: Path
) -> None:
    backup = tmp_path / "backup.duckdb"
    made = run_cli("backup", "--out", backup, "--db", programme)
    assert made.code == 0, made
    assert made.out.startswith(f"wrote a backup of {programme} to {backup}: 7 submissions, ")
    assert run_cli("backup", "--out", backup, "--db", programme).code == 2  # never overwrites
    before = run_cli("report", "realisation", "--format", "csv", "--db", programme).out
    # cut the store short, as a full disk or a failed copy would
    data = programme.read_bytes()
    programme.write_bytes(data[: len(data) // 3])
    for args in (["report", "realisation"], ["submissions"], ["load", "returns", backup]):
        result = run_cli(*args, "--db", programme)
        assert result.code == 2, (args, result)
        assert "is damaged or is not a sharedsvc store" in result.err, result
        assert "restore it from the latest backup" in result.err
        assert "unexpected" not in result.err and "Traceback" not in result.err
    # the restore steps of the README: put the backup back in place of the store
    import shutil

    shutil.copyfile(backup, programme)
    assert run_cli("report", "realisation", "--format", "csv", "--db", programme).out == before


def test_of_two_loads_of_the_same_keys_the_one_written_last_counts(
    register: Path, tmp_path: Path
) -> None:
    import csv
    import threading

    from sharedsvc_core import ingest
    from sharedsvc_core.access import Person
    from sharedsvc_core.store import Store

    files = []
    for cost in ("91000", "93000"):
        files.append((",".join(RETURNS_HEADER) + f"\n{NL},HR,2014/15,Q1,{cost},,,own,\n").encode())
    sent: dict[int, bytes] = {}
    results: list[ingest.LoadResult] = []

    def send(data: bytes) -> None:
        by = Person.administrator("t")
        result = ingest.load(Store.open(register), "returns", data, "r.csv", by=by)
        sent[result.submission_id or 0] = data
        results.append(result)

    threads = [threading.Thread(target=send, args=(data,)) for data in files]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    last = max(results, key=lambda r: r.submission_id or 0)
    first = min(results, key=lambda r: r.submission_id or 0)
    assert last.received_at and first.received_at and last.received_at > first.received_at
    listed = list(
        csv.DictReader(io.StringIO(run_cli("submissions", "--format", "csv", "--db", register).out))
    )
    status = {int(r["id"]): r["status"] for r in listed}
    assert status[last.submission_id or 0] == "current"
    assert status[first.submission_id or 0] == "superseded"
    report = run_cli(
        "report", "realisation", "--by", "service_council", "--format", "csv", "--db", register
    )
    evidenced = {r["key"]: r["evidenced"] for r in csv.DictReader(io.StringIO(report.out))}
    # the quarterly baseline is 100,000: evidenced is 9,000 or 7,000, by the last written
    expected = "9000.00" if b"91000" in sent[last.submission_id or 0] else "7000.00"
    assert evidenced[f"HR:{NL}"] == expected


def test_a_failure_in_the_dashboard_is_a_sentence_with_a_reference(
    programme: Path, monkeypatch: object, caplog: object
) -> None:
    import re

    from test_pages import open_app

    from sharedsvc_core import explore

    mp: pytest.MonkeyPatch = monkeypatch  # type: ignore[assignment]
    mp.delenv("SHAREDSVC_DEBUG")

    def broken(*args: object) -> object:
        raise RuntimeError("a bug nobody foresaw")

    mp.setattr(explore, "headline", broken)
    app = open_app(programme, mp)
    [error] = [e.value for e in app.error]
    found = re.fullmatch(
        r"Something went wrong while drawing this page\. It has been recorded with the "
        r"reference ([0-9A-F]{8})\. .* give your programme office the reference\.",
        error,
    )
    assert found, error
    assert "RuntimeError" not in error and "Traceback" not in error
    assert found.group(1) in caplog.text  # type: ignore[attr-defined]


# -- common council spreadsheets: the header is found, and the diagnosis is right -------

GOOD_ROW = [NL, "HR", "2014/15", "Q1", "92000", "12000", "5000", "own", ""]


def _workbook(path: Path, sheets: list[tuple[str, list[list[object]], str]]) -> Path:
    book = openpyxl.Workbook()
    book.remove(book.active)
    for title, rows, state in sheets:
        sheet = book.create_sheet(title)
        sheet.sheet_state = state
        for row in rows:
            sheet.append(row)
    book.save(path)
    return path


def test_title_and_blank_rows_above_the_header_are_skipped_and_named(
    register: Path, tmp_path: Path
) -> None:
    path = tmp_path / "titled.csv"
    lines = [
        "North Lincolnshire Council: shared services return,,,",
        "",
        ",".join(RETURNS_HEADER),
        ",".join(GOOD_ROW),
        ",".join([NL, "HR", "2014/15", "Q2", "n/a", "", "", "own", ""]),
    ]
    path.write_text("\n".join(lines) + "\n")
    result = run_cli("load", "returns", path, "--db", register)
    assert result.code == 1, result
    assert result.lines[0] == (
        "NOTE row 3, column (file): the header is on row 3 of the file; rows 1–2 were skipped"
    )
    # rows keep the file's own numbers: the bad one is row 5
    assert result.lines[1].startswith("ERROR row 5, column actual_cost: 'n/a' is not an amount")


def test_merged_group_headings_above_the_header_in_a_workbook(
    register: Path, tmp_path: Path
) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "returns"
    sheet.append(["Where", None, "When", None, "Money"])
    sheet.merge_cells("A1:B1")
    sheet.merge_cells("C1:D1")
    sheet.append(RETURNS_HEADER)
    sheet.append(GOOD_ROW)
    path = tmp_path / "grouped.xlsx"
    book.save(path)
    result = run_cli("load", "returns", path, "--db", register)
    assert result.code == 0, result
    assert result.lines[0] == (
        "NOTE row 2, column (file): the header is on row 2 of the sheet 'returns'; row 1 was "
        "skipped"
    )


def test_amounts_in_thousands_are_refused(register: Path, tmp_path: Path) -> None:
    path = _workbook(
        tmp_path / "thousands.xlsx",
        [("returns", [["All amounts £000"], RETURNS_HEADER, GOOD_ROW], "visible")],
    )
    before = snapshot(register)
    result = run_cli("load", "returns", path, "--db", register)
    assert result.code == 1, result
    errors = [line for line in result.lines if line.startswith("ERROR")]
    assert errors == [
        "ERROR row 1, column (file): 'All amounts £000' says the amounts are in thousands: "
        "enter amounts in pounds, not £ thousands (92000, not 92), with no note of units "
        "above the header (sheet 'returns')"
    ]
    assert snapshot(register) == before


def test_a_hidden_first_sheet_of_lookups_is_not_read(register: Path, tmp_path: Path) -> None:
    path = _workbook(
        tmp_path / "lookups.xlsx",
        [
            ("Lookups", [["code", "name"], [NL, "North Lincolnshire"]], "hidden"),
            (
                "Q1 return",
                [RETURNS_HEADER, GOOD_ROW, [NL, "HR", "2014/15", "Q2", "n/a"]],
                "visible",
            ),
        ],
    )
    result = run_cli("load", "returns", path, "--db", register)
    assert result.code == 1, result
    assert result.lines[0].startswith("ERROR row 3, column actual_cost: 'n/a' is not an amount")
    assert result.lines[0].endswith(" (sheet 'Q1 return')")  # every message names the sheet


def test_no_header_anywhere_says_which_row_came_closest(register: Path, tmp_path: Path) -> None:
    path = tmp_path / "no-header.csv"
    header = [c if c != "quarter" else "period" for c in RETURNS_HEADER]
    path.write_text("Title\n" + ",".join(header) + "\n" + ",".join(GOOD_ROW) + "\n")
    result = run_cli("load", "returns", path, "--db", register)
    assert result.code == 1, result
    assert result.lines[0] == (
        "NOTE row 2, column (file): no row in the first 20 of the file holds every required "
        "column; row 2 looks most like the header, and it lacks quarter"
    )
    assert "ERROR row 2, column quarter: the required column quarter is missing" in result.out


# -- the board pack on legal input -------------------------------------------------------

SCRIPTS = {
    "capitals": "W",
    "em dashes": "—",
    "Welsh": "ŵŷ",
    "Polish": "źż",
    "Greek": "Ω",
    "Urdu": "ب",
    "Bengali": "ক",
    "Punjabi": "ਕ",
    "Chinese": "中",
    "emoji": "😀",
}


@pytest.mark.parametrize("script", list(SCRIPTS))
def test_the_longest_commentary_in_any_script_makes_both_packs(
    register: Path, tmp_path: Path, script: str
) -> None:
    """A Red row (evidenced 5,000 of a 10,000 quarterly target: 50%) whose commentary is
    the longest allowed, 2,000 characters, in each script council staff may write in."""
    from pypdf import PdfReader

    text = (SCRIPTS[script] * 2000)[:2000]
    path = tmp_path / "r.csv"
    with path.open("w", encoding="utf-8", newline="") as f:
        import csv as csv_module

        red = [NL, "HR", "2014/15", "Q1", "95000", "", "", "own", text]
        csv_module.writer(f).writerows([RETURNS_HEADER, red])
    assert run_cli("load", "returns", path, "--db", register).code == 0
    for suffix in ("xlsx", "pdf"):
        out = tmp_path / f"pack.{suffix}"
        result = run_cli("export", "board-pack", "--out", out, "--db", register)
        assert result.code == 0, (suffix, result)
    book = openpyxl.load_workbook(tmp_path / "pack.xlsx")
    cells = [c for row in book["Exceptions"].iter_rows(values_only=True) for c in row]
    assert text in cells  # the workbook has it whole
    pdf = "".join(page.extract_text() for page in PdfReader(tmp_path / "pack.pdf").pages)
    drawn = sum(pdf.count(c) for c in set(SCRIPTS[script]))
    missing = pdf.count("\ufffd")
    # every character is there: drawn, or replaced where it can be seen
    assert drawn + missing >= 2000, (drawn, missing)


def test_the_two_packs_are_made_independently(programme: Path, monkeypatch: object) -> None:
    """If one file of the board pack cannot be made, the other is still offered, and the
    failure is a sentence with a reference."""
    from test_pages import open_app

    from sharedsvc_core import export

    mp: pytest.MonkeyPatch = monkeypatch  # type: ignore[assignment]
    mp.delenv("SHAREDSVC_DEBUG")

    def broken(pack: object) -> bytes:
        raise RuntimeError("the PDF could not be laid out")

    mp.setattr(export, "to_pdf", broken)
    app = open_app(programme, mp)
    app.session_state["overview-pack"] = True  # the board pack's box, opened
    app.run()
    assert not app.exception, [e.value for e in app.exception]
    assert [b.label for b in app.get("download_button")] == ["Download the board pack (Excel)"]
    [error] = [e.value for e in app.error]
    assert error.startswith("Something went wrong while drawing this page.")


def test_a_sheet_with_more_rows_than_a_workbook_may_hold_stops_at_the_limit(
    register: Path, tmp_path: Path
) -> None:
    """120,000 one-cell rows and no <dimension> element (which Excel always writes)."""
    import zipfile

    book = openpyxl.Workbook()
    book.active.title = "returns"
    buffer = io.BytesIO()
    book.save(buffer)
    source = zipfile.ZipFile(io.BytesIO(buffer.getvalue()))
    body = "".join(f'<row r="{i}"><c r="A{i}"><v>1</v></c></row>' for i in range(1, 120_001))
    sheet = (
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        f"<sheetData>{body}</sheetData></worksheet>"
    )
    path = tmp_path / "dense.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info.filename)
            target.writestr(info.filename, sheet if info.filename.endswith("sheet1.xml") else data)
    result = run_cli("load", "returns", path, "--db", register)
    assert result.code == 1, result
    assert result.lines[0] == (
        "ERROR row 100001, column (file): the sheet 'returns' goes on past 100,000 rows or "
        "1,200,000 cells, more than one workbook may hold here: split it into several files "
        "of at most 100,000 rows, or send it as CSV"
    )
