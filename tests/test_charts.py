"""The charts (sharedsvc_core.charts): each draws, and carries its meaning in words as
well as colour. The SVG keeps its words as text, so the tests read them there."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from sharedsvc_core import charts


def _words(svg: str) -> list[str]:
    """Every piece of text drawn in the SVG, in order."""
    return [re.sub(r"\s+", " ", t).strip() for t in re.findall(r"<text[^>]*>([^<]*)</text>", svg)]


def test_rag_bars_write_each_rag_in_words_lowest_first() -> None:
    frame = pd.DataFrame(
        {
            "name": ["HR", "ICT", "Legal", "Audit"],
            "realisation_pct": [60.0, 133.3, 0.0, None],
            "rag": ["red", "green", "no_data", None],
        }
    )
    words = _words(charts.svg(charts.rag_bars(frame, "name", "Realisation % by service")))
    labels = [w for w in words if re.match(r"^(Red|Amber|Green|No data|No target)", w)]
    # a group with no target has no percentage to show: its label says so instead
    assert labels == ["No target", "No data 0.0%", "Red 60.0%", "Green 133.3%"]
    assert "Realisation % by service" in words


def test_variance_says_ahead_or_behind_with_the_amount() -> None:
    frame = pd.DataFrame({"name": ["HR", "ICT"], "variance": [-1_234_567.0, 5_000.0]})
    words = _words(charts.svg(charts.variance(frame, "name")))
    assert "-£1.2m behind" in words and "+£5k ahead" in words


def test_the_trajectory_names_its_lines_and_writes_pounds_on_its_axis() -> None:
    frame = pd.DataFrame(
        {
            "quarter": ["2014/15 Q1", "2014/15 Q2"],
            "cumulative_target": [500_000.0, 1_000_000.0],
            "cumulative_evidenced": [250_000.0, 1_250_000.0],
            "cumulative_claimed": [None, 900_000.0],
        }
    )
    words = _words(charts.svg(charts.trajectory(frame)))
    assert {"Target", "Evidenced", "Claimed", "2014/15 Q1", "2014/15 Q2"} <= set(words)
    assert any(w.startswith("£") and w.endswith("m") for w in words), words


def test_efficiency_marks_a_service_with_no_return() -> None:
    frame = pd.DataFrame({"name": ["HR", "Legal"], "efficiency_pct": [4.4, None]})
    words = _words(charts.svg(charts.efficiency(frame, "name", 3.0)))
    assert "4.4%" in words and "no return yet" in words
    assert "Gershon reference: 3% a year" in words


@pytest.mark.parametrize(
    ("value", "digits", "text"),
    [
        (950.0, 1, "£950"),
        (-950.0, 1, "-£950"),
        (12_345.0, 1, "£12.3k"),
        (1_000_000.0, 1, "£1m"),
        (1_250_000.0, 2, "£1.25m"),
        # half away from zero, as every amount is rounded (not to the even tenth)
        (-1_250_000.0, 1, "-£1.3m"),
        (1_250.0, 1, "£1.3k"),
        (999_960.0, 1, "£1m"),
        (-0.4, 1, "£0"),
    ],
)
def test_money_on_charts(value: float, digits: int, text: str) -> None:
    assert charts._money(value, digits) == text


_DRAW = """
import hashlib, sys
import pandas as pd
from sharedsvc_core import charts
frame = pd.DataFrame({"stage": ["SOC", "Live"], "services": [1, 9]})
sys.stdout.write(hashlib.sha256(charts.svg(charts.pipeline(frame)).encode()).hexdigest())
"""


def test_the_same_figures_draw_the_same_svg_in_any_process() -> None:
    """The browser caches a chart by its bytes, and a board pack drawn twice must not
    differ: two fresh processes, with different hash seeds, draw the same SVG as this
    one (matplotlib would otherwise salt its element ids and write the date)."""
    import hashlib
    import os
    import subprocess
    import sys

    from conftest import ROOT

    frame = pd.DataFrame({"stage": ["SOC", "Live"], "services": [1, 9]})
    here = hashlib.sha256(charts.svg(charts.pipeline(frame)).encode()).hexdigest()
    drawn = [
        subprocess.run(
            [sys.executable, "-c", _DRAW],
            cwd=ROOT,
            env={**os.environ, "PYTHONHASHSEED": seed},
            capture_output=True,
            text=True,
            check=True,
            timeout=120,
        ).stdout
        for seed in ("1", "2")
    ]
    assert drawn == [here, here]


# The same charts to explore in the browser (sharedsvc_app.figures): the same figures,
# words and order as the pictures above, worked out here by hand.


def test_every_chart_has_a_version_to_explore() -> None:
    from sharedsvc_app import charts as screen
    from sharedsvc_app import figures

    assert set(figures.BUILDERS) == set(screen.CHARTS)


def test_rag_bars_to_explore_carry_the_rag_in_words_lowest_at_the_top() -> None:
    from sharedsvc_app import figures

    frame = pd.DataFrame(
        {
            "name": ["HR", "ICT", "Legal", "Audit"],
            "realisation_pct": [60.0, 133.3, 0.0, None],
            "rag": ["red", "green", "no_data", None],
        }
    )
    fig = figures.rag_bars(frame, "name", "Realisation % by service")
    [bars] = fig.data
    assert list(bars.y) == ["Audit", "Legal", "HR", "ICT"]
    assert list(bars.text) == ["No target", "No data 0.0%", "Red 60.0%", "Green 133.3%"]
    assert list(bars.marker.color) == ["#BBBBBB", "#999999", "#D55E00", "#009E73"]
    assert fig.layout.yaxis.autorange == "reversed"  # the first row at the top
    assert fig.layout.title.text == "Realisation % by service"


def test_variance_to_explore_says_ahead_or_behind_and_patterns_the_shortfall() -> None:
    from sharedsvc_app import figures

    frame = pd.DataFrame({"name": ["HR", "ICT"], "variance": [-1_234_567.0, 5_000.0]})
    [bars] = figures.variance(frame, "name").data
    assert list(bars.text) == ["-£1.2m behind", "+£5k ahead"]
    assert list(bars.marker.pattern.shape) == ["/", ""]


def test_the_trajectory_to_explore_tells_its_lines_apart_without_colour() -> None:
    from sharedsvc_app import figures

    frame = pd.DataFrame(
        {
            "quarter": ["2014/15 Q1", "2014/15 Q2"],
            "cumulative_target": [500_000.0, 1_000_000.0],
            "cumulative_evidenced": [250_000.0, 1_250_000.0],
            "cumulative_claimed": [None, 900_000.0],
        }
    )
    lines = figures.trajectory(frame).data
    assert [(t.name, t.line.dash, t.marker.symbol) for t in lines] == [
        ("Target", "dash", "diamond"),
        ("Evidenced", "solid", "circle"),
        ("Claimed", "dot", "square"),
    ]
    # a quarter with no claim is a gap in the line, not a claim of £0
    assert list(lines[2].y) == [None, 900_000.0]
    assert list(lines[0].x) == ["2014/15 Q1", "2014/15 Q2"]


def test_diverging_bars_centre_neutral_on_zero() -> None:
    from sharedsvc_app import figures

    frame = pd.DataFrame(
        {
            "group_label": ["Staff"],
            "share_strongly_disagree": [10.0],
            "share_disagree": [15.0],
            "share_neutral": [20.0],
            "share_agree": [40.0],
            "share_strongly_agree": [15.0],
        }
    )
    # neutral spans -10 to 10; disagree 15 to its left (-25 to -10), strongly disagree
    # 10 beyond that (-35 to -25); agree 40 to its right (10 to 50), strongly agree
    # 15 beyond (50 to 65)
    segments = {t.name: (t.base[0], t.x[0]) for t in figures.diverging(frame, "A").data}
    assert segments == {
        "Neutral": (-10.0, 20.0),
        "Disagree": (-25.0, 15.0),
        "Strongly disagree": (-35.0, 10.0),
        "Agree": (10.0, 40.0),
        "Strongly agree": (50.0, 15.0),
    }


def test_the_heatmap_to_explore_writes_each_cell_and_marks_an_empty_one() -> None:
    from sharedsvc_app import figures

    grid = pd.DataFrame(
        {"Sharing works": [62.5, None], "Savings are real": [-20.0, 0.0]},
        index=["Staff", "Unions"],
    )
    [cells] = figures.heatmap(grid, "Net agreement, 2014/15").data
    # to one decimal place, as everywhere else: 62.5 is not rounded to an even 62
    assert [list(row) for row in cells.text] == [["+62.5", "-20.0"], ["no answers", "0.0"]]


def test_the_heatmap_writes_net_agreement_to_one_decimal_place() -> None:
    grid = pd.DataFrame(
        {"Sharing works": [62.5, None], "Savings are real": [-20.0, 0.0]},
        index=["Staff", "Unions"],
    )
    words = _words(charts.svg(charts.heatmap(grid, "Net agreement, 2014/15")))
    assert {"+62.5", "-20.0", "no answers", "0.0"} <= set(words)
