"""The dashboard's door: page set-up, who is signed in, and the navigation their role
allows (sharedsvc_app/auth.py lists the pages and the role each needs)."""

import streamlit as st

from sharedsvc_app import auth

st.set_page_config(
    page_title="sharedsvc: shared services savings",
    page_icon=":material/savings:",
    layout="wide",
)

person = auth.person()
navigation = st.navigation(auth.pages_for(person))
auth.sidebar(person)
navigation.run()
