"""The options appraisal: weighted scores and ranks worked out by hand (ties sharing a
rank, a tie only on the rounded score that is not one, an option not yet fully scored),
the Green Book short-list warning, the checks on loading options, criteria and scores,
and the figures as of a past moment."""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pytest
from conftest import run_cli, write_csv

from sharedsvc_core import options
from sharedsvc_core.contract import KINDS

OPTIONS_HEADER = KINDS["options"].header(omit=options.SWOT)
CRITERIA_HEADER = KINDS["criteria"].required_columns
SCORES_HEADER = KINDS["scores"].required_columns
AT = "2014-06-01T09:00:00Z"

# service, option, name, model, shortlisted, chosen
OPTIONS = [
    # LEG (at the full business case): the Green Book's two baselines are shortlisted
    ["LEG", "DN", "Do nothing", "do_nothing", "yes", "no"],
    ["LEG", "DM", "Do the minimum", "do_minimum", "yes", ""],
    ["LEG", "HUB", "Centralised service", "hub_and_spoke", "yes", "yes"],
    ["LEG", "LEAD", "Specialist lead authorities", "lead_authority", "yes", "no"],
    ["LEG", "OUT", "Outsourcing via a managed service", "outsourced", "no", "no"],
    ["LEG", "CLU", "Clusters", "cluster", "", ""],
    # HR: a short list with neither baseline
    ["HR", "A", "Informal collaboration", "informal_collaboration", "yes", "no"],
    ["HR", "B", "Formal collaboration", "formal_collaboration", "yes", "no"],
    ["HR", "C", "A council company", "company", "no", "no"],
    ["HR", "D", "Special purpose vehicle", "spv", "no", "no"],
    # ICT: both baselines shortlisted
    ["ICT", "X", "Do the minimum", "do_minimum", "yes", "no"],
    ["ICT", "Y", "Business as usual", "do_nothing", "yes", "no"],
    ["ICT", "Z", "Lead authority", "lead_authority", "no", "no"],
]
CRITERIA = [
    ["LEG", "Value for money", "50"],
    ["LEG", "Resilience", "30"],
    ["LEG", "Staff", "20"],
    ["HR", "Cost", "2"],
    ["HR", "Quality", "1"],
    ["ICT", "Speed", "1"],
    ["ICT", "Reach", "1"],
    ["ICT", "Politics", "0"],  # weighs nothing: a missing score here does not matter
]
SCORES = [
    *(
        ["LEG", option, criterion, score]
        for option, marks in {
            "DN": ("2", "3", "5"),
            "DM": ("5", "4", "5"),
            "HUB": ("8", "7", "6"),
            "LEAD": ("7", "8", "7"),
            "OUT": ("6", "5", "4"),
        }.items()
        for criterion, score in zip(("Value for money", "Resilience", "Staff"), marks, strict=True)
    ),
    ["LEG", "CLU", "Value for money", "9"],  # not scored on Resilience or Staff
    ["LEG", "CLU", "Resilience", "9"],
    *(
        ["HR", option, criterion, score]
        for option, marks in {
            "A": ("7", "8"),
            "B": ("8", "6"),
            "C": ("9", "5"),
            "D": ("2.5", "0"),
        }.items()
        for criterion, score in zip(("Cost", "Quality"), marks, strict=True)
    ),
    ["ICT", "X", "Speed", "7.25"],
    ["ICT", "X", "Reach", "7.26"],
    ["ICT", "Y", "Speed", "7.26"],
    ["ICT", "Y", "Reach", "7.25"],
    ["ICT", "Z", "Speed", "7.25"],
    ["ICT", "Z", "Reach", "7.25"],
]


def _load(db: Path, tmp_path: Path, kind: str, header, rows, at: str = AT, name: str = ""):
    path = write_csv(tmp_path / (name or f"{kind}.csv"), header, rows)
    return run_cli("load", kind, path, "--db", db, "--received-at", at, "--user", "pmo")


def load_appraisal(db: Path, tmp_path: Path) -> Path:
    for kind, header, rows in (
        ("options", OPTIONS_HEADER, OPTIONS),
        ("criteria", CRITERIA_HEADER, CRITERIA),
        ("scores", SCORES_HEADER, SCORES),
    ):
        result = _load(db, tmp_path, kind, header, rows)
        assert result.code == 0, result
    return db


def _report(db: Path, *extra: str) -> list[dict[str, str]]:
    result = run_cli("report", "options", "--db", db, "--format", "csv", *extra)
    assert result.code == 0, result
    assert result.out.splitlines()[0] == (
        "service_code,option_code,name,weighted_score,rank,shortlisted,chosen"
    )
    return list(csv.DictReader(io.StringIO(result.out)))


