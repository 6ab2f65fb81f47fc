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
committed files byte for byte.

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
the RS return, which covers England only. Their baselines below are plausible
ESTIMATES, sized by population against typical in-scope costs of shared
education and social work management and support; they are not taken from
any published return.
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
# the demo's words and register, written for it, as CSV files this script reads
PROSE = Path(__file__).resolve().parent / "demo_prose"

SEED = 20140401
D = Decimal
PENNY = D("0.01")
HUNDRED = D("100")
UPLIFT = D("1.10")  # 2017-18 net spend back-cast to a 2013/14 baseline (assumption)

YEARS = ["2014/15", "2015/16", "2016/17"]
QUARTERS = [(fy, q) for fy in YEARS for q in ("Q1", "Q2", "Q3", "Q4")]  # index 0..11

# --------------------------------------------------------------------------
# Councils (real GSS codes from shared/data/uk_local_authorities)
# code: (short name, file slug, officer who sends the returns)
# The officer user names are invented.
# --------------------------------------------------------------------------
COUNCILS = {
    "E10000019": ("Lincolnshire", "lincolnshire", "r.bennett@lincolnshire.gov.uk"),
    "E07000136": ("Boston", "boston", "k.lowe@boston.gov.uk"),
    "E07000137": ("East Lindsey", "east-lindsey", "d.hartley@e-lindsey.gov.uk"),
    "E07000138": ("City of Lincoln", "lincoln", "s.akhtar@lincoln.gov.uk"),
    "E07000139": ("North Kesteven", "north-kesteven", "m.dunmore@n-kesteven.gov.uk"),
    "E07000140": ("South Holland", "south-holland", "j.fenwick@sholland.gov.uk"),
    "E07000141": ("South Kesteven", "south-kesteven", "a.rowe@southkesteven.gov.uk"),
    "E07000142": ("West Lindsey", "west-lindsey", "t.grant@west-lindsey.gov.uk"),
    "E06000013": ("North Lincolnshire", "north-lincolnshire", "h.wilkinson@northlincs.gov.uk"),
    "E06000012": ("North East Lincolnshire", "north-east-lincolnshire", "j.smith@nelincs.gov.uk"),
    "S12000005": ("Clackmannanshire", "clackmannanshire", "f.mcintyre@clacks.gov.uk"),
    "S12000030": ("Stirling", "stirling", "r.campbell@stirling.gov.uk"),
    "E07000239": ("Wyre Forest", "wyre-forest", "p.davies@wyreforestdc.gov.uk"),
    "E07000234": ("Bromsgrove", "bromsgrove", "n.price@bromsgroveandredditch.gov.uk"),
    "E07000237": ("Worcester", "worcester", "e.morgan@worcester.gov.uk"),
}
REGISTER_USER = "g.holt@lincolnshire.gov.uk"  # programme office administrator
SURVEY_USER = "a.mcleod@stirling.gov.uk"  # Taking Stock evaluation officer

LINCS = "E10000019"
LINCS_DISTRICTS = [
    "E07000136",
    "E07000137",
    "E07000138",
    "E07000139",
    "E07000140",
    "E07000141",
    "E07000142",
]
NL, NEL = "E06000013", "E06000012"
CLACKS, STIRLING = "S12000005", "S12000030"
WYRE, BROMS, WORC = "E07000239", "E07000234", "E07000237"

LINE_CENTRAL = "690: Central services"
LINE_ENV = "590: Environmental and regulatory services"


