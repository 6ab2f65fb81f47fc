"""Validating and loading a file as one submission (CONTRACT.md sections 1 to 3).

A load runs in one transaction: every problem in the file is found in one pass, and
nothing is written unless there is no error at all. Rows are checked column by column
(each distinct value is parsed once), then the checks across tables run as SQL
against the store's current rows, with the file's rows standing in for the ones
they would supersede.
"""

from __future__ import annotations

import functools
import heapq
import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from . import access, audit, bulk_csv, changes, contract
from .access import Person, Refused
from .bulk_csv import Scanned
from .contract import Column, Kind, is_blank, normalise_word
from .councils import CouncilIndex, Match
from .readers import FILE, UTF8, FileRefused, RawTable, read_table
from .settings import get_settings
from .store import Conn, Store, fault_point, sha256_hex, sql, utc_now
from .store import quoted as _q

MAX_LISTED = 200  # problems listed for one file; the rest are counted
_TOTAL = re.compile(r"^(?:grand\s*)?(?:sub[\s-]?)?totals?\s*:?$", re.IGNORECASE)


# Every kind of problem a file can have, by a stable code (after Frictionless's names
# where one fits): the report shows the code beside the message, so that a finance
# officer, a helpdesk and the guide (docs/preparing-a-return.md) can name a problem
# whatever its wording.
PROBLEMS: dict[str, str] = {
    # the file as a whole
    "file-too-large": "the file is over the size limit",
    "unreadable-file": "the file cannot be read as CSV or Excel",
    "file-error": "amounts above the header said to be in £ thousands",
    "file-note": "how the file was read: the header row found, and the rows skipped",
    "no-rows": "a header with no data rows",
    # the header
    "blank-label": "a column with values but no heading",
    "duplicate-label": "the same heading twice",
    "extra-label": "a column that is not part of the file kind",
    "missing-label": "a required column is missing",
    # one row or cell
    "extra-cell": "a row with more values than the header has columns",
    "total-row": "a total or subtotal row",
    "cell-error": "a formula in a workbook with no saved value",
    "type-error": "a value that is not of the column's kind (an Excel error such as #REF! too)",
    "missing-cell": "a required value is blank",
    "row-constraint": "two values in a row that contradict each other",
    "primary-key": "the same key twice in the file",
    "council-matched": "a council given by name or former code, and how it was read",
    "not-your-council": "a row for a council the sender may not submit for",
    # against the register and the returns already received
    "unknown-service": "a service that is not on the register",
    "unknown-partnership": "a partnership that is not on the register",
    "not-a-member": "a council that is not a member of the partnership that year",
    "lead-not-member": "a lead council that is not a member of its partnership",
    "cost-share-sum": "the members' cost shares for a year do not add up to 1",
    "whole-service-lead": "a whole_service return from a council that is not the lead",
    "no-baseline": "a return with no agreed baseline to measure it against",
    "both-cost-bases": "whole_service and own returns for one service and quarter",
    "cost-high": "an actual cost more than twice the quarterly baseline",
    "cost-low": "an actual cost under a tenth of the quarterly baseline",
    "claim-high": "a claimed saving larger than the whole quarterly baseline",
    "cost-jump": "an actual cost that changed by more than 100% from the previous quarter",
    "unknown-benefit": "a benefit that is not on the benefits register",
    "reason-required": "a changed baseline or target with no reason given for the change",
    "unknown-option": "a score for an option that is not among the service's options",
    "unknown-criterion": "a score against a criterion that is not among the service's criteria",
    "chosen-twice": "more than one chosen option for a service",
    "short-list-baseline": "a short list with no do_nothing or no do_minimum option",
    "no-weight": "a service whose criteria all weigh 0",
}


@dataclass
class Message:
    severity: str  # ERROR, WARNING or NOTE
    row: int
    column: str
    message: str
    value: str = ""
    code: str = ""  # a stable name for the kind of problem (PROBLEMS), shown beside it

    def line(self) -> str:
        return f"{self.severity} row {self.row}, column {self.column}: {self.message}"


