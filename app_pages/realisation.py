"""Benefits realisation: service by service and council by council, for the board."""

import streamlit as st

from sharedsvc_app import auth, block, charts, data, fmt, pack, ui
from sharedsvc_app.page_list import PAGES
from sharedsvc_core import explore, realisation
from sharedsvc_core.explore import GERSHON_PCT_A_YEAR
from sharedsvc_core.realisation import Filters

person = auth.gate("realisation")
ui.header(
    PAGES["realisation"].heading,
    "Plan, actual and variance for each service and council, net of one-off costs.",
)
to, as_of = ui.period_controls()
with ui.friendly_errors():
    label = data.ask("names", data.scope_key(None, as_of, Filters()))
    everyone = data.figures(
        data.scope_key(to, as_of, Filters(certified_only=ui.certified_only())), "council"
    )
if everyone.empty:
    st.info("There is nothing to show yet: no return has been received.")
    st.stop()

# The filters are drawn only while their box is open; the sentence above it says what
# is chosen, and the choice stands while the box is closed and on other pages.
FILTER_KEYS = ("filter_find", "filter_partnership", "filter_service", "filter_council")
FILTER_KEYS += ("filter_stage", "filter_rag")
ui.restore(*FILTER_KEYS)  # read before the box, for the sentence above it
state = st.session_state
partnerships = list(state.get("filter_partnership") or [])
services = list(state.get("filter_service") or [])
councils = list(state.get("filter_council") or [])
stages = list(state.get("filter_stage") or [])
rags = list(state.get("filter_rag") or [])
with block.block() as out:
    out.heading("Filters")
    out.text(
        ui.chosen_sentence(
            ("partnership", [f"{label.partnerships.get(c, c)} ({c})" for c in partnerships]),
            ("service", [f"{label.services.get(c, c)} ({c})" for c in services]),
            ("council", [f"{label.councils.get(g, g)} ({g})" for g in councils]),
            ("stage", [fmt.STAGE_LABEL.get(s, s) for s in stages]),
            ("RAG rating", [fmt.rag(r) for r in rags]),
        )
    )
# Only what the search finds goes to the browser as options (a national programme has
# thousands of partnerships and services), with whatever is already chosen.
FIND = "Find a partnership or service"
with ui.controls_box("Change the filters", "filters_box") as box_open:
    if box_open:
        find = st.text_input(
            FIND,
            **ui.kept("filter_find"),
            placeholder="Part of a name or code",
            help="Narrows the Partnership and Service lists, and the drill-down's "
            "partnerships, to those whose name or code holds every word typed.",
        )
        row = st.columns(5)
        found_p, more_p = explore.matching(label.partnerships, find)
        partnerships = row[0].multiselect(
            "Partnership",
            [
                *found_p,
                *(c for c in partnerships if c in label.partnerships and c not in found_p),
            ],
            **ui.kept("filter_partnership"),
            format_func=lambda code: f"{label.partnerships[code]} ({code})",
        )
        in_partnerships = {
            code: label.services[code]
            for code, p in label.service_partnership.items()
            if not partnerships or p in partnerships
        }
        found_s, more_s = explore.matching(in_partnerships, find)
        services = row[1].multiselect(
            "Service",
            [*found_s, *(c for c in services if c in in_partnerships and c not in found_s)],
            **ui.kept("filter_service"),
            format_func=lambda code: f"{label.services[code]} ({code})",
        )
        said = fmt.found_note(
            FIND, find, (len(found_p), more_p, "partnership"), (len(found_s), more_s, "service")
        )
        if said:
            st.caption(said)
        stages = row[3].multiselect(
            "Stage",
            list(fmt.STAGE_LABEL),
            **ui.kept("filter_stage"),
            format_func=fmt.STAGE_LABEL.get,
        )
        rags = row[4].multiselect(
            "RAG",
            list(fmt.RAG_LABEL)[:4],
            **ui.kept("filter_rag"),
            format_func=fmt.rag,
        )
        councils = row[2].multiselect(
            "Council",
            list(everyone["key"]),
            **ui.kept("filter_council"),
            format_func=lambda gss: f"{label.councils.get(gss, gss)} ({gss})",
        )
find = str(state.get("filter_find") or "")
filters = Filters(
    tuple(partnerships),
    tuple(services),
    tuple(councils),
    tuple(stages),
    certified_only=ui.certified_only(),
)
key = data.scope_key(to, as_of, filters)

with ui.friendly_errors():
    headline = data.ask("headline", key)
    figures = headline["figures"]
    st.markdown(ui.period_caption(headline, as_of))
    if figures is None:
        st.info("No figures match these filters.")
        st.stop()

