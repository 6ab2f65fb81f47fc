"""Pieces every screen uses: the "to" and "as of" controls, the illustrative label,
plain error messages, and tables beside charts."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, time
from typing import Any

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from sharedsvc_core.realisation import Filters
from sharedsvc_core.store import StoreBusy, StoreError

from . import data
from .fmt import ILLUSTRATIVE

MONEY = st.column_config.NumberColumn(format="£%,.0f")
MONEY_PENCE = st.column_config.NumberColumn(format="£%,.2f")
PERCENT = st.column_config.NumberColumn(format="%.1f%%")
SHARE = st.column_config.NumberColumn(format="%.3f")
LATEST = "Latest quarter with a return"


@contextmanager
def friendly_errors() -> Iterator[None]:
    """Show a store problem as a sentence, never a traceback."""
    try:
        yield
    except StoreBusy:
        st.warning(
            "The figures are being updated by a load right now. Please reload the page in a moment."
        )
        st.stop()
    except StoreError as error:
        st.error(f"The figures cannot be shown: {error}")
        st.stop()


def header(title: str, intro: str) -> None:
    st.title(title)
    st.caption(intro)
    with friendly_errors():
        if data.ask("illustrative", data.scope_key(None, None, Filters())):
            st.info(ILLUSTRATIVE, icon="ℹ️")


def _keep(key: str) -> None:
    st.session_state["kept_" + key] = st.session_state[key]


def _restore(*keys: str) -> None:
    """Widget values are forgotten when the page changes; bring back the kept copies."""
    for key in keys:
        if key not in st.session_state and "kept_" + key in st.session_state:
            st.session_state[key] = st.session_state["kept_" + key]


def period_controls() -> tuple[Any, datetime | None]:
    """The sidebar's "to" and "as of" controls. Their choices carry from page to page."""
    with friendly_errors():
        quarters = data.ask("quarters", data.scope_key(None, None, Filters()))
    labels = [LATEST] + [q.display for q in quarters]
    _restore("to_quarter", "as_of_on", "as_of_date", "as_of_time")
    if st.session_state.get("to_quarter") not in labels:
        st.session_state.pop("to_quarter", None)
    st.sidebar.header("Period")
    chosen = st.sidebar.selectbox(
        "Figures to the end of",
        labels,
        key="to_quarter",
        on_change=_keep,
        args=("to_quarter",),
        help="The last quarter included. By default, the latest quarter any return covers.",
    )
    to = None if chosen == LATEST else quarters[labels.index(chosen) - 1]
    as_of = None
    if st.sidebar.toggle(
        "As they stood on a past date",
        key="as_of_on",
        on_change=_keep,
        args=("as_of_on",),
        help="Shows only what had been received by then, as a board saw it at its meeting.",
    ):
        st.session_state.setdefault("as_of_date", date.today())
        st.session_state.setdefault("as_of_time", time(23, 59))
        day = st.sidebar.date_input(
            "As of date",
            key="as_of_date",
            format="DD/MM/YYYY",
            min_value=date(2000, 1, 1),
            max_value=date.today(),
            on_change=_keep,
            args=("as_of_date",),
        )
        moment = st.sidebar.time_input(
            "As of time (UTC)", key="as_of_time", on_change=_keep, args=("as_of_time",)
        )
        as_of = datetime.combine(day, moment, tzinfo=UTC).replace(tzinfo=None)
    return to, as_of


def period_caption(headline: dict[str, Any], as_of: datetime | None) -> str:
    span = headline["period"]
    if span.end is None:
        return "No returns have been received yet."
    start = span.start.display if span.start else span.end.display
    text = f"Figures from {start} to {span.end.display}"
    if as_of:
        text += f", as they stood on {as_of:%d/%m/%Y at %H:%M} UTC"
    return text + "."


def chart_with_table(
    fig: go.Figure,
    table: pd.DataFrame,
    key: str,
    summary: str,
    column_config: dict[str, Any] | None = None,
) -> None:
    """A chart, a one-sentence summary, and its figures as a table for anyone who
    cannot see the chart."""
    st.plotly_chart(fig, width="stretch", key=key, config={"displaylogo": False})
    st.caption(summary)
    with st.expander("The chart's figures as a table"):
        st.dataframe(table, hide_index=True, width="stretch", column_config=column_config)
