"""What a board pack shows: the programme's figures, to a quarter and as of a moment,
gathered on one read-only connection, so the Excel workbook (export_xlsx.py) and the
PDF (export_pdf.py) built from it always agree, and a pack as of a past moment shows
exactly what had been received by then."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

import pandas as pd

from . import (
    benefits,
    certification,
    explore,
    options,
    overlaps,
    returns_calendar,
    survey,
    wording,
)
from .explore import Scope
from .periods import Quarter
from .realisation import Filters, Period
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
    overlaps: list[dict[str, Any]] = field(default_factory=list)
    overclaims: list[dict[str, Any]] = field(default_factory=list)
    benefits: list[dict[str, Any]] = field(default_factory=list)  # the register, in order
    changes: list[dict[str, Any]] = field(default_factory=list)  # since the business case
    # the options appraisals of services at the outline or full business case stage
    appraisals: list[options.Appraisal] = field(default_factory=list)

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
        councils = dict(con.rows("SELECT gss_code, name FROM councils"))
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
            overlaps=overlaps.with_names(overlaps.overlaps(con, as_of), councils),
            overclaims=overlaps.with_names(overlaps.overclaims(con, as_of), councils),
            benefits=benefits.beside(benefits.register(con, as_of, to)),
            changes=benefits.changes(con, as_of),
            appraisals=options.for_pack(options.appraisals(con, as_of)),
        )


def records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    if frame.empty:
        return []
    return [
        {k: (None if isinstance(v, float) and v != v else v) for k, v in row.items()}
        for row in frame.to_dict("records")
    ]


# -- one description of the pack's tables, for the workbook and the PDF -------------


@dataclass(frozen=True)
class Column:
    key: str
    heading: str
    kind: str  # text, money, pct, rag, stage, group, status, int, signed, score, when
    pdf: float = 0  # its width in the PDF's table, in mm; 0: in the workbook only
    pdf_heading: str = ""  # a shorter heading for the PDF's narrower table

    @property
    def short_heading(self) -> str:
        return self.pdf_heading or self.heading


@dataclass(frozen=True)
class Table:
    """A table of the pack: a sheet of the workbook, with its columns in the PDF where
    they have a width there."""

    sheet: str
    rows: Callable[[BoardPack], list[dict[str, Any]]]
    columns: tuple[Column, ...]

    @property
    def pdf_columns(self) -> tuple[Column, ...]:
        return tuple(c for c in self.columns if c.pdf)


def _figures(pdf: bool = False) -> tuple[Column, ...]:
    """The contract's figures; the PDF shows target, evidenced, realisation and RAG."""
    shown = 24 if pdf else 0
    return (
        Column("target", "Target", "money", shown),
        Column("evidenced", "Evidenced", "money", shown),
        Column("claimed", "Claimed", "money"),
        Column("claims_gap", "Claims gap", "money"),
        Column("one_off", "One-off costs", "money"),
        Column("net", "Net saving", "money"),
        Column("realisation_pct", "Realisation %", "pct", 22 if pdf else 0, "Realisation"),
        Column("efficiency_pct", "Efficiency %", "pct"),
        Column("npv", "NPV", "money"),
        Column("payback", "Payback", "text"),
        Column("rag", "RAG", "rag", 18 if pdf else 0),
        Column("returns_expected", "Returns expected", "int"),
        Column("returns_received", "Returns received", "int"),
    )


FIGURES = _figures()


def _frame(name: str) -> Callable[[BoardPack], list[dict[str, Any]]]:
    return lambda pack: records(getattr(pack, name))


