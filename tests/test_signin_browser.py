"""Sign-in in a real browser: Debian's Chromium driven by Playwright signs in through a
real OpenID Connect provider (oidc-provider-mock) that the test starts on 127.0.0.1,
to a dashboard whose secrets point at it. Nothing leaves 127.0.0.1.

The store is South Worcestershire's shared revenues service (Worcester and Wychavon,
half each), with a Worcester submitter, a viewer and a newcomer with no role."""

from __future__ import annotations

import csv
import io
import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import count_rows, run_cli, write_csv
from test_browser import READY, _free_port, _serve, all_violations

from sharedsvc_core.contract import KINDS

pytestmark = pytest.mark.browser

WORCESTER, WYCHAVON = "E07000237", "E07000238"
PEOPLE = {  # the provider's subject: (the e-mail its ID token gives, role, council)
    "worcester-submitter": ("F.Officer@Worcester.gov.uk", "submitter", WORCESTER),
    "worcester-certifier": ("S.Finance@Worcester.gov.uk", "certifier", WORCESTER),
    "viewer": ("M.Ember@Wychavon.gov.uk", "viewer", None),
    "administrator": ("P.Office@Worcestershire.gov.uk", "administrator", None),
    "newcomer": ("new.starter@worcester.gov.uk", None, None),
}
REGISTER = {
    "partnerships": (
        ["partnership_code", "name", "delivery_model", "lead_council"],
        [["SWS", "South Worcestershire shared services", "joint_committee", WORCESTER]],
    ),
    "members": (
        ["partnership_code", "council", "cost_share", "from_year"],
        [["SWS", WORCESTER, "0.5", "2014/15"], ["SWS", WYCHAVON, "0.5", "2014/15"]],
    ),
    "services": (
        ["service_code", "partnership_code", "name", "service_area", "stage"],
        [["REV", "SWS", "Revenues and benefits", "Finance", "live"]],
    ),
    "baselines": (
        ["service_code", "council", "baseline_year", "annual_cost"],
        [["REV", WORCESTER, "2013/14", "400000"], ["REV", WYCHAVON, "2013/14", "400000"]],
    ),
    "targets": (
        ["service_code", "council", "financial_year", "target_saving"],
        [["REV", WORCESTER, "2014/15", "40000"], ["REV", WYCHAVON, "2014/15", "40000"]],
    ),
}
RETURN_HEADER = KINDS["returns"].required_columns


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("signin")
    db = folder / "store.duckdb"
    assert run_cli("init", "--db", db).code == 0
    for kind, (header, rows) in REGISTER.items():
        path = write_csv(folder / f"{kind}.csv", header, rows)
        assert run_cli("load", kind, path, "--db", db).code == 0
    for email, role, council in PEOPLE.values():
        if role:
            where = ["--council", council] if council else []
            assert run_cli("users", "add", email, "--role", role, *where, "--db", db).code == 0
    return db


