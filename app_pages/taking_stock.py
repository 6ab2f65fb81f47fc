"""Taking Stock: what staff, managers, chief officers, unions and members say, by group,
statement and wave, beside the savings."""

import streamlit as st

from sharedsvc_app import auth, block, charts, data, fmt, ui
from sharedsvc_app.page_list import PAGES
from sharedsvc_core import explore
from sharedsvc_core.contract import GROUPS, THEMES
from sharedsvc_core.realisation import Filters

auth.gate("taking_stock")
ui.header(
    PAGES["taking_stock"].heading,
    "The annual survey of everyone involved in sharing services: how far each group "
    "agrees with each statement, how that has changed, and what they said.",
)
base = data.scope_key(None, None, Filters())
with ui.friendly_errors():
    waves = data.ask("survey_waves", base)
    label = data.ask("names", base)
if not waves:
    st.info("No Taking Stock survey has been loaded yet.")
    st.stop()

# The filters are drawn only while their box is open; the sentence above it says what
# is chosen, and the choice stands while the box is closed and on other pages.
FILTER_KEYS = ("survey_wave", "survey_group", "survey_service")
ui.restore(*FILTER_KEYS)  # read before the box, for the sentence above it
state = st.session_state
if state.get("survey_wave") not in waves:  # a wave no longer loaded: the latest
    state.pop("survey_wave", None)
    state.pop("kept_survey_wave", None)
wave = state.get("survey_wave", waves[-1])
groups = tuple(state.get("survey_group") or ())
services = tuple(state.get("survey_service") or ())


def _service(code: str) -> str:
    if code == "":
        return "The programme as a whole"
    return f"{label.services.get(code, code)} ({code})"


with block.block() as out:
    out.heading("Filters")
    out.text(
        f"The {wave} wave. "
        + ui.chosen_sentence(
            ("stakeholder group", [fmt.group(g) for g in groups]),
            ("service", [_service(c) for c in services]),
        )
    )
with ui.controls_box("Change the filters", "survey_filters_box") as box_open:
    if box_open:
        row = st.columns(3)
        wave = row[0].selectbox(
            "Wave",
            list(reversed(waves)),
            **ui.kept("survey_wave"),
            help="The year of the survey. The change is shown against the wave before it.",
        )
        groups = tuple(
            row[1].multiselect(
                "Stakeholder group",
                list(GROUPS),
                **ui.kept("survey_group"),
                format_func=fmt.group,
            )
        )
        services = tuple(
            row[2].multiselect(
                "Service",
                [""] + sorted(label.services),
                **ui.kept("survey_service"),
                format_func=_service,
                help="Leave empty for every answer, added across services.",
            )
        )

with ui.friendly_errors():
    answers = data.ask("survey", base, wave, groups, services)
    by_group = data.ask("survey_groups", base, wave, groups, services)
if answers.empty:
    st.info("No answers match these filters.")
    st.stop()
answers = answers.assign(group_label=answers["group"].map(fmt.group))

small = by_group[by_group["small"]]
with block.block() as out:
    out.heading(f"Net agreement by group, {wave}")
    out.text(
        "Net agreement is % agree minus % disagree, from -100 to +100. Beneath each figure: "
        "the change since the previous wave, and how many people answered.",
        small=True,
    )
    out.tiles(
        [
            block.Tile(
                fmt.group(record["group"]),
                fmt.signed(record["net_agreement"]),
                ""
                if fmt.missing(record["change"])
                else f"{fmt.signed(record['change'])} since {record['previous_wave']}",
                f"{record['respondents']} people answered",
            )
            for record in by_group.to_dict("records")
        ]
    )
    if not small.empty:
        out.notice(
            "warning",
            "Fewer than 10 people answered in: "
            + ", ".join(
                f"{fmt.group(g)} ({n})"
                for g, n in zip(small["group"], small["respondents"], strict=True)
            )
            + ". Read their figures with caution: one person moves them a long way.",
        )

# Each tab asks for its own figures, and only the chosen tab's are sent to the browser.
TABS = (
    "Groups against statements",
    "Each statement",
    "Response counts",
    "Survey beside benefits",
    "Comments",
)
tabs = dict(zip(TABS, st.tabs(TABS, key="survey-tab", on_change="rerun"), strict=True))

