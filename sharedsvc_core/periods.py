"""UK public-sector financial years (April to March) and their quarters.

A financial year is written ``2014/15`` and runs from 1 April 2014 to 31 March 2015.
Q1 is April-June, Q2 July-September, Q3 October-December and Q4 January-March,
so Q4 of 2014/15 is January-March 2015.

Internally a quarter is one integer, its *index*: ``start_year * 4 + (quarter - 1)``.
Indexes sort in time order and differ by one between consecutive quarters.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime

_FY_PATTERNS = (
    # 2014/15, 2014-15, 2014/2015, 2014-2015, FY2014/15, FY 2014-15, 2014 to 2015
    re.compile(r"^(?:fy\s*)?(\d{4})\s*[/\-]\s*(\d{2}|\d{4})$", re.IGNORECASE),
    re.compile(r"^(?:fy\s*)?(\d{4})\s+to\s+(\d{2}|\d{4})$", re.IGNORECASE),
)
_QUARTER = re.compile(r"^q?([1-4])$", re.IGNORECASE)
_QUARTER_LABEL = re.compile(r"^(.+?)\s*q([1-4])$", re.IGNORECASE)


class PeriodError(ValueError):
    """A financial year or quarter that cannot be read; the message says what to write."""


def parse_fy(text: str) -> int:
    """Return the first calendar year of a financial year written in any accepted form.

    >>> parse_fy("FY2014/15"), parse_fy("2014 to 2015"), parse_fy("2014-2015")
    (2014, 2014, 2014)
    """
    value = text.strip()
    for pattern in _FY_PATTERNS:
        match = pattern.match(value)
        if match:
            first = int(match.group(1))
            second_text = match.group(2)
            expected = first + 1
            if len(second_text) == 2:
                ok = int(second_text) == expected % 100
            else:
                ok = int(second_text) == expected
            if not ok:
                raise PeriodError(
                    f"the second year must be the year after the first: write {fy_label(first)}"
                )
            if not 1990 <= first <= 2100:
                raise PeriodError(f"{first} is not a plausible financial year")
            return first
    raise PeriodError("write a financial year as 2014/15")


def fy_label(start_year: int) -> str:
    """``2014`` -> ``"2014/15"``."""
    return f"{start_year}/{(start_year + 1) % 100:02d}"


def parse_quarter(text: str) -> int:
    """``"Q2"``, ``"q2"`` or ``"2"`` -> ``2``."""
    match = _QUARTER.match(text.strip())
    if not match:
        raise PeriodError("write a quarter as Q1, Q2, Q3 or Q4 (Q1 is April to June)")
    return int(match.group(1))


@dataclass(frozen=True, order=True)
class Quarter:
    """One quarter of one financial year."""

    fy: int
    q: int

    @property
    def index(self) -> int:
        return self.fy * 4 + (self.q - 1)

    @classmethod
    def from_index(cls, index: int) -> Quarter:
        return cls(index // 4, index % 4 + 1)

    @property
    def label(self) -> str:
        """Written like ``2015/16Q2``, as the command line and reports use it."""
        return f"{fy_label(self.fy)}Q{self.q}"

    @property
    def display(self) -> str:
        """Written like ``2015/16 Q2`` for people."""
        return f"{fy_label(self.fy)} Q{self.q}"


def parse_quarter_label(text: str) -> Quarter:
    """Read ``2015/16Q2``, ``2015/16 Q2`` or ``2015-16 q2``."""
    match = _QUARTER_LABEL.match(text.strip())
    if not match:
        raise PeriodError(f"{text!r}: write a quarter as 2015/16Q2")
    return Quarter(parse_fy(match.group(1)), int(match.group(2)))


def parse_moment(text: str, flag: str) -> datetime:
    """An ISO date or date-time as a naive UTC timestamp. A time with no offset is
    taken as UTC; a date alone means midnight at the start of that day."""
    value = text.strip()
    if value.endswith(("Z", "z")):
        value = value[:-1] + "+00:00"
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise PeriodError(
            f"{flag} {text!r}: give an ISO date-time such as 2015-08-01T09:00:00Z"
        ) from None
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC).replace(tzinfo=None)
    return moment
