"""Benefits realisation figures for the small programme in conftest.py, worked out by hand
from CONTRACT.md section 5. The working is written beside each figure.

The programme (partnership NLH):
  councils  NL = North Lincolnshire (lead, cost share 0.6), NEL = North East Lincs (0.4)
  baselines (annual; baseline_q = annual / 4)
            HR   NL 400,000 (q 100,000)   NEL 200,000 (q 50,000)
            ICT  NL 800,000 (q 200,000)   NEL 400,000 (q 100,000)
  targets   2014/15 and 2015/16: HR NL 40,000 (q 10,000), HR NEL 20,000 (q 5,000),
            ICT NL 80,000 (q 20,000), ICT NEL 40,000 (q 10,000);
            2014/15 only: LEG NL 10,000 (q 2,500). LEG never sends a return.
  returns   HR own returns; ICT whole_service returns from the lead, NL:
   2014/15 Q1  HR NL  actual 92,000  claimed 12,000  one-off 5,000
                      evidenced 100,000 - 92,000 = 8,000
               HR NEL actual 44,000  no claim        one-off 0
                      evidenced 50,000 - 44,000 = 6,000
               ICT whole 270,000, claimed 30,000, one-off 50,000, shared out:
                      NL  0.6: actual 162,000, evidenced 200,000 - 162,000 = 38,000,
                               claimed 18,000, one-off 30,000
                      NEL 0.4: actual 108,000, evidenced 100,000 - 108,000 = -8,000,
                               claimed 12,000, one-off 20,000
   2014/15 Q2  HR NL  actual 89,000, claimed 11,000 -> evidenced 11,000
               HR NEL MISSING (target 5,000): evidenced 0
               ICT whole 250,000, no claim: NL 150,000 -> 50,000; NEL 100,000 -> 0
   2014/15 Q3, Q4: no returns at all; every cell with a target is missing.
   2015/16 Q1  HR NL  actual 85,000, claimed 15,000 -> evidenced 15,000
               HR NEL actual 45,000, claimed 9,000  -> evidenced 5,000
               ICT whole 240,000, one-off 10,000: NL 144,000 -> 56,000, one-off 6,000;
                      NEL 96,000 -> 4,000, one-off 4,000
"""

from __future__ import annotations

import json
from pathlib import Path

from conftest import NEL, NL, report_csv, run_cli

HEADER = (
    "key,target,evidenced,claimed,claims_gap,one_off,net,realisation_pct,efficiency_pct,"
    "npv,payback,rag,returns_expected,returns_received"
)


def test_csv_has_exactly_the_contract_columns(programme: Path) -> None:
    result = run_cli("report", "realisation", "--db", programme, "--format", "csv")
    assert result.code == 0
    assert result.lines[0] == HEADER


def test_programme_to_date(programme: Path) -> None:
    # Without --to, "to date" runs to the latest quarter with a current return: 2015/16 Q1.
    row = report_csv(programme)["programme"]
    # target: 2014/15 whole year HR 60,000 + ICT 120,000 + LEG 10,000 = 190,000,
    #         2015/16 Q1 HR 15,000 + ICT 30,000 = 45,000; in all 235,000
    assert row["target"] == "235000.00"
    # evidenced: 2014/15 Q1 8,000 + 6,000 + 38,000 - 8,000 = 44,000;
    #            Q2 11,000 + 0 + 50,000 + 0 = 61,000; 2015/16 Q1 15,000 + 5,000 + 56,000
    #            + 4,000 = 80,000; in all 185,000
    assert row["evidenced"] == "185000.00"
    # claimed, over cells with a claim: 12,000 + 18,000 + 12,000 + 11,000 + 15,000 + 9,000
    assert row["claimed"] == "77000.00"
    # claims gap over those cells: (12,000-8,000) + (18,000-38,000) + (12,000+8,000)
    #   + (11,000-11,000) + (15,000-15,000) + (9,000-5,000) = 8,000
    assert row["claims_gap"] == "8000.00"
    # one-off: 5,000 + 30,000 + 20,000 + 6,000 + 4,000
    assert row["one_off"] == "65000.00"
    assert row["net"] == "120000.00"  # 185,000 - 65,000
    assert row["realisation_pct"] == "78.7"  # 100 * 185,000 / 235,000 = 78.72
    # efficiency: baseline_q over the cells with a return: 2014/15 Q1 100k + 50k + 200k
    #   + 100k, Q2 100k + 200k + 100k, 2015/16 Q1 100k + 50k + 200k + 100k = 1,300,000;
    #   100 * 185,000 / 1,300,000 = 14.23
    assert row["efficiency_pct"] == "14.2"
    # npv: 2014/15 (t=0) net 105,000 - 55,000 = 50,000; 2015/16 (t=1) 80,000 - 10,000
    #   = 70,000 / 1.035 = 67,632.85; in all 117,632.85
    assert row["npv"] == "117632.85"
    # cumulative net: Q1 44,000 - 55,000 = -11,000 (below 0); Q2 -11,000 + 61,000 = 50,000
    assert row["payback"] == "2014/15Q2"
    assert row["rag"] == "red"  # 78.7 < 80
    # expected: 2014/15 4 quarters x (HR 2 + ICT 2 + LEG 1) = 20, 2015/16 Q1 HR 2 + ICT 2 = 4
    assert row["returns_expected"] == "24"
    # received: 2014/15 Q1 4, Q2 3 (HR NEL missing), 2015/16 Q1 4
    assert row["returns_received"] == "11"


