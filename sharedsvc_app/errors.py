"""Store problems shown as sentences, never as tracebacks."""

from __future__ import annotations

import logging
import os
import secrets
from collections.abc import Iterator
from contextlib import contextmanager

import streamlit as st

from sharedsvc_core.store import StoreBusy, StoreError


@contextmanager
def friendly_errors() -> Iterator[None]:
    """Show a store problem as a sentence, never a traceback."""
    try:
        yield
    except StoreBusy:
        st.warning(
            "The figures are being updated by a load right now. Please reload the page in a moment."
        )
        st.stop()
    except StoreError as error:
        st.error(f"The figures cannot be shown: {error}")
        st.stop()


_LOG = logging.getLogger("sharedsvc")


def unexpected(error: BaseException) -> None:
    """A failure nobody foresaw, shown as a sentence with a reference instead of a crash
    box; the traceback goes to the server's log under the same reference. With
    ``SHAREDSVC_DEBUG`` set (as the tests set it) it is raised instead."""
    if os.environ.get("SHAREDSVC_DEBUG"):
        raise error
    reference = secrets.token_hex(4).upper()
    _LOG.error("unexpected error, reference %s", reference, exc_info=error)
    st.error(
        "Something went wrong while drawing this page. It has been recorded with the "
        f"reference {reference}. A change that was being saved when it happened was not "
        "saved. Reload the page to try again; if it happens again, give your programme "
        "office the reference."
    )
