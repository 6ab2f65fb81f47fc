"""Roles, enforced in the core (CONTRACT.md section 6): every write, for every role, on a
real store. Each refusal is checked for the words a person reads, and for changing
nothing."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from conftest import NEL, NL, RETURNS_2014, RETURNS_HEADER, count_rows, snapshot, write_csv

from sharedsvc_core import access, audit, export, ingest
from sharedsvc_core.access import Person, Refused
from sharedsvc_core.settings import change_setting, get_settings
from sharedsvc_core.store import Store

ADMIN = Person.administrator("admin@programme.gov.uk")
PEOPLE = {
    "viewer": ("v.iewer@northlincs.gov.uk", "viewer", ()),
    "board_member": ("b.oard@northlincs.gov.uk", "board_member", ()),
    "submitter": ("S.Ubmitter@NorthLincs.gov.uk", "submitter", (NL,)),
    "certifier": ("c.ertifier@northlincs.gov.uk", "certifier", ("North Lincolnshire",)),
    "administrator": ("a.dmin@northlincs.gov.uk", "administrator", ()),
}
NL_ROWS = [r for r in RETURNS_2014 if r[0] == NL]
NEL_ROWS = [r for r in RETURNS_2014 if r[0] == NEL]


def _csv(rows: list[list[str]]) -> bytes:
    out = io.StringIO()
    out.write(",".join(RETURNS_HEADER) + "\n")
    for row in rows:
        out.write(",".join(row) + "\n")
    return out.getvalue().encode()


@pytest.fixture
def people(register: Path) -> dict[str, Person]:
    store = Store.open(register)
    for email, role, councils in PEOPLE.values():
        access.add_person(store, ADMIN, email, role, councils)
    with store.reading() as con:
        found = {name: access.person_for(con, PEOPLE[name][0]) for name in PEOPLE}
        found["nobody"] = access.person_for(con, "n.obody@northlincs.gov.uk")
    return found


def _load(db: Path, by: Person, rows: list[list[str]], **kw: object) -> ingest.LoadResult:
    return ingest.load(Store.open(db), "returns", _csv(rows), "return.csv", by=by, **kw)  # type: ignore[arg-type]


def test_people_are_kept_by_lower_cased_email_with_current_codes(
    register: Path, people: dict[str, Person]
) -> None:
    assert people["submitter"] == Person("s.ubmitter@northlincs.gov.uk", "submitter", (NL,))
    # the certifier's council was given by name and is kept as its code
    assert people["certifier"].councils == (NL,)
    assert people["certifier"].describe() == (
        "c.ertifier@northlincs.gov.uk (certifier for North Lincolnshire)"
    )
    assert people["nobody"] == Person("n.obody@northlincs.gov.uk", None)


@pytest.mark.parametrize("role", ["viewer", "board_member"])
def test_viewers_and_board_members_cannot_submit(
    register: Path, people: dict[str, Person], role: str
) -> None:
    before = snapshot(register)
    with pytest.raises(Refused) as refused:
        _load(register, people[role], NL_ROWS)
    word = "viewer" if role == "viewer" else "board member"
    assert str(refused.value) == (
        "submitting a returns file needs the submitter role or above; you are signed in "
        f"as {PEOPLE[role][0]} ({word}): ask your programme office"
    )
    assert refused.value.needed == "submitter"
    assert snapshot(register) == before


def test_someone_with_no_role_is_told_to_ask_for_one(
    register: Path, people: dict[str, Person]
) -> None:
    with pytest.raises(Refused) as refused:
        _load(register, people["nobody"], NL_ROWS)
    assert str(refused.value).startswith("you have no access yet: ask your programme office")


@pytest.mark.parametrize("role", ["submitter", "certifier", "administrator"])
def test_a_council_return_loads_for_those_who_may_send_it(
    register: Path, people: dict[str, Person], role: str
) -> None:
    result = _load(register, people[role], NL_ROWS)
    assert result.status == "loaded", result.lines()
    assert result.received_by == PEOPLE[role][0].lower()
    assert count_rows(register, "return_rows") == 4


def test_a_submitter_is_recorded_as_submitting_for_their_council(
    register: Path, people: dict[str, Person]
) -> None:
    result = _load(register, people["submitter"], NL_ROWS)
    assert result.council == NL


def test_a_submitters_file_with_another_councils_rows_is_refused_by_row(
    register: Path, people: dict[str, Person]
) -> None:
    before = snapshot(register)
    # file rows 2 to 5 are North Lincolnshire's, row 6 North East Lincolnshire's
    result = _load(register, people["submitter"], NL_ROWS + NEL_ROWS)
    assert result.status == "rejected"
    assert [m.line() for m in result.errors] == [
        "ERROR row 6, column council: you are submitting for North Lincolnshire "
        "(E06000013) but this row is for North East Lincolnshire (E06000012): send each "
        "council's rows in that council's own return (sending North East Lincolnshire's "
        "rows needs the submitter role for it)"
    ]
    assert snapshot(register) == before


def test_a_submitter_cannot_choose_another_council(
    register: Path, people: dict[str, Person]
) -> None:
    with pytest.raises(Refused) as refused:
        _load(register, people["submitter"], NEL_ROWS, council=NEL)
    assert str(refused.value).startswith(
        "submitting returns for North East Lincolnshire (E06000012) needs the submitter "
        "role for that council"
    )
    assert "(submitter for North Lincolnshire)" in str(refused.value)


def test_a_submitter_for_two_councils_may_send_both(register: Path) -> None:
    store = Store.open(register)
    two = access.add_person(store, ADMIN, "two@lincs.gov.uk", "submitter", [NL, NEL])
    result = _load(register, two, NL_ROWS + NEL_ROWS)
    assert result.status == "loaded", result.lines()
    assert result.council is None  # it is for both


@pytest.mark.parametrize("kind", ["baselines", "targets", "partnerships", "members", "survey"])
@pytest.mark.parametrize("role", ["submitter", "certifier"])
def test_administrators_files_are_refused_to_council_roles(
    register: Path, people: dict[str, Person], tmp_path: Path, role: str, kind: str
) -> None:
    """A council cannot change the baseline its own savings are measured against."""
    before = snapshot(register)
    data = write_csv(
        tmp_path / "b.csv",
        ["service_code", "council", "baseline_year", "annual_cost"],
        [["HR", NL, "2013/14", "600000"]],
    ).read_bytes()
    with pytest.raises(Refused) as refused:
        ingest.load(Store.open(register), kind, data, "b.csv", by=people[role])
    assert str(refused.value).startswith(f"loading a {kind} file (baselines, targets, the ")
    assert "needs an administrator; you are signed in as" in str(refused.value)
    assert refused.value.needed == "administrator"
    assert snapshot(register) == before


def test_an_administrator_may_load_baselines(register: Path, people: dict[str, Person]) -> None:
    # a change to an approved baseline gives its reason (change control)
    data = (
        b"service_code,council,baseline_year,annual_cost,reason\n"
        b"HR,E06000013,2013/14,600000,Payroll joined the service\n"
    )
    result = ingest.load(
        Store.open(register), "baselines", data, "b.csv", by=people["administrator"]
    )
    assert result.status == "loaded", result.lines()


def test_a_dry_run_is_refused_the_same_way(register: Path, people: dict[str, Person]) -> None:
    with pytest.raises(Refused):
        _load(register, people["viewer"], NL_ROWS, dry_run=True)


# -- rollback --------------------------------------------------------------------------


def _submitted(register: Path, by: Person, rows: list[list[str]]) -> int:
    result = _load(register, by, rows)
    assert result.submission_id is not None, result.lines()
    return result.submission_id


@pytest.mark.parametrize("role", ["viewer", "board_member", "submitter"])
def test_rollback_is_refused_below_certifier(
    register: Path, people: dict[str, Person], role: str
) -> None:
    sent = _submitted(register, people["submitter"], NL_ROWS)
    with pytest.raises(Refused) as refused:
        ingest.rollback(Store.open(register), sent, people[role])
    assert str(refused.value).startswith(
        f"rolling back submission {sent} needs the certifier role or above"
    )
    assert count_rows(register, "rollbacks") == 0


def test_a_certifier_rolls_back_their_councils_return_sent_by_someone_else(
    register: Path, people: dict[str, Person]
) -> None:
    sent = _submitted(register, people["submitter"], NL_ROWS)
    outcome, _ = ingest.rollback(Store.open(register), sent, people["certifier"])
    assert outcome == "rolled_back"
    with Store.open(register).reading() as con:
        assert con.one("SELECT rolled_back_by FROM rollbacks") == "c.ertifier@northlincs.gov.uk"


def test_a_certifier_never_rolls_back_their_own_return(
    register: Path, people: dict[str, Person]
) -> None:
    sent = _submitted(register, people["certifier"], NL_ROWS)
    with pytest.raises(Refused) as refused:
        ingest.rollback(Store.open(register), sent, people["certifier"])
    assert "you submitted it, so another certifier (or an administrator)" in str(refused.value)
    assert count_rows(register, "rollbacks") == 0


def test_a_certifier_cannot_roll_back_another_councils_return(
    register: Path, people: dict[str, Person]
) -> None:
    sent = _submitted(register, ADMIN, NEL_ROWS)
    with pytest.raises(Refused) as refused:
        ingest.rollback(Store.open(register), sent, people["certifier"])
    assert "needs the certifier role for every council in it (E06000012)" in str(refused.value)


def test_a_certifier_cannot_roll_back_a_register_file(
    register: Path, people: dict[str, Person]
) -> None:
    # submission 1 is the partnerships file, loaded by the command line
    with pytest.raises(Refused) as refused:
        ingest.rollback(Store.open(register), 1, people["certifier"])
    assert str(refused.value).startswith(
        "rolling back submission 1 (a partnerships file) needs an administrator"
    )


def test_an_administrator_rolls_back_anything(register: Path, people: dict[str, Person]) -> None:
    assert ingest.rollback(Store.open(register), 1, people["administrator"])[0] == "rolled_back"


# -- settings, people, the board pack -------------------------------------------------


@pytest.mark.parametrize("role", ["viewer", "board_member", "submitter", "certifier", "nobody"])
def test_only_administrators_change_settings_and_roles(
    register: Path, people: dict[str, Person], role: str
) -> None:
    store = Store.open(register)
    before = snapshot(register)
    with pytest.raises(Refused) as refused:
        change_setting(store, people[role], "rag_green_pct", "90")
    assert "changing a setting needs" in str(refused.value)
    with pytest.raises(Refused) as refused:
        access.add_person(store, people[role], "x@y.gov.uk", "administrator")
    assert "changing people's roles needs" in str(refused.value)
    with pytest.raises(Refused):
        access.remove_person(store, people[role], PEOPLE["viewer"][0])
    assert snapshot(register) == before
    with store.reading() as con:
        assert get_settings(con)["rag_green_pct"] == 100
        assert len(access.list_people(con)) == 5


def test_an_administrator_changes_a_setting(register: Path, people: dict[str, Person]) -> None:
    assert (
        change_setting(Store.open(register), people["administrator"], "rag_green_pct", "90") == 90
    )


def test_roles_are_checked_when_given(register: Path) -> None:
    store = Store.open(register)
    with pytest.raises(ValueError, match="give at least one --council"):
        access.add_person(store, ADMIN, "s@x.gov.uk", "submitter")
    with pytest.raises(ValueError, match="is not for named councils"):
        access.add_person(store, ADMIN, "v@x.gov.uk", "viewer", [NL])
    with pytest.raises(ValueError, match="unknown role 'owner'"):
        access.add_person(store, ADMIN, "v@x.gov.uk", "owner")
    with pytest.raises(ValueError, match="is not an e-mail address"):
        access.add_person(store, ADMIN, "not an address", "viewer")
    with pytest.raises(ValueError, match="--council 'Atlantis'"):
        access.add_person(store, ADMIN, "s@x.gov.uk", "submitter", ["Atlantis"])


@pytest.mark.parametrize("role", ["viewer", "nobody"])
def test_the_board_pack_needs_a_board_member(
    programme: Path, people: dict[str, Person], tmp_path: Path, role: str
) -> None:
    out = tmp_path / "pack.xlsx"
    with pytest.raises(Refused) as refused:
        export.board_pack(Store.open(programme), out, by=people[role])
    assert "taking the board pack needs the board_member role or above" in str(refused.value)
    assert not out.exists()


@pytest.fixture
def people_on_programme(programme: Path) -> dict[str, Person]:
    store = Store.open(programme)
    access.add_person(store, ADMIN, "b.oard@northlincs.gov.uk", "board_member")
    with store.reading() as con:
        return {"board_member": access.person_for(con, "b.oard@northlincs.gov.uk")}


def test_a_board_member_takes_the_pack_and_it_is_audited(
    programme: Path, people_on_programme: dict[str, Person], tmp_path: Path
) -> None:
    out = tmp_path / "pack.xlsx"
    export.board_pack(Store.open(programme), out, by=people_on_programme["board_member"])
    assert out.stat().st_size > 0
    with Store.open(programme).reading() as con:
        last = audit.entries(con)[-1]
    assert last["user"] == "b.oard@northlincs.gov.uk"
    assert last["action"] == "board_pack_export"
    assert last["detail"].startswith("xlsx: ")


# -- the audit log ----------------------------------------------------------------------


def test_every_write_and_refusal_is_in_the_audit_log(
    register: Path, people: dict[str, Person]
) -> None:
    store = Store.open(register)
    with store.reading() as con:
        start = len(audit.entries(con))
    sent = _submitted(register, people["submitter"], NL_ROWS)
    _load(register, people["submitter"], NL_ROWS)  # the same bytes again
    _load(register, people["submitter"], NEL_ROWS)  # refused: another council's rows
    with pytest.raises(Refused):
        _load(register, people["viewer"], NL_ROWS)
    ingest.rollback(store, sent, people["certifier"])
    change_setting(store, people["administrator"], "rag_amber_pct", "75")
    access.remove_person(store, people["administrator"], PEOPLE["viewer"][0])
    with store.reading() as con:
        log = audit.entries(con)[start:]
    assert [(e["user"], e["action"]) for e in log] == [
        ("s.ubmitter@northlincs.gov.uk", "submission_loaded"),
        ("s.ubmitter@northlincs.gov.uk", "submission_already_received"),
        ("s.ubmitter@northlincs.gov.uk", "submission_refused"),
        ("v.iewer@northlincs.gov.uk", "submission_refused"),
        ("c.ertifier@northlincs.gov.uk", "rollback"),
        ("a.dmin@northlincs.gov.uk", "settings_change"),
        ("a.dmin@northlincs.gov.uk", "role_change"),
    ]
    assert log[0]["detail"] == (
        f"submission {sent}: returns file 'return.csv' for {NL}, 4 rows "
        "(4 new, 0 superseding), 0 warnings"
    )
    assert log[2]["detail"].endswith(": 1 errors, nothing written")
    assert "needs the submitter role or above" in log[3]["detail"]
    assert log[5]["detail"] == "rag_amber_pct: 80 -> 75"
    assert log[6]["detail"] == "v.iewer@northlincs.gov.uk: removed (was viewer)"


# -- the store's version: what the screens' caches key on ---------------------------------


def test_the_version_moves_with_a_change_but_not_with_an_audit_entry(
    register: Path, people: dict[str, Person], tmp_path: Path
) -> None:
    store = Store.open(register)
    first = store.version()
    audit.record_now(store, "v.iewer@northlincs.gov.uk", "sign_in", "signed in")
    assert store.version() == first  # a sign-in keeps everyone's cached figures
    refused = _load(register, people["submitter"], NEL_ROWS)  # refused: only logged
    assert refused.status == "rejected"
    assert store.version() == first
    _load(register, people["submitter"], NL_ROWS)
    loaded = store.version()
    assert loaded != first
    # a copy of an older store put back over the file is seen at once
    import shutil

    shutil.copy(register, tmp_path / "backup.duckdb")
    ingest.rollback(store, 6, people["administrator"])
    after = store.version()
    assert after != loaded
    shutil.copy(tmp_path / "backup.duckdb", register)
    assert store.version() not in (after, loaded)


def test_a_store_from_an_older_version_says_to_upgrade(register: Path) -> None:
    import duckdb

    from sharedsvc_core.store import StoreOutdated

    con = duckdb.connect(str(register))
    con.execute("DROP TABLE people")
    con.close()
    with Store.open(register).reading() as store_con, pytest.raises(StoreOutdated) as outdated:
        access.person_for(store_con, "a@b.gov.uk")
    assert str(outdated.value).startswith(
        "the store needs upgrading before it can be used: run `python -m sharedsvc_core init`"
    )
