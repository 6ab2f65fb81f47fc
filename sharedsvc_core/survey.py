"""Taking Stock survey figures (CONTRACT.md section 5, ``report survey``)."""

from __future__ import annotations

from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from .store import FOREVER, Conn, Store, sql

COLUMNS = (
    "wave",
    "group",
    "statement",
    "responses",
    "pct_agree",
    "pct_neutral",
    "pct_disagree",
    "net_agreement",
    "mean_score",
)
_TENTH = Decimal("0.1")
_HUNDREDTH = Decimal("0.01")


def figures(
    strongly_disagree: int, disagree: int, neutral: int, agree: int, strongly_agree: int
) -> dict[str, Any]:
    """The survey figures for one set of counts. Percentages are rounded half away from
    zero to one decimal place; net agreement is the difference of the two rounded
    percentages shown beside it, so a row always adds up as printed."""
    counts = (strongly_disagree, disagree, neutral, agree, strongly_agree)
    responses = sum(counts)
    if responses == 0:
        return {
            "responses": 0,
            "pct_agree": None,
            "pct_neutral": None,
            "pct_disagree": None,
            "net_agreement": None,
            "mean_score": None,
        }

    def pct(n: int) -> Decimal:
        return (Decimal(100 * n) / responses).quantize(_TENTH, rounding=ROUND_HALF_UP)

    agree_pct = pct(agree + strongly_agree)
    disagree_pct = pct(strongly_disagree + disagree)
    score = sum(weight * n for weight, n in zip(range(1, 6), counts, strict=True))
    return {
        "responses": responses,
        "pct_agree": agree_pct,
        "pct_neutral": pct(neutral),
        "pct_disagree": disagree_pct,
        "net_agreement": agree_pct - disagree_pct,
        "mean_score": (Decimal(score) / responses).quantize(_HUNDREDTH, rounding=ROUND_HALF_UP),
    }


def compute(
    con: Conn, wave: str | None = None, as_of: datetime | None = None
) -> list[dict[str, Any]]:
    rows = con.dicts(sql("survey"), {"as_of": as_of or FOREVER, "wave": wave})
    return [
        {
            "wave": r["wave"],
            "group": r["group"],
            "statement": r["statement"],
            **figures(
                int(r["strongly_disagree"]),
                int(r["disagree"]),
                int(r["neutral"]),
                int(r["agree"]),
                int(r["strongly_agree"]),
            ),
        }
        for r in rows
    ]


def report(
    store: Store, wave: str | None = None, as_of: datetime | None = None
) -> list[dict[str, Any]]:
    with store.reading() as con:
        return compute(con, wave, as_of)
