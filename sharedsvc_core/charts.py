"""The product's charts, drawn once on the server for the dashboard (as SVG) and for the
PDF board pack (as PNG), so the screen and the pack show the same picture.

Drawing on the server keeps the browser's work to showing an image: a page of charts
draws about as fast as a page of text (docs/performance.md measures it). Colours come
from palettes that stay distinct with the common kinds of colour blindness, and every
meaning is also carried by words, labels, line styles or hatching. Each chart is a
matplotlib :class:`~matplotlib.figure.Figure` built without pyplot, so sessions can
draw at the same time without sharing state.
"""

from __future__ import annotations

import io
import math
from collections.abc import Sequence
from typing import Any

import matplotlib
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter

from . import wording

# SVG keeps its words as text (a tenth of the size of drawing each letter), in the
# reader's own sans-serif font if DejaVu Sans is not there; the layout allows for
# DejaVu Sans, which is wider than the usual fallbacks.
matplotlib.rcParams["svg.fonttype"] = "none"
matplotlib.rcParams["font.family"] = "sans-serif"
matplotlib.rcParams["font.sans-serif"] = ["DejaVu Sans", "Arial", "Helvetica"]
matplotlib.rcParams["svg.hashsalt"] = "sharedsvc"  # the same figures, the same bytes

# Okabe-Ito colours, distinguishable with the common kinds of colour blindness.
RAG_COLOUR: dict[str | None, str] = {
    "green": "#009E73",
    "amber": "#E69F00",
    "red": "#D55E00",
    "no_data": "#999999",
    None: "#BBBBBB",
}
SERIES_COLOUR = {
    "target": "#0072B2",
    "evidenced": "#009E73",
    "claimed": "#E69F00",
    "net": "#CC79A7",
    "baseline": "#56B4E9",
    "actual": "#0072B2",
}
# Purple to orange (ColorBrewer PuOr): readable with the common kinds of colour blindness.
ANSWER_COLOUR = {
    "strongly_disagree": "#b35806",
    "disagree": "#f1a340",
    "neutral": "#d9d9d9",
    "agree": "#998ec3",
    "strongly_agree": "#542788",
}
ANSWER_LABEL = {
    "strongly_disagree": "Strongly disagree",
    "disagree": "Disagree",
    "neutral": "Neutral",
    "agree": "Agree",
    "strongly_agree": "Strongly agree",
}
AHEAD, BEHIND = "#0072B2", "#D55E00"
STAGE_COLOUR = ("#CCE5F6", "#99CBED", "#56B4E9", "#0072B2", "#005A8C", "#999999")
TEXT = "#0b0c0c"  # GOV.UK's text colour
GRID = "#e5e5e5"
# The titles of the charts whose titles do not depend on what they show.
TITLE = {
    "trajectory": "Cumulative savings by quarter",
    "variance": "Variance: evidenced saving minus target (right of 0 is ahead)",
    "efficiency": "Efficiency: evidenced saving as % of baseline",
    "pipeline": "Services at each business-case stage",
}
WIDTH_IN = 10.0  # the dashboard stretches the drawing to the width of its column


def _blank(height_in: float) -> tuple[Figure, Any]:
    fig = Figure(figsize=(WIDTH_IN, height_in), dpi=100, layout="constrained")
    ax = fig.add_subplot()
    ax.spines[["top", "right"]].set_visible(False)
    ax.spines[["left", "bottom"]].set_color("#555555")
    ax.tick_params(colors=TEXT, labelsize=10)
    return fig, ax


def _title(ax: Any, title: str) -> None:
    ax.set_title(title, loc="left", fontsize=13, color=TEXT, pad=12)


def _money(value: float, digits: int = 1) -> str:
    """£1.2m, £3.4k or £950 on a label (an axis asks for 2 digits: £1.25m)."""
    return wording.pounds_short(value, digits, trim=True)


def _money_axis() -> FuncFormatter:
    # a formatter belongs to one axis, so each axis gets its own
    return FuncFormatter(lambda value, _: _money(value, 2))


def _given(value: Any) -> bool:
    return not wording.missing(value)


def _number(value: Any) -> float:
    """A float for drawing; a missing value is drawn as 0 (and labelled as missing)."""
    return float(value) if _given(value) else 0.0


def drawn_values(values: Any) -> list[float]:
    """Floats to draw; a missing value is drawn as 0 (and labelled as missing)."""
    return [_number(v) for v in values]


def _bar_height(count: int, per_bar: float = 0.34, extra: float = 1.3) -> float:
    return max(2.6, per_bar * count + extra)


def rag_label(value: Any, rag: str | None) -> str:
    """A RAG bar's label: the RAG in words, then the percentage where there is one."""
    return f"{wording.rag(rag)} {wording.percent(value)}" if _given(value) else wording.rag(rag)