if filters.certified_only:
    certified_note = "Certified returns only"
else:
    certified = headline["certified"]
    certified_note = (
        f"{fmt.pounds_short(figures['evidenced'])} evidenced, "
        f"{fmt.pounds_short(certified['evidenced'] if certified else 0)} certified"
    )
with block.block() as out:
    out.tiles(
        [
            block.Tile("Target to date", fmt.pounds_short(figures["target"])),
            block.Tile("Evidenced", fmt.pounds_short(figures["evidenced"]), note=certified_note),
            block.Tile("Claimed", fmt.pounds_short(figures["claimed"])),
            block.Tile("Net of one-off costs", fmt.pounds_short(figures["net"])),
            block.Tile("Realisation", fmt.percent(figures["realisation_pct"])),
            block.Tile("RAG status", fmt.rag(figures["rag"])),
        ]
    )


# Each tab asks for its own figures, and only the chosen tab's are sent to the browser.
TABS = (
    "Register",
    "Variance",
    "Baseline and actual",
    "Claimed and evidenced",
    "Whole-service shares",
    "NPV and payback",
    "Efficiency",
    "Drill down to the submissions",
)
tabs = dict(zip(TABS, st.tabs(TABS, key="realisation-tab", on_change="rerun"), strict=True))


def by(grouping: str):
    """The figures for this grouping, narrowed by the RAG filter."""
    with ui.friendly_errors():
        frame = data.figures(key, grouping)
    return frame[frame["rag"].isin(rags)] if rags else frame


with tabs["Register"]:
    if tabs["Register"].open:
        register = by("service_council")
        ui.listing(
            register[["service", "council_name", "stage", *realisation.COLUMNS[1:]]].assign(
                rag=register["rag"].map(fmt.rag), stage=register["stage"].map(fmt.stage)
            ),
            key="realisation-register",
            caption="Every service at every council, with every figure to date.",
        )

with tabs["Variance"]:
    if tabs["Variance"].open:
        st.caption("Evidenced saving minus target, by service.")
        by_service = by("service")
        shown, note = explore.for_chart(by_service, "variance", absolute=True)
        behind = by_service[by_service["variance"] < 0].sort_values("variance")
        ui.chart_with_table(
            charts.Chart("variance", shown, "name"),
            by_service[["name", "target", "evidenced", "variance", "realisation_pct"]],
            key="realisation-variance",
            title="variance against target by service",
            summary=f"{len(by_service) - len(behind)} services at or ahead of target, "
            f"{len(behind)} behind. Furthest behind: "
            f"{fmt.first_few(behind, 'variance', fmt.pounds)}.",
            note=note,
        )

with tabs["Baseline and actual"]:
    if tabs["Baseline and actual"].open:
        st.caption("Baseline against actual cost, by service and council.")
        with ui.friendly_errors():
            baseline = data.ask("baseline_vs_actual", key)
        if baseline.empty:
            st.info("No returns in this selection.")
        else:
            shown, note = explore.for_chart(baseline, "baseline", lowest=False)
            ui.chart_with_table(
                charts.Chart(
                    "paired_bars",
                    shown.assign(label=shown["service"] + " – " + shown["council_name"]),
                    "label",
                    ("baseline", "actual"),
                    ("Baseline", "Actual"),
                    "Baseline and actual cost over the quarters returned",
                ),
                baseline[
                    ["service", "council_name", "quarters", "baseline", "actual", "evidenced"]
                ],
                key="realisation-baseline",
                title="baseline and actual cost by service and council",
                summary="For each service and council, the baseline cost of the quarters with "
                "a return beside what those quarters actually cost.",
                note=note,
            )

with tabs["Claimed and evidenced"]:
    if tabs["Claimed and evidenced"].open:
        st.caption("Claimed against evidenced savings, by service.")
        by_service = by("service")
        shown, note = explore.for_chart(by_service, "claims_gap", lowest=False)
        over = by_service[by_service["claims_gap"] > 0].sort_values("claims_gap", ascending=False)
        ui.chart_with_table(
            charts.Chart(
                "paired_bars",
                shown,
                "name",
                ("evidenced", "claimed"),
                ("Evidenced", "Claimed"),
                "Claimed and evidenced savings by service",
            ),
            by_service[["name", "evidenced", "claimed", "claims_gap"]],
            key="realisation-claims",
            title="claimed and evidenced savings by service",
            summary=f"{len(over)} services claim more than the evidence shows. Largest gaps: "
            f"{fmt.first_few(over, 'claims_gap', fmt.pounds)}.",
            note=note,
        )

