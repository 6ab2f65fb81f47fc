"""The "Submit a return" page, driven through AppTest's file uploader against real
stores. Figures are the small programme's (conftest.py, worked out in test_figures.py)."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import openpyxl
import pytest
from conftest import (
    NEL,
    NL,
    RETURNS_2014,
    RETURNS_HEADER,
    count_rows,
    run_cli,
    snapshot,
    write_csv,
)
from streamlit.testing.v1 import AppTest
from test_pages import block_text, open_app, open_box, tiles

from sharedsvc_core import templates
from sharedsvc_core.contract import KINDS


def _csv(rows: list[list[str]], header: list[str] = RETURNS_HEADER) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


NL_ROWS = [r for r in RETURNS_2014 if r[0] == NL]  # HR Q1, HR Q2, ICT Q1 and Q2 (whole)


def submit_page(db: Path, monkeypatch: pytest.MonkeyPatch, council: str = NL) -> AppTest:
    """The page, with the council chosen in its box, as a person would."""
    app = open_box(open_app(db, monkeypatch, "app_pages/submit.py"), "submit_box")
    app.selectbox(key="submit_council").select(council).run()
    return app


def upload(
    app: AppTest,
    content: bytes,
    name: str = "return.csv",
    sender: str = "a.officer@northlincs.gov.uk",
) -> AppTest:
    """Upload a file, and if it may be sent, give the sender's name (:func:`sign`)."""
    app.file_uploader(key="submit_file").set_value((name, content, "text/csv")).run()
    assert not app.exception, [e.value for e in app.exception]
    return sign(app, sender)


def sign(app: AppTest, sender: str = "a.officer@northlincs.gov.uk") -> AppTest:
    """Give the sender's name where the page asks for it: open mode asks at the Submit
    step, once the file may be sent."""
    if any(t.key == "submit_user" for t in app.text_input):
        app.text_input(key="submit_user").input(sender).run()
        assert not app.exception, [e.value for e in app.exception]
    return app


def messages(app: AppTest) -> list[dict[str, object]]:
    frame = next(d.value for d in app.dataframe if "message" in d.value.columns)
    return frame.to_dict("records")


