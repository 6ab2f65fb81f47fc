"""The dashboard's door: page set-up, who is signed in, and the navigation their role
allows (sharedsvc_app/auth.py lists the pages and the role each needs)."""

import streamlit as st

from sharedsvc_app import auth, block, errors

st.set_page_config(
    page_title="sharedsvc: shared services savings",
    page_icon=":material/savings:",
    layout="wide",
)

block.style()  # every page's blocks are styled by it
try:
    person = auth.person()
    navigation = st.navigation(auth.pages_for(person))
    auth.sidebar(person)
    navigation.run()
except Exception as error:  # st.stop() and st.rerun() are not Exceptions: they pass
    errors.unexpected(error)
