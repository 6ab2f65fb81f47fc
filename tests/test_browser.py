"""The dashboard in a real browser: Debian's Chromium driven by Playwright against a
Streamlit server on loopback, over the small programme worked out in test_figures.py."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import ROOT

from sharedsvc_app.page_list import PAGES

READY = '[data-testid="stApp"][data-test-script-state="notRunning"]'
# how many chart images on the page have loaded and been drawn
DRAWN_IMAGES = """() => [...document.querySelectorAll(
    '[data-testid="stImage"] img, .sharedsvc-chart img')]
    .filter((img) => img.complete && img.naturalWidth > 0).length"""
pytestmark = pytest.mark.browser


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def server(programme: Path) -> Iterator[str]:
    yield from _serve(programme)


@pytest.fixture
def register_server(register: Path) -> Iterator[str]:
    yield from _serve(register)


NO_SECRETS = ROOT / "tests" / "fixtures" / "no-secrets.toml"  # open mode, whatever is installed


def _serve(db: Path, secrets: Path = NO_SECRETS, port: int | None = None) -> Iterator[str]:
    """A dashboard server on loopback over ``db``, with only ``secrets`` read (by default
    none, so open mode, whatever a developer keeps in .streamlit/secrets.toml)."""
    port = port or _free_port()
    env = dict(os.environ, SHAREDSVC_DB=str(db))
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            "dashboard.py",
            "--server.port",
            str(port),
            "--server.address",
            "127.0.0.1",
            "--server.headless",
            "true",
            "--secrets.files",
            str(secrets),
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                break
        except OSError:
            assert proc.poll() is None, proc.stdout.read().decode()  # type: ignore[union-attr]
            time.sleep(0.2)
    try:
        yield url
    finally:
        proc.terminate()
        proc.wait(20)


# Streamlit fetches the code of some kinds of element (tiles, grids, HTML, lists) when a
# page first shows one, and holds a grey placeholder in its place until then: a page is
# drawn once its run has finished and no placeholder is left.
DRAWN = (
    f"() => document.querySelector('{READY}') !== null"
    """ && document.querySelector('[data-testid="stSkeleton"]') === null"""
)


def _open(page: object, url: str) -> None:
    page.goto(url)  # type: ignore[attr-defined]
    page.wait_for_function(DRAWN)  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("path", "heading"), [(rule.url_path, rule.heading) for rule in PAGES.values()]
)
def test_every_page_loads_without_an_error(
    page: object, server: str, path: str, heading: str
) -> None:
    _open(page, f"{server}/{path}")
    assert page.get_by_role("heading", name=heading).first.is_visible()  # type: ignore[attr-defined]
    assert page.locator('[data-testid="stException"]').count() == 0  # type: ignore[attr-defined]
    # the first visit after the server starts gets the app's own navigation
    nav = page.locator('[data-testid="stSidebarNav"]').inner_text()  # type: ignore[attr-defined]
    assert "Benefits realisation" in nav and "Submit a return" in nav, nav
    assert "Users and roles" in nav  # open mode: everyone acts as an administrator
    banner = "Sign-in is not set up: everyone who can open this page acts as an administrator."
    assert page.get_by_text(banner).count() == 1  # type: ignore[attr-defined]


def test_overview_shows_the_hand_worked_headline(page: object, server: str) -> None:
    _open(page, server)
    metrics = page.locator('[data-testid="stMetric"], .sharedsvc-tile')  # type: ignore[attr-defined]
    metrics.first.wait_for()
    text = " ".join(metrics.all_inner_texts())
    for expected in ("£235.0k", "£185.0k", "£120.0k", "78.7%", "Red", "11 of 24"):
        assert expected in text, text
    # the chart is drawn, named for screen readers, and its figures come as a table
    # when the expander beneath it is opened
    p: Any = page
    chart = p.locator('img[alt^="Chart: cumulative target"]')
    chart.wait_for()
    p.wait_for_function(f"({DRAWN_IMAGES})() === 2")  # the trajectory, RAG by partnership
    expander = p.locator('[data-testid="stMain"] [data-testid="stExpander"]').first
    assert expander.locator('[data-testid="stDataFrame"]').count() == 0
    expander.get_by_text("The chart's figures: a table, and a chart to explore").click()
    expander.locator('[data-testid="stDataFrame"]').wait_for()
    # the same chart to explore, drawn by Plotly in the browser only when its tab is
    # chosen, with its lines named in the legend and its values on hover
    plotly = expander.locator('[data-testid="stPlotlyChart"]')
    assert plotly.count() == 0
    expander.get_by_role("tab", name="Chart to explore").click()
    plotly.locator(".main-svg").first.wait_for()
    legend = plotly.locator(".legendtext").all_text_contents()
    assert legend == ["Target", "Evidenced", "Claimed"], legend
    p.wait_for_selector(READY)
    assert p.locator('[data-testid="stException"]').count() == 0
    assert all_violations(p) == []


def test_upload_a_return_in_the_browser(
    page: object, register_server: str, register: Path, tmp_path: Path
) -> None:
    from conftest import NL, RETURNS_2014, RETURNS_HEADER, count_rows, write_csv

    path = write_csv(
        tmp_path / "nl-return.csv", RETURNS_HEADER, [r for r in RETURNS_2014 if r[0] == NL]
    )
    p: Any = page
    _open(p, f"{register_server}/submit")
    p.get_by_text("You are sending a returns file, for any council.").wait_for()
    # the lists are in a box opened on request
    _settle(p, p.get_by_text("Change what you send, or the council").click)
    p.wait_for_function(DRAWN)
    p.get_by_role("combobox", name="Submitting for council").click()
    _type_choice(p, "North Lincolnshire (E06000013)")
    p.get_by_text("You are sending a returns file, for North Lincolnshire (E06000013).").wait_for()
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    # a file given while the page is still redrawing can be dropped by the uploader; as a
    # person would, give it once more if no report appears
    for attempt in range(2):
        p.wait_for_selector(READY)
        p.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(str(path))
        try:
            p.get_by_text("The file passed every check").wait_for(timeout=30_000)
            break
        except PlaywrightTimeout:
            if attempt:
                raise
    # the sender's name is asked for at the Submit step, and needed
    assert p.get_by_role("button", name="Submit return").is_disabled()
    p.get_by_role("textbox", name="Your name or e-mail address").fill("a.officer@northlincs.gov.uk")
    _press_and_settle(p, "Enter")
    p.get_by_role("button", name="Submit return").click()
    p.get_by_text("Received as submission 6").wait_for()
    assert count_rows(register, "return_rows") == 4
    _open(p, register_server)
    metrics = " ".join(p.locator('[data-testid="stMetric"], .sharedsvc-tile').all_inner_texts())
    assert "£99.0k" in metrics, metrics


def test_board_pack_download_in_the_browser(page: object, server: str, tmp_path: Path) -> None:
    from pypdf import PdfReader

    p: Any = page
    _open(p, server)
    p.get_by_text("Prepare the board pack").click()  # the board pack's box
    with p.expect_download(timeout=120_000) as download:
        p.get_by_role("button", name="Download the board pack (PDF)").click()
    saved = tmp_path / "pack.pdf"
    download.value.save_as(saved)
    text = PdfReader(saved).pages[0].extract_text()
    assert "£235,000" in text and "78.7%" in text and "Red" in text


# -- accessibility -----------------------------------------------------------------


def all_violations(p: Any) -> list[tuple[str, str, int, str]]:
    """Every axe-core violation on the page, whatever its impact, with the first node's
    selector to say where."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(p)
    return [
        (v["id"], v["impact"], len(v["nodes"]), str(v["nodes"][0]["target"]))
        for v in results.response["violations"]
    ]


