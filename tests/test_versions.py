"""Submissions (CONTRACT.md section 3): receipts, the same file twice, resubmission,
rollback and as-of."""

from __future__ import annotations

import hashlib
import re
import time
from datetime import UTC, datetime
from pathlib import Path

import duckdb
from conftest import (
    NEL,
    NL,
    RETURNS_2014,
    RETURNS_2014_AT,
    RETURNS_HEADER,
    count_rows,
    report_csv,
    run_cli,
    snapshot,
    write_csv,
)

# HR NL 2014/15 Q2 was 89,000 (evidenced 11,000); the correction says 95,000 (5,000).
CORRECTION = [[NL, "HR", "2014/15", "Q2", "95000", "5000", "", "own", "Corrected"]]


def _load(db: Path, kind: str, path: Path, *extra: str) -> tuple[int, str]:
    result = run_cli("load", kind, path, "--db", db, *extra)
    return result.code, result.out


def _id(out: str) -> int:
    match = re.search(r"loaded submission (\d+)", out)
    assert match, out
    return int(match.group(1))


def test_receipt_records_the_submission(register: Path, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "q1 return.csv", RETURNS_HEADER, RETURNS_2014)
    code, out = _load(
        register,
        "returns",
        path,
        "--user",
        "a.officer@northlincs.gov.uk",
        "--received-at",
        "2014-10-20T10:15:00+01:00",
    )
    assert code == 0
    assert out.splitlines()[-1] == "loaded submission 6: 5 rows (5 new, 0 superseding), 0 warnings"
    con = duckdb.connect(str(register), read_only=True)
    row = con.execute(
        "SELECT kind, file_name, sha256, rows, received_at, received_by FROM submissions "
        "WHERE id = 6"
    ).fetchone()
    con.close()
    assert row == (
        "returns",
        "q1 return.csv",
        hashlib.sha256(path.read_bytes()).hexdigest(),
        5,
        datetime(2014, 10, 20, 9, 15),
        "a.officer@northlincs.gov.uk",
    )
    listing = run_cli("submissions", "--db", register, "--format", "csv")
    first = listing.lines[1].split(",")
    assert first[0] == "6" and first[1] == "returns" and first[7] == "current"


def test_same_bytes_twice_is_already_received(register: Path, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "r.csv", RETURNS_HEADER, RETURNS_2014)
    assert _load(register, "returns", path)[0] == 0
    before = snapshot(register)
    renamed = tmp_path / "copy with another name.csv"
    renamed.write_bytes(path.read_bytes())
    code, out = _load(register, "returns", renamed)
    assert code == 0
    assert out.strip() == "already received as submission 6: nothing new"
    assert snapshot(register) == before


def test_resubmission_supersedes_and_keeps_the_old_row(programme: Path, tmp_path: Path) -> None:
    before = report_csv(programme, "--to", "2014/15Q2", "--by", "service")["HR"]
    assert before["evidenced"] == "25000.00"
    path = write_csv(tmp_path / "correction.csv", RETURNS_HEADER, CORRECTION)
    code, out = _load(programme, "returns", path, "--received-at", "2015-08-01T09:00:00Z")
    assert code == 0
    assert "1 rows (0 new, 1 superseding)" in out
    after = report_csv(programme, "--to", "2014/15Q2", "--by", "service")["HR"]
    assert after["evidenced"] == "19000.00"  # 25,000 - 11,000 + 5,000
    # the old row is still in the store
    con = duckdb.connect(str(programme), read_only=True)
    kept = con.execute(
        "SELECT actual_cost FROM return_rows WHERE council = ? AND service_code = 'HR' "
        "AND financial_year = '2014/15' AND quarter = 2 ORDER BY submission_id",
        [NL],
    ).fetchall()
    con.close()
    assert [float(r[0]) for r in kept] == [89000.0, 95000.0]


def test_back_dated_import_older_than_the_current_row_does_not_supersede(
    programme: Path, tmp_path: Path
) -> None:
    # received before the original (2014-10-20), so the original stays current
    path = write_csv(tmp_path / "old.csv", RETURNS_HEADER, CORRECTION)
    assert _load(programme, "returns", path, "--received-at", "2014-10-01T09:00:00Z")[0] == 0
    row = report_csv(programme, "--to", "2014/15Q2", "--by", "service")["HR"]
    assert row["evidenced"] == "25000.00"