def test_a_good_return_updates_the_overview(
    register: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = upload(submit_page(register, monkeypatch), _csv(NL_ROWS))
    assert [m.value for m in app.metric][:3] == ["0", "0", "4"]  # errors, warnings, rows
    app.button(key="submit_button").click().run()
    assert not app.exception
    assert any("Received as submission 6" in s.value for s in app.success)
    table = next(d.value for d in app.dataframe if "item" in d.value.columns)
    receipt = dict(zip(table["item"], table["value"], strict=True))
    assert receipt["Submission"] == "6" and len(receipt["SHA-256"]) == 64
    assert receipt["Sent by"] == "a.officer@northlincs.gov.uk"
    overview = open_app(register, monkeypatch)
    # 105,000 evidenced to 2014/15 Q2, less NEL's HR Q1 return (6,000) not sent here
    assert tiles(overview)["Evidenced saving"] == "£99.0k"


def test_the_page_says_what_is_sent_and_for_whom(
    register: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = open_app(register, monkeypatch, "app_pages/submit.py")
    # the box of lists is closed: nothing in it is drawn, and a sentence says the choice
    assert not app.selectbox and not app.text_input
    text = block_text(app)
    assert "You are sending a returns file, for any council." in text
    assert "Returns file: Each council's quarterly return of actual costs and savings." in text
    assert "Rows may name any council." in text
    open_box(app, "submit_box")
    app.selectbox(key="submit_kind").select("options").run()
    app.selectbox(key="submit_council").select(NEL).run()
    app.session_state["submit_box"] = False
    app.run()
    assert not app.selectbox  # closed again: the choice stands, and is said
    text = block_text(app)
    assert "You are sending an options file, for North East Lincolnshire (E06000012)." in text
    assert "Rows may name any council." not in text
    # open mode asks for the sender's name only at the Submit step, and needs it
    app = submit_page(register, monkeypatch)
    app.file_uploader(key="submit_file").set_value(("r.csv", _csv(NL_ROWS), "text/csv")).run()
    assert app.button(key="submit_button").disabled
    assert any("Enter your name or e-mail address" in w.value for w in app.warning)
    app.text_input(key="submit_user").input("a.officer@northlincs.gov.uk").run()
    assert not app.button(key="submit_button").disabled and not app.warning
    # a file with an error hides the Submit step; the name is kept for the next file
    bad = [[NL, "HR", "2014/15", "Q9", "1", "", "", "own", ""]]
    app.file_uploader(key="submit_file").set_value(("bad.csv", _csv(bad), "text/csv")).run()
    assert not [t for t in app.text_input if t.key == "submit_user"]
    app.file_uploader(key="submit_file").set_value(("r.csv", _csv(NL_ROWS), "text/csv")).run()
    assert app.text_input(key="submit_user").value == "a.officer@northlincs.gov.uk"
    assert not app.button(key="submit_button").disabled


def test_a_bad_return_shows_row_and_column_and_changes_nothing(
    register: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = snapshot(register)
    bad = [NL_ROWS[0], [NL, "HR", "2014/15", "Q2", "1.2m", "", "", "own", "<script>x</script>"]]
    app = upload(submit_page(register, monkeypatch), _csv(bad))
    [problem] = [m for m in messages(app) if m["severity"] == "Error"]
    assert (problem["row"], problem["column"], problem["value"]) == (3, "actual_cost", "1.2m")
    assert "enter a plain number" in str(problem["message"])
    assert any("Nothing has been written" in e.value for e in app.error)
    assert not [b for b in app.button if b.key == "submit_button"]
    assert snapshot(register) == before


def test_rows_for_another_council_are_refused(
    register: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = upload(submit_page(register, monkeypatch, council=NEL), _csv(NL_ROWS[:1]))
    [problem] = [m for m in messages(app) if m["severity"] == "Error"]
    assert (problem["row"], problem["column"]) == (2, "council")
    assert "North East Lincolnshire" in str(problem["message"])
    assert "North Lincolnshire (E06000013)" in str(problem["message"])


def test_warnings_need_a_tick(register: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    high = [[NL, "HR", "2014/15", "Q1", "250000", "", "", "own", ""]]  # > 2 x 100,000
    app = upload(submit_page(register, monkeypatch), _csv(high))
    [warning] = [m for m in messages(app) if m["severity"] == "Warning"]
    assert (warning["row"], warning["column"]) == (2, "actual_cost")
    assert not [b for b in app.button if b.key == "submit_button"]
    sign(app.checkbox[0].check().run())
    app.button(key="submit_button").click().run()
    assert any("Received as submission 6" in s.value for s in app.success)


def test_a_resubmission_shows_before_and_after(
    register: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    path = write_csv(tmp_path / "first.csv", RETURNS_HEADER, RETURNS_2014)
    assert run_cli("load", "returns", path, "--db", register).code == 0
    fix = [[NL, "HR", "2014/15", "Q2", "95000", "5000", "", "own", "Corrected"]]
    app = upload(submit_page(register, monkeypatch), _csv(fix), "correction.csv")
    preview = next(d.value for d in app.dataframe if "change" in d.value.columns)
    change = preview["change"].iloc[0]
    assert "actual_cost was £89,000.00, now £95,000.00" in change
    assert "claimed_saving was £11,000.00, now £5,000.00" in change
    assert preview["supersedes"].iloc[0] == "submission 6"


def test_pressing_submit_twice_makes_one_version(
    register: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = upload(submit_page(register, monkeypatch), _csv(NL_ROWS))
    app.button(key="submit_button").click().run()
    app.button(key="submit_button").click().run()
    assert any("already received as submission 6" in i.value for i in app.info)
    assert count_rows(register, "submissions") == 6
    assert count_rows(register, "return_rows") == 4


def test_rollback_restores_the_figures(
    register: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    path = write_csv(tmp_path / "first.csv", RETURNS_HEADER, RETURNS_2014)
    assert run_cli("load", "returns", path, "--db", register).code == 0
    fix = [[NL, "HR", "2014/15", "Q2", "95000", "5000", "", "own", "Corrected"]]
    app = upload(submit_page(register, monkeypatch), _csv(fix), "correction.csv")
    app.button(key="submit_button").click().run()
    assert tiles(open_app(register, monkeypatch))["Evidenced saving"] == "£99.0k"  # 105k - 6k

    app = open_app(register, monkeypatch, "app_pages/history.py")
    history = next(d.value for d in app.dataframe if "file_name" in d.value.columns)
    assert list(history["id"])[:2] == [7, 6]
    app.selectbox(key="history_pick").select(7).run()
    changes = next(d.value for d in app.dataframe if "change" in d.value.columns)
    assert "actual_cost was £89,000.00, now £95,000.00" in changes["change"].iloc[0]
    app.button(key="rollback_start").click().run()
    assert any("stops its rows counting" in w.value for w in app.warning)
    app.button(key="rollback_confirm").click().run()
    assert not app.exception
    assert any("Submission 7 was rolled back" in s.value for s in app.success)
    effect = next(d.value for d in app.dataframe if "programme" in d.value.columns)
    assert "£99,000" in effect["programme"].iloc[0] and "£105,000" in effect["programme"].iloc[1]
    assert tiles(open_app(register, monkeypatch))["Evidenced saving"] == "£105.0k"


def test_history_filters(programme: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    app = open_app(programme, monkeypatch, "app_pages/history.py")
    app.multiselect(key="history_kind").select("returns").run()
    app.selectbox(key="history_year").select("2015/16").run()
    history = next(d.value for d in app.dataframe if "file_name" in d.value.columns)
    assert list(history["file_name"]) == ["returns_2015.csv"]


def test_the_templates_are_offered_when_asked_for(
    register: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = open_app(register, monkeypatch, "app_pages/submit.py")
    assert not app.get("download_button")  # the box is closed
    app.session_state["templates_box"] = True
    app.run()
    buttons = {b.label: b for b in app.get("download_button")}
    assert list(buttons) == [
        "Download the returns template (CSV)",
        "Download the returns template (Excel, with guidance)",
    ]
    # another kind chosen: its templates, in the box still open
    open_box(app, "submit_box").selectbox(key="submit_kind").select("baselines").run()
    assert [b.label for b in app.get("download_button")] == [
        "Download the baselines template (CSV)",
        "Download the baselines template (Excel, with guidance)",
    ]


def test_templates_have_a_header_an_example_and_guidance() -> None:
    for kind in KINDS.values():
        text = templates.csv_template(kind).decode("utf-8-sig")
        rows = list(csv.reader(io.StringIO(text)))
        assert rows[0] == [c.name for c in kind.columns] and len(rows) == 2
        book = openpyxl.load_workbook(io.BytesIO(templates.xlsx_template(kind)))
        assert book.sheetnames == [kind.name, "Guidance"]
        data = list(book[kind.name].iter_rows(values_only=True))
        assert list(data[0]) == [c.name for c in kind.columns] and len(data) == 2
        guide = {r[0]: r for r in book["Guidance"].iter_rows(min_row=6, values_only=True)}
        for column in kind.columns:
            assert guide[column.name][1] == ("required" if column.required else "optional")
    stage = {
        r[0]: r[2]
        for r in openpyxl.load_workbook(io.BytesIO(templates.xlsx_template(KINDS["services"])))[
            "Guidance"
        ].iter_rows(min_row=6, values_only=True)
    }["stage"]
    assert "soc, obc, fbc, implementation, live, closed" in stage


def test_a_filled_in_template_loads(register: Path, tmp_path: Path) -> None:
    """The .xlsx template, with its example row replaced by a real one, loads."""
    book = openpyxl.load_workbook(io.BytesIO(templates.xlsx_template(KINDS["returns"])))
    sheet = book["returns"]
    for index, value in enumerate(
        [NL, "HR", "2014/15", "Q1", 92000, 12000, 5000, 8.5, 38000, "medium", "own", "Restructure"],
        start=1,
    ):
        sheet.cell(row=2, column=index, value=value)
    path = tmp_path / "filled.xlsx"
    book.save(path)
    result = run_cli("load", "returns", path, "--db", register)
    assert result.code == 0, result


def test_a_long_report_lists_the_first_200_problems_and_counts_the_rest(
    register: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # 600 rows (HR and ICT, each for the 75 years from 1990/91 and 4 quarters) each with
    # "n/a" for actual_cost: one error each, on file rows 2 to 601
    rows = [
        [NL, service, f"{year}/{(year + 1) % 100:02d}", f"Q{q}", "n/a", "", "", "own", ""]
        for service in ("HR", "ICT")
        for year in range(1990, 2065)
        for q in range(1, 5)
    ]
    before = snapshot(register)
    app = upload(submit_page(register, monkeypatch), _csv(rows))
    assert [m.value for m in app.metric][:1] == ["600"]  # every error is counted
    listed = messages(app)
    assert len(listed) == 200 and listed[0]["row"] == 2 and listed[-1]["row"] == 201
    assert {m["column"] for m in listed} == {"actual_cost"}
    assert any(
        c.value.startswith("400 more problems are not listed (only the first 200 are)")
        for c in app.caption
    )
    assert snapshot(register) == before


@pytest.mark.parametrize(
    ("setting", "label", "browser_limit"),
    [
        ("5", "up to 5 MB", 5),
        ("2.5", "up to 2.5 MB", 3),  # the browser counts whole megabytes; the core, exactly
        # above the server's ceiling (server.maxUploadSize = 20 in .streamlit/config.toml)
        ("50", "up to 20 MB", 20),
    ],
)
def test_the_upload_box_follows_the_largest_file_setting(
    register: Path, monkeypatch: pytest.MonkeyPatch, setting: str, label: str, browser_limit: int
) -> None:
    assert run_cli("settings", "max_file_mb", setting, "--db", register).code == 0
    app = submit_page(register, monkeypatch)
    box = app.file_uploader(key="submit_file")
    assert box.label == f"CSV or Excel (.xlsx) file, {label}"
    assert box.proto.max_upload_size_mb == browser_limit


def test_the_settings_page_says_when_the_setting_is_above_the_servers_ceiling(
    register: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert run_cli("settings", "max_file_mb", "50", "--db", register).code == 0
    app = open_app(register, monkeypatch, "app_pages/settings.py")
    [notice] = [i.value for i in app.info if "server takes uploads" in i.value]
    assert "at most 20 MB" in notice and "accepts files up to 20 MB" in notice


def test_an_administrator_sends_the_benefits_register_and_its_measures(
    programme: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from test_benefits import BENEFITS_HEADER, MEASURES, MEASURES_HEADER, REGISTER

    app = open_box(open_app(programme, monkeypatch, "app_pages/submit.py"), "submit_box")
    for kind, header, rows, number in (
        ("benefits", BENEFITS_HEADER, REGISTER, 8),
        ("measures", MEASURES_HEADER, MEASURES, 9),
    ):
        app.selectbox(key="submit_kind").select(kind).run()
        upload(app, _csv(rows, header), f"{kind}.csv", sender="pmo@northlincs.gov.uk")
        assert [m.value for m in app.metric][:3] == ["0", "0", str(len(rows))]
        app.button(key="submit_button").click().run()
        assert not app.exception
        # the programme's register (5 files) and returns (2) come first
        assert any(f"Received as submission {number}" in s.value for s in app.success)
    register = open_app(programme, monkeypatch, "app_pages/benefits.py")
    assert tiles(register)["✖ Behind"] == "3"
