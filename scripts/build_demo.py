#!/usr/bin/env python3
"""Build the demo programme for sharedsvc: every CSV in data/demo/.

ILLUSTRATIVE DATA. The councils and their GSS codes are real; the partnerships
are modelled on real published papers (see docs/demo-data.md); every figure in
the output is made up for the demo. They are NOT real council figures.

Run from the repository root:

    python scripts/build_demo.py            # (re)write data/demo/*.csv
    python scripts/build_demo.py --check    # exit 1 if data/demo/ differs

The script is deterministic (standard library only, one seeded random
generator drawing integers only, Decimal money), so it reproduces the
committed files byte for byte. It reads what to make from CSV files beside
it: scripts/demo_plan/ holds the figures (councils, cost shares, baselines,
targets, how each service delivers, the survey plan), scripts/demo_prose/ the
register and the words. docs/demo-data.md says what each file holds.

Baselines for English councils come from the MHCLG Revenue Outturn Summary (RS)
2017-18, data/reference/revenue_outturn/RS_2017-18_LA_flat.csv (GBP thousand):
an in-scope share of one RS line, x1,000, x1.10 back to 2013/14, rounded to
GBP 100. Contains public sector information licensed under the Open Government
Licence v3.0. The shares and the uplift are assumptions made for the demo.
Clackmannanshire and Stirling are not in the RS return (England only): their
baselines are ESTIMATES sized by population, not taken from any return.
"""

from __future__ import annotations

import argparse
import csv
import io
import random
import sys
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from sharedsvc_core.contract import KINDS  # noqa: E402  (each file's columns)

RS_PATH = ROOT / "data" / "reference" / "revenue_outturn" / "RS_2017-18_LA_flat.csv"
OUT_DIR = ROOT / "data" / "demo"
PLAN = Path(__file__).resolve().parent / "demo_plan"  # the figures the demo is made from
PROSE = Path(__file__).resolve().parent / "demo_prose"  # its words and register

SEED = 20140401
D = Decimal
PENNY = D("0.01")
HUNDRED = D("100")
UPLIFT = D("1.10")  # 2017-18 net spend back-cast to a 2013/14 baseline (assumption)
YEARS = ["2014/15", "2015/16", "2016/17"]
QUARTERS = [f"{fy} {q}" for fy in YEARS for q in ("Q1", "Q2", "Q3", "Q4")]  # index 0..11
WAVES = ["2013/14", "2014/15"]
# North East Lincolnshire's first 2015/16 H1 file has two mistakes; a corrected file follows
RESUBMITTED = ("E06000012", "2015/16", "H1")
AWAITING = 3  # the latest returns, still awaiting their finance lead's certification
RS_SOURCE = (
    "MHCLG Revenue Outturn 2017-18 (OGL v3), line {line}, {pct}% in scope, x1.10 to "
    "2013/14; illustrative"
)
COMBINED = "; combined baseline apportioned by cost share"
ESTIMATE = "Estimate: not in the English RS return; sized by population; illustrative"


