"""How every figure and code is written for people to read, on every surface: the
screen, the Excel and PDF board packs, the charts and the descriptions of a change.

One rule each (CONTRACT.md section 5, "Rounding and wording on every surface"):

- money rounds half away from zero: £1,234.50 is written £1,235 in whole pounds, and
  -£0.50 is written -£1; an amount that rounds to nothing is £0, never -£0;
- a percentage has one decimal place, rounded the same way;
- a RAG status, stage, survey group, delivery model, status or role is written in
  words, never as its code;
- a missing value is written as :data:`MISSING` wherever it appears.

A float is taken at its shortest decimal form (0.1 + 0.2 is 0.30000000000000004, which
is £0), so a figure that reached a page as a float rounds as the exact figure does.
"""

from __future__ import annotations

import math
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

MISSING = "–"  # an en dash: a value that is not there, on every surface

RAG_WORD: dict[str | None, str] = {
    "green": "Green",
    "amber": "Amber",
    "red": "Red",
    "no_data": "No data",
    None: "No target",
}
# the shape beside the word on screen, so the status never rests on colour alone
RAG_ICON: dict[str | None, str] = {
    "green": "✔",
    "amber": "▲",
    "red": "✖",
    "no_data": "○",
    None: "–",
}
STAGE_WORD = {
    "soc": "SOC",
    "obc": "OBC",
    "fbc": "FBC",
    "implementation": "Implementation",
    "live": "Live",
    "closed": "Closed",
}
GROUP_WORD = {
    "staff": "Staff",
    "managers": "Service managers",
    "chief_officers": "Chief officers",
    "trade_unions": "Trade unions",
    "elected_members": "Elected members",
    "partners": "Partners",
    "other": "Other",
}
DELIVERY_MODEL_WORD = {
    "lead_authority": "Lead authority",
    "joint_committee": "Joint committee",
    "shared_management": "Shared management",
    "hub_and_spoke": "Hub and spoke",
    "company": "Company",
    "spv": "Special purpose vehicle",
    "outsourced": "Outsourced",
    "formal_collaboration": "Formal collaboration",
    "informal_collaboration": "Informal collaboration",
    "cluster": "Cluster",
}
STATUS_WORD = {
    "proposed": "Proposed",
    "active": "Active",
    "dissolved": "Dissolved",
    # a submission's standing
    "current": "Current",
    "superseded": "Superseded",
    "rolled_back": "Rolled back",
    # a return's certification
    "awaiting": "Awaiting certification",
    "certified": "Certified",
    "returned": "Returned",
}
ROLE_WORD = {
    "viewer": "Viewer",
    "board_member": "Board member",
    "submitter": "Submitter",
    "certifier": "Certifier",
    "administrator": "Administrator",
}
BENEFIT_CLASS_WORD = {
    "cash_releasing": "Cash-releasing",
    "non_cash": "Non-cash",
    "quality": "Quality",
    "dis_benefit": "Dis-benefit",
}
# a benefit's standing against its straight line, with a shape so it never rests on colour
BENEFIT_STATUS_WORD = {
    "achieved": "Achieved",
    "on_track": "On track",
    "behind": "Behind",
    "no_data": "No data",
}
BENEFIT_STATUS_ICON = {"achieved": "✔", "on_track": "▲", "behind": "✖", "no_data": "○"}
DIRECTION_WORD = {"increase": "Should rise", "decrease": "Should fall"}
_ONE = Decimal(1)
_TENTH = Decimal("0.1")
_PENNY = Decimal("0.01")
_THOUSAND = Decimal(1_000)
_MILLION = Decimal(1_000_000)


def missing(value: Any) -> bool:
    """None, NaN (pandas' blank) and pandas' NA and NaT are all "not there"."""
    if value is None:
        return True
    if isinstance(value, float):
        return math.isnan(value)
    if type(value).__name__ == "NAType":  # pandas' NA, which refuses to be a bool
        return True
    try:
        return bool(value != value)  # NaT and NA are not equal to themselves
    except (TypeError, ValueError):
        return False


def exact(value: Any) -> Decimal:
    """A Decimal of ``value``; a float at its shortest decimal form."""
    if isinstance(value, Decimal):
        return value
    return Decimal(str(value))  # a float's str is its shortest form, numpy's too


def rounded(value: Any, step: Decimal = _ONE) -> Decimal:
    """``value`` to the nearest ``step``, half away from zero, with no negative zero."""
    number = exact(value).quantize(step, rounding=ROUND_HALF_UP)
    return number if number else abs(number)


def _signed_pounds(number: Decimal, digits: str) -> str:
    return f"{'-' if number < 0 else ''}£{abs(number):,{digits}}"


def pounds(value: Any) -> str:
    """£12,345 in whole pounds, as tables and the packs show money."""
    if missing(value):
        return MISSING
    return _signed_pounds(rounded(value), "")