def test_to_a_past_quarter(programme: Path) -> None:
    row = report_csv(programme, "--to", "2014/15Q2")["programme"]
    # target: 2 quarters x (10,000 + 5,000 + 20,000 + 10,000 + 2,500) = 95,000
    assert row["target"] == "95000.00"
    assert row["evidenced"] == "105000.00"  # 44,000 + 61,000
    assert row["claimed"] == "53000.00"  # 12,000 + 18,000 + 12,000 + 11,000
    assert row["claims_gap"] == "4000.00"  # 4,000 - 20,000 + 20,000 + 0
    assert row["one_off"] == "55000.00"
    assert row["net"] == "50000.00"
    assert row["realisation_pct"] == "110.5"  # 105,000 / 95,000 = 110.53%
    assert row["efficiency_pct"] == "12.4"  # 105,000 / 850,000 = 12.35%
    assert row["npv"] == "50000.00"  # one year, t = 0
    assert row["payback"] == "2014/15Q2"
    assert row["rag"] == "green"
    assert (row["returns_expected"], row["returns_received"]) == ("10", "7")


def test_to_accepts_a_spaced_quarter_and_the_whole_first_year(programme: Path) -> None:
    row = report_csv(programme, "--to", "2014/15 Q4")["programme"]
    assert row["target"] == "190000.00"
    assert row["evidenced"] == "105000.00"
    assert row["realisation_pct"] == "55.3"  # 105,000 / 190,000 = 55.26%
    assert (row["returns_expected"], row["returns_received"]) == ("20", "7")


def test_by_service(programme: Path) -> None:
    rows = report_csv(programme, "--to", "2014/15Q2", "--by", "service")
    assert list(rows) == ["HR", "ICT", "LEG"]
    hr, ict, leg = rows["HR"], rows["ICT"], rows["LEG"]
    # HR: target 2 x 15,000 = 30,000; evidenced 8,000 + 6,000 + 11,000 + 0 = 25,000
    assert (hr["target"], hr["evidenced"], hr["realisation_pct"]) == (
        "30000.00",
        "25000.00",
        "83.3",
    )
    assert hr["rag"] == "amber"  # 80 <= 83.3 < 100
    assert hr["claims_gap"] == "4000.00"  # (12,000 - 8,000) + (11,000 - 11,000)
    assert hr["efficiency_pct"] == "10.0"  # 25,000 / (100k + 50k + 100k)
    assert hr["payback"] == "2014/15Q1"  # Q1 net 14,000 - 5,000 = 9,000, never below 0
    # ICT: evidenced 38,000 - 8,000 + 50,000 + 0 = 80,000 of 60,000
    assert (ict["evidenced"], ict["realisation_pct"], ict["rag"]) == ("80000.00", "133.3", "green")
    assert ict["claims_gap"] == "0.00"  # (18,000 - 38,000) + (12,000 + 8,000)
    assert ict["one_off"] == "50000.00"
    assert ict["net"] == "30000.00"
    assert ict["payback"] == "2014/15Q2"  # Q1 30,000 - 50,000 < 0, Q2 +50,000 >= 0
    # LEG: a target and no return at all
    assert leg["rag"] == "no_data"
    assert (leg["evidenced"], leg["claimed"], leg["claims_gap"]) == ("0.00", "", "")
    assert leg["efficiency_pct"] == ""  # no return, so no efficiency
    assert (leg["returns_expected"], leg["returns_received"]) == ("2", "0")


