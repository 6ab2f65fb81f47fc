"""The double-counting guard: two warnings a board asks for.

* **Overlaps** (``report overlaps``): one council's baseline for a service area claimed
  by services of two or more partnerships in the same financial year
  (sql/overlaps.sql says exactly when a service claims a baseline).
* **Claims above the baseline** (``report overclaims``): a council's claimed savings for
  a service area in a financial year above its baseline for that area
  (sql/overclaims.sql).

Both are read as the store stands now or as it stood at any past moment.
"""

from __future__ import annotations

from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import pandas as pd

from .contract import PENNY
from .store import FOREVER, Conn, Store, sql

COLUMNS = ("council", "service_area", "services", "financial_years", "baseline_total")
OVERCLAIM_COLUMNS = ("council", "service_area", "financial_year", "claimed", "baseline", "excess")
# live services claim a baseline; so does one in implementation, whose targets and
# returns already count savings against it
CLAIMING_STAGES = ("live", "implementation")


def _penny(value: Any) -> Decimal | None:
    if value is None:
        return None
    return Decimal(value).quantize(PENNY, rounding=ROUND_HALF_UP)


def overlaps(con: Conn, as_of: datetime | None = None) -> list[dict[str, Any]]:
    """One row per council and service area whose baseline two partnerships' services
    claim in the same year, sorted by council and service area."""
    rows = con.dicts(sql("overlaps"), {"as_of": as_of or FOREVER})
    for row in rows:
        row["baseline_total"] = _penny(row["baseline_total"])
    return rows


def overclaims(con: Conn, as_of: datetime | None = None) -> list[dict[str, Any]]:
    """One row per council, service area and financial year whose claimed savings
    exceed the area's baseline, sorted by council, service area and year."""
    rows = con.dicts(sql("overclaims"), {"as_of": as_of or FOREVER})
    for row in rows:
        for column in ("claimed", "baseline", "excess"):
            row[column] = _penny(row[column])
    return rows


def report(store: Store, as_of: datetime | None = None) -> list[dict[str, Any]]:
    with store.reading() as con:
        return overlaps(con, as_of)


def overclaims_report(store: Store, as_of: datetime | None = None) -> list[dict[str, Any]]:
    with store.reading() as con:
        return overclaims(con, as_of)


def with_names(rows: list[dict[str, Any]], councils: dict[str, str]) -> list[dict[str, Any]]:
    """The rows with each council's name beside its code, for the screens and the pack."""
    return [{**r, "council_name": councils.get(r["council"], r["council"])} for r in rows]


def frames(con: Conn, as_of: datetime | None = None) -> dict[str, pd.DataFrame]:
    """Both lists for the screens, each council as "Name (GSS code)" and money as
    floats: "overlaps" and "overclaims"."""
    councils = {
        gss: f"{name} ({gss})" for gss, name in con.rows("SELECT gss_code, name FROM councils")
    }
    shown = {
        "overlaps": (
            with_names(overlaps(con, as_of), councils),
            ("council_name", "service_area", "services", "financial_years", "baseline_total"),
        ),
        "overclaims": (
            with_names(overclaims(con, as_of), councils),
            ("council_name", "service_area", "financial_year", "claimed", "baseline",
             "excess"),
        ),
    }  # fmt: skip
    out: dict[str, pd.DataFrame] = {}
    for name, (rows, columns) in shown.items():
        frame = pd.DataFrame(rows, columns=list(columns))
        for column in ("baseline_total", "claimed", "baseline", "excess"):
            if column in frame.columns:
                frame[column] = frame[column].astype("float64")
        out[name] = frame
    return out
