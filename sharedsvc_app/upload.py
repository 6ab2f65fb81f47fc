"""The upload screen's parts: templates, the validation report, submitting, receipts and
the submission history with rollback. Every check and every write is the core's; file
contents are only ever shown as plain text in tables."""

from __future__ import annotations

import hashlib
import math
from typing import Any

import pandas as pd
import streamlit as st

from sharedsvc_core import access, certification, ingest, templates
from sharedsvc_core.access import Person, Refused
from sharedsvc_core.contract import KINDS
from sharedsvc_core.realisation import Filters

from . import data, fmt, ui


@st.cache_data(show_spinner=False)
def template_csv(kind: str) -> bytes:
    return templates.csv_template(KINDS[kind])


@st.cache_data(show_spinner=False)
def template_xlsx(kind: str) -> bytes:
    return templates.xlsx_template(KINDS[kind])


def server_ceiling_mb() -> int:
    """``server.maxUploadSize`` (.streamlit/config.toml): the server refuses a larger
    upload before reading it, whatever the setting says."""
    return int(st.get_option("server.maxUploadSize"))


def largest_file_mb() -> float:
    """The largest file the dashboard takes: the ``max_file_mb`` setting, which the core
    enforces on every load, within the server's ceiling. The uploader follows it, so
    the browser's own check and the page's words say the same."""
    settings = data.ask("settings", data.scope_key(None, None, Filters()))
    return min(float(settings["max_file_mb"]), server_ceiling_mb())


def limit_note(setting_mb: float) -> tuple[str, bool]:
    """What the Settings page says of the upload limit, and whether the setting is above
    the server's ceiling (so the dashboard takes less than the command line)."""
    ceiling = server_ceiling_mb()
    where = f"this server takes uploads of at most {ceiling} MB (server.maxUploadSize in "
    if setting_mb > ceiling:
        return (
            f"The largest file accepted is {setting_mb:g} MB, but {where}"
            f".streamlit/config.toml), so the dashboard accepts files up to {ceiling} MB. "
            "The command line accepts files up to the setting.",
            True,
        )
    return (
        f"The dashboard's upload box follows the largest file accepted; {where}"
        ".streamlit/config.toml), so a larger setting applies only to the command line.",
        False,
    )


def file_uploader(key: str) -> Any:
    """The upload box for a return or a register file, limited by the setting (the
    browser takes whole megabytes, so a limit under 1 MB is checked by the core alone)."""
    limit = largest_file_mb()
    return ui.file_uploader(
        f"CSV or Excel (.xlsx) file, up to {limit:g} MB",
        type=["csv", "xlsx"],
        key=key,
        max_upload_size=max(1, math.ceil(limit)),
    )


def check(
    person: Person, kind: str, content: bytes, name: str, council: str | None
) -> ingest.LoadResult | None:
    """The dry run: every check, nothing written. Kept for this session until the file,
    the kind, the council or the store changes. A file refused is recorded in the audit
    log once; a kind or council the person may not send shows the refusal (None)."""
    key = ("check", hashlib.sha256(content).hexdigest(), kind, council, data.version())
    cached = st.session_state.get("last_check")
    if cached and cached[0] == key:
        result: ingest.LoadResult = cached[1]
        return result
    try:
        result = ingest.load(
            data.store(), kind, content, name, by=person, council=council, dry_run=True
        )
    except Refused as refused:
        if st.session_state.get("last_refusal") != key:
            ingest.record_refused_check(data.store(), person, kind, name, refusal=refused)
            st.session_state["last_refusal"] = key
        refusal(refused)
        return None
    if result.status == "rejected":
        ingest.record_refused_check(data.store(), person, kind, name, result=result)
    st.session_state["last_check"] = (key, result)
    return result


def refusal(refused: Refused) -> None:
    """A refusal by role, in the words a person reads."""
    text = refused.message
    st.error(f"Refused: {text[0].upper()}{text[1:]}. Nothing has been written.")


