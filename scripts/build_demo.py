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
committed files byte for byte. What it makes is planned in CSV files beside
it: scripts/demo_plan/ holds the figures (cost shares, baselines, targets,
how each service delivers, the survey plan) and scripts/demo_prose/ the words
and the register. docs/demo-data.md says what each file holds.

Where the baselines come from
-----------------------------
English councils: the MHCLG Revenue Outturn Summary (RS) 2017-18, net current
expenditure by service in GBP thousand, read from
data/reference/revenue_outturn/RS_2017-18_LA_flat.csv (relative to the repo
root). Contains public sector information licensed under the Open Government
Licence v3.0. For each service we take an in-scope fraction of one RS line
(e.g. 22% of line 690 Central services for ICT), multiply by 1,000 (thousands
to pounds) and by 1.10 to back-cast from 2017-18 to a 2013/14 baseline, and
round to the nearest GBP 100. The fractions and the uplift are assumptions
made for the demo, not published figures.

Scottish councils (Clackmannanshire S12000005, Stirling S12000030) are not in
the RS return, which covers England only. Their baselines (in
demo_plan/baselines.csv) are plausible ESTIMATES, sized by population against
typical in-scope costs of shared education and social work management and
support; they are not taken from any published return.
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
NOTES: dict[tuple[str, str], list[str]] = {}  # (use, service) -> commentary, in order
for _row in read(PROSE, "commentary.csv"):
    NOTES.setdefault((_row["use"], _row["service_code"]), []).append(_row["text"])


# --------------------------------------------------------------------------
# Revenue outturn
# --------------------------------------------------------------------------
def read_rs(path: Path) -> dict[str, dict[str, Decimal | None]]:
    """ONS code -> {RS line: value in GBP thousand, or None when suppressed}."""
    lines = {row["rs_line"] for row in read(PLAN, "baselines.csv") + read(PLAN, "members.csv")}
    out: dict[str, dict[str, Decimal | None]] = {}
    with path.open(encoding="utf-8-sig", newline="") as fh:
        for row in csv.DictReader(fh):
            code = (row.get("ONS Code") or "").strip()
            if code:
                out[code] = {}
                for line in lines - {""}:
                    raw = (row.get(line) or "").strip().replace(",", "")
                    try:  # suppressed values are '...' (or the single character '\u2026')
                        out[code][line] = D(raw) if raw not in ("", "...", "\u2026") else None
                    except ArithmeticError:
                        out[code][line] = None
    return out


