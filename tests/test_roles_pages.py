"""The screens for each role, run with AppTest against real stores, with sign-in set up
(an ``[auth]`` section in the secrets) and ``st.user`` set as the sign-in would set it.
The figures are the small programme's (conftest.py; test_figures.py works them out)."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
import streamlit as st
from conftest import NEL, NL, RETURNS_2014, RETURNS_HEADER, ROOT, count_rows, run_cli, snapshot
from streamlit.testing.v1 import AppTest
from test_pages import block_text, open_app, tiles

from sharedsvc_app.auth import OPEN_BANNER

AUTH = {
    "redirect_uri": "http://127.0.0.1:8501/oauth2callback",
    "cookie_secret": "page-tests-only",
    "client_id": "sharedsvc",
    "client_secret": "page-tests-only",
    "server_metadata_url": "http://127.0.0.1:9/.well-known/openid-configuration",
}
EMAILS = {
    "viewer": "v.iewer@northlincs.gov.uk",
    "board_member": "b.oard@northlincs.gov.uk",
    "submitter": "s.ubmitter@northlincs.gov.uk",
    "certifier": "c.ertifier@northlincs.gov.uk",
    "administrator": "a.dmin@northlincs.gov.uk",
}
NL_ROWS = [r for r in RETURNS_2014 if r[0] == NL]
NEL_ROWS = [r for r in RETURNS_2014 if r[0] == NEL]


def _give_roles(db: Path) -> None:
    for role, email in EMAILS.items():
        councils = ["--council", NL] if role in ("submitter", "certifier") else []
        assert run_cli("users", "add", email, "--role", role, *councils, "--db", db).code == 0


@pytest.fixture
def signed_in_programme(programme: Path) -> Path:
    _give_roles(programme)
    return programme


@pytest.fixture
def signed_in_register(register: Path) -> Path:
    _give_roles(register)
    return register


def as_person(
    db: Path,
    monkeypatch: pytest.MonkeyPatch,
    email: str | None,
    page: str | None = None,
    auth: dict[str, object] = AUTH,
) -> AppTest:
    """The dashboard with sign-in set up by ``auth``, for ``email`` (None: nobody
    signed in)."""
    monkeypatch.setenv("SHAREDSVC_DB", str(db))
    monkeypatch.chdir(ROOT)
    st.cache_data.clear()
    st.cache_resource.clear()
    app = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=90)
    app.secrets["auth"] = auth
    app.user = {"is_logged_in": False} if email is None else {"is_logged_in": True, "email": email}
    app.run()
    if page:
        app.switch_page(page)
        app.run()
    assert not app.exception, [e.value for e in app.exception]
    return app


def _text(app: AppTest) -> str:
    parts = [e.value for e in (*app.markdown, *app.caption, *app.title, *app.header)]
    parts += [e.value for e in (*app.error, *app.warning, *app.info, *app.success)]
    return "\n".join(str(p) for p in parts) + "\n" + block_text(app)


def test_nobody_signed_in_sees_a_sign_in_button_and_no_figures(
    signed_in_programme: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = as_person(signed_in_programme, monkeypatch, None)
    assert [b.label for b in app.button] == ["Sign in"]
    assert not tiles(app)
    # an address typed in reaches the same page: nothing else is registered
    app = as_person(signed_in_programme, monkeypatch, None)
    assert not tiles(app) and "£" not in _text(app)
    assert OPEN_BANNER not in _text(app)


def test_signed_in_with_no_role_sees_no_access_and_no_figures(
    signed_in_programme: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = as_person(signed_in_programme, monkeypatch, "New.Starter@NorthLincs.gov.uk")
    text = _text(app)
    assert "You have no access yet: ask your programme office to give you a role." in text
    assert "You are signed in as **new.starter@northlincs.gov.uk**" in text
    assert not tiles(app) and "£" not in text
    assert [b.label for b in app.button] == ["Sign out"]


def test_a_viewer_sees_the_figures_but_not_the_board_pack(
    signed_in_programme: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = as_person(signed_in_programme, monkeypatch, EMAILS["viewer"])
    figures = tiles(app)
    assert figures["Target to date"] == "£235.0k" and figures["Realisation"] == "78.7%"
    assert "Signed in as v.iewer@northlincs.gov.uk (viewer)" in _text(app)
    assert "Prepare the board pack" not in [e.label for e in app.expander]
    assert OPEN_BANNER not in _text(app)


@pytest.mark.parametrize(
    ("role", "page", "needed"),
    [
        ("viewer", "app_pages/submit.py", "the submitter role or above"),
        ("viewer", "app_pages/history.py", "the board_member role or above"),
        ("board_member", "app_pages/submit.py", "the submitter role or above"),
        ("submitter", "app_pages/users.py", "an administrator"),
        ("certifier", "app_pages/audit.py", "an administrator"),
        ("certifier", "app_pages/settings.py", "an administrator"),
    ],
)
def test_a_page_reached_by_its_address_refuses_without_the_role(
    signed_in_register: Path, monkeypatch: pytest.MonkeyPatch, role: str, page: str, needed: str
) -> None:
    app = as_person(signed_in_register, monkeypatch, EMAILS[role], page)
    errors = [e.value for e in app.error]
    assert len(errors) == 1, errors
    assert f"page needs {needed}; you are signed in as {EMAILS[role]}" in errors[0]
    assert errors[0].endswith("ask your programme office.")
    assert not app.file_uploader and not app.dataframe


def test_a_board_member_takes_the_pack_and_reads_the_history_without_rollback(
    signed_in_programme: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = as_person(signed_in_programme, monkeypatch, EMAILS["board_member"])
    assert "Prepare the board pack" in [e.label for e in app.expander]
    app = as_person(
        signed_in_programme, monkeypatch, EMAILS["board_member"], "app_pages/history.py"
    )
    history = next(d.value for d in app.dataframe if "file_name" in d.value.columns)
    assert list(history["file_name"])[:2] == ["returns_2015.csv", "returns_2014.csv"]
    app.selectbox(key="history_pick").select(7).run()
    assert "rollback_start" not in [b.key for b in app.button]
    assert any(
        "rolling back submission 7 needs the certifier role or above" in c.value
        for c in app.caption
    )


def _upload(app: AppTest, rows: list[list[str]]) -> AppTest:
    content = io.StringIO()
    content.write(",".join(RETURNS_HEADER) + "\n")
    content.writelines(",".join(r) + "\n" for r in rows)
    app.file_uploader(key="submit_file").set_value(
        ("return.csv", content.getvalue().encode(), "text/csv")
    ).run()
    assert not app.exception, [e.value for e in app.exception]
    return app


def test_a_submitter_sends_returns_for_their_council_only(
    signed_in_register: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = as_person(signed_in_register, monkeypatch, EMAILS["submitter"], "app_pages/submit.py")
    # one kind and one council: said in a sentence, with no list of one to choose from
    assert not app.selectbox and not [e for e in app.expander if e.label.startswith("Change")]
    text = _text(app)
    assert "You are sending a returns file, for North Lincolnshire (E06000013)." in text
    assert "The receipt will record it as sent by s.ubmitter@northlincs.gov.uk." in text
    before = snapshot(signed_in_register)
    _upload(app, NL_ROWS + NEL_ROWS)
    errors = next(d.value for d in app.dataframe if "message" in d.value.columns)
    bad = errors[errors["severity"] == "Error"].to_dict("records")
    assert [(e["row"], e["column"]) for e in bad] == [(6, "council")]
    assert "this row is for North East Lincolnshire (E06000012)" in bad[0]["message"]
    assert "submit_button" not in [b.key for b in app.button]
    assert snapshot(signed_in_register) == before
    _upload(app, NL_ROWS)
    assert not [t for t in app.text_input if t.key == "submit_user"]  # no name to type
    app.button(key="submit_button").click().run()
    assert any("Received as submission 6" in s.value for s in app.success)
    receipt = next(d.value for d in app.dataframe if "item" in d.value.columns)
    assert (
        dict(zip(receipt["item"], receipt["value"], strict=True))["Sent by"]
        == (EMAILS["submitter"])
    )
    assert count_rows(signed_in_register, "return_rows") == 4


def test_a_certifier_rolls_back_another_persons_return(
    signed_in_register: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = as_person(signed_in_register, monkeypatch, EMAILS["submitter"], "app_pages/submit.py")
    _upload(app, NL_ROWS)
    app.button(key="submit_button").click().run()
    app = as_person(signed_in_register, monkeypatch, EMAILS["certifier"], "app_pages/history.py")
    app.selectbox(key="history_pick").select(6).run()
    app.button(key="rollback_start").click().run()
    app.button(key="rollback_confirm").click().run()
    assert not app.exception
    assert any("Submission 6 was rolled back" in s.value for s in app.success)
    history = next(d.value for d in app.dataframe if "file_name" in d.value.columns)
    first = history.iloc[0]
    assert (first["received_by"], first["status"], first["rolled_back_by"]) == (
        EMAILS["submitter"],
        "Rolled back",  # in words, as every status is shown
        EMAILS["certifier"],
    )


def test_an_administrator_gives_a_role_and_reads_the_audit_log(
    signed_in_register: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    admin = EMAILS["administrator"]
    app = as_person(signed_in_register, monkeypatch, admin, "app_pages/users.py")
    people = next(d.value for d in app.dataframe if "email" in d.value.columns)
    assert len(people) == 5
    app.text_input(key="users_email").input("New.Viewer@NorthLincs.gov.uk").run()
    app.selectbox(key="users_role").select("board_member").run()
    app.button(key="users_save").click().run()
    assert not app.exception
    assert any(
        "new.viewer@northlincs.gov.uk is now a board member." in s.value for s in app.success
    )
    listed = run_cli("users", "list", "--format", "csv", "--db", signed_in_register).out
    assert "new.viewer@northlincs.gov.uk,board_member," in listed
    # a submitter needs a council: refused with what to do, nothing saved
    app.text_input(key="users_email").input("x@northlincs.gov.uk").run()
    app.selectbox(key="users_role").select("submitter").run()
    app.button(key="users_save").click().run()
    assert any("give at least one --council" in e.value for e in app.error)
    app = as_person(signed_in_register, monkeypatch, admin, "app_pages/audit.py")
    log = next(d.value for d in app.dataframe if "action" in d.value.columns)
    # newest first: this visit's sign-in, then the role given on the users page
    assert list(log["action"])[:2] == ["Sign in", "Role change"]  # in words
    assert log.iloc[0]["detail"] == f"signed in as {admin} (administrator)"
    assert (log.iloc[1]["user"], log.iloc[1]["detail"]) == (
        admin,
        "new.viewer@northlincs.gov.uk: board_member",
    )
    app.multiselect(key="audit_what").select("sign_in").run()
    log = next(d.value for d in app.dataframe if "action" in d.value.columns)
    assert set(log["action"]) == {"Sign in"} and set(log["user"]) == {admin}


def test_an_administrator_changes_the_rag_thresholds(
    signed_in_programme: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = as_person(
        signed_in_programme, monkeypatch, EMAILS["administrator"], "app_pages/settings.py"
    )
    # both thresholds move past each other's old values in one save
    app.number_input(key="setting_rag_green_pct").set_value(70.0)
    app.number_input(key="setting_rag_amber_pct").set_value(60.0)
    app.button(key="FormSubmitter:settings_form-Save the settings").click().run()
    assert not app.exception
    assert any(s.value == "Saved." for s in app.success)
    shown = run_cli("settings", "--db", signed_in_programme).out
    assert "rag_green_pct = 70" in shown and "rag_amber_pct = 60" in shown
    # 78.7% is now Green
    overview = as_person(signed_in_programme, monkeypatch, EMAILS["viewer"])
    assert tiles(overview)["RAG status"] == "✔ Green"


@pytest.mark.parametrize(
    "page",
    [
        "app_pages/overview.py",
        "app_pages/submit.py",
        "app_pages/history.py",
        "app_pages/users.py",
        "app_pages/audit.py",
        "app_pages/settings.py",
        "app_pages/about.py",
    ],
)
def test_open_mode_says_so_on_every_page(
    programme: Path, monkeypatch: pytest.MonkeyPatch, page: str
) -> None:
    app = open_app(programme, monkeypatch, page)
    assert block_text(app).count(f"Warning: {OPEN_BANNER}") == 1
    assert not app.error


@pytest.mark.parametrize(
    ("section", "buttons"),
    [
        (AUTH, ["Sign in"]),
        (
            {
                "redirect_uri": AUTH["redirect_uri"],
                "cookie_secret": AUTH["cookie_secret"],
                "microsoft": {
                    k: AUTH[k] for k in ("client_id", "client_secret", "server_metadata_url")
                },
            },
            ["Sign in"],
        ),
        (
            {
                "redirect_uri": AUTH["redirect_uri"],
                "cookie_secret": AUTH["cookie_secret"],
                "microsoft": {
                    k: AUTH[k] for k in ("client_id", "client_secret", "server_metadata_url")
                },
                "okta": {k: AUTH[k] for k in ("client_id", "client_secret", "server_metadata_url")},
            },
            ["Sign in with Microsoft", "Sign in with Okta"],
        ),
    ],
)
def test_the_sign_in_button_for_each_way_of_naming_providers(
    signed_in_programme: Path,
    monkeypatch: pytest.MonkeyPatch,
    section: dict[str, object],
    buttons: list[str],
) -> None:
    app = as_person(signed_in_programme, monkeypatch, None, auth=section)
    assert [b.label for b in app.button] == buttons
    assert not tiles(app)


def test_settings_that_contradict_each_other_are_refused_and_nothing_changes(
    signed_in_programme: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = as_person(
        signed_in_programme, monkeypatch, EMAILS["administrator"], "app_pages/settings.py"
    )
    app.number_input(key="setting_rag_green_pct").set_value(85.0)
    app.number_input(key="setting_rag_amber_pct").set_value(90.0)
    app.button(key="FormSubmitter:settings_form-Save the settings").click().run()
    assert [e.value for e in app.error] == [
        "Not saved: rag_amber_pct cannot be above rag_green_pct."
    ]
    shown = run_cli("settings", "--db", signed_in_programme).out
    assert "rag_green_pct = 100" in shown and "rag_amber_pct = 80" in shown


def test_the_audit_log_page_shows_an_export_made_since_it_was_last_read(
    signed_in_programme: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """An export adds to the log without changing the figures, so nothing is cached that
    would hide it."""
    admin = EMAILS["administrator"]
    app = as_person(signed_in_programme, monkeypatch, admin, "app_pages/audit.py")
    out = tmp_path / "pack.xlsx"
    exported = run_cli(
        "export", "board-pack", "--out", out, "--user", "clerk", "--db", signed_in_programme
    )
    assert exported.code == 0, exported
    app.run()
    log = next(d.value for d in app.dataframe if "action" in d.value.columns)
    assert (log.iloc[0]["user"], log.iloc[0]["action"]) == ("clerk", "Board pack export")
    assert log.iloc[0]["detail"].startswith("xlsx: ")


def test_incomplete_sign_in_settings_are_said_plainly(
    signed_in_programme: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # no redirect_uri, no cookie_secret
    app = as_person(signed_in_programme, monkeypatch, None, auth={"client_id": "sharedsvc"})
    app.button(key="sign_in_default").click().run()
    assert not app.exception, [e.value for e in app.exception]
    [error] = [e.value for e in app.error]
    assert error.startswith("Sign-in cannot start: the [auth] settings in the dashboard's")
    assert "docs/deploying.md" in error
