"""Bad input: every way a council's file can be wrong (CONTRACT.md sections 1 to 4).

Each rejection test checks three things: the exit code, the exact ``row R, column C``
of the problem with a phrase that tells the user what to do, and that the store is
exactly as it was before the load. Files that should load are checked by reading back
what was stored.
"""

from __future__ import annotations

import io
import random
import zipfile
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import duckdb
import openpyxl
import pytest
from conftest import (
    NEL,
    NL,
    REAL_EXPORTS,
    RETURNS_2014,
    RETURNS_HEADER,
    CliResult,
    run_cli,
    run_cli_process,
    snapshot,
    write_csv,
    write_xlsx,
)

from sharedsvc_core.contract import KINDS

NORTHUMBERLAND, NORTHUMBERLAND_FORMER = "E06000057", "E06000048"
PARTNERSHIP_HEADER = KINDS["partnerships"].header(omit=("status", "description"))
REQUIRED_RETURN_COLUMNS = KINDS["returns"].required_columns


# -- helpers -----------------------------------------------------------------------------


def ret(**changes: Any) -> list[Any]:
    """A returns row: RETURNS_2014[0] (North Lincolnshire, HR, 2014/15 Q1) with changes."""
    row = dict(zip(RETURNS_HEADER, RETURNS_2014[0], strict=True))
    for name, value in changes.items():
        assert name in row, name
        row[name] = value
    return [row[c] for c in RETURNS_HEADER]


def load(db: Path, kind: str, path: Path, *extra: str) -> CliResult:
    return run_cli("load", kind, path, "--db", db, *extra)


def load_returns(
    db: Path, tmp_path: Path, rows: list[list[Any]], *extra: str, name: str = "returns.csv"
) -> CliResult:
    return load(db, "returns", write_csv(tmp_path / name, RETURNS_HEADER, rows), *extra)


def query(db: Path, text: str, *params: Any) -> list[tuple[Any, ...]]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(text, list(params)).fetchall()
    finally:
        con.close()


def error_lines(result: CliResult) -> list[str]:
    return [line for line in result.lines if line.startswith("ERROR ")]


def assert_refused(result: CliResult, row: int, column: str, *phrases: str) -> None:
    """Exit 1, an ERROR at exactly this row and column whose message holds every
    phrase, the rejection summary last, and no traceback anywhere."""
    assert result.code == 1, result
    prefix = f"ERROR row {row}, column {column}: "
    lines = [line for line in result.lines if line.startswith(prefix)]
    assert lines, f"no line starting {prefix!r} in:\n{result.out}"
    for phrase in phrases:
        assert any(phrase.lower() in line.lower() for line in lines), (phrase, lines)
    assert result.lines[-1].startswith("rejected: "), result
    assert result.lines[-1].endswith("errors, nothing written"), result
    assert "Traceback" not in result.out + result.err


def assert_loaded(result: CliResult, warnings: int = 0) -> None:
    assert result.code == 0, result
    assert not error_lines(result), result
    last = result.lines[-1]
    assert last.startswith("loaded submission "), result
    assert last.endswith(f", {warnings} warnings"), result


def xlsx_bytes(tmp_path: Path, header: list[str], rows: list[list[Any]]) -> bytes:
    return write_xlsx(tmp_path / "book.xlsx", header, rows).read_bytes()


