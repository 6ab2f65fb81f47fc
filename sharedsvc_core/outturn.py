"""Baselines proposed from MHCLG's Revenue Outturn (``import outturn``).

The Revenue Outturn Summary (RS) gives each English authority's net current expenditure
by service line, in £ thousand. A small mapping file says which outturn lines (and what
share of each) make up a shared service's cost. From the two, this module proposes a
``baselines`` file, one row per service and member council, for an administrator to
check and then load. It never writes to the store.

Figures stay exact: each outturn value is read as the decimal it is written as, times
1,000 (pounds), times the share, added up, and only the total is rounded to the penny.
A value the outturn suppresses (``...``) or leaves blank, a council the outturn does not
have, or a total below zero leaves annual_cost blank, with a note saying what to do.
"""

from __future__ import annotations

import csv
import io
import re
import warnings
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from . import access, readers
from .contract import (
    KINDS,
    PENNY,
    is_blank,
    normalise_word,
    parse_fraction,
    parse_fy_value,
    parse_service_code,
)
from .councils import CouncilIndex
from .store import FOREVER, Store

LICENCE = "Contains public sector information licensed under the Open Government Licence v3.0."
THOUSAND = Decimal(1000)
MAPPING_COLUMNS = ("service_code", "line", "share", "council")
# what the outturn writes in place of a figure it does not publish
SUPPRESSED = {"...", "..", ".", "-", "x", "[x]", "c", "[c]", ":", "n/a", "na", "*"}
_LINE_HEADING = re.compile(r"^\s*(\d{3,4})\s*:\s*(.*?)\s*$")
_LINE_NUMBER = re.compile(r"^\s*(\d{3,4})(?:\s*:.*)?\s*$")
_YEAR = re.compile(r"(?<!\d)(20\d\d)\s*[-/_]\s*(\d\d)(?!\d)")
MAX_SOURCE = KINDS["baselines"].by_name["source"].max_length or 500


class OutturnError(Exception):
    """A file that cannot be used at all; the message says what to do."""


@dataclass(frozen=True)
class Line:
    number: int
    label: str
    column: int  # the column's place in the outturn's header


@dataclass
class Authority:
    """One row of the outturn."""

    row: int
    code: str  # the ONS (GSS) code as the outturn writes it
    name: str
    cells: list[Any]


@dataclass
class Outturn:
    year: str | None  # the outturn's financial year, such as 2017/18, when it says
    lines: dict[int, Line]
    repeated: set[int]  # line numbers heading more than one column
    by_council: dict[str, list[Authority]]  # current GSS code -> the outturn's rows
    detail: str  # the sheet read, or the file's encoding


@dataclass(frozen=True)
class Part:
    line: int
    share: Decimal
    mapping_row: int


