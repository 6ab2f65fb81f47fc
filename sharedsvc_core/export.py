"""The board pack: the programme's figures, to a quarter and as of a moment, as an Excel
workbook and as a PDF.

Both are built from one :class:`BoardPack`, gathered on one read-only connection, so the
two files always agree, and a pack as of a past moment shows exactly what had been
received by then. The PDF's charts are the dashboard's own (:mod:`charts`, drawn with
matplotlib, so no browser is needed), with RAG written in words.
"""

from __future__ import annotations

import functools
import io
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pandas as pd

from . import audit, certification, charts, explore, returns_calendar, survey, wording
from .access import Person, require_board_pack
from .explore import Scope
from .periods import Quarter
from .realisation import Filters, Period
from .spreadsheet import neutralise
from .store import Store, utc_now

TITLE = "Shared services programme"


@dataclass
class BoardPack:
    period: Period
    to: Quarter | None
    as_of: datetime | None
    generated_at: datetime
    illustrative: bool
    headline: dict[str, Any] | None
    trajectory: pd.DataFrame
    partnerships: pd.DataFrame
    services: pd.DataFrame
    councils: pd.DataFrame
    register: pd.DataFrame
    exceptions: pd.DataFrame
    survey_wave: str | None
    survey_groups: pd.DataFrame
    survey_statements: pd.DataFrame
    submissions: pd.DataFrame
    certified_only: bool = False
    certified: dict[str, Any] | None = None  # the headline counting certified returns only
    uncertified: list[dict[str, Any]] = field(default_factory=list)
    outstanding: list[dict[str, Any]] = field(default_factory=list)
    today: date | None = None  # the day days overdue are counted to

    @property
    def subtitle(self) -> str:
        """Such as "figures to 2015/16 Q2, as of 2015-08-01"."""
        end = self.period.end.display if self.period.end else "no returns yet"
        moment = self.as_of.strftime("%Y-%m-%d %H:%M UTC") if self.as_of else "now"
        if self.as_of and self.as_of.hour == self.as_of.minute == self.as_of.second == 0:
            moment = self.as_of.strftime("%Y-%m-%d")
        only = ", certified returns only" if self.certified_only else ""
        return f"figures to {end}, as of {moment}{only}"

    @property
    def counting(self) -> str:
        """Which returns the figures count, in a sentence for the cover."""
        if self.certified_only:
            return (
                "These figures count certified returns only: each a council's certifier has "
                "vouched for. Returns not yet certified are listed at the end."
            )
        text = "These figures count every current return, certified or not."
        if self.headline and self.certified is not None:
            text += (
                f" Of the evidenced saving of {wording.pounds(self.headline['evidenced'])}, "
                f"{wording.pounds(self.certified['evidenced'])} is from certified returns."
            )
        count = len(self.uncertified)
        if count:
            text += (
                f" {count} return submissions are not yet certified: see their list."
                if count > 1
                else " 1 return submission is not yet certified: see the list."
            )
        return text


def gather(
    store: Store,
    to: Quarter | None = None,
    as_of: datetime | None = None,
    certified_only: bool = False,
) -> BoardPack:
    """Everything the pack shows, read on one connection. Days overdue are counted to
    the day the figures are as of (today, for figures as they stand now)."""
    scope = Scope(to, as_of, Filters(certified_only=certified_only))
    today = as_of.date() if as_of else returns_calendar.today_utc()
    with store.reading() as con:
        headline = explore.headline(con, scope)
        waves = survey.waves(con, as_of)
        wave = waves[-1] if waves else None
        return BoardPack(
            period=headline["period"],
            to=to,
            as_of=as_of,
            generated_at=utc_now(),
            illustrative=explore.is_illustrative(con),
            headline=headline["figures"],
            trajectory=explore.trajectory(con, scope),
            partnerships=explore.figures(con, "partnership", scope),
            services=explore.figures(con, "service", scope),
            councils=explore.figures(con, "council", scope),
            register=explore.figures(con, "service_council", scope),
            exceptions=explore.exceptions(con, scope),
            survey_wave=wave,
            survey_groups=explore.survey_groups(con, wave, as_of) if wave else pd.DataFrame(),
            survey_statements=explore.survey_frame(con, wave, as_of) if wave else pd.DataFrame(),
            submissions=explore.submissions(con, as_of),
            certified_only=certified_only,
            certified=headline["certified"],
            uncertified=certification.uncertified(con, as_of),
            outstanding=returns_calendar.outstanding(con, to, as_of, today),
            today=today,
        )


def write(pack: BoardPack, out: Path) -> None:
    """Write the pack as .xlsx or .pdf, by the name's suffix."""
    suffix = out.suffix.lower()
    if suffix == ".xlsx":
        out.write_bytes(to_xlsx(pack))
    elif suffix == ".pdf":
        out.write_bytes(to_pdf(pack))
    else:
        raise ValueError("the board pack is written as .xlsx or .pdf: name the file so")


