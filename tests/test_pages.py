"""The screens, run for real with AppTest against real stores.

The headline figures are the small programme's (conftest.py), worked out by hand in
test_figures.py: to 2015/16 Q1, target £235,000, evidenced £185,000, net £120,000,
realisation 78.7% (Red), 11 of 24 returns.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import streamlit as st
from conftest import NEL, ROOT
from streamlit.testing.v1 import AppTest

PAGES = (
    "app_pages/overview.py",
    "app_pages/realisation.py",
    "app_pages/partnerships.py",
    "app_pages/taking_stock.py",
    "app_pages/about.py",
)


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


def open_tables(app: AppTest, *keys: str) -> AppTest:
    """Open the "chart's figures as a table" expanders of these charts, as a person
    would, so their tables are sent."""
    for key in keys:
        app.session_state[f"{key}-table"] = True
    app.run()
    assert not app.exception, [e.value for e in app.exception]
    return app


def tiles(app: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in app.metric}


def all_text(app: AppTest) -> str:
    parts = [m.value for m in app.markdown] + [c.value for c in app.caption]
    parts += [i.value for i in app.info] + [t.value for t in app.title]
    return "\n".join(str(p) for p in parts)


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
    # the five items furthest off track carry their commentary as plain text
    off_track = app.dataframe[-1].value
    assert list(off_track["service"])[0] == "ICT"  # ICT NEL: 50,000 target, -4,000 evidenced
    assert "Claim includes vacancy savings" in set(off_track["commentary"])


def test_to_and_as_of_controls_change_the_figures(
    programme: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = open_app(programme, monkeypatch)
    app.selectbox(key="to_quarter").select("2014/15 Q2").run()
    assert tiles(app)["Target to date"] == "£95.0k"
    assert tiles(app)["RAG status"] == "✔ Green"
    app.selectbox(key="to_quarter").select("Latest quarter with a return").run()
    app.toggle(key="as_of_on").set_value(True).run()
    from datetime import date, time

    app.date_input(key="as_of_date").set_value(date(2015, 1, 1)).run()
    app.time_input(key="as_of_time").set_value(time(0, 0)).run()
    assert not app.exception
    # as of 1 January 2015 only the 2014/15 returns had arrived
    assert tiles(app)["Evidenced saving"] == "£105.0k"
    assert "as they stood on 01/01/2015" in all_text(app)


def test_filters_change_the_figures(programme: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    app = open_app(programme, monkeypatch, "app_pages/realisation.py")
    assert tiles(app)["Target to date"] == "£235.0k"
    app.multiselect(key="filter_service").select("HR").run()
    # HR: target 60,000 (2014/15) + 15,000 (2015/16 Q1); evidenced 45,000
    assert tiles(app)["Target to date"] == "£75.0k"
    assert tiles(app)["Evidenced"] == "£45.0k"
    assert tiles(app)["Realisation"] == "60.0%"
    register = app.dataframe[0].value
    assert set(register["service"]) == {"Human resources"}
    app.multiselect(key="filter_council").select(NEL).run()
    # HR at NEL: target 20,000 + 5,000; evidenced 6,000 + 5,000
    assert tiles(app)["Target to date"] == "£25.0k"
    assert tiles(app)["Evidenced"] == "£11.0k"


def test_rag_filter_narrows_the_register(programme: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    app = open_app(programme, monkeypatch, "app_pages/realisation.py")
    app.multiselect(key="filter_rag").select("no_data").run()
    register = app.dataframe[0].value
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
    # only the chosen tab's table is sent: the first, until another is chosen
    [partnerships] = (d.value for d in app.dataframe)
    assert list(partnerships["name"]) == ["Northern Lincolnshire hub"]
    assert list(partnerships["delivery_model"]) == ["hub_and_spoke"]
    app.session_state["partnerships-tab"] = "Members and cost shares"
    app.run()
    [members] = (d.value for d in app.dataframe)
    assert sorted(members["cost_share"]) == [0.4, 0.6]
    app.session_state["partnerships-tab"] = "Services"
    app.run()
    [services] = (d.value for d in app.dataframe)
    assert set(services["stage"]) == {"Live", "FBC"}
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


def test_an_empty_store_says_so_plainly(db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for page in PAGES:
        app = open_app(db, monkeypatch, page)
        assert not app.exception


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
    app.multiselect(key="filter_service").select("HR").run()
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
        return [str(i.proto.imgs[0].alt) for i in app.get("image")]

    then = " Summarised beneath; its figures are in the table after that."
    assert alts() == [
        "Chart: cumulative target, evidenced and claimed savings by quarter." + then,
        "Chart: realisation % by partnership, coloured and labelled by RAG." + then,
    ]
    assert all(str(i.proto.imgs[0].url).startswith("data:image/svg+xml") for i in app.get("image"))
    # the one partnership: 185,000 of 235,000 = 78.7% (Red)
    assert "✖ Red: 1. Lowest realisation: Northern Lincolnshire hub (78.7%)." in [
        c.value for c in app.caption
    ]
    # closed, the chart tables are not sent: only "Furthest off track" is
    assert [list(d.value.columns)[0] for d in app.dataframe] == ["service"]
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
    ) in [c.value for c in app.caption]
    open_tables(app, "overview-trajectory")
    trajectory = next(d.value for d in app.dataframe if "quarter" in d.value.columns)
    # the hand-worked programme: the cumulative target reaches 235,000 by 2015/16 Q1
    assert list(trajectory["quarter"])[-1] == "2015/16 Q1"
    assert trajectory["cumulative_target"].iloc[-1] == 235_000
