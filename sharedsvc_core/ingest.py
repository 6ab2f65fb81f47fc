"""Validating and loading a file as one submission (CONTRACT.md sections 1 to 3).

A load runs in one transaction: every problem in the file is found in one pass, and
nothing is written unless there is no error at all. Rows are checked column by column
(each distinct value is parsed once), then the checks across tables run as SQL
against the store's current rows, with the file's rows standing in for the ones
they would supersede.
"""

from __future__ import annotations

import heapq
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from . import access, audit, changes, contract
from .access import Person, Refused
from .contract import Column, Kind, is_blank, normalise_word
from .councils import CouncilIndex, Match
from .readers import FILE, FileRefused, RawTable, read_table
from .settings import get_settings
from .store import Conn, Store, fault_point, sha256_hex, sql, utc_now

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
    row_numbers: list[int]
    messages: list[Message]
    header_ok: bool
    unlisted: int = 0  # row errors past the first MAX_LISTED, counted and not worded


def validate_rows(
    kind: Kind, table: RawTable, councils: CouncilIndex, allowed: frozenset[str] | None
) -> _Checked:
    """Section 1's header, row and value rules, with no store access beyond councils.
    ``allowed`` is the councils whose rows the sender may send, or None for any."""
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

    width = len(table.header)
    present = [c for c in kind.columns if c.name in positions]
    bad_rows: set[int] = set()
    # Only the first MAX_LISTED row errors, in the order of row then column, are kept:
    # a heap holds them with their keys negated, so the latest in that order is the one
    # dropped as another arrives. The rest are counted. A file wrong on every row thus
    # costs no more memory than a file wrong on a few.
    kept: list[tuple[int, int, int, str, str, Any, str]] = []
    found = 0

    def error(row_no: int, order: int, column: str, text: str, value: Any, code: str) -> None:
        nonlocal found
        found += 1
        bad_rows.add(row_no)
        item = (-row_no, -order, -found, column, text, value, code)
        if len(kept) < MAX_LISTED:
            heapq.heappush(kept, item)
        else:
            heapq.heappushpop(kept, item)

    # Work column by column: each distinct value is parsed once, and rows are visited one
    # by one only in a column that has a problem.
    row_numbers = table.row_numbers
    lengths = table.lengths
    raw: dict[int, list[Any]] = dict(enumerate(table.columns))
    by_value = table.source == "csv"  # CSV cells are all text; .xlsx cells keep their type

    def keys_of(column_values: list[Any]) -> list[Any]:
        return column_values if by_value else [(type(v), v) for v in column_values]

    # Exporters often pad every row with empty cells; a row longer than the others
    # usually means an unquoted comma (92,000) has shifted its values.
    typical = Counter(lengths).most_common(1)
    usual_length = typical[0][0] if typical else width
    for i, length in enumerate(lengths):
        if length > width and (
            any(not is_blank(raw[j][i]) for j in range(width, length)) or length > usual_length
        ):
            error(
                row_numbers[i],
                width,
                FILE,
                f"the row has {length} values but the header has {width} columns: "
                'check for an unquoted comma (write 92000 or "92,000") or a stray value',
                "",
                "extra-cell",
            )

    total_rows: set[int] = set()
    for index, column_values in raw.items():
        distinct = set(keys_of(column_values))
        if by_value and "otal" not in "\x00".join(filter(None, distinct)).lower():
            continue  # no cell in this column mentions a total
        totals = {
            v
            for v in distinct
            if isinstance(v if by_value else v[1], str)
            and _TOTAL.match((v if by_value else v[1]).strip())
        }
        if not totals:
            continue
        heading = normalise_word(str(table.header[index])) if index < width else ""
        for i, key in enumerate(keys_of(column_values)):
            if key in totals and row_numbers[i] not in total_rows:
                cell = column_values[i]
                total_rows.add(row_numbers[i])
                error(
                    row_numbers[i],
                    index,
                    heading or FILE,
                    f"this looks like a total row ({cell.strip()!r}): delete total rows; "
                    "the figures are added up for you",
                    cell,
                    "total-row",
                )
    key_positions = [positions[k] for k in kind.key if k in positions]
    money_positions = [positions[m] for m in kind.money_columns if m in positions]
    if key_positions and money_positions:
        first = raw[key_positions[0]]
        blanks = {v for v in set(first) if is_blank(v)}  # each distinct value tried once
        for i in (i for i, v in enumerate(first) if v in blanks) if blanks else ():
            if (
                row_numbers[i] not in total_rows
                and all(is_blank(raw[p][i]) for p in key_positions)
                and any(not is_blank(raw[p][i]) for p in money_positions)
            ):
                total_rows.add(row_numbers[i])
                error(
                    row_numbers[i],
                    key_positions[0],
                    kind.key[0],
                    "this looks like a total row (an amount with no "
                    f"{', '.join(kind.key)}): delete total rows",
                    "",
                    "total-row",
                )

    problem_cells = {(p.row, p.column_index) for p in table.problems}
    for problem in table.problems:
        heading = (
            normalise_word(str(table.header[problem.column_index]))
            if problem.column_index < width
            else f"column {problem.column_index + 1}"
        )
        error(problem.row, problem.column_index, heading or FILE, problem.message, "", "cell-error")

    blank = (True, None)  # what a blank cell parses to
    parsed: dict[str, list[Any]] = {}
    texts: dict[str, list[str | None]] = {}
    notes: list[Message] = []
    for column in present:
        index = positions[column.name]
        parse = _parser(column, councils)
        column_values = raw.get(index, [None] * len(row_numbers))
        keys = keys_of(column_values)
        plain = contract.TYPES[column.kind].plain
        if by_value and plain is not None and not total_rows and not problem_cells:
            # A column of plain numbers stages as it stands: DuckDB casts the text exactly.
            distinct = set(keys)
            blanks_allowed = not column.required and column.default is None
            if ("" not in distinct or blanks_allowed) and all(
                map(plain.match, filter(None, distinct))
            ):
                texts[column.name] = parsed[column.name] = column_values  # "" stages as NULL
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
        if failed or required_blank or total_rows or problem_cells:
            for i, (ok, value) in enumerate(map(outcome.__getitem__, keys)):
                row_no = row_numbers[i]
                if row_no in total_rows or (row_no, index) in problem_cells:
                    values[i] = None
                elif not ok:
                    error(row_no, index, column.name, value, column_values[i], "type-error")
                elif value is None and required_blank:
                    error(
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
        texts[column.name] = list(map(text_of.__getitem__, keys))
        parsed[column.name] = values
        if column.kind == "council":
            counts = Counter(keys)
            for key, (ok, match) in outcome.items():
                if ok and isinstance(match, Match) and match.how != "code":
                    written = str(key if by_value else key[1]).strip()
                    first_row = row_numbers[keys.index(key)]
                    how = "former code" if match.how == "former_code" else "name"
                    where = (
                        f"in {counts[key]} rows from row {first_row}"
                        if counts[key] > 1
                        else f"in row {first_row}"
                    )
                    notes.append(
                        Message(
                            "NOTE",
                            first_row,
                            column.name,
                            f"{written!r} ({how}) read as {match.name} ({match.gss_code}) {where}",
                            code="council-matched",
                        )
                    )

    if allowed is not None and "council" in parsed:
        index = positions["council"]
        strangers = {
            m for m in set(parsed["council"]) if m is not None and m.gss_code not in allowed
        }
        if strangers:
            mine = sorted(allowed, key=councils.describe)
            if len(mine) == 1:
                sender = f"you are submitting for {councils.describe(mine[0])} but"
            else:
                listed = ", ".join(councils.describe(c) for c in mine[:-1])
                sender = f"you may submit for {listed} and {councils.describe(mine[-1])} only, but"
            for row_no, match in zip(row_numbers, parsed["council"], strict=True):
                if match in strangers:
                    error(
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

    _row_rules(kind, parsed, row_numbers, positions, error)

    if header_ok and kind.key and all(k in texts for k in kind.key):
        row_keys = zip(*(texts[k] for k in kind.key), strict=True)
        required = [j for j, k in enumerate(kind.key) if kind.by_name[k].required]
        first_seen: dict[tuple[Any, ...], int] = {}
        seen_at = first_seen.setdefault
        for row_no, row_key in zip(row_numbers, row_keys, strict=True):
            if None in row_key and any(row_key[j] is None for j in required):
                continue
            earlier = seen_at(row_key, row_no)
            if earlier != row_no:
                error(
                    row_no,
                    positions[kind.key[0]],
                    kind.key[0],
                    f"the same {', '.join(kind.key)} as row {earlier}: "
                    "each may appear only once in a file",
                    "",
                    "primary-key",
                )
        del first_seen

    messages.extend(sorted(notes, key=lambda m: m.row))
    messages.extend(
        Message("ERROR", -row_no, column, text, _shown(value), code)
        for row_no, _, _, column, text, value, code in sorted(kept, reverse=True)
    )
    if bad_rows:
        keep = [i for i, row_no in enumerate(row_numbers) if row_no not in bad_rows]
        staged = {name: [values[i] for i in keep] for name, values in texts.items()}
        kept_rows = [row_numbers[i] for i in keep]
    else:
        staged, kept_rows = texts, row_numbers
    for column in kind.columns:
        if column.name not in staged:
            staged[column.name] = [_as_text(column.default)] * len(kept_rows)
    return _Checked(staged, kept_rows, messages, header_ok, found - len(kept))


def _row_rules(
    kind: Kind,
    parsed: dict[str, list[Any]],
    row_numbers: list[int],
    positions: dict[str, int],
    error: Callable[..., None],
) -> None:
    """Rules within one row that involve two columns."""
    if kind.name == "members" and "to_year" in parsed and "from_year" in parsed:
        for row_no, start, end in zip(
            row_numbers, parsed["from_year"], parsed["to_year"], strict=True
        ):
            if start and end and end < start:
                error(
                    row_no,
                    positions["to_year"],
                    "to_year",
                    f"to_year {end} is before from_year {start}",
                    "",
                    "row-constraint",
                )


# -- the load ------------------------------------------------------------------------


def _stage(con: Conn, kind: Kind, checked: _Checked) -> None:
    import pyarrow as pa  # only a file that passes its own checks is staged

    columns: dict[str, Any] = {"row_no": pa.array(checked.row_numbers, type=pa.int32())}
    for column in kind.columns:
        columns[column.name] = pa.array(checked.staged[column.name], type=pa.string())
    con.register("staging_raw", pa.table(columns))
    casts = ", ".join(
        f"CAST(NULLIF({_q(c.name)}, '') AS {contract.TYPES[c.kind].sql}) AS {_q(c.name)}"
        for c in kind.columns
    )
    con.execute("DROP TABLE IF EXISTS staging")
    con.execute(f"CREATE TEMP TABLE staging AS SELECT row_no, {casts} FROM staging_raw")  # noqa: S608
    con.unregister("staging_raw")


def _q(identifier: str) -> str:
    """Quote an identifier taken from the contract's own column list."""
    return '"' + identifier.replace('"', '""') + '"'


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
    fault_point("after_reading")  # tests pause here, with the file read and the store free
    opener = store.reading if dry_run else store.writing
    with opener() as con:
        _check_and_load(con, kind, checked, result, received_at, dry_run)
        if result.status == "unread":
            con.only_logged = True
        elif not dry_run:
            _audit_load(con, result, None, received_at is not None)
            con.only_logged = result.status != "loaded"
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