def variance_label(value: float) -> str:
    """+£5k ahead or -£1.2m behind."""
    return ("+" if value >= 0 else "") + _money(value) + (" ahead" if value >= 0 else " behind")


def efficiency_label(value: Any) -> str:
    return wording.percent(value) if _given(value) else "no return yet"


def net_label(value: Any) -> str:
    """A heatmap cell: net agreement to one decimal place, as on every other screen."""
    return wording.signed(value) if _given(value) else "no answers"


def rag_order(frame: pd.DataFrame) -> pd.DataFrame:
    """Lowest realisation first, groups with no percentage before them."""
    return frame.sort_values("realisation_pct", na_position="first")


def rag_of(value: Any) -> str | None:
    return value if isinstance(value, str) else None


AGREEMENT_SIDES = (
    ("disagree", -1),
    ("strongly_disagree", -1),
    ("agree", 1),
    ("strongly_agree", 1),
)


def diverging_segments(frame: pd.DataFrame) -> list[tuple[str, list[float], list[float]]]:
    """Each answer's (answer, left edges, widths) for a bar centred on neutral: neutral
    straddles 0, disagreement grows to the left of it and agreement to the right."""
    half_neutral = [_number(v) / 2 for v in frame["share_neutral"]]
    segments = [("neutral", [-h for h in half_neutral], [2 * h for h in half_neutral])]
    left, right = [-h for h in half_neutral], list(half_neutral)
    for answer, side in AGREEMENT_SIDES:
        shares = drawn_values(frame[f"share_{answer}"])
        if side < 0:
            left = [s - w for s, w in zip(left, shares, strict=True)]
            segments.append((answer, left, shares))
        else:
            segments.append((answer, right, shares))
            right = [s + w for s, w in zip(right, shares, strict=True)]
    return segments


def svg(fig: Figure) -> str:
    """The drawing as SVG text, the same bytes for the same figure."""
    out = io.StringIO()
    fig.savefig(out, format="svg", metadata={"Date": None})
    return out.getvalue()


def png(fig: Figure, dpi: int = 150) -> bytes:
    out = io.BytesIO()
    fig.savefig(out, format="png", dpi=dpi)
    return out.getvalue()


def trajectory(frame: pd.DataFrame) -> Figure:
    """Cumulative target, evidenced and claimed savings by quarter: three line styles and
    three marker shapes, so the lines can be told apart without colour."""
    fig, ax = _blank(4.2)
    positions = range(len(frame))
    for column, name, style, marker in (
        ("cumulative_target", "Target", "--", "D"),
        ("cumulative_evidenced", "Evidenced", "-", "o"),
        ("cumulative_claimed", "Claimed", ":", "s"),
    ):
        ax.plot(
            positions,
            drawn_values(frame[column]),
            style,
            color=SERIES_COLOUR[name.lower()],
            marker=marker,
            linewidth=2.5,
            markersize=5,
            label=name,
        )
    labels = list(frame["quarter"])
    step = max(1, math.ceil(len(labels) / 16))  # at most 16 quarter labels
    ax.set_xticks(list(positions)[::step], labels[::step], rotation=45, ha="right")
    ax.yaxis.set_major_formatter(_money_axis())
    ax.grid(axis="y", color=GRID)
    ax.set_ylabel("£ cumulative", color=TEXT)
    ax.legend(frameon=False, ncols=3, loc="upper left", fontsize=10, labelcolor=TEXT)
    _title(ax, TITLE["trajectory"])
    return fig


def benefit_profile(frame: pd.DataFrame, title: str, unit: str) -> Figure:
    """A benefit's trajectory against its target (a ``benefits.profile`` as a frame): the
    planned straight line from the baseline to the target, dashed with diamonds, and
    the values measured, solid with circles, so the two are told apart without colour."""
    fig, ax = _blank(3.6)
    planned = frame[frame["planned"].notna()]
    measured = frame[frame["measured"].notna()]
    ax.plot(
        list(planned["when"]),
        drawn_values(planned["planned"]),
        "--",
        color=SERIES_COLOUR["target"],
        marker="D",
        linewidth=2.5,
        markersize=5,
        label="Planned (straight line to the target)",
    )
    if len(measured):
        ax.plot(
            list(measured["when"]),
            drawn_values(measured["measured"]),
            "-",
            color=SERIES_COLOUR["evidenced"],
            marker="o",
            linewidth=2.5,
            markersize=6,
            label="Measured",
        )
    ax.grid(axis="y", color=GRID)
    ax.set_ylabel(unit, color=TEXT)
    ax.legend(frameon=False, ncols=2, loc="upper left", fontsize=10, labelcolor=TEXT)
    _title(ax, title)
    return fig


