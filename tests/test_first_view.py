"""The first view of the Overview after a load: the cache warmed for it, and "furthest
off track" picked from the exact sums before the figures are worked out.

The small programme's figures are conftest.py's, worked out by hand in test_pages.py:
to 2015/16 Q1, ICT at North East Lincolnshire is £54,000 short of target, Human
resources at North Lincolnshire £16,000, Human resources at North East Lincolnshire
£14,000 and Legal at North Lincolnshire £10,000; every other pair is on target.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import streamlit as st
from conftest import NEL, NL, ROOT
from streamlit.testing.v1 import AppTest
from test_pages import tiles

from sharedsvc_app import data
from sharedsvc_core import explore
from sharedsvc_core.store import Store

BEHIND = [("ICT", NEL, 54000.0), ("HR", NL, 16000.0), ("HR", NEL, 14000.0), ("LEG", NL, 10000.0)]


def _pairs(frame: Any) -> list[tuple[str, str, float]]:
    return [
        (s, c, float(short))
        for s, c, short in zip(
            frame["service_code"], frame["council"], frame["shortfall"], strict=True
        )
    ]


@pytest.mark.parametrize("count", [1, 2, 3, 4, 5])
def test_off_track_picks_the_pairs_furthest_behind(programme: Path, count: int) -> None:
    with Store.open(programme).reading() as con:
        frame = explore.off_track(con, explore.Scope(), count)
    assert _pairs(frame) == BEHIND[:count]


def test_off_track_with_nothing_behind_is_empty(register: Path) -> None:
    # targets and no return: every pair is behind, by its whole target to date, but no
    # quarter has a return, so there is no period "to date" yet
    with Store.open(register).reading() as con:
        assert explore.off_track(con, explore.Scope()).empty


def test_a_warmed_cache_answers_every_question_of_the_overview(
    programme: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SHAREDSVC_DB", str(programme))
    monkeypatch.chdir(ROOT)
    st.cache_data.clear()
    st.cache_resource.clear()
    data.warm(data.store_path(), Store.open(programme).version())
    # from here on, any question worked out rather than found in the cache fails
    asked: list[str] = []

    def refuse(name: str) -> Any:
        def question(*_: Any) -> Any:
            asked.append(name)
            raise AssertionError(f"{name} was not in the warmed cache")

        return question

    monkeypatch.setattr(data, "_QUESTIONS", {name: refuse(name) for name in data._QUESTIONS})
    app = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=90)
    app.run()
    assert not app.exception, [e.value for e in app.exception]
    assert asked == []
    assert tiles(app)["Target to date"] == "£235.0k"