def read_prose(name: str) -> list[dict[str, str]]:
    with open(PROSE / name, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def q2(x: Decimal) -> Decimal:
    return x.quantize(PENNY, rounding=ROUND_HALF_UP)


def round_to(x: Decimal, step: Decimal) -> Decimal:
    return ((x / step).quantize(D(1), rounding=ROUND_HALF_UP) * step).quantize(PENNY)


def money(x: Decimal | None) -> str:
    return "" if x is None else f"{q2(x):.2f}"


# --------------------------------------------------------------------------
# Revenue outturn
# --------------------------------------------------------------------------
def read_rs(path: Path) -> dict[str, dict[str, Decimal | None]]:
    """ONS code -> {RS line: value in GBP thousand, or None when suppressed}."""
    out: dict[str, dict[str, Decimal | None]] = {}
    with path.open(encoding="utf-8-sig", newline="") as fh:
        for row in csv.DictReader(fh):
            code = (row.get("ONS Code") or "").strip()
            if not code:
                continue
            vals: dict[str, Decimal | None] = {}
            for line in (LINE_CENTRAL, LINE_ENV):
                raw = (row.get(line) or "").strip().replace(",", "")
                try:  # suppressed values are '...' (or the single character '\u2026')
                    vals[line] = D(raw) if raw not in ("", "...", "\u2026") else None
                except ArithmeticError:
                    vals[line] = None
            out[code] = vals
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


def baseline_from_rs(rs: dict, code: str, line: str, fraction: str) -> Decimal:
    return round_to(rs_value(rs, code, line) * D(fraction) * UPLIFT, HUNDRED)


# --------------------------------------------------------------------------
# The programme
# --------------------------------------------------------------------------
def build_register(rs: dict) -> dict:
    """Partnerships, members, services, baselines and targets as plain data."""
    partnerships = read_prose("partnerships.csv")

    # Cost shares. LSSP: an agreed 30% county / 10% per district split.
    # NNL-HUB and WF-CCTV: each council's share of the RS line the service is
    # drawn from, rounded to 2 decimal places (the last share takes the rest).
    # CLACKS-STIRLING: population split (estimate). WF-AUDIT: equal.
    def ratio_shares(codes: list[str], line: str) -> dict[str, Decimal]:
        vals = {c: rs_value(rs, c, line) for c in codes}
        total = sum(vals.values())
        shares = {c: (vals[c] / total).quantize(PENNY, rounding=ROUND_HALF_UP) for c in codes[:-1]}
        shares[codes[-1]] = D(1) - sum(shares.values())
        return shares

    hub_share = ratio_shares([NL, NEL], LINE_CENTRAL)
    cctv_share = ratio_shares([WYRE, BROMS], LINE_ENV)
    shares = {
        "LSSP": {LINCS: D("0.30"), **{c: D("0.10") for c in LINCS_DISTRICTS}},
        "NNL-HUB": hub_share,
        "CLACKS-STIRLING": {CLACKS: D("0.35"), STIRLING: D("0.65")},
        "WF-CCTV": cctv_share,
        "WF-AUDIT": {WYRE: D("0.50"), WORC: D("0.50")},
    }
    from_year = {
        "LSSP": "2013/14",
        "NNL-HUB": "2014/15",
        "CLACKS-STIRLING": "2011/12",
        "WF-CCTV": "2013/14",
        "WF-AUDIT": "2013/14",
    }
    members = []
    for pc, sh in shares.items():
        assert sum(sh.values()) == 1, pc
        for c, s in sh.items():
            members.append(
                {
                    "partnership_code": pc,
                    "council": c,
                    "cost_share": s,
                    "from_year": from_year[pc],
                    "to_year": "",
                }
            )

    # code, partnership, name, area, stage, lead, go_live
    services = [tuple(row.values()) for row in read_prose("services.csv")]

    # Baselines: (service, council) -> (annual_cost, fte, source)
    baselines: dict[tuple[str, str], tuple[Decimal, Decimal, str]] = {}
    cost_per_fte = {
        "LSSP-TRN": 38000,
        "LSSP-PROC": 42000,
        "LSSP-AUD": 45000,
        "HUB-HR": 38000,
        "HUB-FIN": 40000,
        "HUB-ICT": 46000,
        "HUB-LEG": 52000,
        "CS-EDU": 48000,
        "CS-SOC": 44000,
        "WF-CCTV": 31000,
        "WF-CAUD": 50000,
    }

    def put(svc: str, c: str, cost: Decimal, source: str) -> None:
        fte = (cost / D(cost_per_fte[svc])).quantize(D("0.1"), rounding=ROUND_HALF_UP)
        baselines[(svc, c)] = (cost, fte, source)

    rs_src = (
        "MHCLG Revenue Outturn 2017-18 (OGL v3), line {line}, {pct}% in scope, x1.10 to "
        "2013/14; illustrative"
    )
    # Own-cost services: each council's own share of its RS line.
    own_specs = [
        ("LSSP-TRN", [LINCS, *LINCS_DISTRICTS], LINE_CENTRAL, "0.03"),
        ("LSSP-PROC", [LINCS, *LINCS_DISTRICTS], LINE_CENTRAL, "0.07"),
        (
            "LSSP-AUD",
            [LINCS, "E07000138", "E07000139", "E07000141", "E07000142"],
            LINE_CENTRAL,
            "0.05",
        ),
        ("HUB-HR", [NL, NEL], LINE_CENTRAL, "0.14"),
        ("HUB-FIN", [NL, NEL], LINE_CENTRAL, "0.20"),
        ("HUB-LEG", [NL, NEL], LINE_CENTRAL, "0.09"),
        ("WF-CAUD", [WYRE, WORC], LINE_CENTRAL, "0.02"),
    ]
    for svc, codes, line, frac in own_specs:
        for c in codes:
            src = rs_src.format(line=line.split(":")[0], pct=int(D(frac) * 100))
            put(svc, c, baseline_from_rs(rs, c, line, frac), src)
    # Whole-service services: one combined baseline for the partnership,
    # apportioned by cost share (so each council's share of a whole-service
    # return lines up with its own baseline).
    for svc, pc, line, frac in (
        ("HUB-ICT", "NNL-HUB", LINE_CENTRAL, "0.22"),
        ("WF-CCTV", "WF-CCTV", LINE_ENV, "0.12"),
    ):
        codes = list(shares[pc])
        combined = sum(rs_value(rs, c, line) for c in codes) * D(frac) * UPLIFT
        combined = round_to(combined, D(1000))
        for c in codes:
            src = (
                rs_src.format(line=line.split(":")[0], pct=int(D(frac) * 100))
                + "; combined baseline apportioned by cost share"
            )
            put(svc, c, q2(combined * shares[pc][c]), src)
    # Scottish councils: ESTIMATES (not in the English RS return).
    est = "Estimate: not in the English RS return; sized by population; illustrative"
    put("CS-EDU", STIRLING, D("9640000"), est)
    put("CS-EDU", CLACKS, D("5260000"), est)
    put("CS-SOC", STIRLING, D("7380000"), est)
    put("CS-SOC", CLACKS, D("4870000"), est)

    # Targets: (service, council, year) -> (target_saving, one_off_budget or None)
    targets: dict[tuple[str, str, str], tuple[Decimal, Decimal | None]] = {}

    def pct_targets(svc: str, pcts: list[str]) -> None:
        for (s, c), (cost, _, _) in baselines.items():
            if s == svc:
                for fy, p in zip(YEARS, pcts, strict=True):
                    targets[(svc, c, fy)] = (round_to(cost * D(p), HUNDRED), None)

    pct_targets("LSSP-TRN", ["0", "0", "0.10"])  # OBC: savings planned from 2016/17
    pct_targets("LSSP-PROC", ["0.05", "0.09", "0.12"])
    pct_targets("LSSP-AUD", ["0", "0.08", "0.12"])  # goes live 2015/16
    pct_targets("WF-CAUD", ["0.06", "0.08", "0.10"])
    targets[("LSSP-PROC", LINCS, "2014/15")] = (
        targets[("LSSP-PROC", LINCS, "2014/15")][0],
        D("50000"),
    )

    # Hub: each council's four targets add up to 0.5m-0.75m a year (seed 002).
    hub = {
        ("HUB-HR", NL): ["130000", "160000", "190000"],
        ("HUB-FIN", NL): ["180000", "220000", "250000"],
        ("HUB-LEG", NL): ["91600", "126800", "152000"],
        ("HUB-HR", NEL): ["100000", "130000", "150000"],
        ("HUB-FIN", NEL): ["130000", "160000", "190000"],
        ("HUB-LEG", NEL): ["78400", "103200", "128000"],
    }
    for (svc, c), vals in hub.items():
        for fy, v in zip(YEARS, vals, strict=True):
            targets[(svc, c, fy)] = (D(v), None)
    # Whole-service targets are set for the service and apportioned by share.
    whole_targets = {
        "HUB-ICT": (["320000", "360000", "400000"], D("350000")),
        "WF-CCTV": (["58000", "80000", "88000"], D("120000")),
    }
    for svc, (vals, one_off) in whole_targets.items():
        pc = next(s[1] for s in services if s[0] == svc)
        for c, share in shares[pc].items():
            for i, (fy, v) in enumerate(zip(YEARS, vals, strict=True)):
                targets[(svc, c, fy)] = (q2(D(v) * share), q2(one_off * share) if i == 0 else None)
    cs = {
        ("CS-EDU", STIRLING): (["250000", "400000", "500000"], ["300000", None, None]),
        ("CS-EDU", CLACKS): (["140000", "220000", "280000"], ["100000", None, None]),
        ("CS-SOC", CLACKS): (["150000", "280000", "350000"], [None, "450000", None]),
        ("CS-SOC", STIRLING): (["220000", "400000", "500000"], [None, "250000", None]),
    }
    for (svc, c), (vals, budgets) in cs.items():
        for fy, v, b in zip(YEARS, vals, budgets, strict=True):
            targets[(svc, c, fy)] = (D(v), D(b) if b else None)

    for c in (NL, NEL):
        for fy in YEARS:
            total = sum(
                t
                for (s, cc, y), (t, _) in targets.items()
                if cc == c and y == fy and s.startswith("HUB-")
            )
            assert D("500000") <= total <= D("750000"), (c, fy, total)

    return {
        "partnerships": partnerships,
        "shares": shares,
        "members": members,
        "services": services,
        "baselines": baselines,
        "targets": targets,
    }


# --------------------------------------------------------------------------
# Quarterly returns
# --------------------------------------------------------------------------
# Delivery against target, quarter by quarter (index 0 = 2014/15 Q1 ...
# 11 = 2016/17 Q4); None = no return expected. Each cell's evidenced saving is
# target_q x multiplier x (1 +/- up to 5% noise).
PLAN: dict[str, tuple[str, list[str], list[float | None], str]] = {
    # service: (basis, submitting councils, multipliers, claim style)
    "LSSP-PROC": (
        "own",
        [LINCS, *LINCS_DISTRICTS],
        [0.85, 1.0, 1.1, 1.2, 1.05, 1.1, 1.15, 1.2, 1.1, 1.15, 1.2, 1.25],
        "match",
    ),
    "LSSP-AUD": (
        "own",
        [LINCS, "E07000138", "E07000139", "E07000141", "E07000142"],
        [None] * 4 + [0.65, 0.75, 0.85, 0.9, 0.85, 0.9, 0.95, 0.95],
        "mixed",
    ),
    "HUB-HR": (
        "own",
        [NL, NEL],
        [0.55, 0.7, 0.8, 0.9, 0.85, 0.9, 0.9, 0.95, 0.85, 0.9, 0.95, 0.95],
        "gross",
    ),
    "HUB-FIN": (
        "own",
        [NL, NEL],
        [0.9, 1.0, 1.05, 1.1, 1.05, 1.1, 1.1, 1.15, 1.1, 1.1, 1.15, 1.15],
        "match",
    ),
    "HUB-ICT": (
        "whole_service",
        [NEL],
        [0.6, 0.9, 1.1, 1.2, 1.1, 1.15, 1.2, 1.2, 1.1, 1.15, 1.2, 1.2],
        "match",
    ),
    "HUB-LEG": (
        "own",
        [NL, NEL],
        [0.3, 0.4, 0.5, 0.55, 0.5, 0.55, 0.6, 0.6, 0.55, 0.6, 0.65, 0.65],
        "target",
    ),
    "CS-EDU": (
        "own",
        [STIRLING, CLACKS],
        [0.8, 0.95, 1.05, 1.1, 1.05, 1.1, 1.1, 1.15, 1.1, 1.1, 1.15, 1.2],
        "match",
    ),
    "CS-SOC": (
        "own",
        [CLACKS, STIRLING],
        [0.3, 0.4, 0.5, 0.5, 0.6, 0.6, 0.65, 0.65, 0.7, 0.7, 0.7, 0.75],
        "target",
    ),
    "WF-CCTV": (
        "whole_service",
        [BROMS],
        [1.0, 1.05, 1.1, 1.1, 1.1, 1.1, 1.15, 1.15, 1.1, 1.1, 1.15, 1.15],
        "blank",
    ),
    "WF-CAUD": (
        "own",
        [WORC, WYRE],
        [0.7, 0.8, 0.85, 0.9, 0.85, 0.9, 0.9, 0.95, 0.9, 0.9, 0.95, 0.95],
        "match",
    ),
}
# Councils that lean a little above or below their service's path.
BIAS = {
    ("LSSP-PROC", "E07000137"): 0.9,
    ("LSSP-PROC", "E07000138"): 1.1,
    ("LSSP-PROC", LINCS): 1.05,
    ("LSSP-AUD", "E07000142"): 0.85,
    ("HUB-HR", NEL): 0.95,
    ("CS-SOC", STIRLING): 0.95,
}
# Councils that leave claimed_saving blank on an otherwise "match" service.
NO_CLAIM = {("LSSP-PROC", "E07000136"), ("LSSP-PROC", "E07000140"), ("WF-CAUD", WYRE)}
# Claims well above the evidence: "target" services claim the business-case
# figure whatever happened; "gross"/"mixed" services claim 1.4-1.7 x the
# evidence for the councils listed here. Clackmannanshire claims honestly on
# social services while Stirling claims the target. Legal services stop
# claiming the business-case figure from 2016/17 Q1 (quarter index 8), after
# the board challenged the gap.
OVERCLAIM = {("LSSP-AUD", "E07000142"), ("HUB-HR", NEL)}
CLAIM_STYLE = {("CS-SOC", CLACKS): "match"}
CLAIMS_CORRECTED_FROM = {"HUB-LEG": 8}
# Missing returns: a council with a target sends nothing for that quarter.
MISSING = {("LSSP-PROC", "E07000137", 6), ("WF-CAUD", WORC, 2)}
# One-off implementation costs: (service, council, quarter index) -> pounds.
ONE_OFF = {
    ("LSSP-PROC", LINCS, 0): "45000",  # e-tendering portal
    ("HUB-ICT", NEL, 0): "200000",  # whole-service: shared out by cost share
    ("HUB-ICT", NEL, 1): "150000",
    ("CS-EDU", STIRLING, 0): "180000",  # single management information system
    ("CS-EDU", STIRLING, 1): "110000",
    ("CS-EDU", CLACKS, 0): "60000",
    ("CS-EDU", CLACKS, 1): "50000",
    ("CS-SOC", CLACKS, 4): "240000",  # TUPE transfer, legal and HR costs
    ("CS-SOC", CLACKS, 5): "190000",
    ("CS-SOC", STIRLING, 4): "130000",
    ("CS-SOC", STIRLING, 5): "110000",
    ("WF-CCTV", BROMS, 0): "120000",  # new fibre links and control-room kit
}


def commentary(use: str) -> dict[str, list[str]]:
    """Each service's commentary lines of one use (demo_prose/commentary.csv), in order:
    "quarter" (the usual notes), "optimist" (for claims ahead of the evidence) and
    "one_off" (the note beside a one-off cost)."""
    found: dict[str, list[str]] = {}
    for row in read_prose("commentary.csv"):
        if row["use"] == use:
            found.setdefault(row["service_code"], []).append(row["text"])
    return found


ONE_OFF_NOTE = {svc: texts[0] for svc, texts in commentary("one_off").items()}
OPTIMIST_NOTES = commentary("optimist")
COMMENTS = commentary("quarter")


def build_returns(reg: dict, rng: random.Random) -> list[dict]:
    """One row per (service, council, quarter) that gets a return; each row
    carries the values as they should finally stand."""
    base = reg["baselines"]
    tgt = reg["targets"]
    shares = reg["shares"]
    svc_pc = {s[0]: s[1] for s in reg["services"]}
    rows: list[dict] = []

    def noise() -> Decimal:
        return D(1000 + rng.randint(-50, 50)) / 1000

    def confidence(m: float, optimist: bool) -> str:
        level = 2 if m >= 1.0 else 1 if m >= 0.8 else 0
        if optimist:
            level = min(2, level + 1)  # over-confident
        return ("low", "medium", "high")[level]

    for svc, (basis, submitters, mults, svc_style) in PLAN.items():
        pc = svc_pc[svc]
        ytd: dict[str, Decimal] = {}
        for qi, (fy, q) in enumerate(QUARTERS):
            m = mults[qi]
            if m is None:
                continue
            if basis == "whole_service":
                members = list(shares[pc])
                base_q = sum(base[(svc, c)][0] for c in members) / 4
                target_q = sum(tgt[(svc, c, fy)][0] for c in members) / 4
                base_fte = sum(base[(svc, c)][1] for c in members)
                cells = [(submitters[0], base_q, target_q, base_fte, 1.0)]
            else:
                cells = [
                    (
                        c,
                        base[(svc, c)][0] / 4,
                        tgt[(svc, c, fy)][0] / 4,
                        base[(svc, c)][1],
                        BIAS.get((svc, c), 1.0),
                    )
                    for c in submitters
                ]
            for c, base_q, target_q, base_fte, bias in cells:
                n = noise()  # drawn even for a missing return, so the rest stay stable
                if (svc, c, qi) in MISSING:
                    continue
                ev = q2(target_q * D(str(m)) * D(str(bias)) * n)
                actual = q2(base_q - ev)
                key = (svc, c)
                if q == "Q1":
                    ytd[c] = D(0)
                ytd[c] = ytd.get(c, D(0)) + ev
                # claimed saving
                extra = D(1000 + rng.randint(0, 40)) / 1000
                style = CLAIM_STYLE.get(key, svc_style)
                if qi >= CLAIMS_CORRECTED_FROM.get(svc, len(QUARTERS)):
                    style = "match"
                if style == "blank" or (svc, c) in NO_CLAIM:
                    claimed = None
                elif style == "target":
                    claimed = q2(target_q * D(1000 + rng.randint(-30, 30)) / 1000)
                elif style == "gross" and key in OVERCLAIM:
                    claimed = q2(ev * D(1450 + rng.randint(0, 150)) / 1000)
                elif style == "mixed" and key in OVERCLAIM:
                    claimed = q2(ev * D(1400 + rng.randint(0, 300)) / 1000)
                else:
                    claimed = q2(ev * extra)
                one_off = D(ONE_OFF.get((svc, c, qi), "0"))
                fte = (base_fte * actual / base_q).quantize(D("0.1"), rounding=ROUND_HALF_UP)
                # forecast for the full year: optimists forecast the target,
                # others extrapolate the year so far; some leave it blank.
                year_target = target_q * 4
                qn = int(q[1])
                optimist = style == "target" or (key in OVERCLAIM and style in ("gross", "mixed"))
                if claimed is None and style != "blank":
                    forecast = None
                elif optimist:
                    forecast = round_to(year_target, HUNDRED)
                else:
                    forecast = round_to(ytd[c] * 4 / qn, HUNDRED)
                pool = COMMENTS[svc] + (OPTIMIST_NOTES.get(svc, []) if optimist else [])
                pick = rng.randint(0, len(pool) + 2)
                commentary = pool[pick] if pick < len(pool) else ""
                if qi == CLAIMS_CORRECTED_FROM.get(svc):
                    commentary = (
                        "From this year the claimed saving is the evidenced figure, "
                        "as the board asked."
                    )
                if (svc, c, qi) in {(k[0], k[1], k[2] + 1) for k in MISSING}:
                    commentary = (
                        "Last quarter's return was not sent because of staff "
                        "absence; this one is complete."
                    )
                if one_off:
                    commentary = ONE_OFF_NOTE[svc]
                rows.append(
                    {
                        "council": c,
                        "service_code": svc,
                        "financial_year": fy,
                        "quarter": q,
                        "qi": qi,
                        "actual_cost": actual,
                        "claimed_saving": claimed,
                        "one_off_cost": one_off,
                        "fte": fte,
                        "forecast_year_saving": forecast,
                        "confidence": confidence(m * bias, optimist),
                        "cost_basis": basis,
                        "commentary": commentary,
                    }
                )
    return rows


RETURN_COLUMNS = KINDS["returns"].header()


def return_record(r: dict) -> list[str]:
    return [
        r["council"],
        r["service_code"],
        r["financial_year"],
        r["quarter"],
        money(r["actual_cost"]),
        money(r["claimed_saving"]),
        money(r["one_off_cost"]),
        f"{r['fte']:.1f}",
        money(r["forecast_year_saving"]),
        r["confidence"],
        r["cost_basis"],
        r["commentary"],
    ]


def received(day: date, rng: random.Random) -> datetime:
    while day.weekday() >= 5:  # weekends -> Monday
        day += timedelta(days=1)
    return datetime(day.year, day.month, day.day, 8 + rng.randint(0, 8), rng.randint(0, 11) * 5)


def iso(dt: datetime) -> str:
    return dt.strftime("%Y-%m-%dT%H:%M:%SZ")


# --------------------------------------------------------------------------
# Taking Stock survey and comments
# --------------------------------------------------------------------------
GROUP_SIZE = {  # responses per wave (2013/14, 2014/15)
    "staff": (142, 168),
    "managers": (38, 44),
    "chief_officers": (12, 11),
    "trade_unions": (7, 9),  # the small group: fewer than 10 responses
    "elected_members": (24, 21),
}
# Answer patterns, from very negative (0) to very positive (7), as % of
# strongly_disagree, disagree, neutral, agree, strongly_agree.
PATTERNS = [
    [40, 35, 15, 8, 2],
    [25, 35, 20, 15, 5],
    [15, 30, 25, 22, 8],
    [10, 22, 28, 30, 10],
    [6, 16, 26, 38, 14],
    [4, 10, 20, 44, 22],
    [2, 6, 14, 46, 32],
    [1, 4, 10, 40, 45],
]
S_REASONS = "I understand the reasons for sharing services"
S_RESIDENTS = "Sharing has made services better for residents"
S_INFORMED = "I am kept well informed about the changes"
S_TERMS = "Differences in terms and conditions are slowing integration"
S_SAVINGS = "The savings reported match what I see in practice"
S_SECURE = "Staff feel secure about their future while services are being shared"
STATEMENTS = [S_REASONS, S_RESIDENTS, S_INFORMED, S_TERMS, S_SAVINGS, S_SECURE]
# (group, statement) -> pattern in wave 2013/14, pattern in wave 2014/15
SURVEY_PLAN = {
    "staff": {
        S_REASONS: (4, 5),
        S_RESIDENTS: (3, 3),
        S_INFORMED: (3, 2),
        S_TERMS: (5, 6),
        S_SAVINGS: (3, 2),
        S_SECURE: (3, 1),
    },
    "managers": {
        S_REASONS: (5, 6),
        S_RESIDENTS: (4, 4),
        S_INFORMED: (4, 3),
        S_TERMS: (6, 7),
        S_SAVINGS: (3, 3),
        S_SECURE: (3, 2),
    },
    "chief_officers": {
        S_REASONS: (7, 7),
        S_RESIDENTS: (5, 6),
        S_INFORMED: (6, 6),
        S_TERMS: (5, 6),
        S_SAVINGS: (5, 4),
        S_SECURE: (5, 5),
    },
    "trade_unions": {
        S_REASONS: (4, 5),
        S_RESIDENTS: (2, 2),
        S_INFORMED: (2, 0),
        S_TERMS: (6, 7),
        S_SAVINGS: (1, 0),
        S_SECURE: (1, 1),
    },
    "elected_members": {
        S_REASONS: (5, 6),
        S_RESIDENTS: (4, 5),
        S_INFORMED: (3, 3),
        S_TERMS: (4, 5),
        S_SAVINGS: (4, 2),
        S_SECURE: (4, 4),
    },
}
# One more statement is asked only about a named service, of the people who
# work in it, so these rows never add to the programme-wide ones.
S_THIS = "Sharing has made this service better for the people who use it"
# (wave index, group, statement, service, pattern, responses)
SURVEY_SERVICE_ROWS = [
    (0, "staff", S_THIS, "CS-EDU", 4, 61),
    (1, "staff", S_THIS, "CS-EDU", 5, 66),
    (0, "staff", S_THIS, "CS-SOC", 3, 54),
    (1, "staff", S_THIS, "CS-SOC", 2, 58),
    (0, "managers", S_THIS, "CS-SOC", 4, 14),
    (1, "managers", S_THIS, "CS-SOC", 2, 16),
    (1, "staff", S_THIS, "HUB-ICT", 5, 37),
    (1, "managers", S_THIS, "HUB-ICT", 6, 12),
]
WAVES = ["2013/14", "2014/15"]


def counts(n: int, pattern: int, rng: random.Random) -> list[int]:
    pct = PATTERNS[pattern]
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


def build_survey(rng: random.Random) -> dict[str, list[list[str]]]:
    by_wave: dict[str, list[list[str]]] = {w: [] for w in WAVES}
    for wi, wave in enumerate(WAVES):
        for group, plan in SURVEY_PLAN.items():
            size = GROUP_SIZE[group][wi]
            for st in STATEMENTS:
                n = size - (rng.randint(0, 4) if size >= 20 else 0)  # a few skip a question
                by_wave[wave].append([wave, group, st, "", *map(str, counts(n, plan[st][wi], rng))])
        for swi, group, st, svc, pattern, n in SURVEY_SERVICE_ROWS:
            if swi == wi:
                by_wave[wave].append([wave, group, st, svc, *map(str, counts(n, pattern, rng))])
    return by_wave


# (wave, group, theme, service_code, comment), from demo_prose/survey_comments.csv
COMMENT_ROWS = [
    (r["wave"], r["group"], r["theme"], r["service_code"], r["comment"])
    for r in read_prose("survey_comments.csv")
]


# --------------------------------------------------------------------------
# Writing
# --------------------------------------------------------------------------
def to_csv(header: list[str], rows: list[list[str]]) -> bytes:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(header)
    w.writerows(rows)
    return buf.getvalue().encode("utf-8")


def build() -> dict[str, bytes]:
    rng = random.Random(SEED)
    rs = read_rs(RS_PATH)
    reg = build_register(rs)
    files: dict[str, bytes] = {}
    manifest: list[list[str]] = []

    def add(
        name: str,
        kind: str,
        header: list[str],
        rows: list[list[str]],
        when: datetime,
        by: str,
        council: str = "",
    ) -> None:
        files[name] = to_csv(header, rows)
        manifest.append([name, kind, iso(when), by, council])

    service_index = {s[0]: i for i, s in enumerate(reg["services"])}
    council_index = {c: i for i, c in enumerate(COUNCILS)}

    def svc_order(key: tuple[str, str]) -> tuple[int, int]:
        return service_index[key[0]], council_index[key[1]]

    # Register, early 2014.
    columns = KINDS["partnerships"].header()
    add(
        "partnerships.csv",
        "partnerships",
        columns,
        [[p[k] for k in columns] for p in reg["partnerships"]],
        datetime(2014, 1, 20, 10, 0),
        REGISTER_USER,
    )
    add(
        "members.csv",
        "members",
        KINDS["members"].header(),
        [[str(m[k]) for k in KINDS["members"].header()] for m in reg["members"]],
        datetime(2014, 1, 20, 10, 15),
        REGISTER_USER,
    )
    add(
        "services.csv",
        "services",
        KINDS["services"].header(),
        [list(s) for s in reg["services"]],
        datetime(2014, 2, 3, 14, 0),
        REGISTER_USER,
    )
    add(
        "baselines.csv",
        "baselines",
        KINDS["baselines"].header(),
        [
            [s, c, "2013/14", money(cost), f"{fte:.1f}", src]
            for (s, c), (cost, fte, src) in sorted(
                reg["baselines"].items(), key=lambda kv: svc_order(kv[0])
            )
        ],
        datetime(2014, 2, 24, 11, 30),
        REGISTER_USER,
    )
    add(
        "targets.csv",
        "targets",
        KINDS["targets"].header(),
        [
            [s, c, fy, money(t), money(b)]
            for (s, c, fy), (t, b) in sorted(
                reg["targets"].items(), key=lambda kv: (*svc_order(kv[0][:2]), kv[0][2])
            )
        ],
        datetime(2014, 3, 17, 15, 0),
        REGISTER_USER,
    )

    # Quarterly returns: one file per council per half-year, received after
    # the half-year ends (H1 in October/November, H2 in April/May).
    returns = build_returns(reg, rng)
    order = list(COUNCILS)
    submissions: list[tuple[datetime, str, str, list[list[str]], str]] = []
    resub_rows: list[list[str]] = []
    resub_when: datetime | None = None
    for yi, fy in enumerate(YEARS):
        start_year = 2014 + yi
        for half, qs, first_day in (
            ("H1", ("Q1", "Q2"), date(start_year, 10, 13)),
            ("H2", ("Q3", "Q4"), date(start_year + 1, 4, 20)),
        ):
            for ci, c in enumerate(order):
                rows = [
                    r
                    for r in returns
                    if r["council"] == c and r["financial_year"] == fy and r["quarter"] in qs
                ]
                if not rows:
                    continue
                when = received(first_day + timedelta(days=(ci * 3 + rng.randint(0, 6)) % 35), rng)
                rows.sort(key=lambda r: (r["service_code"], r["qi"]))
                records = [return_record(r) for r in rows]
                if c == NEL and fy == "2015/16" and half == "H1":
                    # The resubmission story: North East Lincolnshire's first
                    # file had legal Q2 actual cost keyed in GBP thousand and
                    # the full-year HR claim in Q1; a corrected file follows.
                    for rec, r in zip(records, rows, strict=True):
                        if (r["service_code"], r["quarter"]) in (
                            ("HUB-LEG", "Q2"),
                            ("HUB-HR", "Q1"),
                        ):
                            resub = list(rec)
                            resub[11] = (
                                "Corrected return: replaces the figures sent on "
                                + when.strftime("%d/%m/%Y")
                                + "."
                            )
                            resub_rows.append(resub)
                        if (r["service_code"], r["quarter"]) == ("HUB-LEG", "Q2"):
                            rec[4] = money(q2(r["actual_cost"] / 1000))
                        if (r["service_code"], r["quarter"]) == ("HUB-HR", "Q1"):
                            rec[5] = money(r["claimed_saving"] * 4)
                    resub_when = received(when.date() + timedelta(days=23), rng)
                name = f"returns_{fy.replace('/', '-')}_{half}_{COUNCILS[c][1]}.csv"
                submissions.append((when, name, c, records, COUNCILS[c][2]))
    assert resub_when is not None
    submissions.append(
        (
            resub_when,
            "returns_2015-16_H1_north-east-lincolnshire_corrected.csv",
            NEL,
            resub_rows,
            COUNCILS[NEL][2],
        )
    )
    for when, name, c, records, by in sorted(submissions, key=lambda s: (s[0], s[1])):
        assert all(when.date() > QUARTER_END[(rec[2], rec[3])] for rec in records), name
        add(name, "returns", RETURN_COLUMNS, records, when, by, c)

    # Taking Stock survey and comments, one file each per wave.
    survey = build_survey(rng)
    header = KINDS["survey"].header()
    comment_header = KINDS["comments"].header()
    for wave, when in (
        ("2013/14", datetime(2014, 2, 12, 10, 0)),
        ("2014/15", datetime(2015, 2, 11, 10, 0)),
    ):
        slug = wave.replace("/", "-")
        add(f"survey_{slug}.csv", "survey", header, survey[wave], when, SURVEY_USER)
        add(
            f"comments_{slug}.csv",
            "comments",
            comment_header,
            [[w, g, t, text, s] for (w, g, t, s, text) in COMMENT_ROWS if w == wave],
            when + timedelta(minutes=20),
            SURVEY_USER,
        )

    files["manifest.csv"] = to_csv(
        ["file", "kind", "received_at", "received_by", "council"], manifest
    )
    files["certifications.csv"] = to_csv(
        ["file", "decision", "decided_at", "decided_by", "reason"], certifications(manifest)
    )
    return files


AWAITING = 3  # the latest returns, still awaiting their finance lead's certification


def certifications(manifest: list[list[str]]) -> list[list[str]]:
    """Each council's finance lead (its section 151 officer's delegate) certifies its
    returns six days after they arrive, at 10:00; the latest few still await them."""
    returns = [entry for entry in manifest if entry[1] == "returns"]
    out = []
    for name, _kind, when, by, _council in returns[: len(returns) - AWAITING]:
        arrived = datetime.strptime(when, "%Y-%m-%dT%H:%M:%SZ")
        day = (arrived + timedelta(days=6)).date()
        while day.weekday() >= 5:  # weekends -> Monday
            day += timedelta(days=1)
        domain = by.split("@", 1)[1]
        out.append(
            [
                name,
                "certified",
                iso(datetime(day.year, day.month, day.day, 10, 0)),
                f"finance.lead@{domain}",
                "",
            ]
        )
    return out


QUARTER_END = {}
for _fy in YEARS:
    _y = int(_fy[:4])
    QUARTER_END[(_fy, "Q1")] = date(_y, 6, 30)
    QUARTER_END[(_fy, "Q2")] = date(_y, 9, 30)
    QUARTER_END[(_fy, "Q3")] = date(_y, 12, 31)
    QUARTER_END[(_fy, "Q4")] = date(_y + 1, 3, 31)


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
