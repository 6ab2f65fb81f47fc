"""The benefits register: progress, expected and status worked by hand for both
directions, a dis-benefit, a benefit with no measure, a cash-releasing benefit that reads
the returns, an as-of before a change, and change control on baselines and targets."""

from __future__ import annotations

import csv
import io
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from conftest import NEL, NL, run_cli, write_csv, write_xlsx

from sharedsvc_core import benefits
from sharedsvc_core.contract import KINDS

BENEFITS_HEADER = KINDS["benefits"].header(omit=("description", "reason"))
MEASURES_HEADER = KINDS["measures"].header(omit=("commentary",))
B = "2014-03-31"  # every baseline date below
# benefit_code, service_code, name, class, measure, unit, direction, baseline_value,
# baseline_date, target_value, target_date, senior_owner, operational_owner,
# tolerance_pct, depends_on
REGISTER = [
    [
        "B-DAYS",
        "HR",
        "Fewer days lost",
        "non_cash",
        "Days lost per employee",
        "days",
        "decrease",
        "10",
        B,
        "6",
        "2017-03-31",
        "Director of Resources",
        "Head of HR",
        "",
        "",
    ],
    [
        "B-FIRST",
        "HR",
        "Cases resolved first time",
        "quality",
        "Cases resolved first time",
        "cases",
        "increase",
        "40",
        B,
        "80",
        "2017-03-31",
        "",
        "",
        "5",
        "B-DAYS",
    ],
    [
        "B-CASH",
        "ICT",
        "ICT savings",
        "cash_releasing",
        "evidenced_savings",
        "£",
        "increase",
        "0",
        B,
        "600000",
        "2016-03-31",
        "Director of Resources",
        "",
        "",
        "",
    ],
    [
        "B-ANX",
        "HR",
        "Staff anxiety during the move",
        "dis_benefit",
        "Staff reporting anxiety",
        "%",
        "increase",
        "10",
        B,
        "30",
        "2017-03-31",
        "",
        "",
        "",
        "B-DAYS",
    ],
    [
        "B-NONE",
        "LEG",
        "Quicker contracts",
        "quality",
        "Days to agree a contract",
        "days",
        "decrease",
        "30",
        B,
        "20",
        "2017-03-31",
        "",
        "",
        "",
        "",
    ],
]
MEASURES = [
    ["B-DAYS", "", "2014/15Q4", "9", "HR system"],
    ["B-DAYS", "", "2015/16Q2", "8.5", "HR system"],
    ["B-FIRST", NL, "2015/16Q2", "36", ""],
    ["B-FIRST", NEL, "2015/16Q2", "24", ""],
    ["B-ANX", "", "2015/16Q2", "28", "Pulse survey"],
]
AT = "2015-11-01T09:00:00Z"


def _load(db: Path, tmp_path: Path, kind: str, header, rows, at: str = AT, name: str = ""):
    path = write_csv(tmp_path / (name or f"{kind}.csv"), header, rows)
    return run_cli("load", kind, path, "--db", db, "--received-at", at, "--user", "pmo")


def _report(db: Path, *extra: str) -> dict[str, dict[str, str]]:
    result = run_cli("report", "benefits", "--db", db, "--format", "csv", *extra)
    assert result.code == 0, result
    rows = list(csv.DictReader(io.StringIO(result.out)))
    assert list(rows[0]) == list(benefits.COLUMNS)
    return {r["benefit_code"]: r for r in rows}


def load_benefits(db: Path, tmp_path: Path) -> Path:
    """The small programme's benefits register and measures, loaded in November 2015."""
    assert _load(db, tmp_path, "benefits", BENEFITS_HEADER, REGISTER).code == 0
    assert _load(db, tmp_path, "measures", MEASURES_HEADER, MEASURES).code == 0
    return db


@pytest.fixture
def register(programme: Path, tmp_path: Path) -> Path:
    return load_benefits(programme, tmp_path)


