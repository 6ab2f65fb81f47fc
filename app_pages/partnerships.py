"""Partnerships: the register of partnerships, members, cost shares and services."""

import pandas as pd
import streamlit as st

from sharedsvc_app import auth, block, charts, data, fmt, ui
from sharedsvc_app.page_list import PAGES
from sharedsvc_core import partner_exit
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

pipeline = register["pipeline"]
PIPELINE = "services at each business-case stage"
pipeline_chart = charts.Chart("pipeline", pipeline)
with block.block() as out:
    out.heading("Services at each business-case stage")
    out.chart(
        pipeline_chart,
        PIPELINE,
        "Services at each stage: "
        + ", ".join(
            f"{stage} {count}"
            for stage, count in zip(pipeline["stage"], pipeline["services"], strict=True)
        )
        + ".",
    )
ui.chart_figures(pipeline_chart, pipeline, key="partnerships-pipeline", title=PIPELINE)
with block.block() as out:
    out.heading("The register")
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
        ui.listing(
            partnerships.assign(
                delivery_model=partnerships["delivery_model"].map(fmt.delivery_model),
                status=partnerships["status"].map(fmt.status),
                description=partnerships["description"].map(fmt.text),
            ),
            key="partnerships-register",
            caption="Each partnership: its delivery model, lead council, status and members.",
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
        ui.listing(
            members[
                ["partnership", "council_name", "council", "cost_share", "from_year", "to_year"]
            ],
            key="partnerships-members",
            caption="Each member council's cost share, and the years it holds.",
            council="GSS code",
        )
with tabs[2]:
    if tabs[2].open:
        ui.listing(
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
            caption="Every shared service: its partnership, area, stage and go-live date.",
            service_code="Code",
            name="Service",
            service_area="Area",
            lead_council="Lead council",
            go_live=st.column_config.DateColumn("Go-live", format="DD/MM/YYYY"),
        )

with block.block() as out:
    out.heading("A partner's exit")
    out.text(
        "What a member leaving at the end of a quarter takes and owes, on the basis of its "
        "cost share that year: its share of the unspent shared funding, its one-off costs "
        "and savings to date, the savings that stop, and the shares of the members who "
        "stay. For a share the agreement sets instead, use report exit --share on the "
        "command line.",
        small=True,
    )
# drawn only when asked for, so the page opens as fast without it
with st.expander("Draw up an exit statement", key="exit_box", on_change="rerun") as exit_box:
    if exit_box.open:
        with ui.friendly_errors():
            quarters = data.ask("quarters", data.scope_key(None, None, Filters()))
        by_code = dict(zip(partnerships["partnership_code"], partnerships["name"], strict=True))
        row = st.columns(3)
        leaving_from = row[0].selectbox(
            "Partnership",
            list(by_code),
            key="exit_partnership",
            format_func=lambda code: f"{by_code[code]} ({code})",
        )
        in_it = members[members["partnership_code"] == leaving_from]
        names = dict(zip(in_it["council"], in_it["council_name"], strict=False))
        leaver = row[1].selectbox(
            "Member leaving",
            sorted(names, key=lambda gss: names[gss]),
            key="exit_council",
            format_func=lambda gss: f"{names[gss]} ({gss})",
        )
        at = row[2].selectbox(
            "At the end of",
            [q.label for q in reversed(quarters)],
            key="exit_at",
            format_func=lambda label: label.replace("Q", " Q"),
        )
        if leaver and at:
            try:
                with ui.friendly_errors():
                    found = data.ask(
                        "exit_statement",
                        data.scope_key(None, None, Filters()),
                        leaving_from,
                        leaver,
                        at,
                    )
            except partner_exit.ExitError as error:
                st.info(str(error))
            else:
                st.write(f"Basis: {found.basis}.")
                figures = found.figures
                ui.short_table(
                    pd.DataFrame(
                        [
                            {
                                "item": partner_exit.ITEM_WORDS[item],
                                "amount": fmt.pounds(figures[item]),
                            }
                            for item in partner_exit.ITEMS
                            if item != "basis_share"
                        ]
                    ).rename(columns={"item": "Item", "amount": "Amount"}),
                    f"{found.council_name} leaving {found.partnership} at the end of "
                    f"{found.at.display}",
                )
                if found.remaining:
                    ui.short_table(
                        pd.DataFrame(
                            [
                                {
                                    "Member who stays": f"{r.council_name} ({r.council})",
                                    "Cost share now": f"{r.cost_share.normalize():f}",
                                    "Cost share after": f"{r.new_share.normalize():f}",
                                    "Shared costs taken on a year": fmt.pounds(r.takes_on_a_year),
                                }
                                for r in found.remaining
                            ]
                        ),
                        "The members who stay: their cost shares scaled to add up to 1 again",
                    )

with ui.friendly_errors():
    guard = data.ask("double_counting", data.scope_key(None, None, Filters()))
SHORT_LIST = 10
out = block.Block()
out.heading("Double counting")
out.text(
    "Two warnings for the board: a council's baseline for a service area claimed by live "
    "or implementing services of more than one partnership in the same year, and claimed "
    "savings for a service area above the council's baseline for it.",
    small=True,
)


def _listed(frame: pd.DataFrame, key: str, caption: str) -> None:
    """A few rows as a short table; a longer list said in a sentence, and drawn as a
    table only when asked for, so a programme with a thousand of them opens as fast."""
    if len(frame) <= SHORT_LIST:
        out.table(frame, caption)
        return
    out.text(caption)
    out.draw()
    with st.expander("The list", key=f"{key}-box", on_change="rerun") as box:
        if box.open:
            ui.table(frame, key=key)


out.subheading("Baselines claimed by more than one partnership")
if guard["overlaps"].empty:
    out.text("None: no council's baseline for a service area is claimed twice in a year.")
else:
    _listed(
        guard["overlaps"],
        "partnerships-overlaps",
        f"{len(guard['overlaps'])} council baselines claimed by services of more than one "
        "partnership in the same year; the baseline total counts the spend once per service.",
    )
out.subheading("Claimed savings above the baseline")
if guard["overclaims"].empty:
    out.text("None: no council claims more for a service area in a year than its baseline.")
else:
    _listed(
        guard["overclaims"],
        "partnerships-overclaims",
        f"{len(guard['overclaims'])} years in which a council's claimed savings for a service "
        "area exceed its baseline for the area.",
    )
out.draw()
