"""Two dashboard processes behind Debian's nginx on one machine, over one store file.

The test starts everything on 127.0.0.1: a real OpenID Connect provider
(oidc-provider-mock), two dashboard processes with one secrets file (one
``cookie_secret``), and nginx with the configuration deploy/replicas.py writes, in a
folder of the test's own. Two people in two browser contexts of Debian's Chromium sign
in through nginx, are kept on different processes, and send their returns at the same
moment. It shows that:
- both submissions land in the one store;
- the figures agree on both processes, also after a load made through the other one
  (no process shows figures from its cache that the store has moved past);
- each page's websocket, its uploads and its sign-in's return go to the one process
  the page is kept on, and an upload sent to the other process is refused;
- a sign-in made through one process is honoured by the other.

The programme is the tests' small one (tests/conftest.py), whose figures are worked
out by hand in tests/test_figures.py.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import threading
import urllib.error
import urllib.request
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from conftest import (
    CHROMIUM,
    NEL,
    NL,
    RETURNS_2014,
    RETURNS_2014_AT,
    RETURNS_2015,
    RETURNS_HEADER,
    ROOT,
    count_rows,
    load_register,
    run_cli,
    write_csv,
)
from test_browser import READY, _free_port
from test_signin_browser import _sign_in, _wait_for_port

sys.path.insert(0, str(ROOT / "deploy"))
import replicas  # noqa: E402

pytestmark = pytest.mark.browser

PEOPLE = {  # the provider's subject: the e-mail its ID token gives, and the council
    "nl-submitter": ("a.officer@northlincs.gov.uk", NL),
    "nel-submitter": ("b.officer@nelincs.gov.uk", NEL),
}


def _nginx() -> None:
    """Debian's nginx, installed as ./run test does if it is missing; the test is skipped
    only if it cannot be installed here."""
    if Path(replicas.NGINX).exists():
        return
    why = "not root, so apt-get cannot install it"
    if os.geteuid() == 0 and shutil.which("apt-get"):
        env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
        done = subprocess.run(
            "apt-get update -qq && apt-get install -y -qq nginx",
            shell=True,
            env=env,
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
        )
        why = (done.stderr or done.stdout).strip()[-300:]
    if not Path(replicas.NGINX).exists():
        pytest.skip(
            f"Debian's nginx ({replicas.NGINX}) is missing and could not be installed: {why}"
        )


@pytest.fixture
def store(db: Path, tmp_path: Path) -> Path:
    """The small programme's register with 2014/15's returns, and a submitter for each
    council."""
    load_register(db, tmp_path)
    path = write_csv(tmp_path / "returns_2014.csv", RETURNS_HEADER, RETURNS_2014)
    assert run_cli("load", "returns", path, "--db", db, "--received-at", RETURNS_2014_AT).code == 0
    for email, council in PEOPLE.values():
        assert run_cli("users", "add", email, "--role", "submitter", "--council", council,
                       "--db", db).code == 0  # fmt: skip
    return db


@pytest.fixture
def provider() -> Iterator[str]:
    port = _free_port()
    claims = [
        arg
        for sub, (email, _) in PEOPLE.items()
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


class Site:
    def __init__(self, url: str, ports: list[int], log: Path) -> None:
        self.url, self.ports, self.log = url, ports, log

    def port_of(self, name: str) -> int:
        return self.ports[[replicas.replica_name(i) for i in range(len(self.ports))].index(name)]

    def requests(self) -> list[dict[str, str]]:
        """nginx's access log: each request's path, status, the process that served it,
        the process the browser was kept on, and the browser."""
        pattern = re.compile(
            r'"(?P<method>\S+) (?P<path>\S+) [^"]*" (?P<status>\d+) replica=(?P<replica>\S+) '
            r'kept="(?P<kept>[^"]*)" "(?P<agent>[^"]*)"'
        )
        found = [pattern.search(line) for line in self.log.read_text().splitlines()]
        return [m.groupdict() for m in found if m]


@pytest.fixture
def site(store: Path, provider: str, tmp_path: Path) -> Iterator[Site]:
    _nginx()
    ports = [_free_port(), _free_port()]
    listen = _free_port()
    url = f"http://127.0.0.1:{listen}"
    secrets = tmp_path / "secrets.toml"
    secrets.write_text(  # one secrets file, so one cookie_secret, for both processes
        "[auth]\n"
        f'redirect_uri = "{url}/oauth2callback"\n'
        'cookie_secret = "replica-tests-only-not-a-real-secret"\n'
        'client_id = "sharedsvc"\n'
        'client_secret = "replica-tests-only"\n'
        f'server_metadata_url = "{provider}/.well-known/openid-configuration"\n',
        encoding="utf-8",
    )
    logs = [tmp_path / f"replica-{i}.log" for i in range(len(ports))]
    procs = [
        replicas.start_replica(store, port, log, secrets)
        for port, log in zip(ports, logs, strict=True)
    ]
    try:
        for proc, port, log in zip(procs, ports, logs, strict=True):
            replicas.wait_for(port, proc, log)
        procs.append(replicas.start_nginx(tmp_path / "nginx", ports, listen))
        yield Site(url, ports, tmp_path / "nginx" / "replicas.log")
    finally:
        replicas.stop(procs)


def _kept_on(context: Any) -> str:
    kept = [c["value"] for c in context.cookies() if c["name"] == replicas.COOKIE]
    assert len(kept) == 1, context.cookies()
    return str(kept[0])


def _metrics(p: Any, url: str) -> str:
    p.goto(url)
    p.wait_for_selector(READY)
    metrics = p.locator('[data-testid="stMetric"], .sharedsvc-tile')
    metrics.first.wait_for()
    assert p.locator('[data-testid="stException"]').count() == 0
    return " ".join(metrics.all_inner_texts())


def _choose_file(p: Any, url: str, path: Path) -> None:
    p.goto(f"{url}/submit")
    p.wait_for_selector(READY)
    p.get_by_role("heading", name="Submit a return").wait_for()
    p.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(str(path))


def _checked(p: Any, url: str, path: Path) -> None:
    """Wait for the file's report; a file given while the page is still redrawing can
    be dropped by the uploader, so, as a person would, give it once more if none comes."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    try:
        p.get_by_text("The file passed every check").wait_for(timeout=30_000)
    except PlaywrightTimeout:
        p.wait_for_selector(READY)
        p.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(str(path))
        p.get_by_text("The file passed every check").wait_for()


