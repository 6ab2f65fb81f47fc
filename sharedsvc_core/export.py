"""The board pack: the programme's figures, to a quarter and as of a moment, as an Excel
workbook and as a PDF.

Both are built from one :class:`BoardPack` (board_pack.py), gathered on one read-only
connection, so the two files always agree: export_xlsx.py writes the workbook and
export_pdf.py the PDF. Taking a pack is for board members and above, and is audited.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from . import audit
from .access import Person, require_board_pack
from .board_pack import BoardPack, gather
from .export_pdf import to_pdf
from .export_xlsx import to_xlsx
from .periods import Quarter
from .store import Store

__all__ = ["BoardPack", "board_pack", "gather", "record_export", "to_pdf", "to_xlsx", "write"]


def write(pack: BoardPack, out: Path) -> None:
    """Write the pack as .xlsx or .pdf, by the name's suffix."""
    suffix = out.suffix.lower()
    if suffix == ".xlsx":
        out.write_bytes(to_xlsx(pack))
    elif suffix == ".pdf":
        out.write_bytes(to_pdf(pack))
    else:
        raise ValueError("the board pack is written as .xlsx or .pdf: name the file so")


def board_pack(
    store: Store,
    out: Path,
    to: Quarter | None = None,
    as_of: datetime | None = None,
    *,
    by: Person,
    certified_only: bool = False,
) -> BoardPack:
    """Write the board pack to ``out`` for ``by`` (a board member or above), and record
    the export in the audit log."""
    require_board_pack(by)
    pack = gather(store, to, as_of, certified_only)
    write(pack, out)
    record_export(store, by, pack.subtitle, out.suffix.lstrip(".").lower())
    return pack


def record_export(store: Store, by: Person, subtitle: str, file_type: str) -> None:
    """Record in the audit log that ``by`` took the pack (``subtitle``) as ``file_type``
    (xlsx or pdf)."""
    require_board_pack(by)
    audit.record_now(store, by.email, "board_pack_export", f"{file_type}: {subtitle}")
