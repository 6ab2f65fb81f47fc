"""Overview: where the programme stands, for a chief executive."""

import streamlit as st

from sharedsvc_app import charts, data, fmt, ui
from sharedsvc_core.realisation import Filters

ui.header("Programme overview", "Savings against the business cases, across every shared service.")
to, as_of = ui.period_controls()
key = data.scope_key(to, as_of, Filters())
with ui.friendly_errors():
    headline = data.ask("headline", key)
    figures = headline["figures"]
    st.markdown(ui.period_caption(headline, as_of))
    if figures is None:
        st.info("There is nothing to show yet: no return has been received.")
        st.stop()
    trajectory = data.ask("trajectory", key)
    by_partnership = data.figures(key, "partnership")
    by_service = data.figures(key, "service")
    off_track = data.ask("off_track", key)

tiles = st.columns(6)
tiles[0].metric(
    "Target to date",
    fmt.pounds_short(figures["target"]),
    help="The savings target for every quarter to date.",
)
tiles[1].metric(
    "Evidenced saving",
    fmt.pounds_short(figures["evidenced"]),
    help="Baseline cost minus actual cost, from the returns.",
)
tiles[2].metric(
    "Net of one-off costs",
    fmt.pounds_short(figures["net"]),
    help="Evidenced saving minus the one-off costs of making it.",
)
tiles[3].metric(
    "Realisation",
    fmt.percent(figures["realisation_pct"]),
    help="Evidenced saving as a percentage of target.",
)
tiles[4].metric(
    "RAG status",
    fmt.rag(figures["rag"]),
    help="Green at 100% of target or more, Amber at 80% or more, else Red.",
)
tiles[5].metric(
    "Returns received",
    f"{figures['returns_received']} of {figures['returns_expected']}",
    help="Quarterly returns received, of those expected where there is a target.",
)

st.subheader("Savings to date, quarter by quarter")
last = trajectory.iloc[-1]
ui.chart_with_table(
    charts.trajectory(trajectory),
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
    summary=(
        f"By {last['quarter']} the cumulative target is {fmt.pounds(last['cumulative_target'])}, "
        f"evidenced savings {fmt.pounds(last['cumulative_evidenced'])} and claimed savings "
        f"{fmt.pounds(last['cumulative_claimed'])}."
    ),
    column_config={
        c: ui.MONEY
        for c in (
            "cumulative_target",
            "cumulative_evidenced",
            "cumulative_claimed",
            "cumulative_net",
        )
    },
)


def rag_table(frame):
    table = frame[["key", "name", "target", "evidenced", "realisation_pct", "rag"]].copy()
    table["rag"] = table["rag"].map(fmt.rag)
    return table


left, right = st.columns(2)
with left:
    st.subheader("RAG by partnership")
    ui.chart_with_table(
        charts.rag_bars(by_partnership, "name", "Realisation % by partnership"),
        rag_table(by_partnership),
        key="overview-rag-partnership",
        summary=", ".join(
            f"{n}: {fmt.rag(r)}"
            for n, r in zip(by_partnership["name"], by_partnership["rag"], strict=True)
        ),
        column_config={"target": ui.MONEY, "evidenced": ui.MONEY, "realisation_pct": ui.PERCENT},
    )
with right:
    st.subheader("RAG by service")
    ui.chart_with_table(
        charts.rag_bars(by_service, "name", "Realisation % by service"),
        rag_table(by_service),
        key="overview-rag-service",
        summary="; ".join(
            f"{fmt.rag(r)}: {int((by_service['rag'] == r).sum())} services"
            for r in ("green", "amber", "red", "no_data")
        ),
        column_config={"target": ui.MONEY, "evidenced": ui.MONEY, "realisation_pct": ui.PERCENT},
    )

st.subheader("Furthest off track")
if off_track.empty:
    st.success("Nothing is behind its target to date.")
else:
    table = off_track[
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
    ].copy()
    table["rag"] = table["rag"].map(fmt.rag)
    st.dataframe(
        table,
        hide_index=True,
        width="stretch",
        column_config={
            "service": "Service",
            "council_name": "Council",
            "target": ui.MONEY,
            "evidenced": ui.MONEY,
            "shortfall": st.column_config.NumberColumn("Short of target", format="£%,.0f"),
            "realisation_pct": ui.PERCENT,
            "rag": "RAG",
            "commentary_quarter": "Commentary from",
            "commentary": st.column_config.TextColumn("Latest commentary", width="large"),
        },
    )
