"""Overview: where the programme stands, for a chief executive."""

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import pandas as pd
import streamlit as st

from sharedsvc_app import auth, charts, data, fmt, pack, ui
from sharedsvc_app.page_list import PAGES
from sharedsvc_core import explore, returns_calendar
from sharedsvc_core.realisation import Filters

person = auth.gate("overview")
ui.header(
    PAGES["overview"].heading, "Savings against the business cases, across every shared service."
)
to, as_of = ui.period_controls()
key = data.scope_key(to, as_of, Filters(certified_only=ui.certified_only()))
# what was overdue is counted to the day the figures are as of
today = as_of.date() if as_of else datetime.now(UTC).date()
with ui.friendly_errors():
    headline = data.ask("headline", key)
    figures = headline["figures"]
    certified = headline["certified"]
    outstanding = data.ask("outstanding", data.scope_key(to, as_of, Filters()), today)
    st.markdown(ui.period_caption(headline, as_of))
    if figures is None:
        st.info("There is nothing to show yet: no return has been received.")
        st.stop()
    trajectory = data.ask("trajectory", key)
    off_track = data.ask("off_track", key)
    rag_rule = data.ask("rag_rule", key)

first, second = st.columns(3), st.columns(3)
only = ui.certified_only()


def _certified(name: str, show: Callable[[Any], object]) -> None:
    """Beside a headline figure, how much of it certified returns make (not shown when
    the figures already count certified returns only)."""
    if not only:
        show(certified[name] if certified else None)


first[0].metric(
    "Target to date",
    fmt.pounds_short(figures["target"]),
    help="The savings target for every quarter to date.",
)
first[1].metric(
    "Evidenced saving" + (" (certified returns)" if only else ""),
    fmt.pounds_short(figures["evidenced"]),
    help="Baseline cost minus actual cost, from the returns.",
)
_certified(
    "evidenced",
    lambda v: first[1].caption(
        f"{fmt.pounds_short(figures['evidenced'])} evidenced, {fmt.pounds_short(v or 0)} certified"
    ),
)
first[2].metric(
    "Net of one-off costs" + (" (certified returns)" if only else ""),
    fmt.pounds_short(figures["net"]),
    help="Evidenced saving minus the one-off costs of making it.",
)
_certified(
    "net",
    lambda v: first[2].caption(
        f"{fmt.pounds_short(figures['net'])} net, {fmt.pounds_short(v or 0)} certified"
    ),
)
second[0].metric(
    "Realisation" + (" (certified returns)" if only else ""),
    fmt.percent(figures["realisation_pct"]),
    help="Evidenced saving as a percentage of target.",
)
_certified(
    "realisation_pct",
    lambda v: second[0].caption(
        f"{fmt.percent(figures['realisation_pct'])} on every return, "
        f"{fmt.percent(v)} on certified returns"
    ),
)
second[1].metric(
    "RAG status",
    fmt.rag(figures["rag"]),
    help=rag_rule,
)
second[2].metric(
    "Returns received" + (" and certified" if only else ""),
    f"{figures['returns_received']} of {figures['returns_expected']}",
    help="Quarterly returns received, of those expected where there is a target.",
)
_certified(
    "returns_received",
    lambda v: second[2].caption(f"{v or 0} of them certified"),
)
summary = returns_calendar.overdue_summary(outstanding)
if summary["overdue"]:
    oldest = summary["oldest"]
    st.warning(
        f"**{summary['overdue']} returns overdue** (oldest: {oldest['council_name']} "
        f"{oldest['service_code']} {oldest['financial_year']} {oldest['quarter']}, "
        f"{oldest['days_overdue']} days). [See the returns outstanding](#returns-outstanding)"
    )
elif summary["outstanding"]:
    st.info(
        f"{summary['outstanding']} returns expected and not yet due. "
        "[See the returns outstanding](#returns-outstanding)"
    )

st.header("Savings to date, quarter by quarter")
last = trajectory.iloc[-1]
ui.chart_with_table(
    charts.Chart("trajectory", trajectory),
    trajectory[
        [
            "quarter",
            "cumulative_target",
            "cumulative_evidenced",
            "cumulative_claimed",
            "cumulative_net",
        ]
    ],
    key="overview-trajectory",
    title="cumulative target, evidenced and claimed savings by quarter",
    summary=(
        f"By {last['quarter']} the cumulative target is "
        f"{fmt.pounds(last['cumulative_target'])}, evidenced savings "
        f"{fmt.pounds(last['cumulative_evidenced'])} and claimed savings "
        f"{fmt.pounds(last['cumulative_claimed'])}."
    ),
)

RAG_COLUMNS = ["name", "target", "evidenced", "realisation_pct", "rag"]
st.header("RAG status")
# each tab's figures are asked for, and sent, only when it is chosen
tabs = st.tabs(["By partnership", "By service"], key="overview-rag", on_change="rerun")
for tab, grouping, chart_key in (
    (tabs[0], "partnership", "overview-rag-partnership"),
    (tabs[1], "service", "overview-rag-service"),
):
    with tab:
        if not tab.open:
            continue
        with ui.friendly_errors():
            frame = data.figures(key, grouping)
        shown, note = explore.for_chart(frame, "realisation_pct", lowest=True)
        counts = explore.rag_counts(frame)
        ui.chart_with_table(
            charts.Chart("rag_bars", shown, "name", f"Realisation % by {grouping}"),
            frame[RAG_COLUMNS].assign(rag=frame["rag"].map(fmt.rag)),
            key=chart_key,
            title=f"realisation % by {grouping}, coloured and labelled by RAG",
            summary="; ".join(f"{fmt.rag(r)}: {n}" for r, n in counts.items() if n)
            + f". Lowest realisation: {fmt.first_few(shown, 'realisation_pct', fmt.percent)}.",
            note=note,
        )

st.header("Furthest off track")
if off_track.empty:
    st.success("Nothing is behind its target to date.")
else:
    ui.short_table(
        off_track[
            [
                "service",
                "council_name",
                "target",
                "evidenced",
                "shortfall",
                "realisation_pct",
                "rag",
                "commentary_quarter",
                "commentary",
            ]
        ].assign(rag=off_track["rag"].map(fmt.rag)),
        caption=(
            "The service and council pair furthest below its target to date"
            if len(off_track) == 1
            else f"The {len(off_track)} service and council pairs furthest below their "
            "targets to date"
        )
        + ", with the latest commentary in their returns.",
    )

st.header("Returns outstanding", anchor="returns-outstanding")
if not outstanding:
    st.success("Every return expected to date has been received.")
else:
    st.caption(
        f"{summary['outstanding']} returns expected to date and not received, "
        f"{summary['overdue']} of them overdue. A return is due "
        f"{int(data.ask('settings', key)['returns_due_days'])} days after its quarter "
        f"ends; days overdue are counted to {today:%d/%m/%Y}."
    )
    # the list is drawn only when asked for, as the chart tables are
    with st.expander(
        "The list, most overdue first", key="overview-outstanding-box", on_change="rerun"
    ) as box:
        if box.open:
            ui.table(
                pd.DataFrame(outstanding)[list(returns_calendar.SHOWN)],
                key="overview-outstanding",
                council_name="Council",
                service_code="Service",
                financial_year="Year",
                quarter="Quarter",
                due_date="Due",
                days_overdue=st.column_config.NumberColumn("Days overdue", format="%d"),
            )

pack.buttons(person, to, as_of, "overview")