@dataclass
class LoadResult:
    kind: str
    file_name: str
    sha256: str
    # loaded, rejected, duplicate or checked (a dry run that passed); "unread" only inside
    # load(), for a file skipped as already received whose earlier copy was rolled back
    status: str = "rejected"
    messages: list[Message] = field(default_factory=list)
    submission_id: int | None = None
    rows: int = 0
    new_rows: int = 0
    superseding: int = 0
    blank_rows: list[int] = field(default_factory=list)
    received_at: datetime | None = None
    received_by: str = ""
    council: str | None = None
    detail: str = ""
    sheet: str = ""  # for a workbook, the sheet read (quoted), named in every message
    preview: list[dict[str, Any]] = field(default_factory=list)
    # errors found but kept only as a count: past the first MAX_LISTED no file's further
    # problems are worded, so a file wrong on every row costs no more than its reading
    unlisted_errors: int = 0

    @property
    def errors(self) -> list[Message]:
        """The errors kept as messages (all of them, up to MAX_LISTED row errors)."""
        return [m for m in self.messages if m.severity == "ERROR"]

    @property
    def error_count(self) -> int:
        """Every error found, listed or not."""
        return len(self.errors) + self.unlisted_errors

    @property
    def warnings(self) -> list[Message]:
        return [m for m in self.messages if m.severity == "WARNING"]

    @property
    def ok(self) -> bool:
        return self.status in ("loaded", "duplicate", "checked")

    def summary(self) -> str:
        if self.status == "duplicate":
            return f"already received as submission {self.submission_id}: nothing new"
        if self.status == "rejected":
            return f"rejected: {self.error_count} errors, nothing written"
        text = (
            f"{self.rows} rows ({self.new_rows} new, {self.superseding} superseding), "
            f"{len(self.warnings)} warnings"
        )
        if self.status == "checked":
            return f"checked: {text}; nothing written yet"
        return f"loaded submission {self.submission_id}: {text}"

    def listed(self) -> tuple[list[Message], int]:
        """The messages to list, and how many problems are left out: after
        MAX_LISTED errors and warnings, the rest are counted, not listed."""
        out: list[Message] = []
        problems = 0
        for m in self.messages:
            if m.severity in ("ERROR", "WARNING"):
                problems += 1
                if problems > MAX_LISTED:
                    continue
            out.append(m)
        return out, max(0, problems - MAX_LISTED) + self.unlisted_errors

    def on_sheet(self, message: Message) -> str:
        """ " (sheet 'returns')" after a message about a workbook that does not already
        name the sheet it read."""
        if not self.sheet or f"sheet {self.sheet}" in message.message:
            return ""
        return f" (sheet {self.sheet})"

    def not_listed(self, hidden: int) -> str:
        return (
            f"{hidden:,} more problems are not listed (only the first {MAX_LISTED} are): "
            "fix these, then check the file again to see the rest"
        )

    def lines(self) -> list[str]:
        listed, hidden = self.listed()
        out = [m.line() + self.on_sheet(m) for m in listed]
        if hidden:
            out.append(f"NOTE {self.not_listed(hidden)}")
        if self.blank_rows:
            shown = ", ".join(str(r) for r in self.blank_rows[:10])
            more = ", ..." if len(self.blank_rows) > 10 else ""
            out.append(f"NOTE skipped {len(self.blank_rows)} blank rows (rows {shown}{more})")
        out.append(self.summary())
        return out


class UsageError(Exception):
    """A mistake in how the load was asked for (not in the file)."""


def _parser(column: Column, councils: CouncilIndex) -> Callable[[Any], Any]:
    kind = column.kind
    if kind == "choice":
        choices = column.choices

        def parse_choice(value: Any) -> str:
            word = normalise_word(str(value))
            if word not in choices:
                raise ValueError(f"{str(value).strip()!r} is not one of {', '.join(choices)}")
            return word

        return parse_choice
    if kind == "text":
        limit = column.max_length

        def parse_text(value: Any) -> str:
            text = str(value).strip()
            if limit and len(text) > limit:
                raise ValueError(f"is {len(text):,} characters long: keep it to {limit:,}")
            return text

        return parse_text
    if kind == "council":
        return councils.resolve
    column_type = contract.TYPES[kind]
    parse = column_type.parse
    plain = column_type.plain
    if parse is None:
        raise ValueError(f"no reader for a column of type {kind}")
    if plain is None:
        return parse

    def parse_plain_or_fully(value: Any) -> Any:
        # "1234.5" is already exact text for its DECIMAL; anything else is read fully
        if type(value) is str and plain.match(value):
            return value
        return parse(value)

    return parse_plain_or_fully


def _outcome(councils: CouncilIndex) -> Callable[[Column, Any], tuple[bool, Any]]:
    """One value of a column read as the row checks read it: (True, the value) or
    (False, the problem)."""
    parsers: dict[str, Callable[[Any], Any]] = {}

    def outcome(column: Column, value: Any) -> tuple[bool, Any]:
        if column.name not in parsers:
            parsers[column.name] = _parser(column, councils)
        try:
            return True, parsers[column.name](value)
        except ValueError as problem:
            return False, str(problem)

    return outcome


def _as_text(value: Any) -> str | None:
    """The canonical text a parsed value is staged as (SQL casts it back)."""
    if value is None:
        return None
    if isinstance(value, Match):
        return value.gss_code
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _size(n: int) -> str:
    return f"{n / 1048576:.1f} MB" if n >= 1048576 else f"{max(1, round(n / 1024))} KB"


def _shown(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime | date):
        return value.isoformat()
    return str(value)


