"""The board pack (Excel and PDF), checked against the small programme's figures worked
out by hand in test_figures.py."""

from __future__ import annotations

import io
from pathlib import Path

import openpyxl
import pytest
from conftest import NEL, NL, RETURNS_HEADER, run_cli, write_csv
from pypdf import PdfReader
from streamlit.testing.v1 import AppTest
from test_pages import open_app, open_period

AS_OF = "2015-08-01"  # after both years' returns (2014-10-20, 2015-07-20)


def pack(db: Path, out: Path, *extra: str) -> Path:
    result = run_cli("export", "board-pack", "--db", db, "--out", out, *extra)
    assert result.code == 0, result
    return out


def sheet_rows(book: openpyxl.Workbook, name: str) -> list[dict[str, object]]:
    rows = list(book[name].iter_rows(values_only=True))
    return [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]


def test_excel_pack_figures(programme: Path, tmp_path: Path) -> None:
    out = pack(programme, tmp_path / "pack.xlsx", "--to", "2014/15Q2", "--as-of", AS_OF)
    book = openpyxl.load_workbook(out)
    assert book.sheetnames == [
        "Cover",
        "Programme summary",
        "Partnerships",
        "Services",
        "Councils",
        "Register",
        "Exceptions",
        "Taking Stock",
        "Submissions",
        "Uncertified returns",
        "Returns outstanding",
        "Double counting",
        "Claims above baseline",
        "Benefits",
        "Changes since business case",
        "Options appraisal",
    ]
    cover = [row[0] for row in book["Cover"].iter_rows(values_only=True)]
    assert "Figures to 2014/15 Q2, as of 2015-08-01" in cover
    assert any(str(line).startswith("Generated ") for line in cover)
    summary = {r["Figure"]: r["Value"] for r in sheet_rows(book, "Programme summary")}
    # to 2014/15 Q2 (test_figures.test_to_a_past_quarter)
    assert summary["Target"] == 95000 and summary["Evidenced"] == 105000
    assert summary["Claimed"] == 53000 and summary["Net saving"] == 50000
    assert summary["Realisation %"] == 110.5 and summary["RAG"] == "Green"
    assert summary["Payback"] == "2014/15Q2"
    services = {r["Code"]: r for r in sheet_rows(book, "Services")}
    assert services["HR"]["Realisation %"] == 83.3 and services["HR"]["RAG"] == "Amber"
    assert services["LEG"]["RAG"] == "No data"
    councils = {r["GSS code"]: r for r in sheet_rows(book, "Councils")}
    assert councils[NEL]["Evidenced"] == -2000 and councils[NEL]["Payback"] is None
    # exceptions: red and no-data pairs, furthest behind first, with commentary
    exceptions = sheet_rows(book, "Exceptions")
    assert [(r["Service"], r["Council"], r["RAG"]) for r in exceptions] == [
        ("ICT", "North East Lincolnshire", "Red"),  # 20,000 target, -8,000 evidenced
        ("Legal", "North Lincolnshire", "No data"),  # 5,000 target, no return
        ("Human resources", "North East Lincolnshire", "Red"),  # 10,000 target, 6,000
    ]
    assert exceptions[0]["Latest commentary"] == "New data centre"
    # numbers stay numbers, with £ formats, a frozen header and filters
    sheet = book["Services"]
    assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref
    target = sheet.cell(row=2, column=4)
    assert isinstance(target.value, int | float) and "£" in target.number_format
    # the submissions included: the five register files and the two returns files
    submissions = sheet_rows(book, "Submissions")
    assert len(submissions) == 7 and {r["Status"] for r in submissions} == {"Current"}


def test_pdf_pack_headline(programme: Path, tmp_path: Path) -> None:
    out = pack(programme, tmp_path / "pack.pdf", "--to", "2014/15Q2", "--as-of", AS_OF)
    text = "\n".join(page.extract_text() for page in PdfReader(out).pages)
    for expected in (
        "Board pack",
        "Figures to 2014/15 Q2, as of 2015-08-01",
        "£95,000",
        "£105,000",
        "£50,000",
        "110.5%",
        "Green",
        "7 of 10",
        "2014/15Q2",
        "Exceptions",
        "No data",
        "New data centre",
        "These figures count every current return, certified or not.",
        "Returns not yet certified",
        "Returns outstanding",
    ):
        assert expected in text, expected
    # cover, charts, exceptions, every service and council, survey, the uncertified and
    # outstanding returns, double counting, the benefits register with its changes, and
    # the options appraisal
    assert len(PdfReader(out).pages) == 9
    assert "No service at the outline or full business case stage has an appraisal." in text
    assert "None: no council's baseline for a service area is claimed twice" in text
    assert "No benefit is on the register." in text
    assert "No baseline or target has changed since it was first loaded." in text
    assert len(PdfReader(out).pages[1].images) == 2  # the two charts


