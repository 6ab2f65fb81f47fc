"""The board pack as a PDF: the cover and headline figures, the dashboard's own charts
(drawn with matplotlib, so no browser is needed) each with its figures in words, and the
tables of the pack, with RAG, stages and groups written in words."""

from __future__ import annotations

import functools
import io
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

from . import charts, explore, options, wording
from .board_pack import (
    BENEFITS,
    CHANGES,
    EXCEPTIONS,
    OPTIONS,
    OUTSTANDING,
    OVERCLAIMS,
    OVERLAPS,
    PARTNERSHIPS,
    REGISTER,
    SURVEY,
    TITLE,
    UNCERTIFIED,
    BoardPack,
    Table,
    records,
)


def _font_dir() -> Path:
    import matplotlib

    return Path(matplotlib.get_data_path()) / "fonts" / "ttf"


MISSING_GLYPH = "\ufffd"  # what the PDF shows for a character its font cannot draw
SHORT_COMMENTARY = 280  # characters of commentary shown in the PDF's exceptions table


@functools.cache
def _drawable() -> frozenset[int]:
    """The characters the PDF's font (DejaVu Sans) can draw."""
    from fontTools.ttLib import TTFont

    return frozenset(TTFont(str(_font_dir() / "DejaVuSans.ttf")).getBestCmap())


def printable(text: str) -> str:
    """``text`` with every character the PDF's font lacks (Chinese, Japanese and Korean
    text, emoji) replaced by the replacement character, so it is never silently
    dropped. Line breaks and tabs become spaces."""
    drawable = _drawable()
    return "".join(
        " " if c in "\t\r\n" else c if ord(c) in drawable else MISSING_GLYPH for c in text
    )


