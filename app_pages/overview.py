"""Overview: where the programme stands, for a chief executive."""

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import pandas as pd
import streamlit as st

from sharedsvc_app import auth, block, charts, data, fmt, pack, ui
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

only = ui.certified_only()
ALSO = " (certified returns)" if only else ""


def _certified(name: str, say: Callable[[Any], str]) -> str:
    """Beneath a headline figure, how much of it certified returns make (nothing when
    the figures already count certified returns only)."""
    return "" if only else say(certified[name] if certified else None)


summary = returns_calendar.overdue_summary(outstanding)
last = trajectory.iloc[-1]
TRAJECTORY = "cumulative target, evidenced and claimed savings by quarter"
trajectory_chart = charts.Chart("trajectory", trajectory)
with block.block() as out:
    out.tiles(
        [
            block.Tile(
                "Target to date",
                fmt.pounds_short(figures["target"]),
                "The savings target for every quarter to date.",
            ),
            block.Tile(
                "Evidenced saving" + ALSO,
                fmt.pounds_short(figures["evidenced"]),
                "Baseline cost minus actual cost, from the returns.",
                _certified(
                    "evidenced",
                    lambda v: (
                        f"{fmt.pounds_short(figures['evidenced'])} evidenced, "
                        f"{fmt.pounds_short(v or 0)} certified"
                    ),
                ),
            ),
            block.Tile(
                "Net of one-off costs" + ALSO,
                fmt.pounds_short(figures["net"]),
                "Evidenced saving minus the one-off costs of making it.",
                _certified(
                    "net",
                    lambda v: (
                        f"{fmt.pounds_short(figures['net'])} net, "
                        f"{fmt.pounds_short(v or 0)} certified"
                    ),
                ),
            ),
            block.Tile(
                "Realisation" + ALSO,
                fmt.percent(figures["realisation_pct"]),
                "Evidenced saving as a percentage of target.",
                _certified(
                    "realisation_pct",
                    lambda v: (
                        f"{fmt.percent(figures['realisation_pct'])} on every return, "
                        f"{fmt.percent(v)} on certified returns"
                    ),
                ),
            ),
            block.Tile("RAG status", fmt.rag(figures["rag"]), rag_rule),
            block.Tile(
                "Returns received" + (" and certified" if only else ""),
                f"{figures['returns_received']} of {figures['returns_expected']}",
                "Quarterly returns received, of those expected where there is a target.",
                _certified("returns_received", lambda v: f"{v or 0} of them certified"),
            ),
        ],
        per_row=3,
    )
    if summary["overdue"]:
        oldest = summary["oldest"]
        out.notice(
            "warning",
            f"(oldest: {oldest['council_name']} {oldest['service_code']} "
            f"{oldest['financial_year']} {oldest['quarter']}, {oldest['days_overdue']} days).",
            strong=f"{summary['overdue']} returns overdue",
            link=("See the returns outstanding", "#returns-outstanding"),
        )
    elif summary["outstanding"]:
        out.notice(
            "info",
            f"{summary['outstanding']} returns expected and not yet due.",
            link=("See the returns outstanding", "#returns-outstanding"),
        )
    out.heading("Savings to date, quarter by quarter")
    out.chart(
        trajectory_chart,
        TRAJECTORY,
        f"By {last['quarter']} the cumulative target is "
        f"{fmt.pounds(last['cumulative_target'])}, evidenced savings "
        f"{fmt.pounds(last['cumulative_evidenced'])} and claimed savings "
        f"{fmt.pounds(last['cumulative_claimed'])}.",
    )
ui.chart_figures(
    trajectory_chart,
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
    title=TRAJECTORY,
)

RAG_COLUMNS = ["name", "target", "evidenced", "realisation_pct", "rag"]
with block.block() as out:
    out.heading("RAG status")
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

with block.block() as out:
    out.heading("Furthest off track")
    if off_track.empty:
        out.notice("success", "Nothing is behind its target to date.")
    else:
        out.table(
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
                else f"The {len(off_track)} service and council pairs furthest below "
                "their targets to date"
            )
            + ", with the latest commentary in their returns.",
        )
    out.heading("Returns outstanding", anchor="returns-outstanding")
    if not outstanding:
        out.notice("success", "Every return expected to date has been received.")
    else:
        out.text(
            f"{summary['outstanding']} returns expected to date and not received, "
            f"{summary['overdue']} of them overdue. A return is due "
            f"{int(data.ask('settings', key)['returns_due_days'])} days after its quarter "
            f"ends; days overdue are counted to {today:%d/%m/%Y}.",
            small=True,
        )
if outstanding:
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
