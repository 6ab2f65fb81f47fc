"""Pieces every screen uses: the "to" and "as of" controls, the illustrative label,
plain error messages, and tables beside charts."""

from __future__ import annotations

import functools
import html
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, time
from pathlib import Path
from typing import Any

import pandas as pd
import streamlit as st

from sharedsvc_core.realisation import Filters

from . import auth, data, fmt
from .block import block
from .charts import Chart
from .errors import friendly_errors
from .fmt import ILLUSTRATIVE

LATEST = "Latest quarter with a return"

# How each column the core returns is headed and shown in a table.
_MONEY_LABELS = {
    "target": "Target",
    "evidenced": "Evidenced",
    "claimed": "Claimed",
    "claims_gap": "Claims gap",
    "one_off": "One-off costs",
    "net": "Net saving",
    "npv": "NPV",
    "variance": "Variance",
    "baseline": "Baseline",
    "actual": "Actual",
    "shortfall": "Short of target",
    "whole_actual": "Whole-service actual",
    "cumulative_target": "Cumulative target",
    "cumulative_evidenced": "Cumulative evidenced",
    "cumulative_claimed": "Cumulative claimed",
    "cumulative_net": "Cumulative net",
    "baseline_total": "Baseline total",
    "excess": "Above the baseline",
}
_PERCENT_LABELS = {"realisation_pct": "Realisation %", "efficiency_pct": "Efficiency %"}
_TEXT_LABELS = {
    "key": "Code",
    "name": "Name",
    "service": "Service",
    "council_name": "Council",
    "council": "Council",
    "stage": "Stage",
    "rag": "RAG",
    "payback": "Payback",
    "returns_expected": "Returns expected",
    "returns_received": "Returns received",
    "quarter": "Quarter",
    "quarters": "Quarters returned",
    "lead": "Lead council",
    "service_code": "Service",
    "partnership": "Partnership",
    "partnership_code": "Partnership",
    "commentary": "Latest commentary",
    "commentary_quarter": "Commentary from",
    "from_year": "From",
    "to_year": "To",
    "services": "Services",
    "service_area": "Service area",
    "financial_years": "Years",
    "financial_year": "Year",
}


def column_config(frame: pd.DataFrame, **overrides: Any) -> dict[str, Any]:
    """Headings and number formats for every known column: money as £ with thousands
    separators over numeric values, percentages to one decimal place."""
    config: dict[str, Any] = {}
    for column in frame.columns:
        if column in _MONEY_LABELS:
            config[column] = st.column_config.NumberColumn(_MONEY_LABELS[column], format="£%,.0f")
        elif column in _PERCENT_LABELS:
            config[column] = st.column_config.NumberColumn(_PERCENT_LABELS[column], format="%.1f%%")
        elif column == "cost_share":
            config[column] = st.column_config.NumberColumn("Cost share", format="%.3f")
        elif column in _TEXT_LABELS:
            config[column] = _TEXT_LABELS[column]
    config.update(overrides)
    return config


PAGE_ROWS = 500  # a longer table is sent to the browser this many rows at a time


def table(frame: pd.DataFrame, key: str | None = None, **overrides: Any) -> None:
    """A read-only table; every cell from a file is shown as plain text. A table of
    more than PAGE_ROWS rows is shown a block of rows at a time, chosen above it."""
    total = len(frame)
    if key is not None and total > PAGE_ROWS:
        first = st.selectbox(
            f"Rows to show, of {total:,}",
            range(0, total, PAGE_ROWS),
            key=f"{key}-rows",
            format_func=lambda s: f"{s + 1:,} to {min(s + PAGE_ROWS, total):,}",
            help=f"The table shows {PAGE_ROWS} rows at a time; sorting a column sorts those rows.",
        )
        frame = frame.iloc[first : first + PAGE_ROWS]
    st.dataframe(
        frame,
        hide_index=True,
        width="stretch",
        key=key,
        column_config=column_config(frame, **overrides),
    )


