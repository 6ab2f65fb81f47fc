"""Who may do what (CONTRACT.md section 6).

A :class:`Person` is the one acting: someone signed in to the dashboard, known by the
lower-cased e-mail of their ID token and the role the store holds for it, or whoever
runs the command line, who acts as an administrator because they can open the store
file. Every write in the core takes the acting person and asks this module first; a
refusal is :class:`Refused`, whose message names the role that would be needed. The
screens hide what a person may not use, but it is these checks that decide.

Roles, each including the ones before it:

* ``viewer``: the figures pages;
* ``board_member``: also the board pack and the submission history;
* ``submitter`` (for named councils): also returns for those councils;
* ``certifier`` (for named councils): also certify, return or roll back those
  councils' returns, never one they submitted;
* ``administrator``: everything.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from . import wording
from .store import Conn, Store, utc_now

ROLES: tuple[str, ...] = ("viewer", "board_member", "submitter", "certifier", "administrator")
COUNCIL_ROLES = ("submitter", "certifier")
_RANK = {role: rank for rank, role in enumerate(ROLES)}
# a role in the middle of a sentence ("… is now a board member")
ROLE_WORDS = {code: word.lower() for code, word in wording.ROLE_WORD.items()}
# what each role may do, in the words the Users and roles page and the docs use
ROLE_MAY = {
    "viewer": "the figures pages (Overview, Benefits realisation, Partnerships, Taking Stock).",
    "board_member": "as a viewer, and the board pack and the submission history.",
    "submitter": "for named councils: as a board member, and returns for those councils only.",
    "certifier": (
        "for named councils: as a submitter, and rolling back those councils' returns, "
        "never one they submitted."
    ),
    "administrator": (
        "everything: every kind of file (baselines, targets, the register, the survey), "
        "rollback of any submission, settings, people's roles and the audit log."
    ),
}
# the kinds a submitter may send; every other kind is an administrators' file
COUNCIL_KINDS = ("returns",)
ASK = "ask your programme office"
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+\Z")


class Refused(Exception):
    """The acting person's role does not allow what they asked for. The message says
    what was refused and which role it needs."""

    def __init__(self, message: str, needed: str) -> None:
        super().__init__(message)
        self.message = message
        self.needed = needed


@dataclass(frozen=True)
class Person:
    """Who is acting. ``role`` is None for someone signed in with no role yet;
    ``councils`` are the current GSS codes a submitter or certifier acts for."""

    email: str
    role: str | None
    councils: tuple[str, ...] = ()
    council_names: tuple[str, ...] = field(default=(), compare=False)  # for messages

    @classmethod
    def administrator(cls, who: str) -> Person:
        """Whoever runs the command line, or any visitor while sign-in is not set up."""
        return cls(who, "administrator")

    def at_least(self, role: str) -> bool:
        return self.role is not None and _RANK[self.role] >= _RANK[role]

    @property
    def is_administrator(self) -> bool:
        return self.role == "administrator"

    def acts_for(self, council: str | None) -> bool:
        """True when this person may act for ``council`` (an administrator for any)."""
        return self.is_administrator or (council is not None and council in self.councils)

    def describe(self) -> str:
        """Who this is, for messages: "a.b@council.gov.uk (submitter for Worcester)"."""
        if self.role is None:
            return f"{self.email} (no role yet)"
        role = ROLE_WORDS[self.role]
        if self.role in COUNCIL_ROLES and self.councils:
            role += " for " + _and(self.council_names or self.councils)
        return f"{self.email} ({role})"


def _and(words: Iterable[str]) -> str:
    items = list(words)
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def _needs(what: str, role: str, person: Person) -> Refused:
    """A refusal naming the role needed, the person's own role and whom to ask."""
    if role == "administrator":
        who = "an administrator"
    else:
        who = f"the {role} role or above"
    return Refused(f"{what} needs {who}; you are signed in as {person.describe()}: {ASK}", role)


# -- what each write and each screen needs ------------------------------------------