def test_by_council_shares_out_the_whole_service_return(programme: Path) -> None:
    rows = report_csv(programme, "--to", "2014/15Q2", "--by", "council")
    assert list(rows) == [NEL, NL]  # sorted by key
    nel, nl = rows[NEL], rows[NL]
    # NEL: HR 6,000 + 0 (missing) ; ICT -8,000 + 0 -> -2,000 of target 10,000 + 20,000
    assert (nel["target"], nel["evidenced"]) == ("30000.00", "-2000.00")
    assert nel["realisation_pct"] == "-6.7"
    assert nel["rag"] == "red"
    assert nel["claimed"] == "12000.00"  # 0.4 x 30,000
    assert nel["claims_gap"] == "20000.00"  # 12,000 - (-8,000)
    assert nel["one_off"] == "20000.00"  # 0.4 x 50,000
    # cumulative net: Q1 6,000 - 8,000 - 20,000 = -22,000; Q2 + 0: not yet recovered
    assert nel["payback"] == ""
    assert nel["npv"] == "-22000.00"
    # NL: HR 8,000 + 11,000, ICT 38,000 + 50,000 = 107,000 of 20,000 + 40,000 + 5,000
    assert (nl["target"], nl["evidenced"], nl["realisation_pct"]) == (
        "65000.00",
        "107000.00",
        "164.6",
    )
    assert nl["one_off"] == "35000.00"  # 5,000 + 0.6 x 50,000
    # efficiency: 107,000 / (HR 100k + 100k, ICT 200k + 200k) = 17.83%
    assert nl["efficiency_pct"] == "17.8"
    assert (nl["returns_expected"], nl["returns_received"]) == ("6", "4")


def test_by_partnership_equals_programme_with_one_partnership(programme: Path) -> None:
    part = report_csv(programme, "--by", "partnership")["NLH"]
    prog = report_csv(programme)["programme"]
    assert {k: v for k, v in part.items() if k != "key"} == {
        k: v for k, v in prog.items() if k != "key"
    }


def test_by_service_council(programme: Path) -> None:
    rows = report_csv(programme, "--by", "service_council")
    assert list(rows) == sorted(rows)
    assert set(rows) == {f"{s}:{c}" for s in ("HR", "ICT") for c in (NL, NEL)} | {f"LEG:{NL}"}
    cell = rows[f"ICT:{NEL}"]
    # ICT NEL: 2014/15 Q1 -8,000, Q2 0, Q3-Q4 missing, 2015/16 Q1 4,000 -> -4,000
    # target 4 x 10,000 + 10,000 = 50,000; one-off 20,000 + 4,000
    assert (cell["target"], cell["evidenced"], cell["one_off"]) == (
        "50000.00",
        "-4000.00",
        "24000.00",
    )
    # npv: 2014/15 -8,000 - 20,000 = -28,000; 2015/16 (4,000 - 4,000) / 1.035 = 0
    assert cell["npv"] == "-28000.00"
    hr_nel = rows[f"HR:{NEL}"]
    # HR NEL: Q1 6,000, Q2-Q4 missing, 2015/16 Q1 5,000 claimed 9,000
    assert (hr_nel["evidenced"], hr_nel["claimed"], hr_nel["claims_gap"]) == (
        "11000.00",
        "9000.00",
        "4000.00",
    )
    assert (hr_nel["returns_expected"], hr_nel["returns_received"]) == ("5", "2")


def test_rag_thresholds_are_settings(programme: Path) -> None:
    assert report_csv(programme)["programme"]["rag"] == "red"  # 78.7%
    assert run_cli("settings", "rag_amber_pct", "75", "--db", programme).code == 0
    assert report_csv(programme)["programme"]["rag"] == "amber"
    assert run_cli("settings", "rag_green_pct", "78.7", "--db", programme).code == 0
    assert report_csv(programme)["programme"]["rag"] == "green"
    bad = run_cli("settings", "rag_amber_pct", "90", "--db", programme)  # above green
    assert bad.code == 2 and "cannot be above" in bad.err


def test_json_and_table_formats_carry_the_same_figures(programme: Path) -> None:
    result = run_cli("report", "realisation", "--db", programme, "--format", "json")
    assert result.code == 0
    [row] = json.loads(result.out)
    assert row["npv"] == 117632.85 and row["payback"] == "2014/15Q2"
    assert row["claimed"] == 77000.0 and row["efficiency_pct"] == 14.2
    table = run_cli("report", "realisation", "--db", programme)
    assert "2014/15 Q1 to 2015/16 Q1" in table.out
    assert "117632.85" in table.out and "red" in table.out