def heading(column: str) -> str:
    """A column's heading on screen."""
    for labels in (_MONEY_LABELS, _PERCENT_LABELS, _TEXT_LABELS):
        if column in labels:
            return labels[column]
    return "Cost share" if column == "cost_share" else column


_UNBROKEN = {"rag", "quarter", "commentary_quarter", "payback"}  # short words, kept whole


def short_table(frame: pd.DataFrame, caption: str) -> None:
    """A table of a few rows as a plain HTML table (:func:`short_table_html`)."""
    with block() as out:
        out.table(frame, caption)


FIRST_ROWS = 25  # the rows of a long table shown on a page's first view


def listing(
    frame: pd.DataFrame, key: str, caption: str, first: int = FIRST_ROWS, **overrides: Any
) -> None:
    """A table on a page's first view: its first rows as a plain HTML table (all of
    them, if there are no more than ``first``), and beneath, when asked for, every row
    in a grid to sort and search. The grid's code is fetched by the browser only then,
    so the page opens without it (docs/performance.md). ``overrides`` head and format
    columns, in the table and the grid alike (as for :func:`table`)."""
    total = len(frame)
    said = caption
    if total > first:
        said += f" The first {first} of {total:,} rows; every row is in the grid beneath."
    with block() as out:
        out.table(frame.head(first), said, overrides)
    with st.expander(
        f"Every row ({total:,}), to sort and search", key=f"{key}-grid", on_change="rerun"
    ) as box:
        if box.open:
            table(frame, key=key, **overrides)


def _writer(column: str, override: Any) -> tuple[str, Any, bool]:
    """A column's heading, how a value in it is written, and whether it is a number
    (set right), for a plain HTML table: as :func:`column_config` heads and formats it
    in a grid, with ``override`` (a heading, or a Streamlit column configuration)
    taking precedence."""
    if isinstance(override, str):
        return override, lambda v: _plain(v), False
    if isinstance(override, dict):
        spec = override.get("type_config") or {}
        label = str(override.get("label") or heading(column))
        style = str(spec.get("format") or "")
        if spec.get("type") == "date":
            return label, lambda v: v.strftime("%d/%m/%Y") if _dated(v) else _plain(v), False
        if spec.get("type") == "number":
            if style.endswith("%%"):
                return label, fmt.percent, True
            if style.startswith("£"):
                return label, fmt.pounds, True
            if style:
                return label, lambda v: _printf(style, v), True
            return label, _plain, True
        return label, _plain, False
    if column in _MONEY_LABELS:
        return heading(column), fmt.pounds, True
    if column in _PERCENT_LABELS:
        return heading(column), fmt.percent, True
    if column == "cost_share":
        return heading(column), lambda v: _plain(v) if _missing(v) else f"{v:.3f}", True
    return heading(column), _plain, False


def _printf(style: str, value: Any) -> str:
    """A number in a grid's printf-style format; a format Python does not share with
    the grid (such as "%,.2f") writes the number plainly."""
    if _missing(value):
        return _plain(value)
    try:
        return style % value
    except (TypeError, ValueError):
        return _plain(value)


def _dated(value: Any) -> bool:
    return hasattr(value, "strftime") and not _missing(value)


def _missing(value: Any) -> bool:
    return value is None or (not isinstance(value, list | tuple) and bool(pd.isna(value)))


def _plain(value: Any) -> str:
    return "–" if _missing(value) else str(value)


def short_table_html(
    frame: pd.DataFrame, caption: str, overrides: dict[str, Any] | None = None
) -> str:
    """A table of a few rows as a plain HTML table, not an interactive grid: quicker to
    draw, read by a screen reader as a table with headed columns, and long text such
    as commentary wrapped rather than cut off. Every cell is escaped, so text from a
    file is shown exactly as written. Money and percentages are written as in the
    grids, and ``overrides`` head and format columns as they do a grid's. Styled by
    the blocks' style (block.STYLE), drawn once for the page."""
    writers = {c: _writer(c, (overrides or {}).get(c)) for c in frame.columns}

    def kind(column: str) -> str:
        if writers[column][2]:
            return ' class="number"'
        return ' class="word"' if column in _UNBROKEN else ""

    head = "".join(
        f'<th scope="col"{kind(c)}>{html.escape(writers[c][0])}</th>' for c in frame.columns
    )
    rows = "".join(
        "<tr>"
        + "".join(
            f"<td{kind(c)}>{html.escape(writers[c][1](v))}</td>"
            for c, v in zip(frame.columns, values, strict=True)
        )
        + "</tr>"
        for values in frame.itertuples(index=False, name=None)
    )
    return (
        scrolled(caption)
        + f'<table class="sharedsvc-short-table"><caption>{html.escape(caption)}</caption>'
        f"<thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table></div>"
    )


