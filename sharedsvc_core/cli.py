"""The command line: ``python -m sharedsvc_core COMMAND ...`` (CONTRACT.md section 4).

Exit codes: 0 done (or already received), 1 data rejected with nothing written,
2 a usage error, a missing file, or the store in use by another process.
"""

from __future__ import annotations

import argparse
import csv
import getpass
import io
import json
import os
import sys
from collections.abc import Sequence
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from . import access, audit, periods, realisation, survey
from .access import Person, Refused
from .contract import KINDS
from .councils import load_reference
from .periods import PeriodError, Quarter, parse_quarter_label
from .settings import DEFAULTS, DESCRIPTIONS, change_setting, get_settings
from .spreadsheet import neutralise
from .store import FOREVER, Store, StoreError, expected_schema_version


class CommandError(Exception):
    """A usage problem: printed as one line, exit code 2."""


def parse_moment(text: str, flag: str) -> datetime:
    """:func:`periods.parse_moment`, its refusal a usage error."""
    try:
        return periods.parse_moment(text, flag)
    except PeriodError as error:
        raise CommandError(str(error)) from None


def _quarter(text: str | None) -> Quarter | None:
    if text is None:
        return None
    try:
        return parse_quarter_label(text)
    except PeriodError as error:
        raise CommandError(f"--to: {error}") from None


def _user(args: argparse.Namespace) -> str:
    if getattr(args, "user", None):
        return str(args.user)
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"


def _person(args: argparse.Namespace) -> Person:
    """The command line acts as an administrator: whoever runs it can open the store
    file. It records --user NAME, else the operating-system user."""
    return Person.administrator(_user(args))


def _stamp(moment: datetime | None) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ") if moment else ""


# -- output --------------------------------------------------------------------------


# measured values, written as the file gave them (no padding to 2 places)
_AS_MEASURED = ("baseline_value", "target_value", "latest_value")


def _csv_value(value: Any, column: str, pct: Sequence[str] = ()) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal) and column in _AS_MEASURED:
        return str(value)
    if isinstance(value, Decimal):
        places = 1 if column in pct else 2
        if column == "mean_score":
            places = 2
        return f"{value:.{places}f}"
    return str(value)


def _json_value(value: Any) -> Any:
    if isinstance(value, Decimal):
        return float(value)
    return value


def write_rows(
    rows: list[dict[str, Any]],
    columns: Sequence[str],
    fmt: str,
    percent_columns: Sequence[str],
    out: io.TextIOBase | Any,
) -> None:
    if fmt == "json":
        out.write(json.dumps([{c: _json_value(r[c]) for c in columns} for r in rows], indent=2))
        out.write("\n")
        return
    text_rows = [[_csv_value(r[c], c, percent_columns) for c in columns] for r in rows]
    if fmt == "csv":
        # text from files and people is made safe to open in a spreadsheet; numbers,
        # negative ones included, are written as they are
        text_rows = [
            [
                neutralise(t) if isinstance(r[c], str) else t
                for c, t in zip(columns, row, strict=True)
            ]
            for r, row in zip(rows, text_rows, strict=True)
        ]
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(columns)
        writer.writerows(text_rows)
        return
    if not rows:
        out.write("(no rows)\n")
        return
    widths = [max(len(c), *(len(r[i]) for r in text_rows)) for i, c in enumerate(columns)]
    out.write("  ".join(c.ljust(w) for c, w in zip(columns, widths, strict=True)).rstrip() + "\n")
    out.write("  ".join("-" * w for w in widths) + "\n")
    for r in text_rows:
        cells = [v.rjust(w) if _numeric(v) else v.ljust(w) for v, w in zip(r, widths, strict=True)]
        out.write("  ".join(cells).rstrip() + "\n")


def _numeric(text: str) -> bool:
    return bool(text) and text.lstrip("-").replace(".", "", 1).isdigit()


# -- commands ------------------------------------------------------------------------


