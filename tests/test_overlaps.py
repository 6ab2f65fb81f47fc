"""The double-counting guard on a small case worked by hand.

Partnership P1: North Lincolnshire (NL, 0.6) and North East Lincolnshire (NEL, 0.4) from
2014/15, open-ended. Partnership P2: NL and Lincolnshire (0.5 each), 2015/16 to 2016/17.

| service | partnership | service area | stage | go live | NL baseline |
|---|---|---|---|---|---|
| P1-HR | P1 | HR and payroll | live | | 400,000 |
| P2-HR | P2 | hr and payroll (another case) | implementation | 2016-05-01 (2016/17) | 300,000 |
| P2-PAY | P2 | HR and payroll | fbc (claims nothing) | | 100,000 |
| P1-ICT | P1 | ICT | live | | 800,000 |
| P2-ICT | P2 | ICT | live | 2017-05-01 (2017/18) | 250,000 |

The programme's last year is 2016/17 (P2's last membership year; the latest target is
2014/15), so P1's open membership runs 2014/15 to 2016/17.
- NL's HR and payroll baseline: P1-HR claims it 2014/15-2016/17, P2-HR only 2016/17
  (NL joins P2 in 2015/16, but P2-HR goes live in 2016/17), so both claim it in 2016/17:
  one overlap, with baseline total 400,000 + 300,000 = 700,000. P2-PAY is at fbc and is
  not listed.
- NL's ICT: P2-ICT goes live in 2017/18, after NL's P2 membership ends: no overlap.
- NEL and Lincolnshire are each in one partnership: no overlap.

Claims above the baseline, NL, HR and payroll: P1 divides it as 400,000 and P2 as
300,000 + 100,000 = 400,000, so the area's baseline is 400,000 (not 800,000: the two
partnerships claim the same spend). 2015/16 claims: P1-HR 150,000 (Q1) + 150,000 (Q2) +
P2-HR 120,000 (Q2) = 420,000, above it by 20,000. 2014/15: 50,000, below it.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from conftest import NEL, NL, RETURNS_HEADER, run_cli, write_csv

from sharedsvc_core.contract import KINDS

LINCS = "E10000019"
AT = "2014-04-01T09:00:00Z"
P2_AT = "2015-04-01T09:00:00Z"
RETURNS_AT = "2015-10-20T09:00:00Z"


def _load(db: Path, tmp_path: Path, kind: str, header: list[str], rows: list[list[str]], at: str):
    path = write_csv(tmp_path / f"{kind}-{at[:4]}.csv", header, rows)
    result = run_cli("load", kind, path, "--db", db, "--received-at", at)
    assert result.code == 0, result


@pytest.fixture
def case(db: Path, tmp_path: Path) -> Path:
    _load(db, tmp_path, "partnerships", KINDS["partnerships"].required_columns, [
        ["P1", "First partnership", "shared_management"],
        ["P2", "Second partnership", "lead_authority"],
    ], AT)  # fmt: skip
    _load(db, tmp_path, "members", KINDS["members"].header(), [
        ["P1", NL, "0.6", "2014/15", ""],
        ["P1", NEL, "0.4", "2014/15", ""],
        ["P2", NL, "0.5", "2015/16", "2016/17"],
        ["P2", LINCS, "0.5", "2015/16", "2016/17"],
    ], AT)  # fmt: skip
    services = KINDS["services"].header(omit=("lead_council",))
    _load(db, tmp_path, "services", services, [
        ["P1-HR", "P1", "HR", "HR and payroll", "live", ""],
        ["P1-ICT", "P1", "ICT", "ICT", "live", ""],
    ], AT)  # fmt: skip
    baselines = KINDS["baselines"].required_columns
    _load(db, tmp_path, "baselines", baselines, [
        ["P1-HR", NL, "2013/14", "400000"],
        ["P1-HR", NEL, "2013/14", "200000"],
        ["P1-ICT", NL, "2013/14", "800000"],
    ], AT)  # fmt: skip
    _load(db, tmp_path, "targets", KINDS["targets"].required_columns, [
        ["P1-HR", NL, "2014/15", "40000"],
    ], AT)  # fmt: skip
    # the second partnership's services arrive a year later
    _load(db, tmp_path, "services", services, [
        ["P2-HR", "P2", "HR", "hr and payroll", "implementation", "2016-05-01"],
        ["P2-PAY", "P2", "Payroll", "HR and payroll", "fbc", ""],
        ["P2-ICT", "P2", "ICT", "ICT", "live", "2017-05-01"],
    ], P2_AT)  # fmt: skip
    _load(db, tmp_path, "baselines", baselines, [
        ["P2-HR", NL, "2014/15", "300000"],
        ["P2-HR", LINCS, "2014/15", "500000"],
        ["P2-PAY", NL, "2014/15", "100000"],
        ["P2-ICT", NL, "2014/15", "250000"],
    ], P2_AT)  # fmt: skip
    _load(db, tmp_path, "returns", RETURNS_HEADER, [
        [NL, "P1-HR", "2014/15", "Q1", "95000", "50000", "", "own", ""],
        [NL, "P1-HR", "2015/16", "Q1", "90000", "150000", "", "own", ""],
        [NL, "P1-HR", "2015/16", "Q2", "90000", "150000", "", "own", ""],
        [NL, "P2-HR", "2015/16", "Q2", "70000", "120000", "", "own", ""],
    ], RETURNS_AT)  # fmt: skip
    return db


def _csv(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text)))


def test_overlaps(case: Path) -> None:
    result = run_cli("report", "overlaps", "--format", "csv", "--db", case)
    assert result.code == 0, result
    assert _csv(result.out) == [
        ["council", "service_area", "services", "financial_years", "baseline_total"],
        [NL, "HR and payroll", "P1-HR;P2-HR", "2016/17", "700000.00"],
    ]
    table = run_cli("report", "overlaps", "--db", case)
    assert "1 baselines claimed by services of more than one partnership" in table.out
    shown = json.loads(run_cli("report", "overlaps", "--format", "json", "--db", case).out)
    assert shown == [
        {
            "council": NL,
            "service_area": "HR and payroll",
            "services": "P1-HR;P2-HR",
            "financial_years": "2016/17",
            "baseline_total": 700000.0,
        }
    ]


def test_overlaps_as_of_a_past_moment(case: Path) -> None:
    """Before the second partnership's services arrived there was nothing to warn of."""
    before = run_cli("report", "overlaps", "--as-of", "2015-01-01", "--format", "csv", "--db", case)
    assert _csv(before.out) == [list(("council,service_area,services,financial_years,"
                                      "baseline_total").split(","))]  # fmt: skip