def scrolled(name: str) -> str:
    """The opening tag of a box that scrolls a wide table sideways: a named region, and
    reachable by the keyboard, so it can be scrolled without a mouse (WCAG 2.1.1)."""
    return (
        f'<div style="overflow-x: auto" role="region" aria-label="{html.escape(name)}" '
        'tabindex="0">'
    )


DOCUMENT_STYLE = """<style>
.sharedsvc-document table {border-collapse: collapse; margin: 0 0 1rem; font-size: 0.875rem;}
.sharedsvc-document th, .sharedsvc-document td {
  border-bottom: 1px solid rgba(11, 12, 12, 0.25); padding: 0.4rem 0.5rem;
  text-align: left; vertical-align: top;}
.sharedsvc-document th {font-weight: 600; border-bottom-width: 2px;}
.sharedsvc-document code {font-size: 0.875em; background: rgba(11, 12, 12, 0.06);
  padding: 0.1em 0.25em; border-radius: 0.2em;}
</style>"""


@functools.cache
def _document_html(path: str, changed: int) -> str:
    """A Markdown file of the project's own docs as HTML (CommonMark with tables; any
    HTML written in the file is shown as text). ``changed`` is the file's modification
    time, so an edited file is read again."""
    from markdown_it import MarkdownIt

    parser = MarkdownIt("commonmark", {"html": False}).enable("table")
    return parser.render(Path(path).read_text(encoding="utf-8"))


def document(path: Path) -> None:
    """One of the project's docs, on a page. It is turned into HTML on the server: the
    browser draws a long document with tables in a fraction of the time it takes to
    turn the same Markdown into a page itself."""
    st.html(
        f'{DOCUMENT_STYLE}<div class="sharedsvc-document">'
        f"{_document_html(str(path), path.stat().st_mtime_ns)}</div>"
    )


def header(title: str, intro: str) -> None:
    """The page's title, what the page is for, and beneath them, in open mode, that
    sign-in is not set up, and on illustrative data, that it is."""
    st.title(title)
    with block() as out:
        out.text(intro, small=True)
        auth.banner(out)
        with friendly_errors():
            if data.ask("illustrative", data.scope_key(None, None, Filters())):
                out.notice("info", ILLUSTRATIVE)


PERIOD_KEYS = ("to_quarter", "as_of_on", "as_of_date", "as_of_time", "certified_only")


def keep(key: str) -> None:
    """A widget's on_change: keep a copy of its value, for restore()."""
    st.session_state["kept_" + key] = st.session_state[key]


def restore(*keys: str) -> None:
    """Widget values are forgotten when their widgets are not drawn (on another page, in
    a tab not open, or with the period box closed); bring back the kept copies."""
    for key in keys:
        if key not in st.session_state and "kept_" + key in st.session_state:
            st.session_state[key] = st.session_state["kept_" + key]


def kept(key: str) -> dict[str, Any]:
    """A control's key, with its value kept while it is not drawn (:func:`keep`)."""
    return {"key": key, "on_change": keep, "args": (key,)}


@contextmanager
def controls_box(label: str, key: str) -> Iterator[bool]:
    """A box of controls opened on request: yields whether it is open, and so whether
    to draw them. A page opens faster without its controls (docs/performance.md), so a
    sentence above the box says what they choose. Each control is drawn with
    :func:`kept`, and the page calls :func:`restore` with their keys before reading
    the choices for that sentence: what was chosen stands while the box is closed and
    on other pages."""
    with st.expander(label, key=key, on_change="rerun") as box:
        yield box.open


