"""Plotly figures. Each screen shows a table or a sentence beside every chart, and
colours come from a palette safe for colour-blind readers, with line styles and text
labels so that no meaning rests on colour alone."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from .fmt import RAG_COLOUR, RAG_LABEL, SERIES_COLOUR, pounds_short

_LAYOUT = {
    "font": {"family": "Source Sans Pro, Arial, sans-serif", "size": 14, "color": "#1f1f1f"},
    "plot_bgcolor": "white",
    "paper_bgcolor": "white",
    "margin": {"l": 10, "r": 10, "t": 40, "b": 10},
    "legend": {"orientation": "h", "y": -0.2},
    "hoverlabel": {"font_size": 14},
}


def _finish(fig: go.Figure, title: str, y_title: str = "£") -> go.Figure:
    fig.update_layout(title={"text": title, "x": 0}, yaxis_title=y_title, **_LAYOUT)
    fig.update_xaxes(showgrid=False, linecolor="#555555")
    fig.update_yaxes(gridcolor="#e5e5e5", zerolinecolor="#555555", tickprefix="")
    return fig


def trajectory(frame: pd.DataFrame) -> go.Figure:
    fig = go.Figure()
    for column, name, dash, symbol in (
        ("cumulative_target", "Target", "dash", "diamond"),
        ("cumulative_evidenced", "Evidenced", "solid", "circle"),
        ("cumulative_claimed", "Claimed", "dot", "square"),
    ):
        key = name.lower()
        fig.add_trace(
            go.Scatter(
                x=frame["quarter"],
                y=frame[column],
                name=name,
                mode="lines+markers",
                line={"color": SERIES_COLOUR[key], "dash": dash, "width": 3},
                marker={"symbol": symbol, "size": 8},
                hovertemplate=f"{name}: £%{{y:,.0f}}<extra>%{{x}}</extra>",
            )
        )
    return _finish(fig, "Cumulative savings by quarter", "£ cumulative")


def rag_bars(frame: pd.DataFrame, label_column: str, title: str) -> go.Figure:
    """Realisation % per group, coloured and labelled by RAG in words and icons."""
    data = frame.sort_values("realisation_pct", na_position="first")
    values = data["realisation_pct"].fillna(0)
    rags = [r if isinstance(r, str) else None for r in data["rag"]]
    fig = go.Figure(
        go.Bar(
            x=values,
            y=data[label_column],
            orientation="h",
            marker={
                "color": [RAG_COLOUR[r] for r in rags],
                "line": {"color": "#333333", "width": 1},
            },
            text=[f"{RAG_LABEL[r]}  {v:.1f}%" for r, v in zip(rags, values, strict=True)],
            textposition="outside",
            textfont={"color": "#1f1f1f"},
            cliponaxis=False,
            hovertemplate="%{y}: %{x:.1f}%<extra></extra>",
        )
    )
    fig.add_vline(x=100, line={"color": "#333333", "dash": "dash"}, layer="below")
    top = max(100.0, float(values.max()))
    fig.update_xaxes(range=[min(0.0, float(values.min())), top * 1.4], title="Realisation %")
    fig.update_layout(height=max(260, 44 * len(data) + 100))
    return _finish(fig, title, "")


def variance(frame: pd.DataFrame, label_column: str) -> go.Figure:
    colours = ["#0072B2" if v >= 0 else "#D55E00" for v in frame["variance"]]
    fig = go.Figure(
        go.Bar(
            x=frame[label_column],
            y=frame["variance"],
            marker={"color": colours},
            text=[("+" if v >= 0 else "") + pounds_short(v) for v in frame["variance"]],
            textposition="outside",
            hovertemplate="%{x}: £%{y:,.0f}<extra></extra>",
        )
    )
    return _finish(fig, "Variance: evidenced saving minus target (above 0 is ahead)")


def paired_bars(
    frame: pd.DataFrame,
    label_column: str,
    columns: tuple[str, str],
    names: tuple[str, str],
    title: str,
) -> go.Figure:
    """Two amounts side by side for each row, as horizontal bars so long names read."""
    fig = go.Figure()
    for column, name, pattern in zip(columns, names, ("", "/"), strict=True):
        fig.add_trace(
            go.Bar(
                y=frame[label_column],
                x=frame[column],
                name=name,
                orientation="h",
                marker={
                    "color": SERIES_COLOUR.get(column, "#0072B2"),
                    "pattern": {"shape": pattern},
                },
                hovertemplate=f"{name}: £%{{x:,.0f}}<extra>%{{y}}</extra>",
            )
        )
    fig.update_layout(barmode="group", height=max(300, 44 * len(frame) + 140))
    fig.update_yaxes(autorange="reversed")
    fig.update_xaxes(title="£")
    return _finish(fig, title, "")


def efficiency(frame: pd.DataFrame, label_column: str, reference: float) -> go.Figure:
    fig = go.Figure(
        go.Bar(
            x=frame[label_column],
            y=frame["efficiency_pct"],
            marker={"color": "#0072B2"},
            text=[f"{v:.1f}%" for v in frame["efficiency_pct"].fillna(0)],
            textposition="outside",
            hovertemplate="%{x}: %{y:.1f}%<extra></extra>",
        )
    )
    fig.add_hline(
        y=reference,
        line={"color": "#D55E00", "dash": "dash", "width": 2},
        annotation_text=f"Gershon reference: {reference:g}% a year",
        annotation_position="top left",
    )
    return _finish(fig, "Efficiency: evidenced saving as % of baseline", "%")


def pipeline(frame: pd.DataFrame) -> go.Figure:
    fig = go.Figure(
        go.Bar(
            x=frame["stage"],
            y=frame["services"],
            marker={"color": ["#CCE5F6", "#99CBED", "#56B4E9", "#0072B2", "#005A8C", "#999999"]},
            text=frame["services"],
            textposition="outside",
            hovertemplate="%{x}: %{y} services<extra></extra>",
        )
    )
    return _finish(fig, "Services at each business-case stage", "services")


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


def diverging(frame: pd.DataFrame, title: str) -> go.Figure:
    """One statement: each group's answers as a bar centred on neutral, disagreement to
    the left and agreement to the right, each segment labelled with its share."""
    fig = go.Figure()
    groups = list(frame["group_label"])
    half_neutral = frame["share_neutral"].fillna(0) / 2
    segments = (
        ("neutral", -half_neutral, False),
        ("disagree", -frame["share_disagree"].fillna(0), False),
        ("strongly_disagree", -frame["share_strongly_disagree"].fillna(0), False),
        ("neutral", half_neutral, True),
        ("agree", frame["share_agree"].fillna(0), True),
        ("strongly_agree", frame["share_strongly_agree"].fillna(0), True),
    )
    for answer, values, show in segments:
        shares = frame[f"share_{answer}"].fillna(0)
        fig.add_trace(
            go.Bar(
                y=groups,
                x=values,
                orientation="h",
                name=ANSWER_LABEL[answer],
                legendgroup=answer,
                showlegend=show or answer != "neutral",
                legendrank=list(ANSWER_COLOUR).index(answer),
                marker={"color": ANSWER_COLOUR[answer], "line": {"color": "white", "width": 1}},
                text=[f"{v:.0f}%" if v >= 8 and answer != "neutral" else "" for v in shares],
                textposition="inside",
                insidetextanchor="middle",
                textfont={
                    "color": "white"
                    if answer in ("strongly_disagree", "strongly_agree")
                    else "#1f1f1f"
                },
                customdata=shares,
                hovertemplate=f"%{{y}}: {ANSWER_LABEL[answer]} %{{customdata:.1f}}%<extra></extra>",
            )
        )
    fig.update_layout(barmode="relative", height=max(240, 46 * len(groups) + 150))
    fig.update_xaxes(
        range=[-100, 100],
        tickvals=[-100, -50, 0, 50, 100],
        ticktext=["100%", "50%", "0", "50%", "100%"],
        title="← disagree · agree →",
    )
    fig.update_yaxes(autorange="reversed")
    _finish(fig, title, "")
    fig.update_layout(legend={"orientation": "h", "y": -0.45, "yanchor": "top"}, margin={"b": 90})
    return fig


def heatmap(table: pd.DataFrame, title: str) -> go.Figure:
    """Net agreement, groups against statements, with the figure written in each cell."""
    fig = go.Figure(
        go.Heatmap(
            z=table.values,
            x=list(table.columns),
            y=list(table.index),
            colorscale=[[0, "#b35806"], [0.5, "#f7f7f7"], [1, "#542788"]],
            zmin=-100,
            zmax=100,
            zmid=0,
            text=[[("" if pd.isna(v) else f"{v:+.0f}") for v in row] for row in table.values],
            texttemplate="%{text}",
            textfont={"size": 14},
            colorbar={"title": "Net agreement"},
            hovertemplate="%{y}, %{x}: %{z:+.1f}<extra></extra>",
        )
    )
    fig.update_layout(height=max(260, 50 * len(table.index) + 160))
    fig.update_xaxes(tickangle=-20)
    return _finish(fig, title, "")
