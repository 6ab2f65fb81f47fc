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
        (-1_250_000.0, 1, "-£1.2m"),
    ],
)
def test_money_on_charts(value: float, digits: int, text: str) -> None:
    assert charts._money(value, digits) == text


def test_the_same_figures_draw_the_same_svg() -> None:
    frame = pd.DataFrame({"stage": ["SOC", "Live"], "services": [1, 9]})
    assert charts.svg(charts.pipeline(frame)) == charts.svg(charts.pipeline(frame))