def require(person: Person, role: str, what: str) -> None:
    """Refuse unless ``person`` holds ``role`` or a role above it."""
    if person.role is None:
        raise Refused(
            f"you have no access yet: {ASK} to give you a role "
            f"({what} needs the {role} role or above)",
            role,
        )
    if not person.at_least(role):
        raise _needs(what, role, person)


def require_figures(person: Person) -> None:
    require(person, "viewer", "seeing the figures")


def require_board_pack(person: Person) -> None:
    require(person, "board_member", "taking the board pack")


def require_history(person: Person) -> None:
    require(person, "board_member", "reading the submission history")


def require_administrator(person: Person, what: str) -> None:
    require(person, "administrator", what)


def may_load(person: Person, kind: str) -> bool:
    """True when the person may send files of this kind (for some council)."""
    if kind in COUNCIL_KINDS:
        return person.at_least("submitter")
    return person.is_administrator


def loadable_kinds(person: Person, kinds: Sequence[str]) -> list[str]:
    return [k for k in kinds if may_load(person, k)]


def councils_for_load(
    person: Person, kind: str, council: str | None, council_name: str = ""
) -> frozenset[str] | None:
    """The councils whose rows this person may send in a ``kind`` file, or None for any.
    ``council`` is the council they say they are submitting for (a current GSS code),
    if any, and ``council_name`` how to name it. Refuses a kind or a council the
    person's role does not allow."""
    if kind not in COUNCIL_KINDS:
        require(
            person,
            "administrator",
            f"loading a {kind} file (baselines, targets, the register and the survey "
            "are administrators' files, so that no council changes what its own savings "
            "are measured against)",
        )
    else:
        require(person, "submitter", f"submitting a {kind} file")
    if person.is_administrator:
        return None if council is None else frozenset([council])
    if council is not None:
        if council not in person.councils:
            raise Refused(
                f"submitting returns for {council_name or council} needs the submitter role "
                f"for that council; you are signed in as {person.describe()}: {ASK}",
                "submitter",
            )
        return frozenset([council])
    return frozenset(person.councils)


def require_rollback(
    person: Person, submission_id: int, kind: str, received_by: str, councils: Sequence[str]
) -> None:
    """An administrator may roll back any submission; a certifier, a returns submission
    whose every row is for councils they certify, unless they submitted it."""
    if person.is_administrator:
        return
    _require_checker(
        person,
        f"rolling back submission {submission_id}",
        "roll it back",
        kind,
        received_by,
        councils,
    )


def require_certification(
    person: Person,
    submission_id: int,
    kind: str,
    received_by: str,
    councils: Sequence[str],
    verb: str = "certifying",
) -> None:
    """Certifying (or returning) a returns submission needs the certifier role for every
    council in it, or an administrator's; and nobody, an administrator included, may
    certify or return a submission that they submitted (CONTRACT.md section 7)."""
    what = f"{verb} submission {submission_id}"
    if kind not in COUNCIL_KINDS:
        raise Refused(f"{what}: only returns are certified, and this is a {kind} file", "certifier")
    act = "certify it" if verb == "certifying" else "return it"
    if person.is_administrator:
        _require_not_sender(person, what, act, received_by)
        return
    _require_checker(person, what, act, kind, received_by, councils)


def _require_checker(
    person: Person, what: str, act: str, kind: str, received_by: str, councils: Sequence[str]
) -> None:
    """The checks a certifier passes to act on a council's return: their role, the
    councils in it, and not having sent it."""
    require(person, "certifier", what)
    if kind not in COUNCIL_KINDS:
        raise _needs(f"{what} (a {kind} file)", "administrator", person)
    outside = sorted(c for c in councils if c not in person.councils)
    if outside or not councils:
        raise Refused(
            f"{what} needs the certifier role for every council in it "
            f"({', '.join(outside) or 'it names none'}); you are signed in as "
            f"{person.describe()}: {ASK}",
            "certifier",
        )
    _require_not_sender(person, what, act, received_by)


def _require_not_sender(person: Person, what: str, act: str, received_by: str) -> None:
    if received_by.strip().lower() == person.email.strip().lower():
        raise Refused(
            f"{what}: you submitted it, so another certifier (or an administrator) must "
            f"{act}; nobody checks their own return",
            "certifier",
        )