def show_report(result: ingest.LoadResult) -> None:
    errors, warnings = result.error_count, len(result.warnings)
    counts = st.columns(4)
    counts[0].metric("Errors", errors)
    counts[1].metric("Warnings", warnings)
    counts[2].metric("Rows to load", result.rows)
    counts[3].metric("Blank rows skipped", len(result.blank_rows))
    shown, hidden = result.listed()
    if shown:
        ui.table(
            pd.DataFrame(
                [
                    {
                        "severity": m.severity.capitalize(),
                        "row": m.row,
                        "column": m.column,
                        "value": m.value,
                        "message": m.message + result.on_sheet(m),
                        "code": m.code,
                    }
                    for m in shown
                ]
            ),
            key="submit_messages",
            severity="Problem",
            row="Row",
            column="Column",
            value="Value in the file",
            message=st.column_config.TextColumn("What to do", width="large"),
            code=st.column_config.TextColumn(
                "Code", help="The kind of problem: the guide for finance officers lists each"
            ),
        )
    if hidden:
        more = result.not_listed(hidden)
        st.caption(f"{more[0].upper()}{more[1:]}.")
    if result.preview:
        st.markdown("Rows that will load, and what each one replaces:")
        preview = pd.DataFrame(result.preview)
        if "supersedes" in preview:
            preview["supersedes"] = preview["supersedes"].map(
                lambda s: "" if pd.isna(s) else f"submission {int(s)}"
            )
        st.dataframe(
            preview,
            hide_index=True,
            width="stretch",
            key="submit_preview",
            column_config=ui.column_config(
                preview,
                row="Row",
                supersedes="Replaces",
                change=st.column_config.TextColumn("Change", width="large"),
            ),
        )
        if result.rows > len(result.preview):
            st.caption(f"Showing the first {len(result.preview):,} of {result.rows:,} rows.")


def may_submit(result: ingest.LoadResult) -> bool:
    """Errors block the submission; warnings need a tick."""
    if result.errors:
        st.error(
            f"{result.error_count} errors: fix them in your file and upload it again. "
            "Nothing has been written."
        )
        return False
    if result.warnings:
        return bool(
            st.checkbox(
                f"I have checked these {len(result.warnings)} warnings and the figures are right",
                key=f"ack_{result.sha256}",
            )
        )
    st.success(f"The file passed every check: {result.rows} rows ready to submit.")
    return True


def submit(
    sender: Person, kind: str, content: bytes, name: str, council: str | None
) -> ingest.LoadResult | None:
    """Load the file with the same loader as the command line, in one transaction. A
    second press, or another session sending the same file, gets "already received"."""
    try:
        result = ingest.load(data.store(), kind, content, name, by=sender, council=council)
    except Refused as refused:
        refusal(refused)
        return None
    finally:
        data.clear()
        st.session_state.pop("last_check", None)
    return result


def show_receipt(result: ingest.LoadResult) -> None:
    if result.status == "loaded":
        st.success(f"Received as submission {result.submission_id}. Keep this receipt.")
    elif result.status == "duplicate":
        st.info(
            f"This file was already received as submission {result.submission_id}; "
            "nothing new was written."
        )
    else:
        st.error(f"The file was refused and nothing was written: {result.error_count} errors.")
        return
    received = result.received_at.strftime("%d/%m/%Y %H:%M:%S UTC") if result.received_at else ""
    st.dataframe(
        pd.DataFrame(
            [
                {"item": "Submission", "value": str(result.submission_id)},
                {"item": "File", "value": result.file_name},
                {"item": "SHA-256", "value": result.sha256},
                {
                    "item": "Rows",
                    "value": f"{result.rows} ({result.new_rows} new, "
                    f"{result.superseding} superseding)",
                },
                {"item": "Received", "value": received},
                {"item": "Sent by", "value": result.received_by},
            ]
        ),
        hide_index=True,
        width="stretch",
        key="submit_receipt",
        column_config={"item": "Receipt", "value": st.column_config.TextColumn("", width="large")},
    )


def history_panel(person: Person) -> None:
    scope = data.scope_key(None, None, Filters())
    with ui.friendly_errors():
        names = data.council_names()
        quarters = data.ask("quarters", scope)
    years = sorted({q.display[:7] for q in quarters})
    row = st.columns(3)
    codes = list(names)
    chosen_councils = row[0].multiselect(
        "Council", codes, key="history_council", format_func=lambda g: f"{names.get(g, g)} ({g})"
    )
    chosen_kinds = row[1].multiselect("Kind", list(KINDS), key="history_kind")
    year = row[2].selectbox(
        "Financial year covered", years, index=None, key="history_year", placeholder="Any year"
    )
    with ui.friendly_errors():
        table = data.ask("submissions", scope, tuple(chosen_kinds), tuple(chosen_councils), year)
    if table.empty:
        st.info("No submissions match.")
        return
    returned_to_you = table[
        (table["certification"] == "returned")
        & (table["received_by"].str.lower() == person.email.lower())
    ]
    for _, sent_back in returned_to_you.iterrows():
        st.warning(
            f"Your submission {sent_back['id']} ({sent_back['file_name']}) was returned by "
            f"{sent_back['certified_by']}: {sent_back['return_reason']} Its rows no longer "
            "count: correct the file and submit it again."
        )
    table = table.assign(certification=table["certification"].fillna(""))
    shown = table.assign(
        status=table["status"].map(fmt.status),
        certification=table["certification"].map(lambda c: fmt.status(c) if c else ""),
    )
    ui.table(
        shown[
            [
                "id",
                "kind",
                "file_name",
                "rows",
                "years",
                "received_at",
                "received_by",
                "council",
                "status",
                "certification",
                "certified_by",
                "rolled_back_by",
            ]
        ],
        key="history_table",
        id="Submission",
        kind="Kind",
        file_name="File",
        rows="Rows",
        years="Years covered",
        received_by="Sent by",
        council="Submitted for",
        status="Status",
        certification="Certification",
        certified_by="Certified or returned by",
        rolled_back_by="Rolled back by",
        received_at=st.column_config.DatetimeColumn("Received (UTC)", format="DD/MM/YYYY HH:mm"),
    )
    ids = list(table["id"])
    picked = st.selectbox(
        "See what a submission changed",
        ids,
        index=None,
        key="history_pick",
        placeholder="Choose a submission",
        format_func=lambda i: _describe(table, i),
    )
    if picked is None:
        return
    _details(person, int(picked), table[table["id"] == picked].iloc[0].to_dict())


