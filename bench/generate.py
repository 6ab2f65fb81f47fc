"""Generate a national-scale programme for the benchmark, in the contract's CSV formats.

    python bench/generate.py [--scale N] [--out DIR]

Writes partnerships.csv, members.csv, services.csv, baselines.csv, targets.csv and
returns.csv to DIR (default bench/out/data-scaleN). The output depends only on the
scale: the random seed is fixed and only the standard library is used.

At scale 1 there are 600 partnerships of 2 to 6 councils, two live services each,
every current UK council (with a GSS code) is a member of at least one partnership,
and every member council sends a quarterly return for each of its services for ten
financial years, 2014/15 to 2023/24 (about 185,000 return rows). Scale N multiplies
the partnerships, services and returns by N; the councils stay the same, so at
higher scales each council is in many partnerships.

The figures are chosen so that a load raises no warnings: each actual cost is
between 0.7 and 1.05 times the quarterly baseline and moves by a few per cent from
one quarter to the next, and every claimed saving is below the quarterly baseline.
"""

from __future__ import annotations

import argparse
import csv
import json
import random
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REFERENCE = ROOT / "data" / "reference" / "uk_local_authorities_current.csv"
SEED = 20261122
FIRST_YEAR = 2014
YEARS = 10
PARTNERSHIPS_PER_SCALE = 600
SERVICES_PER_PARTNERSHIP = 2
# Partnership sizes 2..6 with these weights: 3.9 members on average.
SIZES = (2, 3, 4, 5, 6)
SIZE_WEIGHTS = (20, 20, 25, 20, 15)
FILES = ("partnerships", "members", "services", "baselines", "targets", "returns")

DELIVERY_MODELS = (
    "lead_authority",
    "joint_committee",
    "shared_management",
    "hub_and_spoke",
    "company",
    "formal_collaboration",
    "informal_collaboration",
)
SERVICE_AREAS = (
    "Revenues and benefits",
    "HR and payroll",
    "ICT",
    "Legal services",
    "Procurement",
    "Internal audit",
    "Building control",
    "Environmental health",
    "Customer services",
    "Finance",
    "Planning",
    "Trading standards",
    "CCTV",
    "Parking enforcement",
    "Waste collection",
    "Emergency planning",
)
COMMENTS = (
    "On track.",
    "Vacancy held open while the team restructures.",
    "Savings from the joint contract, as planned.",
    "Agency costs higher than expected this quarter.",
    "New case management system went live.",
    "Two posts deleted after the review, £ figures confirmed by finance.",
    "Lower volumes than forecast; saving slightly below plan.",
    "Restated after year-end audit.",
)
CONFIDENCE = ("high", "medium", "low")
CONFIDENCE_WEIGHTS = (50, 35, 15)


def fy(year: int) -> str:
    return f"{year}/{(year + 1) % 100:02d}"


def money(value: float) -> str:
    return f"{value:.2f}"


def current_councils(path: Path = REFERENCE) -> list[tuple[str, str]]:
    """(GSS code, name) of every current council with a GSS code, sorted by code."""
    with open(path, encoding="utf-8", newline="") as f:
        rows = [
            (r["gss-code"].strip(), r["nice-name"])
            for r in csv.DictReader(f)
            if r["current-authority"] == "True" and r["gss-code"].strip()
        ]
    return sorted(rows)


def shares(rng: random.Random, n: int) -> list[str]:
    """n cost shares with 6 decimal places adding up to exactly 1.000000."""
    weights = [rng.uniform(0.5, 1.5) for _ in range(n)]
    total = sum(weights)
    micro = [round(w / total * 1_000_000) for w in weights[:-1]]
    micro.append(1_000_000 - sum(micro))
    return [f"{m / 1_000_000:.6f}" for m in micro]


def plan(scale: int, councils: list[tuple[str, str]], rng: random.Random) -> list[dict]:
    """The partnerships, each with its distinct members and their shares."""
    count = PARTNERSHIPS_PER_SCALE * scale
    sizes = rng.choices(SIZES, SIZE_WEIGHTS, k=count)
    members: list[list[str]] = [[] for _ in range(count)]
    # Deal every council once into the partnerships, so each is a member of one at
    # least; then fill the remaining places at random with distinct councils.
    codes = [code for code, _ in councils]
    dealt = codes[:]
    rng.shuffle(dealt)
    slots = [i for i in range(count) for _ in range(sizes[i])]
    rng.shuffle(slots)
    if len(slots) < len(dealt):
        raise SystemExit("too few partnership places to include every council")
    for code, i in zip(dealt, slots, strict=False):
        members[i].append(code)
    for i in range(count):
        while len(members[i]) < sizes[i]:
            code = rng.choice(codes)
            if code not in members[i]:
                members[i].append(code)
        rng.shuffle(members[i])
    width = max(4, len(str(count)))
    out = []
    for i in range(count):
        out.append(
            {
                "code": f"P{i + 1:0{width}d}",
                "members": members[i],
                "shares": shares(rng, len(members[i])),
                "model": rng.choice(DELIVERY_MODELS),
            }
        )
    return out


