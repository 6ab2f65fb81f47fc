"""Partnerships: the register of partnerships, members, cost shares and services."""

import streamlit as st

from sharedsvc_app import charts, data, fmt, ui
from sharedsvc_core.realisation import Filters

ui.header(
    "Partnerships",
    "Who shares what: each partnership's delivery model, members and cost shares, "
    "and every shared service at its business-case stage.",
)
with ui.friendly_errors():
    register = data.ask("register", data.scope_key(None, None, Filters()))

if register["partnerships"].empty:
    st.info("The register is empty: load a partnerships file first.")
    st.stop()

st.subheader("Partnerships")
st.dataframe(
    register["partnerships"],
    hide_index=True,
    width="stretch",
    column_config={
        "partnership_code": "Code",
        "name": "Partnership",
        "delivery_model": "Delivery model",
        "lead_council": "Lead council",
        "status": "Status",
        "start_date": st.column_config.DateColumn("Started", format="DD/MM/YYYY"),
        "description": "Description",
        "members": "Members",
    },
)

st.subheader("Members and cost shares")
st.dataframe(
    register["members"][
        ["partnership", "council_name", "council", "cost_share", "from_year", "to_year"]
    ],
    hide_index=True,
    width="stretch",
    column_config={
        "partnership": "Partnership",
        "council_name": "Council",
        "council": "GSS code",
        "cost_share": ui.SHARE,
        "from_year": "From",
        "to_year": "To",
    },
)

st.subheader("Services and business-case stages")
pipeline = register["pipeline"]
ui.chart_with_table(
    charts.pipeline(pipeline),
    pipeline,
    key="partnerships-pipeline",
    summary="Services at each stage: "
    + ", ".join(f"{s} {n}" for s, n in zip(pipeline["stage"], pipeline["services"], strict=True))
    + ".",
)
services = register["services"].copy()
services["stage"] = services["stage"].map(fmt.STAGE_LABEL.get)
st.dataframe(
    services[
        ["service_code", "name", "partnership", "service_area", "stage", "lead_council", "go_live"]
    ],
    hide_index=True,
    width="stretch",
    column_config={
        "service_code": "Code",
        "name": "Service",
        "partnership": "Partnership",
        "service_area": "Area",
        "stage": "Stage",
        "lead_council": "Lead council",
        "go_live": st.column_config.DateColumn("Go-live", format="DD/MM/YYYY"),
    },
)