def cmd_init(store: Store, args: argparse.Namespace) -> int:
    from . import demo  # the loaders' imports are heavy; reports do not need them

    applied = store.migrate()
    with store.writing() as con:
        count = load_reference(con)
    print(
        f"store {store.path}: schema version {expected_schema_version()}"
        + (f" (applied {', '.join(applied)})" if applied else " (up to date)")
    )
    print(f"reference councils: {count} (mySociety, CC BY 4.0)")
    if args.demo:
        for line in demo.load_demo(store):
            print(line)
    return 0


def cmd_load(store: Store, args: argparse.Namespace) -> int:
    from . import ingest

    path = Path(args.file)
    if not path.is_file():
        raise CommandError(f"no such file: {args.file}")
    _require_schema(store)
    received_at = parse_moment(args.received_at, "--received-at") if args.received_at else None
    try:
        result = ingest.load(
            store,
            args.kind,
            path.read_bytes(),
            path.name,
            council=args.council,
            by=_person(args),
            received_at=received_at,
        )
    except ingest.UsageError as error:
        raise CommandError(str(error)) from None
    for line in result.lines():
        print(line)
    return 0 if result.ok else 1


def cmd_submissions(store: Store, args: argparse.Namespace) -> int:
    _require_schema(store)
    as_of = parse_moment(args.as_of, "--as-of") if args.as_of else FOREVER
    with store.reading() as con:
        rows = con.dicts(
            "SELECT id, kind, file_name, rows, received_at, received_by, council, status, "
            "sha256, rolled_back_by, certification, certified_by, certified_at, return_reason "
            "FROM <<submission_status>> "
            "ORDER BY received_at DESC, id DESC",
            {"as_of": as_of},
        )
    for row in rows:
        row["received_at"] = _stamp(row["received_at"])
        row["council"] = row["council"] or ""
        row["rolled_back_by"] = row["rolled_back_by"] or ""
        row["certification"] = row["certification"] or ""
        row["certified_by"] = row["certified_by"] or ""
        row["certified_at"] = _stamp(row["certified_at"])
        row["return_reason"] = row["return_reason"] or ""
    columns = (
        "id",
        "kind",
        "file_name",
        "rows",
        "received_at",
        "received_by",
        "council",
        "status",
        "sha256",
        "rolled_back_by",
        "certification",
        "certified_by",
        "certified_at",
        "return_reason",
    )
    write_rows(rows, columns, args.format, (), sys.stdout)
    return 0


def cmd_certify(store: Store, args: argparse.Namespace) -> int:
    from . import certification

    _require_schema(store)
    try:
        decision = certification.certify(store, args.submission_id, _person(args))
    except certification.CertificationError as error:
        raise CommandError(str(error)) from None
    print(
        f"certified submission {args.submission_id} as {decision.by} at "
        f'{_stamp(decision.at)}: "{certification.DECLARATION}"'
    )
    return 0


def cmd_return(store: Store, args: argparse.Namespace) -> int:
    from . import certification

    _require_schema(store)
    try:
        decision = certification.send_back(store, args.submission_id, _person(args), args.reason)
    except certification.CertificationError as error:
        raise CommandError(str(error)) from None
    print(
        f"returned submission {args.submission_id} to its submitter at "
        f"{_stamp(decision.at)}: its rows no longer count. Reason given: {decision.reason}"
    )
    return 0


def cmd_rollback(store: Store, args: argparse.Namespace) -> int:
    from . import ingest

    _require_schema(store)
    try:
        outcome, when = ingest.rollback(store, args.submission_id, _person(args))
    except ingest.UsageError as error:
        raise CommandError(str(error)) from None
    stamp = _stamp(when)
    if outcome == "already":
        print(f"submission {args.submission_id} was already rolled back at {stamp}")
    else:
        print(
            f"rolled back submission {args.submission_id} at {stamp}: its rows no longer "
            "count, and the rows they had superseded count again"
        )
    return 0