@dataclass
class _Checked:
    staged: dict[str, list[str | None]]
    row_numbers: Sequence[int]
    messages: list[Message]
    header_ok: bool
    unlisted: int = 0  # row errors past the first MAX_LISTED, counted and not worded
    scanned: Scanned | None = None  # a large plain file, read and checked in DuckDB

    def close(self) -> None:
        if self.scanned is not None:
            self.scanned.close()


class _Problems:
    """The row problems of one file. Only the first MAX_LISTED, in the order of row then
    column, are kept: a heap holds them with their keys negated, so the latest in that
    order is the one dropped as another arrives. The rest are counted. A file wrong on
    every row thus costs no more memory than a file wrong on a few."""

    def __init__(self) -> None:
        self.kept: list[tuple[int, int, int, str, str, Any, str]] = []
        self.found = 0
        self.bad_rows: set[int] = set()

    def add(self, row_no: int, order: int, column: str, text: str, value: Any, code: str) -> None:
        self.found += 1
        self.bad_rows.add(row_no)
        item = (-row_no, -order, -self.found, column, text, value, code)
        if len(self.kept) < MAX_LISTED:
            heapq.heappush(self.kept, item)
        else:
            heapq.heappushpop(self.kept, item)

    def messages(self) -> list[Message]:
        return [
            Message("ERROR", -row_no, column, text, _shown(value), code)
            for row_no, _, _, column, text, value, code in sorted(self.kept, reverse=True)
        ]

    @property
    def unlisted(self) -> int:
        return self.found - len(self.kept)


@dataclass
class _Rows:
    """One file's rows as the row checks see them, column by column, and what the
    checks find and read: each check takes this and adds to its problems."""

    kind: Kind
    table: RawTable
    councils: CouncilIndex
    allowed: frozenset[str] | None
    positions: dict[str, int]  # each known heading's column
    header_ok: bool
    problems: _Problems = field(default_factory=_Problems)
    total_rows: set[int] = field(default_factory=set)
    problem_cells: set[tuple[int, int]] = field(default_factory=set)
    parsed: dict[str, list[Any]] = field(default_factory=dict)  # each column's values
    texts: dict[str, list[str | None]] = field(default_factory=dict)  # as staged
    notes: list[Message] = field(default_factory=list)

    @property
    def width(self) -> int:
        return len(self.table.header)

    @property
    def row_numbers(self) -> list[int]:
        return self.table.row_numbers

    @functools.cached_property
    def raw(self) -> dict[int, list[Any]]:
        return dict(enumerate(self.table.columns))

    @property
    def by_value(self) -> bool:
        """CSV cells are all text, so equal text is an equal cell; .xlsx cells keep their
        type, so a cell is its type and its value."""
        return self.table.source == "csv"

    def keys_of(self, column_values: list[Any]) -> list[Any]:
        return column_values if self.by_value else [(type(v), v) for v in column_values]

    def heading(self, index: int) -> str:
        return normalise_word(str(self.table.header[index])) if index < self.width else ""


def _check_header(kind: Kind, table: RawTable) -> tuple[list[Message], dict[str, int], bool]:
    """Each heading known once, every required one there. The problems, each known
    heading's column, and whether the rows can be read at all."""
    messages: list[Message] = []
    hr = table.header_row
    positions: dict[str, int] = {}
    for index, heading in enumerate(table.header):
        word = normalise_word(str(heading))
        if not word:
            if index < len(table.columns) and not all(map(is_blank, table.columns[index])):
                messages.append(
                    Message(
                        "WARNING",
                        hr,
                        f"column {index + 1}",
                        "this column has no heading; its values are not stored",
                        code="blank-label",
                    )
                )
            continue
        if word in positions:
            messages.append(
                Message(
                    "ERROR",
                    hr,
                    word,
                    f"the heading {word} appears twice (columns {positions[word] + 1} and "
                    f"{index + 1}): remove one of them",
                    code="duplicate-label",
                )
            )
            continue
        positions[word] = index
        if word not in kind.by_name:
            messages.append(
                Message(
                    "WARNING",
                    hr,
                    str(heading).strip(),
                    f"unknown column for a {kind.name} file: it is not stored",
                    str(heading),
                    code="extra-label",
                )
            )
    header_ok = not any(m.severity == "ERROR" for m in messages)
    for column in kind.columns:
        if column.required and column.name not in positions:
            header_ok = False
            messages.append(
                Message(
                    "ERROR",
                    hr,
                    column.name,
                    f"the required column {column.name} is missing: add a column headed "
                    f"{column.name} (the template has every column)",
                    code="missing-label",
                )
            )
    return messages, positions, header_ok