@pytest.mark.parametrize("path", [rule.url_path for rule in PAGES.values()])
def test_axe_finds_nothing_in_open_mode(page: object, server: str, path: str) -> None:
    """Every page as open mode's administrator sees it: axe-core's every rule, at every
    impact (test_signin_browser.py does the same for each signed-in role)."""
    p: Any = page
    _open(p, f"{server}/{path}")
    if path == "":
        p.wait_for_function(f"({DRAWN_IMAGES})() >= 2")
    assert all_violations(p) == []


def _tab_to(p: Any, description: str, test: str, presses: int = 80) -> None:
    """Press Tab until the focused element passes `test` (JavaScript over `el`)."""
    for _ in range(presses):
        p.keyboard.press("Tab")
        if p.evaluate(f"(() => {{ const el = document.activeElement; return !!({test}); }})()"):
            return
    raise AssertionError(f"could not reach {description} with the Tab key")


def _settle(p: Any, act: Any, seconds: float = 60) -> None:
    """Do something that changes a widget (``act()``), then wait until the rerun it starts
    has finished (the server says so on the page's websocket, counted by conftest's
    ``count_runs``), so that nothing done next meets an element that is being redrawn,
    or an element of the page as it was."""
    before = p.runs_finished
    act()
    for _ in range(int(seconds * 20)):
        if p.runs_finished > before:
            break
        p.wait_for_timeout(50)
    else:
        raise AssertionError(f"no run of the app finished within {seconds:g} s of the change")
    p.wait_for_selector(READY)


