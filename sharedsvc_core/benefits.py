"""The benefits register: each benefit's progress against its target, and change control
on targets and baselines.

A benefit has a class (cash-releasing, non-cash, quality or dis-benefit), a measure with
a baseline value on a baseline date and a target value by a target date. Its values come
from a measures file, quarter by quarter, or, for a cash-releasing benefit whose measure
is ``evidenced_savings``, from its service's evidenced savings to date.

For each benefit, from its latest value:

- **progress_pct** = 100 × (latest − baseline) ÷ (target − baseline), for either
  direction (a fall from 10 to 8 of a hoped-for fall to 6 is 50%);
- **expected_pct** = the straight-line share of the time from baseline_date to
  target_date that has passed at the end of the latest quarter, from 0 to 100;
- **status**: ``achieved`` at 100% or more; ``on_track`` when progress is no more than
  tolerance_pct points behind expected; ``behind`` otherwise; ``no_data`` with no value.

A dis-benefit reads the other way: its target is the most harm accepted, so progress
toward it is harm. It is ``behind`` when its progress is more than tolerance_pct points
ahead of expected or beyond 100%; ``achieved`` once the target date has passed with the
harm within what was accepted; ``on_track`` otherwise.

Every comparison is made on exact values; percentages are rounded half away from zero
to one decimal place only when shown.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from . import wording
from .contract import EVIDENCED_SAVINGS
from .periods import Quarter
from .returns_calendar import quarter_end
from .store import FOREVER, Conn, Store, sql

COLUMNS = (
    "benefit_code",
    "service_code",
    "class",
    "measure",
    "unit",
    "baseline_value",
    "target_value",
    "latest_value",
    "latest_period",
    "progress_pct",
    "expected_pct",
    "status",
)
PERCENT = ("progress_pct", "expected_pct")
VALUES = ("baseline_value", "target_value", "latest_value")
STATUSES = ("achieved", "on_track", "behind", "no_data")
CLASSES = ("cash_releasing", "non_cash", "quality", "dis_benefit")
CHANGE_COLUMNS = (
    "kind",
    "key",
    "field",
    "original",
    "current",
    "changes",
    "changed_by",
    "changed_at",
    "reason",
)
_HUNDRED = Decimal(100)
_TENTH = Decimal("0.1")
_PENNY = Decimal("0.01")
_MEASURE = Decimal("0.0001")


def shown_value(value: Decimal | None, saved: bool = False) -> Decimal | None:
    """A measured value as reported: pence for evidenced savings, else the value with no
    trailing zeros (9.8000 is 9.8; 12.0000 is 12)."""
    if value is None:
        return None
    if saved:
        return value.quantize(_PENNY, rounding=ROUND_HALF_UP)
    exact = value.quantize(_MEASURE, rounding=ROUND_HALF_UP).normalize()
    # normalize() writes 100 as 1E+2; quantizing to a whole number gives it back
    return exact.quantize(Decimal(1)) if exact == exact.to_integral_value() else exact


def progress(latest: Decimal, baseline: Decimal, target: Decimal) -> Decimal | None:
    """100 × (latest − baseline) ÷ (target − baseline), exact; None when the target is
    the baseline (no movement is asked for)."""
    if target == baseline:
        return None
    return _HUNDRED * (latest - baseline) / (target - baseline)


def expected(baseline_date: date, target_date: date, at: date) -> Decimal:
    """The straight-line share (0 to 100) of the days from baseline_date to target_date
    that have passed at ``at``."""
    span = (target_date - baseline_date).days
    if span <= 0:
        return _HUNDRED
    share = _HUNDRED * Decimal((at - baseline_date).days) / Decimal(span)
    return min(_HUNDRED, max(Decimal(0), share))


def status(
    benefit_class: str,
    progress_pct: Decimal | None,
    expected_pct: Decimal | None,
    tolerance_pct: Decimal,
) -> str:
    """achieved, on_track, behind or no_data, from exact percentages."""
    if progress_pct is None or expected_pct is None:
        return "no_data"
    if benefit_class == "dis_benefit":
        if progress_pct > _HUNDRED or progress_pct > expected_pct + tolerance_pct:
            return "behind"
        return "achieved" if expected_pct >= _HUNDRED else "on_track"
    if progress_pct >= _HUNDRED:
        return "achieved"
    return "on_track" if progress_pct >= expected_pct - tolerance_pct else "behind"


def _pct(value: Decimal | None) -> Decimal | None:
    return None if value is None else value.quantize(_TENTH, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Point:
    """One quarter's value of a benefit."""

    quarter: Quarter
    value: Decimal
    council_rows: int  # how many councils' measures were added up to make it (0: one value)


