"""A benchmark store at a given scale, built once and reused, for bench/pages.py and
bench/pandas_compare.py.

    .venv/bin/python bench/stores.py --scale N --keep DIR

Generates the programme with bench/generate.py into DIR/data-scaleN (reused when it is
already there for the same scale) and loads it with the command line into
DIR/pages-scaleN.duckdb: ``init``, ``settings max_file_mb`` when the returns file is
over the default limit, then ``load`` partnerships, members, services, baselines,
targets and returns. A finished store is recorded in DIR/pages-scaleN.json; a store
with that record is reused (after an ``init``, which upgrades it if the schema has
moved on), so a 10x store is built only once.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from generate import FILES, SEED  # noqa: E402
from run import DEFAULT_MAX_FILE_MB, cli, fail, load, prepare_data  # noqa: E402


def paths(scale: int, workdir: Path) -> tuple[Path, Path, Path]:
    """The programme's folder, the store and its record."""
    return (
        workdir / f"data-scale{scale}",
        workdir / f"pages-scale{scale}.duckdb",
        workdir / f"pages-scale{scale}.json",
    )


def ensure_store(scale: int, workdir: Path) -> dict[str, Any]:
    """The store for ``scale`` in ``workdir``: reused when its record says it is
    complete, else built from scratch. Returns the record."""
    data, db, record = paths(scale, workdir)
    if record.exists() and db.exists():
        saved = json.loads(record.read_text(encoding="utf-8"))
        if saved.get("scale") == scale and saved.get("seed") == SEED:
            if all((data / f"{name}.csv").exists() for name in FILES):
                print(f"reusing the store {db}", flush=True)
                run = cli(["init", "--db", str(db)])  # upgraded as `./run dashboard` would
                if run.code != 0:
                    fail(run, "init")
                saved["reused"] = True
                return saved
    workdir.mkdir(parents=True, exist_ok=True)
    counts, generate_seconds = prepare_data(scale, data)
    record.unlink(missing_ok=True)
    for path in (db, Path(f"{db}.wal")):
        path.unlink(missing_ok=True)
    run = cli(["init", "--db", str(db)])
    if run.code != 0:
        fail(run, "init")
    returns = data / "returns.csv"
    size_mb = returns.stat().st_size / 1048576
    if size_mb > DEFAULT_MAX_FILE_MB:
        run = cli(["settings", "max_file_mb", str(min(1000, int(size_mb) + 1)), "--db", str(db)])
        if run.code != 0:
            fail(run, "settings max_file_mb")
    loads = []
    for kind in FILES:
        print(f"loading {kind} ...", flush=True)
        step = load(db, kind, data / f"{kind}.csv")
        print(f"  {step['seconds']:.1f} s, peak {step['peak_mb']:.0f} MB: {step['output']}")
        loads.append(step)
    saved = {
        "scale": scale,
        "seed": SEED,
        "rows": counts,
        "returns_file_mb": round(size_mb, 1),
        "generate_seconds": round(generate_seconds, 1) if generate_seconds else None,
        "loads": loads,
        "store": str(db),
        "store_mb": round(db.stat().st_size / 1048576, 1),
    }
    record.write_text(json.dumps(saved, indent=2) + "\n", encoding="utf-8")
    saved["reused"] = False
    return saved


def demo_store(workdir: Path) -> Path:
    """The demo store, as ``./run dashboard`` serves it (``init --demo``), built once
    and kept in workdir."""
    import subprocess

    db = workdir / "demo.duckdb"
    if not db.exists():
        root = Path(__file__).resolve().parent.parent
        subprocess.run(
            [sys.executable, "-m", "sharedsvc_core", "init", "--demo", "--db", str(db)],
            cwd=root,
            check=True,
            capture_output=True,
        )
    return db


def main() -> int:
    parser = argparse.ArgumentParser(description="Build (or reuse) a benchmark store.")
    parser.add_argument("--scale", type=int, default=1, help="1 = about 185,000 return rows")
    parser.add_argument("--keep", type=Path, required=True, help="the folder to build it in")
    args = parser.parse_args()
    saved = ensure_store(args.scale, args.keep.resolve())
    print(f"store ready: {saved['store']} ({saved['store_mb']} MB)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
