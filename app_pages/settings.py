"""Settings: the RAG thresholds, the largest file accepted and when returns are due, the
same for the dashboard and the command line. For administrators; each change is audited."""

import streamlit as st

from sharedsvc_app import auth, data, ui, upload
from sharedsvc_app.page_list import PAGES
from sharedsvc_core.access import Refused
from sharedsvc_core.realisation import Filters
from sharedsvc_core.settings import DEFAULTS, DESCRIPTIONS, WHOLE, change_settings

person = auth.gate("settings")
ui.header(
    PAGES["settings"].heading,
    "These apply to everyone, on every screen, in the board pack and on the command line.",
)
with ui.friendly_errors():
    current = data.ask("settings", data.scope_key(None, None, Filters()))
done = st.session_state.pop("settings_done", None)
if done:
    st.success(done)
with st.form("settings_form"):
    wanted = {
        name: st.number_input(
            DESCRIPTIONS[name],
            min_value=WHOLE[name][0],
            max_value=WHOLE[name][1],
            value=int(current[name]),
            step=1,
            key=f"setting_{name}",
            help=f"Default {DEFAULTS[name]:g}.",
        )
        if name in WHOLE
        else st.number_input(
            DESCRIPTIONS[name],
            min_value=0.1,
            max_value=1000.0,
            value=float(current[name]),
            step=1.0,
            key=f"setting_{name}",
            help=f"Default {DEFAULTS[name]:g}.",
        )
        for name in DEFAULTS
    }
    saved = st.form_submit_button("Save the settings", type="primary")
if saved:
    try:
        after = change_settings(data.store(), person, wanted)
    except (ValueError, Refused) as problem:
        st.error(f"Not saved: {problem}.")
    else:
        data.clear()
        st.session_state["settings_done"] = (
            "Saved." if after != current else "Nothing changed: the settings were already these."
        )
        st.rerun()

note, above_ceiling = upload.limit_note(float(current["max_file_mb"]))
(st.info if above_ceiling else st.caption)(note)