def test_weighted_scores_and_ranks_worked_by_hand(register: Path, tmp_path: Path) -> None:
    load_appraisal(register, tmp_path)
    rows = _report(register)
    got = [(r["service_code"], r["option_code"], r["weighted_score"], r["rank"]) for r in rows]
    assert got == [
        # HR, weights Cost 2 and Quality 1 (sum 3):
        # C (2×9 + 1×5) / 3 = 23/3 = 7.67; A (14 + 8) / 3 = 22/3 and B (16 + 6) / 3 = 22/3
        # tie at 7.33 and share rank 2; D (5 + 0) / 3 = 1.67 is 4th, not 3rd
        ("HR", "C", "7.67", "1"),
        ("HR", "A", "7.33", "2"),
        ("HR", "B", "7.33", "2"),
        ("HR", "D", "1.67", "4"),
        # ICT, weights 1, 1 and 0: X and Y are both (7.25 + 7.26) / 2 = 7.255, shown
        # as 7.26 (half away from zero), and tie; Z is 7.25, third. Politics weighs 0,
        # so no option needs a score on it
        ("ICT", "X", "7.26", "1"),
        ("ICT", "Y", "7.26", "1"),
        ("ICT", "Z", "7.25", "3"),
        # LEG, weights 50, 30 and 20 (sum 100):
        # HUB (400 + 210 + 120) / 100 = 7.30 and LEAD (350 + 240 + 140) / 100 = 7.30 tie;
        # OUT (300 + 150 + 80) / 100 = 5.30 is 3rd; DM (250 + 120 + 100) / 100 = 4.70;
        # DN (100 + 90 + 100) / 100 = 2.90; CLU lacks two scores: no score, no rank, last
        ("LEG", "HUB", "7.30", "1"),
        ("LEG", "LEAD", "7.30", "1"),
        ("LEG", "OUT", "5.30", "3"),
        ("LEG", "DM", "4.70", "4"),
        ("LEG", "DN", "2.90", "5"),
        ("LEG", "CLU", "", ""),
    ]
    by_code = {r["option_code"]: r for r in rows}
    assert (by_code["HUB"]["shortlisted"], by_code["HUB"]["chosen"]) == ("yes", "yes")
    # a blank shortlisted or chosen is no
    assert (by_code["CLU"]["shortlisted"], by_code["CLU"]["chosen"]) == ("no", "no")
    assert (by_code["DM"]["shortlisted"], by_code["DM"]["chosen"]) == ("yes", "no")
    assert by_code["OUT"]["name"] == "Outsourcing via a managed service"


def test_the_short_list_warning_and_the_missing_scores(register: Path, tmp_path: Path) -> None:
    load_appraisal(register, tmp_path)
    result = run_cli("report", "options", "--db", register, "--format", "csv")
    warnings = [line for line in result.err.splitlines() if line.startswith("WARNING")]
    # HR's short list (A and B) has neither baseline; LEG's and ICT's have both
    assert len(warnings) == 2, warnings
    assert "short list of HR has no do_nothing or do_minimum option" in warnings[0]
    assert "Option CLU is not yet scored on Resilience, Staff" not in warnings[1]
    assert "Option CLU is not yet scored on Staff" in warnings[1]


def test_one_service_and_json(register: Path, tmp_path: Path) -> None:
    load_appraisal(register, tmp_path)
    assert [r["option_code"] for r in _report(register, "--service", "HR")] == [
        "C",
        "A",
        "B",
        "D",
    ]
    result = run_cli("report", "options", "--db", register, "--service", "ICT", "--format", "json")
    first = json.loads(result.out)[0]
    assert first == {
        "service_code": "ICT",
        "option_code": "X",
        "name": "Do the minimum",
        "weighted_score": 7.26,
        "rank": 1,
        "shortlisted": "yes",
        "chosen": "no",
    }


def test_the_figures_as_of_a_past_moment(register: Path, tmp_path: Path) -> None:
    load_appraisal(register, tmp_path)
    # the panel re-scores D on Quality in July: (5 + 10) / 3 = 5 exactly, still 4th
    later = [["HR", "D", "Quality", "10"]]
    assert (
        _load(register, tmp_path, "scores", SCORES_HEADER, later, "2014-07-01T09:00:00Z").code == 0
    )
    now = {r["option_code"]: r for r in _report(register, "--service", "HR")}
    before = {
        r["option_code"]: r
        for r in _report(register, "--service", "HR", "--as-of", "2014-06-15T00:00:00Z")
    }
    assert (now["D"]["weighted_score"], now["D"]["rank"]) == ("5.00", "4")
    assert before["D"]["weighted_score"] == "1.67"
    # before anything was loaded there is no appraisal at all
    assert _report(register, "--as-of", "2014-05-01T00:00:00Z") == []