def test_a_return_for_a_cell_with_no_target_still_counts(register: Path, tmp_path: Path) -> None:
    from conftest import RETURNS_HEADER, write_csv

    # 2016/17 has no targets: evidenced 100,000 - 90,000 = 10,000 with target 0
    path = write_csv(
        tmp_path / "r.csv",
        RETURNS_HEADER,
        [[NL, "HR", "2016/17", "Q1", "90000", "12000", "1000", "own", ""]],
    )
    assert run_cli("load", "returns", path, "--db", register).code == 0
    row = report_csv(register, "--by", "service")["HR"]
    # to date = 2014/15 Q1 .. 2016/17 Q1; HR's targets 2014/15 and 2015/16 are all missing
    assert row["target"] == "120000.00"  # 60,000 + 60,000
    assert row["evidenced"] == "10000.00"
    assert (row["claimed"], row["one_off"]) == ("12000.00", "1000.00")
    assert row["realisation_pct"] == "8.3"
    assert (row["returns_expected"], row["returns_received"]) == ("16", "0")
    assert row["rag"] == "red"  # a return was received, so it is not no_data


def test_no_returns_means_nothing_to_date(register: Path) -> None:
    result = run_cli("report", "realisation", "--db", register, "--format", "csv")
    assert result.code == 0 and result.lines == [HEADER]


def test_payback_is_the_quarter_from_which_the_net_has_stayed_above_zero(
    register: Path, tmp_path: Path
) -> None:
    from conftest import RETURNS_HEADER, write_csv

    # HR, North Lincolnshire (baseline_q 100,000); net = evidenced - one-off:
    #   2014/15 Q1  actual 90,000, one-off 15,000: net  10,000 - 15,000 = -5,000, cum -5,000
    #   2014/15 Q2  actual 90,000:                 net  10,000,           cum  5,000
    #   2014/15 Q3  actual 100,000, one-off 8,000: net  0 - 8,000 = -8,000, cum -3,000
    #   2014/15 Q4  actual 95,000:                 net  5,000,            cum  2,000
    #   2015/16 Q1  actual 85,000:                 net 15,000,            cum 17,000
    # It first recovered in Q2 but fell back in Q3: it has stayed at or above 0 since Q4.
    path = write_csv(
        tmp_path / "dips.csv",
        RETURNS_HEADER,
        [
            [NL, "HR", "2014/15", "Q1", "90000", "", "15000", "own", ""],
            [NL, "HR", "2014/15", "Q2", "90000", "", "0", "own", ""],
            [NL, "HR", "2014/15", "Q3", "100000", "", "8000", "own", ""],
            [NL, "HR", "2014/15", "Q4", "95000", "", "0", "own", ""],
            [NL, "HR", "2015/16", "Q1", "85000", "", "0", "own", ""],
        ],
    )
    assert run_cli("load", "returns", path, "--db", register).code == 0
    key = f"HR:{NL}"
    row = report_csv(register, "--by", "service_council")[key]
    assert row["payback"] == "2014/15Q4"
    assert row["net"] == "17000.00"
    # NPV: 2014/15 (t = 0) net 2,000; 2015/16 (t = 1) 15,000 / 1.035 = 14,492.7536...
    assert row["npv"] == "16492.75"

    # below zero in the last quarter to date: not paid back now
    def payback_to(quarter: str) -> str:
        return report_csv(register, "--by", "service_council", "--to", quarter)[key]["payback"]

    assert payback_to("2014/15Q3") == ""
    # to Q2 it had recovered from its only dip so far
    assert payback_to("2014/15Q2") == "2014/15Q2"


def test_a_whole_service_share_is_kept_exact_below_the_penny(
    register: Path, tmp_path: Path
) -> None:
    from conftest import RETURNS_HEADER, write_csv

    # ICT, whole-service returns from the lead (NL 0.6, NEL 0.4) of 250,000.01 a quarter:
    #   NL  share 150,000.006; evidenced 200,000 - 150,000.006 = 49,999.994 a quarter,
    #       99,999.988 over Q1 and Q2: £99,999.99 (rounding each share to the penny
    #       first would give 150,000.01 and £99,999.98)
    #   NEL share 100,000.004; evidenced 100,000 - 100,000.004 = -0.004 a quarter,
    #       -0.008 over the two: -£0.01 (not £0.00)
    path = write_csv(
        tmp_path / "ict.csv",
        RETURNS_HEADER,
        [
            [NL, "ICT", "2014/15", "Q1", "250000.01", "", "", "whole_service", ""],
            [NL, "ICT", "2014/15", "Q2", "250000.01", "", "", "whole_service", ""],
        ],
    )
    assert run_cli("load", "returns", path, "--db", register).code == 0
    rows = report_csv(register, "--by", "service_council")
    assert rows[f"ICT:{NL}"]["evidenced"] == "99999.99"
    assert rows[f"ICT:{NEL}"]["evidenced"] == "-0.01"
