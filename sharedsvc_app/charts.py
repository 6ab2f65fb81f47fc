"""A chart on a screen: the core's drawing (:mod:`sharedsvc_core.charts`) as SVG, cached
so a rerun with the same figures draws nothing again, and on request the same chart to
explore in the browser (:mod:`sharedsvc_app.figures`)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import streamlit as st

from sharedsvc_core import charts

if TYPE_CHECKING:
    import plotly.graph_objects as go

# The charts a screen may ask for by name.
CHARTS = {
    "trajectory": charts.trajectory,
    "benefit_profile": charts.benefit_profile,
    "rag_bars": charts.rag_bars,
    "variance": charts.variance,
    "paired_bars": charts.paired_bars,
    "efficiency": charts.efficiency,
    "pipeline": charts.pipeline,
    "diverging": charts.diverging,
    "heatmap": charts.heatmap,
}


class Chart:
    """One of the named charts and the figures to draw it from: the arguments of the
    core function of that name."""

    def __init__(self, name: str, *args: Any) -> None:
        if name not in CHARTS:
            raise ValueError(f"no chart called {name!r}")
        self.name = name
        self.args = args

    def svg(self) -> str:
        return _svg(self.name, *self.args)

    def interactive(self) -> go.Figure:
        from . import figures  # Plotly is imported only when a chart to explore is asked for

        return figures.BUILDERS[self.name](*self.args)


@st.cache_data(show_spinner=False, max_entries=256)
def _svg(chart: str, *args: Any) -> str:
    """The named chart drawn from ``args`` (the core function's arguments), as SVG."""
    return charts.svg(CHARTS[chart](*args))
