"""How figures are written on screen: pounds, percentages, RAG words and icons."""

from __future__ import annotations

import math
from collections.abc import Callable
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

RAG_LABEL = {
    "green": "✔ Green",
    "amber": "▲ Amber",
    "red": "✖ Red",
    "no_data": "○ No data",
    None: "– No target",
}
STAGE_LABEL = {
    "soc": "SOC",
    "obc": "OBC",
    "fbc": "FBC",
    "implementation": "Implementation",
    "live": "Live",
    "closed": "Closed",
}
ILLUSTRATIVE = (
    "Illustrative demo data: these figures were made up for demonstration and are not "
    "any council's real figures."
)


def _missing(value: Any) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def _whole(value: Any) -> Decimal:
    """To the nearest whole number, half away from zero, as the figures are rounded
    (docs/figures.md); a float is taken at its shortest decimal form."""
    return Decimal(str(value)).quantize(Decimal(1), rounding=ROUND_HALF_UP)


def pounds(value: Any) -> str:
    """£12,345 (whole pounds, as tables show them)."""
    if _missing(value):
        return "–"
    number = _whole(value)
    sign = "-" if number < 0 else ""
    return f"{sign}£{abs(number):,}"


def pounds_short(value: Any) -> str:
    """£1.2m, £3.4k or £950, for headline tiles."""
    if _missing(value):
        return "–"
    number = float(value)
    sign = "-" if number < 0 else ""
    size = abs(number)
    if size >= 1_000_000:
        return f"{sign}£{size / 1_000_000:,.1f}m"
    if size >= 1_000:
        return f"{sign}£{size / 1_000:,.1f}k"
    return f"{sign}£{size:,.0f}"


def percent(value: Any) -> str:
    return "–" if _missing(value) else f"{float(value):.1f}%"


def rag(value: Any) -> str:
    return RAG_LABEL.get(None if _missing(value) else value, str(value))


GROUP_LABEL = {
    "staff": "Staff",
    "managers": "Service managers",
    "chief_officers": "Chief officers",
    "trade_unions": "Trade unions",
    "elected_members": "Elected members",
    "partners": "Partners",
    "other": "Other",
}


def group(code: str) -> str:
    return GROUP_LABEL.get(code, code)


def first_few(
    frame: Any, column: str, write: Callable[[Any], str], count: int = 3, name: str = "name"
) -> str:
    """The first few rows as "Name (figure), ...", for a chart's summary; "none" if empty."""
    items = zip(frame[name].head(count), frame[column].head(count), strict=True)
    return ", ".join(f"{n} ({write(v)})" for n, v in items) or "none"