def cmd_report(store: Store, args: argparse.Namespace) -> int:
    _require_schema(store)
    as_of = parse_moment(args.as_of, "--as-of") if args.as_of else None
    if args.what == "outstanding":
        return _report_outstanding(store, args, as_of)
    if args.what in ("benefits", "changes"):
        return _report_benefits(store, args, as_of)
    if args.what == "options":
        return _report_options(store, args, as_of)
    if args.what == "exit":
        return _report_exit(store, args, as_of)
    if args.what in ("overlaps", "overclaims"):
        return _report_overlaps(store, args, as_of)
    if args.what == "realisation":
        filters = realisation.Filters(certified_only=args.certified_only)
        span, rows = realisation.report(store, args.by, _quarter(args.to), as_of, filters=filters)
        if args.format == "table":
            if span.end is None:
                print("no returns yet: nothing is to date")
            else:
                start = span.start.display if span.start else "-"
                print(
                    f"benefits realisation by {args.by}, {start} to {span.end.display}"
                    + (f", as of {as_of.isoformat()}" if as_of else "")
                    + (", certified returns only" if args.certified_only else "")
                )
        write_rows(rows, realisation.COLUMNS, args.format, realisation.PERCENT, sys.stdout)
        return 0
    wave = None
    if args.wave:
        from .contract import parse_fy_value

        try:
            wave = parse_fy_value(args.wave)
        except ValueError as error:
            raise CommandError(f"--wave: {error}") from None
    rows = survey.report(store, wave, as_of)
    write_rows(
        rows,
        survey.COLUMNS,
        args.format,
        ("pct_agree", "pct_neutral", "pct_disagree", "net_agreement"),
        sys.stdout,
    )
    return 0


def _report_options(store: Store, args: argparse.Namespace, as_of: datetime | None) -> int:
    from . import options
    from .contract import parse_service_code

    service = None
    if args.service is not None:
        try:
            service = parse_service_code(args.service)
        except ValueError as error:
            raise CommandError(f"--service: {error}") from None
    with store.reading() as con:
        if service is not None and not con.one(
            "SELECT count(*) FROM services_as_of(?) WHERE service_code = ?",
            [as_of or FOREVER, service],
        ):
            raise CommandError(f"--service: unknown service {service}: use a code on the register")
        found = options.appraisals(con, as_of, service)
    write_rows(options.rows(found), options.COLUMNS, args.format, (), sys.stdout)
    for appraisal in found:
        for warning in appraisal.warnings:
            print(f"WARNING {warning}", file=sys.stderr)
    return 0


def _report_exit(store: Store, args: argparse.Namespace, as_of: datetime | None) -> int:
    from . import partner_exit
    from .councils import CouncilIndex

    try:
        at = parse_quarter_label(args.at)
    except PeriodError as error:
        raise CommandError(f"--at: {error}") from None
    share = None
    if args.share is not None:
        try:
            share = Decimal(args.share.strip().rstrip("%")) / (
                100 if args.share.strip().endswith("%") else 1
            )
        except ArithmeticError:
            raise CommandError(f"--share {args.share!r}: give a fraction such as 0.25") from None
    with store.reading() as con:
        try:
            council = CouncilIndex(con).resolve(args.council).gss_code
            found = partner_exit.statement(con, args.partnership, council, at, as_of, share)
        except ValueError as error:
            raise CommandError(f"{error}") from None
    if args.format == "table":
        print(
            f"{found.council_name} ({found.council}) leaving {found.partnership} at the end "
            f"of {found.at.display}" + (f", as of {as_of.isoformat()}" if as_of else "")
        )
        print(f"basis: {found.basis}")
    write_rows(found.rows(), ("item", "amount"), args.format, (), sys.stdout)
    return 0


def _report_benefits(store: Store, args: argparse.Namespace, as_of: datetime | None) -> int:
    from . import benefits

    if args.what == "changes":
        rows = benefits.changes_report(store, as_of)
        for row in rows:
            row["changed_at"] = _stamp(row["changed_at"])
        write_rows(rows, benefits.CHANGE_COLUMNS, args.format, (), sys.stdout)
        return 0
    rows = benefits.report(store, as_of)
    write_rows(rows, benefits.COLUMNS, args.format, benefits.PERCENT, sys.stdout)
    return 0


