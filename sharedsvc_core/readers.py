"""Reading a file's bytes into a header and rows (CONTRACT.md section 1, "Formats").

The type is decided from the content, never from the name: an .xlsx is a ZIP holding
``xl/workbook.xml``; anything else must decode as text. The file name is only ever
kept as text for the receipt.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from itertools import islice, zip_longest
from typing import Any

MAX_XLSX_RATIO = 100
# about 100,000 rows of a return: more than any quarter's returns, and still read in seconds
MAX_XLSX_UNCOMPRESSED = 40 * 1024 * 1024
FILE = "(file)"  # the column named in messages about the whole file
DEFAULT_WIDTH = 60  # the most columns read when the caller does not say
# the most rows and cells read from a sheet: 100,000 rows of a return's 12 columns, read
# in a few seconds; a sheet with more (even blank ones, which cost as much to parse) is
# refused as soon as it passes either
MAX_XLSX_ROWS = 100_000
MAX_XLSX_CELLS = 1_200_000


def column_letters(index: int) -> str:
    """Excel's name for the 1-based column ``index``: 1 is A, 16384 is XFD."""
    letters = ""
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _too_wide(row_no: int, column: int, width: int, where: str) -> FileRefused:
    return FileRefused(
        f"{where} has a value in column {column_letters(column)} (column {column:,}) of row "
        f"{row_no}, far beyond the {width} columns this kind of file could need: delete the "
        "cells to the right of the return (or copy the return alone into a new file) and "
        "upload it again",
        row=row_no,
    )


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _bounded(cells: list[Any], width: int, row_no: int, where: str) -> list[Any]:
    """A row's cells up to its last non-blank one. Blank cells far to the right (which
    exporters and formatting leave behind) are dropped; a value there refuses the file,
    so a small file can never make the work as wide as it declares."""
    if len(cells) <= width:
        return cells
    for index in range(len(cells) - 1, width - 1, -1):
        if not _blank(cells[index]):
            raise _too_wide(row_no, index + 1, width, where)
    end = width
    while end and _blank(cells[end - 1]):
        end -= 1
    return cells[:end]


class FileRefused(Exception):
    """The file cannot be read at all; the message says what to do instead."""

    def __init__(self, message: str, row: int = 1) -> None:
        super().__init__(message)
        self.message = message
        self.row = row


@dataclass
class CellProblem:
    row: int
    column_index: int
    message: str


@dataclass
class RawTable:
    """A file's header and its data rows, held column by column."""

    header: list[str]
    header_row: int
    row_numbers: list[int]  # each data row's own row number in the file
    lengths: list[int]  # how many cells each data row has
    columns: list[list[Any]]  # columns[i][r]: row r's cell i (None past the row's end)
    blank_rows: list[int]
    source: str  # "csv" or "xlsx"
    detail: str  # the encoding, or the sheet read
    problems: list[CellProblem] = field(default_factory=list)
    # (row, text) about the file as a whole: notes (where the header was found) and
    # errors (amounts in thousands)
    notes: list[tuple[int, str]] = field(default_factory=list)
    file_errors: list[tuple[int, str]] = field(default_factory=list)
    # the non-blank rows above the header (titles, notes, a row of line numbers)
    preamble: list[tuple[int, list[Any]]] = field(default_factory=list)

    @classmethod
    def from_rows(
        cls,
        header: list[str],
        header_row: int,
        rows: list[tuple[int, list[Any]]],
        blank_rows: list[int],
        source: str,
        detail: str,
        problems: list[CellProblem] | None = None,
        found: HeaderFound | None = None,
        preamble: list[tuple[int, list[Any]]] | None = None,
    ) -> RawTable:
        lengths = [len(cells) for _, cells in rows]
        width = max([len(header), *lengths])
        transposed = [list(c) for c in zip_longest(*(cells for _, cells in rows))]
        columns = transposed + [[None] * len(rows) for _ in range(width - len(transposed))]
        return cls(
            header,
            header_row,
            [n for n, _ in rows],
            lengths,
            columns,
            blank_rows,
            source,
            detail,
            problems or [],
            found.notes if found else [],
            found.errors if found else [],
            preamble or [],
        )