def test_the_pdf_lists_every_service_and_council(programme: Path, tmp_path: Path) -> None:
    out = pack(programme, tmp_path / "pack.pdf", "--to", "2014/15Q2", "--as-of", AS_OF)
    [page] = [
        p.extract_text() for p in PdfReader(out).pages if "Every service and" in p.extract_text()
    ]
    rows = [line for line in page.splitlines() if "£" in line]
    # by service, then GSS code; to 2014/15 Q2 (test_figures.py), two quarters' targets
    assert rows == [
        "Human resources North East Lincolnshire Live £10,000 £6,000 60.0% Red",  # 6,000 + 0
        "Human resources North Lincolnshire Live £20,000 £19,000 95.0% Amber",  # 8,000 + 11,000
        "ICT North East Lincolnshire Live £20,000 -£8,000 -40.0% Red",  # -8,000 + 0
        "ICT North Lincolnshire Live £40,000 £88,000 220.0% Green",  # 38,000 + 50,000
        "Legal North Lincolnshire FBC £5,000 £0 0.0% No data",  # never a return
    ]


def test_as_of_pack_is_unchanged_by_a_later_resubmission(programme: Path, tmp_path: Path) -> None:
    before = openpyxl.load_workbook(pack(programme, tmp_path / "a.xlsx", "--as-of", AS_OF))
    fix = write_csv(
        tmp_path / "fix.csv",
        RETURNS_HEADER,
        [[NL, "HR", "2014/15", "Q2", "95000", "5000", "", "own", "Corrected"]],
    )
    assert (
        run_cli(
            "load", "returns", fix, "--db", programme, "--received-at", "2015-09-01T09:00:00Z"
        ).code
        == 0
    )
    again = openpyxl.load_workbook(pack(programme, tmp_path / "b.xlsx", "--as-of", AS_OF))
    now = openpyxl.load_workbook(pack(programme, tmp_path / "c.xlsx"))
    for name in ("Programme summary", "Services", "Councils", "Register", "Exceptions"):
        assert sheet_rows(before, name) == sheet_rows(again, name), name
    evidenced = {
        p: {r["Figure"]: r["Value"] for r in sheet_rows(b, "Programme summary")}["Evidenced"]
        for p, b in (("before", before), ("now", now))
    }
    assert evidenced == {"before": 185000, "now": 179000}  # Q2 HR 11,000 -> 5,000
    # and rolling the correction back leaves the as-of pack alone too
    assert run_cli("rollback", "8", "--db", programme).code == 0
    after_rollback = openpyxl.load_workbook(pack(programme, tmp_path / "d.xlsx", "--as-of", AS_OF))
    assert sheet_rows(before, "Register") == sheet_rows(after_rollback, "Register")


def test_text_that_looks_like_a_formula_is_neutralised(register: Path, tmp_path: Path) -> None:
    dangerous = [
        '=HYPERLINK("http://example.com","x")',
        "+1+1",
        "-2+3",
        "@SUM(A1)",
        "\tpadded",
        "\rreturn",
    ]
    rows = [
        [NEL, "HR", "2014/15", f"Q{q}", "49000", "", "", "own", text]
        for q, text in zip((1, 2, 3, 4), dangerous, strict=False)
    ]
    path = write_csv(tmp_path / "=cmd.csv", RETURNS_HEADER, rows)
    assert run_cli("load", "returns", path, "--db", register).code == 0
    book = openpyxl.load_workbook(pack(register, tmp_path / "pack.xlsx"))
    cells = [
        c
        for sheet in book.worksheets
        for row in sheet.iter_rows()
        for c in row
        if isinstance(c.value, str)
    ]
    assert not [c for c in cells if c.data_type == "f"]
    assert not [c.value for c in cells if c.value.startswith(("=", "+", "-", "@", "\t", "\r"))]
    [commentary] = [
        r["Latest commentary"]
        for r in sheet_rows(book, "Exceptions")
        if r["Service"] == "Human resources" and r["Council"] == "North East Lincolnshire"
    ]
    assert commentary == "'@SUM(A1)"  # the latest of the four quarters' commentary
    assert "'=cmd.csv" in [r["File"] for r in sheet_rows(book, "Submissions")]


