"""Benefits register: every benefit, cash and otherwise, with its owners, its progress
against a straight line to its target, and what has changed since the business case."""

import pandas as pd
import streamlit as st

from sharedsvc_app import auth, block, charts, data, fmt, ui
from sharedsvc_app.page_list import PAGES
from sharedsvc_core import benefits, wording
from sharedsvc_core.realisation import Filters

auth.gate("benefits")
ui.header(
    PAGES["benefits"].heading,
    "Cash-releasing, non-cash and quality benefits and the dis-benefits that come with "
    "them: each one's owners, its latest measure, and its progress against a straight "
    "line from its baseline to its target.",
)
to, as_of = ui.period_controls()
key = data.scope_key(to, as_of, Filters())
with ui.friendly_errors():
    register = data.ask("benefits", key)
    points = data.ask("benefit_values", key)
    changed = data.ask("changes", key)

st.caption(
    "Each benefit's latest value is its last quarter measured up to the period chosen. "
    "The certified-returns switch applies to savings figures only."
)
if not register:
    st.info(
        "The benefits register is empty: an administrator loads a benefits file, then "
        "each quarter's measures (see the guide for finance officers)."
    )
    st.stop()

counts = benefits.status_counts(register)
with block.block() as out:
    out.tiles(
        [
            block.Tile(wording.benefit_status_with_icon(code), f"{counts[code]:,}")
            for code in benefits.STATUSES
        ]
    )

# The filters are drawn only while their box is open; the sentence above it says what
# is chosen, and the choice stands while the box is closed and on other pages.
FILTER_KEYS = ("benefit_class", "benefit_owner", "benefit_status")
ui.restore(*FILTER_KEYS)  # read before the box, for the sentence above it
classes = list(st.session_state.get("benefit_class") or [])
chosen_owners = list(st.session_state.get("benefit_owner") or [])
statuses = list(st.session_state.get("benefit_status") or [])
with block.block() as out:
    out.heading("Filters")
    out.text(
        ui.chosen_sentence(
            ("class", [wording.benefit_class(c) for c in classes]),
            ("owner", chosen_owners),
            ("status", [wording.benefit_status_with_icon(s) for s in statuses]),
        )
    )
with ui.controls_box("Change the filters", "benefit_filters_box") as box_open:
    if box_open:
        row = st.columns(3)
        classes = row[0].multiselect(
            "Class",
            list(benefits.CLASSES),
            **ui.kept("benefit_class"),
            format_func=wording.benefit_class,
        )
        owners = sorted(
            {b[o] for b in register for o in ("senior_owner", "operational_owner") if b[o]}
        )
        chosen_owners = row[1].multiselect(
            "Owner", owners, **ui.kept("benefit_owner"), help="Senior or operational owner"
        )
        statuses = row[2].multiselect(
            "Status",
            list(benefits.STATUSES),
            **ui.kept("benefit_status"),
            format_func=wording.benefit_status_with_icon,
        )
shown = [
    b
    for b in benefits.beside(register)
    if (not classes or b["class"] in classes)
    and (not statuses or b["status"] in statuses)
    and (
        not chosen_owners
        or b["senior_owner"] in chosen_owners
        or b["operational_owner"] in chosen_owners
    )
]

NONE_MATCH = "No benefit matches these filters."


def draw_register() -> None:
    """The register, service by service."""
    if not shown:
        st.info(NONE_MATCH)
        return
    names = {b["benefit_code"]: b["name"] for b in register}
    rows = [
        {
            "service": f"{w['service_name'] or w['service_code']} ({w['service_code']})",
            "benefit": w["benefit"],
            "class": w["class_word"],
            "status": wording.benefit_status_with_icon(w["status"]),
            "progress_pct": None if w["progress_pct"] is None else float(w["progress_pct"]),
            "expected_pct": None if w["expected_pct"] is None else float(w["expected_pct"]),
            "latest": w["latest"],
            "latest_period": w["latest_period"] or fmt.MISSING,
            "target": w["target"],
            "senior_owner": fmt.text(w["senior_owner"]),
            "operational_owner": fmt.text(w["operational_owner"]),
            "comes_with": "; ".join(f"{names.get(c, c)} ({c})" for c in w["depends_on"])
            or fmt.MISSING,
        }
        for w in map(benefits.in_words, shown)
    ]
    ui.listing(
        pd.DataFrame(rows),
        key="benefits-register",
        caption="Service by service, each dis-benefit is listed after the benefit it comes "
        "with. Progress is how far the measure has moved from its baseline toward its "
        "target; expected is how far a straight line would have it by the end of the "
        "latest quarter measured.",
        service="Service",
        benefit="Benefit",
        status="Status",
        progress_pct=st.column_config.NumberColumn("Progress %", format="%.1f%%"),
        expected_pct=st.column_config.NumberColumn("Expected %", format="%.1f%%"),
        latest="Latest value",
        latest_period="Latest quarter",
        target="Target",
        senior_owner="Senior owner",
        operational_owner="Operational owner",
        comes_with="Depends on",
        **{"class": "Class"},
    )


