"""Taking Stock figures (CONTRACT.md section 5, `report survey`), worked out by hand."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from conftest import count_rows, run_cli, write_csv

from sharedsvc_core.contract import KINDS

HEADER = KINDS["survey"].header()
UNDERSTAND = "I understand why we share services"
ROWS = [
    # staff 2014/15, programme-wide and for HR: added together, 20 responses
    ["2014/15", "staff", UNDERSTAND, "", 1, 2, 3, 4, 2],
    ["2014/15", "Staff", UNDERSTAND, "HR", 0, 1, 1, 2, 4],
    ["2014-15", "trade unions", "Savings claimed are being delivered", "", 3, 2, 1, 0, 0],
    ["2013/14", "staff", UNDERSTAND, "", 2, 2, 2, 1, 1],
    ["2014/15", "managers", "Communication has been good", "", 1, 0, 0, 5, 10],
]
COLUMNS = (
    "wave,group,statement,responses,pct_agree,pct_neutral,pct_disagree,net_agreement,mean_score"
)


def _report(db: Path, *args: str) -> list[dict[str, str]]:
    result = run_cli("report", "survey", "--db", db, "--format", "csv", *args)
    assert result.code == 0, result
    assert result.lines[0] == COLUMNS
    return list(csv.DictReader(io.StringIO(result.out)))


def _load(register: Path, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "survey.csv", HEADER, ROWS)
    result = run_cli("load", "survey", path, "--db", register)
    assert result.code == 0, result


def test_survey_figures_by_hand(register: Path, tmp_path: Path) -> None:
    _load(register, tmp_path)
    rows = _report(register)
    # sorted by wave, group, statement
    assert [(r["wave"], r["group"]) for r in rows] == [
        ("2013/14", "staff"),
        ("2014/15", "managers"),
        ("2014/15", "staff"),
        ("2014/15", "trade_unions"),
    ]
    old_staff, managers, staff, unions = rows
    # staff 2014/15: sd 1+0, d 2+1, n 3+1, a 4+2, sa 2+4 = 1, 3, 4, 6, 6 -> 20 responses
    assert staff["responses"] == "20"
    assert (staff["pct_agree"], staff["pct_neutral"], staff["pct_disagree"]) == (
        "60.0",
        "20.0",
        "20.0",
    )  # 12/20, 4/20, 4/20
    assert staff["net_agreement"] == "40.0"
    assert staff["mean_score"] == "3.65"  # (1 + 6 + 12 + 24 + 30) / 20 = 73 / 20
    # unions: 3, 2, 1, 0, 0 -> 6 responses
    assert (unions["pct_agree"], unions["pct_neutral"], unions["pct_disagree"]) == (
        "0.0",
        "16.7",
        "83.3",
    )  # 0, 1/6 = 16.67, 5/6 = 83.33
    assert unions["net_agreement"] == "-83.3"
    assert unions["mean_score"] == "1.67"  # (3 + 4 + 3) / 6 = 1.667
    # staff 2013/14: 2, 2, 2, 1, 1 -> 8; mean 21 / 8 = 2.625, rounded half up to 2.63
    assert old_staff["mean_score"] == "2.63"
    assert old_staff["net_agreement"] == "-25.0"  # 25.0 - 50.0
    # managers: 1, 0, 0, 5, 10 -> 16; agree 15/16 = 93.75 -> 93.8, disagree 1/16 = 6.25
    # -> 6.3 (half up); net is the difference of the figures shown: 87.5
    assert (managers["pct_agree"], managers["pct_disagree"]) == ("93.8", "6.3")
    assert managers["net_agreement"] == "87.5"
    assert managers["mean_score"] == "4.44"  # 71 / 16 = 4.4375


def test_survey_for_one_wave(register: Path, tmp_path: Path) -> None:
    _load(register, tmp_path)
    assert {r["wave"] for r in _report(register, "--wave", "2013-14")} == {"2013/14"}
    assert len(_report(register, "--wave", "2014/15")) == 3
    bad = run_cli("report", "survey", "--db", register, "--wave", "last year")
    assert bad.code == 2 and "--wave" in bad.err


def test_survey_resubmission_supersedes_by_key(register: Path, tmp_path: Path) -> None:
    _load(register, tmp_path)
    fixed = write_csv(
        tmp_path / "fixed.csv",
        HEADER,
        [["2014/15", "trade_unions", "Savings claimed are being delivered", "", 0, 0, 0, 2, 2]],
    )
    assert run_cli("load", "survey", fixed, "--db", register).code == 0
    unions = [r for r in _report(register) if r["group"] == "trade_unions"][0]
    assert (unions["responses"], unions["pct_agree"], unions["mean_score"]) == (
        "4",
        "100.0",
        "4.50",
    )


def test_comments_are_appended(register: Path, tmp_path: Path) -> None:
    header = ["wave", "group", "theme", "comment", "service_code"]
    first = write_csv(
        tmp_path / "c1.csv",
        header,
        [["2014/15", "staff", "concern", "Worried about the restructure", ""]],
    )
    second = write_csv(
        tmp_path / "c2.csv",
        header,
        [
            ["2014/15", "staff", "concern", "Worried about the restructure", ""],
            ["2014/15", "elected_members", "need", '=HYPERLINK("x")', "HR"],
        ],
    )
    assert run_cli("load", "comments", first, "--db", register).code == 0
    result = run_cli("load", "comments", second, "--db", register)
    assert result.code == 0 and "2 rows (2 new, 0 superseding)" in result.out
    assert count_rows(register, "comment_rows") == 3


def test_json_survey(register: Path, tmp_path: Path) -> None:
    import json

    _load(register, tmp_path)
    result = run_cli("report", "survey", "--db", register, "--format", "json")
    rows = json.loads(result.out)
    assert rows[0]["mean_score"] == 2.63 and rows[0]["responses"] == 8
