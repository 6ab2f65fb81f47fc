"""Store problems shown as sentences, never as tracebacks."""

from __future__ import annotations

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
