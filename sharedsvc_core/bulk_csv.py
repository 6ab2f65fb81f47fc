"""A large, plain CSV return read and checked inside DuckDB.

The line-by-line reader (readers.py) and the row checks (ingest.py) take any file and
name every problem by row and column, but they run in Python, a cell at a time where a
column has problems and a column at a time where it has none. For the national
programme's quarterly returns (185,000 rows) that is most of a load. This module reads
such a file with DuckDB's CSV reader instead and checks it column by column in SQL,
parsing each distinct value of a column with the very same parser the row checks use.

It only ever says one thing: "this file loads exactly as written". Whenever a file is
anything but plain, :func:`scan` returns None and the file is read line by line as
before, so every message a person sees still comes from the one reader and the one
set of checks. A file is plain when:

* it is a returns file of at least :data:`SCAN_FROM_BYTES`, UTF-8 without a byte-order
  mark, with lines ended by LF or CRLF and no NUL or other control character near its
  start;
* its first line is the header, every heading a column of the kind written as the
  contract writes it, each once, the required ones all there;
* every line after it is one row with as many values as the header, no line is blank,
  and every quote mark opens or closes a whole value (a value in quotes may hold
  commas and doubled quotes, but not a line break);
* every amount is a plain number such as 1234.50, every other value parses, the
  councils are given by their GSS codes (and are ones the sender may send for), no
  cell says "Total", no required value is blank and no key appears twice.

The rows checked are written, typed, to a Parquet file in a temporary folder; staging
reads them from there inside the store's lock, so the store is not held while the
file is read and checked (as for the line-by-line reader).
"""

from __future__ import annotations

import re
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from . import contract
from .contract import Column, Kind, is_blank, normalise_word
from .councils import Match
from .readers import _CONTROL
from .store import Conn, ScratchConn, ScratchFailed, scratch
from .store import quoted as _q

# Smaller files are read line by line: it takes a few hundredths of a second, and
# starting DuckDB and a temporary folder would cost as much.
SCAN_FROM_BYTES = 256 * 1024
SCAN_KINDS = frozenset({"returns"})
# a column with more distinct values than this is read line by line
MAX_DISTINCT = 50_000
# values written otherwise than as staged ("Q1" staged as 1), per column
MAX_REWRITTEN = 64

# one line of values, where any quoted value is whole: "a, b" and "say ""no""" but not
# a"b, "a" b or a space before an opening quote
# a file with more quote marks than this is read line by line: each is looked at once
MAX_QUOTES = 200_000

Outcome = Callable[[Column, Any], tuple[bool, Any]]


@dataclass(frozen=True)
class Rules:
    """What the row checks decide, lent to this module: ``outcome(column, value)`` is
    their parse of one value, (True, the value read) or (False, the problem);
    ``as_text`` is how a value read is staged; ``total`` matches a cell that makes its
    row a total; ``allowed`` is the councils the sender may send for (None: any)."""

    outcome: Outcome
    as_text: Callable[[Any], str | None]
    total: re.Pattern[str]
    allowed: frozenset[str] | None


@dataclass
class Scanned:
    """A file read and checked by :func:`scan`: its rows as staged, in a Parquet file."""

    rows: int
    parquet: Path
    folder: tempfile.TemporaryDirectory[str]

    def stage(self, con: Conn) -> None:
        """The checked rows into the store's temporary table ``staging``."""
        con.execute("DROP TABLE IF EXISTS staging")
        con.execute(
            f"CREATE TEMP TABLE staging AS SELECT * FROM read_parquet({_literal(self.parquet)})"  # noqa: S608
        )

    def close(self) -> None:
        self.folder.cleanup()


def _literal(text: str | Path) -> str:
    return "'" + str(text).replace("'", "''") + "'"


def staged_as(expression: str, column: Column) -> str:
    """The SQL that stages ``expression``, the text of one of ``column``'s values, as the
    column's type (blank text as no value)."""
    sql_type = contract.TYPES[column.kind].sql
    return f"CAST(NULLIF({expression}, '') AS {sql_type}) AS {_q(column.name)}"


