"""The returns calendar (CONTRACT.md section 8), through the real command line.

Worked by hand from the small programme in conftest.py. Targets above zero in 2014/15:
HR and ICT for both councils, and LEG for North Lincolnshire: five cells a quarter.
RETURNS_2014 (received 20 October 2014) covers Q1 and Q2: HR for North Lincolnshire
(Q1, Q2) and North East Lincolnshire (Q1 only), and ICT as whole-service returns from
the lead, which count for both members. To date is Q1-Q2, so of the ten returns
expected three are outstanding: North East Lincolnshire HR Q2, and North Lincolnshire
LEG Q1 and Q2.

Q1 (April-June 2014) is due 30 July 2014 and Q2 (July-September) 30 October 2014. On
15 November 2014 they are 108 days overdue (30 July to 30 August is 31 days, to 30
September 31 more, to 30 October 30 more, and to 15 November 16 more) and 16 days.
"""

from __future__ import annotations

import csv
import io
from datetime import date
from pathlib import Path

import pytest
from conftest import (
    NEL,
    NL,
    RETURNS_2014,
    RETURNS_2014_AT,
    RETURNS_HEADER,
    report_csv,
    run_cli,
    write_csv,
)

from sharedsvc_core.periods import Quarter
from sharedsvc_core.returns_calendar import due_date, quarter_end

COLUMNS = "council,council_name,service_code,financial_year,quarter,due_date,days_overdue"


@pytest.fixture
def returned(register: Path, tmp_path: Path) -> Path:
    path = write_csv(tmp_path / "returns.csv", RETURNS_HEADER, RETURNS_2014)
    result = run_cli("load", "returns", path, "--db", register, "--received-at", RETURNS_2014_AT)
    assert result.code == 0, result
    return register


def _outstanding(db: Path, *args: str) -> list[list[str]]:
    result = run_cli("report", "outstanding", "--db", db, "--format", "csv", *args)
    assert result.code == 0, result
    lines = result.out.splitlines()
    assert lines[0] == COLUMNS
    return [row for row in csv.reader(io.StringIO("\n".join(lines[1:]))) if row]


def test_the_outstanding_returns_worked_by_hand(returned: Path) -> None:
    assert _outstanding(returned, "--today", "2014-11-15") == [
        [NL, "North Lincolnshire", "LEG", "2014/15", "Q1", "2014-07-30", "108"],
        [NEL, "North East Lincolnshire", "HR", "2014/15", "Q2", "2014-10-30", "16"],
        [NL, "North Lincolnshire", "LEG", "2014/15", "Q2", "2014-10-30", "16"],
    ]


def test_it_is_exactly_expected_less_received(returned: Path) -> None:
    for to in ("2014/15Q2", "2014/15Q4", "2015/16Q3"):
        programme = report_csv(returned, "--to", to)["programme"]
        missing = int(programme["returns_expected"]) - int(programme["returns_received"])
        assert len(_outstanding(returned, "--to", to, "--today", "2016-01-01")) == missing
    # to 2014/15 Q4: the three above, and all five cells of Q3 and of Q4
    assert len(_outstanding(returned, "--to", "2014/15Q4")) == 13