with tabs["Whole-service shares"]:
    if tabs["Whole-service shares"].open:
        with ui.friendly_errors():
            shares = data.ask("whole_service_shares", key)
        if shares.empty:
            st.caption("No whole-service returns in this selection.")
        else:
            st.caption(
                "When the lead council returns the cost of the whole shared service, each "
                "member's actual cost is its cost share of that return."
            )
            ui.table(
                shares[
                    [
                        "service_code",
                        "quarter",
                        "lead",
                        "whole_actual",
                        "council_name",
                        "cost_share",
                        "share_actual",
                    ]
                ],
                key="realisation-shares",
                share_actual=st.column_config.NumberColumn("Council's share", format="£%,.2f"),
            )

with tabs["NPV and payback"]:
    if tabs["NPV and payback"].open:
        by_service = by("service")
        st.caption(
            "NPV discounts each year's net saving at 3.5% a year (HM Treasury Green Book). "
            "Payback is the quarter in which cumulative net saving recovered from one-off costs."
        )
        ui.table(by_service[["name", "one_off", "net", "npv", "payback"]], key="realisation-npv")

with tabs["Efficiency"]:
    if tabs["Efficiency"].open:
        by_service = by("service")
        shown, note = explore.for_chart(by_service, "efficiency_pct", lowest=True)
        ui.chart_with_table(
            charts.Chart("efficiency", shown, "name", GERSHON_PCT_A_YEAR),
            by_service[["name", "efficiency_pct"]],
            key="realisation-efficiency",
            title="efficiency by service against the Gershon reference",
            summary=f"Evidenced saving as a percentage of baseline cost, beside the Gershon "
            f"efficiency reference of {GERSHON_PCT_A_YEAR:g}% a year.",
            note=note,
        )

with tabs["Drill down to the submissions"]:
    if tabs["Drill down to the submissions"].open:
        register = by("service_council")
        with ui.friendly_errors():
            by_partnership = data.figures(key, "partnership")
        st.caption(
            "Choose a partnership, then a service and a council, to see the figures and the "
            "submissions they came from."
        )
        drill = st.columns(3)
        in_figures = {c: label.partnerships.get(c, c) for c in by_partnership["key"]}
        found_d, more_d = explore.matching(in_figures, find)
        current = st.session_state.get("drill_partnership")
        pick_p = drill[0].selectbox(
            "Partnership",
            [*found_d, *([current] if current in in_figures and current not in found_d else [])],
            index=None,
            key="drill_partnership",
            placeholder="Choose a partnership",
            format_func=lambda c: label.partnerships.get(c, c),
        )
        if more_d:
            drill[0].caption(fmt.found_note(FIND, find, (len(found_d), more_d, "partnership")))
        pick_s = pick_c = None
        if pick_p:
            pick_s = drill[1].selectbox(
                "Service",
                sorted(c for c, p in label.service_partnership.items() if p == pick_p),
                index=None,
                key="drill_service",
                placeholder="All services",
                format_func=lambda c: label.services.get(c, c),
            )
            in_scope = register[register["partnership_code"] == pick_p]
            if pick_s:
                in_scope = in_scope[in_scope["service_code"] == pick_s]
            pick_c = drill[2].selectbox(
                "Council",
                sorted(set(in_scope["council"])),
                index=None,
                key="drill_council",
                placeholder="All councils",
                format_func=lambda c: label.council(c),
            )
            # the drill-down narrows the filters above; it never widens them
            drill_filters = Filters(
                (pick_p,),
                (pick_s,) if pick_s else filters.services,
                (pick_c,) if pick_c else filters.councils,
                filters.stages,
                filters.certified_only,
            )
            drill_key = data.scope_key(to, as_of, drill_filters)
            with ui.friendly_errors():
                chosen = data.ask("headline", drill_key)["figures"]
                behind = data.ask("submissions_behind", drill_key)
            if chosen:
                st.markdown(
                    f"**Target** {fmt.pounds(chosen['target'])} · **evidenced** "
                    f"{fmt.pounds(chosen['evidenced'])} · **claimed** "
                    f"{fmt.pounds(chosen['claimed'])} · "
                    f"**realisation** {fmt.percent(chosen['realisation_pct'])} · **RAG** "
                    f"{fmt.rag(chosen['rag'])}"
                )
            st.dataframe(
                behind,
                hide_index=True,
                width="stretch",
                key="drill_submissions",
                column_config={
                    "id": "Submission",
                    "kind": "Kind",
                    "file_name": "File",
                    "rows": "Rows",
                    "received_at": st.column_config.DatetimeColumn(
                        "Received (UTC)", format="DD/MM/YYYY HH:mm"
                    ),
                    "received_by": "By",
                    "council": "For council",
                    "status": "Status",
                },
            )

pack.buttons(person, to, as_of, "realisation")
