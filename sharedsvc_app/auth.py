"""Sign-in on the Streamlit side: who is using this session, which pages they see, and
the check each page makes before it draws anything.

Sign-in is Streamlit's own OpenID Connect (``st.login``), switched on by an ``[auth]``
section in the secrets (docs/deploying.md). Without one the dashboard is in open mode:
every visitor acts as an administrator, and every page says so. Roles are the store's
(``sharedsvc_core.access``); the rules are the core's, so hiding a page here is only a
convenience, and each page asks again with :func:`gate`.
"""

from __future__ import annotations

import streamlit as st

from sharedsvc_core import access, audit
from sharedsvc_core.access import Person, Refused
from sharedsvc_core.realisation import Filters

from . import data
from .block import Block
from .errors import friendly_errors
from .page_list import PAGES

OPEN_BANNER = "Sign-in is not set up: everyone who can open this page acts as an administrator."
OPEN_VISITOR = "visitor (sign-in not set up)"
NO_ACCESS = "You have no access yet: ask your programme office to give you a role."


def sign_in_configured() -> bool:
    """True when the secrets hold an ``[auth]`` section, so people sign in."""
    try:
        return "auth" in st.secrets
    except Exception:  # no secrets file at all: Streamlit raises rather than answer
        return False


def open_mode() -> bool:
    return not sign_in_configured()


def person() -> Person | None:
    """Who is using this session: in open mode an administrator; with sign-in, the
    signed-in person with the role the store holds for their e-mail (perhaps none), or
    None when nobody has signed in."""
    if open_mode():
        return Person.administrator(OPEN_VISITOR)
    user = st.user
    if not user.get("is_logged_in"):
        return None
    email = str(user.get("email") or "").strip().lower()
    if not email or user.get("email_verified") is False:
        return Person("", None)  # no address the provider vouches for: no role
    with friendly_errors():
        found: Person = data.ask("person", data.scope_key(None, None, Filters()), email)
    _record_sign_in(found)
    return found


def _record_sign_in(who: Person) -> None:
    """One audit entry for each browser session that arrives signed in."""
    if st.session_state.get("_signed_in_as") == who.email:
        return
    with friendly_errors():
        audit.record_now(data.store(), who.email, "sign_in", f"signed in as {who.describe()}")
    st.session_state["_signed_in_as"] = who.email


def pages_for(who: Person | None) -> list[st.Page]:
    """The navigation for this person: the pages their role allows, and the others
    registered but hidden, so an address typed in reaches the page's own refusal."""
    if who is None:
        return [st.Page(sign_in_page, title="Sign in", icon=":material/login:", default=True)]
    if who.role is None:
        return [st.Page(no_access_page, title="No access yet", icon=":material/lock:")]
    return [
        st.Page(
            rule.path,
            title=rule.title,
            icon=rule.icon,
            default=name == "overview",
            visibility="visible" if who.at_least(rule.role) else "hidden",
        )
        for name, rule in PAGES.items()
    ]


def gate(page: str) -> Person:
    """The person using this page, after checking that their role allows it. A page
    reached by its address without the role shows the refusal and nothing else."""
    who = person()
    rule = PAGES[page]
    try:
        what = f"the {rule.title} page"
        if who is None:
            raise Refused(f"{what} needs you to sign in first", rule.role)
        access.require(who, rule.role, what)
    except Refused as refused:
        st.title(rule.title)
        st.error(f"{refused.message[0].upper()}{refused.message[1:]}.")
        if who is None:
            sign_in_button()
        st.stop()
    return who


_PROVIDER_KEYS = ("client_id", "server_metadata_url")


def providers() -> list[str | None]:
    """The identity providers set up in ``[auth]``: None for one written directly in
    the section, then each named one (``[auth.microsoft]``), in the order written."""
    try:
        section = st.secrets["auth"]
    except Exception:
        return []
    found: list[str | None] = []
    if any(k in section for k in _PROVIDER_KEYS):
        found.append(None)
    for name, value in section.items():
        if hasattr(value, "keys") and any(k in value for k in _PROVIDER_KEYS):
            found.append(str(name))
    return found


def sign_in_button() -> None:
    """ "Sign in", for the provider set up; with several, one button for each."""
    choices = providers() or [None]
    for provider in choices:
        label = "Sign in"
        if len(choices) > 1:
            label += f" with {provider.replace('-', ' ').title() if provider else 'your council'}"
        if st.button(label, type="primary", key=f"sign_in_{provider or 'default'}"):
            try:
                if provider is None:
                    st.login()
                else:
                    st.login(provider)
            except Exception as problem:  # Streamlit's own check of the [auth] settings
                st.error(
                    "Sign-in cannot start: the [auth] settings in the dashboard's secrets "
                    f"are incomplete or wrong ({problem}). Ask whoever runs the dashboard "
                    "to check them against docs/deploying.md."
                )


def sign_in_page() -> None:
    st.title("sharedsvc")
    st.markdown(
        "Savings and progress for councils that share services. Sign in with your "
        "council account to see the figures."
    )
    sign_in_button()


def no_access_page() -> None:
    who = person()
    st.title("No access yet")
    st.warning(NO_ACCESS)
    if who is not None and who.email:
        st.markdown(
            f"You are signed in as **{who.email}**. Your programme office can give you a "
            "role on the Users and roles page; then reload this page."
        )
    else:
        st.markdown(
            "Your sign-in did not give an e-mail address, which is how roles are given. "
            "Ask your programme office to check the sign-in set-up."
        )


def sidebar(who: Person | None) -> None:
    """Who is signed in, and the way out; or, in open mode, nothing to sign out of."""
    if open_mode() or who is None:
        return
    with st.sidebar:
        st.caption(f"Signed in as {who.describe()}")
        if st.button("Sign out", key="sign_out"):
            st.logout()


def banner(out: Block) -> None:
    """In open mode, the contract's banner, on every page (in the block beneath the
    page's title)."""
    if open_mode():
        out.notice("warning", OPEN_BANNER)