PARTNERSHIPS = Table(
    "Partnerships",
    _frame("partnerships"),
    (
        Column("key", "Code", "text"),
        Column("name", "Name", "text", 70, "Partnership"),
        *_figures(pdf=True),
    ),
)
SERVICES = Table(
    "Services",
    _frame("services"),
    (
        Column("key", "Code", "text"),
        Column("name", "Name", "text"),
        Column("stage", "Stage", "stage"),
        *FIGURES,
    ),
)
COUNCILS = Table(
    "Councils",
    _frame("councils"),
    (Column("key", "GSS code", "text"), Column("name", "Council", "text"), *FIGURES),
)
REGISTER = Table(
    "Register",
    _frame("register"),
    (
        Column("service_code", "Service code", "text"),
        Column("service", "Service", "text", 38),
        Column("council", "GSS code", "text"),
        Column("council_name", "Council", "text", 38),
        Column("stage", "Stage", "stage", 26),
        *_figures(pdf=True),
    ),
)
EXCEPTIONS = Table(
    "Exceptions",
    _frame("exceptions"),
    (
        Column("service", "Service", "text", 28),
        Column("council_name", "Council", "text", 28),
        Column("target", "Target", "money", 22),
        Column("evidenced", "Evidenced", "money", 22),
        Column("realisation_pct", "Realisation %", "pct"),
        Column("rag", "RAG", "rag", 16),
        Column("commentary_quarter", "Commentary from", "text"),
        Column("commentary", "Latest commentary", "commentary", 64),
    ),
)
SURVEY = Table(
    "Taking Stock",
    _frame("survey_statements"),
    (
        Column("wave", "Wave", "text"),
        Column("group", "Group", "group", 30),
        Column("statement", "Statement", "text", 80),
        Column("responses", "Responses", "int", 20),
        Column("pct_agree", "% agree", "pct", 18),
        Column("pct_neutral", "% neutral", "pct"),
        Column("pct_disagree", "% disagree", "pct", 20),
        Column("net_agreement", "Net agreement", "signed", 12, "Net"),
        Column("mean_score", "Mean score", "score"),
    ),
)
SUBMISSIONS = Table(
    "Submissions",
    _frame("submissions"),
    (
        Column("id", "Submission", "int"),
        Column("kind", "Kind", "text"),
        Column("file_name", "File", "text"),
        Column("rows", "Rows", "int"),
        Column("received_at", "Received (UTC)", "text"),
        Column("received_by", "Sent by", "text"),
        Column("council", "Submitted for", "text"),
        Column("status", "Status", "status"),
        Column("sha256", "SHA-256", "text"),
    ),
)
UNCERTIFIED = Table(
    "Uncertified returns",
    lambda pack: [{**r, "councils": ", ".join(r["councils"])} for r in pack.uncertified],
    (
        Column("id", "Submission", "int", 20, "No."),
        Column("file_name", "File", "text", 55),
        Column("councils", "Councils", "text", 30),
        Column("received_at", "Received (UTC)", "when", 30),
        Column("received_by", "Sent by", "text", 55),
    ),
)
OUTSTANDING = Table(
    "Returns outstanding",
    lambda pack: pack.outstanding,
    (
        Column("council", "GSS code", "text"),
        Column("council_name", "Council", "text", 55),
        Column("service_code", "Service", "text", 30),
        Column("financial_year", "Year", "text", 22),
        Column("quarter", "Quarter", "text", 20),
        Column("due_date", "Due", "text", 28),
        Column("days_overdue", "Days overdue", "int", 25),
    ),
)
OVERLAPS = Table(
    "Double counting",
    lambda pack: pack.overlaps,
    (
        Column("council", "GSS code", "text"),
        Column("council_name", "Council", "text", 45),
        Column("service_area", "Service area", "text", 40),
        Column("services", "Services", "text", 40),
        Column("financial_years", "Years", "text", 30),
        Column("baseline_total", "Baseline total", "money", 26),
    ),
)
OVERCLAIMS = Table(
    "Claims above baseline",
    lambda pack: pack.overclaims,
    (
        Column("council", "GSS code", "text"),
        Column("council_name", "Council", "text", 45),
        Column("service_area", "Service area", "text", 40),
        Column("financial_year", "Year", "text", 20),
        Column("claimed", "Claimed", "money", 25),
        Column("baseline", "Baseline", "money", 25),
        Column("excess", "Above the baseline", "money", 25, "Above"),
    ),
)


BENEFITS = Table(
    "Benefits",
    lambda pack: [benefits.in_words(b) for b in pack.benefits],
    (
        Column("service_code", "Service", "text", 22),
        Column("benefit", "Benefit", "text", 58),
        Column("class_word", "Class", "text", 24),
        Column("measure", "Measure", "text"),
        Column("latest", "Latest value", "text", 30, "Latest"),
        Column("latest_period", "Latest quarter", "text", 22, "Quarter"),
        Column("target", "Target", "text", 40),
        Column("progress_pct", "Progress %", "pct", 20, "Progress"),
        Column("expected_pct", "Expected %", "pct", 20, "Expected"),
        Column("status_word", "Status", "text", 20),
        Column("senior_owner", "Senior owner", "text"),
        Column("operational_owner", "Operational owner", "text"),
        Column("depends_on_words", "Depends on", "text"),
    ),
)
CHANGES = Table(
    "Changes since business case",
    lambda pack: [benefits.change_in_words(c) for c in pack.changes],
    (
        Column("what", "Baseline or target", "text", 50, "What"),
        Column("field_word", "What changed", "text", 28, "Field"),
        Column("original_word", "Original", "text", 30),
        Column("current_word", "Current", "text", 30),
        Column("changes", "Changes", "int"),
        Column("changed_by", "Latest change by", "text", 45, "Changed by"),
        Column("changed_at", "When (UTC)", "when", 30, "When"),
        Column("reason_word", "Reason", "text", 64),
    ),
)
OPTIONS = Table(
    "Options appraisal",
    lambda pack: [row for a in pack.appraisals for row in options.in_words(a)],
    (
        Column("service", "Service", "text"),
        Column("stage_word", "Stage", "text"),
        Column("option", "Option", "text", 62),
        Column("model_word", "Model", "text", 40),
        Column("shortlisted_word", "Short list", "text", 20, "Short list"),
        Column("chosen_word", "Chosen", "text", 18),
        Column("weighted_score", "Weighted score", "score", 26, "Score"),
        Column("rank", "Rank", "int", 18),
        Column("scores", "Scores (criterion, weight: score)", "text"),
        Column("strengths", "Strengths", "text"),
        Column("weaknesses", "Weaknesses", "text"),
        Column("opportunities", "Opportunities", "text"),
        Column("threats", "Threats", "text"),
    ),
)
# the workbook's sheets after its cover and programme summary, in order
SHEETS = (
    PARTNERSHIPS,
    SERVICES,
    COUNCILS,
    REGISTER,
    EXCEPTIONS,
    SURVEY,
    SUBMISSIONS,
    UNCERTIFIED,
    OUTSTANDING,
    OVERLAPS,
    OVERCLAIMS,
    BENEFITS,
    CHANGES,
    OPTIONS,
)