def _params(as_of: datetime | None) -> dict[str, Any]:
    return {"as_of": as_of or FOREVER}


def values(
    con: Conn, as_of: datetime | None = None, to: Quarter | None = None
) -> dict[str, list[Point]]:
    """Each benefit's values, quarter by quarter, oldest first (up to the quarter ``to``
    when one is given)."""
    found: dict[str, list[Point]] = {}
    for code, qidx, value, council_rows in con.rows(sql("benefit_values"), _params(as_of)):
        if to is not None and int(qidx) > to.index:
            continue
        found.setdefault(code, []).append(
            Point(Quarter.from_index(int(qidx)), Decimal(value), int(council_rows))
        )
    return found


def register(
    con: Conn, as_of: datetime | None = None, to: Quarter | None = None
) -> list[dict[str, Any]]:
    """Every benefit on the register as of ``as_of``, with its figures from its values up
    to the quarter ``to`` (all of them without it): the report's columns and the
    register's own (name, owners, dates, tolerance, dependencies)."""
    points = values(con, as_of, to)
    rows = []
    for benefit in con.dicts(sql("benefit_register"), _params(as_of)):
        code = benefit["benefit_code"]
        saved = benefit["measure"].lower() == EVIDENCED_SAVINGS
        trail = points.get(code, [])
        latest = trail[-1] if trail else None
        baseline, target = benefit["baseline_value"], benefit["target_value"]
        progress_exact = expected_exact = None
        if latest is not None:
            progress_exact = progress(latest.value, baseline, target)
            expected_exact = expected(
                benefit["baseline_date"], benefit["target_date"], quarter_end(latest.quarter)
            )
        rows.append(
            {
                **benefit,
                "baseline_value": shown_value(baseline),
                "target_value": shown_value(target),
                "latest_value": shown_value(latest.value, saved) if latest else None,
                "latest_period": latest.quarter.label if latest else None,
                "progress_pct": _pct(progress_exact),
                "expected_pct": _pct(expected_exact),
                "status": status(
                    benefit["class"], progress_exact, expected_exact, benefit["tolerance_pct"]
                ),
                "evidenced_savings": saved,
                "depends_on": benefit["depends_on"].split(";") if benefit["depends_on"] else [],
            }
        )
    return rows


def status_counts(rows: list[dict[str, Any]]) -> dict[str, int]:
    """How many benefits of the register stand at each status, in the order of STATUSES."""
    return {code: sum(1 for row in rows if row["status"] == code) for code in STATUSES}