# -- Excel ---------------------------------------------------------------------------

FIGURE_COLUMNS = [
    ("target", "Target", "money"),
    ("evidenced", "Evidenced", "money"),
    ("claimed", "Claimed", "money"),
    ("claims_gap", "Claims gap", "money"),
    ("one_off", "One-off costs", "money"),
    ("net", "Net saving", "money"),
    ("realisation_pct", "Realisation %", "pct"),
    ("efficiency_pct", "Efficiency %", "pct"),
    ("npv", "NPV", "money"),
    ("payback", "Payback", "text"),
    ("rag", "RAG", "rag"),
    ("returns_expected", "Returns expected", "int"),
    ("returns_received", "Returns received", "int"),
]
MONEY_FORMAT = '"£"#,##0.00;-"£"#,##0.00'
PCT_FORMAT = '0.0"%"'
# net agreement runs from -100 to +100 (percentage points); mean scores from 1 to 5
NUMBER_FORMATS = {
    "money": MONEY_FORMAT,
    "pct": PCT_FORMAT,
    "signed": "+0.0;-0.0;0.0",
    "score": "0.00",
}


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


def _records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    if frame.empty:
        return []
    return [
        {k: (None if isinstance(v, float) and v != v else v) for k, v in row.items()}
        for row in frame.to_dict("records")
    ]


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
    for key, heading, kind in FIGURE_COLUMNS:
        value = figures.get(key)
        summary_rows.append({"item": heading, "value": _cell(value, kind)})
    _sheet(book, "Programme summary", summary_columns, summary_rows)
    sheet = book["Programme summary"]
    for row_index, (_, _, kind) in enumerate(FIGURE_COLUMNS, start=2):
        if kind in ("money", "pct"):
            sheet.cell(row=row_index, column=2).number_format = (
                MONEY_FORMAT if kind == "money" else PCT_FORMAT
            )

    named = [("key", "Code", "text"), ("name", "Name", "text")]
    _sheet(book, "Partnerships", named + FIGURE_COLUMNS, _records(pack.partnerships))
    _sheet(
        book,
        "Services",
        named + [("stage", "Stage", "stage")] + FIGURE_COLUMNS,
        _records(pack.services),
    )
    _sheet(
        book,
        "Councils",
        [("key", "GSS code", "text"), ("name", "Council", "text")] + FIGURE_COLUMNS,
        _records(pack.councils),
    )
    _sheet(
        book,
        "Register",
        [
            ("service_code", "Service code", "text"),
            ("service", "Service", "text"),
            ("council", "GSS code", "text"),
            ("council_name", "Council", "text"),
            ("stage", "Stage", "stage"),
        ]
        + FIGURE_COLUMNS,
        _records(pack.register),
    )
    _sheet(
        book,
        "Exceptions",
        [
            ("service", "Service", "text"),
            ("council_name", "Council", "text"),
            ("target", "Target", "money"),
            ("evidenced", "Evidenced", "money"),
            ("realisation_pct", "Realisation %", "pct"),
            ("rag", "RAG", "rag"),
            ("commentary_quarter", "Commentary from", "text"),
            ("commentary", "Latest commentary", "text"),
        ],
        _records(pack.exceptions),
    )
    _sheet(
        book,
        "Taking Stock",
        [
            ("wave", "Wave", "text"),
            ("group", "Group", "group"),
            ("statement", "Statement", "text"),
            ("responses", "Responses", "int"),
            ("pct_agree", "% agree", "pct"),
            ("pct_neutral", "% neutral", "pct"),
            ("pct_disagree", "% disagree", "pct"),
            ("net_agreement", "Net agreement", "signed"),
            ("mean_score", "Mean score", "score"),
        ],
        _records(pack.survey_statements),
    )
    _sheet(
        book,
        "Submissions",
        [
            ("id", "Submission", "int"),
            ("kind", "Kind", "text"),
            ("file_name", "File", "text"),
            ("rows", "Rows", "int"),
            ("received_at", "Received (UTC)", "text"),
            ("received_by", "Sent by", "text"),
            ("council", "Submitted for", "text"),
            ("status", "Status", "status"),
            ("sha256", "SHA-256", "text"),
        ],
        _records(pack.submissions),
    )
    _sheet(
        book,
        "Uncertified returns",
        [
            ("id", "Submission", "int"),
            ("file_name", "File", "text"),
            ("councils", "Councils", "text"),
            ("received_at", "Received (UTC)", "text"),
            ("received_by", "Sent by", "text"),
        ],
        [{**r, "councils": ", ".join(r["councils"])} for r in pack.uncertified],
    )
    _sheet(
        book,
        "Returns outstanding",
        [
            ("council", "GSS code", "text"),
            ("council_name", "Council", "text"),
            ("service_code", "Service", "text"),
            ("financial_year", "Year", "text"),
            ("quarter", "Quarter", "text"),
            ("due_date", "Due", "text"),
            ("days_overdue", "Days overdue", "int"),
        ],
        pack.outstanding,
    )
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


