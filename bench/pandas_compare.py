"""Benchmark: the product's realisation report beside a plain pandas calculation.

    .venv/bin/python bench/pandas_compare.py --scale N [--keep DIR] [--runs 5] [--quiet-below LOAD]

Many dashboards work their figures out afresh from the CSV files with pandas. This
script does that for ``report realisation --by council`` (all 14 columns, to the latest
quarter with a return), following CONTRACT.md section 5 written out in pandas here,
independently of the product's SQL. It then:

* times the pandas calculation, reading the CSV files included (median of --runs;
  pandas is already imported, as in a running dashboard);
* times the product's answer from a store loaded from the same files (bench/stores.py):
  the command ``python -m sharedsvc_core report realisation --by council --format csv``
  (the whole process) and the in-process call ``sharedsvc_core.realisation.report``;
* compares every field of every row: exactly as printed (money to the penny,
  percentages to 0.1), and, for any that differ, whether they are within a penny or
  0.1 of a percentage point.

The pandas side keeps money exact: amounts are held as whole numbers of
ten-thousandths of a pound, so a quarter of a baseline in pennies is exact and sums
never drift. A whole-service return shared out by cost share is no whole number of
units, so when there are any, every cell is held as an exact Decimal instead (the
benchmark programme has none, so its timing is of whole numbers throughout). NPV is
discounted in decimals too. The final per-council step (ratios,
rounding half away from zero, RAG) uses Python's decimal module, as a spreadsheet
formula would use ROUND.

Each file is one submission, so the rows that count are the files as given. Councils in
the benchmark files are written as current GSS codes, so no name matching is needed.
Writes bench/out/pandas-compare-scaleN.json.
"""

from __future__ import annotations

import argparse
import csv
import io
import itertools
import json
import os
import shutil
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

BENCH = Path(__file__).resolve().parent
OUT = BENCH / "out"
sys.path.insert(0, str(BENCH))

from run import cli, machine  # noqa: E402
from stores import ensure_store, paths  # noqa: E402

COLUMNS = (
    "key",
    "target",
    "evidenced",
    "claimed",
    "claims_gap",
    "one_off",
    "net",
    "realisation_pct",
    "efficiency_pct",
    "npv",
    "payback",
    "rag",
    "returns_expected",
    "returns_received",
)
MONEY = ("target", "evidenced", "claimed", "claims_gap", "one_off", "net", "npv")
PERCENT = ("realisation_pct", "efficiency_pct")
UNIT = 10_000  # money is held in ten-thousandths of a pound
GREEN, AMBER = Decimal(100), Decimal(80)  # the default RAG settings
DISCOUNT = Decimal("1.035")
KEY = ["service_code", "council", "qidx"]


# -- section 5 in pandas ---------------------------------------------------------------


def units(column: pd.Series) -> pd.Series:
    """A money column read as float (2 decimal places) in ten-thousandths of a pound,
    exactly; blanks stay missing."""
    pennies = np.rint(column.to_numpy(dtype="float64") * 100)
    return pd.Series(pennies * 100, index=column.index).astype("Int64")


def first_year(column: pd.Series) -> pd.Series:
    return column.str.slice(0, 4).astype("int64")


def read(data: Path) -> dict[str, pd.DataFrame]:
    text = {"service_code": "string", "council": "string", "partnership_code": "string"}
    return {
        "services": pd.read_csv(
            data / "services.csv", usecols=["service_code", "partnership_code"], dtype=text
        ),
        "members": pd.read_csv(
            data / "members.csv",
            usecols=["partnership_code", "council", "cost_share", "from_year", "to_year"],
            dtype={**text, "from_year": "string", "to_year": "string"},
        ),
        "baselines": pd.read_csv(
            data / "baselines.csv", usecols=["service_code", "council", "annual_cost"], dtype=text
        ),
        "targets": pd.read_csv(
            data / "targets.csv",
            usecols=["service_code", "council", "financial_year", "target_saving"],
            dtype={**text, "financial_year": "string"},
        ),
        "returns": pd.read_csv(
            data / "returns.csv",
            usecols=[
                "council",
                "service_code",
                "financial_year",
                "quarter",
                "actual_cost",
                "claimed_saving",
                "one_off_cost",
                "cost_basis",
            ],
            dtype={**text, "financial_year": "string", "quarter": "string", "cost_basis": "string"},
        ),
    }