def rs_value(rs: dict, code: str, line: str) -> Decimal:
    """RS line for one council in pounds; a suppressed value ('...') falls back
    to the median of the other councils used in the demo (none is suppressed
    in the 2017-18 file for the lines used, but the file does contain '...')."""
    v = rs.get(code, {}).get(line)
    if v is None:
        known = sorted(rs[c][line] for c in COUNCILS if c in rs and rs[c].get(line) is not None)
        v = known[len(known) // 2]
    return v * 1000


# --------------------------------------------------------------------------
# The register: partnerships, members, services, baselines and targets
# --------------------------------------------------------------------------
def cost_shares(rs: dict) -> dict[str, dict[str, Decimal]]:
    """partnership -> council -> cost share. A share given by an RS line is each
    council's share of that line, to two places, the last council taking the rest."""
    rows: dict[str, list[dict[str, str]]] = {}
    for row in read(PLAN, "members.csv"):
        rows.setdefault(row["partnership_code"], []).append(row)
    shares = {}
    for pc, members in rows.items():
        if members[0]["rs_line"]:
            vals = {m["council"]: rs_value(rs, m["council"], m["rs_line"]) for m in members}
            total = sum(vals.values())
            share = {m["council"]: q2(vals[m["council"]] / total) for m in members[:-1]}
            share[members[-1]["council"]] = D(1) - sum(share.values())
        else:
            share = {m["council"]: D(m["cost_share"]) for m in members}
        assert sum(share.values()) == 1, pc
        shares[pc] = share
    return shares


def build_register(rs: dict) -> dict:
    shares = cost_shares(rs)
    services = read(PROSE, "services.csv")
    partnership = {s["service_code"]: s["partnership_code"] for s in services}
    whole = {d["service_code"] for d in read(PLAN, "delivery.csv") if d["returns_basis"] != "own"}

    base: dict[tuple[str, str], tuple[Decimal, Decimal, str]] = {}  # (service, council)
    for row in read(PLAN, "baselines.csv"):
        svc, c, line = row["service_code"], row["council"], row["rs_line"]
        if row["estimate"]:
            cost, source = D(row["estimate"]), ESTIMATE
        else:
            pct = row["in_scope"].rstrip("%")
            source = RS_SOURCE.format(line=line.split(":")[0], pct=pct)
            if svc in whole:  # one baseline for the service, shared out by cost share
                share = shares[partnership[svc]]
                combined = sum(rs_value(rs, m, line) for m in share) * (D(pct) / 100) * UPLIFT
                cost, source = q2(round_to(combined, D(1000)) * share[c]), source + COMBINED
            else:
                cost = round_to(rs_value(rs, c, line) * (D(pct) / 100) * UPLIFT, HUNDRED)
        base[(svc, c)] = (cost, tenth(cost / D(row["cost_per_fte"])), source)

    # A share of the baseline ("5%") is set for each council, or for every council
    # with a baseline; pounds with no council are set for the service and shared out.
    targets: dict[tuple[str, str, str], tuple[Decimal, Decimal | None]] = {}
    for row in read(PLAN, "targets.csv"):
        svc, c = row["service_code"], row["council"]
        for fy in YEARS:
            amount, budget = row[fy], row[f"one_off_budget {fy}"]
            if c:
                cells = [(c, D(1))]
            elif amount.endswith("%"):
                cells = [(cc, D(1)) for (s, cc) in base if s == svc]
            else:
                cells = list(shares[partnership[svc]].items())
            for cc, share in cells:
                if amount.endswith("%"):
                    target = round_to(base[(svc, cc)][0] * (D(amount[:-1]) / 100), HUNDRED)
                else:
                    target = q2(D(amount) * share)
                targets[(svc, cc, fy)] = (target, q2(D(budget) * share) if budget else None)
    for c in shares["NNL-HUB"]:  # each council's hub targets: 0.5m-0.75m a year (seed 002)
        for fy in YEARS:
            total = sum(
                t
                for (s, cc, y), (t, _) in targets.items()
                if (cc, y) == (c, fy) and s[:4] == "HUB-"
            )
            assert D("500000") <= total <= D("750000"), (c, fy, total)

    services_at = {s["service_code"]: i for i, s in enumerate(services)}
    councils_at = {c: i for i, c in enumerate(COUNCILS)}
    order = lambda key: (services_at[key[0]], councils_at[key[1]], *key[2:])  # noqa: E731
    from_year = {row["partnership_code"]: row["from_year"] for row in read(PLAN, "members.csv")}
    return {
        "shares": shares,
        "partnership": partnership,
        "baselines": base,
        "targets": targets,
        "tables": {
            "partnerships": read(PROSE, "partnerships.csv"),
            "members": [
                {"partnership_code": pc, "council": c, "cost_share": s}
                | {"from_year": from_year[pc], "to_year": ""}
                for pc, share in shares.items()
                for c, s in share.items()
            ],
            "services": services,
            "baselines": [
                {
                    "service_code": s,
                    "council": c,
                    "baseline_year": "2013/14",
                    "annual_cost": money(cost),
                }
                | {"fte": f"{fte:.1f}", "source": source}
                for (s, c), (cost, fte, source) in sorted(base.items(), key=lambda kv: order(kv[0]))
            ],
            "targets": [
                {"service_code": s, "council": c, "financial_year": fy}
                | {"target_saving": money(t), "one_off_budget": money(b)}
                for (s, c, fy), (t, b) in sorted(targets.items(), key=lambda kv: order(kv[0]))
            ],
        },
    }


# --------------------------------------------------------------------------
# Quarterly returns
# --------------------------------------------------------------------------
def build_returns(reg: dict, rng: random.Random) -> list[dict]:
    """One row per (service, council, quarter) that gets a return, as it should finally
    stand. Each evidenced saving is target x the plan's multiplier for the quarter x
    the council's lean x (1 +/- up to 5% noise); docs/demo-data.md has the claim styles."""
    base, tgt = reg["baselines"], reg["targets"]
    submitters: dict[str, list[dict[str, str]]] = {}
    for sub in read(PLAN, "submitters.csv"):
        submitters.setdefault(sub["service_code"], []).append(sub)
    one_off = {
        (r["service_code"], r["council"], f"{r['financial_year']} {r['quarter']}"): D(
            r["one_off_cost"]
        )
        for r in read(PLAN, "one_off_costs.csv")
    }
    rows: list[dict] = []
    for plan in read(PLAN, "delivery.csv"):
        svc, basis = plan["service_code"], plan["returns_basis"]
        members = list(reg["shares"][reg["partnership"][svc]])
        corrected = plan["claims_match_evidence_from"]
        ytd: dict[str, Decimal] = {}
        for qi, quarter in enumerate(QUARTERS):
            m = plan[quarter]
            if not m:
                continue  # no return expected
            fy, q = quarter.split()
            if basis == "whole_service":
                sub = submitters[svc][0]
                cells = [
                    (
                        sub,
                        sum(base[(svc, c)][0] for c in members) / 4,
                        sum(tgt[(svc, c, fy)][0] for c in members) / 4,
                        sum(base[(svc, c)][1] for c in members),
                    )
                ]
            else:
                cells = [
                    (sub, base[(svc, sub["council"])][0] / 4, tgt[(svc, sub["council"], fy)][0] / 4)
                    + (base[(svc, sub["council"])][1],)
                    for sub in submitters[svc]
                ]
            for sub, base_q, target_q, base_fte in cells:
                c, lean = sub["council"], sub["lean"] or "1.0"
                n = D(1000 + rng.randint(-50, 50)) / 1000  # drawn even for a missing return
                if sub["missing"] == quarter:
                    continue
                ev = q2(target_q * D(m) * D(lean) * n)
                actual = q2(base_q - ev)
                ytd[c] = (ytd.get(c, D(0)) if q != "Q1" else D(0)) + ev
                extra = D(1000 + rng.randint(0, 40)) / 1000
                style = sub["claims"] or plan["claims"]
                if corrected and qi >= QUARTERS.index(corrected):
                    style = "match"
                if style in ("blank", "none"):
                    claimed = None
                elif style == "target":
                    claimed = q2(target_q * D(1000 + rng.randint(-30, 30)) / 1000)
                elif style == "gross":
                    claimed = q2(ev * D(1450 + rng.randint(0, 150)) / 1000)
                elif style == "mixed":
                    claimed = q2(ev * D(1400 + rng.randint(0, 300)) / 1000)
                else:
                    claimed = q2(ev * extra)
                # the full year's forecast: optimists forecast the target, others
                # extrapolate the year so far; "none" leaves it blank too
                optimist = style in ("target", "gross", "mixed")
                if style == "none":
                    forecast = None
                elif optimist:
                    forecast = round_to(target_q * 4, HUNDRED)
                else:
                    forecast = round_to(ytd[c] * 4 / int(q[1]), HUNDRED)
                pool = NOTES[("quarter", svc)] + (
                    NOTES.get(("optimist", svc), []) if optimist else []
                )
                pick = rng.randint(0, len(pool) + 2)
                note = pool[pick] if pick < len(pool) else ""
                if quarter == corrected:
                    note = NOTES[("claims_corrected", svc)][0]
                if qi > 0 and sub["missing"] == QUARTERS[qi - 1]:
                    note = NOTES[("after_missing", "")][0]
                if one_off.get((svc, c, quarter)):
                    note = NOTES[("one_off", svc)][0]
                confidence = float(m) * float(lean)
                level = (2 if confidence >= 1.0 else 1 if confidence >= 0.8 else 0) + optimist
                rows.append(
                    {"council": c, "service_code": svc, "financial_year": fy, "quarter": q}
                    | {"actual_cost": money(actual), "claimed_saving": money(claimed)}
                    | {"one_off_cost": money(one_off.get((svc, c, quarter), D(0)))}
                    | {"fte": f"{tenth(base_fte * actual / base_q):.1f}"}
                    | {"forecast_year_saving": money(forecast), "cost_basis": basis}
                    | {"confidence": ("low", "medium", "high")[min(2, level)], "commentary": note}
                )
    return rows


def received(day: date, rng: random.Random) -> datetime:
    day = weekday(day)
    return datetime(day.year, day.month, day.day, 8 + rng.randint(0, 8), rng.randint(0, 11) * 5)


def quarter_end(fy: str, q: str) -> date:
    y = int(fy[:4])
    return {"Q1": date(y, 6, 30), "Q2": date(y, 9, 30), "Q3": date(y, 12, 31)}.get(
        q, date(y + 1, 3, 31)
    )


def submissions(returns: list[dict], rng: random.Random) -> list[tuple[datetime, str, str, list]]:
    """One file per council per half-year, received after the half-year ends (H1 in
    October/November, H2 in April/May), and North East Lincolnshire's corrected file."""
    out = []
    for yi, fy in enumerate(YEARS):
        for half, qs, first_day in (
            ("H1", ("Q1", "Q2"), date(2014 + yi, 10, 13)),
            ("H2", ("Q3", "Q4"), date(2015 + yi, 4, 20)),
        ):
            for ci, c in enumerate(COUNCILS):
                rows = [
                    r
                    for r in returns
                    if (r["council"], r["financial_year"]) == (c, fy) and r["quarter"] in qs
                ]
                if not rows:
                    continue
                when = received(first_day + timedelta(days=(ci * 3 + rng.randint(0, 6)) % 35), rng)
                rows.sort(key=lambda r: (r["service_code"], r["quarter"]))
                name = f"returns_{fy.replace('/', '-')}_{half}_{COUNCILS[c]['file_name']}"
                if (c, fy, half) == RESUBMITTED:
                    # legal Q2's actual cost keyed in GBP thousand, HR Q1's claim for the full year
                    note = NOTES[("resubmission", "")][0].format(sent=when.strftime("%d/%m/%Y"))
                    fixed = []
                    for r in rows:
                        key = (r["service_code"], r["quarter"])
                        if key in (("HUB-LEG", "Q2"), ("HUB-HR", "Q1")):
                            fixed.append(r | {"commentary": note})
                        if key == ("HUB-LEG", "Q2"):
                            r["actual_cost"] = money(D(r["actual_cost"]) / 1000)
                        if key == ("HUB-HR", "Q1"):
                            r["claimed_saving"] = money(D(r["claimed_saving"]) * 4)
                    fixed_when = received(when.date() + timedelta(days=23), rng)
                    out.append((fixed_when, f"{name}_corrected.csv", c, fixed))
                out.append((when, f"{name}.csv", c, rows))
    return sorted(out, key=lambda s: (s[0], s[1]))


# --------------------------------------------------------------------------
# Taking Stock survey
# --------------------------------------------------------------------------
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


def build_survey(rng: random.Random) -> dict[str, list[dict]]:
    """wave -> survey rows. A programme-wide row takes its group's responses, less a
    few who skip the question; a row about one service gives its own."""
    patterns = read(PLAN, "survey_patterns.csv")  # % of each answer, by pattern number
    answers = [a for a in patterns[0] if a != "pattern"]
    groups = {row["group"]: row for row in read(PLAN, "survey_groups.csv")}
    by_wave: dict[str, list[dict]] = {}
    for wave in WAVES:
        by_wave[wave] = []
        for row in read(PLAN, "survey_plan.csv"):
            if not row[f"pattern {wave}"]:
                continue
            n = int(row[f"responses {wave}"] or groups[row["group"]][f"responses {wave}"])
            if not row["service_code"] and n >= 20:
                n -= rng.randint(0, 4)
            pct = patterns[int(row[f"pattern {wave}"])]
            split = counts(n, [int(pct[a]) for a in answers], rng)
            fields = {k: row[k] for k in ("group", "statement", "service_code")}
            by_wave[wave].append({"wave": wave, **fields, **dict(zip(answers, split, strict=True))})
    return by_wave


# --------------------------------------------------------------------------
# Writing
# --------------------------------------------------------------------------
def to_csv(kind: str, rows: list[dict]) -> bytes:
    """The contract's columns that the demo fills, in the contract's order."""
    header = [c for c in KINDS[kind].header() if c in rows[0]] if kind in KINDS else list(rows[0])
    assert kind not in KINDS or set(KINDS[kind].required_columns) <= set(header), kind
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(header)
    w.writerows([str(row.get(k, "")) for k in header] for row in rows)
    return buf.getvalue().encode("utf-8")


def certifications(manifest: list[dict]) -> list[dict]:
    """Each council's finance lead (its section 151 officer's delegate) certifies its
    returns six days after they arrive, at 10:00; the latest few still await them."""
    returns = [entry for entry in manifest if entry["kind"] == "returns"]
    out = []
    for entry in returns[: len(returns) - AWAITING]:
        day = weekday(
            datetime.strptime(entry["received_at"], "%Y-%m-%dT%H:%M:%SZ").date() + timedelta(days=6)
        )
        domain = entry["received_by"].split("@", 1)[1]
        out.append(
            {"file": entry["file"], "decision": "certified", "decided_at": f"{day}T10:00:00Z"}
            | {"decided_by": f"finance.lead@{domain}", "reason": ""}
        )
    return out


def build() -> dict[str, bytes]:
    rng = random.Random(SEED)
    reg = build_register(read_rs(RS_PATH))
    returns = build_returns(reg, rng)
    sent = submissions(returns, rng)
    survey = build_survey(rng)
    comments = read(PROSE, "survey_comments.csv")
    files: dict[str, bytes] = {}
    manifest: list[dict] = []

    def add(name: str, kind: str, rows: list[dict], when: str, by: str, council: str = "") -> None:
        files[name] = to_csv(kind, rows)
        manifest.append(
            {"file": name, "kind": kind, "received_at": when, "received_by": by, "council": council}
        )

    # the register first, then the returns in the order they arrived, then Taking Stock
    plan = read(PLAN, "received.csv")
    for entry in plan:
        if entry["kind"] not in ("survey", "comments"):
            add(
                entry["file"],
                entry["kind"],
                reg["tables"][entry["kind"]],
                entry["received_at"],
                entry["received_by"],
            )
    for when, name, c, rows in sent:
        assert all(when.date() > quarter_end(r["financial_year"], r["quarter"]) for r in rows), name
        add(name, "returns", rows, iso(when), COUNCILS[c]["returns_sent_by"], c)
    for entry in plan:
        if entry["kind"] in ("survey", "comments"):
            wave = entry["wave"]
            rows = (
                survey[wave]
                if entry["kind"] == "survey"
                else [r for r in comments if r["wave"] == wave]
            )
            add(entry["file"], entry["kind"], rows, entry["received_at"], entry["received_by"])
    files["manifest.csv"] = to_csv("manifest", manifest)
    files["certifications.csv"] = to_csv("certifications", certifications(manifest))
    return files


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", type=Path, default=OUT_DIR, help="output folder (default data/demo)")
    ap.add_argument(
        "--check", action="store_true", help="compare with the files on disk instead of writing"
    )
    args = ap.parse_args(argv)
    if not RS_PATH.is_file():
        print(f"cannot find the revenue outturn file: {RS_PATH}", file=sys.stderr)
        return 2
    files = build()
    if args.check:
        bad = [
            n
            for n, b in files.items()
            if not (args.out / n).is_file() or (args.out / n).read_bytes() != b
        ]
        for n in bad:
            print(f"differs: {args.out / n}")
        print(
            "demo data up to date"
            if not bad
            else f"{len(bad)} file(s) differ: run python scripts/build_demo.py"
        )
        return 1 if bad else 0
    args.out.mkdir(parents=True, exist_ok=True)
    for name, data in files.items():
        (args.out / name).write_bytes(data)
    print(f"wrote {len(files)} files to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