def with_member(data: bytes, name: str, payload: bytes) -> bytes:
    """The ZIP ``data`` re-zipped with one more member."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            target.writestr(info, source.read(info.filename))
        target.writestr(name, payload, compress_type=zipfile.ZIP_DEFLATED, compresslevel=9)
    return out.getvalue()


# -- section 1: formats ------------------------------------------------------------------

OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10\x00\x00\x00\x10\x08\x06\x00\x00"
    b"\x00\x1f\xf3\xffa\x00\x00\x00\x0cIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x00\x00"
    b"\x00\x00IEND\xaeB`\x82"
)


def _zip_not_workbook(tmp_path: Path) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("readme.txt", "quarterly return attached\n")
        archive.writestr("returns.csv", ",".join(RETURNS_HEADER) + "\n")
    return out.getvalue()


def _xlsm(tmp_path: Path) -> bytes:
    data = xlsx_bytes(tmp_path, RETURNS_HEADER, [ret()])
    return with_member(data, "xl/vbaProject.bin", OLE2 + b"\x00" * 2048)


def _empty_workbook(tmp_path: Path) -> bytes:
    path = tmp_path / "empty.xlsx"
    openpyxl.Workbook().save(path)
    return path.read_bytes()


def _zip_bomb(tmp_path: Path) -> bytes:
    data = xlsx_bytes(tmp_path, RETURNS_HEADER, [ret()])
    return with_member(data, "xl/media/padding.bin", b"\x00" * (20 * 1024 * 1024))


BAD_FILES: list[tuple[str, str, Callable[[Path], bytes], str]] = [
    ("empty", "returns.csv", lambda _: b"", "export the return again"),
    ("png_named_csv", "returns.csv", lambda _: PNG + b"\x00" * 512, "upload a .csv or .xlsx"),
    (
        "random_bytes_named_csv",
        "returns.csv",
        lambda _: random.Random(1729).randbytes(4096) + b"\x00\x00",
        "upload a .csv or .xlsx",
    ),
    ("xls", "returns.xls", lambda _: OLE2 + b"\x00" * 4096, "save as"),
    (
        "password_protected",
        "returns.xlsx",
        lambda _: OLE2 + b"\x00" * 512 + "EncryptionInfo".encode("utf-16-le") + b"\x00" * 512,
        "remove the password",
    ),
    ("xlsm", "returns.xlsm", _xlsm, "save as > excel workbook (.xlsx)"),
    (
        "pdf",
        "returns.pdf",
        lambda _: b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n",
        "upload the return as .xlsx or .csv",
    ),
    (
        "pdf_named_xlsx",
        "returns.xlsx",
        lambda _: b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\n",
        "upload the return as .xlsx or .csv",
    ),
    ("zip_not_workbook", "returns.zip", _zip_not_workbook, "upload the return as .xlsx or .csv"),
    ("zip_bomb", "returns.xlsx", _zip_bomb, "copy the return's rows alone into a new workbook"),
    ("blank_lines_only", "returns.csv", lambda _: b"\r\n  \r\n,,,\r\n", "export the return again"),
    ("empty_workbook", "returns.xlsx", _empty_workbook, "put the return on a sheet named"),
]


@pytest.mark.parametrize(
    ("name", "make", "phrase"),
    [(name, make, phrase) for _, name, make, phrase in BAD_FILES],
    ids=[case[0] for case in BAD_FILES],
)
def test_unreadable_file_is_refused_with_what_to_do(
    register: Path, tmp_path: Path, name: str, make: Callable[[Path], bytes], phrase: str
) -> None:
    path = tmp_path / "upload" / name
    path.parent.mkdir()
    path.write_bytes(make(tmp_path))
    before = snapshot(register)
    result = load(register, "returns", path)
    assert_refused(result, 1, "(file)", phrase)
    assert len(error_lines(result)) == 1, result
    assert snapshot(register) == before


def test_formula_with_no_cached_value_is_refused(register: Path, tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "returns.xlsx", RETURNS_HEADER, [ret(), ret(quarter="Q2")])
    book = openpyxl.load_workbook(path)
    book.active["E3"] = "=89000+1000"  # openpyxl saves formulas with no cached value
    book.save(path)
    before = snapshot(register)
    result = load(register, "returns", path)
    assert_refused(result, 3, "actual_cost", "open and save the file in Excel")
    # one error for the cell, not a second one saying the value is missing
    assert error_lines(result) == [
        line for line in result.lines if line.startswith("ERROR row 3, column actual_cost:")
    ]
    assert len(error_lines(result)) == 1, result
    assert snapshot(register) == before


def test_sheet_named_after_the_kind_is_read_when_not_first(register: Path, tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    notes = book.active
    notes.title = "Instructions"
    notes.append(["Fill in the Returns sheet, then upload this workbook"])
    notes.append(["Total", "999999"])
    data = book.create_sheet("Returns")
    data.append(RETURNS_HEADER)
    data.append(ret())
    path = tmp_path / "returns.xlsx"
    book.save(path)
    result = load(register, "returns", path)
    assert_loaded(result)
    assert query(register, "SELECT council, actual_cost FROM return_rows") == [
        (NL, Decimal("92000.00"))
    ]


def test_type_is_read_from_the_content_not_the_name(register: Path, tmp_path: Path) -> None:
    workbook = write_xlsx(tmp_path / "real.xlsx", RETURNS_HEADER, [ret()])
    named_csv = tmp_path / "returns_q1.csv"
    named_csv.write_bytes(workbook.read_bytes())
    assert_loaded(load(register, "returns", named_csv))
    text = write_csv(tmp_path / "real.csv", RETURNS_HEADER, [ret(quarter="Q2")])
    named_xlsx = tmp_path / "returns_q2.xlsx"
    named_xlsx.write_bytes(text.read_bytes())
    assert_loaded(load(register, "returns", named_xlsx))
    assert query(register, "SELECT quarter FROM return_rows ORDER BY quarter") == [(1,), (2,)]


@pytest.mark.parametrize(
    "encoding", ["utf-8", "utf-8-bom", "windows-1252", "utf-16-le-bom", "utf-16-be-bom"]
)
def test_encodings_are_detected_and_the_pound_sign_survives(
    register: Path, tmp_path: Path, encoding: str
) -> None:
    commentary = "Saved £500 a month on agency staff – café contract ended"
    text = write_csv(
        tmp_path / "utf8.csv",
        RETURNS_HEADER,
        [ret(claimed_saving="£1,234.50", commentary=commentary)],
    ).read_text(encoding="utf-8")
    data = {
        "utf-8": text.encode("utf-8"),
        "utf-8-bom": b"\xef\xbb\xbf" + text.encode("utf-8"),
        "windows-1252": text.encode("cp1252"),
        "utf-16-le-bom": b"\xff\xfe" + text.encode("utf-16-le"),
        "utf-16-be-bom": b"\xfe\xff" + text.encode("utf-16-be"),
    }[encoding]
    if encoding == "windows-1252":
        assert b"\xa31,234.50" in data
    path = tmp_path / "returns.csv"
    path.write_bytes(data)
    result = load(register, "returns", path)
    assert_loaded(result)
    assert query(register, "SELECT claimed_saving, commentary FROM return_rows") == [
        (Decimal("1234.50"), commentary)
    ]


def test_file_over_the_size_limit_is_refused(register: Path, tmp_path: Path) -> None:
    assert run_cli("settings", "max_file_mb", "0.001", "--db", register).code == 0
    rows = [
        ret(financial_year=f"{2014 + n // 4}/{(15 + n // 4) % 100:02d}", quarter=f"Q{n % 4 + 1}")
        for n in range(24)
    ]
    path = write_csv(tmp_path / "returns.csv", RETURNS_HEADER, rows)
    assert path.stat().st_size > 1100
    before = snapshot(register)
    result = load(register, "returns", path)
    assert_refused(result, 1, "(file)", "MB limit", "split it into smaller files")
    assert snapshot(register) == before


# -- section 1: headers ------------------------------------------------------------------


def test_headers_match_ignoring_case_spaces_and_hyphens(register: Path, tmp_path: Path) -> None:
    header = [
        " Council ",
        "Service-Code",
        "FINANCIAL YEAR",
        "quarter ",
        "Actual Cost",
        "CLAIMED-SAVING",
        "One Off Cost",
        " cost basis",
        "Commentary",
    ]
    path = write_csv(tmp_path / "returns.csv", header, [ret()])
    assert_loaded(load(register, "returns", path))
    assert query(
        register,
        "SELECT council, service_code, financial_year, quarter, actual_cost, claimed_saving, "
        "one_off_cost, cost_basis FROM return_rows",
    ) == [
        (
            NL,
            "HR",
            "2014/15",
            1,
            Decimal("92000.00"),
            Decimal("12000.00"),
            Decimal("5000.00"),
            "own",
        )
    ]


@pytest.mark.parametrize("missing", REQUIRED_RETURN_COLUMNS)
def test_missing_required_column_is_named(register: Path, tmp_path: Path, missing: str) -> None:
    keep = [i for i, c in enumerate(RETURNS_HEADER) if c != missing]
    path = write_csv(
        tmp_path / "returns.csv",
        [RETURNS_HEADER[i] for i in keep],
        [[row[i] for i in keep] for row in RETURNS_2014[:2]],
    )
    before = snapshot(register)
    result = load(register, "returns", path)
    assert_refused(result, 1, missing, f"add a column headed {missing}")
    assert snapshot(register) == before


def test_duplicate_header_is_refused(register: Path, tmp_path: Path) -> None:
    header = [*RETURNS_HEADER, "Claimed Saving"]
    path = write_csv(tmp_path / "returns.csv", header, [[*ret(), "13000"]])
    before = snapshot(register)
    result = load(register, "returns", path)
    assert_refused(result, 1, "claimed_saving", "appears twice", "remove one of them")
    assert snapshot(register) == before


def test_unknown_column_is_a_warning_and_is_not_stored(register: Path, tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "returns.csv",
        [*RETURNS_HEADER, "Officer notes"],
        [[*ret(), "ring Jo about the agency invoice"]],
    )
    result = load(register, "returns", path)
    assert_loaded(result, warnings=1)
    warnings = [line for line in result.lines if line.startswith("WARNING ")]
    assert len(warnings) == 1, result
    assert warnings[0].startswith("WARNING row 1, column Officer notes: "), result
    assert "not stored" in warnings[0]
    columns = [name for name, *_ in query(register, "DESCRIBE return_rows")]
    assert not any("note" in c for c in columns)
    stored = query(register, "SELECT * FROM return_rows")
    assert len(stored) == 1 and "Jo" not in repr(stored)


# -- section 1: rows ---------------------------------------------------------------------


def test_blank_rows_are_skipped_and_counted(register: Path, tmp_path: Path) -> None:
    path = tmp_path / "returns.csv"
    lines = [
        ",".join(RETURNS_HEADER),
        ",".join(ret()),
        "",
        ",,,,,,,,",
        ",".join(ret(council=NEL, actual_cost="44000", claimed_saving="")),
        "",
    ]
    path.write_text("\r\n".join(lines), encoding="utf-8")
    result = load(register, "returns", path)
    assert_loaded(result)
    assert any("skipped 2 blank rows" in line and "rows 3, 4" in line for line in result.lines)
    assert query(register, "SELECT row_no FROM return_rows ORDER BY row_no") == [(2,), (5,)]


@pytest.mark.parametrize(
    ("row", "column"),
    [
        (["Total", "", "", "", "136000", "12000", "5000", "", ""], "council"),
        (["", "Grand total", "", "", "136000", "12000", "5000", "", ""], "service_code"),
        (["", "", "", "", "136000", "12000", "5000", "", ""], "council"),
    ],
    ids=["total", "grand_total", "blank_keys_with_amount"],
)
def test_total_row_is_refused(register: Path, tmp_path: Path, row: list[str], column: str) -> None:
    before = snapshot(register)
    result = load_returns(register, tmp_path, [ret(), ret(council=NEL, actual_cost="44000"), row])
    assert_refused(result, 4, column, "delete total rows")
    assert len(error_lines(result)) == 1, result
    assert snapshot(register) == before


def test_two_rows_with_one_key_name_the_later_row(register: Path, tmp_path: Path) -> None:
    rows = [
        ret(),
        ret(council=NEL, actual_cost="44000"),
        # the same key as row 2, written differently
        ret(
            council="North Lincolnshire", financial_year="2014-15", quarter="1", actual_cost="91000"
        ),
    ]
    before = snapshot(register)
    result = load_returns(register, tmp_path, rows)
    assert_refused(result, 4, "council", "row 2", "only once")
    assert not any(line.startswith("ERROR row 2,") for line in result.lines), result
    assert snapshot(register) == before


def test_header_only_file_is_refused(register: Path, tmp_path: Path) -> None:
    before = snapshot(register)
    result = load_returns(register, tmp_path, [])
    assert_refused(result, 1, "(file)", "no data rows", "add the rows")
    assert snapshot(register) == before


def test_unclosed_quote_does_not_swallow_the_rows_after_it(register: Path, tmp_path: Path) -> None:
    """The code means to report "check for an unclosed quote"; without it the next
    row would vanish into row 2's commentary and the file would load."""
    path = tmp_path / "returns.csv"
    lines = [
        ",".join(RETURNS_HEADER),
        ",".join(ret()[:-1]) + ',"Restructure under way',
        ",".join(ret(council=NEL, actual_cost="44000", claimed_saving="")),
        "",
    ]
    path.write_text("\r\n".join(lines), encoding="utf-8")
    before = snapshot(register)
    result = load(register, "returns", path)
    assert result.code == 1, result
    assert any(
        line.startswith("ERROR row 2, column ") and "unclosed quote" in line
        for line in result.lines
    ), result
    assert result.lines[-1].endswith("nothing written"), result
    assert snapshot(register) == before


