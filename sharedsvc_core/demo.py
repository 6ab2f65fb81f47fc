"""Loading the illustrative demo programme in ``data/demo/`` (``init --demo``).

``data/demo/manifest.csv`` lists the files in load order with the moment each was
received, who sent it and for which council, so the demo has a real history of
submissions, including a resubmission. ``data/demo/certifications.csv`` records when
each council's finance lead certified its returns (the latest few still await them).
Loading it twice changes nothing: each file is then "already received", and each
certification already made.
"""

from __future__ import annotations

import csv
from pathlib import Path

from . import ingest
from .access import Person
from .periods import parse_moment
from .store import Store

DEMO_DIR = Path(__file__).resolve().parent.parent / "data" / "demo"


def load_demo(store: Store, directory: Path = DEMO_DIR) -> list[str]:

    manifest = directory / "manifest.csv"
    if not manifest.is_file():
        raise ingest.UsageError(f"the demo programme is missing: no {manifest}")
    lines: list[str] = []
    ids: dict[str, int] = {}
    with open(manifest, encoding="utf-8", newline="") as f:
        entries = list(csv.DictReader(f))
    for entry in entries:
        path = directory / entry["file"]
        result = ingest.load(
            store,
            entry["kind"],
            path.read_bytes(),
            path.name,
            council=entry["council"] or None,
            by=Person.administrator(entry["received_by"]),
            received_at=parse_moment(entry["received_at"], "received_at"),
        )
        if not result.ok:
            details = "; ".join(m.line() for m in result.errors[:5])
            raise ingest.UsageError(f"demo file {entry['file']} was refused: {details}")
        lines.append(f"demo {entry['file']}: {result.summary()}")
        if result.submission_id is not None:
            ids[entry["file"]] = result.submission_id
    lines.append(_certify(store, directory / "certifications.csv", ids))
    with store.writing() as con:  # every screen labels this store "illustrative"
        con.execute("INSERT OR REPLACE INTO settings VALUES ('illustrative', '1')")
    return lines


def _certify(store: Store, path: Path, ids: dict[str, int]) -> str:
    from .certification import decide, decision_for

    if not path.is_file():
        return "demo certifications: none (no certifications.csv)"
    with open(path, encoding="utf-8", newline="") as f:
        entries = list(csv.DictReader(f))
    made = 0
    with store.writing() as con:  # one write for the whole history
        for entry in entries:
            if decision_for(con, ids[entry["file"]]) is not None:
                continue  # made when the demo was first loaded
            decide(
                con,
                ids[entry["file"]],
                Person.administrator(entry["decided_by"]),
                entry["decision"],
                entry["reason"] or None,
                at=parse_moment(entry["decided_at"], "decided_at"),
            )
            made += 1
    return f"demo certifications: {made} returns certified of {len(entries)} listed"