def _check_row_lengths(rows: _Rows) -> None:
    """Exporters often pad every row with empty cells; a row longer than the others
    usually means an unquoted comma (92,000) has shifted its values."""
    width, lengths = rows.width, rows.table.lengths
    typical = Counter(lengths).most_common(1)
    usual_length = typical[0][0] if typical else width
    for i, length in enumerate(lengths):
        if length > width and (
            any(not is_blank(rows.raw[j][i]) for j in range(width, length)) or length > usual_length
        ):
            rows.problems.add(
                rows.row_numbers[i],
                width,
                FILE,
                f"the row has {length} values but the header has {width} columns: "
                'check for an unquoted comma (write 92000 or "92,000") or a stray value',
                "",
                "extra-cell",
            )


def _check_total_rows(rows: _Rows) -> None:
    """A cell that says "Total" or "Subtotal" makes its row a total row."""
    by_value, row_numbers = rows.by_value, rows.row_numbers
    for index, column_values in rows.raw.items():
        if by_value and "otal" not in "\x00".join(filter(None, column_values)).lower():
            continue  # no cell in this column mentions a total
        distinct = set(rows.keys_of(column_values))
        totals = {
            v
            for v in distinct
            if isinstance(v if by_value else v[1], str)
            and _TOTAL.match((v if by_value else v[1]).strip())
        }
        if not totals:
            continue
        heading = rows.heading(index)
        for i, key in enumerate(rows.keys_of(column_values)):
            if key in totals and row_numbers[i] not in rows.total_rows:
                cell = column_values[i]
                rows.total_rows.add(row_numbers[i])
                rows.problems.add(
                    row_numbers[i],
                    index,
                    heading or FILE,
                    f"this looks like a total row ({cell.strip()!r}): delete total rows; "
                    "the figures are added up for you",
                    cell,
                    "total-row",
                )


def _check_unnamed_totals(rows: _Rows) -> None:
    """An amount in a row with a blank key is a total with no word for it."""
    kind, positions, raw = rows.kind, rows.positions, rows.raw
    key_positions = [positions[k] for k in kind.key if k in positions]
    money_positions = [positions[m] for m in kind.money_columns if m in positions]
    if not (key_positions and money_positions):
        return
    first = raw[key_positions[0]]
    blanks = {v for v in set(first) if is_blank(v)}  # each distinct value tried once
    for i in (i for i, v in enumerate(first) if v in blanks) if blanks else ():
        row_no = rows.row_numbers[i]
        if (
            row_no not in rows.total_rows
            and all(is_blank(raw[p][i]) for p in key_positions)
            and any(not is_blank(raw[p][i]) for p in money_positions)
        ):
            rows.total_rows.add(row_no)
            rows.problems.add(
                row_no,
                key_positions[0],
                kind.key[0],
                "this looks like a total row (an amount with no "
                f"{', '.join(kind.key)}): delete total rows",
                "",
                "total-row",
            )


def _check_reader_cells(rows: _Rows) -> None:
    """The cells the reader could not take (a formula with no saved value)."""
    for problem in rows.table.problems:
        rows.problem_cells.add((problem.row, problem.column_index))
        index = problem.column_index
        heading = f"column {index + 1}" if index >= rows.width else rows.heading(index) or FILE
        rows.problems.add(problem.row, index, heading, problem.message, "", "cell-error")


def _check_values(rows: _Rows) -> None:
    """Each value read as its column's type, each distinct value once: a column is
    visited row by row only where it has a problem."""
    blank = (True, None)  # what a blank cell parses to
    kind, by_value, row_numbers = rows.kind, rows.by_value, rows.row_numbers
    for column in (c for c in kind.columns if c.name in rows.positions):
        index = rows.positions[column.name]
        parse = _parser(column, rows.councils)
        column_values = rows.raw.get(index, [None] * len(row_numbers))
        keys = rows.keys_of(column_values)
        plain = contract.TYPES[column.kind].plain
        if by_value and plain is not None and not rows.total_rows and not rows.problem_cells:
            # A column of plain numbers stages as it stands: DuckDB casts the text exactly.
            distinct = set(keys)
            blanks_allowed = not column.required and column.default is None
            if ("" not in distinct or blanks_allowed) and all(
                map(plain.match, filter(None, distinct))
            ):
                rows.texts[column.name] = rows.parsed[column.name] = column_values
                continue
        outcome: dict[Any, tuple[bool, Any]] = {}
        for key in set(keys):
            value = key if by_value else key[1]
            if is_blank(value):
                outcome[key] = blank
                continue
            try:
                outcome[key] = (True, parse(value))
            except ValueError as problem:
                outcome[key] = (False, str(problem))
        required_blank = column.required and column.default is None and blank in outcome.values()
        failed = any(not ok for ok, _ in outcome.values())
        value_of = {key: value if ok else None for key, (ok, value) in outcome.items()}
        values = list(map(value_of.__getitem__, keys))
        if failed or required_blank or rows.total_rows or rows.problem_cells:
            for i, (ok, value) in enumerate(map(outcome.__getitem__, keys)):
                row_no = row_numbers[i]
                if row_no in rows.total_rows or (row_no, index) in rows.problem_cells:
                    values[i] = None
                elif not ok:
                    rows.problems.add(
                        row_no, index, column.name, value, column_values[i], "type-error"
                    )
                elif value is None and required_blank:
                    rows.problems.add(
                        row_no,
                        index,
                        column.name,
                        f"{column.name} is required: enter a value",
                        "",
                        "missing-cell",
                    )
        if column.default is not None:
            values = [column.default if v is None else v for v in values]
        default_text = _as_text(column.default)
        text_of = {
            key: _as_text(value if ok else None) or default_text
            for key, (ok, value) in outcome.items()
        }
        rows.texts[column.name] = list(map(text_of.__getitem__, keys))
        rows.parsed[column.name] = values
        if column.kind == "council":
            _note_councils_read(rows, column, keys, outcome)


