"""Benefits realisation (CONTRACT.md section 5).

The sums run in DuckDB (the ``cells_as_of`` macro of ``sql/views.sql``, and
``sql/realisation.sql``)
over exact DECIMAL values. Only the last step, per group, is done here: the ratios,
and rounding half away from zero to pence and to one decimal place of a percentage.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from .periods import Quarter
from .settings import get_settings
from .store import FOREVER, Conn, Store, sql

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
# figures each group also carries, which the contract's report does not print
DERIVED = ("variance", "shortfall")
PERCENT = ("realisation_pct", "efficiency_pct")

# How each --by groups the cells. Only these expressions ever reach the SQL.
GROUPINGS: dict[str, str] = {
    "programme": "'programme'",
    "partnership": "c.partnership_code",
    "service": "c.service_code",
    "council": "c.council",
    "service_council": "c.service_code || ':' || c.council",
}
RAG_STATES = ("green", "amber", "red", "no_data")
_PENNY = Decimal("0.01")
_TENTH = Decimal("0.1")


def money(value: Decimal | float | None) -> Decimal | None:
    if value is None:
        return None
    if isinstance(value, float):
        value = Decimal(repr(value))
    return value.quantize(_PENNY, rounding=ROUND_HALF_UP)


DISCOUNT = Decimal("1.035")  # the Green Book's 3.5% a year


def npv(years: list[int], nets: list[Decimal]) -> Decimal:
    """Σ net ÷ 1.035^t over the financial years t = 0, 1, … from the group's first, in
    exact decimals (28 significant figures) until the result is rounded to pence."""
    return sum((net / DISCOUNT**t for t, net in zip(years, nets, strict=True)), Decimal(0))


def percent(numerator: Decimal, denominator: Decimal | None) -> Decimal | None:
    if denominator is None or denominator == 0:
        return None
    return (100 * numerator / denominator).quantize(_TENTH, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Filters:
    """Narrow the cells to some partnerships, services, councils or stages (an empty
    tuple means all). ``certified_only`` counts only the returns of certified
    submissions (CONTRACT.md section 7); the quarters "to date" stay those of every
    current return, so certified figures are always measured over the same period as
    the figures they sit beside."""

    partnerships: tuple[str, ...] = ()
    services: tuple[str, ...] = ()
    councils: tuple[str, ...] = ()
    stages: tuple[str, ...] = ()
    certified_only: bool = False

    def params(self) -> dict[str, list[str]]:
        return {
            "partnerships": list(self.partnerships),
            "services": list(self.services),
            "councils": list(self.councils),
            "stages": list(self.stages),
        }


ALL = Filters()


def cells_query(name: str, certified_only: bool = False) -> str:
    """A named query over the filtered cells (its ``{filtered}`` filled in). With
    ``certified_only`` it reads the cells, and the returns, of certified submissions."""
    query = sql(name).replace("{filtered}", sql("filtered_cells"))
    if certified_only:
        for source in ("cells_as_of", "returns_as_of"):
            query = query.replace(f"<<{source}>>", f"<<certified_{source}>>")
    return query


@dataclass(frozen=True)
class Period:
    """The quarters "to date": from the earliest quarter with a target or a return to
    ``end`` (``--to``, or else the latest quarter with a current return)."""

    start: Quarter | None
    end: Quarter | None

    @property
    def empty(self) -> bool:
        return self.start is None or self.end is None or self.end < self.start


def period(con: Conn, as_of: datetime, to: Quarter | None = None) -> Period:
    first_target, first_return, last_return = con.execute(
        sql("period"), {"as_of": as_of}
    ).fetchone()
    starts = [q for q in (first_target, first_return) if q is not None]
    start = Quarter.from_index(min(starts)) if starts else None
    if to is not None:
        end: Quarter | None = to
    else:
        end = Quarter.from_index(last_return) if last_return is not None else None
    return Period(start, end)


def rag_for(
    target: Decimal, returns_any: int, pct: Decimal | None, green: float, amber: float
) -> str | None:
    if target > 0 and returns_any == 0:
        return "no_data"
    if pct is None:
        return None  # no target to measure against
    if pct >= Decimal(repr(green)):
        return "green"
    if pct >= Decimal(repr(amber)):
        return "amber"
    return "red"


def compute(
    con: Conn,
    by: str = "programme",
    to: Quarter | None = None,
    as_of: datetime | None = None,
    thresholds: tuple[float, float] | None = None,
    filters: Filters = ALL,
) -> tuple[Period, list[dict[str, Any]]]:
    """Every figure of section 5 for each group, sorted by key."""
    if by not in GROUPINGS:
        raise ValueError(f"--by must be one of {', '.join(GROUPINGS)}")
    moment = as_of or FOREVER
    span = period(con, moment, to)
    if span.end is None:
        return span, []
    if thresholds is None:
        settings = get_settings(con)
        thresholds = (settings["rag_green_pct"], settings["rag_amber_pct"])
    green, amber = thresholds
    query = cells_query("realisation", filters.certified_only).replace("{key}", GROUPINGS[by])
    params: dict[str, Any] = {"as_of": moment, "to_idx": span.end.index, **filters.params()}
    out: list[dict[str, Any]] = []
    for row in con.dicts(query, params):
        target: Decimal = row["target"]
        evidenced: Decimal = row["evidenced"]
        one_off: Decimal = row["one_off"]
        pct = percent(evidenced, target)
        out.append(
            {
                "key": row["key"],
                "target": money(target),
                "evidenced": money(evidenced),
                "claimed": money(row["claimed"]),
                "claims_gap": money(row["claims_gap"]),
                "one_off": money(one_off),
                "net": money(evidenced - one_off),
                # beside the contract's figures, for the screens and the packs: how far
                # ahead of target (variance) or behind it (shortfall), from the exact sums
                "variance": money(evidenced - target),
                "shortfall": money(target - evidenced),
                "realisation_pct": pct,
                "efficiency_pct": percent(evidenced, row["baseline_returned"])
                if row["returns_any"]
                else None,
                "npv": money(npv(row["npv_years"], row["npv_nets"])),
                "payback": Quarter.from_index(row["payback_q"]).label
                if row["payback_q"] is not None
                else None,
                "rag": rag_for(target, row["returns_any"], pct, green, amber),
                "returns_expected": int(row["returns_expected"]),
                "returns_received": int(row["returns_received"]),
            }
        )
    return span, out


def report(
    store: Store,
    by: str = "programme",
    to: Quarter | None = None,
    as_of: datetime | None = None,
    thresholds: tuple[float, float] | None = None,
    filters: Filters = ALL,
) -> tuple[Period, list[dict[str, Any]]]:
    """:func:`compute` on a read-only connection of its own."""
    with store.reading() as con:
        return compute(con, by, to, as_of, thresholds, filters)
