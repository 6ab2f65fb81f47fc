"""One way of writing each figure and code, on every surface (CONTRACT.md section 5,
"Rounding and wording on every surface"): the rule itself, worked by hand, then the same
figures as the PDF pack, the Excel pack and the screen show them."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
import pytest
from conftest import NL, RETURNS_HEADER, run_cli, write_csv
from pypdf import PdfReader

from sharedsvc_core import wording


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (1234.5, "£1,235"),  # half away from zero, not to the even pound (£1,234)
        (Decimal("1234.50"), "£1,235"),
        (1233.5, "£1,234"),
        (np.float64(2.5), "£3"),
        (-0.5, "-£1"),
        (-0.4, "£0"),  # never "-£0"
        (Decimal("-0.00"), "£0"),
        (0.1 + 0.2, "£0"),
        (1_000_000, "£1,000,000"),
        (None, "–"),
        (float("nan"), "–"),
        (pd.NA, "–"),
    ],
)
def test_whole_pounds(value: object, text: str) -> None:
    assert wording.pounds(value) == text


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (Decimal("1234.505"), "£1,234.51"),
        (Decimal("-0.004"), "£0.00"),
        (Decimal("-88000"), "-£88,000.00"),
    ],
)
def test_pounds_and_pence(value: object, text: str) -> None:
    assert wording.pounds_and_pence(value) == text


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (1_250.0, "£1.3k"),  # the tenth rounds half away from zero too
        (-1_250.0, "-£1.3k"),
        (999.5, "£1,000"),  # under £1,000 it is whole pounds, so this one rounds up
        (999_950.0, "£1.0m"),  # not "£1,000.0k"
        (2_345_000, "£2.3m"),
        (-0.2, "£0"),
    ],
)
def test_short_pounds_for_tiles(value: object, text: str) -> None:
    assert wording.pounds_short(value) == text


@pytest.mark.parametrize(
    ("value", "percent", "signed"),
    [
        (6.25, "6.3%", "+6.3"),  # Python's round(6.25, 1) gives 6.2
        (-6.25, "-6.3%", "-6.3"),
        (0.04, "0.0%", "0.0"),
        (-0.04, "0.0%", "0.0"),
        (110.526, "110.5%", "+110.5"),
    ],
)
def test_percentages_and_signed_figures(value: float, percent: str, signed: str) -> None:
    assert wording.percent(value) == percent and wording.signed(value) == signed


def test_codes_are_written_in_words() -> None:
    assert wording.group("managers") == "Service managers"
    assert wording.group("elected_members") == "Elected members"
    assert wording.stage("obc") == "OBC" and wording.stage("implementation") == "Implementation"
    assert wording.delivery_model("lead_authority") == "Lead authority"
    assert wording.delivery_model("formal_collaboration") == "Formal collaboration"
    assert wording.status("rolled_back") == "Rolled back"
    assert wording.role("board_member") == "Board member"
    assert [wording.rag(c) for c in ("green", "amber", "red", "no_data", None)] == [
        "Green",
        "Amber",
        "Red",
        "No data",
        "No target",
    ]
    # a missing code is the one mark for a missing value, never "nan" or "None"
    assert {wording.delivery_model(v) for v in (None, float("nan"), "")} == {"–"}


def _one_return(db: Path, tmp_path: Path, one_off: str) -> None:
    """North Lincolnshire HR 2014/15 Q1: baseline 400,000 ÷ 4 = 100,000, so an actual
    cost of 98,765.50 evidences £1,234.50."""
    path = write_csv(
        tmp_path / "return.csv",
        RETURNS_HEADER,
        [[NL, "HR", "2014/15", "Q1", "98765.50", "", one_off, "own", ""]],
    )
    assert run_cli("load", "returns", path, "--db", db).code == 0


@pytest.mark.parametrize(
    ("one_off", "net"),
    [
        ("1235", "-£1"),  # net -0.50: half away from zero
        ("1234.90", "£0"),  # net -0.40: nothing, and no "-£0"
    ],
)
def test_the_pdf_pack_rounds_as_the_screen_does(
    register: Path, tmp_path: Path, one_off: str, net: str
) -> None:
    _one_return(register, tmp_path, one_off)
    out = tmp_path / "pack.pdf"
    assert run_cli("export", "board-pack", "--db", register, "--out", out).code == 0
    text = PdfReader(out).pages[0].extract_text()
    assert "Evidenced saving £1,235" in text, text
    assert f"Net of one-off costs {net}" in text, text
    assert "£1,234 " not in text and "-£0" not in text


def test_the_excel_pack_keeps_the_exact_figure_in_words_and_numbers(
    register: Path, tmp_path: Path
) -> None:
    _one_return(register, tmp_path, "0")
    out = tmp_path / "pack.xlsx"
    assert run_cli("export", "board-pack", "--db", register, "--out", out).code == 0
    book = openpyxl.load_workbook(out)
    summary = {row[0]: row[1] for row in book["Programme summary"].iter_rows(values_only=True)}
    assert summary["Evidenced"] == 1234.5  # the figure itself, shown by its £ format
    services = {row[0]: row for row in book["Services"].iter_rows(values_only=True)}
    assert services["HR"][2] == "Live" and services["LEG"][2] == "FBC"


def test_the_pdf_names_the_survey_groups_as_the_screen_does(
    programme: Path, tmp_path: Path
) -> None:
    from test_survey import HEADER, ROWS

    path = write_csv(tmp_path / "survey.csv", HEADER, ROWS)
    assert run_cli("load", "survey", path, "--db", programme).code == 0
    out = tmp_path / "pack.pdf"
    assert run_cli("export", "board-pack", "--db", programme, "--out", out).code == 0
    text = "\n".join(page.extract_text() for page in PdfReader(out).pages)
    # managers, 2014/15: 1 strongly disagree, 5 agree, 10 strongly agree of 16, so
    # 93.75% agree, 6.25% disagree, net +87.5
    assert "Service managers" in text and "Managers" not in text
    assert "93.8%" in text and "6.3%" in text and "+87.5" in text