def test_row_numbers_in_a_workbook_are_sheet_rows(register: Path, tmp_path: Path) -> None:
    path = write_xlsx(
        tmp_path / "returns.xlsx",
        RETURNS_HEADER,
        [ret(), [], ret(quarter="Q2", claimed_saving="n/a")],
    )
    before = snapshot(register)
    result = load(register, "returns", path)
    assert_refused(result, 4, "claimed_saving", "enter a plain number")
    assert len(error_lines(result)) == 1, result
    assert snapshot(register) == before


def test_row_numbers_are_the_files_own_lines(register: Path, tmp_path: Path) -> None:
    """A quoted cell over two lines: the next row starts on line 4 of the file."""
    rows = [
        ret(commentary="Restructure under way.\nTwo posts deleted."),
        ret(quarter="Q2", claimed_saving="TBC"),
    ]
    before = snapshot(register)
    result = load_returns(register, tmp_path, rows)
    assert_refused(result, 4, "claimed_saving", "enter a plain number")
    assert snapshot(register) == before


# -- section 1: values -------------------------------------------------------------------


@pytest.mark.parametrize("text", ["1.2m", "12k", "n/a", "TBC", "-"])
def test_bad_money_is_refused(register: Path, tmp_path: Path, text: str) -> None:
    before = snapshot(register)
    result = load_returns(register, tmp_path, [ret(), ret(quarter="Q2", claimed_saving=text)])
    assert_refused(result, 3, "claimed_saving", "enter a plain number")
    assert len(error_lines(result)) == 1, result
    assert snapshot(register) == before


