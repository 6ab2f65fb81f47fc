"""The core's charts (:mod:`sharedsvc_core.charts`) as SVG for the screens, cached so a
rerun with the same figures draws nothing again."""

from __future__ import annotations

from typing import Any

import streamlit as st

from sharedsvc_core import charts

# The charts a screen may ask for by name.
CHARTS = {
    "trajectory": charts.trajectory,
    "rag_bars": charts.rag_bars,
    "variance": charts.variance,
    "paired_bars": charts.paired_bars,
    "efficiency": charts.efficiency,
    "pipeline": charts.pipeline,
    "diverging": charts.diverging,
    "heatmap": charts.heatmap,
}


@st.cache_data(show_spinner=False, max_entries=256)
def svg(chart: str, *args: Any) -> str:
    """The named chart drawn from ``args`` (the core function's arguments), as SVG."""
    return charts.svg(CHARTS[chart](*args))