def period_controls() -> tuple[Any, datetime | None]:
    """The sidebar's period: the figures "to" a quarter and "as of" a moment, and
    whether they count certified returns only, said in words, with the controls to
    change them in a box opened on request. The choice carries from page to page,
    whether or not the box is open."""
    with friendly_errors():
        quarters = data.ask("quarters", data.scope_key(None, None, Filters()))
    labels = [LATEST] + [q.display for q in quarters]
    restore(*PERIOD_KEYS)
    if st.session_state.get("to_quarter") not in labels:
        st.session_state.pop("to_quarter", None)
        st.session_state.pop("kept_to_quarter", None)
    st.sidebar.header("Period")
    said = st.sidebar.empty()
    # the controls are drawn only while the box is open: a page opens faster without
    # them (docs/performance.md), and the sentence above always says what is shown
    with st.sidebar.expander(
        "Change the period or the returns counted", key="period_box", on_change="rerun"
    ) as box:
        if box.open:
            _period_widgets(labels)
            st.toggle(
                "Certified returns only",
                **kept("certified_only"),
                help="Count only the returns that a council's certifier has vouched for. "
                "Off, the figures count every current return, certified or not.",
            )
    state = st.session_state
    chosen = state.get("to_quarter", LATEST)
    to = None if chosen == LATEST else quarters[labels.index(chosen) - 1]
    as_of = None
    if state.get("as_of_on", False):
        day = state.get("as_of_date", date.today())
        moment = state.get("as_of_time", time(23, 59))
        as_of = datetime.combine(day, moment, tzinfo=UTC).replace(tzinfo=None)
    said.markdown(
        period_sentence(to, as_of)
        + (
            " Counting certified returns only."
            if certified_only()
            else " Counting every return, certified or not."
        )
    )
    return to, as_of


def chosen_sentence(*parts: tuple[str, list[str]]) -> str:
    """What a page's filters choose, in words, for the sentence above a box of them
    opened on request: each part is (what it chooses, in the singular; the names
    chosen, none for every one). Five names are written out at most."""

    def names(values: list[str]) -> str:
        shown = values[:5] + ([f"{len(values) - 5:,} more"] if len(values) > 5 else [])
        return _and(shown)

    chosen = [f"{what}{'s' * (len(got) > 1)} {names(got)}" for what, got in parts if got]
    every = [what for what, values in parts if not values]
    if every:
        chosen.append("every " + _and(every))
    return "Showing " + "; ".join(chosen) + "."


def _and(words: list[str]) -> str:
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


def certified_only() -> bool:
    """Whether the sidebar's switch asks for certified returns only."""
    return bool(st.session_state.get("certified_only", False))


def period_sentence(to: Any, as_of: datetime | None) -> str:
    """The period chosen, in words."""
    upto = f"the end of {to.display}" if to else "the latest quarter with a return"
    when = _stood(as_of) if as_of else "as they stand now"
    return f"Figures to {upto}, {when}."


def _stood(as_of: datetime) -> str:
    return f"as they stood on {as_of:%d/%m/%Y at %H:%M} UTC"


def _period_widgets(labels: list[str]) -> None:
    st.selectbox(
        "Figures to the end of",
        labels,
        key="to_quarter",
        on_change=keep,
        args=("to_quarter",),
        help="The last quarter included. By default, the latest quarter any return covers.",
    )
    if st.toggle(
        "As they stood on a past date",
        key="as_of_on",
        on_change=keep,
        args=("as_of_on",),
        help="Shows only what had been received by then, as a board saw it at its meeting.",
    ):
        st.session_state.setdefault("as_of_date", date.today())
        st.session_state.setdefault("as_of_time", time(23, 59))
        st.date_input(
            "As of date",
            key="as_of_date",
            format="DD/MM/YYYY",
            min_value=date(2000, 1, 1),
            max_value=date.today(),
            on_change=keep,
            args=("as_of_date",),
        )
        st.time_input("As of time (UTC)", key="as_of_time", on_change=keep, args=("as_of_time",))