@pytest.mark.parametrize(
    ("text", "stored"),
    [
        ("1234.5", Decimal("1234.50")),
        ("£1,234.50", Decimal("1234.50")),
        ("-£5", Decimal("-5.00")),
        ("(1,234)", Decimal("-1234.00")),
        ("1,234", Decimal("1234.00")),
    ],
)
def test_good_money_is_parsed(register: Path, tmp_path: Path, text: str, stored: Decimal) -> None:
    assert_loaded(load_returns(register, tmp_path, [ret(claimed_saving=text)]))
    assert query(register, "SELECT claimed_saving FROM return_rows") == [(stored,)]


def test_blank_optional_money_is_not_given_not_zero(register: Path, tmp_path: Path) -> None:
    assert_loaded(load_returns(register, tmp_path, [ret(claimed_saving="  ")]))
    assert query(register, "SELECT claimed_saving FROM return_rows") == [(None,)]


def test_blank_required_money_is_refused(register: Path, tmp_path: Path) -> None:
    before = snapshot(register)
    result = load_returns(register, tmp_path, [ret(actual_cost="")])
    assert_refused(result, 2, "actual_cost", "enter a value")
    assert snapshot(register) == before


def test_negative_actual_cost_is_refused(register: Path, tmp_path: Path) -> None:
    before = snapshot(register)
    result = load_returns(register, tmp_path, [ret(actual_cost="(92,000)")])
    assert_refused(result, 2, "actual_cost", "must be 0 or more")
    assert snapshot(register) == before


def test_more_than_two_decimal_places_is_refused(register: Path, tmp_path: Path) -> None:
    before = snapshot(register)
    result = load_returns(register, tmp_path, [ret(actual_cost="92000.125")])
    assert_refused(result, 2, "actual_cost", "round it to the penny")
    assert snapshot(register) == before


@pytest.mark.parametrize(
    "text", ["2014/15", "2014-15", "2014/2015", "2014-2015", "FY2014/15", "2014 to 2015"]
)
def test_financial_year_forms_are_stored_alike(register: Path, tmp_path: Path, text: str) -> None:
    assert_loaded(load_returns(register, tmp_path, [ret(financial_year=text)]))
    assert query(register, "SELECT financial_year FROM return_rows") == [("2014/15",)]


@pytest.mark.parametrize("text", ["2014/16", "2014-2016"])
def test_financial_year_second_year_must_follow_the_first(
    register: Path, tmp_path: Path, text: str
) -> None:
    before = snapshot(register)
    result = load_returns(register, tmp_path, [ret(financial_year=text)])
    assert_refused(result, 2, "financial_year", "second year", "write 2014/15")
    assert snapshot(register) == before


@pytest.mark.parametrize(("text", "stored"), [("q1", 1), ("1", 1), ("Q4", 4), (" q3 ", 3)])
def test_quarter_forms_are_accepted(register: Path, tmp_path: Path, text: str, stored: int) -> None:
    assert_loaded(load_returns(register, tmp_path, [ret(quarter=text)]))
    assert query(register, "SELECT quarter FROM return_rows") == [(stored,)]


