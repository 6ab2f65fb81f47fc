"""Interactive versions of the core's charts (:mod:`sharedsvc_core.charts`), drawn with
Plotly in the browser when a person asks for one: the same figures, colours and words,
with each bar or point's figures on hover and zoom by dragging.

Each builder takes the same arguments as the core chart of the same name, so the
picture on the page and the one to explore always agree. Meaning never rests on colour
alone: bars carry their RAG, "ahead" or "behind" as text, lines differ in dash and
marker, and a second series is patterned.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pandas as pd
import plotly.graph_objects as go

from sharedsvc_core import charts as core
from sharedsvc_core import wording

FONT = {"family": "Source Sans, sans-serif", "size": 14, "color": core.TEXT}
MONEY_AXIS = {"tickprefix": "£", "tickformat": ",.0f", "gridcolor": core.GRID}


def _layout(fig: go.Figure, title: str, rows: int = 0, **extra: Any) -> go.Figure:
    """Common look: the chart's title, GOV.UK's text colour, a white ground, and for
    horizontal bars room for each row and the first row at the top."""
    fig.update_layout(
        title={"text": title, "x": 0, "xanchor": "left", "y": 0.98, "yanchor": "top"},
        font=FONT,
        paper_bgcolor="white",
        plot_bgcolor="white",
        margin={"l": 10, "r": 10, "t": 90, "b": 10},
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.02, "x": 0},
        hoverlabel={"font": FONT, "bgcolor": "white"},
        **extra,
    )
    fig.update_xaxes(automargin=True)
    fig.update_yaxes(automargin=True)
    if rows:
        fig.update_layout(height=max(260, 28 * rows + 160))
        fig.update_yaxes(autorange="reversed")
    return fig


def _numbers(values: Any) -> list[float | None]:
    """Floats, with a missing value as None so Plotly leaves a gap rather than a zero."""
    return [None if pd.isna(v) else float(v) for v in values]


def trajectory(frame: pd.DataFrame) -> go.Figure:
    fig = go.Figure()
    for column, name, dash, symbol in (
        ("cumulative_target", "Target", "dash", "diamond"),
        ("cumulative_evidenced", "Evidenced", "solid", "circle"),
        ("cumulative_claimed", "Claimed", "dot", "square"),
    ):
        fig.add_scatter(
            x=list(frame["quarter"]),
            y=_numbers(frame[column]),
            name=name,
            mode="lines+markers",
            line={"color": core.SERIES_COLOUR[name.lower()], "dash": dash, "width": 3},
            marker={"symbol": symbol, "size": 7},
            hovertemplate=f"{name}: £%{{y:,.0f}}<extra></extra>",
        )
    fig.update_yaxes(title="£ cumulative", **MONEY_AXIS)
    return _layout(fig, core.TITLE["trajectory"], hovermode="x unified")


def benefit_profile(frame: pd.DataFrame, title: str, unit: str) -> go.Figure:
    fig = go.Figure()
    for column, name, dash, symbol, colour in (
        ("planned", "Planned (straight line to the target)", "dash", "diamond", "target"),
        ("measured", "Measured", "solid", "circle", "evidenced"),
    ):
        shown = frame[frame[column].notna()]
        fig.add_scatter(
            x=list(shown["when"]),
            y=_numbers(shown[column]),
            text=list(shown["label"]),
            name=name,
            mode="lines+markers",
            line={"color": core.SERIES_COLOUR[colour], "dash": dash, "width": 3},
            marker={"symbol": symbol, "size": 8},
            hovertemplate=f"%{{text}}<br>{name}: %{{y:,}} {unit}<extra></extra>",
        )
    fig.update_yaxes(title=unit, gridcolor=core.GRID)
    return _layout(fig, title)


def rag_bars(frame: pd.DataFrame, label_column: str, title: str) -> go.Figure:
    data = core.rag_order(frame)
    rags = [core.rag_of(r) for r in data["rag"]]
    labels = [core.rag_label(v, r) for v, r in zip(data["realisation_pct"], rags, strict=True)]
    values = core.drawn_values(data["realisation_pct"])
    fig = go.Figure(
        go.Bar(
            y=list(data[label_column]),
            x=values,
            orientation="h",
            marker={"color": [core.RAG_COLOUR[r] for r in rags], "line": {"color": "#333333"}},
            text=labels,
            textposition="outside",
            cliponaxis=False,
            hovertemplate="%{y}: %{text}<extra></extra>",
        )
    )
    fig.add_vline(x=100, line={"dash": "dash", "color": "#333333"})
    fig.update_xaxes(
        title="Realisation % (the dashed line is the target, 100%)",
        ticksuffix="%",
        range=[min([0.0, *values]), max([100.0, *values]) * 1.3],  # room for the labels
    )
    return _layout(fig, title, rows=len(data))


def variance(frame: pd.DataFrame, label_column: str) -> go.Figure:
    values = core.drawn_values(frame["variance"])
    fig = go.Figure(
        go.Bar(
            y=list(frame[label_column]),
            x=values,
            orientation="h",
            marker={
                "color": [core.AHEAD if v >= 0 else core.BEHIND for v in values],
                "pattern": {"shape": ["" if v >= 0 else "/" for v in values]},
            },
            text=[core.variance_label(v) for v in values],
            textposition="outside",
            cliponaxis=False,
            hovertemplate="%{y}: %{text} (£%{x:,.0f})<extra></extra>",
        )
    )
    fig.add_vline(x=0, line={"color": "#555555"})
    span = max([abs(v) for v in values] + [1.0])
    fig.update_xaxes(range=[-span * 1.8, span * 1.8], **MONEY_AXIS)  # room for the labels
    return _layout(fig, core.TITLE["variance"], rows=len(frame))


def paired_bars(
    frame: pd.DataFrame,
    label_column: str,
    columns: tuple[str, str],
    names: tuple[str, str],
    title: str,
) -> go.Figure:
    fig = go.Figure()
    for column, name, shape in zip(columns, names, ("", "/"), strict=True):
        fig.add_bar(
            y=list(frame[label_column]),
            x=_numbers(frame[column]),
            name=name,
            orientation="h",
            marker={
                "color": core.SERIES_COLOUR.get(column, core.AHEAD),
                "pattern": {"shape": shape},
            },
            hovertemplate=f"%{{y}}<br>{name}: £%{{x:,.0f}}<extra></extra>",
        )
    fig.update_xaxes(**MONEY_AXIS)
    return _layout(fig, title, rows=2 * len(frame), barmode="group")


def efficiency(frame: pd.DataFrame, label_column: str, reference: float) -> go.Figure:
    values = core.drawn_values(frame["efficiency_pct"])
    fig = go.Figure(
        go.Bar(
            y=list(frame[label_column]),
            x=values,
            orientation="h",
            marker={"color": core.AHEAD},
            text=[core.efficiency_label(v) for v in frame["efficiency_pct"]],
            textposition="outside",
            cliponaxis=False,
            hovertemplate="%{y}: %{text}<extra></extra>",
            name="Efficiency",
        )
    )
    fig.add_vline(
        x=reference,
        line={"dash": "dash", "color": core.BEHIND, "width": 2},
        annotation={"text": f"Gershon reference: {reference:g}% a year"},
    )
    fig.update_xaxes(
        title="% of baseline cost",
        ticksuffix="%",
        range=[min([0.0, *values]), max([reference, *values]) * 1.25],
    )
    return _layout(fig, core.TITLE["efficiency"], rows=len(frame))


def pipeline(frame: pd.DataFrame) -> go.Figure:
    counts = [int(v) for v in frame["services"]]
    fig = go.Figure(
        go.Bar(
            x=list(frame["stage"]),
            y=counts,
            marker={"color": list(core.STAGE_COLOUR[: len(frame)]), "line": {"color": "#333333"}},
            text=[f"{c:,}" for c in counts],
            textposition="outside",
            cliponaxis=False,
            hovertemplate="%{x}: %{y:,} services<extra></extra>",
        )
    )
    fig.update_yaxes(title="services", gridcolor=core.GRID)
    return _layout(fig, core.TITLE["pipeline"], height=360)


def diverging(frame: pd.DataFrame, title: str) -> go.Figure:
    groups = list(frame["group_label"])
    fig = go.Figure()
    for answer, lefts, shares in core.diverging_segments(frame):
        fig.add_bar(
            y=groups,
            x=shares,
            base=lefts,
            name=core.ANSWER_LABEL[answer],
            legendrank=list(core.ANSWER_LABEL).index(answer),  # disagree to agree
            orientation="h",
            marker={"color": core.ANSWER_COLOUR[answer], "line": {"color": "white"}},
            text=[wording.percent(s, 0) if s >= 8 else "" for s in shares],
            textposition="inside",
            insidetextanchor="middle",
            hovertemplate=f"%{{y}}<br>{core.ANSWER_LABEL[answer]}: %{{x:.1f}}%<extra></extra>",
        )
    fig.add_vline(x=0, line={"color": "#555555"})
    fig.update_xaxes(
        range=[-100, 100],
        tickvals=[-100, -50, 0, 50, 100],
        ticktext=["100%", "50%", "0", "50%", "100%"],
        title="← disagree · agree →",
    )
    return _layout(fig, title, rows=len(groups), barmode="overlay")


def heatmap(table: pd.DataFrame, title: str) -> go.Figure:
    values = [_numbers(row) for row in table.to_numpy()]
    fig = go.Figure(
        go.Heatmap(
            z=values,
            x=[str(c) for c in table.columns],
            y=[str(i) for i in table.index],
            zmin=-100,
            zmax=100,
            colorscale=[[0, "#b35806"], [0.5, "#f7f7f7"], [1, "#542788"]],
            text=[[core.net_label(v) for v in row] for row in values],
            texttemplate="%{text}",
            colorbar={"title": {"text": "Net agreement"}},
            hovertemplate="%{y}<br>%{x}<br>Net agreement: %{text}<extra></extra>",
        )
    )
    fig.update_yaxes(autorange="reversed", automargin=True)
    return _layout(fig, title, height=max(300, 45 * len(table.index) + 200))


BUILDERS: dict[str, Callable[..., go.Figure]] = {
    "trajectory": trajectory,
    "benefit_profile": benefit_profile,
    "rag_bars": rag_bars,
    "variance": variance,
    "paired_bars": paired_bars,
    "efficiency": efficiency,
    "pipeline": pipeline,
    "diverging": diverging,
    "heatmap": heatmap,
}
