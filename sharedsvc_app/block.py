"""The fixed parts of a page drawn as one HTML element: headline tiles, headings,
sentences, notices, chart pictures with their summaries, and short tables.

A page opens faster when what does not change as a person clicks is one element rather
than many: the browser lays out one block of plain HTML, where each Streamlit element
(a tile, a caption, a heading, a picture) is a component of its own, styled and drawn
in turn (docs/performance.md). Controls, expanders, tabs, buttons and grids stay
Streamlit's own, between blocks.

Everything written into a block is escaped, so text from a file or a person is shown
exactly as written; only the block's own tags are HTML.
"""

from __future__ import annotations

import base64
import html
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Literal

import pandas as pd
import streamlit as st

from .charts import Chart

# GOV.UK's colours: text #0b0c0c, secondary text #484949 (8.9:1 on white), and the
# notices' edges; each notice also says in words what it is.
STYLE = """<style>
.sharedsvc-block {color: #0b0c0c;}
.sharedsvc-block h2 {font-size: 1.75rem; font-weight: 600; line-height: 1.2;
  margin: 1.5rem 0 0.75rem; padding: 0; scroll-margin-top: 4rem;}
.sharedsvc-block h3 {font-size: 1.25rem; font-weight: 600; line-height: 1.3;
  margin: 1.25rem 0 0.5rem; padding: 0;}
.sharedsvc-block p {margin: 0 0 0.75rem;}
.sharedsvc-block .small {font-size: 0.875rem; color: #484949;}
.sharedsvc-tiles {display: grid; grid-template-columns: repeat(auto-fit, minmax(8rem, 1fr));
  gap: 1rem 1.5rem; margin: 0.5rem 0 1rem;}
@media (max-width: 40rem) {.sharedsvc-tiles {grid-template-columns: 1fr 1fr !important;}}
.sharedsvc-tile p {margin: 0;}
.sharedsvc-tile .label {font-size: 0.875rem;}
.sharedsvc-tile .value {font-size: 2.25rem; line-height: 1.3;}
.sharedsvc-tile .small {margin-top: 0.25rem;}
.sharedsvc-notice {border-left: 0.3rem solid; padding: 0.75rem 1rem; margin: 0.5rem 0 1rem;
  border-radius: 0.25rem;}
.sharedsvc-notice.info {border-color: #1d70b8; background: #e8f1f8;}
.sharedsvc-notice.warning {border-color: #b58840; background: #fbf3e5;}
.sharedsvc-notice.success {border-color: #00703c; background: #e6f1eb;}
.sharedsvc-notice a {color: #1d4f8a;}
.sharedsvc-chart {margin: 0 0 0.5rem;}
.sharedsvc-chart img {width: 100%; height: auto; display: block;}
.sharedsvc-chart figcaption {font-size: 0.875rem; color: #484949; margin-top: 0.5rem;}
.sharedsvc-short-table {border-collapse: collapse; width: 100%; font-size: 0.875rem;}
.sharedsvc-short-table caption {text-align: left; padding-bottom: 0.5rem;}
.sharedsvc-short-table th, .sharedsvc-short-table td {
  border-bottom: 1px solid rgba(11, 12, 12, 0.25); padding: 0.4rem 0.5rem;
  text-align: left; vertical-align: top;}
.sharedsvc-short-table th {font-weight: 600; border-bottom-width: 2px;}
.sharedsvc-short-table .number {text-align: right; white-space: nowrap;}
.sharedsvc-short-table .word {white-space: nowrap;}
</style>"""

# said before a notice, so its kind is not told by colour alone; good news needs no word
NOTICE_WORD = {"info": "Note: ", "warning": "Warning: ", "success": ""}


@dataclass(frozen=True)
class Tile:
    """A headline figure: its label, its value, and beneath them what it means and
    anything to add (such as how much of it certified returns make)."""

    label: str
    value: str
    about: str = ""
    note: str = ""


def _e(text: str) -> str:
    return html.escape(str(text))


