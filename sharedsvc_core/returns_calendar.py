"""The returns calendar (CONTRACT.md section 8): when each return is due, and which are
still outstanding.

A return for a quarter is due ``returns_due_days`` days (a setting, default 30) after
the quarter's last day, so 2014/15 Q1 (April to June 2014) is due on 30 July 2014 and
2014/15 Q4 (January to March 2015) on 30 April 2015. The outstanding returns are
exactly the cells to date that benefits realisation counts as expected but not
received: a target above zero and no current return.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

from .periods import Quarter, fy_label
from .realisation import ALL, Filters, cells_query, period
from .settings import get_settings
from .store import FOREVER, Conn, Store

COLUMNS = (
    "council",
    "council_name",
    "service_code",
    "financial_year",
    "quarter",
    "due_date",
    "days_overdue",
)
SHOWN = COLUMNS[1:]  # what the screens show: the council by name, not by code
# the month and day each quarter of a financial year ends, and whether in its second year
_QUARTER_ENDS = {1: (6, 30, 0), 2: (9, 30, 0), 3: (12, 31, 0), 4: (3, 31, 1)}


def quarter_end(quarter: Quarter) -> date:
    """The last day of a quarter: Q4 of 2014/15 ends on 31 March 2015."""
    month, day, later = _QUARTER_ENDS[quarter.q]
    return date(quarter.fy + later, month, day)


def due_date(quarter: Quarter, due_days: int) -> date:
    return quarter_end(quarter) + timedelta(days=due_days)


def today_utc() -> date:
    return datetime.now(UTC).date()


def outstanding(
    con: Conn,
    to: Quarter | None = None,
    as_of: datetime | None = None,
    today: date | None = None,
    filters: Filters = ALL,
) -> list[dict[str, Any]]:
    """One row per return expected to date but not received, with its due date and
    days overdue (negative while not yet due), sorted as the contract sorts them:
    most overdue first, then council, service, year and quarter."""
    moment = as_of or FOREVER
    span = period(con, moment, to)
    if span.end is None:
        return []
    due_days = int(get_settings(con)["returns_due_days"])
    day = today or today_utc()
    councils = dict(con.rows("SELECT gss_code, name FROM councils"))
    found = con.rows(
        cells_query("outstanding"),
        {"as_of": moment, "to_idx": span.end.index, **filters.params()},
    )
    rows = []
    for council, service_code, qidx in found:
        quarter = Quarter.from_index(qidx)
        due = due_date(quarter, due_days)
        rows.append(
            {
                "council": council,
                "council_name": councils.get(council, council),
                "service_code": service_code,
                "financial_year": fy_label(quarter.fy),
                "quarter": f"Q{quarter.q}",
                "due_date": due.isoformat(),
                "days_overdue": (day - due).days,
            }
        )
    rows.sort(
        key=lambda r: (
            -r["days_overdue"],
            r["council"],
            r["service_code"],
            r["financial_year"],
            r["quarter"],
        )
    )
    return rows


def report(
    store: Store,
    to: Quarter | None = None,
    as_of: datetime | None = None,
    today: date | None = None,
    filters: Filters = ALL,
) -> list[dict[str, Any]]:
    """:func:`outstanding` on a read-only connection of its own."""
    with store.reading() as con:
        return outstanding(con, to, as_of, today, filters)


def overdue_summary(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """How many of the outstanding returns are overdue, and the oldest of them, for a
    headline such as "7 returns overdue (oldest: ... 41 days)"."""
    overdue = [r for r in rows if r["days_overdue"] > 0]
    return {
        "outstanding": len(rows),
        "overdue": len(overdue),
        "oldest": overdue[0] if overdue else None,
    }
