"""A large plain returns CSV is read and checked in DuckDB (sharedsvc_core/bulk_csv.py).

The two readers must never disagree. Each file below is loaded twice into copies of
the same store: once as the product loads it, and once with DuckDB's reading turned
off, so the line-by-line reader takes it. What the command prints, its exit code and
every row written must be the same. Each case also says which way it must have been
read, so a case cannot pass by never reaching the DuckDB reader. The size below which
a file is read line by line anyway is set to nothing here, so small hand-made files
reach it; one test checks that size on its own.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import duckdb
import pytest
from conftest import NEL, NL, run_cli

from sharedsvc_core import bulk_csv
from sharedsvc_core.contract import KINDS

HEADER = KINDS["returns"].header()
AT = "2014-10-20T09:00:00Z"
# council, service, year, quarter, actual, claimed, one-off, fte, forecast, confidence,
# cost basis, commentary: the small programme's returns, written as a system exports them
ROWS = [
    [NL, "HR", "2014/15", "Q1", "92000", "12000", "5000", "12.5", "48000", "high", "own", ""],
    [NEL, "HR", "2014/15", "Q1", "44000", "", "0", "", "", "", "own", ""],
    [NL, "HR", "2014/15", "Q2", "89000.50", "11000", "", "11", "", "medium", "", ""],
    [NL, "ICT", "2014/15", "Q1", "270000", "30000", "50000", "", "", "low", "whole_service", ""],
    [NL, "ICT", "2014/15", "Q2", "250000", "-1500.25", "0", "", "", "", "whole_service", ""],
]


def _csv(header: list[str], rows: list[list[str]], end: str = "\n") -> str:
    return "".join(",".join(cells) + end for cells in [header, *rows])


def _with(row: int, column: str, value: str) -> list[list[str]]:
    rows = [list(r) for r in ROWS]
    rows[row][HEADER.index(column)] = value
    return rows


def _written(db: Path) -> dict[str, Any]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return {
            "rows": con.execute("SELECT * FROM return_rows ORDER BY ALL").fetchall(),
            "submissions": con.execute(
                "SELECT id, kind, file_name, sha256, rows, new_rows, superseding, blank_rows, "
                "received_at, council FROM submissions ORDER BY id"
            ).fetchall(),
            "messages": con.execute("SELECT * FROM submission_messages ORDER BY ALL").fetchall(),
        }
    finally:
        con.close()


def _load_both(
    monkeypatch: pytest.MonkeyPatch, register: Path, tmp_path: Path, data: bytes
) -> tuple[Any, Any, list[bool]]:
    """Load ``data`` with the DuckDB reader on and off; what each printed and wrote, and
    for the first, whether DuckDB took the file."""
    taken: list[bool] = []
    real_scan = bulk_csv.scan

    def scan(*args: Any, **kwargs: Any) -> Any:
        got = real_scan(*args, **kwargs)
        taken.append(got is not None)
        return got

    monkeypatch.setattr(bulk_csv, "SCAN_FROM_BYTES", 0)
    monkeypatch.setattr(bulk_csv, "scan", scan)
    path = tmp_path / "returns.csv"
    path.write_bytes(data)
    outcomes = []
    for on in (True, False):
        db = tmp_path / f"store-{on}.duckdb"
        shutil.copyfile(register, db)
        monkeypatch.setattr(bulk_csv, "SCAN_KINDS", frozenset({"returns"} if on else ()))
        result = run_cli("load", "returns", path, "--db", db, "--received-at", AT)
        outcomes.append(((result.code, result.out, result.err), _written(db)))
    return outcomes[0], outcomes[1], taken


# (name, the file, whether DuckDB must take it)
CASES: list[tuple[str, str | bytes, bool]] = [
    ("every column, blanks and defaults", _csv(HEADER, ROWS), True),
    ("lines ended by CRLF", _csv(HEADER, ROWS, end="\r\n"), True),
    ("no line break after the last row", _csv(HEADER, ROWS).removesuffix("\n"), True),
    (
        "commentary quoted, with commas and doubled quotes",
        _csv(HEADER, _with(0, "commentary", '"New rota, and ""shared"" posts"')),
        True,
    ),
    (
        "values written otherwise than they are stored",
        _csv(
            HEADER,
            [
                [NL, "HR", "2014/15", "q1", "92000", "", "", "", "", "High", "OWN", ""],
                [NEL, "HR", "2014/15", "Q1", "44000", "", "", "", "", "  ", "own", "  spaced  "],
            ],
        ),
        True,
    ),
    (
        "optional columns left out",
        _csv(
            [h for h in HEADER if h not in ("fte", "confidence", "cost_basis")],
            [
                [
                    c
                    for h, c in zip(HEADER, r, strict=True)
                    if h not in ("fte", "confidence", "cost_basis")
                ]
                for r in ROWS[:3]
            ],
        ),
        True,
    ),
    (
        "columns in another order, one with a default left out, values rewritten in three",
        _csv(
            ["commentary", "cost_basis", "confidence", "quarter", "actual_cost", "council"]
            + ["service_code", "financial_year"],
            [
                ["  kept  ", "OWN", "High", "q1", "92000", NL, "HR", "2014/15"],
                ["", "", "low", "Q2", "89000", NL, "HR", "2014/15"],
                ["", "whole_service", "", "Q1", "270000", NL, "ICT", "2014/15"],
            ],
        ),
        True,
    ),
    (
        "a service not on the register (a check across tables, by row)",
        _csv(HEADER, _with(2, "service_code", "PAY")),
        True,
    ),
    ("a council by its name", _csv(HEADER, _with(1, "council", "North East Lincolnshire")), False),
    ("a total row", _csv(HEADER, [*ROWS, ["Total", "", "", "", "745000"] + [""] * 7]), False),
    ("a key twice", _csv(HEADER, [*ROWS, ROWS[0]]), False),
    ("the same key written two ways", _csv(HEADER, [*ROWS, _with(0, "quarter", "q1")[0]]), False),
    ("an amount with a thousands comma", _csv(HEADER, _with(0, "actual_cost", '"92,000"')), False),
    ("an amount that is not a number", _csv(HEADER, _with(0, "actual_cost", "TBC")), False),
    ("a required amount blank", _csv(HEADER, _with(0, "actual_cost", "")), False),
    (
        "a blank line",
        _csv(HEADER, ROWS[:2]) + "\n" + _csv(HEADER, ROWS[2:]).split("\n", 1)[1],
        False,
    ),
    ("a value too many", _csv(HEADER, ROWS).replace(",own,\n", ",own,,x\n", 1), False),
    ("a quote after a space", _csv(HEADER, _with(0, "commentary", ' "quoted"')), False),
    ("a quoted value over two lines", _csv(HEADER, _with(0, "commentary", '"two\nlines"')), False),
    ("a byte-order mark", b"\xef\xbb\xbf" + _csv(HEADER, ROWS).encode(), False),
    (
        "Windows-1252 text",
        _csv(HEADER, _with(0, "commentary", "£5k saved")).encode("cp1252"),
        False,
    ),
    ("digits of another script", _csv(HEADER, _with(0, "fte", "١٢")), False),
    ("a heading in capitals", _csv([h.upper() for h in HEADER], ROWS), False),
    ("a choice not listed", _csv(HEADER, _with(0, "confidence", "certain")), False),
]


@pytest.mark.parametrize(("name", "content", "scanned"), CASES, ids=[c[0] for c in CASES])
def test_both_readers_print_and_write_the_same(
    monkeypatch: pytest.MonkeyPatch,
    register: Path,
    tmp_path: Path,
    name: str,
    content: str | bytes,
    scanned: bool,
) -> None:
    data = content.encode("utf-8") if isinstance(content, str) else content
    with_duckdb, line_by_line, taken = _load_both(monkeypatch, register, tmp_path, data)
    assert taken[:1] == [scanned], f"{name}: DuckDB {'did not take' if scanned else 'took'} it"
    assert with_duckdb == line_by_line


def test_a_plain_file_loads_with_its_figures_and_row_numbers(
    monkeypatch: pytest.MonkeyPatch, register: Path, tmp_path: Path
) -> None:
    """Figures checked against the file by hand, not against the other reader."""
    data = _csv(HEADER, ROWS).encode()
    with_duckdb, _, taken = _load_both(monkeypatch, register, tmp_path, data)
    assert taken[:1] == [True]
    (code, out, _), written = with_duckdb
    assert code == 0, out
    assert "5 rows (5 new, 0 superseding)" in out
    rows = {(r[2], r[3], r[5]): r for r in written["rows"]}  # council, service, quarter
    # row 2 of the file: every value given
    assert rows[(NL, "HR", 1)][1] == 2
    assert str(rows[(NL, "HR", 1)][6]) == "92000.00"
    assert str(rows[(NL, "HR", 1)][9]) == "12.50"
    # row 3: claimed saving blank stays blank; one-off cost 0; confidence blank
    assert rows[(NEL, "HR", 1)][1] == 3
    assert rows[(NEL, "HR", 1)][7] is None
    assert rows[(NEL, "HR", 1)][11] is None
    # row 4: one-off cost blank takes its default 0.00, cost basis blank takes "own"
    assert rows[(NL, "HR", 2)][1] == 4
    assert str(rows[(NL, "HR", 2)][6]) == "89000.50"
    assert str(rows[(NL, "HR", 2)][8]) == "0.00"
    assert rows[(NL, "HR", 2)][12] == "own"
    # row 6: a negative claimed saving
    assert str(rows[(NL, "ICT", 2)][7]) == "-1500.25"


def test_only_a_large_file_is_read_in_duckdb(register: Path, tmp_path: Path) -> None:
    """Below SCAN_FROM_BYTES a file is read line by line; above it, in DuckDB."""
    from sharedsvc_core import contract, ingest
    from sharedsvc_core.councils import CouncilIndex
    from sharedsvc_core.store import Store

    with Store.open(register).reading() as con:
        councils = CouncilIndex(con)
    rules = bulk_csv.Rules(ingest._outcome(councils), ingest._as_text, ingest._TOTAL, None)
    kind = contract.kind_named("returns")
    small = _csv(HEADER, ROWS).encode()
    assert len(small) < bulk_csv.SCAN_FROM_BYTES
    assert bulk_csv.scan(kind, small, rules) is None
    note = "x" * 400
    rows = [
        [
            council,
            service,
            f"{year}/{(year + 1) % 100:02d}",
            f"Q{q}",
            "1000",
            "",
            "",
            "",
            "",
            "",
            "own",
            note,
        ]
        for year in range(2014, 2064)
        for q in range(1, 5)
        for council in (NL, NEL)
        for service in ("HR", "ICT")
    ]
    large = _csv(HEADER, rows).encode()
    assert len(large) >= bulk_csv.SCAN_FROM_BYTES
    scanned = bulk_csv.scan(kind, large, rules)
    assert scanned is not None
    try:
        assert scanned.rows == len(rows) == 800
    finally:
        scanned.close()
    assert not scanned.parquet.exists()  # the temporary folder is gone


ROW = f"{NL},HR,2014/15,Q1,1,,,,,,own,"
QUOTES = [
    ("a quoted value with commas and doubled quotes", ROW + '"a, ""b"" c"\r\n' + ROW, True),
    ("a quoted first value and an empty quoted one", f'"{NL}",HR,2014/15,Q1,1,,,,,,own,""', True),
    ("a quoted last value", ROW + '"x"', True),
    ("text after the closing quote", ROW + '"a" b', False),
    ("a space before the opening quote", ROW + ' "a"', False),
    ("a quote inside an unquoted value", ROW + 'a"b', False),
    ("a quoted value over two lines", ROW + '"ab\ncd"', False),
    ("a value more than the header has", ROW + '"x",y', False),
    ("a quoted value of three million characters", ROW + '"' + "a, " * 1_000_000 + '"', True),
    ("more quote marks than are looked at", ROW + '"' + '""' * bulk_csv.MAX_QUOTES + '"', False),
]


@pytest.mark.parametrize(("name", "body", "whole"), QUOTES, ids=[q[0] for q in QUOTES])
def test_which_quoted_values_duckdb_may_read(name: str, body: str, whole: bool) -> None:
    """Python's csv module and DuckDB's reader agree on a quoted value only when it is
    whole; anything else goes to the line-by-line reader."""
    assert bulk_csv._quotes_whole(",".join(HEADER) + "\n" + body + "\n", len(HEADER)) is whole


def test_digits_of_another_script_are_read_as_numbers(register: Path, tmp_path: Path) -> None:
    """Full-width and Arabic-Indic digits (from a spreadsheet typed in another script) are
    read as the number they write, and the load says so as for any other; they once
    stopped the load at DuckDB's cast."""
    path = tmp_path / "returns.csv"
    path.write_text(_csv(HEADER, _with(0, "fte", "١٢")[:1] + _with(1, "fte", "１２")[1:2]))
    result = run_cli("load", "returns", path, "--db", register, "--received-at", AT)
    assert result.code == 0, result
    assert "2 rows (2 new, 0 superseding)" in result.out
    con = duckdb.connect(str(register), read_only=True)
    try:
        ftes = con.execute("SELECT row_no, fte FROM return_rows ORDER BY row_no").fetchall()
    finally:
        con.close()
    assert [(r, str(f)) for r, f in ftes] == [(2, "12.00"), (3, "12.00")]
