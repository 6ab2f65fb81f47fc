"""The audit log: every sign-in, submission, rollback, role change, settings change and
board-pack export, newest first. For administrators; nothing here can change it."""

from datetime import UTC, datetime, time

import streamlit as st

from sharedsvc_app import auth, data, fmt, ui
from sharedsvc_app.page_list import PAGES
from sharedsvc_core import audit
from sharedsvc_core.realisation import Filters

auth.gate("audit")
ui.header(
    PAGES["audit"].heading,
    "When, who and what, for every change and every sign-in. Entries are only ever added.",
)
scope = data.scope_key(None, None, Filters())
with ui.friendly_errors():
    everyone = data.ask_now("audit_users", scope)
row = st.columns(3)
since_day = row[0].date_input("From", value=None, key="audit_since", format="DD/MM/YYYY")
users = row[1].multiselect("Who", everyone, key="audit_who", placeholder="Anyone")
actions = row[2].multiselect(
    "What",
    list(audit.ACTIONS),
    key="audit_what",
    format_func=fmt.action,
    placeholder="Anything",
)
since = (
    datetime.combine(since_day, time(0, 0), tzinfo=UTC).replace(tzinfo=None) if since_day else None
)
with ui.friendly_errors():
    log = data.ask_now("audit_log", scope, since, tuple(users), tuple(actions))
if log.empty:
    st.info("No entries match.")
else:
    st.caption(f"{len(log):,} entries, newest first.")
    ui.table(
        log.assign(action=log["action"].map(fmt.action)),
        key="audit_table",
        at=st.column_config.DatetimeColumn("When (UTC)", format="DD/MM/YYYY HH:mm:ss"),
        user="Who",
        action="What",
        detail=st.column_config.TextColumn("Detail", width="large"),
    )
with st.expander("What each kind of entry means"):
    st.markdown("\n".join(f"- **{fmt.action(a)}**: {m}." for a, m in audit.ACTIONS.items()))
