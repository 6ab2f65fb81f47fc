"""The Taking Stock page, with AppTest, on the survey of test_survey.py (worked by hand
there) and the small programme's savings."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from conftest import run_cli, write_csv
from streamlit.testing.v1 import AppTest
from test_pages import block_text, blocks, choose_tab, open_app, open_box, open_tables
from test_survey import HEADER, ROWS

from sharedsvc_core.contract import KINDS

COMMENT_HEADER = KINDS["comments"].header()
COMMENTS = [
    ["2014/15", "staff", "concern", "Worried about the restructure and my job", ""],
    ["2014/15", "trade_unions", "barrier", "Different terms and conditions", "HR"],
    ["2014/15", "elected_members", "need", "<script>alert('x')</script>", ""],
    ["2014/15", "staff", "need", '=HYPERLINK("http://example.com","click")', ""],
    ["2013/14", "managers", "progress", "One payroll now runs for both councils", "HR"],
]


@pytest.fixture
def surveyed(programme: Path, tmp_path: Path) -> Path:
    survey = write_csv(tmp_path / "survey.csv", HEADER, ROWS)
    comments = write_csv(tmp_path / "comments.csv", COMMENT_HEADER, COMMENTS)
    assert run_cli("load", "survey", survey, "--db", programme).code == 0
    assert run_cli("load", "comments", comments, "--db", programme).code == 0
    return programme


def page(db: Path, monkeypatch: pytest.MonkeyPatch) -> AppTest:
    return open_app(db, monkeypatch, "app_pages/taking_stock.py")


def metrics(app: AppTest) -> dict[str, tuple[str, str]]:
    """label: (value, change); a tile with no change to show has the change ""."""
    tiles = [tile for reader in blocks(app) for tile in reader.tile_parts]
    return {t["label"]: (t["value"], t.get("about", "")) for t in tiles}


def respondents(app: AppTest) -> dict[str, str]:
    """label: how many answered, as said beneath the tile."""
    tiles = [tile for reader in blocks(app) for tile in reader.tile_parts]
    return {t["label"]: t["note"] for t in tiles}


def choose(app: AppTest, tab: str) -> AppTest:
    return choose_tab(app, "survey-tab", tab)


def table_with(app: AppTest, column: str) -> list[dict[str, object]]:
    return next(d.value for d in app.dataframe if column in d.value.columns).to_dict("records")


def test_net_agreement_by_group_with_change(
    surveyed: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = page(surveyed, monkeypatch)
    # the latest wave, said above the filters' box; the box opened, its list agrees
    assert "The 2014/15 wave. Showing every stakeholder group and service." in block_text(app)
    assert open_box(app, "survey_filters_box").selectbox(key="survey_wave").value == "2014/15"
    found = metrics(app)
    # staff 2014/15: 60.0 - 20.0 = +40.0; in 2013/14: 25.0 - 50.0 = -25.0; change +65.0
    assert found["Staff"] == ("+40.0", "+65.0 since 2013/14")
    # unions: 0.0 - 83.3; managers: 93.8 - 6.3 = +87.5; neither answered in 2013/14
    assert found["Trade unions"][0] == "-83.3"
    assert found["Service managers"] == ("+87.5", "")
    # the unions' six people get a caution
    assert "Warning: Fewer than 10 people answered in: Trade unions (6)." in block_text(app)
    assert respondents(app)["Trade unions"] == "6 people answered"


def test_page_figures_are_the_reports(surveyed: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    report = run_cli("report", "survey", "--db", surveyed, "--wave", "2014/15", "--format", "csv")
    expected = {(r["group"], r["statement"]): r for r in csv.DictReader(io.StringIO(report.out))}
    app = choose(page(surveyed, monkeypatch), "Each statement")
    # each statement's chart has its figures in a table beneath it
    open_tables(app, *(f"survey-diverging-{i}" for i in range(3)))
    shown = [
        row
        for d in app.dataframe
        if "mean_score" in d.value.columns
        for row in d.value.to_dict("records")
    ]
    labels = {"Staff": "staff", "Trade unions": "trade_unions", "Service managers": "managers"}
    assert len(shown) == len(expected) == 3
    for row in shown:
        statement = next(s for (g, s) in expected if g == labels[row["group_label"]])
        line = expected[(labels[row["group_label"]], statement)]
        assert f"{row['net_agreement']:.1f}" == line["net_agreement"]
        assert f"{row['mean_score']:.2f}" == line["mean_score"]
        assert str(row["responses"]) == line["responses"]


def test_filters_by_group_and_service(surveyed: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    app = page(surveyed, monkeypatch)
    open_box(app, "survey_filters_box").multiselect(key="survey_group").select("staff").run()
    assert list(metrics(app)) == ["Staff"]
    app.multiselect(key="survey_service").select("HR").run()
    # staff about HR only: 0, 1, 1, 2, 4 -> agree 75.0, disagree 12.5 -> +62.5;
    # no HR answers in 2013/14, so no change to show
    assert metrics(app)["Staff"] == ("+62.5", "")
    app.selectbox(key="survey_wave").select("2013/14").run()
    assert not app.exception
    assert any("No answers match" in i.value for i in app.info)


def test_survey_beside_benefits(surveyed: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    app = choose(page(surveyed, monkeypatch), "Survey beside benefits")
    [line] = table_with(app, "summary")
    # HR to date: evidenced 45,000 of 75,000 = 60.0%, Red; staff about HR: +62.5
    assert line["service"] == "Human resources"
    assert line["summary"] == "savings ✖ Red; staff net agreement +62.5"
    assert line["realisation_pct"] == 60.0


def test_comments_are_searchable_counted_and_shown_as_text(
    surveyed: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = choose(page(surveyed, monkeypatch), "Comments")
    counts = {r["theme"]: r for r in table_with(app, "2014/15")}
    assert (counts["need"]["2014/15"], counts["progress"]["2013/14"]) == (2, 1)
    comments = [r["comment"] for r in table_with(app, "comment")]
    assert "<script>alert('x')</script>" in comments  # literally, never run or rendered
    assert '=HYPERLINK("http://example.com","click")' in comments
    assert all("<script>" not in m.value for m in app.markdown)
    app.text_input(key="comment_search").input("RESTRUCTURE").run()
    assert [r["comment"] for r in table_with(app, "comment")] == [
        "Worried about the restructure and my job"
    ]
    # the search is still there after a look at another tab
    choose(choose(app, "Response counts"), "Comments")
    assert app.text_input(key="comment_search").value == "RESTRUCTURE"
    assert [r["comment"] for r in table_with(app, "comment")] == [
        "Worried about the restructure and my job"
    ]
    app.text_input(key="comment_search").input("").run()
    app.multiselect(key="comment_theme").select("barrier").run()
    assert [r["group"] for r in table_with(app, "comment")] == ["Trade unions"]
    app.toggle(key="comment_all_waves").set_value(True).run()
    app.multiselect(key="comment_theme").unselect("barrier").select("progress").run()
    assert [r["wave"] for r in table_with(app, "comment")] == ["2013/14"]


def test_no_survey_yet(programme: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    app = page(programme, monkeypatch)
    assert any("No Taking Stock survey" in i.value for i in app.info)
