"""About: what every figure means, where the data comes from, and the demo label."""

from pathlib import Path

import streamlit as st

from sharedsvc_app import auth, ui
from sharedsvc_app.page_list import PAGES

auth.gate("about")
ui.header(
    PAGES["about"].heading, "A savings and progress dashboard for councils that share services."
)

ui.document(Path(__file__).resolve().parent.parent / "docs" / "figures.md")

st.header("Data sources and licences")
st.markdown(
    """
- **Councils**: *UK local authority names and codes* (version 1.6.1) by mySociety,
  licensed under Creative Commons Attribution 4.0 (CC BY 4.0). Councils are identified by
  their ONS GSS codes.
- **Demo baselines**: scaled from the Ministry of Housing, Communities and Local
  Government's *Revenue Outturn Summary (RS) 2017-18*, published under the Open
  Government Licence v3.0. Scottish figures in the demo are estimates.
- **The demo programme** is illustrative: its partnerships are modelled on real council
  reports, but its savings, returns and survey answers were written for demonstration
  and are not any council's real figures.
"""
)