def read(folder: Path, name: str) -> list[dict[str, str]]:
    with open(folder / name, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def group(rows: list[dict[str, str]], *keys: str) -> dict[tuple, list[dict[str, str]]]:
    """The rows by the values of the keys, each list in file order."""
    out: dict[tuple, list[dict[str, str]]] = {}
    for row in rows:
        out.setdefault(tuple(row[k] for k in keys), []).append(row)
    return out


def q2(x: Decimal) -> Decimal:
    return x.quantize(PENNY, rounding=ROUND_HALF_UP)


def round_to(x: Decimal, step: Decimal) -> Decimal:
    return ((x / step).quantize(D(1), rounding=ROUND_HALF_UP) * step).quantize(PENNY)


def tenth(x: Decimal) -> Decimal:
    return x.quantize(D("0.1"), rounding=ROUND_HALF_UP)


def money(x: Decimal | None) -> str:
    return "" if x is None else f"{q2(x):.2f}"


def weekday(day: date) -> date:
    while day.weekday() >= 5:  # weekends -> Monday
        day += timedelta(days=1)
    return day


def iso(dt: datetime) -> str:
    return dt.strftime("%Y-%m-%dT%H:%M:%SZ")


COUNCILS = {row["council"]: row for row in read(PLAN, "councils.csv")}  # in file order
# (use, service) -> the commentary lines of that use, in order; "" is any service
NOTES = {
    k: [r["text"] for r in v]
    for k, v in group(read(PROSE, "commentary.csv"), "use", "service_code").items()
}


# Revenue outturn ----------------------------------------------------------------------
def read_rs(path: Path) -> dict[str, dict[str, str]]:
    """ONS code -> the council's row of the RS file."""
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return {r["ONS Code"].strip(): r for r in csv.DictReader(fh) if r.get("ONS Code")}


def rs_value(rs: dict, code: str, line: str) -> Decimal:
    """One council's RS line in pounds (the file is in GBP thousand)."""
    raw = (rs.get(code, {}).get(line) or "").strip().replace(",", "")
    if raw in ("", "...", "\u2026"):  # not in the file, or suppressed
        raise SystemExit(f"the RS file has no figure for {code} on line {line}: choose another")
    return D(raw) * 1000


# The register: partnerships, members, services, baselines and targets ---------------
def cost_shares(rs: dict) -> dict[str, dict[str, Decimal]]:
    """partnership -> council -> cost share. A share given by an RS line is each
    council's share of that line, to two places, the last council taking the rest."""
    shares = {}
    for (pc,), rows in group(read(PLAN, "members.csv"), "partnership_code").items():
        if rows[0]["rs_line"]:
            vals = {r["council"]: rs_value(rs, r["council"], r["rs_line"]) for r in rows}
            share = {c: q2(vals[c] / sum(vals.values())) for c in list(vals)[:-1]}
            share[rows[-1]["council"]] = D(1) - sum(share.values())
        else:
            share = {r["council"]: D(r["cost_share"]) for r in rows}
        assert sum(share.values()) == 1, pc
        shares[pc] = share
    return shares


def baselines(rs: dict, shares: dict, partnership: dict) -> dict[tuple[str, str], tuple]:
    """(service, council) -> (annual cost, fte, source). A whole-service baseline is
    worked out for the partnership and shared out by cost share, so that each
    council's share of a whole-service return lines up with its own baseline."""
    whole = {d["service_code"] for d in read(PLAN, "delivery.csv") if d["returns_basis"] != "own"}
    out = {}
    for row in read(PLAN, "baselines.csv"):
        svc, c, line = row["service_code"], row["council"], row["rs_line"]
        if row["estimate"]:
            cost, source = D(row["estimate"]), ESTIMATE
        else:
            pct = row["in_scope"].rstrip("%")
            source = RS_SOURCE.format(line=line.split(":")[0], pct=pct)
            if svc in whole:
                share = shares[partnership[svc]]
                combined = sum(rs_value(rs, m, line) for m in share) * (D(pct) / 100) * UPLIFT
                cost, source = q2(round_to(combined, D(1000)) * share[c]), source + COMBINED
            else:
                cost = round_to(rs_value(rs, c, line) * (D(pct) / 100) * UPLIFT, HUNDRED)
        out[(svc, c)] = (cost, tenth(cost / D(row["cost_per_fte"])), source)
    return out


def targets(base: dict, shares: dict, partnership: dict) -> dict[tuple[str, str, str], tuple]:
    """(service, council, year) -> (target saving, one-off budget or None). A share of
    the baseline ("5%") is set for one council or, with no council named, for every
    council with a baseline; pounds with no council named are the whole service's,
    shared out by cost share. A later row overrides an earlier one."""
    out = {}
    for row in read(PLAN, "targets.csv"):
        svc, c = row["service_code"], row["council"]
        for fy in YEARS:
            amount, budget = row[fy], row[f"one_off_budget {fy}"]
            if c or amount.endswith("%"):
                cells = [(cc, D(1)) for (s, cc) in base if s == svc and c in ("", cc)]
            else:
                cells = list(shares[partnership[svc]].items())
            for cc, share in cells:
                if amount.endswith("%"):
                    target = round_to(base[(svc, cc)][0] * (D(amount[:-1]) / 100), HUNDRED)
                else:
                    target = q2(D(amount) * share)
                out[(svc, cc, fy)] = (target, q2(D(budget) * share) if budget else None)
    for c in shares["NNL-HUB"]:  # each council's hub targets: 0.5m-0.75m a year (seed 002)
        for fy in YEARS:
            hub = [t for (s, cc, y), (t, _) in out.items() if (cc, y, s[:4]) == (c, fy, "HUB-")]
            assert D("500000") <= sum(hub) <= D("750000"), (c, fy, hub)
    return out


def register_tables(shares: dict, base: dict, tgt: dict) -> dict[str, list[dict]]:
    """The five register files, by file name, in the order a reader expects."""
    services = read(PROSE, "services.csv")
    services_at = {s["service_code"]: i for i, s in enumerate(services)}
    councils_at = {c: i for i, c in enumerate(COUNCILS)}
    order = lambda kv: (services_at[kv[0][0]], councils_at[kv[0][1]], *kv[0][2:])  # noqa: E731
    from_year = {row["partnership_code"]: row["from_year"] for row in read(PLAN, "members.csv")}
    return {
        "partnerships.csv": read(PROSE, "partnerships.csv"),
        "members.csv": [
            dict(partnership_code=pc, council=c, cost_share=s, from_year=from_year[pc], to_year="")
            for pc, share in shares.items()
            for c, s in share.items()
        ],
        "services.csv": services,
        "baselines.csv": [
            dict(service_code=s, council=c, baseline_year="2013/14", annual_cost=money(cost))
            | dict(fte=f"{fte:.1f}", source=source)
            for (s, c), (cost, fte, source) in sorted(base.items(), key=order)
        ],
        "targets.csv": [
            dict(service_code=s, council=c, financial_year=fy, target_saving=money(t))
            | dict(one_off_budget=money(b))
            for (s, c, fy), (t, b) in sorted(tgt.items(), key=order)
        ],
    }


# Quarterly returns ---------------------------------------------------------------------
def claim(style: str, ev: Decimal, target_q: Decimal, rng: random.Random) -> Decimal | None:
    """The claimed saving: "match" claims the evidence (up to 4% over), "target" the
    business-case figure whatever happened, "gross" and "mixed" 1.45-1.6 and 1.4-1.7
    times the evidence; "blank" and "none" leave it blank."""
    extra = D(1000 + rng.randint(0, 40)) / 1000
    if style in ("blank", "none"):
        return None
    if style == "target":
        return q2(target_q * D(1000 + rng.randint(-30, 30)) / 1000)
    if style == "gross":
        return q2(ev * D(1450 + rng.randint(0, 150)) / 1000)
    if style == "mixed":
        return q2(ev * D(1400 + rng.randint(0, 300)) / 1000)
    return q2(ev * extra)


def commentary(
    svc: str, quarter: str, sub: dict, plan: dict, optimist: bool, one_off: str, rng: random.Random
) -> str:
    """A line from the service's notes (an optimist has more to choose from), or none;
    a one-off cost, a return after a missing one and the first claim corrected to the
    evidence each have their own."""
    pool = NOTES[("quarter", svc)] + (NOTES.get(("optimist", svc), []) if optimist else [])
    pick = rng.randint(0, len(pool) + 2)
    qi = QUARTERS.index(quarter)
    if one_off != "0":
        return NOTES[("one_off", svc)][0]
    if qi > 0 and sub["missing"] == QUARTERS[qi - 1]:
        return NOTES[("after_missing", "")][0]
    if quarter == plan["claims_corrected_from"]:
        return NOTES[("claims_corrected", svc)][0]
    return pool[pick] if pick < len(pool) else ""


def build_returns(
    shares: dict, partnership: dict, base: dict, tgt: dict, rng: random.Random
) -> list[dict]:
    """One row per (service, council, quarter) that gets a return, as it should finally
    stand. Each evidenced saving is the quarter's target x the plan's multiplier for the
    quarter x the council's lean x (1 +/- up to 5% noise)."""
    submitters = group(read(PLAN, "submitters.csv"), "service_code")
    one_offs = group(
        read(PLAN, "one_off_costs.csv"), "service_code", "council", "financial_year", "quarter"
    )
    rows: list[dict] = []
    for plan in read(PLAN, "delivery.csv"):
        svc, basis, corrected = (
            plan["service_code"],
            plan["returns_basis"],
            plan["claims_corrected_from"],
        )
        ytd: dict[str, Decimal] = {}  # evidenced so far this year, by council
        for quarter in (quarter for quarter in QUARTERS if plan[quarter]):  # blank: no return
            fy, q = quarter.split()
            for sub in submitters[(svc,)]:
                c, m, lean = sub["council"], plan[quarter], sub["lean"] or "1.0"
                # a whole-service return covers every member's baseline and target
                scope = list(shares[partnership[svc]]) if basis == "whole_service" else [c]
                base_q = sum(base[(svc, cc)][0] for cc in scope) / 4
                target_q = sum(tgt[(svc, cc, fy)][0] for cc in scope) / 4
                noise = D(1000 + rng.randint(-50, 50)) / 1000  # drawn even for a missing return
                if sub["missing"] == quarter:
                    continue
                ev = q2(target_q * D(m) * D(lean) * noise)
                actual = q2(base_q - ev)
                ytd[c] = (ytd.get(c, D(0)) if q != "Q1" else D(0)) + ev
                style = sub["claims"] or plan["claims"]
                if corrected and QUARTERS.index(quarter) >= QUARTERS.index(corrected):
                    style = "match"
                claimed = claim(style, ev, target_q, rng)
                # the year's forecast: optimists forecast the target, others extrapolate
                optimist = style in ("target", "gross", "mixed")
                forecast = round_to(target_q * 4 if optimist else ytd[c] * 4 / int(q[1]), HUNDRED)
                one_off = one_offs.get((svc, c, fy, q), [{"one_off_cost": "0"}])[0]["one_off_cost"]
                sure = float(m) * float(lean)
                level = min(2, (2 if sure >= 1.0 else 1 if sure >= 0.8 else 0) + optimist)
                fte = tenth(sum(base[(svc, cc)][1] for cc in scope) * actual / base_q)
                rows.append(
                    dict(council=c, service_code=svc, financial_year=fy, quarter=q)
                    | dict(actual_cost=money(actual), claimed_saving=money(claimed))
                    | dict(one_off_cost=money(D(one_off)), fte=f"{fte:.1f}")
                    | dict(forecast_year_saving=money(None if style == "none" else forecast))
                    | dict(confidence=("low", "medium", "high")[level], cost_basis=basis)
                    | dict(commentary=commentary(svc, quarter, sub, plan, optimist, one_off, rng))
                )
    return rows


def received(day: date, rng: random.Random) -> datetime:
    day = weekday(day)
    return datetime(day.year, day.month, day.day, 8 + rng.randint(0, 8), rng.randint(0, 11) * 5)


def resubmit(rows: list[dict], sent: datetime) -> list[dict]:
    """Put the two mistakes into the first file (legal Q2's actual cost keyed in GBP
    thousand, HR Q1's claim for the full year); return the corrected rows."""
    note = NOTES[("resubmission", "")][0].format(sent=sent.strftime("%d/%m/%Y"))
    fixed = []
    for r in rows:
        key = (r["service_code"], r["quarter"])
        if key in (("HUB-LEG", "Q2"), ("HUB-HR", "Q1")):
            fixed.append(r | {"commentary": note})
        if key == ("HUB-LEG", "Q2"):
            r["actual_cost"] = money(D(r["actual_cost"]) / 1000)
        if key == ("HUB-HR", "Q1"):
            r["claimed_saving"] = money(D(r["claimed_saving"]) * 4)
    return fixed


def submissions(returns: list[dict], rng: random.Random) -> list[dict]:
    """Manifest entries, with their rows: one file per council per half-year, received
    after it ends (H1 in October/November, H2 in April/May), in the order they arrive."""
    by_year = group(returns, "council", "financial_year")
    out = []
    for yi, fy in enumerate(YEARS):
        for half, qs, ended, first_day in (
            ("H1", ("Q1", "Q2"), date(2014 + yi, 9, 30), date(2014 + yi, 10, 13)),
            ("H2", ("Q3", "Q4"), date(2015 + yi, 3, 31), date(2015 + yi, 4, 20)),
        ):
            for ci, c in enumerate(COUNCILS):
                rows = [r for r in by_year.get((c, fy), []) if r["quarter"] in qs]
                if not rows:
                    continue
                when = received(first_day + timedelta(days=(ci * 3 + rng.randint(0, 6)) % 35), rng)
                assert when.date() > ended, (c, fy, half)
                rows.sort(key=lambda r: (r["service_code"], r["quarter"]))
                name = f"returns_{fy.replace('/', '-')}_{half}_{COUNCILS[c]['file_name']}"
                if (c, fy, half) == RESUBMITTED:
                    fixed = resubmit(rows, when)
                    again = received(when.date() + timedelta(days=23), rng)
                    out.append((again, f"{name}_corrected.csv", c, fixed))
                out.append((when, f"{name}.csv", c, rows))
    return [
        dict(file=name, kind="returns", received_at=iso(when), council=c, rows=rows)
        | dict(received_by=COUNCILS[c]["returns_sent_by"])
        for when, name, c, rows in sorted(out, key=lambda s: (s[0], s[1]))
    ]


# Taking Stock survey and comments ------------------------------------------------------
def counts(n: int, pct: list[int], rng: random.Random) -> list[int]:
    """n answers split by the pattern's percentages, largest remainders first."""
    raw = [n * p for p in pct]
    out = [r // 100 for r in raw]
    order = sorted(range(5), key=lambda i: (-(raw[i] % 100), i))
    for i in order[: n - sum(out)]:
        out[i] += 1
    # nudge one answer to a neighbouring box, so rows are not all alike
    i = rng.randint(0, 4)
    j = i + (1 if i == 0 else -1 if i == 4 else rng.choice((-1, 1)))
    if out[i] > 0 and n >= 10:
        out[i] -= 1
        out[j] += 1
    return out


def taking_stock(rng: random.Random) -> dict[str, list[dict]]:
    """The survey and comments files, by file name. A programme-wide survey row takes
    its group's responses, less a few who skip the question; a row about one service
    gives its own."""
    patterns = read(PLAN, "survey_patterns.csv")  # % of each answer, by pattern number
    answers = [a for a in patterns[0] if a != "pattern"]
    groups = {row["group"]: row for row in read(PLAN, "survey_groups.csv")}
    comments = read(PROSE, "survey_comments.csv")
    tables = {}
    for wave in WAVES:
        rows = []
        for row in read(PLAN, "survey_plan.csv"):
            if row[f"pattern {wave}"]:
                n = int(row[f"responses {wave}"] or groups[row["group"]][f"responses {wave}"])
                if not row["service_code"] and n >= 20:
                    n -= rng.randint(0, 4)
                pct = patterns[int(row[f"pattern {wave}"])]
                split = counts(n, [int(pct[a]) for a in answers], rng)
                rows.append(row | {"wave": wave} | dict(zip(answers, split, strict=True)))
        slug = wave.replace("/", "-")
        tables[f"survey_{slug}.csv"] = rows
        tables[f"comments_{slug}.csv"] = [r for r in comments if r["wave"] == wave]
    return tables


# Writing --------------------------------------------------------------------------------
def columns(kind: str, rows: list[dict]) -> list[str]:
    """The contract's columns that the demo fills, in the contract's order."""
    header = [c for c in KINDS[kind].header() if c in rows[0]]
    assert set(KINDS[kind].required_columns) <= set(header), kind
    return header


def to_csv(header: list[str], rows: list[dict]) -> bytes:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(header)
    w.writerows([str(row[k]) for k in header] for row in rows)
    return buf.getvalue().encode("utf-8")


def certifications(manifest: list[dict]) -> list[dict]:
    """Each council's finance lead (its section 151 officer's delegate) certifies its
    returns six days after they arrive, at 10:00; the latest few still await them."""
    returns = [entry for entry in manifest if entry["kind"] == "returns"]
    out = []
    for entry in returns[: len(returns) - AWAITING]:
        arrived = datetime.strptime(entry["received_at"], "%Y-%m-%dT%H:%M:%SZ").date()
        lead = "finance.lead@" + entry["received_by"].split("@", 1)[1]
        day = weekday(arrived + timedelta(days=6))
        out.append(dict(file=entry["file"], decision="certified", decided_at=f"{day}T10:00:00Z"))
        out[-1] |= dict(decided_by=lead, reason="")
    return out


BENEFITS_FILES = ("benefits.csv", "benefits_rebaselined.csv", "measures.csv")
# the training service's options appraisal at its outline business case
OPTIONS_FILES = ("options.csv", "criteria.csv", "scores.csv")
LATE_KINDS = ("survey", "comments", "benefits", "measures", "options", "criteria", "scores")


def build() -> dict[str, bytes]:
    rng = random.Random(SEED)
    rs = read_rs(RS_PATH)
    services = read(PROSE, "services.csv")
    partnership = {s["service_code"]: s["partnership_code"] for s in services}
    shares = cost_shares(rs)
    base = baselines(rs, shares, partnership)
    tgt = targets(base, shares, partnership)
    sent = submissions(build_returns(shares, partnership, base, tgt, rng), rng)
    tables = register_tables(shares, base, tgt) | taking_stock(rng)
    # the benefits register, its one re-baselined target and its measures, as written
    tables |= {name: read(PROSE, name) for name in BENEFITS_FILES + OPTIONS_FILES}
    # the register first, then the returns in the order they arrived, then Taking Stock,
    # then the benefits register and the options appraisal
    plan = [e | {"council": "", "rows": tables[e["file"]]} for e in read(PLAN, "received.csv")]
    late = [e for e in plan if e["kind"] in LATE_KINDS]
    manifest = [e for e in plan if e not in late] + sent + late
    files = {e["file"]: to_csv(columns(e["kind"], e["rows"]), e["rows"]) for e in manifest}
    files["manifest.csv"] = to_csv(
        ["file", "kind", "received_at", "received_by", "council"], manifest
    )
    certified = certifications(manifest)
    files["certifications.csv"] = to_csv(list(certified[0]), certified)
    return files


def same(path: Path, data: bytes) -> bool:
    return path.is_file() and path.read_bytes() == data


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", type=Path, default=OUT_DIR, help="output folder (default data/demo)")
    ap.add_argument(
        "--check", action="store_true", help="compare with the output folder instead of writing"
    )
    args = ap.parse_args(argv)
    if not RS_PATH.is_file():
        print(f"cannot find the revenue outturn file: {RS_PATH}", file=sys.stderr)
        return 2
    files = build()
    if args.check:
        bad = [args.out / n for n, b in files.items() if not same(args.out / n, b)]
        print("".join(f"differs: {path}\n" for path in bad), end="")
        print(
            f"{len(bad)} file(s) differ: run python scripts/build_demo.py"
            if bad
            else "demo data up to date"
        )
        return 1 if bad else 0
    args.out.mkdir(parents=True, exist_ok=True)
    for name, data in files.items():
        (args.out / name).write_bytes(data)
    print(f"wrote {len(files)} files to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
