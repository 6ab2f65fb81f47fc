"""Certified returns (CONTRACT.md section 7), through the real command line on a real
store. Every figure is worked by hand from the small programme in conftest.py.

North Lincolnshire HR: baseline 400,000 a year, so baseline_q = 100,000; the 2014/15
target is 40,000, so target_q = 10,000. The first return says 2014/15 Q1 cost 92,000
(claimed 12,000, one-off 5,000): evidenced = 100,000 - 92,000 = 8,000 and the claims
gap 12,000 - 8,000 = 4,000. The resubmission says 95,000 (no claim, no one-off):
evidenced 5,000.
"""

from __future__ import annotations

import csv
import io
import threading
from datetime import datetime, timedelta
from pathlib import Path

import duckdb
import pytest
from conftest import NL, RETURNS_HEADER, count_rows, report_csv, run_cli, run_cli_process, write_csv

from sharedsvc_core.certification import DECLARATION

KEY = f"HR:{NL}"
MAKER = "maker@northlincs.gov.uk"
CHECKER = "checker@northlincs.gov.uk"
FIRST = [NL, "HR", "2014/15", "Q1", "92000", "12000", "5000", "own", ""]
SECOND = [NL, "HR", "2014/15", "Q1", "95000", "", "0", "own", "Corrected agency costs"]


def _hr(db: Path, *extra: str) -> dict[str, str]:
    return report_csv(db, "--by", "service_council", "--to", "2014/15Q1", *extra)[KEY]


def _submissions(db: Path, *extra: str) -> dict[str, dict[str, str]]:
    result = run_cli("submissions", "--db", db, "--format", "csv", *extra)
    assert result.code == 0, result
    return {row["id"]: row for row in csv.DictReader(io.StringIO(result.out))}


def _decided_at(db: Path, submission_id: int) -> datetime:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(
            "SELECT decided_at FROM certifications WHERE submission_id = ?", [submission_id]
        ).fetchone()[0]
    finally:
        con.close()


def _received_at(db: Path, submission_id: int) -> datetime:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(
            "SELECT received_at FROM submissions WHERE id = ?", [submission_id]
        ).fetchone()[0]
    finally:
        con.close()


def _iso(moment: datetime) -> str:
    return moment.isoformat() + "Z"


def _load(db: Path, tmp_path: Path, name: str, row: list[str], *extra: str) -> int:
    path = write_csv(tmp_path / name, RETURNS_HEADER, [row])
    result = run_cli("load", "returns", path, "--db", db, "--user", MAKER, *extra)
    assert result.code == 0, result
    return int(result.lines[-1].split()[2].rstrip(":"))


@pytest.fixture
def first(register: Path, tmp_path: Path) -> int:
    """The first return, back-dated to when it arrived: submission 6."""
    return _load(register, tmp_path, "q1.csv", FIRST, "--received-at", "2014-07-20T09:00:00Z")


def test_a_return_awaits_certification_and_certified_only_leaves_it_out(
    register: Path, first: int
) -> None:
    assert first == 6
    row = _submissions(register)["6"]
    assert (row["certification"], row["certified_by"]) == ("awaiting", "")
    # the register's kinds are not certified: their certification is empty
    assert _submissions(register)["1"]["certification"] == ""
    every = _hr(register)
    assert (every["target"], every["evidenced"], every["returns_received"]) == (
        "10000.00",
        "8000.00",
        "1",
    )
    certified = _hr(register, "--certified-only")
    assert certified["target"] == "10000.00"
    assert certified["evidenced"] == "0.00"
    assert certified["one_off"] == "0.00"
    assert certified["claimed"] == ""
    assert (certified["returns_expected"], certified["returns_received"]) == ("1", "0")
    assert certified["rag"] == "no_data"


def test_certify_counts_the_return_and_is_an_event_in_time(register: Path, first: int) -> None:
    result = run_cli("certify", "6", "--db", register, "--user", CHECKER)
    assert result.code == 0, result
    assert DECLARATION in result.out
    row = _submissions(register)["6"]
    assert (row["certification"], row["certified_by"]) == ("certified", CHECKER)
    certified = _hr(register, "--certified-only")
    assert certified["evidenced"] == "8000.00"
    assert certified["one_off"] == "5000.00"
    assert certified["claimed"] == "12000.00"
    assert certified["claims_gap"] == "4000.00"
    assert certified["net"] == "3000.00"
    assert certified["realisation_pct"] == "80.0"
    assert certified["rag"] == "amber"
    assert certified["returns_received"] == "1"
    # as of before the certification, it was awaiting, and certified-only counted nothing
    before = _iso(_decided_at(register, 6) - timedelta(seconds=1))
    assert _hr(register, "--certified-only", "--as-of", before)["evidenced"] == "0.00"
    assert _hr(register, "--as-of", before)["evidenced"] == "8000.00"
    assert _submissions(register, "--as-of", before)["6"]["certification"] == "awaiting"


