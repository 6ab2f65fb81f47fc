"""Partnerships: the register of partnerships, members, cost shares and services."""

import streamlit as st

from sharedsvc_app import auth, charts, data, fmt, ui
from sharedsvc_app.page_list import PAGES
from sharedsvc_core.realisation import Filters

auth.gate("partnerships")
ui.header(
    PAGES["partnerships"].heading,
    "Who shares what: each partnership's delivery model, members and cost shares, "
    "and every shared service at its business-case stage.",
)
with ui.friendly_errors():
    register = data.ask("register", data.scope_key(None, None, Filters()))

if register["partnerships"].empty:
    st.info("The register is empty: load a partnerships file first.")
    st.stop()

st.header("Services at each business-case stage")
pipeline = register["pipeline"]
ui.chart_with_table(
    charts.Chart("pipeline", pipeline),
    pipeline,
    key="partnerships-pipeline",
    title="services at each business-case stage",
    summary="Services at each stage: "
    + ", ".join(
        f"{stage} {count}"
        for stage, count in zip(pipeline["stage"], pipeline["services"], strict=True)
    )
    + ".",
)

st.header("The register")
partnerships, members, services = (
    register["partnerships"],
    register["members"],
    register["services"],
)
# only the chosen tab's table is sent to the browser
tabs = st.tabs(
    ["Partnerships", "Members and cost shares", "Services"],
    key="partnerships-tab",
    on_change="rerun",
)
with tabs[0]:
    if tabs[0].open:
        ui.table(
            partnerships.assign(
                delivery_model=partnerships["delivery_model"].map(fmt.delivery_model),
                status=partnerships["status"].map(fmt.status),
                description=partnerships["description"].map(fmt.text),
            ),
            key="partnerships-register",
            partnership_code="Code",
            name="Partnership",
            delivery_model="Delivery model",
            lead_council="Lead council",
            status="Status",
            description="Description",
            members="Members",
            start_date=st.column_config.DateColumn("Started", format="DD/MM/YYYY"),
        )
with tabs[1]:
    if tabs[1].open:
        ui.table(
            members[
                ["partnership", "council_name", "council", "cost_share", "from_year", "to_year"]
            ],
            key="partnerships-members",
            council="GSS code",
        )
with tabs[2]:
    if tabs[2].open:
        ui.table(
            services[
                [
                    "service_code",
                    "name",
                    "partnership",
                    "service_area",
                    "stage",
                    "lead_council",
                    "go_live",
                ]
            ].assign(
                stage=services["stage"].map(fmt.stage),
                service_area=services["service_area"].map(fmt.text),
            ),
            key="partnerships-services",
            service_code="Code",
            name="Service",
            service_area="Area",
            lead_council="Lead council",
            go_live=st.column_config.DateColumn("Go-live", format="DD/MM/YYYY"),
        )

st.header("Double counting")
st.caption(
    "Two warnings for the board: a council's baseline for a service area claimed by live "
    "or implementing services of more than one partnership in the same year, and claimed "
    "savings for a service area above the council's baseline for it."
)
with ui.friendly_errors():
    guard = data.ask("double_counting", data.scope_key(None, None, Filters()))
st.subheader("Baselines claimed by more than one partnership")
if guard["overlaps"].empty:
    st.write("None: no council's baseline for a service area is claimed twice in a year.")
else:
    ui.short_table(
        guard["overlaps"],
        f"{len(guard['overlaps'])} council baselines claimed by services of more than one "
        "partnership in the same year; the baseline total counts the spend once per service.",
    )
st.subheader("Claimed savings above the baseline")
if guard["overclaims"].empty:
    st.write("None: no council claims more for a service area in a year than its baseline.")
else:
    ui.short_table(
        guard["overclaims"],
        f"{len(guard['overclaims'])} years in which a council's claimed savings for a service "
        "area exceed its baseline for the area.",
    )