def _rows_returns(
    services: list[dict], baselines: dict[tuple[str, str], float], rng: random.Random
) -> Iterator[list[str]]:
    """Quarterly returns, year by year and quarter by quarter, as a national file."""
    # Each service-council cell saves a growing share of its baseline over the years.
    cells = []
    for s in services:
        for council in s["members"]:
            bq = baselines[(s["code"], council)] / 4
            cells.append(
                {
                    "service": s["code"],
                    "council": council,
                    "bq": bq,
                    "ramp": rng.uniform(0.01, 0.025),
                    "fte": round(bq * 4 / 38000, 1),
                    "one_off_first_year": rng.random() < 0.3,
                }
            )
    for year in range(YEARS):
        for quarter in range(1, 5):
            t = year + (quarter - 1) / 4
            for c in cells:
                bq = c["bq"]
                saving = min(0.25, c["ramp"] * t)
                actual = bq * (1 - saving) * rng.uniform(0.97, 1.03)
                evidenced = bq - actual
                if rng.random() < 0.15:
                    claimed = ""
                else:
                    claimed = money(min(max(0.0, evidenced * rng.uniform(0.9, 1.25)), 0.9 * bq))
                if year == 0 and c["one_off_first_year"]:
                    one_off = money(rng.uniform(1000, 50000))
                else:
                    one_off = "0.00"
                forecast = money(4 * max(0.0, evidenced)) if quarter == 1 else ""
                commentary = rng.choice(COMMENTS) if rng.random() < 0.05 else ""
                yield [
                    c["council"],
                    c["service"],
                    fy(FIRST_YEAR + year),
                    f"Q{quarter}",
                    money(actual),
                    claimed,
                    one_off,
                    f"{c['fte']:.1f}",
                    forecast,
                    rng.choices(CONFIDENCE, CONFIDENCE_WEIGHTS)[0],
                    "own",
                    commentary,
                ]


def generate(scale: int, out: Path) -> dict[str, int]:
    """Write the six files to ``out``; return the number of data rows in each."""
    if scale < 1:
        raise SystemExit("--scale must be 1 or more")
    rng = random.Random(SEED)
    councils = current_councils()
    names = dict(councils)
    partnerships = plan(scale, councils, rng)
    out.mkdir(parents=True, exist_ok=True)
    counts: dict[str, int] = {}

    def write(name: str, header: list[str], rows: Iterator[list[str]] | list[list[str]]) -> None:
        n = 0
        with open(out / f"{name}.csv", "w", encoding="utf-8", newline="") as f:
            writer = csv.writer(f, lineterminator="\n")
            writer.writerow(header)
            for row in rows:
                writer.writerow(row)
                n += 1
        counts[name] = n

    write(
        "partnerships",
        [
            "partnership_code",
            "name",
            "delivery_model",
            "lead_council",
            "start_date",
            "status",
            "description",
        ],
        [
            [
                p["code"],
                f"{names[p['members'][0]]} and partners shared services ({p['code']})",
                p["model"],
                p["members"][0],
                "2014-04-01",
                "active",
                f"Benchmark partnership of {len(p['members'])} councils",
            ]
            for p in partnerships
        ],
    )
    write(
        "members",
        ["partnership_code", "council", "cost_share", "from_year", "to_year"],
        [
            [p["code"], council, share, fy(FIRST_YEAR), ""]
            for p in partnerships
            for council, share in zip(p["members"], p["shares"], strict=True)
        ],
    )

    services: list[dict] = []
    width = max(5, len(str(len(partnerships) * SERVICES_PER_PARTNERSHIP)))
    for p in partnerships:
        areas = rng.sample(SERVICE_AREAS, SERVICES_PER_PARTNERSHIP)
        for area in areas:
            services.append(
                {
                    "code": f"S{len(services) + 1:0{width}d}",
                    "partnership": p["code"],
                    "area": area,
                    "lead": rng.choice(p["members"]),
                    "members": p["members"],
                }
            )
    write(
        "services",
        [
            "service_code",
            "partnership_code",
            "name",
            "service_area",
            "stage",
            "lead_council",
            "go_live",
        ],
        [
            [s["code"], s["partnership"], f"Shared {s['area'].lower()}", s["area"], "live"]
            + [s["lead"], "2014-04-01"]
            for s in services
        ],
    )

    baselines: dict[tuple[str, str], float] = {}
    for s in services:
        for council in s["members"]:
            baselines[(s["code"], council)] = round(rng.uniform(200_000, 5_000_000), 2)
    write(
        "baselines",
        ["service_code", "council", "baseline_year", "annual_cost", "fte", "source"],
        [
            [code, council, fy(FIRST_YEAR - 1), money(cost), f"{cost / 38000:.1f}", "benchmark"]
            for (code, council), cost in baselines.items()
        ],
    )

    def target_rows() -> Iterator[list[str]]:
        for (code, council), cost in baselines.items():
            for year in range(YEARS):
                saving = cost * min(0.02 + 0.02 * year, 0.2)
                budget = money(cost * 0.03) if year == 0 else ""
                yield [code, council, fy(FIRST_YEAR + year), money(saving), budget]

    write(
        "targets",
        ["service_code", "council", "financial_year", "target_saving", "one_off_budget"],
        target_rows(),
    )
    write(
        "returns",
        [
            "council",
            "service_code",
            "financial_year",
            "quarter",
            "actual_cost",
            "claimed_saving",
            "one_off_cost",
            "fte",
            "forecast_year_saving",
            "confidence",
            "cost_basis",
            "commentary",
        ],
        _rows_returns(services, baselines, rng),
    )
    manifest = {"scale": scale, "seed": SEED, "rows": counts}
    (out / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    return counts


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=int, default=1, help="1 = about 185,000 return rows")
    parser.add_argument("--out", type=Path, help="directory (default bench/out/data-scaleN)")
    args = parser.parse_args()
    out = args.out or ROOT / "bench" / "out" / f"data-scale{args.scale}"
    counts = generate(args.scale, out)
    for name in FILES:
        size = (out / f"{name}.csv").stat().st_size
        print(f"{name:13} {counts[name]:>10,} rows {size / 1048576:8.1f} MB")
    print(f"written to {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