def _note_councils_read(
    rows: _Rows, column: Column, keys: list[Any], outcome: dict[Any, tuple[bool, Any]]
) -> None:
    """A council given by its name or a former code: a note of how it was read."""
    counts = Counter(keys)
    for key, (ok, match) in outcome.items():
        if ok and isinstance(match, Match) and match.how != "code":
            written = str(key if rows.by_value else key[1]).strip()
            first_row = rows.row_numbers[keys.index(key)]
            how = "former code" if match.how == "former_code" else "name"
            where = (
                f"in {counts[key]} rows from row {first_row}"
                if counts[key] > 1
                else f"in row {first_row}"
            )
            rows.notes.append(
                Message(
                    "NOTE",
                    first_row,
                    column.name,
                    f"{written!r} ({how}) read as {match.name} ({match.gss_code}) {where}",
                    code="council-matched",
                )
            )


def _check_councils_allowed(rows: _Rows) -> None:
    """A submitter's file holds only the councils they may submit for."""
    allowed, councils = rows.allowed, rows.councils
    if allowed is None or "council" not in rows.parsed:
        return
    index = rows.positions["council"]
    strangers = {
        m for m in set(rows.parsed["council"]) if m is not None and m.gss_code not in allowed
    }
    if not strangers:
        return
    mine = sorted(allowed, key=councils.describe)
    if len(mine) == 1:
        sender = f"you are submitting for {councils.describe(mine[0])} but"
    else:
        listed = ", ".join(councils.describe(c) for c in mine[:-1])
        sender = f"you may submit for {listed} and {councils.describe(mine[-1])} only, but"
    for row_no, match in zip(rows.row_numbers, rows.parsed["council"], strict=True):
        if match in strangers:
            rows.problems.add(
                row_no,
                index,
                "council",
                f"{sender} this row is for {councils.describe(match.gss_code)}: send "
                "each council's rows in that council's own return (sending "
                f"{councils.names.get(match.gss_code, match.gss_code)}'s rows needs "
                "the submitter role for it)",
                "",
                "not-your-council",
            )


def _check_row_rules(rows: _Rows) -> None:
    """Rules within one row that involve two columns."""
    parsed = rows.parsed
    if rows.kind.name == "members" and "to_year" in parsed and "from_year" in parsed:
        for row_no, start, end in zip(
            rows.row_numbers, parsed["from_year"], parsed["to_year"], strict=True
        ):
            if start and end and end < start:
                rows.problems.add(
                    row_no,
                    rows.positions["to_year"],
                    "to_year",
                    f"to_year {end} is before from_year {start}",
                    "",
                    "row-constraint",
                )


def _check_unique_keys(rows: _Rows) -> None:
    """Each key once in a file (a row with a blank required key part is already an
    error of its own)."""
    kind, texts = rows.kind, rows.texts
    if not (rows.header_ok and kind.key and all(k in texts for k in kind.key)):
        return
    if len(set(zip(*(texts[k] for k in kind.key), strict=True))) == len(rows.row_numbers):
        return  # no key twice: the usual file, told without a line of Python a row
    row_keys = zip(*(texts[k] for k in kind.key), strict=True)
    required = [j for j, k in enumerate(kind.key) if kind.by_name[k].required]
    first_seen: dict[tuple[Any, ...], int] = {}
    seen_at = first_seen.setdefault
    for row_no, row_key in zip(rows.row_numbers, row_keys, strict=True):
        if None in row_key and any(row_key[j] is None for j in required):
            continue
        earlier = seen_at(row_key, row_no)
        if earlier != row_no:
            rows.problems.add(
                row_no,
                rows.positions[kind.key[0]],
                kind.key[0],
                f"the same {', '.join(kind.key)} as row {earlier}: "
                "each may appear only once in a file",
                "",
                "primary-key",
            )