with tabs["Groups against statements"]:
    if tabs["Groups against statements"].open:
        grid = explore.survey_grid(answers, "net_agreement")
        ui.chart_with_table(
            charts.Chart("heatmap", grid, f"Net agreement, {wave}"),
            grid.reset_index(),
            key="survey-heatmap",
            title=f"net agreement of each group with each statement, {wave}",
            summary="Each cell is a group's net agreement with a statement; purple is agreement, "
            "orange disagreement, and the figure is written in the cell.",
        )

with tabs["Each statement"]:
    if tabs["Each statement"].open:
        st.caption(
            "Each group's answers to each statement, from strongly disagree to strongly agree."
        )
        for index, statement in enumerate(sorted(answers["statement"].unique())):
            part = answers[answers["statement"] == statement]
            ui.chart_with_table(
                charts.Chart("diverging", part, statement),
                part[
                    [
                        "group_label",
                        "responses",
                        "share_strongly_disagree",
                        "share_disagree",
                        "share_neutral",
                        "share_agree",
                        "share_strongly_agree",
                        "net_agreement",
                        "mean_score",
                    ]
                ],
                key=f"survey-diverging-{index}",
                title=f"each group's answers to “{statement}”",
                summary="; ".join(
                    f"{fmt.group(g)}: {fmt.percent(a, 0)} agree, {fmt.percent(d, 0)} disagree"
                    for g, a, d in zip(
                        part["group"], part["pct_agree"], part["pct_disagree"], strict=True
                    )
                )
                + ".",
            )

with tabs["Response counts"]:
    if tabs["Response counts"].open:
        st.caption("How many people in each group answered each statement.")
        counts = explore.survey_grid(answers, "responses").reset_index()
        ui.table(counts, key="survey-counts", group_label="Group")

with tabs["Survey beside benefits"]:
    if tabs["Survey beside benefits"].open:
        st.caption(
            "For each service the survey asked about: its savings RAG to date beside each "
            "group's net agreement."
        )
        with ui.friendly_errors():
            beside = data.ask("survey_beside_benefits", base, wave)
        if beside.empty:
            st.caption("No statements in this wave were about a particular service.")
        else:
            group_columns = [c for c in beside.columns if c in GROUPS]
            lines = beside.assign(rag=beside["rag"].map(fmt.rag))
            lines["summary"] = [
                f"savings {rag}; "
                + ", ".join(
                    f"{fmt.group(g).lower()} net agreement {fmt.signed(r[g])}"
                    for g in group_columns
                    if r[g] == r[g]
                )
                for rag, (_, r) in zip(lines["rag"], beside.iterrows(), strict=True)
            ]
            ui.table(
                lines[["service", "rag", "realisation_pct", "summary", *group_columns]],
                key="survey-beside",
                summary="In one line",
                **{
                    g: st.column_config.NumberColumn(fmt.group(g), format="%+.1f")
                    for g in group_columns
                },
            )

with tabs["Comments"]:
    if tabs["Comments"].open:
        with ui.friendly_errors():
            theme_counts = data.ask("comment_counts", base)
        if not theme_counts.empty:
            st.caption("Comments per theme and wave:")
            ui.table(theme_counts, key="comment-counts", theme="Theme")
        # what was chosen here is kept while another tab is open
        ui.restore("comment_theme", "comment_search", "comment_all_waves")
        row = st.columns(3)
        themes = tuple(
            row[0].multiselect(
                "Theme",
                list(THEMES),
                key="comment_theme",
                on_change=ui.keep,
                args=("comment_theme",),
            )
        )
        search = row[1].text_input(
            "Search the comments",
            key="comment_search",
            placeholder="a word or phrase",
            on_change=ui.keep,
            args=("comment_search",),
        )
        all_waves = row[2].toggle(
            "Every wave", key="comment_all_waves", on_change=ui.keep, args=("comment_all_waves",)
        )
        with ui.friendly_errors():
            comments = data.ask(
                "survey_comments",
                base,
                None if all_waves else wave,
                groups,
                themes,
                services,
                search or None,
            )
        st.caption(f"{len(comments)} comments.")
        ui.table(
            comments.assign(group=comments["group"].map(fmt.group)),
            key="comments",
            wave="Wave",
            group="Group",
            theme="Theme",
            service_code="Service",
            comment=st.column_config.TextColumn("Comment", width="large"),
        )
