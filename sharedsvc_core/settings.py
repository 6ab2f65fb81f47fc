"""Settings kept in the store, so the command line and the dashboard agree.

``rag_green_pct`` and ``rag_amber_pct`` are the RAG thresholds (realisation % at or
above which a group is green, or amber); ``max_file_mb`` is the upload size limit.
"""

from __future__ import annotations

from typing import Any

from .store import Conn

DEFAULTS: dict[str, float] = {
    "rag_green_pct": 100.0,
    "rag_amber_pct": 80.0,
    "max_file_mb": 20.0,
}
DESCRIPTIONS = {
    "rag_green_pct": "Realisation % at or above which a group is Green",
    "rag_amber_pct": "Realisation % at or above which a group is Amber (below it, Red)",
    "max_file_mb": "Largest file accepted, in MB",
}


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
    if not 0 < number <= 1000:
        raise ValueError(f"{name} must be more than 0 and at most 1000")
    return number


def put_setting(con: Conn, name: str, value: Any) -> None:
    number = check_setting(name, str(value))
    current = get_settings(con)
    current[name] = number
    if current["rag_amber_pct"] > current["rag_green_pct"]:
        raise ValueError("rag_amber_pct cannot be above rag_green_pct")
    con.execute("DELETE FROM settings WHERE name = ?", [name])
    con.execute("INSERT INTO settings VALUES (?, ?)", [name, repr(number)])
