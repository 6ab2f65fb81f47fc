"""Every problem in a validation report carries a stable code (ingest.PROBLEMS), the
same whatever the wording, and the finance officers' guide explains each one."""

from __future__ import annotations

from pathlib import Path

from conftest import NEL, NL, RETURNS_HEADER, ROOT

from sharedsvc_core import ingest
from sharedsvc_core.access import Person
from sharedsvc_core.store import Store

ADMIN = Person.administrator("t")


def _codes(db: Path, text: str, kind: str = "returns") -> list[tuple[int, str, str]]:
    result = ingest.load(Store.open(db), kind, text.encode(), "f.csv", by=ADMIN, dry_run=True)
    assert all(m.code in ingest.PROBLEMS for m in result.messages), result.messages
    return [(m.row, m.column, m.code) for m in result.messages]


def test_each_problem_in_a_file_has_its_own_code(register: Path) -> None:
    header = ",".join(RETURNS_HEADER)
    rows = [
        f"{NL},HR,2014/15,Q1,ninety,,,own,",  # row 2: not an amount
        f"{NL},HR,2014/15,Q2,,,,own,",  # row 3: actual_cost is required
        f"{NL},HR,2014/15,Q3,90000,,,own,,stray",  # row 4: a value past the header
        "Total,,,,270000,,,,",  # row 5: a total row
        f"{NL},HR,2014/15,Q4,90000,,,own,",  # row 6
        f"{NL},HR,2014/15,Q4,91000,,,own,",  # row 7: the same key as row 6
    ]
    found = _codes(register, "\n".join([header, *rows]) + "\n")
    assert found == [
        (2, "actual_cost", "type-error"),
        (3, "actual_cost", "missing-cell"),
        (4, "(file)", "extra-cell"),
        (5, "council", "total-row"),
        (7, "council", "primary-key"),
    ]


def test_the_header_and_the_register_have_codes_too(register: Path) -> None:
    # a duplicated heading and an unknown one; a required one missing
    found = _codes(register, "council,council,service_code,financial_year,quarter,extra\n")
    assert {c for _, _, c in found} >= {"duplicate-label", "extra-label", "missing-label"}
    # an unknown service, and a council that is not a member of the partnership
    header = ",".join(RETURNS_HEADER)
    found = _codes(
        register,
        f"{header}\n{NL},NOPE,2014/15,Q1,90000,,,own,\nE07000136,HR,2014/15,Q1,90000,,,own,\n",
    )
    assert (2, "service_code", "unknown-service") in found
    assert (3, "council", "not-a-member") in found
    # a whole_service return from a council that is not the lead
    found = _codes(register, f"{header}\n{NEL},ICT,2014/15,Q1,90000,,,whole_service,\n")
    assert (2, "cost_basis", "whole-service-lead") in found


def test_every_code_is_in_the_guide() -> None:
    guide = (ROOT / "docs" / "preparing-a-return.md").read_text(encoding="utf-8")
    assert not [code for code in ingest.PROBLEMS if f"`{code}`" not in guide]