def test_the_arithmetic_on_its_own() -> None:
    weights = {"a": Decimal("3"), "b": Decimal("1"), "c": Decimal("0")}
    exact, missing = options.weighted_score(weights, {"a": Decimal("6"), "b": Decimal("9")})
    assert (exact, missing) == (Fraction(27, 4), [])  # (18 + 9) / 4
    assert options.shown(Fraction(27, 4)) == Decimal("6.75")
    assert options.shown(Fraction(2, 3)) == Decimal("0.67")
    assert options.shown(Fraction(1, 200)) == Decimal("0.01")  # 0.005, half away from zero
    assert options.weighted_score(weights, {"a": Decimal("6")}) == (None, ["b"])
    assert options.weighted_score({"a": Decimal(0)}, {"a": Decimal(5)}) == (None, [])
    assert options.ranks([Fraction(5), None, Fraction(7), Fraction(5), Fraction(1)]) == [
        2,
        None,
        1,
        2,
        4,
    ]
    assert options.short_list_gap(
        [{"model": "do_nothing", "shortlisted": True}, {"model": "spv", "shortlisted": True}]
    ) == ["do_minimum"]
    # nothing shortlisted yet: no short list to warn about
    assert options.short_list_gap([{"model": "spv", "shortlisted": False}]) == []


def _codes(result) -> list[tuple[int, str, str, str]]:
    found = []
    for line in (result.out + result.err).splitlines():
        for severity in ("ERROR", "WARNING"):
            if line.startswith(f"{severity} row "):
                where, _, text = line.partition(": ")
                row, column = where.removeprefix(f"{severity} row ").split(", column ")
                found.append((int(row), column, severity, text))
    return found


def test_a_score_file_names_what_it_does_not_know(register: Path, tmp_path: Path) -> None:
    load_appraisal(register, tmp_path)
    rows = [
        ["LEG", "DN", "Value for money", "3"],  # row 2: fine
        ["LEG", "NOPE", "Resilience", "4"],  # row 3: no such option
        ["LEG", "DN", "Speed", "4"],  # row 4: a criterion of ICT, not of LEG
        ["XYZ", "DN", "Staff", "4"],  # row 5: no such service
        ["LEG", "DN", "Staff", "11"],  # row 6: above 10
        ["LEG", "DM", "Staff", "7.555"],  # row 7: 3 decimal places
    ]
    result = _load(register, tmp_path, "scores", SCORES_HEADER, rows, name="bad_scores.csv")
    assert result.code == 1, result
    found = {(row, column) for row, column, severity, _ in _codes(result) if severity == "ERROR"}
    assert found == {
        (3, "option_code"),
        (4, "criterion"),
        (5, "service_code"),
        (6, "score"),
        (7, "score"),
    }
    text = result.out + result.err
    assert "unknown option NOPE of service LEG" in text
    assert 'unknown criterion "Speed" of service LEG' in text
    assert "above 10" in text
    # nothing was written: DN's Value for money is still 2
    dn = {r["option_code"]: r for r in _report(register, "--service", "LEG")}["DN"]
    assert dn["weighted_score"] == "2.90"


def test_at_most_one_chosen_option_a_service(register: Path, tmp_path: Path) -> None:
    load_appraisal(register, tmp_path)
    # LEAD chosen while HUB, already loaded, is chosen too
    rows = [["LEG", "LEAD", "Specialist lead authorities", "lead_authority", "yes", "yes"]]
    result = _load(register, tmp_path, "options", OPTIONS_HEADER, rows, name="two.csv")
    assert result.code == 1, result
    assert "option LEAD and option HUB (already loaded) of service LEG are both chosen" in (
        result.out + result.err
    )
    # the same choice with HUB set back to no in the same file is a change of mind: fine
    rows.append(["LEG", "HUB", "Centralised service", "hub_and_spoke", "yes", "no"])
    result = _load(register, tmp_path, "options", OPTIONS_HEADER, rows, name="switch.csv")
    assert result.code == 0, result
    chosen = [
        r["option_code"] for r in _report(register, "--service", "LEG") if r["chosen"] == "yes"
    ]
    assert chosen == ["LEAD"]
    # two chosen in one file, and a chosen option that is not shortlisted
    rows = [
        ["HR", "A", "Informal collaboration", "informal_collaboration", "yes", "yes"],
        ["HR", "B", "Formal collaboration", "formal_collaboration", "yes", "yes"],
        ["HR", "C", "A council company", "company", "no", "yes"],
    ]
    result = _load(register, tmp_path, "options", OPTIONS_HEADER, rows, name="three.csv")
    assert result.code == 1, result
    errors = {(row, column) for row, column, severity, _ in _codes(result) if severity == "ERROR"}
    assert errors == {(3, "chosen"), (4, "chosen")}
    text = result.out + result.err
    assert "option B and option A of service HR are both chosen" in text
    assert "option C is chosen but not shortlisted" in text


