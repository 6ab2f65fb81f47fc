"""The reference list of UK councils, and matching a council however it is written.

The list is mySociety's *UK local authority names and codes* (CC BY 4.0), kept in
``data/reference/``. A council may be written as its current GSS code, a former GSS
code or any of its names; the store always keeps the current GSS code.
"""

from __future__ import annotations

import csv
import difflib
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from .store import Conn

REFERENCE_DIR = Path(__file__).resolve().parent.parent / "data" / "reference"
GSS_PATTERN = re.compile(r"^[ENSWK]\d{8}$")


def normalise_name(text: str) -> str:
    """Lower case, ``&`` as ``and``, punctuation dropped, spaces collapsed."""
    value = text.strip().lower().replace("&", " and ")
    value = re.sub(r"[^a-z0-9 ]+", " ", value)
    value = re.sub(r"\s+", " ", value).strip()
    return value.removeprefix("the ")


def _date(text: str) -> date | None:
    return date.fromisoformat(text) if text else None


def read_reference(
    directory: Path = REFERENCE_DIR,
) -> tuple[list[dict[str, Any]], list[tuple[str, str, str]]]:
    """Read the reference files: (councils, aliases). Authorities with no GSS code
    (a few historic ones) cannot be named in a return and are left out."""
    with open(directory / "uk_local_authorities_current.csv", encoding="utf-8", newline="") as f:
        raw = list(csv.DictReader(f))
    by_registry: dict[str, str] = {}
    councils: list[dict[str, Any]] = []
    aliases: set[tuple[str, str, str]] = set()
    for row in raw:
        gss = row["gss-code"].strip()
        if not gss:
            continue
        by_registry[row["local-authority-code"]] = gss
        councils.append(
            {
                "gss_code": gss,
                "name": row["nice-name"],
                "official_name": row["official-name"],
                "registry_code": row["local-authority-code"],
                "type_name": row["local-authority-type-name"] or None,
                "nation": row["nation"] or None,
                "region": row["region"] or None,
                "start_date": _date(row["start-date"]),
                "end_date": _date(row["end-date"]),
                "replaced_by": row["replaced-by"] or None,
                "is_current": row["current-authority"] == "True",
            }
        )
        aliases.add((gss.lower(), gss, "code"))
        for former in filter(None, (c.strip() for c in row["former-gss-codes"].split(","))):
            aliases.add((former.lower(), gss, "former_code"))
        for name in (row["nice-name"], row["official-name"]):
            aliases.add((normalise_name(name), gss, "name"))
    with open(directory / "lookup_gss_to_registry.csv", encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            gss = by_registry.get(row["local-authority-code"])
            code = row["gss-code"].strip()
            if gss and code and code != gss:
                aliases.add((code.lower(), gss, "former_code"))
    with open(directory / "lookup_name_to_registry.csv", encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            gss = by_registry.get(row["local-authority-code"])
            if gss:
                aliases.add((normalise_name(row["la-name"]), gss, "name"))
    return councils, sorted(aliases)


def load_reference(con: Conn, directory: Path = REFERENCE_DIR) -> int:
    """Replace the store's reference councils with the files' (inside the caller's
    transaction). Returns the number of councils."""
    councils, aliases = read_reference(directory)
    con.execute("DELETE FROM council_aliases")
    con.execute("DELETE FROM councils")
    columns = list(councils[0])
    placeholders = ", ".join("?" for _ in columns)
    con.executemany(
        f"INSERT INTO councils ({', '.join(columns)}) VALUES ({placeholders})",  # noqa: S608
        [list(c.values()) for c in councils],
    )
    con.executemany("INSERT INTO council_aliases VALUES (?, ?, ?)", aliases)
    return len(councils)


@dataclass(frozen=True)
class Match:
    gss_code: str
    name: str
    how: str  # code, former_code or name


class CouncilIndex:
    """Resolves what a file says to a council, from the store's reference tables."""

    def __init__(self, con: Conn) -> None:
        self.names: dict[str, str] = {}
        self.current: dict[str, bool] = {}
        for gss, name, is_current in con.rows("SELECT gss_code, name, is_current FROM councils"):
            self.names[gss] = name
            self.current[gss] = bool(is_current)
        self._aliases: dict[str, dict[str, str]] = {}
        for alias, gss, how in con.rows("SELECT alias, gss_code, how FROM council_aliases"):
            self._aliases.setdefault(alias, {})[gss] = how
        self._cache: dict[str, Match] = {}

    def describe(self, gss: str) -> str:
        return f"{self.names.get(gss, 'unknown council')} ({gss})"

    def resolve(self, text: str) -> Match:
        """The council ``text`` names, or ValueError with a message saying what to do."""
        hit = self._cache.get(text)
        if hit is not None:
            return hit
        value = text.strip()
        key = value.lower() if GSS_PATTERN.match(value.upper()) else normalise_name(value)
        found = self._aliases.get(key, {})
        if not found:
            raise ValueError(self._unknown(value))
        if len(found) > 1:
            options = " or ".join(
                f"{self.names[g]} ({g}{'' if self.current[g] else ', former council'})"
                for g in sorted(found)
            )
            raise ValueError(f"{value!r} could be {options}: give the GSS code")
        gss, how = next(iter(found.items()))
        match = Match(gss, self.names[gss], how)
        self._cache[text] = match
        return match

    def _unknown(self, value: str) -> str:
        if GSS_PATTERN.match(value.upper()):
            return f"{value!r} is not a GSS code in the reference list of councils"
        close = difflib.get_close_matches(normalise_name(value), list(self._aliases), n=1)
        hint = ""
        if close and len(self._aliases[close[0]]) == 1:
            gss = next(iter(self._aliases[close[0]]))
            hint = f" Did you mean {self.names[gss]} ({gss})?"
        return (
            f"unknown council {value!r}: give its GSS code (such as E07000239) "
            f"or its name as in the reference list.{hint}"
        )