def _report_overlaps(store: Store, args: argparse.Namespace, as_of: datetime | None) -> int:
    from . import overlaps

    if args.what == "overclaims":
        rows = overlaps.overclaims_report(store, as_of)
        if args.format == "table":
            print(f"{len(rows)} claims above the service area's baseline")
        write_rows(rows, overlaps.OVERCLAIM_COLUMNS, args.format, (), sys.stdout)
        return 0
    rows = overlaps.report(store, as_of)
    if args.format == "table":
        print(f"{len(rows)} baselines claimed by services of more than one partnership")
    write_rows(rows, overlaps.COLUMNS, args.format, (), sys.stdout)
    return 0


def _report_outstanding(store: Store, args: argparse.Namespace, as_of: datetime | None) -> int:
    from . import returns_calendar

    today = None
    if args.today:
        try:
            today = date.fromisoformat(args.today.strip())
        except ValueError:
            raise CommandError(f"--today {args.today!r}: give a date such as 2016-11-30") from None
    rows = returns_calendar.report(store, _quarter(args.to), as_of, today)
    if args.format == "table":
        summary = returns_calendar.overdue_summary(rows)
        print(
            f"{summary['outstanding']} returns expected and not received, "
            f"{summary['overdue']} of them overdue"
        )
    write_rows(rows, returns_calendar.COLUMNS, args.format, (), sys.stdout)
    return 0


def cmd_export(store: Store, args: argparse.Namespace) -> int:
    from . import export  # the Excel, PDF and chart libraries are only needed here

    _require_schema(store)
    out = Path(args.out)
    if out.suffix.lower() not in (".xlsx", ".pdf"):
        raise CommandError("--out: name the board pack FILE.xlsx or FILE.pdf")
    if not out.parent.exists():
        raise CommandError(f"--out: there is no folder {out.parent}")
    as_of = parse_moment(args.as_of, "--as-of") if args.as_of else None
    pack = export.board_pack(
        store, out, _quarter(args.to), as_of, by=_person(args), certified_only=args.certified_only
    )
    print(f"wrote the board pack {out}: {pack.subtitle}")
    return 0


def cmd_import_outturn(store: Store, args: argparse.Namespace) -> int:
    from . import outturn

    _require_schema(store)
    source, mapping = Path(args.file), Path(args.mapping)
    for path, what in ((source, "the outturn file"), (mapping, "--mapping")):
        if not path.is_file():
            raise CommandError(f"{what}: no such file: {path}")
    out = Path(args.out) if args.out else None
    if out is not None and out.exists():
        raise CommandError(f"--out: {out} already exists: give the proposal a new file name")
    if out is not None and not out.parent.exists():
        raise CommandError(f"--out: there is no folder {out.parent}")
    year = None
    if args.year:
        from .contract import parse_fy_value

        try:
            year = parse_fy_value(args.year)
        except ValueError as error:
            raise CommandError(f"--year: {error}") from None
    try:
        proposal = outturn.propose(
            store, source.read_bytes(), source.name, mapping.read_bytes(), _person(args), year
        )
    except outturn.OutturnError as error:
        print(f"ERROR {error}")
        print("rejected: nothing proposed")
        return 1
    # the file goes to stdout when there is no --out, so everything said goes to stderr
    say = sys.stdout if out else sys.stderr
    for line in proposal.errors:
        print(f"ERROR {line}", file=say)
    if proposal.errors:
        print(f"rejected: {len(proposal.errors)} errors, nothing proposed", file=say)
        return 1
    if out is None:
        sys.stdout.write(proposal.csv_text())
    else:
        out.write_text(proposal.csv_text(), encoding="utf-8", newline="")
    for line in proposal.notes:
        print(f"NOTE {line}", file=say)
    for line in outturn.summary(proposal, str(out) if out else None):
        print(line, file=say)
    return 0


def cmd_settings(store: Store, args: argparse.Namespace) -> int:
    _require_schema(store)
    if args.name is not None:
        if args.value is None:
            raise CommandError("give a value: settings NAME VALUE")
        try:
            change_setting(store, _person(args), args.name, args.value)
        except ValueError as error:
            raise CommandError(str(error)) from None
    with store.reading() as con:
        values = get_settings(con)
    for name in DEFAULTS:
        print(f"{name} = {values[name]:g}    # {DESCRIPTIONS[name]} (default {DEFAULTS[name]:g})")
    return 0