def test_loading_options_warns_of_a_short_list_without_baselines(
    register: Path, tmp_path: Path
) -> None:
    rows = [
        ["HR", "A", "Informal collaboration", "informal_collaboration", "yes", "no"],
        ["HR", "N", "Business as usual", "do_nothing", "yes", "no"],
        ["ICT", "M", "Do the minimum", "do_minimum", "no", "no"],
    ]
    result = _load(register, tmp_path, "options", OPTIONS_HEADER, rows)
    assert result.code == 0, result
    warnings = [w for w in _codes(result) if w[2] == "WARNING"]
    # HR lacks do_minimum; ICT has nothing shortlisted yet, so no short list to judge
    assert len(warnings) == 1, warnings
    assert warnings[0][:2] == (2, "shortlisted")
    assert "the short list of service HR has no do_minimum option" in warnings[0][3]


def test_criteria_that_all_weigh_nothing_are_warned(register: Path, tmp_path: Path) -> None:
    rows = [["HR", "Cost", "0"], ["HR", "Quality", "0"], ["ICT", "Speed", "1"]]
    result = _load(register, tmp_path, "criteria", CRITERIA_HEADER, rows)
    assert result.code == 0, result
    warnings = [w for w in _codes(result) if w[2] == "WARNING"]
    assert [(w[0], w[1]) for w in warnings] == [(2, "weight")]
    assert "every criterion of service HR weighs 0" in warnings[0][3]
    bad = _load(
        register, tmp_path, "criteria", CRITERIA_HEADER, [["HR", "Cost", "-1"]], name="n.csv"
    )
    assert bad.code == 1


@pytest.mark.parametrize(
    ("model", "ok"), [("do_nothing", True), ("do_minimum", True), ("spv", True), ("maybe", False)]
)
def test_the_model_is_a_delivery_model_or_a_baseline(
    register: Path, tmp_path: Path, model: str, ok: bool
) -> None:
    rows = [["HR", "A", "An option", model, "no", "no"]]
    assert (_load(register, tmp_path, "options", OPTIONS_HEADER, rows).code == 0) is ok


def test_the_board_pack_has_the_appraisals_at_the_business_case(
    programme: Path, tmp_path: Path
) -> None:
    import openpyxl
    from pypdf import PdfReader
    from test_export import pack, sheet_rows

    load_appraisal(programme, tmp_path)
    book = openpyxl.load_workbook(pack(programme, tmp_path / "pack.xlsx"))
    rows = sheet_rows(book, "Options appraisal")
    # only LEG is at a business case stage (fbc); HR and ICT are live
    assert {r["Service"] for r in rows} == {"Legal (LEG)"}
    assert [(r["Option"], r["Weighted score"], r["Rank"]) for r in rows] == [
        ("Centralised service (HUB)", 7.3, 1),
        ("Specialist lead authorities (LEAD)", 7.3, 1),
        ("Outsourcing via a managed service (OUT)", 5.3, 3),
        ("Do the minimum (DM)", 4.7, 4),
        ("Do nothing (DN)", 2.9, 5),
        ("Clusters (CLU)", None, None),
    ]
    assert rows[0]["Scores (criterion, weight: score)"] == (
        "Value for money (weight 50): 8; Resilience (weight 30): 7; Staff (weight 20): 6"
    )
    assert (rows[0]["Stage"], rows[0]["Short list"], rows[0]["Chosen"]) == ("FBC", "Yes", "Yes")
    out = pack(programme, tmp_path / "pack.pdf")
    text = "\n".join(page.extract_text() for page in PdfReader(out).pages)
    assert "Legal (LEG): FBC" in text
    assert "Value for money (weight 50): 8; Resilience (weight 30): 7; Staff (weight 20): 6" in (
        " ".join(text.split())
    )
    assert "Option CLU is not yet scored on Staff" in text
    assert "Human resources (HR)" not in text.split("Options appraisal")[-1]


def test_an_unknown_service_is_refused_plainly(db: Path) -> None:
    from conftest import run_cli

    result = run_cli("report", "options", "--service", "NOPE", "--db", db)
    assert result.code == 2
    assert "--service: unknown service NOPE: use a code on the register" in result.err