def _re2(pattern: re.Pattern[str]) -> str:
    """A plain-number pattern for DuckDB's regular expressions: ASCII digits only (a
    digit of another script is left to the line-by-line reader), matched whole."""
    return pattern.pattern.removesuffix(r"\Z").replace(r"\d", "[0-9]")


def _plain_text(data: bytes) -> str | None:
    """The file as text, when its bytes allow reading it this way."""
    if data.startswith(b"\xef\xbb\xbf") or b"\x00" in data:
        return None
    if data.count(b"\r") != data.count(b"\r\n"):
        return None  # a carriage return alone ends a line for Python's reader
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return None
    if _CONTROL.search(text, 0, 20000):
        return None
    return text


def _header(kind: Kind, text: str) -> list[str] | None:
    end = text.find("\n")
    line = (text if end < 0 else text[:end]).removesuffix("\r")
    if '"' in line or "," not in line:
        return None
    header = line.split(",")
    if (
        len(set(header)) != len(header)
        or any(h != normalise_word(h) or h not in kind.by_name for h in header)
        or any(c.required and c.name not in header for c in kind.columns)
    ):
        return None
    return header


def _quotes_whole(text: str, width: int) -> bool:
    """True when every line holding a quote mark is at most ``width`` values, each of
    them whole: unquoted with no quote mark in it, or quoted from its start to its end,
    with any quote mark inside doubled ("a, b" and "a ""b"" c", but not a"b, "a" b or a
    space before an opening quote). Each quote mark and comma of those lines is visited
    once, by str.find, and nothing is held: a hostile file with a value of millions of
    characters costs no more than reading it."""
    if text.count('"') > MAX_QUOTES:
        return False
    at = text.find('"')
    while at >= 0:
        start = text.rfind("\n", 0, at) + 1
        end = text.find("\n", at)
        end = len(text) if end < 0 else end
        if end > start and text[end - 1] == "\r":
            end -= 1
        if not _line_whole(text, start, end, width):
            return False
        at = text.find('"', end)
    return True


def _line_whole(text: str, at: int, end: int, width: int) -> bool:
    """_quotes_whole for the one line text[at:end] (its line ending left out)."""
    for _ in range(width):
        if at < end and text[at] == '"':
            close = text.find('"', at + 1, end)
            while 0 <= close < end - 1 and text[close + 1] == '"':  # a doubled quote mark
                close = text.find('"', close + 2, end)
            if close < 0:
                return False  # never closed on this line
            at = close + 1
            if at == end:
                return True
            if text[at] != ",":
                return False  # "a" b
        else:
            comma = text.find(",", at, end)
            field_end = end if comma < 0 else comma
            if text.find('"', at, field_end) >= 0:
                return False  # a"b
            if comma < 0:
                return True
            at = comma
        at += 1
    return False  # more values than the header has


def _lines(text: str) -> int:
    return text.count("\n") + (0 if text.endswith("\n") else 1)


def scan(kind: Kind, data: bytes, rules: Rules) -> Scanned | None:
    """Read and check a large plain ``kind`` file in DuckDB, or None when the file must
    be read line by line."""
    if kind.name not in SCAN_KINDS or len(data) < SCAN_FROM_BYTES:
        return None
    text = _plain_text(data)
    if text is None:
        return None
    header = _header(kind, text)
    if header is None or not _quotes_whole(text, len(header)):
        return None
    rows = _lines(text) - 1
    if rows < 1:
        return None
    folder = tempfile.TemporaryDirectory(prefix="sharedsvc-scan-")
    try:
        source = Path(folder.name) / "file.csv"
        source.write_bytes(data)
        del text
        scanned = Scanned(rows, Path(folder.name) / "rows.parquet", folder)
        with scratch() as con:
            if _read_and_check(con, kind, header, source, scanned, rules):
                return scanned
    except (ScratchFailed, OSError):  # DuckDB refused the file, or the folder is full
        pass
    folder.cleanup()
    return None