def cmd_backup(store: Store, args: argparse.Namespace) -> int:
    _require_schema(store)
    out = Path(args.out)
    if not out.parent.exists():
        raise CommandError(f"--out: there is no folder {out.parent}")
    if out.resolve() == store.path.resolve():
        raise CommandError("--out: give the backup a file of its own, not the store itself")
    counts = store.backup(out)
    print(
        f"wrote a backup of {store.path} to {out}: {counts['submissions']} submissions, "
        f"{counts['people']} people with roles, {counts['audit_log']} audit entries"
    )
    return 0


def cmd_users(store: Store, args: argparse.Namespace) -> int:
    _require_schema(store)
    if args.action == "add":
        try:
            person = access.add_person(store, _person(args), args.email, args.role, args.council)
        except ValueError as error:
            raise CommandError(str(error)) from None
        councils = f" for {';'.join(person.councils)}" if person.councils else ""
        print(f"{person.email} is now {person.role}{councils}")
        return 0
    if args.action == "remove":
        if access.remove_person(store, _person(args), args.email):
            print(f"{args.email.strip().lower()} no longer has a role")
        else:
            print(f"{args.email.strip().lower()} had no role: nothing changed")
        return 0
    with store.reading() as con:
        people = access.list_people(con)
    rows = [
        {"email": p["email"], "role": p["role"], "councils": ";".join(p["councils"])}
        for p in people
    ]
    write_rows(rows, ("email", "role", "councils"), args.format, (), sys.stdout)
    return 0


def cmd_audit(store: Store, args: argparse.Namespace) -> int:
    _require_schema(store)
    since = parse_moment(args.since, "--since") if args.since else None
    with store.reading() as con:
        rows = audit.entries(con, since)
    for row in rows:
        row["at"] = _stamp(row["at"])
    write_rows(rows, audit.COLUMNS, args.format, (), sys.stdout)
    return 0


def _require_schema(store: Store) -> None:
    if not store.path.exists():
        raise CommandError(
            f"there is no store at {store.path}: create it with `python -m sharedsvc_core init`"
        )
    if store.schema_version() < expected_schema_version():
        raise CommandError(
            f"the store {store.path} needs upgrading: run `python -m sharedsvc_core init`"
        )


# -- parser --------------------------------------------------------------------------