def test_a_certified_return_counts_while_its_resubmission_waits(
    register: Path, first: int, tmp_path: Path
) -> None:
    assert run_cli("certify", "6", "--db", register, "--user", CHECKER).code == 0
    second = _load(register, tmp_path, "q1-again.csv", SECOND)
    assert second == 7
    assert _hr(register)["evidenced"] == "5000.00"  # the resubmission is current
    assert _hr(register, "--certified-only")["evidenced"] == "8000.00"  # 6 is still certified
    assert _hr(register, "--certified-only")["one_off"] == "5000.00"
    # once the resubmission is certified too, it is the current certified row
    assert run_cli("certify", "7", "--db", register, "--user", CHECKER).code == 0
    certified = _hr(register, "--certified-only")
    assert (certified["evidenced"], certified["one_off"], certified["claimed"]) == (
        "5000.00",
        "0.00",
        "",
    )
    # as of between the resubmission and its certification: 6's figures
    between = _iso(_decided_at(register, 7) - timedelta(microseconds=1))
    assert _received_at(register, 7) < _decided_at(register, 7)
    assert _hr(register, "--certified-only", "--as-of", between)["evidenced"] == "8000.00"
    assert _hr(register, "--as-of", between)["evidenced"] == "5000.00"


def test_a_returned_submission_stops_counting_and_its_reason_is_kept(
    register: Path, first: int, tmp_path: Path
) -> None:
    assert run_cli("certify", "6", "--db", register, "--user", CHECKER).code == 0
    _load(register, tmp_path, "q1-again.csv", SECOND)
    reason = "Q1 actual includes the annual licence; please take it out and resend"
    result = run_cli("return", "7", "--reason", reason, "--db", register, "--user", CHECKER)
    assert result.code == 0, result
    row = _submissions(register)["7"]
    assert row["certification"] == "returned"
    assert row["certified_by"] == CHECKER
    assert row["status"] == "rolled_back"  # its rows stop counting, as with a rollback
    assert row["return_reason"] == reason
    # so the first return counts again, in both views
    assert _hr(register)["evidenced"] == "8000.00"
    assert _hr(register, "--certified-only")["evidenced"] == "8000.00"
    # as of before the return, the resubmission still counted
    before = _iso(_decided_at(register, 7) - timedelta(microseconds=1))
    assert _hr(register, "--as-of", before)["evidenced"] == "5000.00"
    assert _submissions(register, "--as-of", before)["7"]["certification"] == "awaiting"
    audit = run_cli("audit", "--db", register, "--format", "csv")
    entries = list(csv.DictReader(io.StringIO(audit.out)))
    actions = [
        (e["user"], e["action"]) for e in entries if e["action"] in ("certification", "return")
    ]
    assert actions == [(CHECKER, "certification"), (CHECKER, "return")]
    assert reason in entries[-1]["detail"]


def test_nobody_certifies_their_own_submission(register: Path, first: int) -> None:
    for who in (MAKER, MAKER.upper()):
        result = run_cli("certify", "6", "--db", register, "--user", who)
        assert result.code == 2, result
        assert "you submitted it" in result.err
    result = run_cli("return", "6", "--reason", "no", "--db", register, "--user", MAKER)
    assert result.code == 2 and "you submitted it" in result.err
    assert count_rows(register, "certifications") == 0
    assert _submissions(register)["6"]["certification"] == "awaiting"


def test_refusals_say_what_to_do_and_change_nothing(register: Path, first: int) -> None:
    cases = [
        (("certify", "1"), "only returns are certified"),
        (("certify", "99"), "there is no submission 99"),
        (("return", "6", "--reason", "   "), "give a reason"),
    ]
    for args, words in cases:
        result = run_cli(*args, "--db", register, "--user", CHECKER)
        assert result.code == 2, result
        assert words in result.err, result
        assert "Traceback" not in result.err
    assert count_rows(register, "certifications") == 0
    # a rolled-back submission has nothing to certify
    assert run_cli("rollback", "6", "--db", register, "--user", CHECKER).code == 0
    result = run_cli("certify", "6", "--db", register, "--user", CHECKER)
    assert result.code == 2 and "rolled back" in result.err


def test_a_decision_is_made_once(register: Path, first: int) -> None:
    assert run_cli("certify", "6", "--db", register, "--user", CHECKER).code == 0
    for args in (("certify", "6"), ("return", "6", "--reason", "late thoughts")):
        result = run_cli(*args, "--db", register, "--user", "second@northlincs.gov.uk")
        assert result.code == 2, result
        assert f"was certified by {CHECKER}" in result.err
    assert count_rows(register, "certifications") == 1
    assert _submissions(register)["6"]["status"] == "current"


def test_two_certifiers_at_once_exactly_one_wins(register: Path, first: int) -> None:
    outcomes: dict[str, object] = {}

    def act(who: str, args: tuple[str, ...]) -> None:
        outcomes[who] = run_cli_process(*args, "--db", register, "--user", who)

    threads = [
        threading.Thread(target=act, args=("one@northlincs.gov.uk", ("certify", "6"))),
        threading.Thread(
            target=act,
            args=("two@northlincs.gov.uk", ("return", "6", "--reason", "wrong quarter")),
        ),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    codes = sorted(o.returncode for o in outcomes.values())  # type: ignore[attr-defined]
    assert codes == [0, 2], outcomes
    loser = next(o for o in outcomes.values() if o.returncode == 2)  # type: ignore[attr-defined]
    winner = next(w for w, o in outcomes.items() if o.returncode == 0)  # type: ignore[attr-defined]
    assert f"by {winner}" in loser.stderr  # the other is told who decided first
    assert count_rows(register, "certifications") == 1
    row = _submissions(register)["6"]
    assert row["certified_by"] == winner
    assert row["certification"] == ("certified" if winner.startswith("one") else "returned")