def _read_and_check(
    con: ScratchConn,
    kind: Kind,
    header: list[str],
    source: Path,
    scanned: Scanned,
    rules: Rules,
) -> bool:
    names = "{" + ", ".join(f"{_literal(h)}: 'VARCHAR'" for h in header) + "}"
    con.execute(
        "CREATE TABLE raw AS SELECT * FROM read_csv("  # noqa: S608
        f"{_literal(source)}, columns = {names}, header = true, auto_detect = false, "
        "delim = ',', quote = '\"', escape = '\"', strict_mode = true, "
        "null_padding = false, encoding = 'utf-8')"
    )
    if con.one("SELECT count(*) FROM raw") != scanned.rows:
        return False  # a blank line, or a quoted value over two lines
    present = [kind.by_name[h] for h in header]
    plain = [c for c in present if contract.TYPES[c.kind].plain is not None]
    counts = con.rows(
        "SELECT "  # noqa: S608
        + ", ".join(
            f"count(*) FILTER (WHERE {_q(c.name)} IS NULL), "
            + (
                f"count(*) FILTER (WHERE NOT regexp_full_match({_q(c.name)}, ?))"
                if c in plain
                else "0"
            )
            for c in present
        )
        + " FROM raw",
        [_re2(p) for c in plain if (p := contract.TYPES[c.kind].plain)],
    )[0]
    # each column's SQL and its parameters; a column the file leaves out is its default
    staging: dict[str, tuple[str, list[Any]]] = {
        c.name: ("?", [rules.as_text(c.default)]) for c in kind.columns
    }
    for i, column in enumerate(present):
        blanks, unplain = counts[2 * i], counts[2 * i + 1]
        required = column.required and column.default is None
        if blanks and required:
            return False
        default = rules.as_text(column.default)
        if column in plain:
            if unplain:
                return False
            rewritten: dict[str, str | None] = {}
        else:
            got = _rewritten(con, column, rules)
            if got is None:
                return False
            rewritten = got
        expression, params = _q(column.name), []
        if rewritten:
            cases = " ".join("WHEN ? THEN ?" for _ in rewritten)
            expression = f"CASE {expression} {cases} ELSE {expression} END"
            for raw, staged in rewritten.items():
                params += [raw, staged if staged is not None else default]
        if default is not None:
            expression = f"coalesce({expression}, ?)"
            params.append(default)
        staging[column.name] = (expression, params)
    # in the contract's order of columns, the placeholders' order
    selected = ", ".join(staged_as(staging[c.name][0], c) for c in kind.columns)
    params = [value for c in kind.columns for value in staging[c.name][1]]
    staged = f"SELECT CAST(rowid + 2 AS INTEGER) AS row_no, {selected} FROM raw"  # noqa: S608
    if kind.key:
        keys = ", ".join(_q(k) for k in kind.key)
        twice = con.one(
            f"SELECT count(*) FROM (SELECT {keys} FROM ({staged}) "  # noqa: S608
            "GROUP BY ALL HAVING count(*) > 1)",
            params,
        )
        if twice:
            return False
    con.execute(
        f"COPY ({staged}) TO {_literal(scanned.parquet)} "  # noqa: S608
        "(FORMAT parquet, COMPRESSION uncompressed)",
        params,
    )
    return True


def _rewritten(con: ScratchConn, column: Column, rules: Rules) -> dict[str, str | None] | None:
    """The values of ``column`` written otherwise than they are staged, each with the
    text staged for it (None: blank); None when a value would need a word to the
    sender (it does not parse, names a council, says Total, is blank where required)."""
    name = _q(column.name)
    distinct = con.rows(
        f"SELECT DISTINCT {name} FROM raw WHERE {name} IS NOT NULL LIMIT {MAX_DISTINCT + 1}"  # noqa: S608
    )
    if len(distinct) > MAX_DISTINCT:
        return None
    required = column.required and column.default is None
    rewritten: dict[str, str | None] = {}
    for (raw,) in distinct:
        if rules.total.match(raw.strip()):
            return None
        if is_blank(raw):
            if required:
                return None
            rewritten[raw] = None
            continue
        ok, value = rules.outcome(column, raw)
        if not ok:
            return None
        if isinstance(value, Match) and (
            value.how != "code"
            or (rules.allowed is not None and value.gss_code not in rules.allowed)
        ):
            return None
        staged = rules.as_text(value)
        if staged != raw:
            rewritten[raw] = staged
    if len(rewritten) > MAX_REWRITTEN:
        return None
    return rewritten