# -- PDF -----------------------------------------------------------------------------


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
        table(
            [["Partnership", "Target", "Evidenced", "Realisation", "RAG"]]
            + [
                [
                    r["name"],
                    wording.pounds(r["target"]),
                    wording.pounds(r["evidenced"]),
                    wording.percent(r["realisation_pct"]),
                    wording.rag(r["rag"]),
                ]
                for r in _records(pack.partnerships)
            ],
            (70, 30, 30, 25, 25),
        )

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
        rows = _records(pack.exceptions)
        long = [r for r in rows if len(r["commentary"] or "") > SHORT_COMMENTARY]
        table(
            [["Service", "Council", "Target", "Evidenced", "RAG", "Latest commentary"]]
            + [
                [
                    r["service"],
                    r["council_name"],
                    wording.pounds(r["target"]),
                    wording.pounds(r["evidenced"]),
                    wording.rag(r["rag"]),
                    _short(r["commentary"] or ""),
                ]
                for r in rows
            ],
            (28, 28, 22, 22, 16, 64),
        )
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
        table(
            [["Service", "Council", "Stage", "Target", "Evidenced", "Realisation", "RAG"]]
            + [
                [
                    r["service"],
                    r["council_name"],
                    wording.stage(r["stage"]),
                    wording.pounds(r["target"]),
                    wording.pounds(r["evidenced"]),
                    wording.percent(r["realisation_pct"]),
                    wording.rag(r["rag"]),
                ]
                for r in _records(pack.register)
            ],
            (40, 40, 22, 24, 24, 22, 18),
        )

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
                for r in _records(pack.survey_groups)
            ],
            (50, 30, 40, 60),
        )
        table(
            [["Group", "Statement", "Responses", "% agree", "% disagree", "Net"]]
            + [
                [
                    wording.group(r["group"]),
                    r["statement"],
                    str(r["responses"]),
                    wording.percent(r["pct_agree"]),
                    wording.percent(r["pct_disagree"]),
                    wording.signed(r["net_agreement"]),
                ]
                for r in _records(pack.survey_statements)
            ],
            (30, 80, 20, 18, 20, 12),
        )
    pdf.add_page()
    title("Returns not yet certified", 13)
    if not pack.uncertified:
        paragraph("Every current return has been certified.")
    else:
        table(
            [["Submission", "File", "Councils", "Received (UTC)", "Sent by"]]
            + [
                [
                    str(r["id"]),
                    r["file_name"],
                    ", ".join(r["councils"]),
                    f"{r['received_at']:%Y-%m-%d %H:%M}",
                    r["received_by"],
                ]
                for r in pack.uncertified
            ],
            (20, 55, 30, 30, 55),
        )
    title("Returns outstanding", 13)
    if not pack.outstanding:
        paragraph("Every return expected to date has been received.")
    else:
        when = f"{pack.today:%Y-%m-%d}" if pack.today else "today"
        paragraph(f"Every return expected to date and not received; days overdue to {when}.")
        table(
            [["Council", "Service", "Year", "Quarter", "Due", "Days overdue"]]
            + [
                [
                    r["council_name"],
                    r["service_code"],
                    r["financial_year"],
                    r["quarter"],
                    r["due_date"],
                    str(r["days_overdue"]),
                ]
                for r in pack.outstanding
            ],
            (55, 30, 22, 20, 28, 25),
        )
    return bytes(pdf.output())


def _short(text: str) -> str:
    if len(text) <= SHORT_COMMENTARY:
        return text
    return text[:SHORT_COMMENTARY].rstrip() + " … (in full below the table)"


def board_pack(
    store: Store,
    out: Path,
    to: Quarter | None = None,
    as_of: datetime | None = None,
    *,
    by: Person,
    certified_only: bool = False,
) -> BoardPack:
    """Write the board pack to ``out`` for ``by`` (a board member or above), and record
    the export in the audit log."""
    require_board_pack(by)
    pack = gather(store, to, as_of, certified_only)
    write(pack, out)
    record_export(store, by, pack.subtitle, out.suffix.lstrip(".").lower())
    return pack


def record_export(store: Store, by: Person, subtitle: str, file_type: str) -> None:
    """Record in the audit log that ``by`` took the pack (``subtitle``) as ``file_type``
    (xlsx or pdf)."""
    require_board_pack(by)
    audit.record_now(store, by.email, "board_pack_export", f"{file_type}: {subtitle}")
