"""Benefits realisation's filters offer only what "Find a partnership or service" finds,
so a national programme's thousands of partnerships and services are not all sent to
the browser. The small programme (conftest.py) has one partnership, NLH ("North
Lincolnshire and North East Lincolnshire shared services"), and three services: HR
("Human resources"), ICT ("ICT") and LEG ("Legal")."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_pages import all_text, open_app, open_box, tiles

from sharedsvc_app import fmt
from sharedsvc_core import explore

LABELS = {"P1": "Shared legal services", "P2": "Legal and democratic", "P3": "ICT"}


def test_matching_finds_every_word_in_a_name_or_code_in_order_of_name() -> None:
    assert explore.matching(LABELS, "legal") == (["P2", "P1"], 0)
    assert explore.matching(LABELS, "  SHARED   legal ") == (["P1"], 0)
    assert explore.matching(LABELS, "p3") == (["P3"], 0)
    assert explore.matching(LABELS, "legal ict") == ([], 0)
    assert explore.matching(LABELS, "") == (["P3", "P2", "P1"], 0)


def test_matching_offers_at_most_the_limit_and_counts_the_rest() -> None:
    labels = {f"S{i:02}": f"Service {i:02}" for i in range(60)}
    found, more = explore.matching(labels, "service", limit=50)
    assert found == [f"S{i:02}" for i in range(50)]
    assert more == 10
    # "5" is in the names and codes of 05, 15, 25, 35, 45 and 50 to 59: 15 in all
    fives = [f"S{i:02}" for i in (5, 15, 25, 35, 45, *range(50, 60))]
    assert explore.matching(labels, "service 5", limit=50) == (fives, 0)
    assert explore.matching(labels, "service 5", limit=10) == (fives[:10], 5)


def test_the_note_says_what_is_left_out_and_what_matched_nothing() -> None:
    box = "Find a partnership or service"
    assert fmt.found_note(box, "", (50, 5950, "partnership"), (50, 11950, "service")) == (
        "The lists offer 50 of 6,000 partnerships and 50 of 12,000 services: type part of "
        "a name or code in “Find a partnership or service” to find the others."
    )
    assert fmt.found_note(box, "hr*", (0, 0, "partnership"), (1, 0, "service")) == (
        "No partnership matches “hr\\*”."
    )
    assert fmt.found_note(box, "", (1, 0, "partnership"), (3, 0, "service")) == ""


def test_the_search_narrows_the_lists_and_keeps_what_is_chosen(
    programme: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = open_box(open_app(programme, monkeypatch, "app_pages/realisation.py"), "filters_box")
    box = app.text_input(key="filter_find")
    assert box.label == "Find a partnership or service"
    assert app.multiselect(key="filter_service").options == [
        "Human resources (HR)",
        "ICT (ICT)",
        "Legal (LEG)",
    ]
    box.input("human").run()
    assert app.multiselect(key="filter_service").options == ["Human resources (HR)"]
    assert app.multiselect(key="filter_partnership").options == []
    assert "No partnership matches “human”." in [c.value for c in app.caption]
    app.multiselect(key="filter_service").select("HR").run()
    # HR: target 60,000 (2014/15) + 15,000 (2015/16 Q1), as in test_pages.py
    assert tiles(app)["Target to date"] == "£75.0k"
    app.text_input(key="filter_find").input("ict").run()
    # what is chosen stays chosen, and on offer, whatever is searched for next
    assert app.multiselect(key="filter_service").options == ["ICT (ICT)", "Human resources (HR)"]
    assert app.multiselect(key="filter_service").value == ["HR"]
    assert tiles(app)["Target to date"] == "£75.0k"
    assert "No partnership matches" in all_text(app)
