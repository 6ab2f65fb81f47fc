"""The dashboard's door: page set-up and navigation."""

import streamlit as st

st.set_page_config(
    page_title="sharedsvc: shared services savings",
    page_icon=":material/savings:",
    layout="wide",
)

navigation = st.navigation(
    [
        st.Page(
            "app_pages/overview.py", title="Overview", icon=":material/dashboard:", default=True
        ),
        st.Page(
            "app_pages/realisation.py", title="Benefits realisation", icon=":material/savings:"
        ),
        st.Page("app_pages/partnerships.py", title="Partnerships", icon=":material/handshake:"),
        st.Page("app_pages/taking_stock.py", title="Taking Stock", icon=":material/forum:"),
        st.Page("app_pages/submit.py", title="Submit a return", icon=":material/upload_file:"),
        st.Page("app_pages/about.py", title="About", icon=":material/info:"),
    ]
)
navigation.run()
