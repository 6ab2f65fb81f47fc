"""The value rules of CONTRACT.md section 1, one parser at a time."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import pytest

from sharedsvc_core import contract
from sharedsvc_core.periods import Quarter, parse_quarter_label


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("1234.5", "1234.50"),
        ("£1,234.50", "1234.50"),
        ("-£5", "-5.00"),
        ("(1,234)", "-1234.00"),
        ("1,234", "1234.00"),
        ("£-5", "-5.00"),
        (" 12 ", "12.00"),
        (1234.5, "1234.50"),
        (7, "7.00"),
        (0.1 + 0.2, "0.30"),
    ],
)
def test_money_accepted(text: object, value: str) -> None:
    assert contract.parse_money(text) == Decimal(value)


@pytest.mark.parametrize("text", ["1.2m", "12k", "n/a", "TBC", "-", "1,23,4", "£", "1.234", "#N/A"])
def test_money_refused(text: str) -> None:
    with pytest.raises(ValueError):
        contract.parse_money(text)


@pytest.mark.parametrize(
    "text",
    ["2014/15", "2014-15", "2014/2015", "2014-2015", "FY2014/15", "2014 to 2015", "fy 2014-15"],
)
def test_financial_years(text: str) -> None:
    assert contract.parse_fy_value(text) == "2014/15"


def test_financial_year_across_a_century() -> None:
    assert contract.parse_fy_value("1999/00") == "1999/00"


@pytest.mark.parametrize("text", ["2014/16", "2014-2016", "14/15", "2014"])
def test_financial_years_refused(text: str) -> None:
    with pytest.raises(ValueError):
        contract.parse_fy_value(text)


def test_quarters_and_their_months() -> None:
    assert [contract.parse_quarter_value(v) for v in ("Q1", "q2", "3", 4.0)] == [1, 2, 3, 4]
    assert Quarter(2014, 4).display == "2014/15 Q4" and Quarter.from_index(2014 * 4 + 3).q == 4
    assert parse_quarter_label("2015/16Q2") == Quarter(2015, 2)
    assert Quarter(2015, 2).label == "2015/16Q2"


def test_dates() -> None:
    assert contract.parse_date("2015-04-01") == date(2015, 4, 1)
    assert contract.parse_date("01/04/2015") == date(2015, 4, 1)
    assert contract.parse_date(42095) == date(2015, 4, 1)  # an Excel serial date
    assert contract.parse_date(datetime(2015, 4, 1, 0, 0)) == date(2015, 4, 1)
    for bad in ("04/31/2015", "2015/04/01", "1 April 2015"):
        with pytest.raises(ValueError):
            contract.parse_date(bad)


def test_cost_shares_and_counts() -> None:
    assert contract.parse_fraction("0.125") == Decimal("0.125")
    assert contract.parse_fraction("25%") == Decimal("0.25")
    for bad in ("0", "1.5", "-0.2", "half"):
        with pytest.raises(ValueError):
            contract.parse_fraction(bad)
    assert contract.parse_count("1,204") == 1204
    for bad in ("-1", "2.5", "lots"):
        with pytest.raises(ValueError):
            contract.parse_count(bad)


def test_header_words() -> None:
    assert contract.normalise_word(" Service-Code ") == "service_code"
    assert contract.normalise_word("FINANCIAL  YEAR") == "financial_year"


def test_workbooks_are_parsed_through_defusedxml() -> None:
    import openpyxl.xml

    assert openpyxl.xml.DEFUSEDXML, "install defusedxml: openpyxl then refuses XML attacks"


def test_amounts_too_large_for_the_store_are_refused() -> None:
    for text in ("1000000000000000", "-1,000,000,000,000,000.00", "£99999999999999999"):
        with pytest.raises(ValueError, match="too large"):
            contract.parse_money(text)
    assert contract.parse_money("999999999999999.99") == Decimal("999999999999999.99")
    with pytest.raises(ValueError, match="too large"):
        contract.parse_number_non_negative("1000000000")
    with pytest.raises(ValueError, match="too large"):
        contract.parse_count("3000000000")
