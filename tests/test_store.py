"""The store: initialisation, migrations, the reference councils and money types."""

from __future__ import annotations

import os
from pathlib import Path

import duckdb
from conftest import ROOT, run_cli, run_cli_process

from sharedsvc_core.store import Store, expected_schema_version


def _query(db: Path, text: str) -> list[tuple[object, ...]]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(text).fetchall()
    finally:
        con.close()


def test_init_twice_changes_nothing(tmp_path: Path) -> None:
    db = tmp_path / "s.duckdb"
    first = run_cli("init", "--db", db)
    assert first.code == 0 and "applied 001_initial" in first.out
    assert "reference councils: 445" in first.out
    second = run_cli("init", "--db", db)
    assert second.code == 0 and "(up to date)" in second.out
    assert _query(db, "SELECT count(*) FROM schema_migrations") == [(expected_schema_version(),)]
    assert _query(db, "SELECT count(*) FROM councils") == [(445,)]


def test_reference_councils_include_former_councils_and_codes(db: Path) -> None:
    # Forest Heath was abolished in 2019; Northumberland's former code maps to its current
    rows = dict(
        _query(
            db,
            "SELECT gss_code, is_current FROM councils "
            "WHERE gss_code IN ('E07000201', 'E06000057')",
        )
    )
    assert rows == {"E07000201": False, "E06000057": True}
    assert _query(db, "SELECT gss_code FROM council_aliases WHERE alias = 'e06000048'") == [
        ("E06000057",)
    ]


def test_money_is_decimal_in_the_store(db: Path) -> None:
    types = dict(
        _query(
            db,
            "SELECT column_name, data_type FROM information_schema.columns "
            "WHERE table_name = 'return_rows'",
        )
    )
    for column in ("actual_cost", "claimed_saving", "one_off_cost", "forecast_year_saving"):
        assert types[column] == "DECIMAL(18,2)", column


def test_current_views_exist(db: Path) -> None:
    names = {r[0] for r in _query(db, "SELECT view_name FROM duckdb_views() WHERE NOT internal")}
    assert {"current_returns", "current_members", "current_survey"} <= names


def test_store_location_defaults(tmp_path: Path) -> None:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    env.pop("SHAREDSVC_DB", None)
    # $SHAREDSVC_DB when there is no --db
    env["SHAREDSVC_DB"] = str(tmp_path / "from-env.duckdb")
    result = run_cli_process("init", env=env)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "from-env.duckdb").exists()
    # else data/sharedsvc.duckdb under the working directory
    del env["SHAREDSVC_DB"]
    import subprocess
    import sys

    done = subprocess.run(
        [sys.executable, "-m", "sharedsvc_core", "init"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "data" / "sharedsvc.duckdb").exists()


def test_reports_on_a_missing_store_say_so(tmp_path: Path) -> None:
    result = run_cli("report", "realisation", "--db", tmp_path / "none.duckdb")
    assert result.code == 2 and "no store" in result.err
    assert not (tmp_path / "none.duckdb").exists()


def test_version_changes_after_a_write(db: Path) -> None:
    store = Store.open(db)
    before = store.version()
    assert run_cli("settings", "rag_green_pct", "95", "--db", db).code == 0
    assert store.version() != before


def test_usage_errors_exit_2_without_a_traceback(db: Path) -> None:
    for args in (
        ["load"],
        ["report", "realisation", "--by", "region"],
        ["frobnicate"],
        ["report", "realisation", "--to", "Q9"],
    ):
        result = run_cli(*args, "--db", db)
        assert result.code == 2, args
        assert "Traceback" not in result.out + result.err