class Block:
    """Parts of a page, in order, drawn by :meth:`draw` as one element."""

    def __init__(self) -> None:
        self.parts: list[str] = []

    def heading(self, text: str, anchor: str | None = None) -> None:
        """A section heading (h2; the page's title is its h1). ``anchor`` is its id, for
        a link to it."""
        where = f' id="{_e(anchor)}"' if anchor else ""
        self.parts.append(f"<h2{where}>{_e(text)}</h2>")

    def subheading(self, text: str) -> None:
        """A heading within a section (h3)."""
        self.parts.append(f"<h3>{_e(text)}</h3>")

    def text(self, text: str, small: bool = False, strong: bool = False) -> None:
        """A sentence or paragraph; ``small`` for a caption, ``strong`` in bold (a step's
        name, say)."""
        kind = ' class="small"' if small else ""
        words = f"<strong>{_e(text)}</strong>" if strong else _e(text)
        self.parts.append(f"<p{kind}>{words}</p>")

    def notice(
        self,
        kind: Literal["info", "warning", "success"],
        text: str,
        strong: str = "",
        link: tuple[str, str] | None = None,
    ) -> None:
        """A notice: its kind said in words before it ("Warning:", "Note:"), ``strong``
        in bold at its start, and ``link`` as (words, #anchor) at its end."""
        body = f"<strong>{_e(strong)}</strong> " if strong else ""
        body += _e(text)
        if link:
            words, anchor = link
            body += f' <a href="{_e(anchor)}">{_e(words)}</a>'
        self.parts.append(
            f'<div class="sharedsvc-notice {kind}" role="note">'
            f"<p>{NOTICE_WORD[kind]}{body}</p></div>"
        )

    def tiles(self, tiles: Sequence[Tile], per_row: int | None = None) -> None:
        """Headline figures side by side: ``per_row`` to a row, or as many as the page's
        width allows; two to a row on a narrow screen."""
        cells = []
        for tile in tiles:
            extra = "".join(
                f'<p class="small {kind}">{_e(words)}</p>'
                for kind, words in (("about", tile.about), ("note", tile.note))
                if words
            )
            cells.append(
                f'<div class="sharedsvc-tile"><p class="label">{_e(tile.label)}</p>'
                f'<p class="value">{_e(tile.value)}</p>{extra}</div>'
            )
        across = (
            f' style="grid-template-columns: repeat({per_row}, minmax(0, 1fr))"' if per_row else ""
        )
        self.parts.append(f'<div class="sharedsvc-tiles"{across}>{"".join(cells)}</div>')

    def chart(self, chart: Chart, title: str, summary: str, note: str = "") -> None:
        """A chart drawn on the server, as a picture, with a sentence summing it up.
        Its figures as a table go beneath the block (``ui.chart_figures``)."""
        data = base64.b64encode(chart.svg().encode("utf-8")).decode("ascii")
        alt = f"Chart: {title}. Summarised beneath; its figures are in the table after that."
        self.parts.append(
            f'<figure class="sharedsvc-chart"><img alt="{_e(alt)}" '
            f'src="data:image/svg+xml;base64,{data}">'
            f"<figcaption>{_e(f'{summary} {note}'.strip())}</figcaption></figure>"
        )

    def table(
        self, frame: pd.DataFrame, caption: str, overrides: dict[str, Any] | None = None
    ) -> None:
        """A table of a few rows as plain HTML (``ui.short_table_html``)."""
        from .ui import short_table_html

        self.parts.append(short_table_html(frame, caption, overrides))

    def html(self, made: str) -> None:
        """HTML a page has made itself, every value in it escaped (such as a table
        with headings in its rows)."""
        self.parts.append(made)

    def draw(self) -> None:
        """Draw what has been written since the last draw, if anything: a block may be
        drawn, followed by a control, and written into again."""
        if self.parts:
            st.html(f'<div class="sharedsvc-block">{"".join(self.parts)}</div>')
            self.parts = []


def style() -> None:
    """The blocks' style, drawn once for each run of a page (by dashboard.py, before
    the page), not in every block: each style sheet the browser is given makes it work
    out the whole page's styles again (docs/performance.md). A style alone takes no
    room on the page."""
    st.html(STYLE)


@contextmanager
def block() -> Iterator[Block]:
    """A block to write into, drawn where the ``with`` ends, or, if the page stops
    within it (a refusal, a store that cannot be read), what was written until then,
    as separate elements would have been."""
    out = Block()
    try:
        yield out
    finally:
        out.draw()
