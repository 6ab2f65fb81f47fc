"""How figures are written on screen. The rules are the core's (sharedsvc_core.wording),
the same for the screen, both board packs and the charts; this adds the screen's RAG
shapes and the demo's notice."""

from __future__ import annotations

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
