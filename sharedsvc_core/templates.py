"""Blank templates for each kind of file: a header row and one example row, as CSV and as
.xlsx (with a guidance sheet listing every column, whether it is required and what it
may hold)."""

from __future__ import annotations

import csv
import io

from .contract import TYPES, Column, Kind


def describe_column(column: Column) -> str:
    """What a column may hold, in words."""
    if column.kind == "choice":
        text = "One of: " + ", ".join(column.choices)
    else:
        text = TYPES[column.kind].words
    if column.max_length:
        text += f" (at most {column.max_length:,} characters)"
    if column.default is not None:
        text += f". Blank means {column.default}"
    if column.help:
        text += f". {column.help}"
    return text


def csv_template(kind: Kind) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([c.name for c in kind.columns])
    writer.writerow([c.example for c in kind.columns])
    return out.getvalue().encode("utf-8-sig")  # the BOM lets Excel open the £ correctly


def xlsx_template(kind: Kind) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    sheet.title = kind.name
    sheet.append([c.name for c in kind.columns])
    sheet.append([_example_cell(c) for c in kind.columns])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "A2"
    for index, column in enumerate(kind.columns, start=1):
        letter = sheet.cell(row=1, column=index).column_letter
        sheet.column_dimensions[letter].width = max(14, len(column.name) + 4)
        excel_format = TYPES[column.kind].excel_format
        if excel_format:
            sheet.cell(row=2, column=index).number_format = excel_format
    guide = book.create_sheet("Guidance")
    guide.append([f"How to fill in a {kind.name} file"])
    guide["A1"].font = Font(bold=True, size=14)
    guide.append([kind.summary])
    guide.append(
        [
            "Keep the header row as it is. Put one row per line, with no total rows. "
            "Replace the example row with your own. Save as .xlsx or CSV UTF-8."
        ]
    )
    guide.append([])
    guide.append(["column", "required", "what to write", "example"])
    for cell in guide[5]:
        cell.font = Font(bold=True)
    for column in kind.columns:
        guide.append(
            [
                column.name,
                "required" if column.required else "optional",
                describe_column(column),
                column.example,
            ]
        )
    guide.column_dimensions["A"].width = 24
    guide.column_dimensions["B"].width = 11
    guide.column_dimensions["C"].width = 90
    guide.column_dimensions["D"].width = 30
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _example_cell(column: Column) -> object:
    return TYPES[column.kind].example(column.example)
