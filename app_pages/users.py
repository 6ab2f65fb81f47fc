"""Users and roles: who may sign in and what each person may do. For administrators;
every change is made by the core, which checks the role again, and is recorded in the
audit log."""

import streamlit as st

from sharedsvc_app import auth, data, fmt, ui
from sharedsvc_app.page_list import PAGES
from sharedsvc_core import access
from sharedsvc_core.access import ROLES, Refused
from sharedsvc_core.realisation import Filters

person = auth.gate("users")
ui.header(
    PAGES["users"].heading,
    "People are known by the e-mail address their council sign-in gives. A submitter or "
    "certifier acts only for the councils named here.",
)
scope = data.scope_key(None, None, Filters())
with ui.friendly_errors():
    people = data.ask("people", scope)
    names = data.council_names()

done = st.session_state.pop("users_done", None)
if done:
    st.success(done)

st.header("Everyone with a role")
if people.empty:
    st.info("Nobody has a role yet. Add the first person below.")
else:
    ui.table(
        people[["email", "role", "councils", "granted_at", "granted_by"]].assign(
            role=people["role"].map(fmt.role)
        ),
        key="users_table",
        email="E-mail",
        role="Role",
        councils="Councils",
        granted_by="Given by",
        granted_at=st.column_config.DatetimeColumn("Given (UTC)", format="DD/MM/YYYY HH:mm"),
    )
with st.expander("What each role may do"):
    st.markdown("\n".join(f"- **{fmt.role(role)}**: {access.ROLE_MAY[role]}" for role in ROLES))

st.header("Give a person a role")
st.caption("Giving a role to someone who already has one replaces it.")
left, right = st.columns(2)
email = left.text_input("E-mail address", key="users_email", placeholder="a.officer@council.gov.uk")
role = right.selectbox("Role", ROLES, key="users_role", format_func=fmt.role)
chosen: list[str] = []
if role in access.COUNCIL_ROLES:
    chosen = st.multiselect(
        "Councils they act for",
        list(names),
        key="users_councils",
        format_func=lambda gss: f"{names.get(gss, gss)} ({gss})",
        placeholder="Choose one or more councils",
    )
if st.button("Save the role", type="primary", key="users_save"):
    try:
        saved = access.add_person(data.store(), person, email, role, chosen)
    except (ValueError, Refused) as problem:
        st.error(f"Not saved: {problem}.")
    else:
        data.clear()
        where = ", ".join(names.get(c, c) for c in saved.councils)
        st.session_state["users_done"] = (
            f"{saved.email} is now a {access.ROLE_WORDS[saved.role or '']}"
            + (f" for {where}" if where else "")
            + "."
        )
        st.rerun()

if not people.empty:
    st.header("Take away a role")
    gone = st.selectbox(
        "Person", list(people["email"]), index=None, key="users_remove", placeholder="Choose"
    )
    if gone is not None and st.button(f"Take away {gone}'s role", key="users_remove_button"):
        try:
            access.remove_person(data.store(), person, gone)
        except Refused as problem:
            st.error(f"Not changed: {problem}.")
        else:
            data.clear()
            st.session_state["users_done"] = f"{gone} no longer has a role."
            st.rerun()