def rag_bars(frame: pd.DataFrame, label_column: str, title: str) -> Figure:
    """Realisation % for each group, lowest at the top, each bar coloured by RAG and
    labelled with its RAG in words and its percentage."""
    data = rag_order(frame)
    values = drawn_values(data["realisation_pct"])
    rags = [rag_of(r) for r in data["rag"]]
    fig, ax = _blank(_bar_height(len(data)))
    rows = range(len(data))
    ax.barh(
        rows,
        values,
        color=[RAG_COLOUR[r] for r in rags],
        edgecolor="#333333",
        linewidth=0.8,
    )
    for row, value, rag, given in zip(rows, values, rags, data["realisation_pct"], strict=True):
        ax.text(
            max(value, 0) + 1.5,
            row,
            rag_label(given, rag),
            va="center",
            fontsize=9.5,
            color=TEXT,
        )
    ax.set_yticks(list(rows), list(data[label_column]))
    ax.invert_yaxis()
    ax.axvline(100, color="#333333", linestyle="--", linewidth=1)
    top = max([100.0, *values])
    ax.set_xlim(min([0.0, *values]), top * 1.3)
    ax.set_xlabel("Realisation % (the dashed line is the target, 100%)", color=TEXT)
    _title(ax, title)
    return fig


def variance(frame: pd.DataFrame, label_column: str) -> Figure:
    """Evidenced saving minus target for each group: ahead above 0 and behind below,
    each bar labelled with its amount and signed."""
    values = drawn_values(frame["variance"])
    fig, ax = _blank(_bar_height(len(frame)))
    rows = range(len(frame))
    ax.barh(
        rows,
        values,
        color=[AHEAD if v >= 0 else BEHIND for v in values],
        hatch=["" if v >= 0 else "//" for v in values],
        edgecolor="white",
    )
    span = max([abs(v) for v in values] + [1.0])
    for row, value in zip(rows, values, strict=True):
        ax.text(
            value + (span * 0.02 if value >= 0 else -span * 0.02),
            row,
            variance_label(value),
            va="center",
            ha="left" if value >= 0 else "right",
            fontsize=9.5,
            color=TEXT,
        )
    ax.set_yticks(list(rows), list(frame[label_column]))
    ax.invert_yaxis()
    ax.axvline(0, color="#555555", linewidth=1)
    ax.set_xlim(-span * 1.8, span * 1.8)  # room for the labels beside the longest bars
    ax.xaxis.set_major_formatter(_money_axis())
    ax.grid(axis="x", color=GRID)
    _title(ax, TITLE["variance"])
    return fig


def paired_bars(
    frame: pd.DataFrame,
    label_column: str,
    columns: tuple[str, str],
    names: tuple[str, str],
    title: str,
) -> Figure:
    """Two amounts side by side for each row, as horizontal bars so long names read; the
    second is hatched, so the pair can be told apart without colour."""
    fig, ax = _blank(_bar_height(len(frame), per_bar=0.5))
    height = 0.4
    for offset, column, name, hatch in zip(
        (-height / 2, height / 2), columns, names, ("", "//"), strict=True
    ):
        ax.barh(
            [row + offset for row in range(len(frame))],
            drawn_values(frame[column]),
            height=height,
            color=SERIES_COLOUR.get(column, AHEAD),
            hatch=hatch,
            edgecolor="white",
            label=name,
        )
    ax.set_yticks(list(range(len(frame))), list(frame[label_column]))
    ax.invert_yaxis()
    ax.xaxis.set_major_formatter(_money_axis())
    ax.grid(axis="x", color=GRID)
    ax.legend(frameon=False, ncols=2, loc="lower right", fontsize=10, labelcolor=TEXT)
    _title(ax, title)
    return fig


def efficiency(frame: pd.DataFrame, label_column: str, reference: float) -> Figure:
    """Evidenced saving as a % of baseline for each group, beside a reference line."""
    values = drawn_values(frame["efficiency_pct"])
    fig, ax = _blank(_bar_height(len(frame)))
    rows = range(len(frame))
    ax.barh(rows, values, color=AHEAD)
    top = max([reference, *values]) * 1.25
    for row, value, given in zip(rows, values, frame["efficiency_pct"], strict=True):
        ax.text(
            max(value, 0) + top / 100,
            row,
            efficiency_label(given),
            va="center",
            fontsize=9.5,
            color=TEXT,
        )
    ax.set_yticks(list(rows), list(frame[label_column]))
    ax.invert_yaxis()
    ax.axvline(
        reference,
        color=BEHIND,
        linestyle="--",
        linewidth=2,
        label=f"Gershon reference: {reference:g}% a year",
    )
    ax.legend(frameon=False, loc="lower right", fontsize=10, labelcolor=TEXT)
    ax.set_xlim(min([0.0, *values]), top)
    ax.set_xlabel("% of baseline cost", color=TEXT)
    _title(ax, TITLE["efficiency"])
    return fig


