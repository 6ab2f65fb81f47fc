"""Several writers, a reader beside a writer, another process holding the store, and a
load killed in the middle of its transaction."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import duckdb
from conftest import (
    NEL,
    NL,
    RETURNS_2014,
    RETURNS_HEADER,
    ROOT,
    count_rows,
    report_csv,
    run_cli_process,
    snapshot,
    write_csv,
)

from sharedsvc_core import ingest, realisation
from sharedsvc_core.access import Person
from sharedsvc_core.store import Store


def _env(**extra: str) -> dict[str, str]:
    env = dict(os.environ)
    env.pop("SHAREDSVC_DB", None)
    env.update(extra)
    return env


def test_two_threads_loading_at_once_both_land(register: Path, tmp_path: Path) -> None:
    files = [
        write_csv(tmp_path / "a.csv", RETURNS_HEADER, RETURNS_2014[:3]),
        write_csv(tmp_path / "b.csv", RETURNS_HEADER, RETURNS_2014[3:]),
    ]
    barrier = threading.Barrier(2)
    results: list[ingest.LoadResult] = []
    errors: list[BaseException] = []

    def worker(path: Path) -> None:
        try:
            barrier.wait()
            results.append(
                ingest.load(
                    Store.open(register),
                    "returns",
                    path.read_bytes(),
                    path.name,
                    by=Person.administrator("thread"),
                )
            )
        except BaseException as error:  # noqa: BLE001 - reported below
            errors.append(error)

    threads = [threading.Thread(target=worker, args=(p,)) for p in files]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert not errors
    assert sorted(r.status for r in results) == ["loaded", "loaded"]
    assert sorted(r.submission_id for r in results) == [6, 7]  # type: ignore[type-var]
    assert count_rows(register, "return_rows") == 5


def test_two_processes_loading_at_once_never_half_load(register: Path, tmp_path: Path) -> None:
    files = [
        write_csv(tmp_path / "a.csv", RETURNS_HEADER, RETURNS_2014[:3]),
        write_csv(tmp_path / "b.csv", RETURNS_HEADER, RETURNS_2014[3:]),
    ]
    procs = [
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "sharedsvc_core",
                "load",
                "returns",
                str(p),
                "--db",
                str(register),
            ],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=_env(),
        )
        for p in files
    ]
    outcomes = [(p.wait(120), p.stdout.read(), p.stderr.read()) for p in procs]  # type: ignore[union-attr]
    for code, out, err in outcomes:
        assert "Traceback" not in out + err
        assert code in (0, 2), (code, out, err)
        if code == 2:
            assert "in use by another process" in err
    landed = [3, 2]  # rows in each file
    expected = sum(n for n, (code, _, _) in zip(landed, outcomes, strict=True) if code == 0)
    assert count_rows(register, "return_rows") == expected
    assert count_rows(register, "submissions") == 5 + sum(1 for c, _, _ in outcomes if c == 0)


def test_a_store_held_by_another_process_gets_a_plain_message(
    register: Path, tmp_path: Path
) -> None:
    path = write_csv(tmp_path / "r.csv", RETURNS_HEADER, RETURNS_2014)
    holder = duckdb.connect(str(register))  # another process as far as the CLI can tell
    try:
        result = run_cli_process(
            "load", "returns", path, "--db", register, env=_env(SHAREDSVC_LOCK_WAIT="1")
        )
        report = run_cli_process(
            "report", "realisation", "--db", register, env=_env(SHAREDSVC_LOCK_WAIT="1")
        )
    finally:
        holder.close()
    for outcome in (result, report):
        assert outcome.returncode == 2
        assert "Traceback" not in outcome.stdout + outcome.stderr
        lines = outcome.stderr.strip().splitlines()
        assert len(lines) == 1 and "in use by another process" in lines[0]
    assert count_rows(register, "return_rows") == 0


def test_a_load_waits_for_a_brief_reader_then_lands(register: Path, tmp_path: Path) -> None:
    """The dashboard opens the store only briefly: a nightly load retries and lands, and
    the next read shows the new figures."""
    path = write_csv(tmp_path / "r.csv", RETURNS_HEADER, RETURNS_2014)
    holder = duckdb.connect(str(register), read_only=True)
    load = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "sharedsvc_core",
            "load",
            "returns",
            str(path),
            "--db",
            str(register),
        ],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=_env(),
    )
    time.sleep(1.5)  # the load is now retrying against the held file
    holder.close()
    out, err = load.communicate(timeout=120)
    assert load.returncode == 0, (out, err)
    assert "loaded submission 6" in out
    assert report_csv(register, "--to", "2014/15Q2")["programme"]["evidenced"] == "105000.00"


def test_reads_in_threads_beside_a_load_in_another_process(register: Path, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "r.csv", RETURNS_HEADER, RETURNS_2014)
    store = Store.open(register)
    stop = threading.Event()
    seen: list[int] = []
    failures: list[BaseException] = []

    def dashboard() -> None:
        while not stop.is_set():
            try:
                _, rows = realisation.report(store, "council")
                seen.append(len(rows))
            except BaseException as error:  # noqa: BLE001
                failures.append(error)
            time.sleep(0.05)

    readers = [threading.Thread(target=dashboard) for _ in range(3)]
    for t in readers:
        t.start()
    try:
        result = run_cli_process("load", "returns", path, "--db", register, env=_env())
        time.sleep(0.5)
    finally:
        stop.set()
        for t in readers:
            t.join(30)
    assert result.returncode == 0, result.stdout + result.stderr
    assert not failures
    assert seen[0] == 0 and seen[-1] == 2  # no return yet, then both councils


def test_a_load_killed_mid_transaction_leaves_the_store_as_it_was(
    register: Path, tmp_path: Path
) -> None:
    path = write_csv(tmp_path / "r.csv", RETURNS_HEADER, RETURNS_2014)
    before = snapshot(register)
    marker = tmp_path / "paused"
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "sharedsvc_core",
            "load",
            "returns",
            str(path),
            "--db",
            str(register),
        ],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=_env(SHAREDSVC_FAULT_PAUSE="before_commit", SHAREDSVC_FAULT_MARKER=str(marker)),
    )
    deadline = time.monotonic() + 60
    while not marker.exists():
        assert proc.poll() is None, proc.stderr.read()  # type: ignore[union-attr]
        assert time.monotonic() < deadline, "the load never reached its commit"
        time.sleep(0.05)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(30)
    assert proc.returncode == -signal.SIGKILL
    assert snapshot(register) == before
    # and the store still works: the same file now loads whole
    result = run_cli_process("load", "returns", path, "--db", register, env=_env())
    assert result.returncode == 0, result.stdout + result.stderr
    assert count_rows(register, "return_rows") == 5
    assert report_csv(register, "--by", "council", "--to", "2014/15Q2")[NEL]["evidenced"] == (
        "-2000.00"
    )
    assert NL in report_csv(register, "--by", "council")
