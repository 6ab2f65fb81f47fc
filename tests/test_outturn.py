"""`import outturn`: baselines proposed from MHCLG's Revenue Outturn, checked against the
published figures of three councils in the shipped 2017-18 outturn (£ thousand):

| council | line 599 Planning | line 690 Central services | line 590 Environmental |
|---|---|---|---|
| North Lincolnshire (E06000013) | 4883.422823499999 | 6157.76659 | |
| North East Lincolnshire (E06000012) | 2913 | 10641 | |
| Bath & North East Somerset (E06000022) | | | 19077.08163211065 |

Line 951 (interest payable) is published as `...` for every authority.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from conftest import NEL, NL, REGISTER, REGISTER_AT, ROOT, run_cli, snapshot, write_csv

from sharedsvc_core.contract import KINDS

OUTTURN_CSV = ROOT / "data" / "reference" / "revenue_outturn" / "RS_2017-18_LA_flat.csv"
BATH = "E06000022"
MAPPING = ["service_code", "line", "share", "council"]
HEADER = ",".join(KINDS["baselines"].header())


def _register(db: Path, tmp_path: Path) -> None:
    """The partnership NLH (North Lincolnshire and North East Lincolnshire) and its
    services HR, ICT and LEG, with no baselines yet."""
    for kind in ("partnerships", "members", "services"):
        header, rows = REGISTER[kind]
        path = write_csv(tmp_path / f"{kind}.csv", header, rows)
        assert run_cli("load", kind, path, "--db", db, "--received-at", REGISTER_AT).code == 0


def _rows(text: str) -> dict[tuple[str, str], dict[str, str]]:
    import csv
    import io

    return {(r["service_code"], r["council"]): r for r in csv.DictReader(io.StringIO(text))}


def test_baselines_from_the_shipped_outturn(db: Path, tmp_path: Path) -> None:
    _register(db, tmp_path)
    mapping = write_csv(
        tmp_path / "mapping.csv",
        MAPPING,
        [
            ["HR", "690", "0.1", ""],
            ["ICT", "690: Central services", "0.25", ""],
            ["ICT", "599", "50%", ""],
            ["LEG", "951", "", ""],
        ],
    )
    before = snapshot(db)
    out = tmp_path / "proposed.csv"
    result = run_cli(
        "import", "outturn", OUTTURN_CSV, "--mapping", mapping, "--out", out, "--db", db
    )
    assert result.code == 0, result
    assert snapshot(db) == before  # it proposes; it never writes to the store
    text = out.read_text(encoding="utf-8")
    assert text.splitlines()[0] == HEADER
    rows = _rows(text)
    assert sorted(rows) == [
        ("HR", NEL),
        ("HR", NL),
        ("ICT", NEL),
        ("ICT", NL),
        ("LEG", NEL),
        ("LEG", NL),
    ]
    # 0.1 × 6157.76659 thousand = £615,776.659, rounded to the penny
    assert rows["HR", NL]["annual_cost"] == "615776.66"
    assert "rounded to the penny from £615776.659" in rows["HR", NL]["source"]
    # 0.1 × 10641 thousand
    assert rows["HR", NEL]["annual_cost"] == "1064100.00"
    assert "rounded" not in rows["HR", NEL]["source"]
    # 0.25 × 6157.76659 + 0.5 × 4883.422823499999 = 3981.1530592499995 thousand
    assert rows["ICT", NL]["annual_cost"] == "3981153.06"
    # 0.25 × 10641 + 0.5 × 2913 = 2660.25 + 1456.5 = 4116.75 thousand
    assert rows["ICT", NEL]["annual_cost"] == "4116750.00"
    for key in rows:
        assert rows[key]["baseline_year"] == "2017/18"  # from the file's name
        assert "£ thousand × 1,000" in rows[key]["source"]
        assert "Open Government Licence v3.0" in rows[key]["source"]
    # line 951 is suppressed: left blank, with a note in the file and in what is printed
    for council in (NL, NEL):
        assert rows["LEG", council]["annual_cost"] == ""
        assert "line 951 is '...' (suppressed)" in rows["LEG", council]["source"]
    notes = [line for line in result.lines if line.startswith("NOTE LEG")]
    assert len(notes) == 2 and all("'...'" in n and "left blank" in n for n in notes)
    summary = result.out
    assert "proposed 6 baselines for 3 services and 2 councils" in summary
    assert "in £ thousand and are multiplied by 1,000" in summary
    assert "2 left blank" in summary
    assert "Contains public sector information licensed under the Open Government Licence v3.0" in (
        summary
    )


def test_a_council_of_its_own_and_a_year_given(db: Path, tmp_path: Path) -> None:
    """A council's own row for a line replaces the row for every member; a council named
    in the mapping need not be a member; --year sets the baseline year."""
    _register(db, tmp_path)
    mapping = write_csv(
        tmp_path / "mapping.csv",
        MAPPING,
        [
            ["HR", "690", "0.1", ""],
            ["HR", "690", "0.2", "North East Lincolnshire"],
            ["HR", "590", "1", "Bath and North East Somerset"],
        ],
    )
    result = run_cli(
        "import", "outturn", OUTTURN_CSV, "--mapping", mapping, "--year", "2013-14", "--db", db
    )
    assert result.code == 0, result
    rows = _rows(result.out)  # with no --out the file is printed, and the words go to stderr
    assert sorted(rows) == [("HR", NEL), ("HR", NL), ("HR", BATH)]
    assert rows["HR", NL]["annual_cost"] == "615776.66"
    assert rows["HR", NEL]["annual_cost"] == "2128200.00"  # 0.2 × 10641 thousand
    # 19077.08163211065 thousand = £19,077,081.63211065
    assert rows["HR", BATH]["annual_cost"] == "19077081.63"
    assert {r["baseline_year"] for r in rows.values()} == {"2013/14"}
    assert "the figures are the 2017/18 outturn, proposed as 2013/14 baselines" in result.err
    assert "MHCLG Revenue Outturn 2017-18" in rows["HR", BATH]["source"]


def _original_layout(path: Path) -> Path:
    """A small workbook laid out as MHCLG publishes the RS: a front page first, then the
    data sheet with two title rows, two helper rows, a row of headings, a row of line
    numbers and a header of names, figures as numbers and `...` where suppressed."""
    import openpyxl

    book = openpyxl.Workbook()
    front = book.active
    front.title = "Front Page"
    front.append(["Revenue Outturn 2017-18: data by local authority"])
    sheet = book.create_sheet("RS LA Data 2017-18")
    lines = [
        (590, "Environmental and regulatory services"),
        (599, "Planning and development services"),
    ]
    lines += [(690, "Central services"), (951, "Interest payable and similar charges")]
    rows: list[list[Any]] = [
        ["Revenue Outturn (RO) 2017-18: Revenue Outturn Summary (RS) data"],
        ["Net current expenditure (£ thousand)"],
        ["Hide or delete", None, None, None, None, 1, 2, 3, 4],
        [None, None, None, None, None, 1, 1, 1, 1],
        [None, None, None, None, None, "Service Expenditure"],
        [None, None, None, None, None, *(n for n, _ in lines)],
        ["E-code", "ONS Code", "Local authority", None, "Class", *(t for _, t in lines)],
        ["E2004", NL, "North Lincolnshire UA", None, "UA", 18032.318199999998, 4883.422823499999,
         6157.76659, "..."],
        ["E2003", NEL, "North East Lincolnshire UA", None, "UA", 12675, 2913, 10641, "..."],
        ["E0101", BATH, "Bath & North East Somerset UA", None, "UA", 19077.08163211065,
         4938.506178656367, 8627.040231840492, "..."],
        ["E7052", "E23000030", "Hampshire Police and Crime Commissioner and Chief Constable",
         None, "O", 0, 0, 0, "..."],
    ]  # fmt: skip
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


def test_the_original_workbook_layout(db: Path, tmp_path: Path) -> None:
    _register(db, tmp_path)
    mapping = write_csv(
        tmp_path / "mapping.csv",
        MAPPING,
        [
            ["ICT", "690", "0.25", ""],
            ["ICT", "599", "0.5", ""],
            ["LEG", "951", "", ""],
            ["HR", "590", "", BATH],
        ],
    )
    workbook = _original_layout(tmp_path / "outturn.xlsx")
    out = tmp_path / "proposed.csv"
    result = run_cli("import", "outturn", workbook, "--mapping", mapping, "--out", out, "--db", db)
    assert result.code == 0, result
    rows = _rows(out.read_text(encoding="utf-8"))
    assert rows["ICT", NL]["annual_cost"] == "3981153.06"
    assert rows["ICT", NEL]["annual_cost"] == "4116750.00"
    assert rows["HR", BATH]["annual_cost"] == "19077081.63"
    assert rows["LEG", NL]["annual_cost"] == rows["LEG", NEL]["annual_cost"] == ""
    # the year comes from the sheet's title row
    assert {r["baseline_year"] for r in rows.values()} == {"2017/18"}


def test_the_proposal_loads_as_a_baselines_file(db: Path, tmp_path: Path) -> None:
    _register(db, tmp_path)
    mapping = write_csv(tmp_path / "mapping.csv", ["service_code", "line", "share"], [
        ["HR", 690, "0.1"], ["ICT", 690, "0.25"], ["ICT", 599, "0.5"]
    ])  # fmt: skip
    out = tmp_path / "proposed.csv"
    assert (
        run_cli(
            "import", "outturn", OUTTURN_CSV, "--mapping", mapping, "--out", out, "--db", db
        ).code
        == 0
    )
    loaded = run_cli("load", "baselines", out, "--db", db)
    assert loaded.code == 0, loaded
    import duckdb

    con = duckdb.connect(str(db), read_only=True)
    try:
        got = dict(
            ((s, c), str(a))
            for s, c, a in con.execute(
                "SELECT service_code, council, annual_cost FROM baseline_rows"
            ).fetchall()
        )
    finally:
        con.close()
    assert got == {
        ("HR", NL): "615776.66",
        ("HR", NEL): "1064100.00",
        ("ICT", NL): "3981153.06",
        ("ICT", NEL): "4116750.00",
    }


@pytest.mark.parametrize(
    ("row", "message"),
    [
        (["HR", "695", "", ""], "mapping row 2, column line: line 695 is not in the outturn"),
        (["HR", "690", "1.5", ""], "mapping row 2, column share:"),
        (["XYZ", "690", "", ""], "mapping row 2, column service_code: XYZ is not on the register"),
        (["HR", "690", "", "Nowhere"], "mapping row 2, column council: unknown council"),
    ],
)
def test_a_bad_mapping_proposes_nothing(
    db: Path, tmp_path: Path, row: list[str], message: str
) -> None:
    _register(db, tmp_path)
    mapping = write_csv(tmp_path / "mapping.csv", MAPPING, [row])
    out = tmp_path / "proposed.csv"
    result = run_cli(
        "import", "outturn", OUTTURN_CSV, "--mapping", mapping, "--out", out, "--db", db
    )
    assert result.code == 1, result
    assert any(line.startswith(f"ERROR {message}") for line in result.lines), result
    assert "nothing proposed" in result.out
    assert not out.exists()


def test_usage_errors(db: Path, tmp_path: Path) -> None:
    _register(db, tmp_path)
    mapping = write_csv(tmp_path / "mapping.csv", MAPPING, [["HR", "690", "", ""]])
    taken = tmp_path / "taken.csv"
    taken.write_text("keep me", encoding="utf-8")
    result = run_cli(
        "import", "outturn", OUTTURN_CSV, "--mapping", mapping, "--out", taken, "--db", db
    )
    assert result.code == 2 and "already exists" in result.err
    assert taken.read_text(encoding="utf-8") == "keep me"
    result = run_cli("import", "outturn", tmp_path / "none.csv", "--mapping", mapping, "--db", db)
    assert result.code == 2 and "no such file" in result.err
    not_outturn = write_csv(tmp_path / "other.csv", ["a", "b"], [["1", "2"]])
    result = run_cli("import", "outturn", not_outturn, "--mapping", mapping, "--db", db)
    assert result.code == 1 and "no 'ONS Code' column" in result.out