def test_report_benefits_worked_by_hand(register: Path) -> None:
    rows = _report(register)
    assert list(rows) == ["B-ANX", "B-CASH", "B-DAYS", "B-FIRST", "B-NONE"]  # by code
    # a decrease: (8.5 - 10) / (6 - 10) = 37.5%; 30/09/2015 is 548 of the 1,096 days from
    # 31/03/2014 to 31/03/2017: 50.0%; 37.5 is more than 10 points behind: behind
    assert rows["B-DAYS"] == {
        "benefit_code": "B-DAYS",
        "service_code": "HR",
        "class": "non_cash",
        "measure": "Days lost per employee",
        "unit": "days",
        "baseline_value": "10",
        "target_value": "6",
        "latest_value": "8.5",
        "latest_period": "2015/16Q2",
        "progress_pct": "37.5",
        "expected_pct": "50.0",
        "status": "behind",
    }
    # an increase measured council by council: 36 + 24 = 60; (60 - 40) / (80 - 40) = 50%,
    # against 50% expected: on track
    first = rows["B-FIRST"]
    assert (first["latest_value"], first["progress_pct"], first["expected_pct"]) == (
        "60",
        "50.0",
        "50.0",
    )
    assert first["status"] == "on_track"
    # a dis-benefit: (28 - 10) / (30 - 10) = 90% of the harm accepted, where 50% was
    # expected by now and 10 points is the tolerance: behind
    anxiety = rows["B-ANX"]
    assert (anxiety["progress_pct"], anxiety["expected_pct"], anxiety["status"]) == (
        "90.0",
        "50.0",
        "behind",
    )
    # no measure: nothing to show but the register's own values
    none = rows["B-NONE"]
    assert (none["latest_value"], none["latest_period"], none["progress_pct"]) == ("", "", "")
    assert (none["expected_pct"], none["status"]) == ("", "no_data")


def test_a_cash_releasing_benefit_reads_its_services_evidenced_savings(register: Path) -> None:
    # ICT's whole-service returns against a quarterly baseline of 200,000 + 100,000:
    # 2014/15 Q1 300,000 - 270,000 = 30,000; Q2 50,000; 2015/16 Q1 60,000. To date: 140,000.
    # 140,000 / 600,000 = 23.3%. 30/06/2015 is 456 of the 731 days from 31/03/2014 to
    # 31/03/2016: 62.4%. 23.3 is more than 10 points behind: behind.
    cash = _report(register)["B-CASH"]
    assert (cash["latest_value"], cash["latest_period"]) == ("140000.00", "2015/16Q1")
    assert (cash["progress_pct"], cash["expected_pct"], cash["status"]) == (
        "23.3",
        "62.4",
        "behind",
    )
    # before the register arrived (November 2015) there was no benefit to report
    earlier = run_cli(
        "report", "benefits", "--db", register, "--format", "csv", "--as-of", "2015-07-01"
    )
    assert earlier.out.strip() == ",".join(benefits.COLUMNS)


def test_measures_for_an_evidenced_savings_benefit_are_refused(
    register: Path, tmp_path: Path
) -> None:
    result = _load(
        register,
        tmp_path,
        "measures",
        MEASURES_HEADER,
        [["B-CASH", "", "2015/16Q2", "5", ""]],
        name="cash.csv",
    )
    assert result.code == 1
    assert "ERROR row 2, column benefit_code: benefit B-CASH takes its values" in result.out
    assert "rejected: 1 errors, nothing written" in result.out


def test_an_as_of_before_a_change_sees_the_original(register: Path, tmp_path: Path) -> None:
    changed = [r[:] for r in REGISTER if r[0] == "B-DAYS"]
    changed[0][9] = "7"  # a target of 7 days, not 6
    header = KINDS["benefits"].header(omit=("description",))
    without_reason = _load(
        register,
        tmp_path,
        "benefits",
        BENEFITS_HEADER,
        changed,
        "2016-01-10T09:00:00Z",
        "rebase.csv",
    )
    assert without_reason.code == 1
    assert "ERROR row 2, column reason: this changes the baseline or target of benefit B-DAYS" in (
        without_reason.out
    )
    with_reason = _load(
        register,
        tmp_path,
        "benefits",
        header,
        [[*changed[0], "Scope cut by the board"]],
        "2016-01-10T09:00:00Z",
        "rebase2.csv",
    )
    assert with_reason.code == 0, with_reason
    # now: (8.5 - 10) / (7 - 10) = 50.0%, against 50.0% expected: on track
    now = _report(register)["B-DAYS"]
    assert (now["target_value"], now["progress_pct"], now["status"]) == ("7", "50.0", "on_track")
    # as of December 2015 the target was still 6: 37.5%, behind
    before = _report(register, "--as-of", "2015-12-01T00:00:00Z")["B-DAYS"]
    assert (before["target_value"], before["progress_pct"], before["status"]) == (
        "6",
        "37.5",
        "behind",
    )


