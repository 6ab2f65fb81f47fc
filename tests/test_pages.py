"""The screens, run for real with AppTest against real stores.

The headline figures are the small programme's (conftest.py), worked out by hand in
test_figures.py: to 2015/16 Q1, target £235,000, evidenced £185,000, net £120,000,
realisation 78.7% (Red), 11 of 24 returns.
"""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
import streamlit as st
from conftest import NEL, ROOT
from streamlit.testing.v1 import AppTest

from sharedsvc_app import page_list

# the pages every role sees: the figures and About
PAGES = tuple(page_list.PAGES[name].path for name in page_list.FIGURES_PAGES)


def open_app(db: Path, monkeypatch: pytest.MonkeyPatch, page: str | None = None) -> AppTest:
    monkeypatch.setenv("SHAREDSVC_DB", str(db))
    monkeypatch.chdir(ROOT)
    st.cache_data.clear()
    st.cache_resource.clear()
    app = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=90)
    app.run()
    if page and page != PAGES[0]:
        app.switch_page(page)
        app.run()
    assert not app.exception, [e.value for e in app.exception]
    return app


def open_period(app: AppTest) -> AppTest:
    """Open the sidebar's "Change the period" box, as a person would, so its controls
    are drawn."""
    app.session_state["period_box"] = True
    app.run()
    assert not app.exception, [e.value for e in app.exception]
    return app


def open_tables(app: AppTest, *keys: str) -> AppTest:
    """Open the "chart's figures as a table" expanders of these charts, as a person
    would, so their tables are sent."""
    for key in keys:
        app.session_state[f"{key}-table"] = True
    app.run()
    assert not app.exception, [e.value for e in app.exception]
    return app


def open_box(app: AppTest, key: str) -> AppTest:
    """Open the expander with this key (a box of controls drawn on request), as a
    person would."""
    app.session_state[key] = True
    app.run()
    assert not app.exception, [e.value for e in app.exception]
    return app


def open_grids(app: AppTest, *keys: str) -> AppTest:
    """Open the "Every row, to sort and search" expanders beneath these tables
    (ui.listing), as a person would, so their grids are sent."""
    for key in keys:
        app.session_state[f"{key}-grid"] = True
    app.run()
    assert not app.exception, [e.value for e in app.exception]
    return app


def choose_tab(app: AppTest, key: str, tab: str) -> AppTest:
    """Choose a tab of the tabs with this key, as a person would: only its part is
    drawn and sent."""
    app.session_state[key] = tab
    app.run()
    assert not app.exception, [e.value for e in app.exception]
    return app


def tiles(app: AppTest) -> dict[str, str]:
    """The headline figures on the page, by label: the tiles drawn in blocks
    (sharedsvc_app/block.py) and any drawn as Streamlit metrics."""
    found = {m.label: m.value for m in app.metric}
    for reader in blocks(app):
        found |= {label: value for label, value, _ in reader.tiles}
    return found


class _TableReader(HTMLParser):
    """The text of each cell of each row of an HTML table, and its caption."""

    def __init__(self) -> None:
        super().__init__()
        self.caption = ""
        self.rows: list[list[str]] = []
        self._in: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "tr":
            self.rows.append([])
        elif tag in ("th", "td"):
            self.rows[-1].append("")
            self._in = "cell"
        elif tag == "caption":
            self._in = "caption"

    def handle_endtag(self, tag: str) -> None:
        if tag in ("th", "td", "caption"):
            self._in = None

    def handle_data(self, data: str) -> None:
        if self._in == "cell":
            self.rows[-1][-1] += data
        elif self._in == "caption":
            self.caption += data


