"""Options appraisal: for each service, its delivery options scored against its
weighted criteria (the scoring matrix, with each option's weighted score and rank), each
option's strengths, weaknesses, opportunities and threats in words, and a warning when
the short list lacks the Green Book's do-nothing or do-minimum option."""

import html

import streamlit as st

from sharedsvc_app import auth, block, data, ui
from sharedsvc_app.page_list import PAGES
from sharedsvc_core import options, wording
from sharedsvc_core.realisation import Filters

auth.gate("options")
ui.header(
    PAGES["options"].heading,
    "The delivery options each service weighed at its outline business case: every "
    "option's score against each weighted criterion, its weighted score and rank, and its "
    "strengths, weaknesses, opportunities and threats.",
)
to, as_of = ui.period_controls()
with ui.friendly_errors():
    found = data.ask("options_appraisal", data.scope_key(None, as_of, Filters()))

st.caption(
    "Weighted score = Σ(weight × score) ÷ Σ weight over the service's criteria, scores "
    "from 0 to 10. Rank 1 is the highest; equal scores share a rank (1, 1, 3). An option "
    "not yet scored on every criterion that counts has no weighted score or rank. The "
    "period's quarter does not change an appraisal; its as-of moment does."
)
if not found:
    st.info(
        "No options have been appraised yet: an administrator loads an options file, then "
        "its criteria and scores (see the guide for finance officers)."
    )
    st.stop()


# a row's heading (an option's name) is ruled like the cells beside it
ROW_HEADING_STYLE = (
    "<style>.sharedsvc-short-table th[scope=row] {border-bottom-width: 1px;}</style>"
)


def _cell(text: str, tag: str = "td", scope: str = "", number: bool = False) -> str:
    attrs = f' scope="{scope}"' if scope else ""
    attrs += ' class="number"' if number else ""
    return f"<{tag}{attrs}>{html.escape(text)}</{tag}>"


def matrix(appraisal: options.Appraisal) -> str:
    """The scoring matrix as a plain HTML table: an option a row (its name a row
    heading), a criterion a column with its weight in the heading."""
    criteria = appraisal.criteria
    head = (
        _cell("Option", "th", "col")
        + _cell("Model", "th", "col")
        + _cell("Short list", "th", "col")
        + _cell("Chosen", "th", "col")
        + "".join(
            _cell(f"{c['criterion']} (weight {options.number_word(c['weight'])})", "th", "col")
            for c in criteria
        )
        + _cell("Weighted score", "th", "col")
        + _cell("Rank", "th", "col")
    )
    rows = []
    for option in appraisal.options:
        cells = (
            _cell(f"{option['name']} ({option['option_code']})", "th", "row")
            + _cell(options.model_word(option["model"]))
            + _cell(options.yes_no(option["shortlisted"]))
            + _cell(options.yes_no(option["chosen"]))
            + "".join(
                _cell(
                    "not scored"
                    if c["criterion"] not in option["scores"]
                    else options.number_word(option["scores"][c["criterion"]]),
                    number=c["criterion"] in option["scores"],
                )
                for c in criteria
            )
            + _cell(options.score_word(option["weighted_score"]), number=True)
            + _cell(options.rank_word(option["rank"]), number=True)
        )
        rows.append(f"<tr>{cells}</tr>")
    caption = (
        f"Scoring matrix of {appraisal.service_code}: each option's score from 0 to 10 "
        "against each criterion, highest weighted score first"
    )
    return (
        ui.scrolled(caption)
        + f'<table class="sharedsvc-short-table"><caption>{html.escape(caption)}</caption>'
        f"<thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table></div>"
    )


def swot(appraisal: options.Appraisal) -> str:
    """Each option's strengths, weaknesses, opportunities and threats, as a table."""
    head = _cell("Option", "th", "col") + "".join(
        _cell(word, "th", "col") for word in options.SWOT_WORD.values()
    )
    rows = "".join(
        "<tr>"
        + _cell(f"{o['name']} ({o['option_code']})", "th", "row")
        + "".join(_cell(o[k] or wording.MISSING) for k in options.SWOT)
        + "</tr>"
        for o in appraisal.options
    )
    caption = f"Strengths, weaknesses, opportunities and threats of {appraisal.service_code}"
    return (
        ui.scrolled(caption)
        + f'<table class="sharedsvc-short-table"><caption>{html.escape(caption)}</caption>'
        f"<thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table></div>"
    )


names = {a.service_code: f"{a.service_name or a.service_code} ({a.service_code})" for a in found}
# The choice of services is drawn only while its box is open; the sentence above it says
# what is chosen, and the choice stands while the box is closed and on other pages.
ui.restore("options_services")  # read before the box, for the sentence above it
chosen_services = [c for c in st.session_state.get("options_services") or [] if c in names]
with block.block() as out:
    out.text(ui.chosen_sentence(("service", [names[c] for c in chosen_services])))
with ui.controls_box("Choose services", "options_services_box") as box:
    if box:
        chosen_services = st.multiselect(
            "Services",
            list(names),
            **ui.kept("options_services"),
            format_func=lambda code: names[code],
            help="Leave empty to show every service with an appraisal",
        )
out = block.Block()
out.html(ROW_HEADING_STYLE)
for appraisal in found:
    if chosen_services and appraisal.service_code not in chosen_services:
        continue
    out.heading(names[appraisal.service_code])
    chosen = appraisal.chosen
    out.text(
        f"Stage: {wording.stage(appraisal.stage)}. "
        f"{len(appraisal.options)} options, "
        f"{appraisal.shortlisted} on the short list. "
        + (
            f"Preferred option: {chosen['name']} ({chosen['option_code']})."
            if chosen
            else "No option is chosen yet."
        )
    )
    for warning in appraisal.warnings:
        out.notice("warning", warning)
    out.subheading("Scoring matrix")
    if not appraisal.criteria:
        out.notice("info", "No criteria are loaded for this service yet, so no option is scored.")
    out.html(matrix(appraisal))
    out.subheading("Strengths, weaknesses, opportunities and threats")
    out.html(swot(appraisal))
out.draw()
