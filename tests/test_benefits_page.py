"""The Benefits register page, run with AppTest against a real store whose figures are
worked by hand in test_benefits.py."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest
from test_benefits import BENEFITS_HEADER, REGISTER, _load, load_benefits
from test_pages import (
    all_text,
    choose_tab,
    open_app,
    open_box,
    open_grids,
    open_tables,
    pictures,
    short_tables,
    tiles,
)

PAGE = "app_pages/benefits.py"


def choose(app: AppTest, tab: str) -> AppTest:
    return choose_tab(app, "benefits-tab", tab)


@pytest.fixture
def register(programme: Path, tmp_path: Path) -> Path:
    return load_benefits(programme, tmp_path)


def listed(app: object) -> list[dict[str, str]]:
    """The register's rows as the plain table on the page shows them, by heading."""
    [table] = [t for t in short_tables(app) if t.rows and "Benefit" in t.rows[0]]  # type: ignore[arg-type]
    head, *rows = table.rows
    return [dict(zip(head, row, strict=True)) for row in rows]


def test_the_register_in_words_with_each_dis_benefit_beside_its_benefit(
    register: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = open_app(register, monkeypatch, PAGE)
    assert not app.error
    # B-DAYS and B-ANX behind, B-FIRST on track, B-CASH behind, B-NONE no data
    assert tiles(app) == {"✔ Achieved": "0", "▲ On track": "1", "✖ Behind": "3", "○ No data": "1"}
    # on the first view, the register is a plain table; its grid waits to be asked for
    assert not app.dataframe
    rows = listed(app)
    assert [r["Benefit"] for r in rows] == [
        "Fewer days lost (B-DAYS)",
        "Staff anxiety during the move (B-ANX)",  # the dis-benefit that comes with B-DAYS
        "Cases resolved first time (B-FIRST)",
        "ICT savings (B-CASH)",
        "Quicker contracts (B-NONE)",
    ]
    days = rows[0]
    assert (days["Class"], days["Status"], days["Progress %"], days["Expected %"]) == (
        "Non-cash",
        "✖ Behind",
        "37.5%",
        "50.0%",
    )
    assert (days["Latest value"], days["Latest quarter"], days["Target"]) == (
        "8.5 days",
        "2015/16Q2",
        "6 days by 31/03/2017",
    )
    assert rows[1]["Class"] == "Dis-benefit" and rows[1]["Depends on"] == "Fewer days lost (B-DAYS)"
    assert rows[3]["Latest value"] == "£140,000.00"
    assert rows[3]["Target"] == "£600,000.00 by 31/03/2016"
    # the grid has the same rows, with the percentages as numbers to sort by
    grid = open_grids(app, "benefits-register").dataframe[0].value.to_dict("records")
    assert [r["benefit"] for r in grid] == [r["Benefit"] for r in rows]
    assert (grid[0]["progress_pct"], grid[0]["expected_pct"]) == (37.5, 50.0)


def test_filters_by_class_owner_and_status(register: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    app = open_app(register, monkeypatch, PAGE)
    assert "Showing every class, owner and status." in all_text(app)
    open_box(app, "benefit_filters_box")
    app.multiselect(key="benefit_status").select("no_data").run()
    assert [r["Benefit"] for r in listed(app)] == ["Quicker contracts (B-NONE)"]
    assert "Showing status ○ No data; every class and owner." in all_text(app)
    app.multiselect(key="benefit_status").unselect("no_data").run()
    app.multiselect(key="benefit_owner").select("Director of Resources").run()
    assert [r["Benefit"] for r in listed(app)] == [
        "Fewer days lost (B-DAYS)",
        "ICT savings (B-CASH)",
    ]
    app.multiselect(key="benefit_class").select("quality").run()
    assert "No benefit matches these filters." in all_text(app)


def test_a_profile_with_its_figures_as_a_table(
    register: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = choose(open_app(register, monkeypatch, PAGE), "A benefit's profile")
    app.selectbox(key="benefit_profile").select("B-DAYS").run()
    text = all_text(app)
    assert (
        "Fewer days lost: should fall, from 10 days on 31/03/2014 to 6 days by 31/03/2017. "
        "Latest 8.5 days in 2015/16Q2: 37.5% of the way, where 50.0% was expected. "
        "Status: Behind." in text
    )
    assert pictures(app), "the profile is drawn"
    open_tables(app, "benefit-profile")
    table = [d for d in app.dataframe if "planned" in d.value.columns][0].value
    # the straight line from 10 (31/03/2014) to 6 (31/03/2017): 9.0000 at 31/03/2015
    # (365 of 1,096 days: 10 - 4 x 365/1096 = 8.6679), 8 at 30/09/2015 (548 days)
    assert list(table["point"]) == ["Baseline", "2014/15 Q4", "2015/16 Q2", "Target"]
    assert list(table["measured"]) == ["–", "9", "8.5", "–"]
    assert list(table["planned"]) == ["10", "8.6679", "8", "6"]
    # another benefit chosen stays chosen after a look at another tab
    app.selectbox(key="benefit_profile").select("B-FIRST").run()
    choose(choose(app, "The register"), "A benefit's profile")
    assert app.selectbox(key="benefit_profile").value == "B-FIRST"


def test_changes_since_the_business_case(
    register: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    changed = [r[:] for r in REGISTER if r[0] == "B-FIRST"][0]
    changed[9] = "70"
    result = _load(
        register,
        tmp_path,
        "benefits",
        [*BENEFITS_HEADER, "reason"],
        [[*changed, "Two councils left the scheme"]],
        "2016-02-01T10:30:00Z",
        "change.csv",
    )
    assert result.code == 0, result
    app = choose(open_app(register, monkeypatch, PAGE), "Changes since the business case")
    changes = app.dataframe[-1].value.to_dict("records")
    assert len(changes) == 1
    change = changes[0]
    assert (change["what"], change["field"], change["original"], change["current"]) == (
        "Benefit B-FIRST",
        "Target value",
        "80",
        "70",
    )
    assert (change["changed_by"], change["reason"]) == ("pmo", "Two councils left the scheme")