class _BlockReader(HTMLParser):
    """What a block of a page (sharedsvc_app/block.py) shows, as a browser would read
    it: its tiles as (label, value, the words beneath), its tables, the alternative
    text of its pictures, and all of its text in order."""

    def __init__(self) -> None:
        super().__init__()
        self.tiles: list[tuple[str, str, str]] = []
        self.tile_parts: list[dict[str, str]] = []  # each tile's parts, by class
        self.tables: list[_TableReader] = []
        self.images: list[tuple[str, str]] = []  # (alternative text, source)
        self.text = ""
        self._tile: list[str] | None = None
        self._depth = 0  # of the tile's <div>s, to know where it ends
        self._table: _TableReader | None = None
        self._kinds: list[str] = []
        self.headings: list[tuple[str, str]] = []  # (h2 or h3, its text)
        self._heading: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        classes = (dict(attrs).get("class") or "").split()
        if tag == "img":
            found = dict(attrs)
            self.images.append((str(found.get("alt") or ""), str(found.get("src") or "")))
        if tag == "table":
            self._table = _TableReader()
            self.tables.append(self._table)
        if self._table is not None:
            self._table.handle_starttag(tag, attrs)
        if tag == "div" and "sharedsvc-tile" in classes:
            self._tile, self._depth, self._kinds = [], 0, []
        if tag == "div" and self._tile is not None:
            self._depth += 1
        if tag == "p" and self._tile is not None:
            self._tile.append("")
            self._kinds.append(classes[-1] if classes else "")
        if tag in ("h2", "h3"):
            self._heading = tag
            self.headings.append((tag, ""))
        if tag in ("p", "h2", "h3", "div", "figcaption", "tr"):
            self.text += "\n"

    def handle_endtag(self, tag: str) -> None:
        if tag in ("h2", "h3"):
            self._heading = None
        if self._table is not None:
            self._table.handle_endtag(tag)
            if tag == "table":
                self._table = None
        if tag == "div" and self._tile is not None:
            self._depth -= 1
            if not self._depth:
                label, value, *beneath = self._tile
                self.tiles.append((label, value, " ".join(beneath)))
                self.tile_parts.append(dict(zip(self._kinds, self._tile, strict=True)))
                self._tile = None

    def handle_data(self, data: str) -> None:
        if self._heading is not None:
            tag, text = self.headings[-1]
            self.headings[-1] = (tag, text + data)
        if self._table is not None:
            self._table.handle_data(data)
        if self._tile is not None and self._tile:
            self._tile[-1] += data
        self.text += data


def blocks(app: AppTest) -> list[_BlockReader]:
    """Every HTML element on the page (blocks, short tables, documents), read."""
    found = []
    for element in app.get("html"):
        body = str(element.proto.body).split("</style>")[-1]  # the text after any style
        if body.strip():  # not the blocks' style, drawn alone (block.style)
            reader = _BlockReader()
            reader.feed(body)
            found.append(reader)
    return found


def pictures(app: AppTest) -> list[tuple[str, str]]:
    """Every picture on the page as (alternative text, source): those drawn with
    st.image and those in blocks."""
    found = [(str(i.proto.imgs[0].alt), str(i.proto.imgs[0].url)) for i in app.get("image")]
    return found + [image for reader in blocks(app) for image in reader.images]


def headings(app: AppTest, tag: str = "h2") -> list[str]:
    """The page's headings of one level: Streamlit's own (st.header for h2, st.subheader
    for h3), in order, then those in blocks, in order."""
    found = [h.value for h in (app.header if tag == "h2" else app.subheader)]
    return found + [text for reader in blocks(app) for t, text in reader.headings if t == tag]


def short_tables(app: AppTest) -> list[_TableReader]:
    """The short tables (ui.short_table and those in blocks) on the page, as a browser
    would read them."""
    return [table for reader in blocks(app) for table in reader.tables]


def block_text(app: AppTest) -> str:
    """The text of the page's blocks: headings, sentences, notices, tiles, tables."""
    return "\n".join(reader.text for reader in blocks(app))


def all_text(app: AppTest) -> str:
    parts = [m.value for m in app.markdown] + [c.value for c in app.caption]
    parts += [i.value for i in app.info] + [t.value for t in app.title]
    return "\n".join(str(p) for p in parts) + "\n" + block_text(app)