def cells(files: dict[str, pd.DataFrame]) -> tuple[pd.DataFrame, int]:
    """Every cell to date (service, council, quarter), and the last quarter to date."""
    ret = files["returns"]
    fy = first_year(ret["financial_year"])
    ret = pd.DataFrame(
        {
            "service_code": ret["service_code"],
            "council": ret["council"],
            "fy": fy,
            "qidx": fy * 4 + ret["quarter"].str.strip().str[-1].astype("int64") - 1,
            "actual": units(ret["actual_cost"]),
            "claimed": units(ret["claimed_saving"]),
            "one_off": units(ret["one_off_cost"]),
            "basis": ret["cost_basis"],
        }
    )
    to_idx = int(ret["qidx"].max())
    own = ret[ret["basis"] == "own"].drop(columns=["basis", "fy"])
    whole = ret[ret["basis"] == "whole_service"]
    if not whole.empty:
        # the lead council's whole-service return shared out by each member's cost share
        members = files["members"].assign(
            from_fy=lambda m: first_year(m["from_year"]),
            to_fy=lambda m: first_year(m["to_year"].fillna("9999")),
        )
        shared = (
            whole.drop(columns=["council"])
            .merge(files["services"], on="service_code")
            .merge(members, on="partnership_code")
        )
        shared = shared[(shared["fy"] >= shared["from_fy"]) & (shared["fy"] <= shared["to_fy"])]
        # a share of a whole is no whole number of units, so these cells, and every
        # cell beside them, are held as exact Decimals (object columns) from here on
        share = [Decimal(repr(float(v))) for v in shared["cost_share"]]
        for column in ("actual", "claimed", "one_off"):
            shared[column] = [
                None if pd.isna(v) else Decimal(int(v)) * s
                for v, s in zip(shared[column], share, strict=True)
            ]
        shared = shared[["service_code", "council", "qidx", "actual", "claimed", "one_off"]]
        # an own return takes precedence
        mine = shared.merge(own[KEY], on=KEY, how="left", indicator=True)
        shared = shared[(mine["_merge"] == "left_only").to_numpy()]
        own = own.astype({c: object for c in ("actual", "claimed", "one_off")})
        for column in ("actual", "claimed", "one_off"):
            own[column] = [None if pd.isna(v) else Decimal(int(v)) for v in own[column]]
        own = pd.concat([own, shared])

    targets = files["targets"]
    tfy = first_year(targets["financial_year"])
    target_q = units(targets["target_saving"]) // 4
    quarters = pd.concat(
        [
            pd.DataFrame(
                {
                    "service_code": targets["service_code"],
                    "council": targets["council"],
                    "qidx": tfy * 4 + q,
                    "target_q": target_q,
                }
            )
            for q in range(4)
        ]
    )
    both = own.merge(quarters, on=KEY, how="outer")
    both = both[both["qidx"] <= to_idx]
    both = both[both["service_code"].isin(files["services"]["service_code"])]
    base = files["baselines"].assign(baseline_q=lambda b: units(b["annual_cost"]) // 4)
    both = both.merge(base[["service_code", "council", "baseline_q"]], how="left")
    if both["actual"].dtype == object:  # exact Decimals beside the shares
        for column in ("target_q", "baseline_q"):
            both[column] = [None if pd.isna(v) else Decimal(int(v)) for v in both[column]]
    both["has_return"] = both["actual"].notna()
    both["has_claim"] = both["claimed"].notna()
    both["target_q"] = both["target_q"].fillna(0)
    both["one_off"] = both["one_off"].fillna(0)
    counted = both["has_return"] & both["baseline_q"].notna()
    both["evidenced"] = (both["baseline_q"] - both["actual"]).where(counted, 0)
    both["evidenced"] = both["evidenced"].fillna(0)
    both["fy"] = both["qidx"] // 4
    return both, to_idx


def quarter_label(index: int) -> str:
    year = index // 4
    return f"{year}/{(year + 1) % 100:02d}Q{index % 4 + 1}"


def pounds(value: Any) -> Decimal:
    """Ten-thousandths of a pound as an exact Decimal number of pounds."""
    if isinstance(value, Decimal):
        return value / UNIT
    if isinstance(value, float | np.floating):
        return Decimal(repr(float(value))) / UNIT
    return Decimal(int(value)) / UNIT


def money(value: Decimal | None) -> str:
    return "" if value is None else f"{value.quantize(Decimal('0.01'), ROUND_HALF_UP):.2f}"


def percent(numerator: Decimal, denominator: Decimal | None) -> Decimal | None:
    if denominator is None or denominator == 0:
        return None
    return (100 * numerator / denominator).quantize(Decimal("0.1"), ROUND_HALF_UP)


def by_council(cell: pd.DataFrame) -> list[dict[str, str]]:
    """The 14 columns for each council, as ``report realisation --format csv`` prints them."""
    cell = cell.assign(
        key=cell["council"],
        net=cell["evidenced"] - cell["one_off"],
        claimed_given=cell["claimed"].where(cell["has_claim"]),
        gap=(cell["claimed"] - cell["evidenced"]).where(cell["has_claim"]),
        baseline_returned=cell["baseline_q"].where(cell["has_return"]),
        expected=cell["target_q"] > 0,
    )
    cell["received"] = cell["expected"] & cell["has_return"]
    groups = cell.groupby("key")
    totals = groups.agg(
        target=("target_q", "sum"),
        evidenced=("evidenced", "sum"),
        claimed=("claimed_given", "sum"),
        claims=("has_claim", "sum"),
        claims_gap=("gap", "sum"),
        one_off=("one_off", "sum"),
        baseline_returned=("baseline_returned", "sum"),
        baselines=("baseline_returned", "count"),
        returns_any=("has_return", "sum"),
        returns_expected=("expected", "sum"),
        returns_received=("received", "sum"),
    )
    # NPV: each financial year's net, discounted from the group's first year
    per_year = cell.groupby(["key", "fy"], as_index=False)["net"].sum()
    per_year["t"] = per_year["fy"] - per_year.groupby("key")["fy"].transform("min")
    # discounted in exact decimals, as the product does
    per_year["pv"] = [
        pounds(net) / DISCOUNT ** int(t)
        for net, t in zip(per_year["net"], per_year["t"], strict=True)
    ]
    npv = per_year.groupby("key")["pv"].agg(lambda pvs: sum(pvs, Decimal(0)))
    # payback: the first quarter after the last quarter below 0 (none if that is the
    # last quarter to date), or the first quarter if it was never below 0
    per_q = cell.groupby(["key", "qidx"], as_index=False)["net"].sum()
    per_q = per_q.sort_values(["key", "qidx"])
    per_q["cumulative"] = per_q.groupby("key")["net"].transform(
        lambda nets: list(itertools.accumulate(nets))
    )
    first_q = per_q.groupby("key")["qidx"].min()
    dip = per_q[per_q["cumulative"] < 0].groupby("key")["qidx"].max().rename("dip")
    later = per_q.join(dip, on="key")
    back = later[later["qidx"] > later["dip"]]
    recovered = back.groupby("key")["qidx"].min()

    rows = []
    for key, t in totals.iterrows():
        target = pounds(t["target"])
        evidenced = pounds(t["evidenced"])
        one_off = pounds(t["one_off"])
        pct = percent(evidenced, target)
        if key in dip.index:
            payback = quarter_label(int(recovered[key])) if key in recovered.index else ""
        else:
            payback = quarter_label(int(first_q[key]))
        if target > 0 and t["returns_any"] == 0:
            rag = "no_data"
        elif pct is None:
            rag = ""
        else:
            rag = "green" if pct >= GREEN else "amber" if pct >= AMBER else "red"
        efficiency = None
        if t["returns_any"] and t["baselines"]:
            efficiency = percent(evidenced, pounds(t["baseline_returned"]))
        rows.append(
            {
                "key": str(key),
                "target": money(target),
                "evidenced": money(evidenced),
                "claimed": money(pounds(t["claimed"])) if t["claims"] else "",
                "claims_gap": money(pounds(t["claims_gap"])) if t["claims"] else "",
                "one_off": money(one_off),
                "net": money(evidenced - one_off),
                "realisation_pct": "" if pct is None else f"{pct:.1f}",
                "efficiency_pct": "" if efficiency is None else f"{efficiency:.1f}",
                "npv": money(Decimal(repr(float(npv[key])))),
                "payback": payback,
                "rag": rag,
                "returns_expected": str(int(t["returns_expected"])),
                "returns_received": str(int(t["returns_received"])),
            }
        )
    return rows


def pandas_report(data: Path) -> tuple[list[dict[str, str]], dict[str, float]]:
    start = time.perf_counter()
    files = read(data)
    read_s = time.perf_counter() - start
    cell, _ = cells(files)
    rows = by_council(cell)
    return rows, {"read_s": read_s, "total_s": time.perf_counter() - start}


# -- the product's answer --------------------------------------------------------------


def product_cli(db: Path) -> tuple[list[dict[str, str]], float, float]:
    run = cli(["report", "realisation", "--by", "council", "--format", "csv", "--db", str(db)])
    if run.code != 0:
        raise SystemExit(f"report realisation failed: {run.stderr or run.stdout}")
    return list(csv.DictReader(io.StringIO(run.stdout))), run.seconds, run.cpu_seconds


def product_in_process(db: Path) -> tuple[list[dict[str, str]], float]:
    from sharedsvc_core import realisation
    from sharedsvc_core.store import Store

    start = time.perf_counter()
    _, rows = realisation.report(Store.open(db), "council")
    seconds = time.perf_counter() - start

    def text(value: Any, column: str) -> str:
        if value is None:
            return ""
        if isinstance(value, Decimal):
            return f"{value:.{1 if column in PERCENT else 2}f}"
        return str(value)

    return [{c: text(r[c], c) for c in COLUMNS} for r in rows], seconds


# -- comparing -------------------------------------------------------------------------


def compare(ours: list[dict[str, str]], theirs: list[dict[str, str]]) -> dict[str, Any]:
    mine = {r["key"]: r for r in ours}
    product = {r["key"]: r for r in theirs}
    only_pandas = sorted(set(mine) - set(product))
    only_product = sorted(set(product) - set(mine))
    differ: list[dict[str, str]] = []
    within = 0
    fields = 0
    for key in sorted(set(mine) & set(product)):
        for column in COLUMNS[1:]:
            fields += 1
            a, b = mine[key][column], product[key][column]
            if a == b:
                continue
            close = False
            if a and b and (column in MONEY or column in PERCENT):
                step = Decimal("0.01") if column in MONEY else Decimal("0.1")
                close = abs(Decimal(a) - Decimal(b)) <= step
            within += close
            differ.append(
                {"key": key, "column": column, "pandas": a, "product": b, "within_step": close}
            )
    return {
        "rows_pandas": len(mine),
        "rows_product": len(product),
        "only_in_pandas": only_pandas[:20],
        "only_in_product": only_product[:20],
        "fields_compared": fields,
        "fields_differing": len(differ),
        "differing_within_a_penny_or_0.1": within,
        "differences": differ[:50],
        "order_matches": [r["key"] for r in theirs] == sorted(product),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description="The realisation report beside plain pandas.")
    parser.add_argument("--scale", type=int, default=1, help="1 = about 185,000 return rows")
    parser.add_argument("--keep", type=Path, help="build the store in (or reuse it from) DIR")
    parser.add_argument("--runs", type=int, default=5, help="timed runs of each (default 5)")
    parser.add_argument(
        "--quiet-below",
        type=float,
        default=0.0,
        metavar="LOAD",
        help="first wait (up to 10 minutes) for the 1-minute load average to fall below LOAD",
    )
    args = parser.parse_args()
    workdir = (
        args.keep.resolve() if args.keep else Path(tempfile.mkdtemp(prefix="sharedsvc-pandas-"))
    )
    try:
        return bench(args.scale, workdir, args.runs, args.quiet_below)
    finally:
        if not args.keep:
            shutil.rmtree(workdir, ignore_errors=True)


def wait_for_quiet(below: float, longest_s: float = 600.0) -> None:
    deadline = time.monotonic() + longest_s
    while os.getloadavg()[0] >= below and time.monotonic() < deadline:
        print(f"  waiting for a quieter machine (load average {os.getloadavg()[0]:.1f})")
        time.sleep(30)


def bench(scale: int, workdir: Path, runs: int, quiet_below: float) -> int:
    store = ensure_store(scale, workdir)
    data, db, _ = paths(scale, workdir)
    if quiet_below > 0:
        wait_for_quiet(quiet_below)
    load_before = os.getloadavg()[0]
    # the three take turns, so that other work on the machine falls on each alike
    print(f"pandas, the command and the in-process call, taking turns, x {runs} ...", flush=True)
    timings = []
    cli_s: list[float] = []
    cli_cpu: list[float] = []
    call_s: list[float] = []
    rows: list[dict[str, str]] = []
    cli_rows: list[dict[str, str]] = []
    call_rows: list[dict[str, str]] = []
    for _ in range(runs):
        rows, t = pandas_report(data)
        timings.append(t)
        cli_rows, seconds, cpu = product_cli(db)
        cli_s.append(seconds)
        cli_cpu.append(cpu)
        call_rows, seconds = product_in_process(db)
        call_s.append(seconds)

    pandas_s = statistics.median(t["total_s"] for t in timings)
    result: dict[str, Any] = {
        "scale": scale,
        "measured_at": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "machine": machine(),
        "rows": store["rows"],
        "returns_file_mb": store["returns_file_mb"],
        "pandas": {
            "median_s": round(pandas_s, 3),
            "read_csv_median_s": round(statistics.median(t["read_s"] for t in timings), 3),
            "runs_s": [round(t["total_s"], 3) for t in timings],
        },
        "product_cli": {
            "median_s": round(statistics.median(cli_s), 3),
            "cpu_median_s": round(statistics.median(cli_cpu), 3),
            "runs_s": [round(s, 3) for s in cli_s],
        },
        "product_in_process": {
            "median_s": round(statistics.median(call_s), 3),
            "runs_s": [round(s, 3) for s in call_s],
        },
        "load_average": {"start": round(load_before, 2), "end": round(os.getloadavg()[0], 2)},
        "pandas_vs_cli": compare(rows, cli_rows),
        "pandas_vs_in_process": compare(rows, call_rows),
    }
    result["ratio_pandas_to_cli"] = round(pandas_s / result["product_cli"]["median_s"], 2)
    result["ratio_pandas_to_in_process"] = round(
        pandas_s / result["product_in_process"]["median_s"], 2
    )
    print_result(result)
    OUT.mkdir(parents=True, exist_ok=True)
    path = OUT / f"pandas-compare-scale{scale}.json"
    path.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(f"\nwritten {path}")
    return 0


def print_result(r: dict[str, Any]) -> None:
    print()
    print(
        f"report realisation --by council, scale {r['scale']} "
        f"({r['rows']['returns']:,} returns rows, {r['returns_file_mb']} MB)"
    )
    p = r["pandas"]
    print(
        f"  plain pandas from the CSV files: {p['median_s']:.3f} s median "
        f"(reading the CSVs {p['read_csv_median_s']:.3f} s)"
    )
    print(
        f"  the product's command (whole process): {r['product_cli']['median_s']:.3f} s median"
        f"  -> pandas takes {r['ratio_pandas_to_cli']}x as long"
    )
    print(
        f"  the product in-process: {r['product_in_process']['median_s']:.3f} s median"
        f"  -> pandas takes {r['ratio_pandas_to_in_process']}x as long"
    )
    for name in ("pandas_vs_cli", "pandas_vs_in_process"):
        c = r[name]
        verdict = (
            "agree"
            if not c["fields_differing"] and not c["only_in_pandas"] and not c["only_in_product"]
            else "DISAGREE"
        )
        print(
            f"  {name}: {c['rows_pandas']} and {c['rows_product']} rows, "
            f"{c['fields_compared']:,} fields compared, {c['fields_differing']} differ "
            f"({c['differing_within_a_penny_or_0.1']} within a penny or 0.1): {verdict}"
        )
        for d in c["differences"][:10]:
            print(f"    {d['key']} {d['column']}: pandas {d['pandas']!r}, product {d['product']!r}")


if __name__ == "__main__":
    raise SystemExit(main())
