"""Settings kept in the store, so the command line and the dashboard agree.

``rag_green_pct`` and ``rag_amber_pct`` are the RAG thresholds (realisation % at or
above which a group is green, or amber); ``max_file_mb`` is the upload size limit;
``returns_due_days`` is how many days after its quarter's last day a return is due
(CONTRACT.md section 8).
"""

from __future__ import annotations

import math
from typing import Any

from .access import Person, require_administrator
from .store import Conn, Store

DEFAULTS: dict[str, float] = {
    "rag_green_pct": 100.0,
    "rag_amber_pct": 80.0,
    "max_file_mb": 20.0,
    "returns_due_days": 30.0,
}
DESCRIPTIONS = {
    "rag_green_pct": "Realisation % at or above which a group is Green",
    "rag_amber_pct": "Realisation % at or above which a group is Amber (below it, Red)",
    "max_file_mb": "Largest file accepted, in MB",
    "returns_due_days": "Days after a quarter's last day by which its return is due",
}
# settings that are whole numbers, with the range each may take
WHOLE: dict[str, tuple[int, int]] = {"returns_due_days": (0, 366)}


def get_settings(con: Conn) -> dict[str, float]:
    values = dict(DEFAULTS)
    for name, value in con.rows("SELECT name, value FROM settings"):
        if name in values:
            values[name] = float(value)
    return values


def check_setting(name: str, value: str) -> float:
    """The value of a setting as a number, or ValueError saying what is allowed."""
    if name not in DEFAULTS:
        raise ValueError(f"unknown setting {name!r}: use one of {', '.join(DEFAULTS)}")
    try:
        number = float(value)
    except ValueError:
        raise ValueError(f"{name} must be a number") from None
    if not math.isfinite(number):
        raise ValueError(f"{name} must be a number")
    if name in WHOLE:
        low, high = WHOLE[name]
        if number != int(number) or not low <= number <= high:
            raise ValueError(f"{name} must be a whole number of days from {low} to {high}")
        return number
    if not 0 < number <= 1000:
        raise ValueError(f"{name} must be more than 0 and at most 1000")
    return number


def change_setting(store: Store, by: Person, name: str, value: Any) -> float:
    """Set ``name`` to ``value`` for everyone, as ``by`` (an administrator)."""
    return change_settings(store, by, {name: value})[name]


def change_settings(store: Store, by: Person, values: dict[str, Any]) -> dict[str, float]:
    """Set several settings at once, as ``by`` (an administrator), in one write that
    records each change in the audit log. The thresholds are checked together, so both
    may move past each other. ValueError says what is allowed; nothing is then
    changed. Returns every setting as it now is."""
    from . import audit

    require_administrator(by, "changing a setting")
    numbers = {name: check_setting(name, str(value)) for name, value in values.items()}
    with store.writing() as con:
        current = get_settings(con)
        after = {**current, **numbers}
        if after["rag_amber_pct"] > after["rag_green_pct"]:
            raise ValueError("rag_amber_pct cannot be above rag_green_pct")
        for name, number in numbers.items():
            if number == current[name]:
                continue
            con.execute("DELETE FROM settings WHERE name = ?", [name])
            con.execute("INSERT INTO settings VALUES (?, ?)", [name, repr(number)])
            audit.record(
                con, by.email, "settings_change", f"{name}: {current[name]:g} -> {number:g}"
            )
    return after