def test_due_dates_across_the_year_end(returned: Path) -> None:
    rows = _outstanding(returned, "--to", "2014/15Q4", "--today", "2015-05-01")
    due = {(r[2], r[0], r[4]): (r[5], r[6]) for r in rows}
    # Q3 is October-December: due 30 January 2015; Q4 is January-March: due 30 April 2015
    assert due[("HR", NL, "Q3")] == (
        "2015-01-30",
        "91",
    )  # to 28 Feb 29, to 30 Mar 30, to 30 Apr 31, 1
    assert due[("HR", NL, "Q4")] == ("2015-04-30", "1")
    assert due[("LEG", NL, "Q1")] == ("2014-07-30", "275")
    # largest first, and among equals by council, service, year and quarter
    overdue = [int(r[6]) for r in rows]
    assert overdue == sorted(overdue, reverse=True)
    assert rows[-5:] == [
        [NEL, "North East Lincolnshire", "HR", "2014/15", "Q4", "2015-04-30", "1"],
        [NEL, "North East Lincolnshire", "ICT", "2014/15", "Q4", "2015-04-30", "1"],
        [NL, "North Lincolnshire", "HR", "2014/15", "Q4", "2015-04-30", "1"],
        [NL, "North Lincolnshire", "ICT", "2014/15", "Q4", "2015-04-30", "1"],
        [NL, "North Lincolnshire", "LEG", "2014/15", "Q4", "2015-04-30", "1"],
    ]


def test_not_yet_due_is_negative_and_the_setting_moves_it(returned: Path) -> None:
    rows = _outstanding(returned, "--to", "2014/15Q4", "--today", "2015-04-20")
    assert {r[5]: r[6] for r in rows}["2015-04-30"] == "-10"
    assert run_cli("settings", "returns_due_days", "45", "--db", returned).code == 0
    rows = _outstanding(returned, "--to", "2014/15Q4", "--today", "2015-04-20")
    # 31 March + 45 days = 15 May; 20 April is 25 days before it
    assert {(r[2], r[0], r[4]): r[5:] for r in rows}[("HR", NL, "Q4")] == ["2015-05-15", "-25"]
    bad = run_cli("settings", "returns_due_days", "7.5", "--db", returned)
    assert bad.code == 2 and "whole number of days" in bad.err


def test_as_of_before_the_returns_arrived(returned: Path) -> None:
    rows = _outstanding(returned, "--to", "2014/15Q2", "--as-of", "2014-10-01T00:00:00Z")
    assert len(rows) == 10  # nothing had arrived: every expected return was outstanding


def test_a_returned_submission_is_outstanding_again(returned: Path, tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "nel-q2.csv",
        RETURNS_HEADER,
        [[NEL, "HR", "2014/15", "Q2", "46000", "", "", "own", ""]],
    )
    loaded = run_cli("load", "returns", path, "--db", returned, "--user", "a@nelincs.gov.uk")
    assert loaded.code == 0, loaded
    assert len(_outstanding(returned, "--to", "2014/15Q2")) == 2
    sent_back = run_cli("return", "7", "--reason", "wrong quarter", "--db", returned)
    assert sent_back.code == 0, sent_back
    assert len(_outstanding(returned, "--to", "2014/15Q2")) == 3


def test_the_calendar_itself() -> None:
    assert quarter_end(Quarter(2014, 1)) == date(2014, 6, 30)
    assert quarter_end(Quarter(2014, 3)) == date(2014, 12, 31)
    assert quarter_end(Quarter(2014, 4)) == date(2015, 3, 31)
    assert due_date(Quarter(2014, 1), 30) == date(2014, 7, 30)
    assert due_date(Quarter(2014, 4), 30) == date(2015, 4, 30)
    assert due_date(Quarter(2015, 4), 0) == date(2016, 3, 31)
    assert due_date(Quarter(2015, 3), 60) == date(2016, 2, 29)  # 2016 is a leap year


def test_table_and_json_say_the_same(returned: Path) -> None:
    table = run_cli("report", "outstanding", "--db", returned, "--today", "2014-11-15")
    assert table.code == 0
    assert table.lines[0] == "3 returns expected and not received, 3 of them overdue"
    data = run_cli(
        "report", "outstanding", "--db", returned, "--today", "2014-11-15", "--format", "json"
    )
    import json

    first = json.loads(data.out)[0]
    assert first["days_overdue"] == 108 and first["quarter"] == "Q1"
    bad = run_cli("report", "outstanding", "--db", returned, "--today", "15/11/2014")
    assert bad.code == 2 and "2016-11-30" in bad.err