# The checks of a file's rows, in order: each may use what those before it found (the
# total rows, the cells the reader could not take, the values read).
ROW_CHECKS: tuple[Callable[[_Rows], None], ...] = (
    _check_row_lengths,
    _check_total_rows,
    _check_unnamed_totals,
    _check_reader_cells,
    _check_values,
    _check_councils_allowed,
    _check_row_rules,
    _check_unique_keys,
)


def validate_rows(
    kind: Kind, table: RawTable, councils: CouncilIndex, allowed: frozenset[str] | None
) -> _Checked:
    """Section 1's header, row and value rules, with no store access beyond councils.
    ``allowed`` is the councils whose rows the sender may send, or None for any."""
    messages, positions, header_ok = _check_header(kind, table)
    rows = _Rows(kind, table, councils, allowed, positions, header_ok)
    for check in ROW_CHECKS:
        check(rows)
    messages.extend(sorted(rows.notes, key=lambda m: m.row))
    messages.extend(rows.problems.messages())
    row_numbers, texts = rows.row_numbers, rows.texts
    if rows.problems.bad_rows:
        bad = rows.problems.bad_rows
        keep = [i for i, row_no in enumerate(row_numbers) if row_no not in bad]
        staged = {name: [values[i] for i in keep] for name, values in texts.items()}
        kept_rows = [row_numbers[i] for i in keep]
    else:
        staged, kept_rows = texts, row_numbers
    for column in kind.columns:
        if column.name not in staged:
            staged[column.name] = [_as_text(column.default)] * len(kept_rows)
    return _Checked(staged, kept_rows, messages, header_ok, rows.problems.unlisted)


# -- the load ------------------------------------------------------------------------


def _stage(con: Conn, kind: Kind, checked: _Checked) -> None:
    if checked.scanned is not None:
        checked.scanned.stage(con)
        return
    # numpy columns, which DuckDB reads as they are; building Arrow arrays from lists
    # would import pandas, a third of a second of the load
    import numpy as np  # only a file that passes its own checks is staged

    columns: dict[str, Any] = {"row_no": np.array(checked.row_numbers, dtype=np.int32)}
    for column in kind.columns:
        columns[column.name] = np.array(checked.staged[column.name], dtype=object)
    con.register("staging_raw", columns)
    casts = ", ".join(bulk_csv.staged_as(f"CAST({_q(c.name)} AS VARCHAR)", c) for c in kind.columns)
    con.execute("DROP TABLE IF EXISTS staging")
    con.execute(f"CREATE TEMP TABLE staging AS SELECT row_no, {casts} FROM staging_raw")  # noqa: S608
    con.unregister("staging_raw")


# kinds whose checks across tables are another's (sql/checks_NAME.sql otherwise)
SHARED_CHECKS = {"survey": "service_or_programme", "comments": "service_or_programme"}


def _cross_checks(con: Conn, kind: Kind) -> list[Message]:
    name = f"checks_{SHARED_CHECKS.get(kind.name, kind.name)}"
    try:
        query = sql(name)
    except FileNotFoundError:
        return []
    return [
        Message(severity, row_no, column, message, code=code)
        for row_no, column, severity, code, message in con.rows(query)
    ]


def _count_superseding(con: Conn, kind: Kind) -> int:
    if not kind.key:
        return 0
    on = " AND ".join(f"c.{_q(k)} IS NOT DISTINCT FROM s.{_q(k)}" for k in kind.key)
    view = f"current_{kind.name}"
    return int(
        con.one(f"SELECT count(*) FROM staging s WHERE EXISTS (SELECT 1 FROM {view} c WHERE {on})")  # noqa: S608
    )


def readable_width(kind: Kind) -> int:
    """The most columns read from a ``kind`` file: its own, and room for a good many
    unknown ones (each only a warning)."""
    return len(kind.columns) + 40


