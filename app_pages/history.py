"""Submission history: every submission, who sent it and what it changed, with rollback
for those whose role allows it (a council's certifier, or an administrator)."""

import streamlit as st

from sharedsvc_app import auth, data, fmt, ui, upload
from sharedsvc_app.page_list import PAGES
from sharedsvc_core.realisation import Filters

person = auth.gate("history")
ui.header(
    PAGES["history"].heading,
    "Every file received, newest first: who sent it, when, and what each row replaced. "
    "Nothing is ever deleted; a rollback stops a submission's rows counting.",
)
upload.rollback_notice()
upload.history_panel(person)
with ui.friendly_errors():
    latest = data.ask("headline", data.scope_key(None, None, Filters()))["figures"]
if latest:
    st.caption(
        f"Programme figures now: evidenced {fmt.pounds(latest['evidenced'])} of a "
        f"{fmt.pounds(latest['target'])} target ({fmt.percent(latest['realisation_pct'])}"
        f", {fmt.rag(latest['rag'])})."
    )
