"""The board pack download on the Overview and Benefits pages: the same files as
`python -m sharedsvc_core export board-pack`, for the period the page shows."""

from __future__ import annotations

from datetime import datetime

import streamlit as st

from sharedsvc_core import export
from sharedsvc_core.access import Person
from sharedsvc_core.periods import Quarter, parse_quarter_label
from sharedsvc_core.store import Store

from . import block, data, errors, ui


@st.cache_data(show_spinner="Preparing the board pack…", max_entries=8)
def _gathered(
    path: str, version: tuple[int, ...], to: str | None, as_of: str | None, certified: bool
) -> export.BoardPack:
    return export.gather(
        Store.open(path),
        parse_quarter_label(to) if to else None,
        datetime.fromisoformat(as_of) if as_of else None,
        certified,
    )


@st.cache_data(show_spinner="Preparing the board pack…", max_entries=16)
def _file(
    path: str,
    version: tuple[int, ...],
    to: str | None,
    as_of: str | None,
    certified: bool,
    file_type: str,
) -> bytes:
    pack = _gathered(path, version, to, as_of, certified)
    return export.to_xlsx(pack) if file_type == "xlsx" else export.to_pdf(pack)


def _made(wanted: tuple[str | None, str | None, bool], file_type: str) -> bytes | None:
    """One of the two files, made on its own: if it fails, the other is still offered,
    and the failure is a sentence with a reference."""
    try:
        return _file(data.store_path(), data.version(), *wanted, file_type)
    except Exception as error:
        errors.unexpected(error)
        return None


def buttons(person: Person, to: Quarter | None, as_of: datetime | None, page: str) -> None:
    """The board pack, for board members and above; each download is recorded in the
    audit log."""
    if not person.at_least("board_member"):
        return
    with block.block() as out:
        out.heading("Board pack")
        out.text(
            "The whole programme's figures, to the quarter and as of the moment chosen "
            "under Period (and certified returns only, if chosen there), as an Excel "
            "workbook and a PDF for the board, with the returns not yet certified and "
            "those outstanding.",
            small=True,
        )
    wanted = (
        to.label if to else None,
        as_of.isoformat() if as_of else None,
        ui.certified_only(),
    )
    # opening the box asks for the pack, for the period chosen while it is open; the page
    # opens faster with nothing of it drawn until then (docs/performance.md)
    with st.expander("Prepare the board pack", key=f"{page}-pack", on_change="rerun") as box:
        if box.open:
            _offered(person, to, wanted, page)


def _offered(
    person: Person, to: Quarter | None, wanted: tuple[str | None, str | None, bool], page: str
) -> None:
    """The board pack for the period chosen, its two files to download."""
    with ui.friendly_errors():
        subtitle = _gathered(data.store_path(), data.version(), *wanted).subtitle
        xlsx, pdf = _made(wanted, "xlsx"), _made(wanted, "pdf")
    st.caption(f"Board pack: {subtitle}.")
    stem = "board-pack" + (f"-{to.label.replace('/', '-')}" if to else "")
    left, right = st.columns(2)
    if xlsx is not None:
        left.download_button(
            "Download the board pack (Excel)",
            xlsx,
            file_name=f"{stem}.xlsx",
            mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            key=f"{page}-pack-xlsx",
            on_click=_taken,
            args=(person, subtitle, "xlsx"),
        )
    if pdf is not None:
        right.download_button(
            "Download the board pack (PDF)",
            pdf,
            file_name=f"{stem}.pdf",
            mime="application/pdf",
            key=f"{page}-pack-pdf",
            on_click=_taken,
            args=(person, subtitle, "pdf"),
        )


def _taken(person: Person, subtitle: str, file_type: str) -> None:
    """Record the download in the audit log (a callback, so outside the page's own
    guard against failures)."""
    try:
        with ui.friendly_errors():
            export.record_export(data.store(), person, subtitle, file_type)
    except Exception as error:
        errors.unexpected(error)
