"""`users add|remove|list` and `audit` on the command line (CONTRACT.md section 6), run
as a person would run them, on a real store."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from conftest import NEL, NL, RETURNS_2014, RETURNS_HEADER, run_cli, write_csv


def _csv(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def test_users_add_list_and_remove(db: Path) -> None:
    added = run_cli(
        "users", "add", "  A.Officer@NorthLincs.gov.uk ", "--role", "viewer", "--db", db
    )
    assert added.code == 0, added
    assert added.out.strip() == "a.officer@northlincs.gov.uk is now viewer"
    # councils by name and by code, given in either form of the flag; kept as sorted codes
    added = run_cli(
        "users", "add", "s@lincs.gov.uk", "--role", "submitter",
        "--council", "North Lincolnshire", "--council", NEL, "--db", db,
    )  # fmt: skip
    assert added.code == 0, added
    assert added.out.strip() == f"s@lincs.gov.uk is now submitter for {NEL};{NL}"
    listed = run_cli("users", "list", "--format", "csv", "--db", db)
    assert listed.code == 0, listed
    assert listed.out.splitlines()[0] == "email,role,councils"
    assert _csv(listed.out) == [
        {"email": "a.officer@northlincs.gov.uk", "role": "viewer", "councils": ""},
        {"email": "s@lincs.gov.uk", "role": "submitter", "councils": f"{NEL};{NL}"},
    ]
    # users add for an existing e-mail replaces the role and councils
    again = run_cli(
        "users", "add", "S@LINCS.gov.uk", "--role", "certifier", "--council", NL, "--db", db
    )
    assert again.code == 0, again
    as_json = json.loads(run_cli("users", "list", "--format", "json", "--db", db).out)
    assert as_json[1] == {"email": "s@lincs.gov.uk", "role": "certifier", "councils": NL}
    removed = run_cli("users", "remove", "a.officer@NORTHLINCS.gov.uk", "--db", db)
    assert removed.code == 0 and "no longer has a role" in removed.out
    listed = _csv(run_cli("users", "list", "--format", "csv", "--db", db).out)
    assert [p["email"] for p in listed] == ["s@lincs.gov.uk"]
    gone = run_cli("users", "remove", "nobody@lincs.gov.uk", "--db", db)
    assert gone.code == 0 and "had no role: nothing changed" in gone.out


def test_users_add_refusals_say_what_to_do(db: Path) -> None:
    for args, words in (
        (["--role", "submitter"], "a submitter acts for named councils: give at least one"),
        (["--role", "viewer", "--council", NL], "a viewer is not for named councils"),
        (["--role", "submitter", "--council", "Atlantis"], "--council 'Atlantis'"),
    ):
        result = run_cli("users", "add", "x@lincs.gov.uk", *args, "--db", db)
        assert result.code == 2, result
        assert words in result.err and "Traceback" not in result.err
    result = run_cli("users", "add", "no-at-sign", "--role", "viewer", "--db", db)
    assert result.code == 2 and "is not an e-mail address" in result.err
    result = run_cli("users", "add", "x@lincs.gov.uk", "--role", "owner", "--db", db)
    assert result.code == 2 and "invalid choice: 'owner'" in result.err
    assert run_cli("users", "list", "--format", "csv", "--db", db).out == "email,role,councils\n"


def test_audit_records_who_did_what(register: Path, tmp_path: Path) -> None:
    """The register fixture loaded five files; then a role, a return, a refused return,
    a rollback and a setting, each by a named user."""
    added = run_cli(
        "users", "add", "v@lincs.gov.uk", "--role", "viewer", "--user", "pm", "--db", register
    )
    assert added.code == 0, added
    good = write_csv(tmp_path / "good.csv", RETURNS_HEADER, [RETURNS_2014[0]])
    bad = write_csv(tmp_path / "bad.csv", RETURNS_HEADER, [[NL, "HR", "2014/15", "Q3", "1.2m"]])
    assert run_cli("load", "returns", good, "--user", "fo", "--db", register).code == 0
    assert run_cli("load", "returns", bad, "--user", "fo", "--db", register).code == 1
    assert run_cli("rollback", "6", "--user", "pm", "--db", register).code == 0
    assert run_cli("settings", "rag_green_pct", "95", "--user", "pm", "--db", register).code == 0
    result = run_cli("audit", "--format", "csv", "--db", register)
    assert result.code == 0, result
    assert result.out.splitlines()[0] == "at,user,action,detail"
    rows = _csv(result.out)
    assert [r["action"] for r in rows[:5]] == ["submission_loaded"] * 5
    assert [(r["user"], r["action"]) for r in rows[5:]] == [
        ("pm", "role_change"),
        ("fo", "submission_loaded"),
        ("fo", "submission_refused"),
        ("pm", "rollback"),
        ("pm", "settings_change"),
    ]
    assert rows[5]["detail"] == "v@lincs.gov.uk: viewer"
    assert rows[6]["detail"].startswith("submission 6: returns file 'good.csv', 1 rows")
    assert rows[7]["detail"] == "returns file 'bad.csv': 1 errors, nothing written"
    assert rows[8]["detail"] == "submission 6 (returns, sent by fo) rolled back"
    assert rows[9]["detail"] == "rag_green_pct: 100 -> 95"
    for row in rows:
        assert row["at"].endswith("Z") and len(row["at"]) == 20
    since = run_cli("audit", "--since", rows[-1]["at"], "--format", "csv", "--db", register)
    assert since.code == 0 and "rag_green_pct" in since.out
    future = run_cli("audit", "--since", "2999-01-01", "--format", "csv", "--db", register)
    assert future.out == "at,user,action,detail\n"
    assert run_cli("audit", "--since", "yesterday", "--db", register).code == 2


def test_submissions_show_who_rolled_back(register: Path, tmp_path: Path) -> None:
    good = write_csv(tmp_path / "good.csv", RETURNS_HEADER, [RETURNS_2014[0]])
    assert (
        run_cli("load", "returns", good, "--user", "a.fo@lincs.gov.uk", "--db", register).code == 0
    )
    assert run_cli("rollback", "6", "--user", "b.pm@lincs.gov.uk", "--db", register).code == 0
    rows = _csv(run_cli("submissions", "--format", "csv", "--db", register).out)
    assert rows[0]["received_by"] == "a.fo@lincs.gov.uk"
    assert rows[0]["status"] == "rolled_back"
    assert rows[0]["rolled_back_by"] == "b.pm@lincs.gov.uk"
    assert rows[1]["rolled_back_by"] == ""