@pytest.mark.parametrize("text", ["Q5", "5", "Q0", "Quarter 1"])
def test_bad_quarter_is_refused(register: Path, tmp_path: Path, text: str) -> None:
    before = snapshot(register)
    result = load_returns(register, tmp_path, [ret(quarter=text)])
    assert_refused(result, 2, "quarter", "write a quarter as Q1")
    assert snapshot(register) == before


def _partnership(start: Any, lead: Any = "") -> list[Any]:
    return ["TST", "Test partnership", "cluster", lead, start]


@pytest.mark.parametrize("text", ["2015-04-01", "01/04/2015", "1/4/2015"])
def test_iso_and_uk_dates_are_accepted(db: Path, tmp_path: Path, text: str) -> None:
    path = write_csv(tmp_path / "partnerships.csv", PARTNERSHIP_HEADER, [_partnership(text)])
    assert_loaded(load(db, "partnerships", path))
    assert query(db, "SELECT start_date FROM partnership_rows") == [(date(2015, 4, 1),)]


@pytest.mark.parametrize("text", ["04/31/2015", "12/25/2015", "31-03-2015", "March 2015"])
def test_month_first_or_unknown_date_is_refused(db: Path, tmp_path: Path, text: str) -> None:
    path = write_csv(tmp_path / "partnerships.csv", PARTNERSHIP_HEADER, [_partnership(text)])
    before = snapshot(db)
    result = load(db, "partnerships", path)
    assert_refused(result, 2, "start_date", "day first")
    assert snapshot(db) == before


def test_excel_serial_date_is_accepted_in_xlsx(db: Path, tmp_path: Path) -> None:
    path = write_xlsx(
        tmp_path / "partnerships.xlsx", PARTNERSHIP_HEADER, [_partnership(42095)]
    )  # 42095 is 1 April 2015 in Excel
    assert_loaded(load(db, "partnerships", path))
    assert query(db, "SELECT start_date FROM partnership_rows") == [(date(2015, 4, 1),)]


def test_former_gss_code_is_stored_as_the_current_code(db: Path, tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "partnerships.csv",
        PARTNERSHIP_HEADER,
        [_partnership("2015-04-01", NORTHUMBERLAND_FORMER)],
    )
    result = load(db, "partnerships", path)
    assert_loaded(result)
    assert query(db, "SELECT lead_council FROM partnership_rows") == [(NORTHUMBERLAND,)]
    notes = [line for line in result.lines if line.startswith("NOTE row 2, column lead_council:")]
    assert notes and NORTHUMBERLAND in notes[0], result


def test_council_name_is_accepted_and_the_match_is_noted(register: Path, tmp_path: Path) -> None:
    result = load_returns(register, tmp_path, [ret(council="North Lincolnshire Council")])
    assert_loaded(result)
    assert query(register, "SELECT council FROM return_rows") == [(NL,)]
    notes = [line for line in result.lines if line.startswith("NOTE row 2, column council:")]
    assert notes and NL in notes[0], result


@pytest.mark.parametrize(
    ("text", "phrase"),
    [
        ("Borsetshire County Council", "give its GSS code"),
        ("E06999999", "not a GSS code in the reference list"),
        ("Somerset", "give the GSS code"),
        ("North Yorkshire", "give the GSS code"),
    ],
    ids=["unknown_name", "unknown_code", "ambiguous_somerset", "ambiguous_north_yorkshire"],
)
def test_unknown_or_ambiguous_council_is_refused(
    register: Path, tmp_path: Path, text: str, phrase: str
) -> None:
    ambiguous = {
        alias
        for (alias,) in query(
            register,
            "SELECT alias FROM council_aliases GROUP BY alias HAVING count(DISTINCT gss_code) > 1",
        )
    }
    if phrase == "give the GSS code":
        assert text.lower() in ambiguous
    before = snapshot(register)
    result = load_returns(register, tmp_path, [ret(), ret(council=text, quarter="Q2")])
    assert_refused(result, 3, "council", phrase)
    assert snapshot(register) == before


def test_commentary_over_2000_characters_is_refused(register: Path, tmp_path: Path) -> None:
    ok = "x" * 2000
    assert_loaded(load_returns(register, tmp_path, [ret(commentary=ok)], name="ok.csv"))
    before = snapshot(register)
    result = load_returns(register, tmp_path, [ret(quarter="Q2", commentary="y" * 2001)])
    assert_refused(result, 2, "commentary", "keep it to 2,000")
    assert snapshot(register) == before


def test_confidence_outside_the_list_is_refused(register: Path, tmp_path: Path) -> None:
    header = [*RETURNS_HEADER, "confidence"]
    path = write_csv(
        tmp_path / "returns.csv", header, [[*ret(), "High"], [*ret(quarter="Q2"), "very high"]]
    )
    before = snapshot(register)
    result = load(register, "returns", path)
    assert_refused(result, 3, "confidence", "high, medium, low")
    assert len(error_lines(result)) == 1, result
    assert snapshot(register) == before


def test_cost_basis_outside_the_list_is_refused(register: Path, tmp_path: Path) -> None:
    before = snapshot(register)
    result = load_returns(register, tmp_path, [ret(cost_basis="shared")])
    assert_refused(result, 2, "cost_basis", "own, whole_service")
    assert snapshot(register) == before


def test_stage_outside_the_list_is_refused(register: Path, tmp_path: Path) -> None:
    header = ["service_code", "partnership_code", "name", "service_area", "stage"]
    path = write_csv(
        tmp_path / "services.csv", header, [["PAY", "NLH", "Payroll", "Back office", "going live"]]
    )
    before = snapshot(register)
    result = load(register, "services", path)
    assert_refused(result, 2, "stage", "soc, obc, fbc, implementation, live, closed")
    assert snapshot(register) == before