HEADER_SEARCH_ROWS = 20
_THOUSANDS = re.compile(r"£\s*'?\s*000|£\s*k\b|\bthousands\b", re.IGNORECASE)


@dataclass
class HeaderFound:
    index: int  # the header's place among the records given
    notes: list[tuple[int, str]]
    errors: list[tuple[int, str]]


def find_header(
    records: list[tuple[int, list[Any]]],
    required: frozenset[str],
    normalise: Callable[[str], str],
    where: str,
) -> HeaderFound:
    """The header among the non-blank ``records`` (row number, cells): the first within
    the first 20 rows that holds every required column. Rows above it are skipped and
    named in a note. When none qualifies, the row most like a header is taken, and a
    note says what it lacks. A note or heading above or in the header that says the
    amounts are in thousands is an error."""
    candidates = [i for i, (row_no, _) in enumerate(records) if row_no <= HEADER_SEARCH_ROWS]
    if not candidates:
        candidates = [0]

    def words(i: int) -> set[str]:
        return {normalise(str(c)) for c in records[i][1] if not _blank(c)}

    chosen = next((i for i in candidates if required <= words(i)), None)
    notes: list[tuple[int, str]] = []
    if chosen is None:
        chosen = max(candidates, key=lambda i: (len(required & words(i)), -i))
        if required and len(candidates) > 1:
            lacking = ", ".join(sorted(required - words(chosen)))
            notes.append(
                (
                    records[chosen][0],
                    f"no row in the first {HEADER_SEARCH_ROWS} of {where} holds every "
                    f"required column; row {records[chosen][0]} looks most like the header, "
                    f"and it lacks {lacking}",
                )
            )
    header_row = records[chosen][0]
    if header_row > 1:
        skipped = "row 1 was" if header_row == 2 else f"rows 1–{header_row - 1} were"
        notes.append(
            (header_row, f"the header is on row {header_row} of {where}; {skipped} skipped")
        )
    errors = [
        (
            row_no,
            f"{str(cell).strip()!r} says the amounts are in thousands: enter amounts in "
            "pounds, not £ thousands (92000, not 92), with no note of units above the "
            "header",
        )
        for row_no, cells in records[: chosen + 1]
        for cell in cells
        if isinstance(cell, str) and _THOUSANDS.search(cell)
    ]
    return HeaderFound(chosen, notes, errors[:1] if errors else [])


def read_table(
    data: bytes,
    kind_name: str,
    width: int = DEFAULT_WIDTH,
    required: frozenset[str] = frozenset(),
    normalise: Callable[[str], str] = str,
) -> RawTable:
    """The file's header and rows. No row is read wider than ``width`` columns: blank
    cells beyond are ignored and a value beyond refuses the file. The header is the
    first row within the first 20 holding every ``required`` heading, compared after
    ``normalise`` (see :func:`find_header`)."""
    search = (required, normalise)
    if not data:
        raise FileRefused("the file is empty (0 bytes): export the return again and re-upload it")
    if data[:4] == b"PK\x03\x04":
        return _read_xlsx(data, kind_name, width, search)
    if data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        if "EncryptionInfo".encode("utf-16-le") in data:
            raise FileRefused(
                "the workbook is password-protected: remove the password in Excel "
                "(File > Info > Protect Workbook), save it as .xlsx and upload it again"
            )
        raise FileRefused(
            "this is an old-style Excel 97-2003 (.xls) file: open it in Excel and use "
            "Save As > Excel Workbook (.xlsx), or CSV UTF-8, then upload that"
        )
    if data[:5] == b"%PDF-":
        raise FileRefused("this is a PDF, not a spreadsheet: upload the return as .xlsx or .csv")
    return _read_csv(data, width, search)


# -- CSV -----------------------------------------------------------------------------


UTF8 = "UTF-8"  # how a file read as UTF-8 is described