def test_a_changed_target_needs_a_reason_and_keeps_the_original(
    programme: Path, tmp_path: Path
) -> None:
    header = KINDS["targets"].header(omit=("one_off_budget",))
    refused = _load(
        programme,
        tmp_path,
        "targets",
        header,
        [["HR", NL, "2015/16", "30000", ""]],
        "2015-09-01T09:00:00Z",
        "t1.csv",
    )
    assert refused.code == 1
    assert (
        "ERROR row 2, column reason: this changes the 2015/16 target of HR for E06000013 from "
        "40000.00 to 30000.00" in refused.out
    )
    # the same target again needs no reason: nothing changes
    same = _load(
        programme,
        tmp_path,
        "targets",
        header,
        [["HR", NL, "2015/16", "40000.00", ""]],
        "2015-09-01T09:00:00Z",
        "t2.csv",
    )
    assert same.code == 0, same
    loaded = _load(
        programme,
        tmp_path,
        "targets",
        header,
        [["HR", NL, "2015/16", "30000", "Payroll moved out of scope"]],
        "2015-09-02T09:00:00Z",
        "t3.csv",
    )
    assert loaded.code == 0, loaded
    result = run_cli("report", "changes", "--db", programme, "--format", "csv")
    assert result.code == 0, result
    rows = list(csv.DictReader(io.StringIO(result.out)))
    assert rows == [
        {
            "kind": "target",
            "key": f"HR:{NL}:2015/16",
            "field": "target_saving",
            "original": "40000.00",
            "current": "30000.00",
            "changes": "1",
            "changed_by": "pmo",
            "changed_at": "2015-09-02T09:00:00Z",
            "reason": "Payroll moved out of scope",
        }
    ]
    # as of before the change there was none
    before = run_cli(
        "report", "changes", "--db", programme, "--format", "csv", "--as-of", "2015-09-01T12:00"
    )
    assert before.out.strip() == ",".join(benefits.CHANGE_COLUMNS)


def test_a_changed_baseline_needs_a_reason(programme: Path, tmp_path: Path) -> None:
    header = KINDS["baselines"].required_columns
    refused = _load(
        programme,
        tmp_path,
        "baselines",
        header,
        [["HR", NEL, "2013/14", "210000"]],
        "2015-09-01T09:00:00Z",
        "b1.csv",
    )
    assert refused.code == 1
    assert "column reason: this changes the baseline of HR for E06000012 from 200000.00" in (
        refused.out
    )
    loaded = _load(
        programme,
        tmp_path,
        "baselines",
        [*header, "reason"],
        [["HR", NEL, "2013/14", "210000", "Agency staff added to the baseline"]],
        "2015-09-01T09:00:00Z",
        "b2.csv",
    )
    assert loaded.code == 0, loaded


def test_a_benefits_file_from_excel_and_its_refusals(programme: Path, tmp_path: Path) -> None:
    rows = [
        # a benefit that should increase with a target below its baseline
        [
            "X1",
            "HR",
            "Wrong way",
            "quality",
            "Score",
            "points",
            "increase",
            "10",
            B,
            "5",
            "2017-03-31",
            "",
            "",
            "",
            "",
        ],
        # a target date before the baseline, an unknown dependency, an unknown class
        [
            "X2",
            "HR",
            "Back to front",
            "quality",
            "Score",
            "points",
            "increase",
            "1",
            B,
            "5",
            "2013-03-31",
            "",
            "",
            "",
            "NOPE",
        ],
        [
            "X3",
            "HR",
            "Unclassed",
            "savings",
            "Score",
            "points",
            "increase",
            "1",
            B,
            "5",
            "2017-03-31",
            "",
            "",
            "",
            "",
        ],
    ]
    path = write_xlsx(tmp_path / "benefits.xlsx", BENEFITS_HEADER, rows, sheet="benefits")
    result = run_cli("load", "benefits", path, "--db", programme)
    assert result.code == 1
    out = result.out
    assert "ERROR row 2, column target_value: a benefit that should increase needs a" in out
    assert "ERROR row 3, column target_date: target_date 31/03/2013 is not after" in out
    assert "ERROR row 3, column depends_on: unknown benefit NOPE" in out
    assert "ERROR row 4, column class:" in out
    assert run_cli("report", "benefits", "--db", programme, "--format", "csv").out.strip() == (
        ",".join(benefits.COLUMNS)
    )