def test_claims_above_the_baseline(case: Path) -> None:
    result = run_cli("report", "overclaims", "--format", "csv", "--db", case)
    assert result.code == 0, result
    assert _csv(result.out) == [
        ["council", "service_area", "financial_year", "claimed", "baseline", "excess"],
        [NL, "HR and payroll", "2015/16", "420000.00", "400000.00", "20000.00"],
    ]
    # before the returns, no claim
    before = run_cli(
        "report", "overclaims", "--as-of", "2015-06-01", "--format", "csv", "--db", case
    )
    assert len(_csv(before.out)) == 1


def test_the_demo_has_no_overlaps(demo_db: Path) -> None:
    result = run_cli("report", "overlaps", "--format", "csv", "--db", demo_db)
    assert result.code == 0 and len(_csv(result.out)) == 1


def test_the_partnerships_page_lists_both(case: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from test_pages import headings, open_app, short_tables

    app = open_app(case, monkeypatch, "app_pages/partnerships.py")
    assert not app.error
    assert headings(app)[-1] == "Double counting"
    assert headings(app, "h3")[-2:] == [
        "Baselines claimed by more than one partnership",
        "Claimed savings above the baseline",
    ]
    overlap, overclaim = short_tables(app)[-2:]
    assert overlap.rows == [
        ["Council", "Service area", "Services", "Years", "Baseline total"],
        ["North Lincolnshire (E06000013)", "HR and payroll", "P1-HR;P2-HR", "2016/17", "£700,000"],
    ]
    assert overclaim.rows == [
        ["Council", "Service area", "Year", "Claimed", "Baseline", "Above the baseline"],
        ["North Lincolnshire (E06000013)", "HR and payroll", "2015/16", "£420,000", "£400,000",
         "£20,000"],
    ]  # fmt: skip


def test_the_board_pack_lists_both(case: Path, tmp_path: Path) -> None:
    import openpyxl
    from pypdf import PdfReader

    xlsx, pdf = tmp_path / "pack.xlsx", tmp_path / "pack.pdf"
    for out in (xlsx, pdf):
        assert run_cli("export", "board-pack", "--out", out, "--db", case).code == 0
    book = openpyxl.load_workbook(xlsx)
    assert [list(r) for r in book["Double counting"].iter_rows(values_only=True)] == [
        ["GSS code", "Council", "Service area", "Services", "Years", "Baseline total"],
        [NL, "North Lincolnshire", "HR and payroll", "P1-HR;P2-HR", "2016/17", 700000],
    ]
    assert [list(r) for r in book["Claims above baseline"].iter_rows(values_only=True)] == [
        ["GSS code", "Council", "Service area", "Year", "Claimed", "Baseline",
         "Above the baseline"],
        [NL, "North Lincolnshire", "HR and payroll", "2015/16", 420000, 400000, 20000],
    ]  # fmt: skip
    text = " ".join(" ".join(p.extract_text().split()) for p in PdfReader(pdf).pages)
    assert "Baselines claimed by more than one partnership" in text
    assert "North Lincolnshire HR and payroll P1-HR;P2-HR 2016/17 £700,000" in text
    assert "North Lincolnshire HR and payroll 2015/16 £420,000 £400,000 £20,000" in text


def test_a_long_list_is_said_in_a_sentence_and_drawn_when_asked_for(
    case: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Eleven more service areas, each with a live service in both partnerships claiming
    North Lincolnshire's baseline for it, make twelve overlaps in all: more than the ten a
    short table holds. NL is in both partnerships in 2015/16 and 2016/17 only, so each new
    area is claimed twice in those two years."""
    from test_pages import block_text, open_app, short_tables

    services = KINDS["services"].header(omit=("lead_council",))
    areas = [f"Area {i:02d}" for i in range(1, 12)]
    rows = [[f"{p}-A{i:02d}", p, f"Area {i:02d} service", area, "live", ""]
            for i, area in enumerate(areas, 1) for p in ("P1", "P2")]  # fmt: skip
    _load(db := case, tmp_path, "services", services, rows, "2016-01-04T09:00:00Z")
    baselines = [[f"{p}-A{i:02d}", NL, "2014/15", "1000"]
                 for i in range(1, 12) for p in ("P1", "P2")]  # fmt: skip
    _load(db, tmp_path, "baselines", KINDS["baselines"].required_columns, baselines,
          "2016-01-04T09:00:00Z")  # fmt: skip

    app = open_app(db, monkeypatch, "app_pages/partnerships.py")
    assert not app.error
    assert (
        "12 council baselines claimed by services of more than one partnership in the same "
        "year; the baseline total counts the spend once per service." in block_text(app)
    )
    # only the over-claim is a short table; the twelve wait in a closed box
    assert [t.rows[0][0] for t in short_tables(app)][-1:] == ["Council"]
    assert [t.rows[0][-1] for t in short_tables(app)][-1:] == ["Above the baseline"]
    assert not [t for t in short_tables(app) if "Baseline total" in t.rows[0]]
    assert not [d for d in app.dataframe if "service_area" in d.value.columns]

    app.session_state["partnerships-overlaps-box"] = True
    app.run()
    assert not app.exception
    [listed] = [d.value for d in app.dataframe if "service_area" in d.value.columns]
    assert len(listed) == 12
    first = listed.iloc[0]
    assert first["service_area"] == "Area 01"
    assert first["services"] == "P1-A01;P2-A01"
    assert first["financial_years"] == "2015/16;2016/17"
    assert first["baseline_total"] == 2000