@pytest.mark.parametrize("page", PAGES)
def test_every_page_renders_on_the_demo_store(
    demo_db: Path, monkeypatch: pytest.MonkeyPatch, page: str
) -> None:
    app = open_app(demo_db, monkeypatch, page)
    assert not app.error
    assert "Illustrative demo data" in all_text(app)


def test_overview_headline_for_a_store_worked_by_hand(
    programme: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = open_app(programme, monkeypatch)
    assert tiles(app) == {
        "Target to date": "£235.0k",
        "Evidenced saving": "£185.0k",
        "Net of one-off costs": "£120.0k",
        "Realisation": "78.7%",
        "RAG status": "✖ Red",
        "Returns received": "11 of 24",
    }
    assert "Figures from 2014/15 Q1 to 2015/16 Q1." in all_text(app)
    # not the demo, so no illustrative label
    assert "Illustrative demo data" not in all_text(app)
    # furthest off track, worked by hand to 2015/16 Q1 (five quarters): ICT at NEL,
    # target 5 x 10,000 = 50,000, evidenced 400,000 x 0.4 less its share of the whole
    # service's actuals (108,000 + 100,000 + 96,000 against 3 x 100,000) = -4,000;
    # HR at NL 50,000 against 8,000 + 11,000 + 15,000 = 34,000; HR at NEL 25,000 against
    # 6,000 + 5,000 = 11,000; Legal at NL 10,000 against no return
    [off_track] = short_tables(app)
    assert off_track.caption == (
        "The 4 service and council pairs furthest below their targets to date, "
        "with the latest commentary in their returns."
    )
    header, *rows = off_track.rows
    assert header == [
        "Service",
        "Council",
        "Target",
        "Evidenced",
        "Short of target",
        "Realisation %",
        "RAG",
        "Commentary from",
        "Latest commentary",
    ]
    assert [row[:7] for row in rows] == [
        ["ICT", "North East Lincolnshire", "£50,000", "-£4,000", "£54,000", "-8.0%", "✖ Red"],
        [
            "Human resources",
            "North Lincolnshire",
            "£50,000",
            "£34,000",
            "£16,000",
            "68.0%",
            "✖ Red",
        ],
        [
            "Human resources",
            "North East Lincolnshire",
            "£25,000",
            "£11,000",
            "£14,000",
            "44.0%",
            "✖ Red",
        ],
        ["Legal", "North Lincolnshire", "£10,000", "£0", "£10,000", "0.0%", "○ No data"],
    ]
    # the commentary is shown as the council wrote it
    assert rows[2][7:] == ["2015/16 Q1", "Claim includes vacancy savings"]


def test_whole_pounds_on_screen_round_half_away_from_zero() -> None:
    from decimal import Decimal

    from sharedsvc_app import fmt

    # as docs/figures.md rounds every figure, not to the even pound
    assert [fmt.pounds(v) for v in (1234.5, 1235.5, -1234.5, 2.675, Decimal("99.50"))] == [
        "£1,235",
        "£1,236",
        "-£1,235",
        "£3",
        "£100",
    ]
    assert [fmt.pounds(v) for v in (-0.4, 0, None, float("nan"))] == ["£0", "£0", "–", "–"]


def test_a_short_table_shows_text_from_a_file_exactly_as_written() -> None:
    def page() -> None:
        import pandas as pd

        from sharedsvc_app import ui

        ui.short_table(
            pd.DataFrame(
                {
                    "service": ["<b>HR</b>", ":red[Legal] **now** :smile:"],
                    "target": [1234.5, None],  # half a pound: rounded up
                    "realisation_pct": [78.66, float("nan")],
                    "commentary": ["Costs & <i>savings</i>", None],
                }
            ),
            caption="Two <rows>",
        )

    app = AppTest.from_function(page).run()
    assert not app.exception, [e.value for e in app.exception]
    [table] = short_tables(app)
    assert table.caption == "Two <rows>"
    assert table.rows == [
        ["Service", "Target", "Realisation %", "Latest commentary"],
        ["<b>HR</b>", "£1,235", "78.7%", "Costs & <i>savings</i>"],
        [":red[Legal] **now** :smile:", "–", "–", "–"],
    ]
    body = str(app.get("html")[0].proto.body)
    assert "<b>" not in body and "&lt;b&gt;HR&lt;/b&gt;" in body
    # headed columns, money and percentages to the right
    assert body.count('<th scope="col"') == 4
    assert '<td class="number">£1,235</td>' in body


def test_to_and_as_of_controls_change_the_figures(
    programme: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = open_app(programme, monkeypatch)
    # the period is said in words, and its controls are drawn only when asked for
    assert "Figures to the latest quarter with a return, as they stand now." in all_text(app)
    assert len(app.selectbox) == 0
    open_period(app)
    app.selectbox(key="to_quarter").select("2014/15 Q2").run()
    assert tiles(app)["Target to date"] == "£95.0k"
    assert tiles(app)["RAG status"] == "✔ Green"
    assert "Figures to the end of 2014/15 Q2, as they stand now." in all_text(app)
    # closing the box keeps the choice, on this page and the next
    app.session_state["period_box"] = False
    app.run()
    assert len(app.selectbox) == 0
    assert tiles(app)["Target to date"] == "£95.0k"
    app.switch_page("app_pages/realisation.py").run()
    assert tiles(app)["Target to date"] == "£95.0k"
    assert "Figures to the end of 2014/15 Q2, as they stand now." in all_text(app)
    app.switch_page("app_pages/overview.py").run()
    open_period(app)
    assert app.selectbox(key="to_quarter").value == "2014/15 Q2"
    app.selectbox(key="to_quarter").select("Latest quarter with a return").run()
    app.toggle(key="as_of_on").set_value(True).run()
    from datetime import date, time

    app.date_input(key="as_of_date").set_value(date(2015, 1, 1)).run()
    app.time_input(key="as_of_time").set_value(time(0, 0)).run()
    assert not app.exception
    # as of 1 January 2015 only the 2014/15 returns had arrived
    assert tiles(app)["Evidenced saving"] == "£105.0k"
    assert "as they stood on 01/01/2015" in all_text(app)
    assert (
        "Figures to the latest quarter with a return, as they stood on 01/01/2015 at 00:00 UTC."
        in all_text(app)
    )
    app.session_state["period_box"] = False
    app.run()
    assert tiles(app)["Evidenced saving"] == "£105.0k"


def test_filters_change_the_figures(programme: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    app = open_app(programme, monkeypatch, "app_pages/realisation.py")
    assert tiles(app)["Target to date"] == "£235.0k"
    # the filters are drawn only when their box is opened; the sentence says what is shown
    assert not app.multiselect and not app.text_input
    said = "Showing every partnership, service, council, stage and RAG rating."
    assert said in block_text(app)
    open_box(app, "filters_box")
    app.multiselect(key="filter_service").select("HR").run()
    # HR: target 60,000 (2014/15) + 15,000 (2015/16 Q1); evidenced 45,000
    assert tiles(app)["Target to date"] == "£75.0k"
    assert tiles(app)["Evidenced"] == "£45.0k"
    assert tiles(app)["Realisation"] == "60.0%"
    register = open_grids(app, "realisation-register").dataframe[0].value
    assert set(register["service"]) == {"Human resources"}
    app.multiselect(key="filter_council").select(NEL).run()
    # HR at NEL: target 20,000 + 5,000; evidenced 6,000 + 5,000
    assert tiles(app)["Target to date"] == "£25.0k"
    assert tiles(app)["Evidenced"] == "£11.0k"
    # closed again, the box keeps what was chosen, and the sentence says it
    app.session_state["filters_box"] = False
    app.run()
    assert not app.multiselect and tiles(app)["Target to date"] == "£25.0k"
    assert (
        "Showing service Human resources (HR); council North East Lincolnshire (E06000012); "
        "every partnership, stage and RAG rating."
    ) in block_text(app)
    # and on another page and back
    app.switch_page("app_pages/overview.py").run()
    app.switch_page("app_pages/realisation.py").run()
    assert tiles(app)["Target to date"] == "£25.0k"


def test_rag_filter_narrows_the_register(programme: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    app = open_box(open_app(programme, monkeypatch, "app_pages/realisation.py"), "filters_box")
    app.multiselect(key="filter_rag").select("no_data").run()
    register = open_grids(app, "realisation-register").dataframe[0].value
    assert list(register["service"]) == ["Legal"]
    assert list(register["rag"]) == ["○ No data"]


def open_drill_down(db: Path, monkeypatch: pytest.MonkeyPatch) -> AppTest:
    """Benefits realisation with its "Drill down to the submissions" tab chosen."""
    app = open_app(db, monkeypatch, "app_pages/realisation.py")
    assert [t.label for t in app.tabs][-1] == "Drill down to the submissions"
    # only the chosen tab runs: the drill-down's boxes are not there until it is chosen
    assert "drill_partnership" not in [s.key for s in app.selectbox]
    app.session_state["realisation-tab"] = "Drill down to the submissions"
    app.run()
    assert not app.exception, [e.value for e in app.exception]
    return app


def test_drill_down_reaches_the_submissions(
    programme: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = open_drill_down(programme, monkeypatch)
    app.selectbox(key="drill_partnership").select("NLH").run()
    app.selectbox(key="drill_service").select("HR").run()
    app.selectbox(key="drill_council").select(NEL).run()
    assert not app.exception
    behind = next(d.value for d in app.dataframe if "file_name" in d.value.columns)
    assert set(behind["file_name"]) == {
        "returns_2014.csv",
        "returns_2015.csv",
        "baselines.csv",
        "targets.csv",
    }
    assert set(behind["received_by"]) == {behind["received_by"].iloc[0]}
    text = all_text(app)
    assert "**Target** £25,000" in text and "**evidenced** £11,000" in text


def test_partnerships_page_shows_the_register(
    programme: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = open_app(programme, monkeypatch, "app_pages/partnerships.py")
    assert [t.label for t in app.tabs] == ["Partnerships", "Members and cost shares", "Services"]
    # only the chosen tab's table is sent: the first, until another is chosen; a plain
    # table on the first view, and no grid until asked for
    assert not app.dataframe
    [partnerships] = short_tables(app)
    head, *rows = partnerships.rows
    [row] = [dict(zip(head, r, strict=True)) for r in rows]
    assert row["Partnership"] == "Northern Lincolnshire hub"
    # codes in words (the register file holds hub_and_spoke and active)
    assert row["Delivery model"] == "Hub and spoke" and row["Status"] == "Active"
    assert row["Started"] == "01/04/2014"
    open_grids(app, "partnerships-register")
    [grid] = (d.value for d in app.dataframe)
    assert list(grid["delivery_model"]) == ["Hub and spoke"]
    app.session_state["partnerships-tab"] = "Members and cost shares"
    app.run()
    [members] = short_tables(app)
    shares = sorted(
        dict(zip(members.rows[0], r, strict=True))["Cost share"] for r in members.rows[1:]
    )
    assert shares == ["0.400", "0.600"]
    open_grids(app, "partnerships-members")
    [grid] = (d.value for d in app.dataframe)
    assert sorted(grid["cost_share"]) == [0.4, 0.6]
    app.session_state["partnerships-tab"] = "Services"
    app.run()
    [services] = short_tables(app)
    stage = services.rows[0].index("Stage")
    assert {r[stage] for r in services.rows[1:]} == {"Live", "FBC"}
    # the chart's own table comes only when asked for, beneath the chart
    open_tables(app, "partnerships-pipeline")
    pipeline = next(d.value for d in app.dataframe if "services" in d.value.columns)
    assert dict(zip(pipeline["stage"], pipeline["services"], strict=True)) == {
        "SOC": 0,
        "OBC": 0,
        "FBC": 1,
        "Implementation": 0,
        "Live": 2,
        "Closed": 0,
    }


def test_a_load_from_the_command_line_shows_on_the_next_rerun(
    register: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from conftest import RETURNS_2014, RETURNS_HEADER, run_cli, write_csv

    app = open_app(register, monkeypatch)
    assert "no return has been received" in all_text(app)
    path = write_csv(tmp_path / "r.csv", RETURNS_HEADER, RETURNS_2014)
    assert run_cli("load", "returns", path, "--db", register).code == 0
    app.run()
    assert tiles(app)["Evidenced saving"] == "£105.0k"


@pytest.mark.parametrize(
    ("page", "says"),
    [
        ("app_pages/overview.py", "There is nothing to show yet: no return has been received."),
        ("app_pages/realisation.py", "There is nothing to show yet: no return has been received."),
        ("app_pages/partnerships.py", "The register is empty: load a partnerships file first."),
        ("app_pages/taking_stock.py", "No Taking Stock survey has been loaded yet."),
        (
            "app_pages/benefits.py",
            "The benefits register is empty: an administrator loads a benefits file, then "
            "each quarter's measures (see the guide for finance officers).",
        ),
        (
            "app_pages/options.py",
            "No options have been appraised yet: an administrator loads an options file, then "
            "its criteria and scores (see the guide for finance officers).",
        ),
    ],
)
def test_an_empty_store_says_so_plainly(
    db: Path, monkeypatch: pytest.MonkeyPatch, page: str, says: str
) -> None:
    """A store with no files: each figures page says, in one sentence, what is missing
    and draws no figure, chart or table that would read as £0."""
    app = open_app(db, monkeypatch, page)
    assert [i.value for i in app.info] == [says]
    assert not app.metric and not app.dataframe and not app.error
    assert not pictures(app) and not app.get("plotly_chart") and not short_tables(app)


def test_a_missing_store_is_a_sentence_not_a_traceback(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = open_app(tmp_path / "nowhere.duckdb", monkeypatch)
    assert app.error and "there is no store" in app.error[0].value


def test_drill_down_keeps_the_filters_above(
    programme: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = open_drill_down(programme, monkeypatch)
    app.selectbox(key="drill_partnership").select("NLH").run()
    app.selectbox(key="drill_council").select(NEL).run()
    # every service at NEL: HR 20,000 + 5,000 and ICT 40,000 + 10,000 of target;
    # evidenced HR 6,000 + 5,000, ICT -8,000 + 0 + 4,000
    assert "**Target** £75,000 · **evidenced** £7,000" in all_text(app)
    open_box(app, "filters_box").multiselect(key="filter_service").select("HR").run()
    assert "**Target** £25,000 · **evidenced** £11,000" in all_text(app)


def test_busy_charts_show_the_twenty_that_matter() -> None:
    import pandas as pd

    from sharedsvc_core.explore import for_chart

    frame = pd.DataFrame(
        {
            "name": [f"s{i}" for i in range(30)],
            "realisation_pct": [float(i) for i in range(30)],
            "variance": [float(i - 15) for i in range(30)],
        }
    )
    shown, note = for_chart(frame, "realisation_pct")
    assert list(shown["name"]) == [f"s{i}" for i in range(20)]
    assert note.startswith("The chart shows the 20 of 30 with the lowest realisation pct")
    shown, _ = for_chart(frame, "variance", absolute=True)
    # variances -15 .. 14: the 20 largest in size are -15 .. -6 and 5 .. 14
    assert sorted(shown["variance"]) == [float(v) for v in [*range(-15, -5), *range(5, 15)]]
    small, note = for_chart(frame.head(5).iloc[::-1], "realisation_pct")
    # a short list is kept whole, still lowest first
    assert list(small["name"]) == ["s0", "s1", "s2", "s3", "s4"] and note == ""


def test_charts_are_images_named_for_screen_readers_with_tables_on_request(
    programme: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = open_app(programme, monkeypatch)

    def alts() -> list[str]:
        return [alt for alt, _ in pictures(app)]

    then = " Summarised beneath; its figures are in the table after that."
    assert alts() == [
        "Chart: cumulative target, evidenced and claimed savings by quarter." + then,
        "Chart: realisation % by partnership, coloured and labelled by RAG." + then,
    ]
    assert all(src.startswith("data:image/svg+xml;base64,") for _, src in pictures(app))
    # the one partnership: 185,000 of 235,000 = 78.7% (Red)
    assert "✖ Red: 1. Lowest realisation: Northern Lincolnshire hub (78.7%)." in block_text(app)
    # closed, the chart tables are not sent, and "Furthest off track" is a short table
    # rather than a grid: the page has no grid at all
    assert len(app.dataframe) == 0
    assert len(short_tables(app)) == 1
    # the RAG by service tab draws only when chosen, lowest first. To 2015/16 Q1: Legal
    # 0 of 10,000 (no return: No data); HR 45,000 of 75,000 = 60.0% (Red); ICT
    # 185,000 - 45,000 = 140,000 of 150,000 = 93.3% (Amber)
    assert [t.label for t in app.tabs] == ["By partnership", "By service"]
    app.session_state["overview-rag"] = "By service"
    app.run()
    assert alts()[1] == "Chart: realisation % by service, coloured and labelled by RAG." + then
    assert (
        "▲ Amber: 1; ✖ Red: 1; ○ No data: 1. Lowest realisation: Legal (0.0%), "
        "Human resources (60.0%), ICT (93.3%)."
    ) in block_text(app)
    open_tables(app, "overview-trajectory")
    trajectory = next(d.value for d in app.dataframe if "quarter" in d.value.columns)
    # the hand-worked programme: the cumulative target reaches 235,000 by 2015/16 Q1
    assert list(trajectory["quarter"])[-1] == "2015/16 Q1"
    assert trajectory["cumulative_target"].iloc[-1] == 235_000


def test_a_chart_to_explore_is_sent_only_when_asked_for(
    programme: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = open_app(programme, monkeypatch, "app_pages/realisation.py")
    app.session_state["realisation-tab"] = "Variance"
    app.run()
    # closed, the chart's figures are not sent; opened, the table comes first, and
    # still no interactive chart
    assert "Chart to explore" not in {t.label for t in app.tabs}
    open_tables(app, "realisation-variance")
    assert {"Table", "Chart to explore"} <= {t.label for t in app.tabs}
    assert "variance" in next(d.value for d in app.dataframe if "variance" in d.value.columns)
    assert len(app.get("plotly_chart")) == 0
    app.session_state["realisation-variance-view"] = "Chart to explore"
    app.run()
    assert not app.exception, [e.value for e in app.exception]
    [chart] = app.get("plotly_chart")
    assert chart.proto.alt == (
        "Interactive chart: variance against target by service. Its figures are in the Table tab."
    )
    import json

    [bars] = json.loads(chart.proto.spec)["data"]
    # to 2015/16 Q1, by service, furthest off first (largest in size): Human resources
    # 45,000 - 75,000 = -30,000; ICT 140,000 - 150,000 = -10,000; Legal 0 - 10,000
    assert dict(zip(bars["y"], bars["text"], strict=True)) == {
        "Human resources": "-£30k behind",
        "ICT": "-£10k behind",
        "Legal": "-£10k behind",
    }


def test_about_shows_every_section_of_the_figures_in_plain_words(
    demo_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = open_app(demo_db, monkeypatch, "app_pages/about.py")
    [document] = [e.proto.body for e in app.get("html") if "sharedsvc-document" in e.proto.body]
    written = (ROOT / "docs" / "figures.md").read_text(encoding="utf-8")
    sections = re.findall(r"(?m)^## (.+)$", written)
    assert len(sections) >= 15
    shown = [html.unescape(h) for h in re.findall(r"<h2>(.*?)</h2>", document)]
    assert shown == sections
    # the tables are tables, each list item an item, and no Markdown marker is left
    assert document.count("<table>") == written.count("\n|---")
    assert document.count("<li>") == len(re.findall(r"(?m)^\s*- ", written))
    assert "**" not in document and "\n- " not in document


def test_a_plain_table_writes_each_column_as_its_grid_does() -> None:
    """ui.listing's first rows: money, percentages, dates and plain text written as the
    grid beneath would show them, a heading given as a string kept as text, and a
    blank shown as a dash."""
    import datetime

    import pandas as pd
    import streamlit as st

    from sharedsvc_app import ui

    frame = pd.DataFrame(
        {
            "target": [1500.0, None],
            "started": [datetime.date(2014, 4, 1), "2015-01-01"],
            "progress_pct": [37.5, None],
            "measure": [6, None],
            "change": [2.0, 1234.5],
        }
    )
    reader = _TableReader()
    reader.feed(
        ui.short_table_html(
            frame,
            "Two rows",
            {
                "started": st.column_config.DateColumn("Started", format="DD/MM/YYYY"),
                "progress_pct": st.column_config.NumberColumn("Progress %", format="%.1f%%"),
                "measure": "Measure",
                "change": st.column_config.NumberColumn("Change", format="%+.1f"),
            },
        )
    )
    assert reader.caption == "Two rows"
    assert reader.rows == [
        ["Target", "Started", "Progress %", "Measure", "Change"],
        ["£1,500", "01/04/2014", "37.5%", "6.0", "+2.0"],
        ["–", "2015-01-01", "–", "–", "+1234.5"],
    ]
    # a grid format Python's % does not share writes the number plainly
    reader = _TableReader()
    reader.feed(
        ui.short_table_html(
            pd.DataFrame({"share": [1234.5]}),
            "One row",
            {"share": st.column_config.NumberColumn("Share", format="%,.2f")},
        )
    )
    assert reader.rows == [["Share"], ["1234.5"]]


def test_a_block_escapes_what_it_is_given_and_says_each_notice_s_kind() -> None:
    from sharedsvc_app.block import Block, Tile

    out = Block()
    out.notice("warning", "<b>3</b> late & more", strong="Overdue", link=("See", "#late"))
    out.notice("success", "Nothing is behind its target to date.")
    out.tiles([Tile("Target <to date>", "£1.0m", "What it means", "")])
    reader = _BlockReader()
    reader.feed("".join(out.parts))
    assert "Warning: Overdue <b>3</b> late & more See" in reader.text  # as text, not tags
    assert "\nNothing is behind its target to date." in reader.text  # good news: no word
    assert reader.tiles == [("Target <to date>", "£1.0m", "What it means")]
    assert '<a href="#late">See</a>' in out.parts[0] and "&lt;b&gt;" in out.parts[0]


def test_the_blocks_style_is_sent_once_for_a_page(
    register: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each style sheet makes the browser work out the page's styles again, so the
    blocks share one, drawn alone before the page, again on every run."""
    app = open_app(register, monkeypatch, "app_pages/realisation.py")
    bodies = [str(e.proto.body) for e in app.get("html")]
    styles = [b for b in bodies if ".sharedsvc-block" in b and "<style>" in b]
    assert len(styles) == 1 and styles[0].strip().endswith("</style>")
    others = [b for b in bodies if b not in styles]
    assert others and not [b for b in others if "<style>" in b]  # no block carries one
    app.run()
    assert sum(".sharedsvc-block {" in str(e.proto.body) for e in app.get("html")) == 1