def build_parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--db",
        default=argparse.SUPPRESS,
        help="the store (default $SHAREDSVC_DB, else data/sharedsvc.duckdb)",
    )
    parser = argparse.ArgumentParser(
        prog="python -m sharedsvc_core",
        description="Load council returns and report savings against business-case baselines.",
        parents=[common],
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = commands.add_parser("init", parents=[common], help="create or upgrade the store")
    p.add_argument("--demo", action="store_true", help="also load the illustrative demo programme")
    p.set_defaults(run=cmd_init)

    p = commands.add_parser("load", parents=[common], help="validate and load one file")
    p.add_argument(
        "kind",
        help="one of: " + ", ".join(KINDS),
    )
    p.add_argument("file")
    p.add_argument("--council", help="submit for this council only (GSS code or name)")
    p.add_argument("--user", help="who is submitting (default: your login name)")
    p.add_argument("--received-at", help="back-date a historical import (ISO date-time, UTC)")
    p.set_defaults(run=cmd_load)

    p = commands.add_parser("submissions", parents=[common], help="list submissions, newest first")
    p.add_argument("--as-of", help="as the list stood at this moment")
    p.add_argument("--format", choices=("table", "csv", "json"), default="table")
    p.set_defaults(run=cmd_submissions)

    p = commands.add_parser("rollback", parents=[common], help="stop a submission counting")
    p.add_argument("submission_id", type=int)
    p.add_argument("--user", help="who is rolling back (default: your login name)")
    p.set_defaults(run=cmd_rollback)

    p = commands.add_parser(
        "certify", parents=[common], help="certify a returns submission (maker-checker)"
    )
    p.add_argument("submission_id", type=int)
    p.add_argument("--user", help="who is certifying (default: your login name)")
    p.set_defaults(run=cmd_certify)

    p = commands.add_parser(
        "return", parents=[common], help="send a returns submission back to its submitter"
    )
    p.add_argument("submission_id", type=int)
    p.add_argument("--reason", required=True, help="what the submitter should correct")
    p.add_argument("--user", help="who is returning it (default: your login name)")
    p.set_defaults(run=cmd_return)

    p = commands.add_parser("report", parents=[common], help="print figures")
    reports = p.add_subparsers(dest="what", required=True, metavar="REPORT")
    r = reports.add_parser("realisation", parents=[common], help="benefits realisation")
    r.add_argument("--by", choices=tuple(realisation.GROUPINGS), default="programme")
    r.add_argument("--to", help="last quarter to include, such as 2015/16Q2")
    r.add_argument("--as-of", help="figures as they stood at this moment (ISO date-time)")
    r.add_argument(
        "--certified-only",
        action="store_true",
        help="count only the returns of certified submissions",
    )
    r.add_argument("--format", choices=("table", "csv", "json"), default="table")
    r.set_defaults(run=cmd_report)
    r = reports.add_parser(
        "outstanding", parents=[common], help="returns expected and not yet received"
    )
    r.add_argument("--to", help="last quarter to include, such as 2015/16Q2")
    r.add_argument("--as-of", help="as the store stood at this moment (ISO date-time)")
    r.add_argument("--today", help="count days overdue to this date (default today, UTC)")
    r.add_argument("--format", choices=("table", "csv", "json"), default="table")
    r.set_defaults(run=cmd_report)
    r = reports.add_parser(
        "benefits", parents=[common], help="the benefits register: progress against target"
    )
    r.add_argument("--as-of", help="as the register stood at this moment (ISO date-time)")
    r.add_argument("--format", choices=("table", "csv", "json"), default="table")
    r.set_defaults(run=cmd_report)

    r = reports.add_parser(
        "options", parents=[common], help="the options appraisal: weighted scores and ranks"
    )
    r.add_argument("--service", help="one service's options only (its code)")
    r.add_argument("--as-of", help="as the appraisal stood at this moment (ISO date-time)")
    r.add_argument("--format", choices=("table", "csv", "json"), default="table")
    r.set_defaults(run=cmd_report)

    r = reports.add_parser(
        "exit", parents=[common], help="what a member leaving a partnership takes and owes"
    )
    r.add_argument("partnership", help="the partnership's code")
    r.add_argument("--council", required=True, help="the member leaving (GSS code or name)")
    r.add_argument("--at", required=True, help="it leaves at the end of this quarter: 2016/17Q2")
    r.add_argument(
        "--share", help="the share the agreement gives, if not the cost share (0.25 or 25%%)"
    )
    r.add_argument("--as-of", help="as the store stood at this moment (ISO date-time)")
    r.add_argument("--format", choices=("table", "csv", "json"), default="table")
    r.set_defaults(run=cmd_report)

    r = reports.add_parser(
        "changes",
        parents=[common],
        help="baselines and targets changed since first loaded (change control)",
    )
    r.add_argument("--as-of", help="as the store stood at this moment (ISO date-time)")
    r.add_argument("--format", choices=("table", "csv", "json"), default="table")
    r.set_defaults(run=cmd_report)

    r = reports.add_parser(
        "overlaps",
        parents=[common],
        help="baselines claimed by services of two partnerships in the same year",
    )
    r.add_argument("--as-of", help="as the store stood at this moment (ISO date-time)")
    r.add_argument("--format", choices=("table", "csv", "json"), default="table")
    r.set_defaults(run=cmd_report)
    r = reports.add_parser(
        "overclaims",
        parents=[common],
        help="claimed savings above a council's baseline for a service area",
    )
    r.add_argument("--as-of", help="as the store stood at this moment (ISO date-time)")
    r.add_argument("--format", choices=("table", "csv", "json"), default="table")
    r.set_defaults(run=cmd_report)
    r = reports.add_parser("survey", parents=[common], help="Taking Stock survey")
    r.add_argument("--wave", help="one wave, such as 2014/15")
    r.add_argument("--as-of", help="figures as they stood at this moment (ISO date-time)")
    r.add_argument("--format", choices=("table", "csv", "json"), default="table")
    r.set_defaults(run=cmd_report)

    p = commands.add_parser("export", parents=[common], help="write a board pack")
    exports = p.add_subparsers(dest="what", required=True, metavar="EXPORT")
    e = exports.add_parser(
        "board-pack", parents=[common], help="the programme's figures as Excel or PDF"
    )
    e.add_argument("--out", required=True, help="FILE.xlsx or FILE.pdf")
    e.add_argument("--to", help="last quarter to include, such as 2015/16Q2")
    e.add_argument("--as-of", help="figures as they stood at this moment (ISO date-time)")
    e.add_argument("--certified-only", action="store_true", help="count only certified returns")
    e.add_argument("--user", help="who is taking it (default: your login name)")
    e.set_defaults(run=cmd_export)

    p = commands.add_parser("import", parents=[common], help="propose a file from official data")
    imports = p.add_subparsers(dest="what", required=True, metavar="SOURCE")
    i = imports.add_parser(
        "outturn",
        parents=[common],
        help="propose a baselines file from MHCLG's Revenue Outturn (never loads it)",
    )
    i.add_argument("file", help="the Revenue Outturn Summary: the RS .xlsx or its flat CSV")
    i.add_argument(
        "--mapping",
        required=True,
        help="CSV or .xlsx: service_code, line, and optionally share and council",
    )
    i.add_argument("--year", help="the baseline_year to write (default: the outturn's own year)")
    i.add_argument("--out", help="write the proposal to this new file (default: print it)")
    i.add_argument("--user", help="who is acting (default: your login name)")
    i.set_defaults(run=cmd_import_outturn)

    p = commands.add_parser("settings", parents=[common], help="show or change a setting")
    p.add_argument("name", nargs="?")
    p.add_argument("value", nargs="?")
    p.add_argument("--user", help="who is changing it (default: your login name)")
    p.set_defaults(run=cmd_settings)

    p = commands.add_parser("users", parents=[common], help="who may sign in, and their roles")
    people = p.add_subparsers(dest="action", required=True, metavar="ACTION")
    u = people.add_parser(
        "add", parents=[common], help="give a person a role (replacing any they had)"
    )
    u.add_argument("email", help="the e-mail their sign-in gives (case does not matter)")
    u.add_argument("--role", required=True, choices=access.ROLES)
    u.add_argument(
        "--council",
        nargs="+",
        action="extend",
        default=[],
        metavar="CODE",
        help="for a submitter or certifier: the councils they act for (GSS code or name)",
    )
    u.add_argument("--user", help="who is making the change (default: your login name)")
    u.set_defaults(run=cmd_users)
    u = people.add_parser("remove", parents=[common], help="take away a person's role")
    u.add_argument("email")
    u.add_argument("--user", help="who is making the change (default: your login name)")
    u.set_defaults(run=cmd_users)
    u = people.add_parser("list", parents=[common], help="everyone with a role")
    u.add_argument("--format", choices=("table", "csv", "json"), default="table")
    u.set_defaults(run=cmd_users)

    p = commands.add_parser("backup", parents=[common], help="write a consistent copy of the store")
    p.add_argument("--out", required=True, help="the new file (it must not exist yet)")
    p.set_defaults(run=cmd_backup)

    p = commands.add_parser("audit", parents=[common], help="the audit log, oldest first")
    p.add_argument("--since", help="from this moment on (ISO date-time, UTC)")
    p.add_argument("--format", choices=("table", "csv", "json"), default="table")
    p.set_defaults(run=cmd_audit)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    store = Store.open(getattr(args, "db", None))
    try:
        return int(args.run(store, args))
    except Refused as error:
        print(f"refused: {error}", file=sys.stderr)
        return 2
    except (CommandError, StoreError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("interrupted: nothing was written", file=sys.stderr)
        return 2
    except BrokenPipeError:
        # the reader stopped early (as `| head` does): what it read was right; say nothing
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except Exception as error:  # a bug: say so in one line, keep the traceback for debugging
        if os.environ.get("SHAREDSVC_DEBUG"):
            raise
        print(
            f"error: unexpected {type(error).__name__}: {error} "
            "(set SHAREDSVC_DEBUG=1 to see where)",
            file=sys.stderr,
        )
        return 2