def read_and_validate(
    kind: Kind,
    data: bytes,
    result: LoadResult,
    councils: CouncilIndex,
    allowed: frozenset[str] | None,
    max_file_mb: float,
) -> _Checked | None:
    """Section 1's checks and section 2's column rules, with no store open: reading and
    checking a file, however long it takes, never holds the store. Fills
    ``result.messages``; returns the rows to stage when nothing so far is wrong."""
    if len(data) > max_file_mb * 1024 * 1024:
        result.messages.append(
            Message(
                "ERROR",
                1,
                FILE,
                f"the file is {_size(len(data))}, over the {max_file_mb:g} MB limit: "
                "split it into smaller files",
                code="file-too-large",
            )
        )
        return None
    rules = bulk_csv.Rules(_outcome(councils), _as_text, _TOTAL, allowed)
    scanned = bulk_csv.scan(kind, data, rules)
    if scanned is not None:
        result.detail = f"csv, {UTF8}"
        rows = range(2, scanned.rows + 2)
        return _Checked({}, rows, [], True, scanned=scanned)
    try:
        table = read_table(
            data,
            kind.name,
            readable_width(kind),
            frozenset(c.name for c in kind.columns if c.required),
            normalise_word,
        )
    except FileRefused as refused:
        result.messages.append(
            Message("ERROR", refused.row, FILE, refused.message, code="unreadable-file")
        )
        return None
    result.detail = f"{table.source}, {table.detail}"
    result.blank_rows = table.blank_rows
    if table.source == "xlsx":
        result.sheet = table.detail.removeprefix("sheet ")
    result.messages.extend(
        Message("NOTE", row, FILE, text, code="file-note") for row, text in table.notes
    )
    result.messages.extend(
        Message("ERROR", row, FILE, text, code="file-error") for row, text in table.file_errors
    )
    checked = validate_rows(kind, table, councils, allowed)
    result.messages.extend(checked.messages)
    result.unlisted_errors = checked.unlisted
    if not table.row_numbers:
        result.messages.append(
            Message(
                "ERROR",
                table.header_row,
                FILE,
                "the file has a header but no data rows: add the rows, or use the template",
                code="no-rows",
            )
        )
    if not checked.header_ok or not checked.row_numbers:
        return None
    return checked


def check_against_store(con: Conn, kind: Kind, checked: _Checked, result: LoadResult) -> bool:
    """The checks across tables, in SQL against the store as ``con`` sees it, with the
    file's rows staged. True when the file may load."""
    _stage(con, kind, checked)
    result.messages.extend(_cross_checks(con, kind))
    result.messages.sort(key=lambda m: (m.row, m.severity != "ERROR"))
    result.rows = len(checked.row_numbers)
    result.superseding = _count_superseding(con, kind)
    result.new_rows = result.rows - result.superseding
    return not result.errors


def load(
    store: Store,
    kind_name: str,
    data: bytes,
    file_name: str,
    *,
    by: Person,
    council: str | None = None,
    received_at: datetime | None = None,
    dry_run: bool = False,
) -> LoadResult:
    """Validate ``data`` as a ``kind_name`` file sent by ``by`` and, unless ``dry_run``
    or there is an error, load it as one submission in one transaction.

    The file is read and checked with no store open (a moment's read first fetches the
    settings and the councils); only the checks across tables and the write hold it.
    Raises :class:`Refused` when the person's role does not allow the kind or the
    council; rows for a council they may not send for are errors in the report. Every
    outcome but a dry run is recorded in the audit log."""
    try:
        kind = contract.kind_named(kind_name)
    except KeyError as problem:
        raise UsageError(str(problem.args[0])) from None
    now = utc_now()
    if received_at is not None and received_at > now:
        raise UsageError("--received-at cannot be in the future")
    result = LoadResult(kind.name, str(file_name), sha256_hex(data), received_by=by.email)
    with store.reading() as con:
        max_file_mb = get_settings(con)["max_file_mb"]
        councils = CouncilIndex(con)
        earlier = None if dry_run else _received(con, kind, result.sha256)
    try:
        access.councils_for_load(by, kind.name, None)  # the kind, before the council
        gss, named = None, ""
        if council:
            try:
                gss = councils.resolve(council).gss_code
            except ValueError as problem:
                raise UsageError(f"--council: {problem}") from None
            named = councils.describe(gss)
        allowed = access.councils_for_load(by, kind.name, gss, named)
    except Refused as refused:
        if not dry_run:
            with store.writing(log_only=True) as con:
                _audit_load(con, result, refused, received_at is not None)
        raise
    if gss is None and allowed is not None and len(allowed) == 1:
        gss = next(iter(allowed))
    result.council = gss
    checked = None
    if earlier is None:
        checked = read_and_validate(kind, data, result, councils, allowed, max_file_mb)
    try:
        fault_point("after_reading")  # tests pause here, with the file read and the store free
        opener = store.reading if dry_run else store.writing
        with opener() as con:
            _check_and_load(con, kind, checked, result, received_at, dry_run)
            if result.status == "unread":
                con.only_logged = True
            elif not dry_run:
                _audit_load(con, result, None, received_at is not None)
                con.only_logged = result.status != "loaded"
    finally:
        if checked is not None:
            checked.close()
    if result.status == "unread":  # the earlier copy was rolled back meanwhile: read it now
        return load(
            store, kind_name, data, file_name, by=by, council=council, received_at=received_at
        )
    return result


def _received(con: Conn, kind: Kind, sha256: str) -> int | None:
    """The submission these same bytes were already received as, if any."""
    earlier = con.one(
        "SELECT min(id) FROM submissions WHERE sha256 = ? AND kind = ? "
        "AND id NOT IN (SELECT submission_id FROM rollbacks)",
        [sha256, kind.name],
    )
    return None if earlier is None else int(earlier)