def _put_upload(url: str, xsrf: str) -> tuple[int, str]:
    """Send a file to an upload address as the browser does, with its XSRF token."""
    boundary = "sharedsvc-replica-test"
    body = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="r.csv"\r\n'
        f"Content-Type: text/csv\r\n\r\nx\r\n--{boundary}--\r\n"
    ).encode()
    request = urllib.request.Request(
        url,
        data=body,
        method="PUT",
        headers={
            "Content-Type": f"multipart/form-data; boundary={boundary}",
            "X-Xsrftoken": xsrf,
            "Cookie": f"_streamlit_xsrf={xsrf}",
        },
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def test_two_processes_take_uploads_at_once_agree_and_keep_each_session(
    site: Site, store: Path, tmp_path: Path
) -> None:
    if not Path(CHROMIUM).exists():
        pytest.fail("Debian's Chromium is missing: the test command installs it (./run test)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu", "--no-first-run"]
        )
        contexts, pages = {}, {}
        try:
            # two people: each browser's first page is kept on the process that served
            # it, and the second goes to the other (the first one's websocket is open)
            for sub in PEOPLE:
                contexts[sub] = browser.new_context(
                    user_agent=f"replica-test {sub}", viewport={"width": 1400, "height": 1000}
                )
                pages[sub] = contexts[sub].new_page()
                pages[sub].set_default_timeout(60_000)
                _sign_in(pages[sub], site.url, sub)
            kept = {sub: _kept_on(contexts[sub]) for sub in PEOPLE}
            assert sorted(kept.values()) == ["r1", "r2"], kept
            a = pages["nl-submitter"]

            # before: 2014/15 only, to date 2014/15 Q2; evidenced Q1 44,000 + Q2 61,000
            before = {sub: _metrics(pages[sub], site.url) for sub in PEOPLE}
            assert "£105.0k" in before["nl-submitter"], before
            assert before["nl-submitter"] == before["nel-submitter"]

            # each sends their council's 2015/16 Q1 returns, at the same moment
            files = {
                sub: write_csv(
                    tmp_path / f"{sub}.csv",
                    RETURNS_HEADER,
                    [row for row in RETURNS_2015 if row[0] == council],
                )
                for sub, (_, council) in PEOPLE.items()
            }
            for sub in PEOPLE:
                _choose_file(pages[sub], site.url, files[sub])
            for sub in PEOPLE:
                _checked(pages[sub], site.url, files[sub])
            for sub in PEOPLE:
                pages[sub].get_by_role("button", name="Submit return").click()
            for sub in PEOPLE:
                pages[sub].get_by_text("Received as submission").wait_for()
            listed = run_cli("submissions", "--format", "csv", "--db", store).out
            for email, council in PEOPLE.values():
                assert f",{email},{council},current," in listed, listed
            assert count_rows(store, "return_rows") == len(RETURNS_2014) + len(RETURNS_2015)

            # the figures through each process are the programme's, worked by hand in
            # test_figures.py: target 235,000, evidenced 185,000, net 120,000, 78.7%
            after = {sub: _metrics(pages[sub], site.url) for sub in PEOPLE}
            for text in after.values():
                for figure in ("£235.0k", "£185.0k", "£120.0k", "78.7%"):
                    assert figure in text, after
            assert after["nl-submitter"] == after["nel-submitter"]

            # a load through one process only: North Lincolnshire's HR return for
            # 2015/16 Q1 again, with an actual cost of 80,000 instead of 85,000, so 5,000
            # more evidenced: 190,000; net 125,000; 100 * 190,000 / 235,000 = 80.85%
            again = [row for row in RETURNS_2015 if row[0] == NL and row[1] == "HR"]
            again = [[*again[0][:4], "80000", *again[0][5:]]]
            resubmit = write_csv(tmp_path / "again.csv", RETURNS_HEADER, again)
            _choose_file(a, site.url, resubmit)
            _checked(a, site.url, resubmit)
            a.get_by_role("button", name="Submit return").click()
            a.get_by_text("Received as submission").wait_for()
            # the other process had the earlier figures cached; it shows the new ones
            later = {sub: _metrics(pages[sub], site.url) for sub in PEOPLE}
            for text in later.values():
                for figure in ("£190.0k", "£125.0k", "80.9%"):
                    assert figure in text, later
            assert later["nl-submitter"] == later["nel-submitter"]

            # every request of a kept browser went to its process, the uploads among them
            requests = site.requests()
            for sub in PEOPLE:
                mine = [r for r in requests if r["agent"] == f"replica-test {sub}"]
                port = f"127.0.0.1:{site.port_of(kept[sub])}"
                uploads = [r for r in mine if r["path"].startswith("/_stcore/upload_file/")]
                assert uploads and all(r["replica"] == port for r in uploads), uploads
                assert all(r["status"] == "204" for r in uploads if r["method"] == "PUT")
                back = [r for r in mine if r["path"].startswith("/oauth2callback")]
                assert back and all(r["replica"] == port for r in back), back
                wrong = [r for r in mine if r["kept"] == kept[sub] and r["replica"] != port]
                assert wrong == [], wrong

            # an upload for the first person's page, sent to the other process, is refused
            # there: that process has no such session (why the sessions must stick)
            upload = next(
                r["path"]
                for r in site.requests()
                if r["agent"] == "replica-test nl-submitter" and r["method"] == "PUT"
            )
            xsrf = next(
                c["value"]
                for c in contexts["nl-submitter"].cookies()
                if c["name"] == "_streamlit_xsrf"
            )
            other = "r2" if kept["nl-submitter"] == "r1" else "r1"
            status, said = _put_upload(f"http://127.0.0.1:{site.port_of(other)}{upload}", xsrf)
            assert status == 400 and "sticky sessions" in said, (status, said)

            # a sign-in made through one process is honoured by the other (one
            # cookie_secret): the first person moves to the other process, still signed in
            contexts["nl-submitter"].add_cookies(
                [{"name": replicas.COOKIE, "value": other, "url": site.url}]
            )
            moved = _metrics(a, site.url)
            assert "£190.0k" in moved, moved
            sidebar = a.locator('[data-testid="stSidebar"]').inner_text()
            assert "a.officer@northlincs.gov.uk (submitter for North Lincolnshire)" in sidebar
        finally:
            for context in contexts.values():
                context.close()  # so nginx logs the websockets, which end here
            browser.close()
    streams = [r for r in site.requests() if r["path"] == "/_stcore/stream"]
    assert streams, "no websocket went through nginx"
    for request in streams:  # each page's websocket, opened after its page set the cookie
        assert request["kept"] in ("r1", "r2"), request
        assert request["replica"] == f"127.0.0.1:{site.port_of(request['kept'])}", request
    moved_streams = [
        r for r in streams if r["agent"] == "replica-test nl-submitter" and r["kept"] == other
    ]
    assert moved_streams, streams


