"""The board pack as an Excel workbook: a cover, the programme summary, and a sheet for
each table of the pack, each figure a number with a £ or % format."""

from __future__ import annotations

import io
from typing import Any

import pandas as pd

from . import wording
from .board_pack import FIGURES, SHEETS, TITLE, BoardPack
from .spreadsheet import neutralise

MONEY_FORMAT = '"£"#,##0.00;-"£"#,##0.00'
PCT_FORMAT = '0.0"%"'
# net agreement runs from -100 to +100 (percentage points); mean scores from 1 to 5
NUMBER_FORMATS = {
    "money": MONEY_FORMAT,
    "pct": PCT_FORMAT,
    "signed": "+0.0;-0.0;0.0",
    "score": "0.00",
}


# kinds the workbook holds as they are: the full commentary, and a moment as a date
SHEET_KIND = {"commentary": "text", "when": "text"}
# columns holding a code, written in words as on the screen
WORDS = {
    "rag": wording.rag,
    "stage": wording.stage,
    "group": wording.group,
    "status": wording.status,
}


def _cell(value: Any, kind: str) -> Any:
    if value is None or (isinstance(value, float) and value != value):
        return None
    if kind in WORDS:
        return WORDS[kind](value)
    if kind in ("money", "pct", "signed", "score"):
        return float(value)
    if kind == "int":
        return int(value)
    if isinstance(value, pd.Timestamp):
        return value.to_pydatetime()
    return neutralise(value) if isinstance(value, str) else value


def _sheet(
    book: Any, title: str, columns: list[tuple[str, str, str]], rows: list[dict[str, Any]]
) -> None:
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    sheet = book.create_sheet(title)
    sheet.append([heading for _, heading, _ in columns])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append([_cell(row.get(key), kind) for key, _, kind in columns])
    for index, (key, heading, kind) in enumerate(columns, start=1):
        letter = get_column_letter(index)
        widest = max([len(heading)] + [len(str(row.get(key) or "")) for row in rows[:500]])
        limit = 60 if kind == "text" else 18
        sheet.column_dimensions[letter].width = min(max(10, widest + 2), limit)
        if kind in NUMBER_FORMATS:
            for (cell,) in sheet.iter_rows(min_row=2, min_col=index, max_col=index):
                cell.number_format = NUMBER_FORMATS[kind]
    sheet.freeze_panes = "A2"
    if rows:
        sheet.auto_filter.ref = sheet.dimensions


def to_xlsx(pack: BoardPack) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    cover = book.active
    cover.title = "Cover"
    cover.append([f"Board pack: {TITLE}"])
    cover["A1"].font = Font(bold=True, size=16)
    cover.append([pack.subtitle[0].upper() + pack.subtitle[1:]])
    cover.append([f"Generated {pack.generated_at:%Y-%m-%d %H:%M} UTC"])
    if pack.illustrative:
        cover.append(["Illustrative demo data: not any council's real figures."])
    cover.append([pack.counting])
    cover.append([])
    cover.append(
        [
            "RAG: Green at or above the green threshold of target, Amber at or above the "
            "amber threshold, Red below it; No data where a target has no return."
        ]
    )
    cover.column_dimensions["A"].width = 100

    summary_columns = [("item", "Figure", "text"), ("value", "Value", "text")]
    figures = pack.headline or {}
    summary_rows: list[dict[str, Any]] = []
    for column in FIGURES:
        value = figures.get(column.key)
        summary_rows.append({"item": column.heading, "value": _cell(value, column.kind)})
    _sheet(book, "Programme summary", summary_columns, summary_rows)
    sheet = book["Programme summary"]
    for row_index, column in enumerate(FIGURES, start=2):
        if column.kind in ("money", "pct"):
            sheet.cell(row=row_index, column=2).number_format = NUMBER_FORMATS[column.kind]

    for table in SHEETS:
        columns = [(c.key, c.heading, SHEET_KIND.get(c.kind, c.kind)) for c in table.columns]
        _sheet(book, table.sheet, columns, table.rows(pack))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