# -- section 2: checks across tables -----------------------------------------------------


def test_unknown_service_is_refused(register: Path, tmp_path: Path) -> None:
    before = snapshot(register)
    result = load_returns(register, tmp_path, [ret(), ret(service_code="PAYROLL")])
    assert_refused(result, 3, "service_code", "unknown service PAYROLL", "add it to the register")
    assert snapshot(register) == before


def test_unknown_partnership_in_members_is_refused(register: Path, tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "members.csv",
        ["partnership_code", "council", "cost_share", "from_year"],
        [["XYZ", NL, "1", "2014/15"]],
    )
    before = snapshot(register)
    result = load(register, "members", path)
    assert_refused(
        result,
        2,
        "partnership_code",
        "unknown partnership XYZ",
        "load it in a partnerships file first",
    )
    assert snapshot(register) == before


def test_return_from_a_council_outside_the_partnership_is_refused(
    register: Path, tmp_path: Path
) -> None:
    before = snapshot(register)
    result = load_returns(register, tmp_path, [ret(), ret(council=NORTHUMBERLAND)])
    assert_refused(result, 3, "council", "not a member of partnership NLH")
    assert snapshot(register) == before


def test_return_before_membership_starts_is_refused(register: Path, tmp_path: Path) -> None:
    before = snapshot(register)
    result = load_returns(register, tmp_path, [ret(financial_year="2013/14", quarter="Q4")])
    assert_refused(result, 2, "council", "not a member of partnership NLH in 2013/14")
    assert snapshot(register) == before


def test_whole_service_from_a_council_that_is_not_lead_is_refused(
    register: Path, tmp_path: Path
) -> None:
    before = snapshot(register)
    result = load_returns(
        register,
        tmp_path,
        [ret(council=NEL, service_code="ICT", cost_basis="whole_service", actual_cost="270000")],
    )
    assert_refused(result, 2, "cost_basis", "only the lead council", NL, "cost_basis own")
    assert snapshot(register) == before


def test_whole_service_while_own_returns_are_current_is_refused(
    register: Path, tmp_path: Path
) -> None:
    own = load_returns(
        register,
        tmp_path,
        [ret(council=NEL, actual_cost="44000", claimed_saving="")],
        name="own.csv",
    )
    assert_loaded(own)
    before = snapshot(register)
    result = load_returns(
        register,
        tmp_path,
        [ret(cost_basis="whole_service", actual_cost="140000")],
        name="whole.csv",
    )
    assert_refused(result, 2, "cost_basis", "roll back the other kind first")
    assert snapshot(register) == before


def test_member_cost_shares_must_add_up_to_one(register: Path, tmp_path: Path) -> None:
    # North East Lincolnshire's share goes from 0.4 to 0.5: 0.6 + 0.5 = 1.1
    path = write_csv(
        tmp_path / "members.csv",
        ["partnership_code", "council", "cost_share", "from_year"],
        [["NLH", NEL, "0.5", "2014/15"]],
    )
    before = snapshot(register)
    result = load(register, "members", path)
    assert_refused(result, 2, "cost_share", "1.1", "must add up to 1")
    assert snapshot(register) == before


def test_own_return_while_a_whole_service_return_is_current_is_refused(
    register: Path, tmp_path: Path
) -> None:
    whole = load_returns(register, tmp_path, [RETURNS_2014[3]], name="whole.csv")
    assert_loaded(whole)
    before = snapshot(register)
    result = load_returns(
        register,
        tmp_path,
        [ret(council=NEL, service_code="ICT", actual_cost="90000", claimed_saving="")],
        name="own.csv",
    )
    assert_refused(result, 2, "cost_basis", "whole_service", "roll back the other kind first")
    assert snapshot(register) == before


def test_whole_service_and_own_returns_in_one_file_are_refused(
    register: Path, tmp_path: Path
) -> None:
    rows = [
        ret(council=NEL, service_code="ICT", actual_cost="90000", claimed_saving=""),
        RETURNS_2014[3],  # North Lincolnshire, ICT 2014/15 Q1, whole_service
    ]
    before = snapshot(register)
    result = load_returns(register, tmp_path, rows)
    assert_refused(result, 3, "cost_basis", "row 2", "only one kind may count")
    assert snapshot(register) == before


def test_whole_service_return_shared_to_councils_with_no_baseline_is_refused(
    register: Path, tmp_path: Path
) -> None:
    # LEG has no lead of its own, so the partnership's lead (North Lincolnshire) leads it
    row = ret(service_code="LEG", cost_basis="whole_service", actual_cost="9000")
    before = snapshot(register)
    result = load_returns(register, tmp_path, [row])
    assert_refused(
        result, 2, "cost_basis", "no baseline for LEG", NEL, NL, "load their baselines first"
    )
    assert snapshot(register) == before