def _check_and_load(
    con: Conn,
    kind: Kind,
    checked: _Checked | None,
    result: LoadResult,
    received_at: datetime | None,
    dry_run: bool,
) -> None:
    """Inside the store's lock: the checks across tables, then the write. A file not
    back-dated is received at the moment it is written, under the lock, so of two
    loads of the same keys the one written last is the one received last, and counts."""
    if not dry_run:
        earlier = _received(con, kind, result.sha256)  # again: another load may have won
        if earlier is not None:
            result.status, result.submission_id = "duplicate", earlier
            return
    if checked is None and not result.messages:
        result.status = "unread"  # skipped as already received, which it no longer is
        return
    if checked is None or not check_against_store(con, kind, checked, result):
        result.status = "rejected"
        return
    if dry_run:
        result.status = "checked"
        result.preview = changes.preview(con, kind)
        return
    now = utc_now()
    result.received_at = received_at or now
    submission_id = int(con.one("SELECT nextval('submission_ids')"))
    con.execute(
        "INSERT INTO submissions VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            submission_id,
            kind.name,
            result.file_name,
            result.sha256,
            result.rows,
            result.new_rows,
            result.superseding,
            len(result.blank_rows),
            result.received_at,
            result.received_by,
            result.council,
            now,
        ],
    )
    names = ", ".join(_q(c.name) for c in kind.columns)
    con.execute(
        f"INSERT INTO {kind.table} (submission_id, row_no, {names}) "  # noqa: S608
        f"SELECT ?, row_no, {names} FROM staging",
        [submission_id],
    )
    kept = [m for m in result.messages if m.severity == "WARNING"]
    if kept:
        con.executemany(
            "INSERT INTO submission_messages VALUES (?, ?, ?, ?, ?)",
            [[submission_id, m.severity, m.row, m.column, m.message] for m in kept],
        )
    con.execute("DROP TABLE staging")
    result.status, result.submission_id = "loaded", submission_id


def _audit_load(con: Conn, result: LoadResult, refusal: Refused | None, backdated: bool) -> None:
    what = f"{result.kind} file {result.file_name!r}" + (
        f" for {result.council}" if result.council else ""
    )
    if refusal is not None:
        audit.record(con, result.received_by, "submission_refused", f"{what}: {refusal}")
    elif result.status == "duplicate":
        audit.record(
            con,
            result.received_by,
            "submission_already_received",
            f"{what}: already received as submission {result.submission_id}",
        )
    elif result.status == "loaded":
        audit.record(
            con,
            result.received_by,
            "submission_loaded",
            f"submission {result.submission_id}: {what}, {result.rows} rows "
            f"({result.new_rows} new, {result.superseding} superseding), "
            f"{len(result.warnings)} warnings"
            + (
                f", received_at given as {result.received_at:%Y-%m-%dT%H:%M:%SZ}"
                if backdated and result.received_at
                else ""
            ),
        )
    else:
        audit.record(
            con,
            result.received_by,
            "submission_refused",
            f"{what}: {result.error_count} errors, nothing written",
        )


def record_refused_check(
    store: Store,
    by: Person,
    kind: str,
    file_name: str,
    result: LoadResult | None = None,
    refusal: Refused | None = None,
) -> None:
    """The upload page checks a file before anyone presses Submit; a file refused
    there (for its errors, or by the person's role) is recorded as a refused submission,
    as it would be from the command line. It adds to the audit log only."""
    what = f"{kind} file {file_name!r}"
    if result is not None and result.council:
        what += f" for {result.council}"
    if refusal is not None:
        detail = f"{what}: {refusal}"
    elif result is not None and result.status == "rejected":
        detail = f"{what}: {result.error_count} errors, checked on the upload page, nothing written"
    else:
        return
    audit.record_now(store, by.email, "submission_refused", detail)


def rollback(store: Store, submission_id: int, by: Person) -> tuple[str, datetime]:
    """Stop a submission's rows counting. Returns ("rolled_back" | "already", when).
    Raises :class:`Refused` unless ``by`` may roll this submission back."""
    with store.writing() as con:
        found = con.rows("SELECT kind, received_by FROM submissions WHERE id = ?", [submission_id])
        if not found:
            raise UsageError(f"there is no submission {submission_id}")
        kind, received_by = found[0]
        access.require_rollback(
            by, submission_id, kind, received_by, access.submission_councils(con, submission_id)
        )
        when = con.one(
            "SELECT rolled_back_at FROM rollbacks WHERE submission_id = ?", [submission_id]
        )
        if when is not None:
            return "already", when
        now = utc_now()
        con.execute("INSERT INTO rollbacks VALUES (?, ?, ?)", [submission_id, now, by.email])
        audit.record(
            con,
            by.email,
            "rollback",
            f"submission {submission_id} ({kind}, sent by {received_by}) rolled back",
            at=now,
        )
        return "rolled_back", now
