"""A partner's exit statement worked by hand, on the small programme with a third member
joining in 2015/16, and a dissolved partnership that stays reportable."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from conftest import NEL, NL, run_cli, write_csv

from sharedsvc_core.contract import KINDS

BOSTON = "E07000136"
FUNDING = [
    ["NLH", "Transformation Challenge Award grant", "100000", "2014-04-01", "Repayable pro rata"],
    ["NLH", "North Lincolnshire contribution", "20000", "2015-06-01", ""],
]


@pytest.fixture
def partnership(programme: Path, tmp_path: Path) -> Path:
    """NLH as in conftest for 2014/15 (NL 0.6, NEL 0.4); from 2015/16 Boston joins and the
    shares are NL 0.5, NEL 0.3 and Boston 0.2. Funding: £100,000 in April 2014 and £20,000
    in June 2015."""
    members = write_csv(
        tmp_path / "members.csv",
        KINDS["members"].header(),
        [
            ["NLH", NL, "0.6", "2014/15", "2014/15"],
            ["NLH", NEL, "0.4", "2014/15", "2014/15"],
            ["NLH", NL, "0.5", "2015/16", ""],
            ["NLH", NEL, "0.3", "2015/16", ""],
            ["NLH", BOSTON, "0.2", "2015/16", ""],
        ],
    )
    funding = write_csv(tmp_path / "funding.csv", KINDS["funding"].header(), FUNDING)
    for kind, path in (("members", members), ("funding", funding)):
        result = run_cli("load", kind, path, "--db", programme, "--received-at", "2015-08-01")
        assert result.code == 0, result
    return programme


def _statement(db: Path, *args: str) -> dict[str, str]:
    result = run_cli("report", "exit", "NLH", "--db", db, "--format", "csv", *args)
    assert result.code == 0, result
    rows = list(csv.DictReader(io.StringIO(result.out)))
    return {r["item"]: r["amount"] for r in rows}


def test_exit_statement_worked_by_hand(partnership: Path) -> None:
    got = _statement(partnership, "--council", "North East Lincolnshire", "--at", "2015/16Q1")
    assert got == {
        "basis": "cost_share",
        "basis_share": "0.3",  # NEL's cost share in 2015/16
        # £100,000 + £20,000 received by 30/06/2015
        "funding_received": "120000.00",
        # one-off costs to 2015/16 Q1: NL HR 5,000 + ICT 0.6 x 50,000; NEL ICT 0.4 x 50,000;
        # 2015/16 ICT 10,000 shared 0.5 / 0.3 / 0.2: 5,000 + 30,000 + 20,000 + 10,000
        "one_off_costs_partnership": "65000.00",
        "unspent_funding": "55000.00",
        "share_of_unspent_funding": "16500.00",  # 0.3 x 55,000
        # NEL: ICT 2014/15 Q1 0.4 x 50,000, 2015/16 Q1 0.3 x 10,000
        "one_off_costs_to_date": "23000.00",
        # NEL evidenced: HR Q1 50,000 - 44,000 = 6,000; ICT Q1 100,000 - 108,000 = -8,000;
        # ICT Q2 100,000 - 100,000 = 0; 2015/16 HR 5,000, ICT 100,000 - 72,000 = 28,000
        "evidenced_savings_to_date": "31000.00",
        "net_savings_to_date": "8000.00",
        # the last four quarters, 2014/15 Q2 to 2015/16 Q1: 0 + 5,000 + 28,000
        "savings_stopping_a_year": "33000.00",
        # NEL's targets for 2015/16 Q2-Q4: HR 3 x 5,000 and ICT 3 x 10,000
        "planned_savings_after": "45000.00",
        # NEL's part of the whole-service ICT cost: 100,000 (2014/15 Q2) + 72,000
        "shared_costs_taken_on_a_year": "172000.00",
        # the others' 2015/16 shares divided by 1 - 0.3
        f"new_share:{BOSTON}": "0.285714286",
        f"new_share:{NL}": "0.714285714",
    }


def test_an_agreed_share_and_the_figures_as_they_stood(partnership: Path) -> None:
    agreed = _statement(partnership, "--council", NEL, "--at", "2015/16Q1", "--share", "50%")
    assert (agreed["basis"], agreed["basis_share"]) == ("agreed", "0.5")
    assert agreed["share_of_unspent_funding"] == "27500.00"  # 0.5 x 55,000
    # as of before the 2015/16 returns (20 July 2015) and the new members and funding
    # (1 August 2015): NEL held 0.4 in 2014/15, and NL alone remains
    before = _statement(partnership, "--council", NEL, "--at", "2014/15Q2", "--as-of", "2015-07-01")
    assert before["basis_share"] == "0.4"
    assert before["funding_received"] == "0.00"  # the funding file arrived in August
    assert before["one_off_costs_partnership"] == "55000.00"  # 5,000 + 30,000 + 20,000
    assert before["evidenced_savings_to_date"] == "-2000.00"  # 6,000 - 8,000 + 0
    assert before[f"new_share:{NL}"] == "1"


def test_the_table_says_the_basis_and_refusals_say_what_to_do(partnership: Path) -> None:
    shown = run_cli(
        "report", "exit", "NLH", "--council", NEL, "--at", "2015/16Q1", "--db", partnership
    )
    assert shown.code == 0
    assert shown.lines[:2] == [
        "North East Lincolnshire (E06000012) leaving NLH at the end of 2015/16 Q1",
        "basis: its cost share in 2015/16, 0.3",
    ]
    not_member = run_cli(
        "report", "exit", "NLH", "--council", BOSTON, "--at", "2014/15Q2", "--db", partnership
    )
    assert not_member.code == 2
    assert "E07000136 is not a member of partnership NLH in 2014/15" in not_member.err
    bad = run_cli(
        "report", "exit", "NLH", "--council", NEL, "--at", "2015/16Q5", "--db", partnership
    )
    assert bad.code == 2 and "--at" in bad.err


def test_a_dissolved_partnership_keeps_its_history(partnership: Path, tmp_path: Path) -> None:
    before = run_cli(
        "report", "realisation", "--by", "partnership", "--format", "csv", "--db", partnership
    )
    header = KINDS["partnerships"].header(omit=("description",))
    path = write_csv(
        tmp_path / "dissolved.csv",
        header,
        [["NLH", "Northern Lincolnshire hub", "hub_and_spoke", NL, "2014-04-01", "dissolved"]],
    )
    assert run_cli("load", "partnerships", path, "--db", partnership).code == 0
    after = run_cli(
        "report", "realisation", "--by", "partnership", "--format", "csv", "--db", partnership
    )
    assert after.out == before.out and "NLH," in after.out
    # and as of a past date, as it stood
    past = run_cli(
        "report",
        "realisation",
        "--by",
        "partnership",
        "--format",
        "csv",
        "--db",
        partnership,
        "--as-of",
        "2015-01-01",
    )
    assert past.code == 0 and "NLH," in past.out


def test_the_exit_statement_on_the_partnerships_page(
    partnership: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from test_pages import open_app, short_tables

    app = open_app(partnership, monkeypatch, "app_pages/partnerships.py")
    assert not app.get("selectbox"), "nothing of the statement is sent until it is asked for"
    app.session_state["exit_box"] = True  # open "Draw up an exit statement", as a person would
    app.run()
    app.selectbox(key="exit_partnership").select("NLH").run()
    app.selectbox(key="exit_council").select(NEL).run()
    app.selectbox(key="exit_at").select("2015/16Q1").run()
    assert not app.exception
    tables = {t.caption: t.rows for t in short_tables(app)}
    statement = tables["North East Lincolnshire leaving NLH at the end of 2015/16 Q1"]
    amounts = dict(statement[1:])
    assert amounts["Its share of the unspent funding"] == "£16,500"
    assert amounts["Savings that stop: evidenced in the last four quarters"] == "£33,000"
    stay = tables["The members who stay: their cost shares scaled to add up to 1 again"]
    assert stay[1:] == [  # by GSS code
        ["North Lincolnshire (E06000013)", "0.5", "0.714285714", "£122,857"],
        ["Boston (E07000136)", "0.2", "0.285714286", "£49,143"],  # 172,000 x 0.2 / 0.7
    ]
    assert any("Basis: its cost share in 2015/16, 0.3." in m.value for m in app.markdown)
    # a council not a member that year is told so, not shown a statement
    app.selectbox(key="exit_council").select(BOSTON).run()
    app.selectbox(key="exit_at").select("2014/15Q2").run()
    assert [i.value for i in app.info] == [
        "E07000136 is not a member of partnership NLH in 2014/15: name a member that year"
    ]


def test_a_funding_file_for_an_unknown_partnership_changes_nothing(
    programme: Path, tmp_path: Path
) -> None:
    path = write_csv(
        tmp_path / "funding.csv",
        KINDS["funding"].header(),
        [["NOPE", "Grant", "1000", "2015-04-01", ""], ["NLH", "Grant", "£1.2m", "2015-04-01", ""]],
    )
    result = run_cli("load", "funding", path, "--db", programme)
    assert result.code == 1
    assert "ERROR row 2, column partnership_code: unknown partnership NOPE" in result.out
    assert "ERROR row 3, column amount: '£1.2m' is not an amount" in result.out
    assert result.lines[-1] == "rejected: 2 errors, nothing written"
    assert (
        run_cli(
            "report",
            "exit",
            "NLH",
            "--council",
            NEL,
            "--at",
            "2014/15Q2",
            "--db",
            programme,
            "--format",
            "csv",
        ).out.count("funding_received,0.00")
        == 1
    )


def test_an_agreed_share_out_of_range_is_refused(partnership: Path) -> None:
    result = run_cli(
        "report",
        "exit",
        "NLH",
        "--council",
        NEL,
        "--at",
        "2015/16Q1",
        "--share",
        "1.5",
        "--db",
        partnership,
    )
    assert result.code == 2
    assert "--share must be more than 0 and at most 1" in result.err