@pytest.mark.parametrize(
    ("kind", "header", "row", "column", "phrase"),
    [
        (
            "services",
            ["service_code", "partnership_code", "name", "service_area", "stage"],
            ["PAY", "XYZ", "Payroll", "Back office", "live"],
            "partnership_code",
            "load it in a partnerships file first",
        ),
        (
            "baselines",
            ["service_code", "council", "baseline_year", "annual_cost"],
            ["PAY", NL, "2013/14", "100000"],
            "service_code",
            "add it to the register",
        ),
        (
            "targets",
            ["service_code", "council", "financial_year", "target_saving"],
            ["PAY", NL, "2014/15", "10000"],
            "service_code",
            "add it to the register",
        ),
        (
            "survey",
            [
                "wave",
                "group",
                "statement",
                "service_code",
                "strongly_disagree",
                "disagree",
                "neutral",
                "agree",
                "strongly_agree",
            ],
            ["2014/15", "staff", "I understand why", "PAY", "1", "2", "3", "4", "5"],
            "service_code",
            "use a code on the register",
        ),
        (
            "comments",
            ["wave", "group", "theme", "comment", "service_code"],
            ["2014/15", "staff", "concern", "Too slow", "PAY"],
            "service_code",
            "use a code on the register",
        ),
    ],
    ids=["services", "baselines", "targets", "survey", "comments"],
)
def test_reference_to_something_not_on_the_register_is_refused(
    register: Path,
    tmp_path: Path,
    kind: str,
    header: list[str],
    row: list[str],
    column: str,
    phrase: str,
) -> None:
    path = write_csv(tmp_path / f"{kind}.csv", header, [row])
    before = snapshot(register)
    result = load(register, kind, path)
    assert_refused(result, 2, column, phrase)
    assert snapshot(register) == before


@pytest.mark.parametrize("count", ["3.5", "-1", "n/a", "lots"])
def test_survey_count_that_is_not_a_whole_number_is_refused(
    register: Path, tmp_path: Path, count: str
) -> None:
    header = [
        "wave",
        "group",
        "statement",
        "strongly_disagree",
        "disagree",
        "neutral",
        "agree",
        "strongly_agree",
    ]
    rows = [
        ["2014/15", "staff", "I understand why", "1", "2", "3", "4", "5"],
        ["2014/15", "managers", "I understand why", "1", "2", count, "4", "5"],
    ]
    path = write_csv(tmp_path / "survey.csv", header, rows)
    before = snapshot(register)
    result = load(register, "survey", path)
    assert_refused(result, 3, "neutral", "whole number" if count != "-1" else "0 or more")
    assert snapshot(register) == before


def test_return_with_no_baseline_is_refused(register: Path, tmp_path: Path) -> None:
    before = snapshot(register)
    result = load_returns(register, tmp_path, [ret(service_code="LEG", actual_cost="2500")])
    assert_refused(result, 2, "service_code", "no baseline for LEG", "load the agreed baseline")
    assert snapshot(register) == before


def test_council_submitter_sending_another_councils_row_is_refused(
    register: Path, tmp_path: Path
) -> None:
    rows = [ret(council=NEL, actual_cost="44000", claimed_saving=""), ret()]
    before = snapshot(register)
    result = load_returns(register, tmp_path, rows, "--council", NEL)
    assert_refused(result, 3, "council", NEL, NL, "own return")
    assert len(error_lines(result)) == 1, result
    assert snapshot(register) == before


def test_checks_that_warn_still_load(register: Path, tmp_path: Path) -> None:
    # quarterly baselines: HR at North Lincolnshire 100,000; at North East Lincolnshire 50,000
    rows = [
        ret(actual_cost="92000", claimed_saving="12000"),  # fine
        ret(quarter="Q2", actual_cost="190000", claimed_saving=""),  # +107% on Q1
        ret(council=NEL, actual_cost="4000", claimed_saving=""),  # under a tenth
        ret(council=NEL, quarter="Q3", actual_cost="120000", claimed_saving=""),  # over twice
        ret(quarter="Q4", actual_cost="95000", claimed_saving="150000"),  # claim > baseline
    ]
    result = load_returns(register, tmp_path, rows)
    assert_loaded(result, warnings=4)
    warnings = [line for line in result.lines if line.startswith("WARNING ")]
    expected = [
        ("WARNING row 3, column actual_cost: ", "more than 100%"),
        ("WARNING row 4, column actual_cost: ", "under a tenth"),
        ("WARNING row 5, column actual_cost: ", "more than twice"),
        ("WARNING row 6, column claimed_saving: ", "larger than"),
    ]
    assert len(warnings) == len(expected), result
    for line, (prefix, phrase) in zip(warnings, expected, strict=True):
        assert line.startswith(prefix) and phrase in line, (line, prefix, phrase)
    assert query(register, "SELECT count(*) FROM return_rows") == [(5,)]


def test_change_from_previous_quarter_already_stored_warns(register: Path, tmp_path: Path) -> None:
    assert_loaded(load_returns(register, tmp_path, [ret()], name="q1.csv"))
    result = load_returns(
        register, tmp_path, [ret(quarter="Q2", actual_cost="190000")], name="q2.csv"
    )
    assert_loaded(result, warnings=1)
    assert any(
        line.startswith("WARNING row 2, column actual_cost: ") and "100%" in line
        for line in result.lines
    ), result


# -- real files that are not returns -----------------------------------------------------


@pytest.mark.parametrize(
    "name",
    [
        "craven_payments_2017-03.csv",
        "leeds_spending_2011-01.csv",
        "leeds_spending_2013-07.csv",
        "leeds_spending_2018-10_EMPTY_0_bytes.csv",
    ],
)
def test_real_council_export_is_refused(register: Path, name: str) -> None:
    path = REAL_EXPORTS / name
    before = snapshot(register)
    result = run_cli_process("load", "returns", path, "--db", register)
    assert result.returncode == 1, result
    lines = result.stdout.splitlines()
    assert lines[-1].startswith("rejected: ") and lines[-1].endswith("nothing written"), result
    assert "Traceback" not in result.stdout + result.stderr
    assert result.stderr == "", result
    if path.stat().st_size == 0:
        assert any(
            line.startswith("ERROR row 1, column (file): ") and "empty" in line for line in lines
        ), result
    else:
        for column in REQUIRED_RETURN_COLUMNS:
            prefix = f"ERROR row 1, column {column}: "
            assert any(
                line.startswith(prefix) and f"add a column headed {column}" in line
                for line in lines
            ), (column, result.stdout[-3000:])
    assert snapshot(register) == before


