"""What a file's rows would change, and what a past submission changed.

Both answers pair each new row with the row it supersedes (same key), and describe the
difference in words: "actual_cost was £95,000.00, now £88,000.00".
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from . import wording
from .contract import Kind, kind_named
from .store import Conn
from .store import quoted as _q

PREVIEW_LIMIT = 1000


def _show(value: Any, money: bool) -> str:
    if value is None:
        return "blank"
    if money and isinstance(value, Decimal):
        return wording.pounds_and_pence(value)
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    return str(value)


def describe(kind: Kind, new: dict[str, Any], old: dict[str, Any] | None) -> str:
    """In words, how a new row differs from the row it supersedes."""
    if not kind.key:
        return "added"
    if old is None:
        return "new"
    money = set(kind.money_columns)
    parts = [
        f"{c.name} was {_show(old[c.name], c.name in money)}, "
        f"now {_show(new[c.name], c.name in money)}"
        for c in kind.columns
        if c.name not in kind.key and old[c.name] != new[c.name]
    ]
    return "; ".join(parts) if parts else "the same figures again"


def _pairs(kind: Kind, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    out = []
    for row in rows:
        new = {c.name: row[c.name] for c in kind.columns}
        old = None
        if row.get("was_submission") is not None:
            old = {c.name: row[f"was_{c.name}"] for c in kind.columns}
        out.append(
            {
                "row": row["row_no"],
                **new,
                "supersedes": row.get("was_submission"),
                "change": describe(kind, new, old),
            }
        )
    return out


def _select_columns(kind: Kind, new: str, old: str) -> str:
    new_cols = ", ".join(f"{new}.{_q(c.name)}" for c in kind.columns)
    if not kind.key:
        return f"{new}.row_no, {new_cols}, NULL AS was_submission"
    old_cols = ", ".join(f"{old}.{_q(c.name)} AS {_q('was_' + c.name)}" for c in kind.columns)
    return f"{new}.row_no, {new_cols}, {old}.submission_id AS was_submission, {old_cols}"


def _on(kind: Kind, new: str, old: str) -> str:
    return " AND ".join(f"{old}.{_q(k)} IS NOT DISTINCT FROM {new}.{_q(k)}" for k in kind.key)


def preview(con: Conn, kind: Kind, limit: int = PREVIEW_LIMIT) -> list[dict[str, Any]]:
    """The staged rows of a file being checked, each with what it would supersede."""
    if kind.key:
        query = (
            f"SELECT {_select_columns(kind, 's', 'c')} FROM staging s "  # noqa: S608
            f"LEFT JOIN current_{kind.name} c ON {_on(kind, 's', 'c')} "
            f"ORDER BY s.row_no LIMIT {int(limit)}"
        )
    else:
        query = f"SELECT {_select_columns(kind, 's', 'c')} FROM staging s ORDER BY s.row_no LIMIT {int(limit)}"  # noqa: E501, S608
    return _pairs(kind, con.dicts(query))


def submission_changes(con: Conn, submission_id: int) -> list[dict[str, Any]]:
    """Each row of a past submission beside the row it superseded when it arrived."""
    found = con.one("SELECT kind FROM submissions WHERE id = ?", [submission_id])
    if found is None:
        return []
    kind = kind_named(found)
    if not kind.key:
        query = (
            f"SELECT {_select_columns(kind, 'n', 'p')} FROM {kind.table} n "  # noqa: S608
            "WHERE n.submission_id = $id ORDER BY n.row_no"
        )
        return _pairs(kind, con.dicts(query, {"id": submission_id}))
    partition = ", ".join(f"r.{_q(k)}" for k in kind.key)
    query = f"""
        WITH me AS (SELECT received_at, id FROM submissions WHERE id = $id),
        earlier AS (
            SELECT r.* FROM {kind.table} r
            JOIN submissions s ON s.id = r.submission_id, me
            WHERE (s.received_at < me.received_at
                   OR (s.received_at = me.received_at AND s.id < me.id))
              AND s.id NOT IN (SELECT submission_id FROM rollbacks)
            QUALIFY row_number() OVER (
                PARTITION BY {partition} ORDER BY s.received_at DESC, s.id DESC) = 1
        )
        SELECT {_select_columns(kind, "n", "p")}
        FROM {kind.table} n LEFT JOIN earlier p ON {_on(kind, "n", "p")}
        WHERE n.submission_id = $id
        ORDER BY n.row_no
    """  # noqa: S608
    return _pairs(kind, con.dicts(query, {"id": submission_id}))