def period_caption(headline: dict[str, Any], as_of: datetime | None) -> str:
    span = headline["period"]
    if span.end is None:
        return "No returns have been received yet."
    start = span.start.display if span.start else span.end.display
    text = f"Figures from {start} to {span.end.display}"
    if as_of:
        text += ", " + _stood(as_of)
    return text + "."


CHART_FIGURES = "The chart's figures: a table, and a chart to explore"
# The interactive chart keeps Plotly's zoom, pan and reset, and its own picture download;
# the board pack and the tables are the product's own downloads.
PLOTLY_CONFIG = {"displaylogo": False, "modeBarButtonsToRemove": ["select2d", "lasso2d"]}


def chart_with_table(
    chart: Chart, frame: pd.DataFrame, key: str, title: str, summary: str, note: str = ""
) -> None:
    """A chart drawn on the server, a one-sentence summary, and beneath them, when asked
    for, the chart's figures (:func:`chart_figures`). ``note`` says what a busy chart
    leaves out."""
    with block() as out:
        out.chart(chart, title, summary, note)
    chart_figures(chart, frame, key, title)


def chart_figures(chart: Chart, frame: pd.DataFrame, key: str, title: str) -> None:
    """Beneath a chart, when asked for, its figures as a table for anyone who cannot
    see the chart, or the same chart to explore in the browser. Nothing is sent until
    the expander is opened, and the chart to explore (with Plotly's script) until its
    tab is chosen."""
    with st.expander(CHART_FIGURES, key=f"{key}-table", on_change="rerun") as box:
        if not box.open:
            return
        as_table, to_explore = st.tabs(
            ["Table", "Chart to explore"], key=f"{key}-view", on_change="rerun"
        )
        with as_table:
            if as_table.open:
                table(frame, key=key)
        with to_explore:
            if to_explore.open:
                st.caption(
                    "Hover over a bar or point for its figures, drag across the chart to "
                    "zoom in, and double-click to zoom out. It shows what the picture above "
                    "shows; the table has every row."
                )
                st.plotly_chart(
                    chart.interactive(),
                    width="stretch",
                    theme=None,
                    key=f"{key}-explore",
                    config=PLOTLY_CONFIG,
                    alt=f"Interactive chart: {title}. Its figures are in the Table tab.",
                )


# Streamlit draws the file uploader's drop zone as a <section role="presentation"> that
# also carries a label and a tabindex, which contradict each other (axe-core's
# presentation-role-conflict): assistive technology is told to ignore an element that
# has a name. The drop zone is a labelled group holding the "Browse files" button, so
# it is given that role. A fixed script with nothing from any file or person in it.
_DROPZONE_ROLE = """<script>
(() => {
  const doc = window.parent && window.parent.document ? window.parent.document : document;
  const fix = () => doc.querySelectorAll(
    '[data-testid="stFileUploaderDropzone"][role="presentation"]'
  ).forEach((zone) => zone.setAttribute("role", "group"));
  fix();
  if (!doc.sharedsvcDropzoneWatch) {
    doc.sharedsvcDropzoneWatch = new MutationObserver(fix);
    doc.sharedsvcDropzoneWatch.observe(doc.body, {subtree: true, childList: true,
      attributes: true, attributeFilter: ["role"]});
  }
})();
</script>"""


def watch_dropzones() -> None:
    """Give every file uploader's drop zone its role as soon as it is drawn. Called
    at the top of a page with an uploader, so the watcher is in place before any
    uploader appears and no moment passes in which the drop zone contradicts its label.
    Pages without one do without the script."""
    st.sidebar.html(_DROPZONE_ROLE, unsafe_allow_javascript=True)


def file_uploader(label: str, **kwargs: Any) -> Any:
    """``st.file_uploader``, with its drop zone given a role that matches its label."""
    uploaded = st.file_uploader(label, **kwargs)
    st.html(_DROPZONE_ROLE, unsafe_allow_javascript=True)
    return uploaded