def beside(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The register in the order a board reads it: service by service, each benefit
    followed by the dis-benefits that come with it (those naming it in depends_on), and
    a service's other dis-benefits after its benefits."""
    by_service: dict[str, list[dict[str, Any]]] = {}
    for row in sorted(rows, key=lambda r: (r["service_code"], r["benefit_code"])):
        by_service.setdefault(row["service_code"], []).append(row)
    ordered: list[dict[str, Any]] = []
    for group in by_service.values():
        gains = [r for r in group if r["class"] != "dis_benefit"]
        harms = [r for r in group if r["class"] == "dis_benefit"]
        placed: set[str] = set()
        for gain in gains:
            ordered.append(gain)
            for harm in harms:
                if (
                    harm["benefit_code"] not in placed
                    and gain["benefit_code"] in harm["depends_on"]
                ):
                    ordered.append(harm)
                    placed.add(harm["benefit_code"])
        ordered.extend(h for h in harms if h["benefit_code"] not in placed)
    return ordered


def in_words(benefit: dict[str, Any]) -> dict[str, Any]:
    """A benefit of the register as the screen and both packs write it: its class and
    status in words, its latest value and target with their unit, and the benefits it
    depends on by name."""
    return {
        **benefit,
        "benefit": f"{benefit['name']} ({benefit['benefit_code']})",
        "class_word": wording.benefit_class(benefit["class"]),
        "status_word": wording.benefit_status(benefit["status"]),
        "latest": wording.with_unit(benefit["latest_value"], benefit["unit"]),
        "target": f"{wording.with_unit(benefit['target_value'], benefit['unit'])} by "
        f"{benefit['target_date']:%d/%m/%Y}",
        "depends_on_words": "; ".join(benefit["depends_on"]) or wording.MISSING,
    }


def report(store: Store, as_of: datetime | None = None) -> list[dict[str, Any]]:
    """``report benefits``: one row per benefit, sorted by benefit_code."""
    with store.reading() as con:
        return register(con, as_of)


def planned_at(benefit: dict[str, Any], at: date) -> Decimal:
    """Where the straight line from the baseline to the target stands on ``at`` (held at
    the baseline before it and at the target after it)."""
    baseline, target = Decimal(benefit["baseline_value"]), Decimal(benefit["target_value"])
    share = expected(benefit["baseline_date"], benefit["target_date"], at) / _HUNDRED
    return baseline + (target - baseline) * share


def profile(benefit: dict[str, Any], points: list[Point]) -> list[dict[str, Any]]:
    """A benefit's trajectory against its target, in date order: the baseline, each
    quarter measured (its value, and the straight line's value at the quarter's end), and
    the target. ``label`` names each point for people."""
    saved = bool(benefit.get("evidenced_savings"))
    rows: list[dict[str, Any]] = [
        {
            "label": "Baseline",
            "when": benefit["baseline_date"],
            "planned": Decimal(benefit["baseline_value"]),
            "measured": None,
        },
        {
            "label": "Target",
            "when": benefit["target_date"],
            "planned": Decimal(benefit["target_value"]),
            "measured": None,
        },
    ]
    for point in points:
        end = quarter_end(point.quarter)
        rows.append(
            {
                "label": point.quarter.display,
                "when": end,
                "planned": shown_value(planned_at(benefit, end)),
                "measured": shown_value(point.value, saved),
            }
        )
    return sorted(rows, key=lambda row: (row["when"], row["label"] == "Target"))


# -- change control --------------------------------------------------------------------

CHANGE_KIND_WORD = {"baseline": "Baseline", "target": "Target", "benefit": "Benefit"}
CHANGE_FIELD_WORD = {
    "annual_cost": "Annual cost",
    "baseline_year": "Baseline year",
    "target_saving": "Target saving",
    "baseline_value": "Baseline value",
    "baseline_date": "Baseline date",
    "target_value": "Target value",
    "target_date": "Target date",
}


def shown_change(field: str, value: str | None) -> str:
    """A version's value for people: money in pounds and pence, a date day first, a
    measure as given."""
    if value is None:
        return wording.MISSING
    if field in ("annual_cost", "target_saving"):
        return wording.pounds_and_pence(Decimal(value))
    if field in ("baseline_date", "target_date"):
        return date.fromisoformat(value).strftime("%d/%m/%Y")
    if field in ("baseline_value", "target_value"):
        return wording.measured(Decimal(value))
    return value


def _tidy(field: str, value: str | None) -> str | None:
    if value is None or field not in ("baseline_value", "target_value"):
        return value
    return str(shown_value(Decimal(value)))


def change_in_words(change: dict[str, Any]) -> dict[str, Any]:
    """A change as the screen and both packs write it."""
    return {
        **change,
        "what": f"{CHANGE_KIND_WORD[change['kind']]} {change['key']}",
        "field_word": CHANGE_FIELD_WORD.get(change["field"], change["field"]),
        "original_word": shown_change(change["field"], change["original"]),
        "current_word": shown_change(change["field"], change["current"]),
        "reason_word": wording.text(change["reason"]),
    }


def changes(con: Conn, as_of: datetime | None = None) -> list[dict[str, Any]]:
    """Every baseline, target and benefit baseline or target that has changed since it was
    first loaded: the original (the first version loaded), the current one, how many
    times it changed, and who made the latest change, when and why. Sorted by kind, key
    and field."""
    found: list[dict[str, Any]] = []
    current_key: tuple[str, str, str] | None = None
    entry: dict[str, Any] = {}
    for kind, key, field, value, reason, received_at, received_by in con.rows(
        sql("target_versions"), _params(as_of)
    ):
        value = _tidy(field, value)
        if (kind, key, field) != current_key:
            if entry.get("changes"):
                found.append(entry)
            current_key = (kind, key, field)
            entry = {
                "kind": kind,
                "key": key,
                "field": field,
                "original": value,
                "current": value,
                "changes": 0,
                "changed_by": None,
                "changed_at": None,
                "reason": None,
            }
            continue
        if value != entry["current"]:
            entry.update(
                current=value,
                changes=entry["changes"] + 1,
                changed_by=received_by,
                changed_at=received_at,
                reason=reason,
            )
    if entry.get("changes"):
        found.append(entry)
    return found


def changes_report(store: Store, as_of: datetime | None = None) -> list[dict[str, Any]]:
    with store.reading() as con:
        return changes(con, as_of)
