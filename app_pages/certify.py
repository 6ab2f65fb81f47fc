"""Certify returns: the submissions awaiting this certifier, each with what it changes,
and Certify or Return, each confirmed before it is done (CONTRACT.md section 7)."""

import pandas as pd
import streamlit as st

from sharedsvc_app import auth, data, ui, upload
from sharedsvc_app.page_list import PAGES
from sharedsvc_core import certification
from sharedsvc_core.access import Refused
from sharedsvc_core.certification import DECLARATION, CertificationError
from sharedsvc_core.realisation import Filters

person = auth.gate("certify")
ui.header(
    PAGES["certify"].heading,
    "Returns your councils have sent, waiting for a finance lead to vouch for them. "
    "Certify a return you have checked, or return it to its submitter with a reason: "
    "a returned submission's rows stop counting until a corrected file is sent.",
)
done = st.session_state.pop("certify_done", None)
if done:
    st.success(done)
scope = data.scope_key(None, None, Filters())
with ui.friendly_errors():
    queue = data.ask("certification_queue", scope, person)
    names = data.council_names()
yours = [row for row in queue if row["sent_by_you"]]
waiting = [row for row in queue if not row["sent_by_you"]]


def _title(row: dict) -> str:
    councils = ", ".join(f"{names.get(c, c)} ({c})" for c in row["councils"]) or "no council"
    return (
        f"Submission {row['id']}: {row['file_name']}, for {councils}, sent by "
        f"{row['received_by']} on {row['received_at']:%d/%m/%Y at %H:%M} UTC"
        + (" (since replaced by a later return)" if row["status"] == "superseded" else "")
    )


def _act(submission: int, decide: str, reason: str = "") -> None:
    try:
        if decide == "certify":
            made = certification.certify(data.store(), submission, person)
        else:
            made = certification.send_back(data.store(), submission, person, reason)
    except (CertificationError, Refused) as problem:
        st.error(f"Nothing was changed: {problem}.")
        data.clear()
        return
    data.clear()
    st.session_state["certify_done"] = (
        f"Submission {submission} is certified, as {made.by}."
        if made.decision == "certified"
        else f"Submission {submission} was returned to {_sender(submission)} with your reason; "
        "its rows no longer count."
    )
    st.rerun()


def _sender(submission: int) -> str:
    return next((r["received_by"] for r in queue if r["id"] == submission), "its submitter")


if not waiting:
    st.info("Nothing is awaiting your certification.")
else:
    st.header(f"Awaiting your certification ({len(waiting)})")
    chosen = st.selectbox(
        "Choose a submission to check",
        [row["id"] for row in waiting],
        format_func=lambda i: _title(next(r for r in waiting if r["id"] == i)),
        key="certify_pick",
    )
    row = next(r for r in waiting if r["id"] == chosen)
    st.subheader(f"What submission {chosen} changes")
    with ui.friendly_errors():
        upload.changes_table(int(chosen))
    left, right = st.columns(2)
    with left.form(f"certify_form_{chosen}"):
        st.markdown("**Certify it**")
        agreed = st.checkbox(DECLARATION, key=f"certify_declare_{chosen}")
        if st.form_submit_button("Certify", type="primary"):
            if agreed:
                _act(int(chosen), "certify")
            else:
                st.error("Tick the declaration to certify this return, or return it instead.")
    with right.form(f"return_form_{chosen}"):
        st.markdown("**Return it to the submitter**")
        reason = st.text_area(
            "Reason for returning it",
            key=f"return_reason_{chosen}",
            help="The submitter sees this on the Submission history page.",
            max_chars=certification.MAX_REASON,
        )
        sure = st.checkbox(
            "I understand its rows will stop counting until a corrected return is sent",
            key=f"return_sure_{chosen}",
        )
        if st.form_submit_button("Return"):
            if not reason.strip():
                st.error("Give a reason, so that the submitter knows what to correct.")
            elif not sure:
                st.error("Tick the box to confirm that its rows will stop counting.")
            else:
                _act(int(chosen), "return", reason)

if yours:
    st.header(f"Sent by you ({len(yours)})")
    st.caption(
        "Nobody certifies a return they sent: another certifier for the council, or an "
        "administrator, must certify these."
    )
    ui.short_table(
        pd.DataFrame([{"submission": _title(r)} for r in yours]),
        caption="Your own submissions awaiting another certifier",
    )
