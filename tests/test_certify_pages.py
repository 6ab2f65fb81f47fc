"""Certification and the returns calendar on the screens, run with AppTest against real
stores. The small programme (conftest.py) with both years' returns: submission 6 is
RETURNS_2014 and submission 7 RETURNS_2015, neither certified at first.

Worked by hand: the programme's evidenced saving to 2015/16 Q1 is £185,000 with 11 of
24 returns received (test_figures.py). Counting the 2014 returns alone (submission 6):
HR North Lincolnshire Q1 100,000 - 92,000 = 8,000 and Q2 100,000 - 89,000 = 11,000;
HR North East Lincolnshire Q1 50,000 - 44,000 = 6,000; ICT whole-service Q1 270,000
shared 0.6/0.4 gives 200,000 - 162,000 = 38,000 and 100,000 - 108,000 = -8,000; ICT Q2
250,000 gives 200,000 - 150,000 = 50,000 and 100,000 - 100,000 = 0. In all £105,000,
from 7 of the 11 returns. 24 - 11 = 13 returns are outstanding, every one long overdue;
the oldest is North Lincolnshire's Legal for 2014/15 Q1, due 30 July 2014.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import count_rows, run_cli
from test_pages import block_text, open_app, tiles
from test_roles_pages import EMAILS, _give_roles, _text, as_person


def _captions(app: object) -> str:
    """The captions, and the words beneath the Overview's tiles."""
    said = [c.value for c in app.caption]  # type: ignore[attr-defined]
    said += [beneath for _, _, beneath in _tiles(app)]
    return " | ".join(said)


def _tiles(app: object) -> list[tuple[str, str, str]]:
    from test_pages import blocks

    return [tile for reader in blocks(app) for tile in reader.tiles]  # type: ignore[arg-type]


def _metric(app: object, label: str) -> str:
    return next(v for k, v in tiles(app).items() if k.startswith(label))  # type: ignore[arg-type]


def test_the_overview_says_how_much_is_certified(
    programme: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = open_app(programme, monkeypatch)
    assert "£185.0k evidenced, £0 certified" in _captions(app)
    assert "0 of them certified" in _captions(app)
    assert (
        run_cli("certify", "6", "--db", programme, "--user", "checker@northlincs.gov.uk").code == 0
    )
    app = open_app(programme, monkeypatch)
    assert "£185.0k evidenced, £105.0k certified" in _captions(app)
    assert "7 of them certified" in _captions(app)
    assert _metric(app, "Evidenced saving") == "£185.0k"
    # the switch under Period counts certified returns only
    assert "Counting every return, certified or not." in " ".join(
        m.value for m in app.sidebar.markdown
    )
    app.session_state["period_box"] = True  # the period's box, opened
    app.run()
    app.sidebar.toggle(key="certified_only").set_value(True).run()
    assert not app.exception
    assert _metric(app, "Evidenced saving") == "£105.0k"
    assert _metric(app, "Returns received") == "7 of 24"
    assert "Counting certified returns only." in " ".join(m.value for m in app.sidebar.markdown)


def test_the_overview_counts_the_overdue_returns(
    programme: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = open_app(programme, monkeypatch)
    said = block_text(app)
    found = re.search(
        r"Warning: 13 returns overdue \(oldest: North Lincolnshire LEG 2014/15 Q1, (\d+) days\)\. "
        r"See the returns outstanding",
        said,
    )
    assert found, said
    # the notice links to the list's heading
    bodies = " ".join(str(e.proto.body) for e in app.get("html"))
    assert "<strong>13 returns overdue</strong>" in bodies
    assert '<a href="#returns-outstanding">' in bodies and '<h2 id="returns-outstanding">' in bodies
    app.session_state["overview-outstanding-box"] = True  # the list, opened
    app.run()
    listed = next(d.value for d in app.dataframe if "days_overdue" in d.value.columns)
    assert len(listed) == 13
    assert listed.iloc[0]["due_date"] == "2014-07-30"
    assert int(listed.iloc[0]["days_overdue"]) == int(found.group(1))


def test_a_certifier_certifies_and_returns_on_the_page(
    programme: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _give_roles(programme)  # the certifier certifies North Lincolnshire only
    app = as_person(programme, monkeypatch, EMAILS["certifier"], "app_pages/certify.py")
    # submissions 6 and 7 carry rows for North East Lincolnshire too: not theirs to decide
    assert "Nothing is awaiting your certification." in _text(app)
    app = as_person(programme, monkeypatch, EMAILS["administrator"], "app_pages/certify.py")
    assert app.selectbox(key="certify_pick").options[0].startswith("Submission 6:")
    app.button(key="FormSubmitter:certify_form_6-Certify").click().run()
    assert any("Tick the declaration" in e.value for e in app.error)
    assert count_rows(programme, "certifications") == 0
    app.checkbox(key="certify_declare_6").check()  # ticked, then the form sent
    app.button(key="FormSubmitter:certify_form_6-Certify").click().run()
    assert not app.exception
    assert any("Submission 6 is certified" in s.value for s in app.success), _text(app)
    app.selectbox(key="certify_pick").select(7).run()
    app.text_area(key="return_reason_7").input("HR Q1 for North East Lincolnshire is twice")
    app.button(key="FormSubmitter:return_form_7-Return").click().run()
    assert any("Tick the box to confirm" in e.value for e in app.error)
    app.text_area(key="return_reason_7").input("HR Q1 for North East Lincolnshire is twice")
    app.checkbox(key="return_sure_7").check()
    app.button(key="FormSubmitter:return_form_7-Return").click().run()
    assert not app.exception
    assert any("Submission 7 was returned" in s.value for s in app.success)
    listed = run_cli("submissions", "--db", programme, "--format", "csv").out
    assert f"certified,{EMAILS['administrator']}" in listed
    assert f"returned,{EMAILS['administrator']}" in listed