NARROWED = """(name) => {
    const shown = [...document.querySelectorAll('[role="option"]')];
    const list = document.activeElement;
    return shown.length === 1 && shown[0].innerText.trim() === name
        && list.getAttribute('aria-activedescendant') === shown[0].id;
}"""


def _type_choice(p: Any, option: str) -> None:
    """In the list that has the focus, type an option, wait until the list has narrowed
    to it and it is highlighted (as a person sees it), then press Enter to choose it.
    As a person would, type it again if the list closed before Enter took."""
    for attempt in range(3):
        p.keyboard.press("Control+a")
        p.keyboard.type(option, delay=10)
        try:
            p.wait_for_function(NARROWED, arg=option, timeout=10_000)
            _settle(p, lambda: p.keyboard.press("Enter"), seconds=5)
            return
        except Exception:
            if attempt == 2:
                raise


def _press_and_settle(p: Any, key: str) -> None:
    """Press a key that changes a widget, then wait until the rerun it starts has finished."""
    _settle(p, lambda: p.keyboard.press(key))


def _open_file_chooser(p: Any) -> Any:
    """Tab to the uploader's button and press Enter; as a person would, press again
    (Enter, then the space bar) if nothing opened. A third failure names the element
    that had the focus."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    focused = []
    for key in ("Enter", "Enter", " "):
        p.wait_for_function(DRAWN)
        _tab_to(
            p,
            "the file chooser",
            "el.tagName === 'BUTTON' && el.closest('[data-testid=\"stFileUploader\"]')",
        )
        focused.append(p.evaluate("() => document.activeElement.outerHTML.slice(0, 300)"))
        try:
            with p.expect_file_chooser(timeout=10_000) as chooser:
                p.keyboard.press(key)
            return chooser.value
        except PlaywrightTimeout:
            continue
    raise AssertionError(f"Enter on the uploader's button opened no file chooser: {focused}")


def _send_by_keyboard(p: Any, path: Path) -> None:
    """Choose ``path`` in the uploader by keyboard. As a person would, choose it again if
    the box still shows no file a while later (the first choice can be lost when it meets
    a rerun). A second failure names what the page shows."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    for _ in range(2):
        _open_file_chooser(p).set_files(str(path))
        try:
            p.locator('[data-testid="stFileChipName"]', has_text=path.name).wait_for(timeout=20_000)
            return
        except PlaywrightTimeout:
            continue
    shown = p.evaluate("() => document.body.innerText.slice(0, 1500)")
    raise AssertionError(f"the uploader shows no {path.name} after choosing it twice: {shown}")


