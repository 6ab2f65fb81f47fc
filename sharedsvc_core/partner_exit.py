"""A partner's exit statement: what a council leaving a partnership at the end of a
quarter takes and owes, and what the partners who stay take on.

For a member leaving at the end of quarter Q, as of a moment:

- **the basis**: the member's cost share in Q's financial year, unless the agreement
  gives another share (``share``), and the statement says which was used;
- **shared funding**: the funding the partnership had received by the end of Q, less its
  one-off costs to date (every member's), is the unspent funding; the member's share of
  it is basis × unspent (negative when the one-off costs have overspent the funding);
- **one-off costs to date** and **evidenced savings to date**: the member's own, from
  its cells to Q, exactly as benefits realisation counts them;
- **the savings that stop**: the member's evidenced savings over the last four quarters
  to Q (the recurring saving it stops making through the partnership), and its targets
  for the quarters after Q (the savings planned that will not be made);
- **what reversal costs the partners who stay**: the member's share of the lead
  council's whole-service costs over the last four quarters, which the others take on
  a year if the shared service runs on at the same cost, split by their new shares;
- **the remaining members' cost shares**, each divided by (1 − the leaver's share) so
  that they add up to 1 again.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from .periods import Quarter
from .returns_calendar import quarter_end
from .store import FOREVER, Conn, sql

_PENNY = Decimal("0.01")
_SHARE = Decimal("0.000000001")
ZERO = Decimal(0)
# the statement's lines, in order, for the command line's csv: item,amount (after a first
# line, basis, saying which share was used: cost_share or agreed)
ITEMS = (
    "basis_share",
    "funding_received",
    "one_off_costs_partnership",
    "unspent_funding",
    "share_of_unspent_funding",
    "one_off_costs_to_date",
    "evidenced_savings_to_date",
    "net_savings_to_date",
    "savings_stopping_a_year",
    "planned_savings_after",
    "shared_costs_taken_on_a_year",
)

ITEM_WORDS = {
    "basis_share": "Share used",
    "funding_received": "Shared funding received",
    "one_off_costs_partnership": "One-off costs charged to it (every member's)",
    "unspent_funding": "Unspent shared funding",
    "share_of_unspent_funding": "Its share of the unspent funding",
    "one_off_costs_to_date": "Its one-off costs to date",
    "evidenced_savings_to_date": "Its evidenced savings to date",
    "net_savings_to_date": "Its net savings to date",
    "savings_stopping_a_year": "Savings that stop: evidenced in the last four quarters",
    "planned_savings_after": "Savings that stop: its targets after it leaves",
    "shared_costs_taken_on_a_year": "Whole-service costs the others take on, a year",
}


class ExitError(ValueError):
    """A statement that cannot be drawn up; the message says what to change."""


@dataclass(frozen=True)
class Remaining:
    council: str
    council_name: str
    cost_share: Decimal
    new_share: Decimal
    takes_on_a_year: Decimal  # its part of the leaver's shared costs, a year


@dataclass(frozen=True)
class ExitStatement:
    partnership: str
    council: str
    council_name: str
    at: Quarter
    basis: str  # in words: which share was used, and why
    basis_code: str  # cost_share, or agreed when the agreement gives another share
    figures: dict[str, Decimal]
    funding: list[dict[str, Any]]
    remaining: list[Remaining]

    def rows(self) -> list[dict[str, Any]]:
        """The statement as item and amount, in the order of ITEMS, then one row for each
        remaining member's new share."""
        rows: list[dict[str, Any]] = [{"item": "basis", "amount": self.basis_code}]
        rows += [
            {
                "item": item,
                "amount": _share_text(self.figures[item])
                if item == "basis_share"
                else self.figures[item],
            }
            for item in ITEMS
        ]
        rows += [
            {"item": f"new_share:{r.council}", "amount": _share_text(r.new_share)}
            for r in self.remaining
        ]
        return rows


def _share_text(value: Decimal) -> str:
    """A share as exact as it is kept: 0.4, 0.714285714."""
    return f"{value.normalize():f}"


def _money(value: Decimal) -> Decimal:
    return value.quantize(_PENNY, rounding=ROUND_HALF_UP)


def _sum(value: Any) -> Decimal:
    return ZERO if value is None else Decimal(value)


def statement(
    con: Conn,
    partnership: str,
    council: str,
    at: Quarter,
    as_of: datetime | None = None,
    share: Decimal | None = None,
) -> ExitStatement:
    """The exit statement of ``council`` leaving ``partnership`` at the end of ``at``."""
    moment = as_of or FOREVER
    members = con.dicts(
        sql("exit_members"), {"as_of": moment, "partnership": partnership, "fy": at.fy}
    )
    if not members:
        raise ExitError(
            f"partnership {partnership} has no members in {at.display[:7]}: check the code "
            "and the quarter"
        )
    leaving = next((m for m in members if m["council"] == council), None)
    if leaving is None:
        raise ExitError(
            f"{council} is not a member of partnership {partnership} in {at.display[:7]}: "
            "name a member that year"
        )
    cost_share = Decimal(leaving["cost_share"])
    if share is None:
        basis_share = cost_share
        basis = f"its cost share in {at.display[:7]}, {cost_share.normalize():f}"
    else:
        if not ZERO < share <= 1:
            raise ExitError("--share must be more than 0 and at most 1")
        basis_share = share
        basis = (
            f"the share the agreement gives, {share.normalize():f} (its cost share in "
            f"{at.display[:7]} is {cost_share.normalize():f})"
        )
    cells = {
        r["council"]: r
        for r in con.dicts(
            sql("exit_cells"), {"as_of": moment, "partnership": partnership, "q": at.index}
        )
    }
    end: date = quarter_end(at)
    funding = con.dicts(
        sql("exit_funding"), {"as_of": moment, "partnership": partnership, "end": end}
    )
    received = sum((Decimal(f["amount"]) for f in funding), ZERO)
    one_off_all = sum((_sum(r["one_off_to_date"]) for r in cells.values()), ZERO)
    own = cells.get(council, {})
    evidenced = _sum(own.get("evidenced_to_date"))
    one_off = _sum(own.get("one_off_to_date"))
    shared_cost = _sum(own.get("shared_cost_last_year"))
    unspent = received - one_off_all
    figures = {
        "basis_share": basis_share,
        "funding_received": _money(received),
        "one_off_costs_partnership": _money(one_off_all),
        "unspent_funding": _money(unspent),
        "share_of_unspent_funding": _money(basis_share * unspent),
        "one_off_costs_to_date": _money(one_off),
        "evidenced_savings_to_date": _money(evidenced),
        "net_savings_to_date": _money(evidenced - one_off),
        "savings_stopping_a_year": _money(_sum(own.get("evidenced_last_year"))),
        "planned_savings_after": _money(_sum(own.get("target_after"))),
        "shared_costs_taken_on_a_year": _money(shared_cost),
    }
    rest = [m for m in members if m["council"] != council]
    left = 1 - cost_share
    remaining = [
        Remaining(
            m["council"],
            m["council_name"],
            Decimal(m["cost_share"]),
            (Decimal(m["cost_share"]) / left).quantize(_SHARE, rounding=ROUND_HALF_UP)
            if left
            else ZERO,
            _money(shared_cost * Decimal(m["cost_share"]) / left) if left else ZERO,
        )
        for m in rest
    ]
    return ExitStatement(
        partnership,
        council,
        leaving["council_name"],
        at,
        basis,
        "cost_share" if share is None else "agreed",
        figures,
        funding,
        remaining,
    )