def test_rollback_restores_what_was_superseded(programme: Path, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "correction.csv", RETURNS_HEADER, CORRECTION)
    code, out = _load(programme, "returns", path, "--received-at", "2015-08-01T09:00:00Z")
    submission = _id(out)
    # 8,000 + 6,000 + 5,000 (corrected Q2) + 15,000 + 5,000
    assert report_csv(programme, "--by", "service")["HR"]["evidenced"] == "39000.00"
    moment_before_rollback = datetime.now(UTC).replace(tzinfo=None).isoformat()
    time.sleep(0.01)
    result = run_cli("rollback", str(submission), "--db", programme)
    assert result.code == 0 and "rolled back submission" in result.out
    # 8,000 + 6,000 + 11,000 + 15,000 + 5,000: the original Q2 counts again
    assert report_csv(programme, "--by", "service")["HR"]["evidenced"] == "45000.00"
    # as of a moment before the rollback, the correction still counts
    earlier = report_csv(programme, "--by", "service", "--as-of", moment_before_rollback)
    assert earlier["HR"]["evidenced"] == "39000.00"
    listing = run_cli("submissions", "--db", programme, "--format", "csv").out
    assert f"{submission},returns,correction.csv,1," in listing
    assert "rolled_back" in listing
    # rolling back again says so and changes nothing
    before = snapshot(programme)
    again = run_cli("rollback", str(submission), "--db", programme)
    assert again.code == 0 and "already rolled back" in again.out
    assert snapshot(programme) == before


def test_rollback_of_everything_empties_the_figures(programme: Path) -> None:
    assert run_cli("rollback", "6", "--db", programme).code == 0  # the 2014/15 returns
    assert run_cli("rollback", "7", "--db", programme).code == 0  # the 2015/16 returns
    result = run_cli("report", "realisation", "--db", programme, "--format", "csv")
    assert len(result.lines) == 1  # header only: no current return, nothing to date


def test_rollback_unknown_submission_is_a_usage_error(programme: Path) -> None:
    before = snapshot(programme)
    result = run_cli("rollback", "999", "--db", programme)
    assert result.code == 2 and "no submission 999" in result.err
    assert snapshot(programme) == before


def test_a_rolled_back_file_can_be_loaded_again(programme: Path, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "correction.csv", RETURNS_HEADER, CORRECTION)
    submission = _id(_load(programme, "returns", path)[1])
    assert run_cli("rollback", str(submission), "--db", programme).code == 0
    code, out = _load(programme, "returns", path)
    assert code == 0 and "loaded submission" in out
    assert _id(out) == submission + 1


def test_as_of_sees_exactly_what_had_been_received(programme: Path) -> None:
    # As of 2015-01-01 only the 2014/15 returns (received 2014-10-20) had arrived:
    # "to date" then ends at 2014/15 Q2, the latest return then.
    then = report_csv(programme, "--as-of", "2015-01-01T00:00:00Z")["programme"]
    assert then["target"] == "95000.00" and then["evidenced"] == "105000.00"
    assert then["rag"] == "green"
    # before any return, nothing is to date
    result = run_cli(
        "report", "realisation", "--db", programme, "--format", "csv", "--as-of", "2014-06-01"
    )
    assert len(result.lines) == 1
    # as of the moment of receipt itself, the submission counts
    at = report_csv(programme, "--as-of", RETURNS_2014_AT)["programme"]
    assert at["evidenced"] == "105000.00"
    # and submissions --as-of lists only what had arrived
    listing = run_cli("submissions", "--db", programme, "--as-of", "2015-01-01", "--format", "csv")
    assert [line.split(",")[0] for line in listing.lines[1:]] == ["6", "5", "4", "3", "2", "1"]


def test_as_of_with_a_bad_moment_is_a_usage_error(programme: Path) -> None:
    result = run_cli("report", "realisation", "--db", programme, "--as-of", "last Tuesday")
    assert result.code == 2 and "--as-of" in result.err


def test_superseding_counts_in_the_summary(register: Path, tmp_path: Path) -> None:
    first = write_csv(tmp_path / "a.csv", RETURNS_HEADER, RETURNS_2014[:2])
    assert "2 rows (2 new, 0 superseding)" in _load(register, "returns", first)[1]
    second = write_csv(
        tmp_path / "b.csv",
        RETURNS_HEADER,
        [
            [NL, "HR", "2014/15", "Q1", "91000", "", "", "own", ""],  # supersedes
            [NEL, "HR", "2014/15", "Q2", "44000", "", "", "own", ""],  # new
        ],
    )
    assert "2 rows (1 new, 1 superseding)" in _load(register, "returns", second)[1]
    assert count_rows(register, "return_rows") == 4
