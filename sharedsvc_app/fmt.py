"""How figures are written on screen. The rules are the core's (sharedsvc_core.wording),
the same for the screen, both board packs and the charts; this adds the screen's RAG
shapes and the demo's notice."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from sharedsvc_core import wording
from sharedsvc_core.wording import (
    GROUP_WORD as GROUP_LABEL,
)
from sharedsvc_core.wording import (
    MISSING,
    action,
    delivery_model,
    group,
    missing,
    percent,
    pounds,
    pounds_short,
    role,
    signed,
    stage,
    status,
    text,
)
from sharedsvc_core.wording import (
    STAGE_WORD as STAGE_LABEL,
)

__all__ = [
    "GROUP_LABEL",
    "ILLUSTRATIVE",
    "MISSING",
    "RAG_LABEL",
    "action",
    "STAGE_LABEL",
    "delivery_model",
    "first_few",
    "group",
    "missing",
    "percent",
    "pounds",
    "pounds_short",
    "rag",
    "role",
    "signed",
    "stage",
    "status",
    "text",
]

RAG_LABEL = {code: wording.rag_with_icon(code) for code in wording.RAG_WORD}
ILLUSTRATIVE = (
    "Illustrative demo data: these figures were made up for demonstration and are not "
    "any council's real figures."
)


def rag(value: Any) -> str:
    """✔ Green, ▲ Amber, ✖ Red, ○ No data or – No target."""
    return wording.rag_with_icon(value)


def first_few(
    frame: Any, column: str, write: Callable[[Any], str], count: int = 3, name: str = "name"
) -> str:
    """The first few rows as "Name (figure), ...", for a chart's summary; "none" if empty."""
    items = zip(frame[name].head(count), frame[column].head(count), strict=True)
    return ", ".join(f"{n} ({write(v)})" for n, v in items) or "none"


def plain(text: str) -> str:
    """Text typed by a person, to be shown word for word in markdown."""
    return re.sub(r"([\\`*_{}\[\]()#+\-.!|>~<$:])", r"\\\1", text)


def found_note(box: str, text: str, *counts: tuple[int, int, str]) -> str:
    """What a search box's lists offer, in words, when it is not everything: for each
    (shown, more, kind), how many of how many when some are left out, and the kinds
    nothing matched. Empty when each list offers all it found."""
    cut = [f"{shown:,} of {shown + more:,} {kind}s" for shown, more, kind in counts if more]
    none = [kind for shown, more, kind in counts if not shown and not more]
    said = []
    if cut:
        said.append(
            f"The lists offer {' and '.join(cut)}: type part of a name or code in "
            f"“{box}” to find the others."
        )
    if none and text.strip():
        said.append(f"No {' or '.join(none)} matches “{plain(text.strip())}”.")
    return " ".join(said)
