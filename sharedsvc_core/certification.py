"""Certified returns (CONTRACT.md section 7): the maker-checker step.

A returns submission is *awaiting* certification when it is loaded. A certifier of its
council (or an administrator) then either certifies it, with the declaration below, or
returns it with a reason. Nobody decides on a submission that they submitted.

A decision is made once. It is a row of ``certifications`` whose primary key is the
submission, written in the same transaction that checks there is none yet, so when two
certifiers act on one submission at once exactly one is recorded and the other is told
who decided first. A return also adds a rollback at the same moment: its rows stop
counting exactly as a rolled-back submission's do, and the rows it had superseded
count again. Both are events in time, so a question asked ``--as-of`` an earlier
moment sees the submission as it then stood.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from . import access, audit
from .access import Person
from .store import FOREVER, Conn, Store, utc_now

DECLARATION = (
    "I certify that these figures are a true record of this council's costs and "
    "savings for the quarters shown."
)
DECISIONS = ("certified", "returned")
MAX_REASON = 2000


class CertificationError(Exception):
    """A decision that cannot be made: no such submission, one already made, or a
    submission that no longer counts. The message says what happened and what to do."""


@dataclass(frozen=True)
class Decision:
    submission_id: int
    decision: str  # certified or returned
    at: datetime
    by: str
    reason: str | None = None

    def sentence(self) -> str:
        stamp = self.at.strftime("%Y-%m-%d %H:%M UTC")
        if self.decision == "certified":
            return f"submission {self.submission_id} was certified by {self.by} at {stamp}"
        return (
            f"submission {self.submission_id} was returned by {self.by} at {stamp}: {self.reason}"
        )


def decision_for(con: Conn, submission_id: int) -> Decision | None:
    """The decision made on a submission, if any."""
    found = con.rows(
        "SELECT decision, decided_at, decided_by, reason FROM certifications "
        "WHERE submission_id = ?",
        [submission_id],
    )
    if not found:
        return None
    decision, at, by, reason = found[0]
    return Decision(submission_id, decision, at, by, reason)


def certify(store: Store, submission_id: int, by: Person, at: datetime | None = None) -> Decision:
    """Certify a returns submission as ``by``, with :data:`DECLARATION`.
    Raises :class:`access.Refused` or :class:`CertificationError`; nothing is then
    written. ``at`` back-dates a certification made before the store held it (the
    demo's history); it is never before the submission arrived."""
    return _decide(store, submission_id, by, "certified", None, at)


def send_back(store: Store, submission_id: int, by: Person, reason: str) -> Decision:
    """Return a returns submission to its submitter with ``reason``: its rows stop
    counting, as with a rollback."""
    text = " ".join(str(reason or "").split())
    if not text:
        raise CertificationError(
            "give a reason for returning it, so that the submitter knows what to correct"
        )
    if len(text) > MAX_REASON:
        raise CertificationError(
            f"the reason is {len(text):,} characters long: keep it to {MAX_REASON:,}"
        )
    return _decide(store, submission_id, by, "returned", text)


def _decide(
    store: Store,
    submission_id: int,
    by: Person,
    decision: str,
    reason: str | None,
    at: datetime | None = None,
) -> Decision:
    with store.writing() as con:
        return decide(con, submission_id, by, decision, reason, at)


def decide(
    con: Conn,
    submission_id: int,
    by: Person,
    decision: str,
    reason: str | None,
    at: datetime | None = None,
) -> Decision:
    """Record one decision inside the caller's write (several back-dated ones can then
    share one transaction, as the demo's history does)."""
    verb = "certifying" if decision == "certified" else "returning"
    found = con.rows(
        "SELECT kind, received_by, received_at FROM submissions WHERE id = ?",
        [submission_id],
    )
    if not found:
        raise CertificationError(f"there is no submission {submission_id}")
    kind, received_by, received_at = found[0]
    councils = access.submission_councils(con, submission_id)
    access.require_certification(by, submission_id, kind, received_by, councils, verb)
    earlier = decision_for(con, submission_id)
    if earlier is not None:
        raise CertificationError(
            f"{earlier.sentence()}; a submission is decided once, so nothing was changed"
        )
    rolled = con.rows(
        "SELECT rolled_back_at, rolled_back_by FROM rollbacks WHERE submission_id = ?",
        [submission_id],
    )
    if rolled:
        at, who = rolled[0]
        raise CertificationError(
            f"submission {submission_id} was rolled back by {who} at "
            f"{at.strftime('%Y-%m-%d %H:%M UTC')}, so its rows no longer count and "
            "there is nothing to certify; ask for a corrected return instead"
        )
    now = at or utc_now()
    if now < received_at:
        raise CertificationError(
            f"submission {submission_id} arrived at {received_at:%Y-%m-%d %H:%M} UTC: "
            "it cannot be decided on before then"
        )
    con.execute(
        "INSERT INTO certifications VALUES (?, ?, ?, ?, ?, ?)",
        [
            submission_id,
            decision,
            now,
            by.email,
            DECLARATION if decision == "certified" else None,
            reason,
        ],
    )
    if decision == "returned":
        con.execute("INSERT INTO rollbacks VALUES (?, ?, ?)", [submission_id, now, by.email])
    where = f" for {', '.join(councils)}" if councils else ""
    # the log says when it was written; a back-dated decision says when it was made
    dated = f", decided_at given as {now:%Y-%m-%dT%H:%M:%SZ}" if at is not None else ""
    if decision == "certified":
        detail = (
            f"submission {submission_id} (returns{where}, sent by {received_by}) "
            f'certified: "{DECLARATION}"'
        )
        audit.record(con, by.email, "certification", detail + dated)
    else:
        detail = (
            f"submission {submission_id} (returns{where}, sent by {received_by}) "
            f"returned to its submitter: {reason}"
        )
        audit.record(con, by.email, "return", detail + dated)
    return Decision(submission_id, decision, now, by.email, reason)


def queue(con: Conn, person: Person, as_of: datetime | None = None) -> list[dict[str, Any]]:
    """The returns submissions awaiting certification that ``person`` may decide on,
    oldest first, each with its councils and whether they sent it (they may not
    decide on those). Rolled-back submissions are left out: their rows no longer
    count."""
    rows = con.dicts(
        "SELECT id, file_name, rows, received_at, received_by, council, status "
        "FROM <<submission_status>> "
        "WHERE certification = 'awaiting' AND status <> 'rolled_back' "
        "ORDER BY received_at, id",
        {"as_of": as_of or FOREVER},
    )
    out = []
    for row in rows:
        councils = access.submission_councils(con, row["id"])
        if not person.is_administrator and (
            not councils or any(c not in person.councils for c in councils)
        ):
            continue
        row["councils"] = councils
        row["sent_by_you"] = row["received_by"].strip().lower() == person.email.strip().lower()
        out.append(row)
    return out


def uncertified(con: Conn, as_of: datetime | None = None) -> list[dict[str, Any]]:
    """Every returns submission whose rows count but which nobody has certified yet,
    oldest first: the board pack lists them."""
    rows = con.dicts(
        "SELECT id, file_name, rows, received_at, received_by, council, status "
        "FROM <<submission_status>> "
        "WHERE certification = 'awaiting' AND status = 'current' "
        "ORDER BY received_at, id",
        {"as_of": as_of or FOREVER},
    )
    for row in rows:
        row["councils"] = access.submission_councils(con, row["id"])
    return rows