def test_the_shipped_configuration_is_what_the_script_writes() -> None:
    shipped = (ROOT / "deploy" / "nginx-replicas.conf").read_text(encoding="utf-8")
    assert shipped == replicas.site(
        [8501, 8502],
        "443",
        "sharedsvc.example-council.gov.uk",
        ("/etc/ssl/certs/sharedsvc.pem", "/etc/ssl/private/sharedsvc.key"),
        "/var/log/nginx/sharedsvc.log",
    )


class _Named(BaseHTTPRequestHandler):
    def do_GET(self) -> None:  # noqa: N802 (the standard library's name)
        body = self.server.name.encode()  # type: ignore[attr-defined]
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: Any) -> None:
        pass


def _get(url: str, kept: str | None) -> tuple[str, str | None]:
    """What answered, and the cookie nginx set (None if it set none)."""
    request = urllib.request.Request(
        url, headers={"Cookie": f"{replicas.COOKIE}={kept}"} if kept else {}
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        cookie = response.headers.get("Set-Cookie")
        return response.read().decode(), cookie


def test_the_cookie_keeps_a_browser_on_its_process_and_moves_it_when_that_is_down(
    tmp_path: Path,
) -> None:
    """The configuration's rules, with two small web servers standing for the processes:
    a newcomer is given a process and a cookie naming it; a kept browser goes to its
    process and is sent no cookie; one whose process is down goes to the other and is
    given the other's cookie; a cookie naming no process counts for nothing."""
    _nginx()
    servers = []
    for name in ("first", "second"):
        server = ThreadingHTTPServer(("127.0.0.1", 0), _Named)
        server.name = name  # type: ignore[attr-defined]
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
    ports = [s.server_address[1] for s in servers]
    listen = _free_port()
    url = f"http://127.0.0.1:{listen}/"
    nginx = replicas.start_nginx(tmp_path / "nginx", ports, listen)
    try:
        said, cookie = _get(url, None)
        assert said in ("first", "second")
        name = "r1" if said == "first" else "r2"
        assert cookie == f"{replicas.COOKIE}={name}; Path=/; HttpOnly; SameSite=Lax", cookie
        assert _get(url, "r2") == ("second", None)
        assert _get(url, "r1") == ("first", None)
        assert _get(url, "r1") == ("first", None)
        said, cookie = _get(url, "r9")
        name = "r1" if said == "first" else "r2"
        assert cookie == f"{replicas.COOKIE}={name}; Path=/; HttpOnly; SameSite=Lax", cookie
        servers[1].shutdown()
        servers[1].server_close()
        said, cookie = _get(url, "r2")
        assert said == "first"
        assert cookie is not None and cookie.startswith(f"{replicas.COOKIE}=r1;"), cookie
    finally:
        replicas.stop([nginx])
        servers[0].shutdown()
        servers[0].server_close()