def _describe(table: pd.DataFrame, submission: Any) -> str:
    row = table[table["id"] == submission].iloc[0]
    return f"{submission}: {row['kind']}, {row['file_name']} ({fmt.status(row['status'])})"


def changes_table(submission: int) -> None:
    """Each row of a submission beside the row it replaced, and the warnings accepted
    with it: what the submission changes."""
    changes = data.ask("submission_changes", data.scope_key(None, None, Filters()), submission)
    warnings = data.ask("submission_warnings", data.scope_key(None, None, Filters()), submission)
    if not changes.empty:
        changes = changes.assign(
            supersedes=changes["supersedes"].map(
                lambda s: "" if pd.isna(s) else f"submission {int(s)}"
            )
        )
        ui.table(
            changes,
            key=f"changes_{submission}",
            row="Row",
            supersedes="Replaced",
            change=st.column_config.TextColumn("Change", width="large"),
        )
    if not warnings.empty:
        st.caption("Warnings accepted when it was submitted:")
        ui.table(warnings, key=f"warnings_{submission}")


def _details(person: Person, submission: int, row: dict[str, Any]) -> None:
    st.markdown(
        f"**Submission {submission}** · status **{fmt.status(row['status'])}**"
        + (
            f" · certification **{fmt.status(row['certification'])}**"
            if row["certification"]
            else ""
        )
    )
    if row["certification"] == "returned":
        st.caption(f"Returned by {row['certified_by']}. Reason given: {row['return_reason']}")
    elif row["certification"] == "certified":
        st.caption(f"Certified by {row['certified_by']}: “{certification.DECLARATION}”")
    with ui.friendly_errors():
        changes_table(submission)
    if row["status"] == "rolled_back":
        st.caption(
            f"This submission was rolled back by {row['rolled_back_by']}: its rows no longer count."
        )
        return
    with ui.friendly_errors():
        councils = data.ask(
            "submission_councils", data.scope_key(None, None, Filters()), submission
        )
    try:
        access.require_rollback(person, submission, row["kind"], row["received_by"], councils)
    except Refused as refused:
        st.caption(f"Rollback: {refused.message}.")
        return
    confirm_key = "confirm_rollback"
    if st.session_state.get(confirm_key) != submission:
        if st.button(f"Roll back submission {submission}", key="rollback_start"):
            st.session_state[confirm_key] = submission
            st.rerun()
        return
    st.warning(
        f"Rolling back submission {submission} stops its rows counting, and the rows "
        "they had replaced count again. It is kept in the history."
    )
    yes, no = st.columns(2)
    if yes.button(
        f"Yes, roll back submission {submission}", type="primary", key="rollback_confirm"
    ):
        before = data.ask("headline", data.scope_key(None, None, Filters()))["figures"]
        with ui.friendly_errors():
            try:
                ingest.rollback(data.store(), submission, person)
            except Refused as refused:
                refusal(refused)
                st.session_state.pop(confirm_key, None)
                return
        data.clear()
        st.session_state.pop(confirm_key, None)
        after = data.ask("headline", data.scope_key(None, None, Filters()))["figures"]
        st.session_state["rollback_done"] = (submission, before, after)
        st.rerun()
    if no.button("Cancel", key="rollback_cancel"):
        st.session_state.pop(confirm_key, None)
        st.rerun()


def rollback_notice() -> None:
    done = st.session_state.get("rollback_done")
    if not done:
        return
    submission, before, after = done
    st.success(f"Submission {submission} was rolled back.")

    def line(figures: dict[str, Any] | None) -> str:
        if not figures:
            return "no figures to date"
        return (
            f"evidenced {fmt.pounds(figures['evidenced'])}, realisation "
            f"{fmt.percent(figures['realisation_pct'])}, {fmt.rag(figures['rag'])}"
        )

    st.dataframe(
        pd.DataFrame(
            [
                {"when": "Before", "programme": line(before)},
                {"when": "After", "programme": line(after)},
            ]
        ),
        hide_index=True,
        key="rollback_effect",
        column_config={"when": "", "programme": "Programme figures"},
    )