def _wait_for_port(port: int, proc: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            assert proc.poll() is None, proc.stdout.read().decode()  # type: ignore[union-attr]
            time.sleep(0.2)
    raise AssertionError(f"nothing listened on 127.0.0.1:{port}")


@pytest.fixture(scope="module")
def provider() -> Iterator[str]:
    """oidc-provider-mock on loopback, with each test person and their e-mail claim."""
    port = _free_port()
    claims = [
        arg
        for sub, (email, _, _) in PEOPLE.items()
        for arg in ("--user-claims", json.dumps({"sub": sub, "email": email}))
    ]
    proc = subprocess.Popen(
        [sys.executable, "-m", "oidc_provider_mock", "--host", "127.0.0.1", "--port", str(port)]
        + claims,
        env=dict(os.environ, NO_COLOR="1"),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    _wait_for_port(port, proc)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        proc.terminate()
        proc.wait(20)


def _secrets(folder: Path, port: int, provider: str, named: str | None = None) -> Path:
    """An [auth] section for the provider: written directly in it, or as [auth.NAMED]."""
    secrets = folder / "secrets.toml"
    # the redirect's host is the host the browser opens: 127.0.0.1, not localhost
    secrets.write_text(
        "[auth]\n"
        f'redirect_uri = "http://127.0.0.1:{port}/oauth2callback"\n'
        'cookie_secret = "browser-tests-only-not-a-real-secret"\n'
        + (f"[auth.{named}]\n" if named else "")
        + 'client_id = "sharedsvc"\n'
        'client_secret = "browser-tests-only"\n'
        f'server_metadata_url = "{provider}/.well-known/openid-configuration"\n',
        encoding="utf-8",
    )
    return secrets


@pytest.fixture(scope="module")
def server(store: Path, provider: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    port = _free_port()
    yield from _serve(store, _secrets(tmp_path_factory.mktemp("secrets"), port, provider), port)


@pytest.fixture(scope="module")
def named_server(
    store: Path, provider: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    port = _free_port()
    secrets = _secrets(tmp_path_factory.mktemp("named"), port, provider, "microsoft")
    yield from _serve(store, secrets, port)


def _sign_in(p: Any, server: str, sub: str) -> None:
    p.goto(server)
    p.wait_for_selector(READY)
    p.get_by_role("button", name="Sign in").click()
    p.wait_for_url("**/oauth2/authorize**")
    p.get_by_role("button", name=sub, exact=True).click()  # the provider's own form
    p.wait_for_url(f"{server}/**")
    p.wait_for_selector(READY)
    p.locator('[data-testid="stSidebar"]').get_by_text("Signed in as").wait_for()


def _nav(p: Any) -> str:
    return str(p.locator('[data-testid="stSidebarNav"]').inner_text())


def _upload(p: Any, path: Path) -> None:
    p.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(str(path))


def test_a_worcester_submitter_is_refused_wychavons_rows_and_sends_worcesters(
    page: Any, server: str, store: Path, tmp_path: Path
) -> None:
    p = page
    _sign_in(p, server, "worcester-submitter")
    sidebar = p.locator('[data-testid="stSidebar"]')
    assert "f.officer@worcester.gov.uk (submitter for Worcester)" in sidebar.inner_text()
    nav = _nav(p)
    assert "Submit a return" in nav and "Users and roles" not in nav, nav
    p.locator('[data-testid="stSidebarNav"]').get_by_text("Submit a return").click()
    p.wait_for_selector(READY)
    p.get_by_role("heading", name="Submit a return").wait_for()
    # one council, so no list of one: a sentence says for whom the file is sent
    p.get_by_text("You are sending a returns file, for Worcester (E07000237).").wait_for()
    assert p.get_by_role("combobox").count() == 0
    wychavon = write_csv(
        tmp_path / "wychavon.csv", RETURN_HEADER, [[WYCHAVON, "REV", "2014/15", "Q1", "92000"]]
    )
    _upload(p, wychavon)
    p.get_by_text("1 errors: fix them in your file").wait_for()
    report = p.locator('[data-testid="stDataFrame"]').first
    report.locator("td", has_text="this row is for Wychavon (E07000238)").first.wait_for(
        state="attached"
    )  # the grid's accessible table, which a screen reader reads
    assert p.get_by_role("button", name="Submit return").count() == 0
    assert count_rows(store, "return_rows") == 0
    worcester = write_csv(
        tmp_path / "worcester.csv", RETURN_HEADER, [[WORCESTER, "REV", "2014/15", "Q1", "92000"]]
    )
    _upload(p, worcester)
    p.get_by_text("The file passed every check").wait_for()
    p.get_by_role("button", name="Submit return").click()
    p.get_by_text("Received as submission").wait_for()
    assert count_rows(store, "return_rows") == 1
    listed = run_cli("submissions", "--format", "csv", "--db", store).out.splitlines()
    assert f",f.officer@worcester.gov.uk,{WORCESTER},current," in listed[1], listed
    log = run_cli("audit", "--format", "csv", "--db", store).out
    assert "f.officer@worcester.gov.uk,sign_in," in log
    assert "f.officer@worcester.gov.uk,submission_refused," in log


def _submit(p: Any, server: str, path: Path) -> int:
    p.goto(f"{server}/submit")
    p.wait_for_selector(READY)
    _upload(p, path)
    p.get_by_text("The file passed every check").wait_for()
    p.get_by_role("button", name="Submit return").click()
    receipt = p.get_by_text("Received as submission")
    receipt.wait_for()
    return int(receipt.inner_text().split("Received as submission")[1].split()[0].strip(".,:"))


def _certification(store: Path, submission: int) -> tuple[str, str]:
    rows = csv.DictReader(io.StringIO(run_cli("submissions", "--format", "csv", "--db", store).out))
    row = next(r for r in rows if r["id"] == str(submission))
    return row["certification"], row["certified_by"]


def test_a_certifier_certifies_the_submitters_return_but_never_their_own(
    page: Any, server: str, store: Path, tmp_path: Path
) -> None:
    from sharedsvc_core.certification import DECLARATION

    p = page
    _sign_in(p, server, "worcester-submitter")
    assert "Certify returns" not in _nav(p)
    p.goto(f"{server}/certify")
    p.wait_for_selector(READY)
    p.locator('[data-testid="stMain"]').get_by_text(
        "The Certify returns page needs the certifier role or above"
    ).wait_for()
    sent = _submit(
        p,
        server,
        write_csv(
            tmp_path / "worcester-q2.csv",
            RETURN_HEADER,
            [[WORCESTER, "REV", "2014/15", "Q2", "91000"]],
        ),
    )
    assert _certification(store, sent) == ("awaiting", "")
    p.context.clear_cookies()

    _sign_in(p, server, "worcester-certifier")
    assert "Certify returns" in _nav(p)
    p.goto(f"{server}/certify")
    p.wait_for_selector(READY)
    box = p.get_by_role("combobox", name="Choose a submission to check")
    box.click()
    p.get_by_role("option", name=f"Submission {sent}: worcester-q2.csv", exact=False).click()
    p.wait_for_selector(READY)
    p.get_by_role("heading", name=f"What submission {sent} changes").wait_for()
    assert all_violations(p) == []
    p.get_by_role("button", name="Certify", exact=True).click()  # not yet confirmed
    p.get_by_text("Tick the declaration to certify this return").wait_for()
    assert _certification(store, sent) == ("awaiting", "")
    p.get_by_text(DECLARATION).click()
    p.get_by_role("button", name="Certify", exact=True).click()
    p.get_by_text(f"Submission {sent} is certified").wait_for()
    assert _certification(store, sent) == ("certified", "s.finance@worcester.gov.uk")

    # the certifier's own return waits for someone else
    own = _submit(
        p,
        server,
        write_csv(
            tmp_path / "worcester-q3.csv",
            RETURN_HEADER,
            [[WORCESTER, "REV", "2014/15", "Q3", "90000"]],
        ),
    )
    p.goto(f"{server}/certify")
    p.wait_for_selector(READY)
    p.get_by_role("heading", name="Sent by you (1)").wait_for()
    main = p.locator('[data-testid="stMain"]')
    assert f"Submission {own}: worcester-q3.csv" in main.inner_text()
    options = p.get_by_role("combobox", name="Choose a submission to check")
    if options.count():
        options.click()
        assert p.get_by_role("option", name=f"Submission {own}:", exact=False).count() == 0
    assert _certification(store, own) == ("awaiting", "")
    log = run_cli("audit", "--format", "csv", "--db", store).out
    assert "s.finance@worcester.gov.uk,certification," in log


def test_a_viewer_has_no_upload_page_even_by_its_address(page: Any, server: str) -> None:
    p = page
    _sign_in(p, server, "viewer")
    nav = _nav(p)
    assert "Overview" in nav and "Submit a return" not in nav, nav
    assert "Submission history" not in nav
    p.get_by_role("heading", name="Programme overview").wait_for()  # the figures page
    p.goto(f"{server}/submit")
    p.wait_for_selector(READY)
    main = p.locator('[data-testid="stMain"]')
    main.get_by_text("The Submit a return page needs the submitter role or above").wait_for()
    assert "you are signed in as m.ember@wychavon.gov.uk (viewer)" in main.inner_text()
    assert p.locator('[data-testid="stFileUploader"]').count() == 0
    assert p.locator('[data-testid="stException"]').count() == 0


def test_signed_in_with_no_role_shows_no_figures(page: Any, server: str) -> None:
    p = page
    p.goto(server)
    p.wait_for_selector(READY)
    p.get_by_role("button", name="Sign in").click()
    p.wait_for_url("**/oauth2/authorize**")
    p.get_by_role("button", name="newcomer", exact=True).click()
    p.wait_for_url(f"{server}/**")
    p.wait_for_selector(READY)
    main = p.locator('[data-testid="stMain"]')
    main.get_by_text("You have no access yet: ask your programme office").wait_for()
    assert "new.starter@worcester.gov.uk" in main.inner_text()
    assert p.locator('[data-testid="stMetric"], .sharedsvc-tile').count() == 0
    assert "£" not in main.inner_text()
    p.goto(f"{server}/realisation")  # an address typed in shows the same
    p.wait_for_selector(READY)
    main.get_by_text("You have no access yet").wait_for()
    assert p.locator('[data-testid="stMetric"], .sharedsvc-tile').count() == 0


def test_sign_out_returns_to_the_sign_in_button(page: Any, server: str) -> None:
    p = page
    _sign_in(p, server, "viewer")
    with p.expect_navigation(url="**/oauth2/end_session**"):
        p.get_by_role("button", name="Sign out").click()
    # the provider asks to confirm the end of its own session, then sends us back
    with p.expect_navigation(url=f"{server}/**"):
        p.get_by_role("button", name="End session").click()
    p.wait_for_selector(READY)
    p.get_by_role("button", name="Sign in").wait_for()
    assert p.locator('[data-testid="stMetric"], .sharedsvc-tile').count() == 0
    p.goto(f"{server}/realisation")
    p.wait_for_selector(READY)
    p.get_by_role("button", name="Sign in").wait_for()
    assert p.locator('[data-testid="stMetric"], .sharedsvc-tile').count() == 0


def test_sign_in_through_a_named_provider(page: Any, named_server: str) -> None:
    """[auth.microsoft] rather than keys written directly in [auth]."""
    _sign_in(page, named_server, "viewer")
    assert (
        "m.ember@wychavon.gov.uk (viewer)" in page.locator('[data-testid="stSidebar"]').inner_text()
    )
    page.get_by_role("heading", name="Programme overview").wait_for()


@pytest.mark.parametrize(
    "sub", ["viewer", "worcester-submitter", "worcester-certifier", "administrator", "newcomer"]
)
def test_axe_finds_nothing_on_any_page_of_any_role(page: Any, server: str, sub: str) -> None:
    """Every page each person can reach, axe-core's every rule and impact."""
    p = page
    if sub == "newcomer":
        p.goto(server)
        p.wait_for_selector(READY)
        assert all_violations(p) == [], "sign-in page"
        p.get_by_role("button", name="Sign in").click()
        p.wait_for_url("**/oauth2/authorize**")
        p.get_by_role("button", name=sub, exact=True).click()
        p.wait_for_url(f"{server}/**")
        p.wait_for_selector(READY)
        assert all_violations(p) == [], "no access page"
        return
    _sign_in(p, server, sub)
    links = p.locator('[data-testid="stSidebarNav"] a')
    paths = [str(links.nth(i).get_attribute("href")) for i in range(links.count())]
    assert paths, "no pages in the navigation"
    for path in paths:
        p.goto(path if path.startswith("http") else f"{server}{path}")
        p.wait_for_selector(READY)
        assert p.locator('[data-testid="stException"]').count() == 0, path
        found = all_violations(p)
        assert found == [], f"{path}: {found}"
