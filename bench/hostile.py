"""The worst small files we know how to craft, each loaded by the command line into a
store of the small programme, timed, with the loading process's peak memory, while a
report runs against the same store.

    .venv/bin/python bench/hostile.py [--keep DIR]

Each file is loaded once (a few seconds in all); nothing here runs for more than
30 seconds. Targets (issue: hostile files): each is refused in under 2 s with peak memory
under 200 MB, and the report run during the refusal succeeds.
"""

from __future__ import annotations

import argparse
import io
import os
import resource
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

import openpyxl

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sharedsvc_core.contract import KINDS  # noqa: E402

NL = "E06000013"
HEADER = KINDS["returns"].required_columns


def far_cells(rows: int, value: object) -> bytes:
    """One cell in column XFD (16,384) on every row: a file of tens of KB that once took
    half a minute and 2 GB."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "returns"
    sheet.append(HEADER)
    for i in range(rows):
        sheet.append([NL, "HR", "2014/15", "Q1", 92000])
        sheet.cell(row=i + 2, column=16384, value=value)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def with_sheet(rows_xml: str) -> bytes:
    """A workbook made by openpyxl whose one sheet, "returns", holds ``rows_xml`` as its
    rows, written as it stands (with no <dimension>)."""
    buffer = io.BytesIO()
    book = openpyxl.Workbook()
    book.active.title = "returns"
    book.save(buffer)
    source = zipfile.ZipFile(io.BytesIO(buffer.getvalue()))
    sheet = (
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        f"<sheetData>{rows_xml}</sheetData></worksheet>"
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                data = sheet.encode()
            target.writestr(info.filename, data)
    return out.getvalue()


def big_unpacked() -> bytes:
    """A workbook that unpacks to about 190 MB at under 100 times its size: a sheet of
    real-looking rows, each with a long distinct text, compressed."""
    rows = []
    for i in range(2, 400_000):
        text = f"row {i} " + os.urandom(16).hex() * 12
        rows.append(
            f'<row r="{i}"><c r="A{i}" t="inlineStr"><is><t>{NL}</t></is></c>'
            f'<c r="B{i}" t="inlineStr"><is><t>{text}</t></is></c></row>'
        )
    return with_sheet("".join(rows))


def dense_rows(rows: int) -> bytes:
    """A sheet of one-cell rows with no <dimension>, which once made the workbook be read
    to its end before anything could be counted."""
    return with_sheet(
        "".join(f'<row r="{i}"><c r="A{i}"><v>1</v></c></row>' for i in range(1, rows))
    )


def wide_csv() -> bytes:
    """One row of a million commas and a value at the end."""
    return (
        ",".join(HEADER) + "\n" + f"{NL},HR,2014/15,Q1,92000" + "," * 1_000_000 + "x\n"
    ).encode()


def long_quoted_value() -> bytes:
    """A plain-looking return of 5,000 rows whose last commentary is one quoted value of
    9 MB: the DuckDB reader's quote check must not hold the value's length in memory."""
    rows = [
        f"{NL},HR,{2014 + i // 4}/{(15 + i // 4) % 100:02d},Q{i % 4 + 1},92000,"
        for i in range(5000)
    ]
    body = "\n".join([",".join([*HEADER, "commentary"]), *rows])
    return (body + '"' + "a, " * 3_000_000 + '"\n').encode()


def many_errors() -> bytes:
    """250,000 rows, every one wrong: the report must stop listing at 200."""
    rows = [f"{NL},HR,2014/15,Q1,n/a" for _ in range(250_000)]
    return ("\n".join([",".join(HEADER), *rows]) + "\n").encode()


def cli(*args: str | Path, env: dict[str, str]) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "sharedsvc_core", *map(str, args)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def measure(name: str, path: Path, db: Path, env: dict[str, str]) -> dict[str, object]:
    """Load ``path`` in a child process; meanwhile, run a report. Peak memory is the
    child's own (a fresh process per file, so the figures do not mix)."""
    probe = (
        "import resource, subprocess, sys, time\n"
        "t = time.perf_counter()\n"
        "p = subprocess.run([sys.executable, '-m', 'sharedsvc_core', *sys.argv[1:]],"
        " capture_output=True, text=True, timeout=120)\n"
        "e = time.perf_counter() - t\n"
        "kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss\n"
        "print(p.returncode, f'{e:.3f}', kb // 1024, len(p.stdout.splitlines()),"
        " p.stdout.splitlines()[-1] if p.stdout else p.stderr.strip()[:120], sep='\\t')\n"
    )
    loader = subprocess.Popen(
        [sys.executable, "-c", probe, "load", "returns", str(path), "--db", str(db)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    time.sleep(0.3)  # the load is under way: now a report, as a board member would ask
    started = time.perf_counter()
    report = cli("report", "realisation", "--db", db, "--format", "csv", env=env)
    out, err = report.communicate(timeout=60)
    report_s = time.perf_counter() - started
    line, _ = loader.communicate(timeout=120)
    code, seconds, mb, lines, last = line.strip().split("\t")
    return {
        "file": name,
        "size_kb": round(path.stat().st_size / 1024),
        "exit": int(code),
        "seconds": float(seconds),
        "peak_mb": int(mb),
        "lines": int(lines),
        "last_line": last,
        "report_ok": report.returncode == 0 and out.startswith("key,"),
        "report_s": round(report_s, 2),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--keep", help="keep the crafted files and the store in this folder")
    args = parser.parse_args()
    folder = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="sharedsvc-hostile-"))
    folder.mkdir(parents=True, exist_ok=True)
    sys.path[:0] = [str(ROOT), str(ROOT / "tests")]
    from conftest import REGISTER, write_csv  # the small programme of the tests

    db = folder / "store.duckdb"
    db.unlink(missing_ok=True)
    env = dict(os.environ, SHAREDSVC_DB=str(db))

    def setup(*args: str) -> None:
        command = [sys.executable, "-m", "sharedsvc_core", *args]
        subprocess.run(command, cwd=ROOT, env=env, check=True, capture_output=True)

    setup("init")
    for kind, (header, rows) in REGISTER.items():
        setup("load", kind, str(write_csv(folder / f"{kind}.csv", header, rows)))
    files = {
        "value in column XFD on 5,000 rows (.xlsx)": far_cells(5000, "x"),
        "blank text in column XFD on 5,000 rows (.xlsx)": far_cells(5000, ""),
        "value in column XFD on 20,000 rows (.xlsx)": far_cells(20000, "x"),
        "190 MB unpacked, under 100x compression (.xlsx)": big_unpacked(),
        "850,000 one-cell rows, no dimension (.xlsx)": dense_rows(850_000),
        "a million commas in one row (.csv)": wide_csv(),
        "250,000 rows each with an error (.csv)": many_errors(),
        "a quoted value of 9 MB in a plain return (.csv)": long_quoted_value(),
    }
    print(
        f"machine: {os.cpu_count()} cores; python {sys.version.split()[0]}; "
        f"{time.strftime('%Y-%m-%d %H:%M')}"
    )
    print("file | KB | exit | seconds | peak MB | lines printed | report during it")
    worst = 0.0
    for name, content in files.items():
        suffix = ".csv" if name.endswith("(.csv)") else ".xlsx"
        path = folder / (name.split(" (")[0].replace(" ", "-").replace(",", "") + suffix)
        path.write_bytes(content)
        r = measure(name, path, db, env)
        worst = max(worst, float(r["seconds"]))  # type: ignore[arg-type]
        print(
            f"{r['file']} | {r['size_kb']:,} | {r['exit']} | {r['seconds']:.2f} | "
            f"{r['peak_mb']} | {r['lines']} | "
            f"{'ok' if r['report_ok'] else 'FAILED'} in {r['report_s']} s"
        )
        print(f"    last line: {r['last_line']}")
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024
    print(f"slowest: {worst:.2f} s; the children's peak memory over all runs: {peak} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