def test_export_usage_errors(programme: Path, tmp_path: Path) -> None:
    for out in (tmp_path / "pack.docx", tmp_path / "missing" / "pack.pdf"):
        result = run_cli("export", "board-pack", "--db", programme, "--out", out)
        assert result.code == 2 and "Traceback" not in result.err
        assert not out.exists()


@pytest.mark.parametrize("page", ["app_pages/overview.py", "app_pages/realisation.py"])
def test_download_buttons_give_the_same_pack(
    programme: Path, monkeypatch: pytest.MonkeyPatch, page: str, tmp_path: Path
) -> None:
    app: AppTest = open_period(open_app(programme, monkeypatch, page))
    app.selectbox(key="to_quarter").select("2014/15 Q2").run()
    prefix = page.split("/")[1].removesuffix(".py")
    app.session_state[f"{prefix}-pack"] = True  # the board pack's box, opened
    app.run()
    assert not app.exception
    assert any("figures to 2014/15 Q2, as of now" in c.value for c in app.caption)
    buttons = {b.label for b in app.get("download_button")}
    assert buttons == {"Download the board pack (Excel)", "Download the board pack (PDF)"}
    cli = openpyxl.load_workbook(pack(programme, tmp_path / "cli.xlsx", "--to", "2014/15Q2"))
    from sharedsvc_core import export
    from sharedsvc_core.periods import Quarter
    from sharedsvc_core.store import Store

    page_pack = export.to_xlsx(export.gather(Store.open(programme), Quarter(2014, 2)))
    shown = openpyxl.load_workbook(io.BytesIO(page_pack))
    for name in ("Programme summary", "Register", "Exceptions"):
        assert sheet_rows(shown, name) == sheet_rows(cli, name)


def test_survey_sheet_formats(programme: Path, tmp_path: Path) -> None:
    from test_survey import HEADER, ROWS

    path = write_csv(tmp_path / "survey.csv", HEADER, ROWS)
    assert run_cli("load", "survey", path, "--db", programme).code == 0
    book = openpyxl.load_workbook(pack(programme, tmp_path / "pack.xlsx"))
    sheet = book["Taking Stock"]
    heads = [c.value for c in sheet[1]]
    staff = next(row for row in sheet.iter_rows(min_row=2) if row[1].value == "Staff")
    net = staff[heads.index("Net agreement")]
    assert net.value == 40.0 and net.number_format == "+0.0;-0.0;0.0"
    assert staff[heads.index("Mean score")].value == 3.65


def test_the_pack_says_what_is_certified_and_what_is_outstanding(
    programme: Path, tmp_path: Path
) -> None:
    """To 2014/15 Q2 as of 1 August 2015, the evidenced 105,000 is all from submission 6
    (RETURNS_2014); neither returns submission is certified. Outstanding to Q2: North
    East Lincolnshire HR Q2 and North Lincolnshire LEG Q1 and Q2 (test_returns_calendar),
    overdue to the as-of day: 30 July 2014 to 1 August 2015 is 367 days, 30 October 2014
    to 1 August 2015 is 275."""
    out = pack(programme, tmp_path / "pack.xlsx", "--to", "2014/15Q2", "--as-of", AS_OF)
    book = openpyxl.load_workbook(out)
    cover = [str(row[0]) for row in book["Cover"].iter_rows(values_only=True)]
    assert (
        "These figures count every current return, certified or not. Of the evidenced "
        "saving of £105,000, £0 is from certified returns. 2 return submissions are not "
        "yet certified: see their list."
    ) in cover
    assert [r["Submission"] for r in sheet_rows(book, "Uncertified returns")] == [6, 7]
    owed = [
        (r["Council"], r["Service"], r["Quarter"], r["Due"], r["Days overdue"])
        for r in sheet_rows(book, "Returns outstanding")
    ]
    assert owed == [
        ("North Lincolnshire", "LEG", "Q1", "2014-07-30", 367),
        ("North East Lincolnshire", "HR", "Q2", "2014-10-30", 275),
        ("North Lincolnshire", "LEG", "Q2", "2014-10-30", 275),
    ]
    assert run_cli("certify", "6", "--db", programme, "--user", "checker").code == 0
    only = pack(programme, tmp_path / "certified.xlsx", "--to", "2014/15Q2", "--certified-only")
    book = openpyxl.load_workbook(only)
    cover = [str(row[0]) for row in book["Cover"].iter_rows(values_only=True)]
    assert "Figures to 2014/15 Q2, as of now, certified returns only" in cover
    summary = {r["Figure"]: r["Value"] for r in sheet_rows(book, "Programme summary")}
    assert summary["Evidenced"] == 105000
    assert [r["Submission"] for r in sheet_rows(book, "Uncertified returns")] == [7]
