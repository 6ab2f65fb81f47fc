"""Text that is safe to open in a spreadsheet: every CSV and workbook the product writes
passes its text through :func:`neutralise`, so a file name of ``=HYPERLINK(...)`` or a
user of ``=1+1`` is shown as written, never run as a formula."""

from __future__ import annotations

from typing import Any

DANGEROUS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: Any) -> Any:
    """Text that a spreadsheet would read as a formula gets a leading apostrophe; any
    other value is returned as it is."""
    if isinstance(value, str) and value.startswith(DANGEROUS):
        return "'" + value
    return value
