"""The audit log (CONTRACT.md section 6): when, who, what.

Append-only: :func:`record` inserts a row and nothing in the product updates or deletes
one. It records each sign-in, submission (loaded, refused or already received),
rollback, certification, return, role change, settings change and board-pack
export. A write records its
entry in its own transaction, so the log and the change it describes land together.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from .store import Conn, Store, utc_now

# Every action the log records, with what it means (docs/figures.md shows these).
ACTIONS: dict[str, str] = {
    "sign_in": "someone signed in to the dashboard",
    "submission_loaded": "a file was loaded as a submission",
    "submission_refused": "a file was refused (errors, or a role that does not allow it)",
    "submission_already_received": "the same file was sent again; nothing new was written",
    "rollback": "a submission was rolled back",
    "certification": "a certifier certified a returns submission, with the declaration",
    "return": "a certifier returned a returns submission to its submitter, with a reason",
    "role_change": "a person was given a role, or had it changed or taken away",
    "settings_change": "a setting was changed",
    "board_pack_export": "a board pack was taken (Excel or PDF)",
}
COLUMNS = ("at", "user", "action", "detail")


def record(con: Conn, user: str, action: str, detail: str, at: datetime | None = None) -> None:
    """Add one entry, inside the caller's write."""
    if action not in ACTIONS:
        raise ValueError(f"unknown audit action {action!r}")
    con.execute(
        "INSERT INTO audit_log VALUES (nextval('audit_ids'), ?, ?, ?, ?)",
        [at or utc_now(), user, action, detail],
    )


def record_now(store: Store, user: str, action: str, detail: str) -> None:
    """Add one entry in a write of its own (a sign-in, an export), which leaves the
    store's version, and so every cached figure, as it was."""
    with store.writing(log_only=True) as con:
        record(con, user, action, detail)


def entries(
    con: Conn,
    since: datetime | None = None,
    users: tuple[str, ...] = (),
    actions: tuple[str, ...] = (),
) -> list[dict[str, Any]]:
    """The log from ``since`` on, oldest first, narrowed by user and action (an empty
    tuple means all)."""
    return con.dicts(
        'SELECT logged_at AS at, "user", action, detail FROM audit_log '
        "WHERE ($since IS NULL OR logged_at >= $since) "
        'AND (len($users) = 0 OR list_contains($users, "user")) '
        "AND (len($actions) = 0 OR list_contains($actions, action)) "
        "ORDER BY logged_at, id",
        {"since": since, "users": list(users), "actions": list(actions)},
    )


def users(con: Conn) -> list[str]:
    """Everyone who appears in the log, for the page's filter."""
    return [r[0] for r in con.rows('SELECT DISTINCT "user" FROM audit_log ORDER BY 1')]