def _shows(p: Any, text: str) -> None:
    """Wait for ``text`` on the page; if it never comes, say what the page shows instead."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    try:
        p.get_by_text(text).wait_for()
    except PlaywrightTimeout:
        shown = p.evaluate("() => document.body.innerText.slice(0, 1500)")
        raise AssertionError(f"{text!r} never showed; the page shows: {shown}") from None


def test_upload_by_keyboard_alone(
    page: object, register_server: str, register: Path, tmp_path: Path
) -> None:
    from conftest import NL, RETURNS_2014, RETURNS_HEADER, count_rows, write_csv

    path = write_csv(
        tmp_path / "nl-return.csv", RETURNS_HEADER, [r for r in RETURNS_2014 if r[0] == NL]
    )
    p: Any = page
    _open(p, f"{register_server}/submit")
    _tab_to(
        p,
        "the box of lists",
        "el.tagName === 'SUMMARY' && el.innerText.includes('Change what you send')",
    )
    _press_and_settle(p, "Enter")
    p.wait_for_function(DRAWN)
    _tab_to(p, "the council box", "el.getAttribute('aria-label') === 'Submitting for council'")
    _type_choice(p, "North Lincolnshire (E06000013)")
    _send_by_keyboard(p, path)
    _shows(p, "The file passed every check")
    assert all_violations(p) == []  # the validation report too
    _tab_to(p, "the name box", "el.getAttribute('aria-label') === 'Your name or e-mail address'")
    p.keyboard.type("a.officer@northlincs.gov.uk")
    _press_and_settle(p, "Enter")
    _tab_to(p, "the Submit button", "el.innerText && el.innerText.trim() === 'Submit return'")
    p.keyboard.press("Enter")
    p.get_by_text("Received as submission 6").wait_for()
    assert count_rows(register, "return_rows") == 4


def _choose(p: Any, box: Any) -> None:
    """Open a select box lower down the page (scrolling to it first, as a person would)."""
    p.wait_for_selector(READY)
    box.scroll_into_view_if_needed()
    box.click()


def _open_list(p: Any, box: Any, option: Any) -> None:
    """Open a list box until ``option`` shows. A box just opened is still growing to
    its full height, and a list opened meanwhile closes as the page moves under it: as
    a person would, open it again."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    for _ in range(3):
        box.click()
        try:
            option.wait_for(timeout=5_000)
            return
        except PlaywrightTimeout:
            continue
    option.wait_for(timeout=1)  # fails, naming the option that never showed


def test_a_filter_and_a_drill_down_in_the_browser(page: object, server: str) -> None:
    p: Any = page
    _open(p, f"{server}/realisation")
    # the filters are in a box opened on request
    _settle(p, p.get_by_text("Change the filters").click)
    p.wait_for_function(DRAWN)
    hr = p.get_by_role("option", name="Human resources (HR)")
    _open_list(p, p.get_by_role("combobox", name="Service").first, hr)
    _settle(p, hr.click)
    p.keyboard.press("Escape")
    metrics = p.locator('[data-testid="stMetric"], .sharedsvc-tile')
    metrics.get_by_text("£75.0k").wait_for()  # HR: target 75,000, evidenced 45,000
    assert "60.0%" in " ".join(metrics.all_inner_texts())
    p.get_by_text("Showing service Human resources (HR); every partnership").wait_for()
    p.get_by_role("listbox").wait_for(state="detached")  # the list, closed by Escape
    assert all_violations(p) == []  # with the box open
    # a chart tab draws its chart, checked by axe too
    p.get_by_role("tab", name="Variance").click()
    p.wait_for_function(f"({DRAWN_IMAGES})() === 1")
    assert p.locator('img[alt^="Chart: variance against target"]').count() == 1
    assert all_violations(p) == []
    # the filters' box closed again, so the drill-down's lists are the only ones
    _settle(p, p.get_by_text("Change the filters").click)
    assert p.get_by_role("combobox", name="Partnership").count() == 0
    _settle(p, p.get_by_role("tab", name="Drill down to the submissions").click)
    p.wait_for_function(DRAWN)
    _choose(p, p.get_by_role("combobox", name="Partnership").last)
    _settle(p, p.get_by_role("option", name="Northern Lincolnshire hub").click)
    _choose(p, p.get_by_role("combobox", name="Council").last)
    _settle(p, p.get_by_role("option", name="North East Lincolnshire (E06000012)").click)
    # HR at NEL: target 20,000 + 5,000, evidenced 6,000 + 5,000
    p.get_by_text("£25,000").first.wait_for()
    assert p.get_by_text("£11,000").count() >= 1
    assert p.locator('[data-testid="stDataFrame"]').count() >= 1


