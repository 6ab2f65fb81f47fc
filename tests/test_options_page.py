"""The Options appraisal page, run with AppTest against a real store whose weighted
scores and ranks are worked by hand in test_options.py."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_options import load_appraisal
from test_pages import all_text, block_text, headings, open_app, open_box, short_tables

PAGE = "app_pages/options.py"


@pytest.fixture
def appraised(register: Path, tmp_path: Path) -> Path:
    return load_appraisal(register, tmp_path)


def test_the_matrix_the_swot_and_the_warnings(
    appraised: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = open_app(appraised, monkeypatch, PAGE)
    assert not app.error and not app.exception
    assert "Showing every service." in block_text(app)
    assert [h for h in headings(app) if h != "Period"] == [
        "Human resources (HR)",
        "ICT (ICT)",
        "Legal (LEG)",
    ]
    assert headings(app, "h3")[:2] == [
        "Scoring matrix",
        "Strengths, weaknesses, opportunities and threats",
    ]
    tables = short_tables(app)
    assert len(tables) == 6  # a matrix and a SWOT for each of the three services
    legal = tables[4]
    assert legal.caption.startswith("Scoring matrix of LEG")
    assert legal.rows[0] == [
        "Option",
        "Model",
        "Short list",
        "Chosen",
        "Value for money (weight 50)",
        "Resilience (weight 30)",
        "Staff (weight 20)",
        "Weighted score",
        "Rank",
    ]
    # by rank, as worked out in test_options.py; CLU lacks a score on Staff
    assert [r[0] for r in legal.rows[1:]] == [
        "Centralised service (HUB)",
        "Specialist lead authorities (LEAD)",
        "Outsourcing via a managed service (OUT)",
        "Do the minimum (DM)",
        "Do nothing (DN)",
        "Clusters (CLU)",
    ]
    assert legal.rows[1][1:] == ["Hub and spoke", "Yes", "Yes", "8", "7", "6", "7.30", "1"]
    assert legal.rows[2][-2:] == ["7.30", "1"]
    assert legal.rows[5][1] == "Do nothing (business as usual)"
    assert legal.rows[6][4:] == ["9", "9", "not scored", "not scored", "unranked"]
    # HR: a short list with neither baseline is warned of, in words
    said = block_text(app)
    assert "Warning: The short list of HR has no do_nothing or do_minimum option" in said
    assert "Warning: Option CLU is not yet scored on Staff" in said
    text = all_text(app)
    assert "Preferred option: Centralised service (HUB)." in text
    assert "No option is chosen yet." in text


def test_the_swot_in_words(
    appraised: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from conftest import run_cli, write_csv

    from sharedsvc_core.contract import KINDS

    header = KINDS["options"].header()
    row = [
        "ICT",
        "Z",
        "Lead authority",
        "lead_authority",
        "no",
        "no",
        "One team <b>and</b> one system",
        "Staff must move",
        "Sell to other councils",
        "",
    ]
    path = write_csv(tmp_path / "swot.csv", header, [row])
    assert run_cli("load", "options", path, "--db", appraised).code == 0
    app = open_app(appraised, monkeypatch, PAGE)
    open_box(app, "options_services_box").multiselect(key="options_services").select("ICT").run()
    assert [h for h in headings(app) if h != "Period"] == ["ICT (ICT)"]
    assert "Showing service ICT (ICT)." in block_text(app)
    matrix, swot = short_tables(app)
    assert swot.rows[0] == ["Option", "Strengths", "Weaknesses", "Opportunities", "Threats"]
    # the text as written, markup and all, and a dash for a blank
    assert swot.rows[3] == [
        "Lead authority (Z)",
        "One team <b>and</b> one system",
        "Staff must move",
        "Sell to other councils",
        "–",
    ]