# -- one bad row among hundreds ----------------------------------------------------------


def test_one_bad_row_among_hundreds_is_found_and_nothing_is_written(
    register: Path, tmp_path: Path
) -> None:
    # 2 councils x 2 services x 100 quarters (2014/15 to 2038/39), each at 90% of baseline
    costs = {
        (NL, "HR"): "90000",
        (NEL, "HR"): "45000",
        (NL, "ICT"): "180000",
        (NEL, "ICT"): "90000",
    }
    rows = [
        [council, service, f"{year}/{(year + 1) % 100:02d}", f"Q{q}", cost, "1000", "0", "own", ""]
        for year in range(2014, 2039)
        for q in range(1, 5)
        for (council, service), cost in costs.items()
    ]
    assert len(rows) == 400
    rows[237 - 2][5] = "12k"  # file row 237: the header is row 1
    before = snapshot(register)
    result = load_returns(register, tmp_path, rows)
    assert_refused(result, 237, "claimed_saving", "enter a plain number")
    assert error_lines(result) == [
        line for line in result.lines if line.startswith("ERROR row 237, column claimed_saving: ")
    ]
    assert len(error_lines(result)) == 1, result
    assert result.lines[-1] == "rejected: 1 errors, nothing written"
    assert snapshot(register) == before
    # and without the bad value all 400 rows load
    rows[237 - 2][5] = "1000"
    assert_loaded(load_returns(register, tmp_path, rows, name="fixed.csv"))
    assert query(register, "SELECT count(*) FROM return_rows") == [(400,)]


# -- section 4: usage errors -------------------------------------------------------------


def _assert_usage_error(result: Any, phrase: str) -> None:
    assert result.returncode == 2, result
    assert "Traceback" not in result.stdout + result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), result
    assert phrase in lines[0], result


def test_missing_file_is_a_usage_error(register: Path, tmp_path: Path) -> None:
    before = snapshot(register)
    result = run_cli_process("load", "returns", tmp_path / "no_such_return.csv", "--db", register)
    _assert_usage_error(result, "no such file")
    assert "no_such_return.csv" in result.stderr
    assert snapshot(register) == before


def test_unknown_kind_is_a_usage_error(register: Path, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "returns.csv", RETURNS_HEADER, [ret()])
    before = snapshot(register)
    result = run_cli_process("load", "budgets", path, "--db", register)
    _assert_usage_error(result, "unknown kind")
    assert "returns" in result.stderr
    assert snapshot(register) == before


def test_received_at_in_the_future_is_a_usage_error(register: Path, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "returns.csv", RETURNS_HEADER, [ret()])
    before = snapshot(register)
    result = run_cli_process(
        "load", "returns", path, "--db", register, "--received-at", "2999-01-01T09:00:00Z"
    )
    _assert_usage_error(result, "future")
    assert snapshot(register) == before


def test_unknown_flag_is_a_usage_error(register: Path, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "returns.csv", RETURNS_HEADER, [ret()])
    before = snapshot(register)
    result = run_cli_process("load", "returns", path, "--db", register, "--councl", NL)
    assert result.returncode == 2, result
    assert "Traceback" not in result.stdout + result.stderr
    assert "error: " in result.stderr and "--councl" in result.stderr, result
    assert snapshot(register) == before


def test_unquoted_thousands_separator_shifting_a_row_is_refused(
    register: Path, tmp_path: Path
) -> None:
    """`92,000` written without quotes splits into two cells and shifts the row's values
    one column right; the extra cell at the end is blank, so only the row's length
    gives it away."""
    path = tmp_path / "returns.csv"
    header = ",".join(RETURNS_HEADER)
    good = ",".join(ret(council=NEL, actual_cost="44000", claimed_saving="", commentary=""))
    shifted = "E06000013,HR,2014/15,Q2,89,000,11000,0,own,"
    path.write_text("\n".join([header, good, shifted, ""]), encoding="utf-8")
    before = snapshot(register)
    result = load(register, "returns", path)
    assert_refused(result, 3, "(file)", "unquoted comma")
    assert snapshot(register) == before


def test_rows_padded_alike_by_the_exporter_are_fine(register: Path, tmp_path: Path) -> None:
    """Every row ending in the same empty cells is an exporter's habit, not a problem."""
    path = tmp_path / "returns.csv"
    header = ",".join(RETURNS_HEADER)
    rows = [",".join(ret()) + ",,", ",".join(ret(quarter="Q2", actual_cost="89000")) + ",,"]
    path.write_text("\n".join([header, *rows, ""]), encoding="utf-8")
    result = load(register, "returns", path)
    assert result.code == 0, result
    assert "loaded submission 6: 2 rows" in result.out


def test_an_amount_too_large_for_the_store_is_refused(register: Path, tmp_path: Path) -> None:
    before = snapshot(register)
    result = load_returns(register, tmp_path, [ret(actual_cost="92000000000000000")])
    assert_refused(result, 2, "actual_cost", "too large")
    assert snapshot(register) == before