def pounds_and_pence(value: Any) -> str:
    """£12,345.50, for a change to one row of a file."""
    if missing(value):
        return MISSING
    return _signed_pounds(rounded(value, _PENNY), ".2f")


def pounds_short(value: Any, digits: int = 1, trim: bool = False) -> str:
    """£1.2m, £3.4k or £950, for headline tiles and chart labels, rounded half away
    from zero like every amount (£1,250 is £1.3k). ``trim`` drops trailing zeros, as a
    chart's axis does (£1.25m, £1m)."""
    if missing(value):
        return MISSING
    number = exact(value)
    size = abs(number)
    if size < 1000:
        return pounds(number)
    step = Decimal(1).scaleb(-digits)
    unit, scale = ("m", _MILLION) if size >= _MILLION else ("k", _THOUSAND)
    short = rounded(size / scale, step)
    if unit == "k" and short >= 1000:  # £999,960 is £1.0m, not £1,000.0k
        unit, short = "m", rounded(size / _MILLION, step)
    written = f"{short:,.{digits}f}"
    if trim and "." in written:
        written = written.rstrip("0").rstrip(".")
    return f"{'-' if number < 0 else ''}£{written}{unit}"


def percent(value: Any, places: int = 1) -> str:
    """12.3%: one decimal place, half away from zero (``places=0`` for a bar's label,
    12%)."""
    if missing(value):
        return MISSING
    return f"{rounded(value, _ONE.scaleb(-places))}%"


def signed(value: Any) -> str:
    """+12.5, -3.0 or 0.0: a change, or net agreement in percentage points."""
    if missing(value):
        return MISSING
    number = rounded(value, _TENTH)
    return f"{'+' if number > 0 else ''}{number}"


def whole(value: Any) -> str:
    """A count or a whole number, with thousands separated."""
    if missing(value):
        return MISSING
    return f"{rounded(value):,}"


def _word(words: dict[Any, str], code: Any) -> str:
    if missing(code) or code == "":
        return MISSING
    return words.get(code) or str(code).replace("_", " ").capitalize()


def rag(code: Any) -> str:
    """The RAG status in words: Green, Amber, Red, No data, or No target."""
    key = None if missing(code) else code
    return RAG_WORD.get(key, str(code))


def rag_with_icon(code: Any) -> str:
    """✔ Green, ▲ Amber, ✖ Red, ○ No data or – No target: a shape and a word, for
    screens where colour is also used."""
    key = None if missing(code) else code
    return f"{RAG_ICON[key]} {RAG_WORD[key]}" if key in RAG_WORD else str(code)


def stage(code: Any) -> str:
    return _word(STAGE_WORD, code)


def group(code: Any) -> str:
    return _word(GROUP_WORD, code)


def delivery_model(code: Any) -> str:
    return _word(DELIVERY_MODEL_WORD, code)


def status(code: Any) -> str:
    return _word(STATUS_WORD, code)


def role(code: Any) -> str:
    return _word(ROLE_WORD, code)


def benefit_class(code: Any) -> str:
    """Cash-releasing, Non-cash, Quality or Dis-benefit."""
    return _word(BENEFIT_CLASS_WORD, code)


def benefit_status(code: Any) -> str:
    """Achieved, On track, Behind or No data."""
    return _word(BENEFIT_STATUS_WORD, code)


def benefit_status_with_icon(code: Any) -> str:
    """✔ Achieved, ▲ On track, ✖ Behind or ○ No data: a shape and a word."""
    if code in BENEFIT_STATUS_ICON:
        return f"{BENEFIT_STATUS_ICON[code]} {BENEFIT_STATUS_WORD[code]}"
    return benefit_status(code)


def direction(code: Any) -> str:
    return _word(DIRECTION_WORD, code)


def measured(value: Any) -> str:
    """A measured value as given (9.8, 12, -3.25), with thousands separators."""
    if missing(value):
        return MISSING
    number = Decimal(str(value))
    exponent = number.as_tuple().exponent
    places = -exponent if isinstance(exponent, int) and exponent < 0 else 0
    return f"{number:,.{places}f}"


def with_unit(value: Any, unit: str) -> str:
    """A measured value with its unit: £140,000.00 for money, 12.5% for a percentage,
    8.5 days otherwise."""
    if missing(value):
        return MISSING
    if unit.strip().lower() in ("£", "gbp", "pounds", "£s"):
        return pounds_and_pence(value)
    if unit.strip() == "%":
        return f"{measured(value)}%"
    return f"{measured(value)} {unit}".rstrip()


def action(code: Any) -> str:
    """An audit log entry's kind: "board_pack_export" is "Board pack export"."""
    return _word({}, code)


def text(value: Any) -> str:
    """Any other value as written, or :data:`MISSING`."""
    return MISSING if missing(value) or value == "" else str(value)