def pipeline(frame: pd.DataFrame) -> Figure:
    """How many services are at each business-case stage, in stage order."""
    counts = [int(v) for v in frame["services"]]
    fig, ax = _blank(3.4)
    columns = range(len(frame))
    ax.bar(
        columns,
        counts,
        color=list(STAGE_COLOUR[: len(frame)]),
        edgecolor="#333333",
        linewidth=0.8,
    )
    for column, count in zip(columns, counts, strict=True):
        ax.text(column, count, f"{count:,}", ha="center", va="bottom", fontsize=10, color=TEXT)
    ax.set_xticks(list(columns), list(frame["stage"]))
    ax.set_ylim(0, max([1, *counts]) * 1.2)
    ax.set_ylabel("services", color=TEXT)
    _title(ax, TITLE["pipeline"])
    return fig


def diverging(frame: pd.DataFrame, title: str) -> Figure:
    """One statement: each group's answers as a bar centred on neutral, disagreement to
    the left and agreement to the right, each wide enough segment labelled."""
    groups = list(frame["group_label"])
    fig, ax = _blank(max(2.4, 0.5 * len(groups) + 1.6))
    rows = range(len(groups))
    for answer, lefts, shares in diverging_segments(frame):
        ax.barh(
            rows,
            shares,
            left=lefts,
            color=ANSWER_COLOUR[answer],
            edgecolor=None if answer == "neutral" else "white",
            label=None if answer == "neutral" else ANSWER_LABEL[answer],
        )
        if answer == "neutral":
            continue
        ink = "white" if answer.startswith("strongly") else TEXT
        for row, start, share in zip(rows, lefts, shares, strict=True):
            if share >= 8:
                ax.text(
                    start + share / 2,
                    row,
                    wording.percent(share, 0),
                    ha="center",
                    va="center",
                    fontsize=9,
                    color=ink,
                )
    ax.set_yticks(list(rows), groups)
    ax.invert_yaxis()
    ax.axvline(0, color="#555555", linewidth=1)
    ax.set_xlim(-100, 100)
    ax.set_xticks([-100, -50, 0, 50, 100], ["100%", "50%", "0", "50%", "100%"])
    ax.set_xlabel("← disagree · agree →", color=TEXT)
    handles, labels = ax.get_legend_handles_labels()
    order = [labels.index(ANSWER_LABEL[a]) for a in ANSWER_LABEL if ANSWER_LABEL[a] in labels]
    ax.legend(
        [handles[i] for i in order],
        [labels[i] for i in order],
        frameon=False,
        ncols=4,
        loc="upper center",
        bbox_to_anchor=(0.5, -0.25),
        fontsize=9.5,
        labelcolor=TEXT,
    )
    _title(ax, title)
    return fig


def heatmap(table: pd.DataFrame, title: str) -> Figure:
    """Net agreement, groups against statements, with the figure written in each cell."""
    from matplotlib.colors import LinearSegmentedColormap

    values = table.to_numpy(dtype=float, na_value=math.nan)
    fig, ax = _blank(max(2.6, 0.55 * len(table.index) + 2.2))
    scale = LinearSegmentedColormap.from_list("net", ["#b35806", "#f7f7f7", "#542788"])
    image = ax.imshow(values, cmap=scale, vmin=-100, vmax=100, aspect="auto")
    for (row, column), value in _cells(values):
        if math.isnan(value):
            ax.text(column, row, net_label(value), ha="center", va="center", color=TEXT, fontsize=9)
            continue
        red, green, blue, _ = scale((value + 100) / 200)
        ink = "white" if 0.2126 * red + 0.7152 * green + 0.0722 * blue < 0.45 else TEXT
        ax.text(column, row, net_label(value), ha="center", va="center", color=ink)
    ax.set_xticks(range(len(table.columns)), _wrap(table.columns, 16), fontsize=9)
    ax.set_yticks(range(len(table.index)), list(table.index))
    ax.spines[["left", "bottom"]].set_visible(False)
    colourbar = fig.colorbar(image, ax=ax, shrink=0.8)
    colourbar.set_label("Net agreement", color=TEXT)
    _title(ax, title)
    return fig


def _cells(values: Any) -> list[tuple[tuple[int, int], float]]:
    return [
        ((r, c), float(values[r][c])) for r in range(len(values)) for c in range(len(values[r]))
    ]


def _wrap(labels: Sequence[Any], width: int = 22) -> list[str]:
    """Long statement labels over several lines."""
    import textwrap

    return ["\n".join(textwrap.wrap(str(label), width)) or str(label) for label in labels]