# -- people and their roles, held in the store ----------------------------------------


def normalise_email(text: str) -> str:
    """An e-mail address as the store keys it: trimmed and lower-cased."""
    email = text.strip().lower()
    if not _EMAIL.match(email):
        raise ValueError(f"{text.strip()!r} is not an e-mail address (such as a.b@council.gov.uk)")
    return email


def person_for(con: Conn, email: str) -> Person:
    """The person signed in as ``email``, with the role the store holds (or none)."""
    key = email.strip().lower()
    row = con.rows(
        "SELECT p.role, p.councils, list(coalesce(c.name, u.code) ORDER BY u.code) "
        "FROM people p LEFT JOIN unnest(p.councils) AS u(code) ON true "
        "LEFT JOIN councils c ON c.gss_code = u.code "
        "WHERE p.email = ? GROUP BY ALL",
        [key],
    )
    if not row:
        return Person(key, None)
    role, councils, names = row[0]
    codes = tuple(sorted(councils or ()))
    return Person(key, str(role), codes, tuple(n for n in names or () if n))


def list_people(con: Conn) -> list[dict[str, Any]]:
    """Everyone with a role, by e-mail, with their councils as sorted GSS codes."""
    return con.dicts(
        "SELECT email, role, list_sort(councils) AS councils, granted_at, granted_by "
        "FROM people ORDER BY email"
    )


def add_person(
    store: Store, by: Person, email: str, role: str, councils: Sequence[str] = ()
) -> Person:
    """Give ``email`` the role (replacing any role they had). Councils may be written
    as codes, former codes or unambiguous names; they are kept as current codes."""
    from . import audit
    from .councils import CouncilIndex

    require_administrator(by, "changing people's roles")
    key = normalise_email(email)
    if role not in ROLES:
        raise ValueError(f"unknown role {role!r}: use one of {', '.join(ROLES)}")
    if role in COUNCIL_ROLES and not councils:
        raise ValueError(f"a {role} acts for named councils: give at least one --council")
    if role not in COUNCIL_ROLES and councils:
        raise ValueError(f"a {role} is not for named councils: leave out --council")
    with store.writing() as con:
        index = CouncilIndex(con)
        codes: set[str] = set()
        for text in councils:
            try:
                codes.add(index.resolve(text).gss_code)
            except ValueError as problem:
                raise ValueError(f"--council {text!r}: {problem}") from None
        chosen = tuple(sorted(codes))
        before = person_for(con, key)
        con.execute("DELETE FROM people WHERE email = ?", [key])
        con.execute(
            "INSERT INTO people VALUES (?, ?, ?, ?, ?)",
            [key, role, list(chosen), utc_now(), by.email],
        )
        was = f" (was {before.role}{_councils_text(before.councils)})" if before.role else ""
        audit.record(
            con,
            by.email,
            "role_change",
            f"{key}: {role}{_councils_text(chosen)}{was}",
        )
    return Person(key, role, chosen, tuple(index.names.get(c, c) for c in chosen))


def remove_person(store: Store, by: Person, email: str) -> bool:
    """Take away the person's role. False when they had none."""
    from . import audit

    require_administrator(by, "changing people's roles")
    key = email.strip().lower()
    with store.writing() as con:
        before = person_for(con, key)
        if before.role is None:
            return False
        con.execute("DELETE FROM people WHERE email = ?", [key])
        audit.record(
            con,
            by.email,
            "role_change",
            f"{key}: removed (was {before.role}{_councils_text(before.councils)})",
        )
    return True


def _councils_text(councils: Sequence[str]) -> str:
    return f" for {';'.join(councils)}" if councils else ""


def submission_councils(con: Conn, submission_id: int) -> list[str]:
    """The councils (GSS codes) a returns submission's rows are for."""
    return [
        r[0]
        for r in con.rows(
            "SELECT DISTINCT council FROM return_rows WHERE submission_id = ? ORDER BY 1",
            [submission_id],
        )
    ]