def test_the_period_is_said_in_words_and_changed_by_keyboard(page: object, server: str) -> None:
    p: Any = page
    _open(p, server)
    sidebar = p.locator('[data-testid="stSidebar"]')
    sidebar.get_by_text(
        "Figures to the latest quarter with a return, as they stand now."
    ).wait_for()
    # the controls are drawn only once the box is opened: here with the keyboard alone
    assert sidebar.get_by_role("combobox", name="Figures to the end of").count() == 0
    summary = sidebar.locator("summary", has_text="Change the period")
    summary.focus()
    p.keyboard.press("Enter")
    box = sidebar.get_by_role("combobox", name="Figures to the end of")
    box.wait_for()
    p.wait_for_selector(READY)
    box.focus()
    p.keyboard.type("2014/15 Q2")
    _press_and_settle(p, "Enter")
    sidebar.get_by_text("Figures to the end of 2014/15 Q2, as they stand now.").wait_for()
    # to 2014/15 Q2: target 95,000 (test_pages works it by hand)
    p.locator('[data-testid="stMetric"], .sharedsvc-tile').get_by_text("£95.0k").wait_for()
    assert all_violations(p) == []


@pytest.fixture
def benefits_server(programme: Path, tmp_path: Path) -> Iterator[str]:
    from test_benefits import load_benefits

    yield from _serve(load_benefits(programme, tmp_path))


def test_the_benefits_register_in_the_browser(page: object, benefits_server: str) -> None:
    """The register, a profile drawn and its figures as a table, with axe-core's every rule
    at every impact on each."""
    p: Any = page
    _open(p, f"{benefits_server}/benefits")
    assert p.get_by_role("tab", name="The register", selected=True).is_visible()
    assert all_violations(p) == []
    _settle(p, p.get_by_role("tab", name="A benefit's profile").click)
    # the first benefit's profile, summarised in words beneath its chart
    assert p.get_by_text("Fewer days lost: should fall, from 10 days on 31/03/2014").is_visible()
    p.wait_for_function(f"({DRAWN_IMAGES})() >= 1")  # the first benefit's profile
    assert all_violations(p) == []
    p.get_by_text("The chart's figures: a table, and a chart to explore").click()
    p.wait_for_selector(READY)
    p.get_by_role("tab", name="Table").wait_for()
    assert all_violations(p) == []


@pytest.fixture
def options_server(programme: Path, tmp_path: Path) -> Iterator[str]:
    from test_options import load_appraisal

    yield from _serve(load_appraisal(programme, tmp_path))


def test_the_options_appraisal_in_the_browser(page: object, options_server: str) -> None:
    """Each service's scoring matrix (row and column headings), its SWOT and the short
    list's warning, with axe-core's every rule at every impact."""
    p: Any = page
    _open(p, f"{options_server}/options")
    matrix = p.get_by_role("table", name="Scoring matrix of LEG", exact=False)
    # the matrices are drawn as the script runs: wait for the last service's to be there
    matrix.get_by_role("rowheader", name="Centralised service (HUB)").wait_for()
    assert matrix.get_by_role("columnheader", name="Value for money (weight 50)").is_visible()
    assert p.get_by_text("short list of HR has no do_nothing or do_minimum option").is_visible()
    assert p.get_by_role("heading", level=2, name="Legal (LEG)").is_visible()
    assert p.get_by_role("heading", level=3, name="Scoring matrix").first.is_visible()
    assert all_violations(p) == []


def test_an_exit_statement_in_the_browser(page: object, server: str) -> None:
    """The Partnerships page's exit statement, drawn on request, with axe-core's every rule
    at every impact."""
    p: Any = page
    _open(p, f"{server}/partnerships")
    p.get_by_text("Draw up an exit statement").click()
    p.wait_for_selector(READY)
    p.get_by_text("The members who stay: their cost shares scaled to add up to 1 again").wait_for()
    assert p.get_by_text("Basis: its cost share in").is_visible()
    assert all_violations(p) == []