@pytest.mark.parametrize(
    ("benefit_class", "progress", "expected", "status"),
    [
        ("quality", "100", "40", "achieved"),
        ("quality", "89.99", "100", "behind"),
        ("quality", "30", "40", "on_track"),  # exactly 10 points behind
        ("quality", "29.99", "40", "behind"),
        ("dis_benefit", "50", "40", "on_track"),  # exactly 10 points ahead
        ("dis_benefit", "50.01", "40", "behind"),
        ("dis_benefit", "100", "100", "achieved"),  # the harm stayed within what was accepted
        ("dis_benefit", "100.01", "100", "behind"),
        ("dis_benefit", "-5", "20", "on_track"),
    ],
)
def test_status_at_the_edges(benefit_class: str, progress: str, expected: str, status: str) -> None:
    assert benefits.status(benefit_class, Decimal(progress), Decimal(expected), Decimal(10)) == (
        status
    )


def test_expected_is_a_straight_line_from_0_to_100() -> None:
    start, end = date(2014, 3, 31), date(2017, 3, 31)
    assert benefits.expected(start, end, date(2015, 9, 30)) == Decimal(50)
    assert benefits.expected(start, end, date(2013, 1, 1)) == 0
    assert benefits.expected(start, end, date(2018, 1, 1)) == 100


def test_the_board_pack_has_the_register_and_the_changes(register: Path, tmp_path: Path) -> None:
    import openpyxl
    from pypdf import PdfReader

    header = KINDS["targets"].header(omit=("one_off_budget",))
    changed = _load(
        register,
        tmp_path,
        "targets",
        header,
        [["ICT", NEL, "2015/16", "45000", "Network contract renegotiated"]],
        "2015-12-01T09:00:00Z",
        "ict.csv",
    )
    assert changed.code == 0, changed
    xlsx, pdf = tmp_path / "pack.xlsx", tmp_path / "pack.pdf"
    for out in (xlsx, pdf):
        assert run_cli("export", "board-pack", "--out", out, "--db", register).code == 0
    book = openpyxl.load_workbook(xlsx)
    rows = list(book["Benefits"].iter_rows(values_only=True))
    assert rows[0][:3] == ("Service", "Benefit", "Class")
    # service by service, the dis-benefit after the benefit it comes with
    assert [r[1] for r in rows[1:]] == [
        "Fewer days lost (B-DAYS)",
        "Staff anxiety during the move (B-ANX)",
        "Cases resolved first time (B-FIRST)",
        "ICT savings (B-CASH)",
        "Quicker contracts (B-NONE)",
    ]
    days = dict(zip(rows[0], rows[1], strict=True))
    assert (days["Progress %"], days["Expected %"], days["Status"]) == (37.5, 50.0, "Behind")
    assert days["Latest value"] == "8.5 days" and days["Target"] == "6 days by 31/03/2017"
    changes = list(book["Changes since business case"].iter_rows(values_only=True))
    assert changes[1][:4] == (
        f"Target ICT:{NEL}:2015/16",
        "Target saving",
        "£40,000.00",
        "£45,000.00",
    )
    assert changes[1][-1] == "Network contract renegotiated"
    # table cells wrap their words over lines
    text = " ".join(" ".join(page.extract_text() for page in PdfReader(pdf).pages).split())
    assert "Benefits register" in text and "Staff anxiety during the move (B-ANX)" in text
    assert "Changes since the business case" in text and "£45,000.00" in text