@dataclass
class Proposal:
    rows: list[dict[str, str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    year: str = ""
    outturn_year: str | None = None

    @property
    def blank(self) -> int:
        return sum(1 for r in self.rows if not r["annual_cost"])

    def csv_text(self) -> str:
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        header = KINDS["baselines"].header()
        writer.writerow(header)
        writer.writerows([[r.get(c, "") for c in header] for r in self.rows])
        return out.getvalue()


# -- reading ---------------------------------------------------------------------------


def _outturn_sheet(data: bytes) -> str:
    """The sheet of the RS data in a workbook: the one named "RS LA Data ...", else the
    first one (which the reader takes when no sheet has the name given)."""
    names = readers.sheet_names(data)
    for name in names:
        if normalise_word(name).startswith("rs_la_data"):
            return name
    return "RS LA Data"


def _year_in(texts: Sequence[str]) -> str | None:
    for text in texts:
        found = _YEAR.search(text)
        if found:
            try:
                return parse_fy_value(f"{found.group(1)}/{found.group(2)}")
            except ValueError:
                continue
    return None


def read_outturn(data: bytes, file_name: str, councils: CouncilIndex) -> Outturn:
    """The outturn's lines and authorities, from the flat CSV layout (one header row,
    columns headed ``690: Central services``) or the original workbook's layout (title
    rows, a row of line numbers, then a header of names)."""
    try:
        with warnings.catch_warnings():
            # openpyxl warns of print areas it cannot set; they do not matter here
            warnings.simplefilter("ignore", UserWarning)
            table = readers.read_table(
                data,
                _outturn_sheet(data),
                width=400,
                required=frozenset({"ons_code"}),
                normalise=normalise_word,
            )
    except readers.FileRefused as error:
        raise OutturnError(f"the outturn file: {error.message}") from None
    where = "the outturn file" + (f" ({table.detail})" if table.source == "xlsx" else "")
    heads = [normalise_word(h) for h in table.header]
    if "ons_code" not in heads:
        raise OutturnError(
            f"{where} has no 'ONS Code' column in its first 20 rows: give the Revenue "
            "Outturn Summary by authority (RS), with each authority's ONS code"
        )
    code_at = heads.index("ons_code")
    name_at = heads.index("local_authority") if "local_authority" in heads else None
    numbers_above = table.preamble[-1][1] if table.preamble else []
    lines: dict[int, Line] = {}
    repeated: set[int] = set()
    for index, heading in enumerate(table.header):
        found = _LINE_HEADING.match(heading)
        if found:
            number, label = int(found.group(1)), found.group(2)
        else:
            above = numbers_above[index] if index < len(numbers_above) else None
            if isinstance(above, int | float) and not isinstance(above, bool):
                number, label = int(above), heading.strip()
            elif isinstance(above, str) and above.strip().isdigit():
                number, label = int(above), heading.strip()
            else:
                continue
        if number in lines:
            repeated.add(number)
            continue
        lines[number] = Line(number, label, index)
    if not lines:
        raise OutturnError(
            f"{where} has no service lines: the columns should be headed like "
            "'690: Central services', or have the line numbers in the row above the header"
        )
    by_council: dict[str, list[Authority]] = {}
    for r, row_no in enumerate(table.row_numbers):
        cells = [column[r] for column in table.columns]
        code = "" if cells[code_at] is None else str(cells[code_at]).strip()
        name = "" if name_at is None or cells[name_at] is None else str(cells[name_at]).strip()
        gss = None
        for text in (code, name):
            if text:
                try:
                    gss = councils.resolve(text).gss_code
                    break
                except ValueError:
                    continue
        if gss is None:
            continue  # police, fire and other bodies that are not councils
        by_council.setdefault(gss, []).append(Authority(row_no, code, name or code, cells))
    titles = [str(c) for _, cells in table.preamble for c in cells if isinstance(c, str)]
    year = _year_in([*titles, table.detail, file_name])
    return Outturn(year, lines, repeated, by_council, table.detail)


def _line_number(value: Any) -> int | None:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return int(value) if float(value).is_integer() else None
    found = _LINE_NUMBER.match(str(value))
    return int(found.group(1)) if found else None


def read_mapping(
    data: bytes, outturn: Outturn, councils: CouncilIndex
) -> tuple[dict[tuple[str, str | None], list[Part]], list[str]]:
    """The mapping file's parts, keyed by (service_code, council or None for every
    member), and its problems, each ``row R, column C: message``."""
    try:
        table = readers.read_table(
            data,
            "mapping",
            width=20,
            required=frozenset({"service_code", "line"}),
            normalise=normalise_word,
        )
    except readers.FileRefused as error:
        return {}, [f"the mapping file: {error.message}"]
    heads = [normalise_word(h) for h in table.header]
    missing = [c for c in ("service_code", "line") if c not in heads]
    if missing:
        return {}, [
            f"the mapping file has no {' or '.join(missing)} column: its columns are "
            "service_code, line, and optionally share and council"
        ]
    problems: list[str] = []
    for index, head in enumerate(heads):
        if head and head not in MAPPING_COLUMNS:
            problems.append(
                f"mapping row {table.header_row}, column {table.header[index]}: not a mapping "
                "column (service_code, line, share, council): remove it"
            )
    at = {h: heads.index(h) for h in MAPPING_COLUMNS if h in heads}
    parts: dict[tuple[str, str | None], list[Part]] = {}
    seen: dict[tuple[str, int, str | None], int] = {}
    for r, row_no in enumerate(table.row_numbers):

        def cell(name: str, r: int = r) -> Any:
            return table.columns[at[name]][r] if name in at else None

        def problem(column: str, message: str, row_no: int = row_no) -> None:
            problems.append(f"mapping row {row_no}, column {column}: {message}")

        try:
            service = parse_service_code(cell("service_code") or "")
        except ValueError as error:
            problem("service_code", str(error))
            continue
        line = _line_number(cell("line")) if not is_blank(cell("line")) else None
        if line is None:
            problem("line", f"{cell('line')!r} is not an outturn line: give its number, as 690")
            continue
        if line not in outturn.lines:
            problem(
                "line",
                f"line {line} is not in the outturn file: use a line number from its "
                "header, such as 690 (Central services)",
            )
            continue
        if line in outturn.repeated:
            problem("line", f"line {line} heads more than one column of the outturn file")
            continue
        share = Decimal(1)
        if not is_blank(cell("share")):
            try:
                share = parse_fraction(cell("share"))
            except ValueError as error:
                problem("share", str(error))
                continue
        council: str | None = None
        if not is_blank(cell("council")):
            try:
                council = councils.resolve(str(cell("council"))).gss_code
            except ValueError as error:
                problem("council", str(error))
                continue
        key = (service, line, council)
        if key in seen:
            problem(
                "line",
                f"line {line} is mapped to {service}"
                + (f" for {council}" if council else "")
                + f" on row {seen[key]} already: keep one row and add the shares",
            )
            continue
        seen[key] = row_no
        parts.setdefault((service, council), []).append(Part(line, share, row_no))
    if not table.row_numbers:
        problems.append("the mapping file has no rows: add one row per outturn line and service")
    return parts, problems


# -- the proposal ----------------------------------------------------------------------


def _figure(value: Any) -> Decimal | None:
    """An outturn value as the exact decimal it is written as (£ thousand), or None when
    the outturn gives no figure."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        return Decimal(repr(value))  # the shortest text that is this number
    text = str(value).strip().replace(",", "")
    if text.lower() in SUPPRESSED or not text:
        return None
    try:
        return Decimal(text)
    except InvalidOperation:
        return None


def _pounds(amount: Decimal) -> str:
    return f"£{amount:,.2f}"


def _share_words(share: Decimal) -> str:
    return "" if share == 1 else f"{share.normalize():f} × "


def _source(year_words: str, described: list[str], extra: str = "") -> str:
    head = f"MHCLG Revenue Outturn {year_words} (RS), £ thousand × 1,000"
    body = " + ".join(described)
    tail = f". {extra}" if extra else ""
    text = f"{head}: {body}{tail}. {LICENCE}"
    if len(text) > MAX_SOURCE:
        text = f"{head}: {len(described)} lines{tail}. {LICENCE}"
    return text[:MAX_SOURCE]


def propose(
    store: Store,
    outturn_data: bytes,
    outturn_name: str,
    mapping_data: bytes,
    by: access.Person,
    year: str | None = None,
) -> Proposal:
    """The baselines file proposed from the outturn and the mapping, for an
    administrator (baselines are administrators' files). Only reads the store: the
    council list, and each service's member councils."""
    access.require_administrator(by, "propose baselines from the outturn")
    proposal = Proposal()
    with store.reading() as con:
        councils = CouncilIndex(con)
        services = {
            r[0]: r[1]
            for r in con.rows(
                "SELECT service_code, partnership_code FROM <<services_as_of>>",
                {"as_of": FOREVER},
            )
        }
        members: dict[str, set[str]] = {}
        for partnership, council in con.rows(
            "SELECT partnership_code, council FROM <<members_as_of>>", {"as_of": FOREVER}
        ):
            members.setdefault(partnership, set()).add(council)
    outturn = read_outturn(outturn_data, outturn_name, councils)
    proposal.outturn_year = outturn.year
    parts, problems = read_mapping(mapping_data, outturn, councils)
    proposal.errors += problems
    if year is None:
        if outturn.year is None:
            proposal.errors.append(
                "the outturn file does not say its year (in its title, sheet or file name): "
                "give the baseline year with --year, such as --year 2017/18"
            )
            return proposal
        year = outturn.year
    proposal.year = year
    year_words = (outturn.year or year).replace("/", "-")
    if outturn.year and outturn.year != year:
        proposal.notes.append(
            f"the figures are the {outturn.year} outturn, proposed as {year} baselines "
            "(--year): say so in the business case"
        )
    # each (service, council) with its parts: a council's own rows for a line replace
    # the rows for every member for that line
    wanted: dict[tuple[str, str], dict[int, Part]] = {}
    for (service, council), service_parts in sorted(parts.items(), key=lambda kv: kv[0][1] or ""):
        if council is not None:
            targets = [council]
        elif service in services:
            targets = sorted(members.get(services[service], set()))
            if not targets:
                proposal.errors.append(
                    f"mapping row {service_parts[0].mapping_row}, column service_code: "
                    f"partnership {services[service]} of {service} has no members yet: load "
                    "its members first, or name each council in the council column"
                )
                continue
        else:
            proposal.errors.append(
                f"mapping row {service_parts[0].mapping_row}, column service_code: "
                f"{service} is not on the register: load the services and members "
                "files first, or name each council in the council column"
            )
            continue
        for target in targets:
            chosen = wanted.setdefault((service, target), {})
            for part in service_parts:
                if council is not None or part.line not in chosen:
                    chosen[part.line] = part
    if proposal.errors:
        return proposal
    for (service, council), chosen in sorted(wanted.items()):
        row = {
            "service_code": service,
            "council": council,
            "baseline_year": year,
            "annual_cost": "",
            "fte": "",
            "source": "",
        }
        proposal.rows.append(row)
        who = councils.describe(council)
        found = outturn.by_council.get(council, [])
        parts_here = [chosen[n] for n in sorted(chosen)]
        described = [
            f"{_share_words(p.share)}line {p.line} {outturn.lines[p.line].label}"
            for p in parts_here
        ]
        if not found:
            row["source"] = _source(year_words, described, "not in the outturn: enter the cost")
            proposal.notes.append(
                f"{service}, {who}: the outturn has no figures for this council (it covers "
                "English authorities as they were that year): annual_cost left blank; enter "
                "it from the council's own accounts"
            )
            continue
        if len(found) > 1:
            names = ", ".join(f"{a.name} (row {a.row})" for a in found)
            row["source"] = _source(
                year_words, described, "several predecessor councils: enter the cost"
            )
            proposal.notes.append(
                f"{service}, {who}: the outturn has {len(found)} authorities that are now this "
                f"council ({names}): annual_cost left blank; add their figures if that fits, "
                "and enter the total"
            )
            continue
        authority = found[0]
        total = Decimal(0)
        gaps: list[str] = []
        for part in parts_here:
            line = outturn.lines[part.line]
            raw = authority.cells[line.column] if line.column < len(authority.cells) else None
            value = _figure(raw)
            if value is None:
                shown = "blank" if is_blank(raw) else f"{str(raw).strip()!r}"
                gaps.append(f"line {part.line} is {shown}")
                continue
            total += value * THOUSAND * part.share
        if gaps:
            row["source"] = _source(
                year_words, described, f"{'; '.join(gaps)} (suppressed): enter the cost"
            )
            proposal.notes.append(
                f"{service}, {who}: in the outturn (row {authority.row}) {'; '.join(gaps)}, "
                "a figure not published: annual_cost left blank; enter it from the "
                "council's own accounts"
            )
            continue
        if total < 0:
            row["source"] = _source(
                year_words, described, f"net income of {_pounds(-total)}: enter the cost"
            )
            proposal.notes.append(
                f"{service}, {who}: the lines add up to {_pounds(total)}, net income rather "
                "than a cost: annual_cost left blank; enter the service's gross cost"
            )
            continue
        rounded = total.quantize(PENNY, rounding=ROUND_HALF_UP)
        extra = "" if rounded == total else f"rounded to the penny from £{total:f}"
        row["annual_cost"] = f"{rounded:.2f}"
        row["source"] = _source(year_words, described, extra)
    return proposal


def _count(number: int, word: str) -> str:
    return f"{number} {word}{'' if number == 1 else 's'}"


def summary(proposal: Proposal, out: str | None) -> list[str]:
    """What the command prints after the notes."""
    services = len({r["service_code"] for r in proposal.rows})
    councils = len({r["council"] for r in proposal.rows})
    outturn = (proposal.outturn_year or proposal.year).replace("/", "-")
    where = f"wrote {out}" if out else "printed above"
    blank = (
        f"; {proposal.blank} left blank (see the notes)" if proposal.blank else "; none left blank"
    )
    return [
        f"proposed {len(proposal.rows)} baselines for {_count(services, 'service')} and "
        f"{_count(councils, 'council')} ({where}), baseline year {proposal.year}, from the "
        f"MHCLG Revenue Outturn {outturn}: its figures are in £ thousand and are "
        f"multiplied by 1,000 to give pounds{blank}",
        "nothing was written to the store: check the file, fill in any blanks, then load it "
        "with `python -m sharedsvc_core load baselines FILE`",
        LICENCE,
    ]