def to_pdf(pack: BoardPack) -> bytes:
    from fpdf import FPDF
    from fpdf.fonts import FontFace

    pdf = FPDF(orientation="portrait", format="A4")
    pdf.set_title(f"Board pack: {TITLE}")
    pdf.set_lang("en-GB")
    pdf.add_font("DejaVu", "", str(_font_dir() / "DejaVuSans.ttf"))
    pdf.add_font("DejaVu", "B", str(_font_dir() / "DejaVuSans-Bold.ttf"))
    pdf.set_auto_page_break(True, margin=15)
    heading = FontFace(emphasis="BOLD", fill_color=(230, 230, 230))

    def title(text: str, size: int = 14) -> None:
        pdf.set_font("DejaVu", "B", size)
        pdf.multi_cell(0, 8, printable(text), new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("DejaVu", "", 10)

    def table(rows: list[list[str]], widths: tuple[float, ...]) -> None:
        pdf.set_font("DejaVu", "", 8)
        with pdf.table(
            col_widths=widths, headings_style=heading, line_height=5, text_align="LEFT"
        ) as grid:
            for row in rows:
                cells = grid.row()
                for value in row:
                    cells.cell(printable(value))
        pdf.set_font("DejaVu", "", 10)
        pdf.ln(3)

    def described(which: Table, rows: list[dict[str, Any]]) -> None:
        """A table of the pack as its description has it (board_pack.py): the columns
        with a width in the PDF, each value written as on the screen."""
        columns = which.pdf_columns
        table(
            [[c.short_heading for c in columns]]
            + [[written(row.get(c.key), c.kind) for c in columns] for row in rows],
            tuple(c.pdf for c in columns),
        )

    def paragraph(text: str, size: int = 9) -> None:
        """Text that wraps and, however long, carries on over the pages."""
        pdf.set_font("DejaVu", "", size)
        pdf.multi_cell(0, 5, printable(text), new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("DejaVu", "", 10)

    # cover and headline figures
    pdf.add_page()
    title(f"Board pack: {TITLE}", 18)
    pdf.multi_cell(
        0, 6, pack.subtitle[0].upper() + pack.subtitle[1:], new_x="LMARGIN", new_y="NEXT"
    )
    pdf.multi_cell(
        0, 6, f"Generated {pack.generated_at:%Y-%m-%d %H:%M} UTC", new_x="LMARGIN", new_y="NEXT"
    )
    if pack.illustrative:
        pdf.multi_cell(
            0,
            6,
            "Illustrative demo data: not any council's real figures.",
            new_x="LMARGIN",
            new_y="NEXT",
        )
    paragraph(pack.counting)
    pdf.ln(4)
    figures = pack.headline
    if figures is None:
        pdf.multi_cell(0, 6, "No returns had been received.", new_x="LMARGIN", new_y="NEXT")
        return bytes(pdf.output())
    title("Headline figures", 13)
    table(
        [
            ["Figure", "Value"],
            ["Target to date", wording.pounds(figures["target"])],
            ["Evidenced saving", wording.pounds(figures["evidenced"])],
            ["Claimed saving", wording.pounds(figures["claimed"])],
            ["Net of one-off costs", wording.pounds(figures["net"])],
            ["Realisation", wording.percent(figures["realisation_pct"])],
            ["RAG status", wording.rag(figures["rag"])],
            ["Returns received", f"{figures['returns_received']} of {figures['returns_expected']}"],
            ["NPV (3.5% a year)", wording.pounds(figures["npv"])],
            ["Payback", figures["payback"] or "not yet"],
        ],
        (60, 60),
    )

    # charts, each followed by its figures in words
    pdf.add_page()
    title("Savings to date", 13)
    if not pack.trajectory.empty:
        pdf.image(
            io.BytesIO(charts.png(charts.trajectory(pack.trajectory))),
            w=180,
            alt_text="Cumulative target, evidenced and claimed savings by quarter",
        )
        last = pack.trajectory.iloc[-1]
        pdf.multi_cell(
            0,
            5,
            f"By {last['quarter']}: cumulative target "
            f"{wording.pounds(last['cumulative_target'])}, evidenced "
            f"{wording.pounds(last['cumulative_evidenced'])}, claimed "
            f"{wording.pounds(last['cumulative_claimed'])}.",
            new_x="LMARGIN",
            new_y="NEXT",
        )
    pdf.ln(3)
    title("RAG by partnership", 13)
    if not pack.partnerships.empty:
        shown, note = explore.for_chart(pack.partnerships, "realisation_pct", lowest=True)
        pdf.image(
            io.BytesIO(charts.png(charts.rag_bars(shown, "name", "Realisation % by partnership"))),
            w=180,
            alt_text="Realisation percentage and RAG status by partnership",
        )
        if note:
            pdf.multi_cell(0, 5, note, new_x="LMARGIN", new_y="NEXT")
        described(PARTNERSHIPS, PARTNERSHIPS.rows(pack))

    # exceptions
    pdf.add_page()
    title("Exceptions: red and no-data items", 13)
    if pack.exceptions.empty:
        pdf.multi_cell(
            0, 6, "None: every item with a target is Amber or Green.", new_x="LMARGIN", new_y="NEXT"
        )
    else:
        # a table row may not run over a page, so long commentary is cut short in the
        # table and given in full beneath it, where it wraps and runs on
        rows = EXCEPTIONS.rows(pack)
        long = [r for r in rows if len(r["commentary"] or "") > SHORT_COMMENTARY]
        described(EXCEPTIONS, rows)
        if long:
            title("Commentary in full", 11)
            for r in long:
                paragraph(f"{r['service']}, {r['council_name']}:", 9)
                paragraph(r["commentary"], 8)
                pdf.ln(2)

    # every service and council, so that a board reading only the PDF sees every service
    pdf.add_page()
    title("Every service and council", 13)
    if pack.register.empty:
        paragraph("No service has a target or a return to date.")
    else:
        described(REGISTER, REGISTER.rows(pack))

    # Taking Stock
    pdf.add_page()
    title(f"Taking Stock survey{', ' + pack.survey_wave if pack.survey_wave else ''}", 13)
    if pack.survey_groups.empty:
        pdf.multi_cell(0, 6, "No survey had been loaded.", new_x="LMARGIN", new_y="NEXT")
    else:
        table(
            [["Group", "People", "Net agreement", "Change since last wave"]]
            + [
                [
                    wording.group(r["group"]),
                    str(r["respondents"]),
                    wording.signed(r["net_agreement"]),
                    wording.signed(r["change"]),
                ]
                for r in records(pack.survey_groups)
            ],
            (50, 30, 40, 60),
        )
        described(SURVEY, SURVEY.rows(pack))
    pdf.add_page()
    title("Returns not yet certified", 13)
    if not pack.uncertified:
        paragraph("Every current return has been certified.")
    else:
        described(UNCERTIFIED, UNCERTIFIED.rows(pack))
    title("Returns outstanding", 13)
    if not pack.outstanding:
        paragraph("Every return expected to date has been received.")
    else:
        when = f"{pack.today:%Y-%m-%d}" if pack.today else "today"
        paragraph(f"Every return expected to date and not received; days overdue to {when}.")
        described(OUTSTANDING, OUTSTANDING.rows(pack))
    pdf.add_page()
    title("Double counting", 13)
    title("Baselines claimed by more than one partnership", 11)
    if not pack.overlaps:
        paragraph("None: no council's baseline for a service area is claimed twice in a year.")
    else:
        paragraph(
            "A council's baseline for a service area claimed by live or implementing services "
            "of more than one partnership in the same year."
        )
        described(OVERLAPS, OVERLAPS.rows(pack))
    title("Claimed savings above the baseline", 11)
    if not pack.overclaims:
        paragraph("None: no council claims more for a service area in a year than its baseline.")
    else:
        described(OVERCLAIMS, OVERCLAIMS.rows(pack))
    pdf.add_page()
    title("Benefits register", 13)
    if not pack.benefits:
        paragraph("No benefit is on the register.")
    else:
        paragraph(
            "Each benefit's latest value against a straight line from its baseline to its "
            "target; each dis-benefit follows the benefit it comes with."
        )
        described(BENEFITS, BENEFITS.rows(pack))
    title("Changes since the business case", 13)
    if not pack.changes:
        paragraph("No baseline or target has changed since it was first loaded.")
    else:
        described(CHANGES, CHANGES.rows(pack))
    pdf.add_page()
    title("Options appraisal", 13)
    if not pack.appraisals:
        paragraph("No service at the outline or full business case stage has an appraisal.")
    else:
        paragraph(
            "For each service at the outline or full business case stage: its options by "
            "rank, highest weighted score first. Weighted score = Σ(weight × score) ÷ "
            "Σ weight, scores from 0 to 10; equal scores share a rank (1, 1, 3)."
        )
    for appraisal in pack.appraisals:
        rows = options.in_words(appraisal)
        title(f"{rows[0]['service']}: {rows[0]['stage_word']}", 11)
        for warning in appraisal.warnings:
            paragraph(f"Warning: {warning}")
        described(OPTIONS, rows)
        for row in rows:
            said = [f"Scores: {row['scores']}"]
            said += [f"{options.SWOT_WORD[k]}: {row[k]}" for k in options.SWOT]
            paragraph(f"{row['option']}. " + " ".join(s.rstrip(". ") + "." for s in said), 8)
    return bytes(pdf.output())


# how the PDF writes each kind of value: as the screen does (wording.py)
_WRITTEN: dict[str, Callable[[Any], str]] = {
    "money": wording.pounds,
    "pct": wording.percent,
    "rag": wording.rag,
    "stage": wording.stage,
    "group": wording.group,
    "status": wording.status,
    "int": wording.whole,
    "signed": wording.signed,
    "score": lambda v: wording.text(wording.rounded(v, Decimal("0.01"))),
    "when": lambda v: f"{v:%Y-%m-%d %H:%M}",
}


def written(value: Any, kind: str) -> str:
    """A value of a pack's table as the PDF writes it."""
    if kind == "commentary":  # cut short in the table, given in full beneath it
        return _short(value or "")
    if wording.missing(value):
        return wording.MISSING
    return _WRITTEN.get(kind, wording.text)(value)


def _short(text: str) -> str:
    if len(text) <= SHORT_COMMENTARY:
        return text
    return text[:SHORT_COMMENTARY].rstrip() + " … (in full below the table)"