def _decode(data: bytes) -> tuple[str, str]:
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="strict"), "UTF-8 with BOM"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16"), "UTF-16"
        except UnicodeDecodeError:
            raise FileRefused(
                "the file starts like UTF-16 text but cannot be read as it: "
                "save it again as CSV UTF-8"
            ) from None
    if b"\x00" in data[:65536]:
        if _utf16_without_bom(data[:4096]):
            raise FileRefused(
                "this is UTF-16 text without the mark at its start that says which UTF-16 "
                "it is, so it cannot be read safely: in Excel use Save As > CSV UTF-8 "
                "(Comma delimited), or in a text editor save it with the encoding UTF-8, "
                "and upload that"
            )
        raise FileRefused(
            "this is not a text file (it holds binary data): upload a .csv or .xlsx return"
        )
    try:
        return data.decode("utf-8"), UTF8
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252"), "Windows-1252"
    except UnicodeDecodeError:
        raise FileRefused(
            "the text is in neither UTF-8 nor Windows-1252: save it again as CSV UTF-8"
        ) from None


def _utf16_without_bom(sample: bytes) -> bool:
    """True when the bytes look like UTF-16 text (mostly Latin letters, digits and
    punctuation, each followed or preceded by a zero byte) with no byte-order mark."""
    sample = sample[: len(sample) // 2 * 2]
    if len(sample) < 8:
        return False
    for zeros, chars in ((sample[1::2], sample[0::2]), (sample[0::2], sample[1::2])):
        if zeros.count(0) >= 0.9 * len(zeros) and all(
            c in (9, 10, 13) or 32 <= c < 127 or c >= 160 for c in chars if c
        ):
            return True
    return False


_CONTROL = re.compile(r"[\x01-\x08\x0b\x0c\x0e-\x1f\x7f]")


Search = tuple[frozenset[str], Callable[[str], str]]
NO_SEARCH: Search = (frozenset(), str)


def _read_csv(data: bytes, width: int, search: Search = NO_SEARCH) -> RawTable:
    text, encoding = _decode(data)
    if "\r" in text and "\n" not in text:
        # classic Mac OS ends lines with a carriage return alone
        text, encoding = text.replace("\r", "\n"), f"{encoding}, lines ended by CR"
    sample = text[:20000]
    if sample and len(_CONTROL.findall(sample)) > max(3, len(sample) // 200):
        raise FileRefused(
            "this does not look like a CSV file (it holds binary data): "
            "upload a .csv or .xlsx return"
        )
    first_line = next((line for line in io.StringIO(text) if line.strip()), "")
    delimiter = ","
    if "," not in first_line:
        for candidate in (";", "\t"):
            if candidate in first_line:
                delimiter = candidate
                break
    first = next(csv.reader([first_line.rstrip("\r\n")], delimiter=delimiter), [])
    required, normalise = search
    if required <= {normalise(c) for c in first} and not any(_THOUSANDS.search(c) for c in first):
        fast = _read_plain_csv(text, delimiter, encoding, width)
        if fast is not None:
            return fast
    return _read_lines(text, delimiter, encoding, width, search)


def _read_lines(
    text: str,
    delimiter: str,
    encoding: str,
    width: int = DEFAULT_WIDTH,
    search: Search = NO_SEARCH,
) -> RawTable:
    """Read a CSV record by record, numbering each by the line it starts on."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    try:
        records = list(reader)
    except csv.Error:
        records = None
    if records is not None and reader.line_num == len(records):
        # one record a line: each record's row number is its line number
        numbered: Iterable[tuple[int, list[str]]] = enumerate(records, start=1)
    else:
        numbered = _numbered_records(text, delimiter)
    filled: list[tuple[int, list[Any]]] = []
    blank: list[int] = []
    for start, record in numbered:
        if not "".join(record).strip():
            blank.append(start)
            continue
        filled.append((start, _bounded(record, width, start, "the file")))
    if not filled:
        raise FileRefused("the file has no header row and no data: export the return again")
    found = find_header(filled, *search, "the file")
    header_row, header = filled[found.index]
    blank = [b for b in blank if b > header_row]
    rows = filled[found.index + 1 :]
    return RawTable.from_rows(
        header,
        header_row,
        rows,
        blank,
        "csv",
        encoding,
        found=found,
        preamble=filled[: found.index],
    )


# The plain CSV reader reads rows a block at a time, and holds each distinct value of a
# column once when the first _SAMPLE values of the column in the block repeat.
_BLOCK_ROWS = 200
_SAMPLE = 64


def _read_plain_csv(
    text: str, delimiter: str, encoding: str, width: int = DEFAULT_WIDTH
) -> RawTable | None:
    """Read a plain CSV straight into columns. Only when every line is one row, so row
    numbers are line numbers: a file with blank lines, a value spanning lines, rows of
    different lengths or anything else unusual returns None, and the line-by-line reader
    takes it instead. Each distinct value is held once, however many cells repeat it
    (as council, service and year columns do), so the memory follows the file's
    content, not its length."""
    # read a chunk at a time from UTF-8 bytes: a StringIO would hold four bytes a letter
    lines = io.TextIOWrapper(io.BytesIO(text.encode("utf-8")), encoding="utf-8", newline="")
    reader = csv.reader(lines, delimiter=delimiter, strict=True)
    header = next(reader, None)
    if not header or len(header) > width or reader.line_num != 1:
        return None  # the line-by-line reader trims, refuses or explains it
    columns: list[list[str]] = [[] for _ in header]
    once: dict[str, str] = {}
    keep = once.setdefault
    count = len(header)
    try:
        # a block of rows at a time, each step over a whole block done by built-ins
        # (no Python line runs per cell), so a block's rows are held only briefly
        while block := list(islice(reader, _BLOCK_ROWS)):
            if set(map(len, block)) != {count} or not all(map(str.strip, map("".join, block))):
                return None  # a blank row or a row of another length
            for column, values in zip(columns, zip(*block, strict=True), strict=True):
                if len(set(values[:_SAMPLE])) < _SAMPLE * 3 // 4:
                    column.extend(map(keep, values, values))
                else:  # values that seldom repeat (amounts) gain nothing from it
                    column.extend(values)
    except csv.Error:
        return None
    rows = len(columns[0])
    if rows == 0 or reader.line_num != rows + 1:
        return None  # a quoted value ran over two lines
    return RawTable(
        header, 1, list(range(2, rows + 2)), [count] * rows, columns, [], "csv", encoding
    )


def _numbered_records(text: str, delimiter: str) -> list[tuple[int, list[str]]]:
    """Records with the line each starts on, for files where a quoted value spans lines
    (or a quote is never closed)."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    out: list[tuple[int, list[str]]] = []
    line_before = 0
    try:
        for record in reader:
            out.append((line_before + 1, record))
            line_before = reader.line_num
    except csv.Error as error:
        if "field larger than field limit" in str(error):
            raise FileRefused(
                f"a single value in this row is over {csv.field_size_limit():,} characters "
                "long, far more than any column of a return holds: check that this is the "
                "return (and not a document pasted into one cell), or a quote left open "
                "around the rest of the file",
                row=line_before + 1,
            ) from None
        raise FileRefused(
            "unclosed quote: a quoted value starts in this row and never ends, so the rest "
            'of the file cannot be read; add the closing " (or remove the opening one)',
            row=line_before + 1,
        ) from None
    return out


# -- Excel ---------------------------------------------------------------------------


def _read_xlsx(data: bytes, kind_name: str, width: int, search: Search = NO_SEARCH) -> RawTable:
    import openpyxl  # parses XML through defusedxml, which is installed; imported when needed

    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except zipfile.BadZipFile:
        raise FileRefused("the file is a damaged ZIP or .xlsx: save it again from Excel") from None
    names = {info.filename for info in infos}
    if "xl/workbook.xml" not in names:
        raise FileRefused(
            "this is a ZIP file but not an Excel workbook: upload the return as .xlsx or .csv"
        )
    if "xl/vbaProject.bin" in names or b"macroEnabled" in archive.read("[Content_Types].xml"):
        raise FileRefused(
            "this workbook contains macros (.xlsm): use Save As > Excel Workbook (.xlsx) "
            "and upload that"
        )
    unpacked = sum(info.file_size for info in infos)
    if unpacked > MAX_XLSX_UNCOMPRESSED or unpacked > MAX_XLSX_RATIO * len(data):
        raise FileRefused(
            f"the workbook unpacks to {unpacked // (1024 * 1024)} MB, more than a return "
            f"needs (at most {MAX_XLSX_UNCOMPRESSED // (1024 * 1024)} MB, about 100,000 rows): "
            "copy the return's rows alone into a new workbook, or split a large return "
            "into several files, or send it as CSV"
        )
    _count_against_limits(archive)
    data = _with_dimensions(archive, data)
    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many types for damaged files
        raise FileRefused(
            f"the workbook cannot be read ({type(error).__name__}): open it in Excel, "
            "save it as .xlsx and upload it again"
        ) from None
    try:
        # the sheet named after the kind, else the first visible one; a hidden sheet
        # (of lookups, say) is never read unless it is named after the kind
        visible = [ws.title for ws in book.worksheets if ws.sheet_state == "visible"]
        sheet_name = next(
            (s for s in book.sheetnames if s.strip().lower() == kind_name.lower()),
            visible[0] if visible else None,
        )
        if sheet_name is None:
            raise FileRefused(
                f"every sheet of the workbook is hidden and none is named {kind_name!r}: "
                f"unhide the sheet with the return, or name it {kind_name}"
            )
        where = f"the sheet {sheet_name!r}"
        has_formulas = (
            re.search(rb"<(?:\w+:)?f[ >/]", archive.read(book[sheet_name]._worksheet_path))
            is not None
        )
        values = _sheet_rows(book[sheet_name], width, where)
    finally:
        book.close()
    problems: list[CellProblem] = []
    if has_formulas:
        formulas = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=False)
        try:
            cached_rows = dict(values)
            for row_no, raw_cells in _sheet_rows(formulas[sheet_name], width, where):
                cells = cached_rows.get(row_no, [])
                for index, raw in enumerate(raw_cells):
                    cached = cells[index] if index < len(cells) else None
                    is_formula = (isinstance(raw, str) and raw.startswith("=")) or (
                        type(raw).__name__ in ("ArrayFormula", "DataTableFormula")
                    )
                    if is_formula and cached is None:
                        problems.append(
                            CellProblem(
                                row_no,
                                index,
                                "the cell holds a formula with no saved value: "
                                "open and save the file in Excel, then upload it again",
                            )
                        )
        finally:
            formulas.close()
    if not values:
        raise FileRefused(
            f"the sheet {sheet_name!r} is empty: put the return on a sheet named "
            f"{kind_name}, or on the first sheet that is not hidden"
        )
    found = find_header(values, *search, f"the sheet {sheet_name!r}")
    header_row, header_cells = values[found.index]
    header = ["" if c is None else str(c) for c in header_cells]
    rows: list[tuple[int, list[Any]]] = []
    blank: list[int] = []
    previous = header_row
    for row_no, cells in values[found.index + 1 :]:
        blank.extend(range(previous + 1, row_no))  # rows Excel left out as empty
        previous = row_no
        rows.append((row_no, [c.strip() if isinstance(c, str) else c for c in cells]))
    # trailing blank rows that Excel kept formatted are not worth a mention
    while blank and rows and blank[-1] > rows[-1][0]:
        blank.pop()
    return RawTable.from_rows(
        header,
        header_row,
        rows,
        blank,
        "xlsx",
        f"sheet {sheet_name!r}",
        problems,
        found,
        values[: found.index],
    )


_ROOT = re.compile(rb"<(\w+:)?worksheet\b[^>]*>")


def _too_many(where: str, row: int) -> FileRefused:
    return FileRefused(
        f"{where} goes on past {MAX_XLSX_ROWS:,} rows or {MAX_XLSX_CELLS:,} cells, more "
        "than one workbook may hold here: split it into several files of at most "
        "100,000 rows, or send it as CSV",
        row=row,
    )


def sheet_names(data: bytes) -> list[str]:
    """The names of a workbook's sheets, in the workbook's order; none for a file that
    is not a workbook (reading it says why)."""
    try:
        return list(_sheet_titles(zipfile.ZipFile(io.BytesIO(data))).values())
    except (zipfile.BadZipFile, KeyError, ValueError):
        return []


def _sheet_titles(archive: zipfile.ZipFile) -> dict[str, str]:
    """Each worksheet's part in the archive, with the sheet's name, for messages."""
    from defusedxml import ElementTree

    try:
        book = ElementTree.fromstring(archive.read("xl/workbook.xml"))
        links = ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    except Exception:  # a damaged workbook is reported when openpyxl opens it
        return {}
    targets = {
        link.get("Id"): "xl/" + str(link.get("Target", "")).removeprefix("/xl/").lstrip("/")
        for link in links
    }
    rid = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
    return {
        targets.get(sheet.get(rid), ""): str(sheet.get("name"))
        for sheet in book.iter()
        if sheet.tag.endswith("}sheet")
    }


def _count_against_limits(archive: zipfile.ZipFile) -> None:
    """Refuse a workbook with a sheet of more rows or cells than the limits before any
    of it is parsed: counting opening tags as the sheet is unpacked, a megabyte at a
    time, costs a fraction of reading them and holds almost nothing."""
    titles = None
    patterns = [p % name for name in (b"row", b"c") for p in (b"<%s ", b"<%s>", b":%s ")]
    for info in archive.infolist():
        if not (info.filename.startswith("xl/worksheets/") and info.filename.endswith(".xml")):
            continue
        counts = dict.fromkeys(patterns, 0)
        tail = b""
        with archive.open(info) as member:
            while chunk := member.read(1 << 20):
                text = tail + chunk
                for pattern in patterns:
                    counts[pattern] += text.count(pattern)
                tail = text[-4:]
                for pattern in patterns:  # a tag cut by the boundary is counted next time
                    counts[pattern] -= tail.count(pattern)
        rows = sum(v for k, v in counts.items() if b"row" in k)
        cells = sum(v for k, v in counts.items() if b"row" not in k)
        if rows > MAX_XLSX_ROWS or cells > MAX_XLSX_CELLS:
            titles = titles if titles is not None else _sheet_titles(archive)
            name = titles.get(info.filename)
            where = f"the sheet {name!r}" if name else "a sheet of the workbook"
            raise _too_many(where, min(rows, MAX_XLSX_ROWS) + 1)


def _with_dimensions(archive: zipfile.ZipFile, data: bytes) -> bytes:
    """The workbook, with a ``<dimension>`` put into any sheet that lacks one. Excel
    always writes it; without it, opening the workbook makes openpyxl read each such
    sheet to its end, before a single row can be counted against the limits. Sheets
    are read here by their rows, never by the dimension, so "A1" is all it needs."""
    missing = []
    for info in archive.infolist():
        name = info.filename
        if name.startswith("xl/worksheets/") and name.endswith(".xml"):
            with archive.open(info) as member:
                head = member.read(65536)
            if not re.search(rb"<(?:\w+:)?dimension\b", head.split(b"sheetData", 1)[0]):
                missing.append(name)
    if not missing:
        return data
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as rebuilt:
        for info in archive.infolist():
            content = archive.read(info)
            if info.filename in missing:
                root = _ROOT.search(content)
                if root:
                    prefix = root.group(1) or b""
                    at = root.end()
                    content = content[:at] + b"<" + prefix + b'dimension ref="A1"/>' + content[at:]
            rebuilt.writestr(info.filename, content)
    return out.getvalue()


def _sheet_rows(sheet: Any, width: int, where: str) -> list[tuple[int, list[Any]]]:
    """Each row holding a value, as its cells up to its last value. A sheet that
    declares itself 16,384 columns wide costs what its values cost, not what it
    declares: blank cells are skipped, and a value beyond ``width`` refuses the file.

    The rows come from openpyxl's own sheet parser (the one its read-only sheets use),
    because a read-only sheet pads every row out to its last cell, however far away."""
    from openpyxl.worksheet._reader import WorkSheetParser

    book = sheet.parent
    out: list[tuple[int, list[Any]]] = []
    with sheet._get_source() as source:
        parser = WorkSheetParser(
            source,
            sheet._shared_strings,
            data_only=book.data_only,
            epoch=book.epoch,
            date_formats=book._date_formats,
            timedelta_formats=book._timedelta_formats,
        )
        seen = 0
        for row_no, cells in parser.parse():
            seen += len(cells)
            if seen > MAX_XLSX_CELLS or row_no > MAX_XLSX_ROWS:
                raise _too_many(where, row_no)
            found: dict[int, Any] = {}
            for cell in cells:
                value = cell["value"]
                if _blank(value):
                    continue
                if cell["column"] > width:
                    raise _too_wide(row_no, cell["column"], width, where)
                found[cell["column"]] = value
            if found:
                values: list[Any] = [None] * max(found)
                for column, value in found.items():
                    values[column - 1] = value
                out.append((row_no, values))
    return out