def draw_profile() -> None:
    """One benefit, chosen, measured against the straight line to its target."""
    if not shown:
        st.info(NONE_MATCH)
        return
    by_code = {b["benefit_code"]: b for b in shown}
    ui.restore("benefit_profile")  # kept while another tab is open
    code = st.selectbox(
        "Benefit",
        list(by_code),
        key="benefit_profile",
        format_func=lambda c: f"{by_code[c]['name']} ({c})",
        on_change=ui.keep,
        args=("benefit_profile",),
    )
    benefit = by_code[code]
    trail = benefits.profile(benefit, points.get(code, []))
    frame = pd.DataFrame(trail)
    unit = benefit["unit"]
    if benefit["latest_value"] is None:
        progress = "No value has been measured yet."
    else:
        progress = (
            f"Latest {wording.with_unit(benefit['latest_value'], unit)} in "
            f"{benefit['latest_period']}: {fmt.percent(benefit['progress_pct'])} of the way, "
            f"where {fmt.percent(benefit['expected_pct'])} was expected."
        )
    summary = (
        f"{benefit['name']}: {wording.direction(benefit['direction']).lower()}, from "
        f"{wording.with_unit(benefit['baseline_value'], unit)} on "
        f"{benefit['baseline_date']:%d/%m/%Y} to "
        f"{wording.with_unit(benefit['target_value'], unit)} by "
        f"{benefit['target_date']:%d/%m/%Y}. {progress} Status: "
        f"{wording.benefit_status(benefit['status'])}."
    )
    table = pd.DataFrame(
        {
            "point": frame["label"],
            "date": frame["when"],
            "planned": [wording.measured(v) for v in frame["planned"]],
            "measured": [wording.measured(v) for v in frame["measured"]],
        }
    )
    ui.chart_with_table(
        charts.Chart(
            "benefit_profile",
            frame.assign(
                planned=frame["planned"].astype(float),
                measured=pd.to_numeric(frame["measured"], errors="coerce"),
            ),
            f"{benefit['name']}: measured against the straight line to its target",
            unit,
        ),
        table,
        key="benefit-profile",
        title=f"{benefit['name']} against its target",
        summary=summary,
        note="",
    )
    if benefit["description"]:
        st.caption(benefit["description"])


def draw_changes() -> None:
    """Each approved figure changed since it was first loaded."""
    if not changed:
        st.caption("No baseline or target has changed since it was first loaded.")
        return
    st.caption(
        "Each baseline and target changed since it was first loaded: the original (the "
        "one first approved) beside the current one, and who made the latest change, "
        "when and why."
    )
    rows = [
        {
            "what": w["what"],
            "field": w["field_word"],
            "original": w["original_word"],
            "current": w["current_word"],
            "changes": w["changes"],
            "changed_by": w["changed_by"],
            "changed_at": w["changed_at"],
            "reason": w["reason_word"],
        }
        for w in map(benefits.change_in_words, changed)
    ]
    ui.table(
        pd.DataFrame(rows),
        key="benefits-changes",
        what="Baseline or target",
        field="What changed",
        original="Original",
        current="Current",
        changes="Changes",
        changed_by="Latest change by",
        changed_at=st.column_config.DatetimeColumn("When (UTC)", format="DD/MM/YYYY HH:mm"),
        reason="Reason",
    )


# Each tab draws its own part, and only the chosen tab's is sent to the browser.
TABS = {
    "The register": draw_register,
    "A benefit's profile": draw_profile,
    "Changes since the business case": draw_changes,
}
for draw, tab in zip(
    TABS.values(), st.tabs(list(TABS), key="benefits-tab", on_change="rerun"), strict=True
):
    with tab:
        if tab.open:
            draw()
