"""Submit a return: templates, a validation report before anything is written, and the
submission itself with a receipt. A submitter sends returns for their own councils; an
administrator sends any kind of file, for any council."""

from datetime import UTC, datetime

import pandas as pd
import streamlit as st

from sharedsvc_app import auth, block, data, ui, upload
from sharedsvc_app.page_list import PAGES
from sharedsvc_core import access, returns_calendar
from sharedsvc_core.access import Person
from sharedsvc_core.contract import KINDS
from sharedsvc_core.realisation import Filters

person = auth.gate("submit")
# before any uploader is drawn, so its drop zone never contradicts its label
ui.watch_dropzones()
ui.header(
    PAGES["submit"].heading,
    "Send a quarterly return as CSV or Excel. Nothing is written until the file passes "
    "every check and you press Submit."
    + (
        " As an administrator you may also send baselines, targets, the register and the survey."
        if person.is_administrator
        else ""
    ),
)
ORDER = (
    "returns",
    "baselines",
    "targets",
    "survey",
    "comments",
    "partnerships",
    "members",
    "services",
    "benefits",
    "measures",
    "options",
    "criteria",
    "scores",
    "funding",
)
with ui.friendly_errors():
    names = data.council_names()
kinds = access.loadable_kinds(person, ORDER)
if not person.is_administrator:
    # a submitter sees first what their councils still owe
    with ui.friendly_errors():
        owed = data.ask(
            "outstanding",
            data.scope_key(None, None, Filters(councils=tuple(person.councils))),
            datetime.now(UTC).date(),
        )
    if owed:
        overdue = sum(1 for r in owed if r["days_overdue"] > 0)
        st.subheader(f"Your returns outstanding ({len(owed)}, {overdue} overdue)")
        ui.short_table(
            pd.DataFrame(owed)[list(returns_calendar.SHOWN)].rename(
                columns={
                    "council_name": "Council",
                    "service_code": "Service",
                    "financial_year": "Year",
                    "quarter": "Quarter",
                    "due_date": "Due",
                    "days_overdue": "Days overdue",
                }
            ),
            caption="Returns expected to date and not yet received, most overdue first",
        )
    else:
        st.success("Your councils have sent every return expected to date.")
codes = list(names) if person.is_administrator else list(person.councils)


def council_words(gss: str | None) -> str:
    return f"{names.get(gss, gss)} ({gss})" if gss else "Any council (administrator)"


# What is sent, and for whom, said in a sentence; the lists to change them are drawn
# only in their box, and only where there is a choice: a page opens faster without
# them (docs/performance.md). What was chosen stands while the box is closed.
ui.restore("submit_kind", "submit_council")
state = st.session_state
for key, allowed in (("submit_kind", kinds), ("submit_council", codes)):
    if key in state and state[key] not in allowed and state[key] is not None:
        state.pop(key)
        state.pop("kept_" + key, None)
kind = KINDS[state.get("submit_kind", kinds[0])]
council: str | None = state.get("submit_council", None if person.is_administrator else codes[0])
choose_kind = len(kinds) > 1
choose_council = person.is_administrator or len(codes) > 1
with block.block() as out:
    article = "an" if kind.name[0] in "aeiou" else "a"
    whom = council_words(council) if council else "any council"
    out.text(f"You are sending {article} {kind.name} file, for {whom}.")
    out.text(f"{kind.name.capitalize()} file: {kind.summary}", small=True)
    if person.is_administrator and council is None:
        out.text(
            "Rows may name any council. Choose a council to have rows for any other "
            "council refused.",
            small=True,
        )
    if not auth.open_mode():
        out.text(f"The receipt will record it as sent by {person.email}.", small=True)
if choose_kind or choose_council:
    label = (
        "Change what you send, or the council"
        if choose_kind and choose_council
        else "Change the council"
        if choose_council
        else "Change what you send"
    )
    with ui.controls_box(label, "submit_box") as shown:
        if shown:
            left, right = st.columns(2)
            if choose_kind:
                left.selectbox(
                    "What are you sending?",
                    kinds,
                    **ui.kept("submit_kind"),
                    format_func=lambda name: f"{name.capitalize()}: {KINDS[name].summary}",
                )
            if choose_council:
                right.selectbox(
                    "Submitting for council",
                    codes,
                    index=None if person.is_administrator else 0,
                    **ui.kept("submit_council"),
                    placeholder="Any council (administrator)",
                    format_func=council_words,
                    help="Rows for any other council will be refused.",
                )

with block.block() as out:
    out.text("1. Start from the template", strong=True)
# drawn when asked for: after the first quarter a finance officer has the template, and
# the page opens faster without the buttons (docs/performance.md)
with st.expander(
    "The template, as CSV or as Excel with guidance", key="templates_box", on_change="rerun"
) as box:
    if box.open:
        templates = st.columns(2)
        templates[0].download_button(
            f"Download the {kind.name} template (CSV)",
            upload.template_csv(kind.name),
            file_name=f"{kind.name}-template.csv",
            mime="text/csv",
            key="template_csv",
        )
        templates[1].download_button(
            f"Download the {kind.name} template (Excel, with guidance)",
            upload.template_xlsx(kind.name),
            file_name=f"{kind.name}-template.xlsx",
            mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            key="template_xlsx",
        )

st.markdown("**2. Upload your file**")
uploaded = upload.file_uploader("submit_file")
if uploaded is not None:
    content = uploaded.getvalue()
    with ui.friendly_errors():
        report = upload.check(person, kind.name, content, uploaded.name, council)
    if report is not None:
        st.markdown("**3. Check the validation report**")
        upload.show_report(report)
        if upload.may_submit(report):
            st.markdown("**4. Submit**")
            sender: Person | None = person
            if auth.open_mode():
                # asked for here, where it is needed: the receipt names who sent the file.
                # Kept while a file with errors hides it, so it is typed once.
                ui.restore("submit_user")
                name = st.text_input(
                    "Your name or e-mail address",
                    **ui.kept("submit_user"),
                    help="Recorded on the receipt as the person who sent the file.",
                ).strip()
                sender = Person.administrator(name) if name else None
                if sender is None:
                    st.warning("Enter your name or e-mail address before submitting.")
            pressed = st.button(
                "Submit return", type="primary", key="submit_button", disabled=sender is None
            )
            if pressed and sender is not None:
                with ui.friendly_errors():
                    receipt = upload.submit(sender, kind.name, content, uploaded.name, council)
                if receipt is not None:
                    upload.show_receipt(receipt)
