"""Cached access to the store for the screens.

Results are cached with ``st.cache_data`` keyed on the store file's version (its size and
modification time), so a load from the command line or the upload page shows on the
next rerun. The store is opened only for each query, never held open, so the command
line can load while the dashboard runs.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

import pandas as pd
import streamlit as st

from sharedsvc_core import access, certification, explore, returns_calendar
from sharedsvc_core.overlaps import frames as double_counting
from sharedsvc_core.periods import Quarter, parse_quarter_label
from sharedsvc_core.realisation import Filters
from sharedsvc_core.settings import get_settings
from sharedsvc_core.store import Conn, Store, default_path


def store_path() -> str:
    return str(Path(os.environ.get("SHAREDSVC_DB") or default_path()).resolve())


@st.cache_resource
def _store(path: str) -> Store:
    return Store.open(path)


def store() -> Store:
    return _store(store_path())


def version() -> tuple[int, ...]:
    return store().version()


def clear() -> None:
    """Forget every cached figure (after a load or a rollback in this process)."""
    st.cache_data.clear()


# Scope travels through the cache as plain values.
ScopeKey = tuple[str | None, str | None, tuple[tuple[str, ...], ...], bool]


def scope_key(to: Quarter | None, as_of: datetime | None, filters: Filters) -> ScopeKey:
    return (
        to.label if to else None,
        as_of.isoformat() if as_of else None,
        (filters.partnerships, filters.services, filters.councils, filters.stages),
        filters.certified_only,
    )


def _scope(key: ScopeKey) -> explore.Scope:
    to, as_of, (p, s, c, g), certified_only = key
    return explore.Scope(
        parse_quarter_label(to) if to else None,
        datetime.fromisoformat(as_of) if as_of else None,
        Filters(p, s, c, g, certified_only),
    )


_QUESTIONS: dict[str, Callable[[Conn, explore.Scope, tuple[Any, ...]], Any]] = {
    "figures": lambda con, scope, extra: explore.figures(con, extra[0], scope),
    "headline": lambda con, scope, extra: explore.headline(con, scope),
    "trajectory": lambda con, scope, extra: explore.trajectory(con, scope),
    "baseline_vs_actual": lambda con, scope, extra: explore.baseline_vs_actual(con, scope),
    "whole_service_shares": lambda con, scope, extra: explore.whole_service_shares(con, scope),
    "submissions_behind": lambda con, scope, extra: explore.submissions_behind(con, scope),
    "off_track": lambda con, scope, extra: explore.off_track(con, scope),
    "quarters": lambda con, scope, extra: explore.quarters(con, scope.as_of),
    "register": lambda con, scope, extra: explore.register(con, scope.as_of),
    "double_counting": lambda con, scope, extra: double_counting(con, scope.as_of),
    "names": lambda con, scope, extra: explore.names(con, scope.as_of),
    "illustrative": lambda con, scope, extra: explore.is_illustrative(con),
    "rag_rule": lambda con, scope, extra: explore.rag_rule(con),
    "submissions": lambda con, scope, extra: explore.submissions(con, scope.as_of, *extra),
    "submission_changes": lambda con, scope, extra: explore.submission_changes(con, extra[0]),
    "submission_warnings": lambda con, scope, extra: explore.submission_warnings(con, extra[0]),
    "councils_for_submitting": lambda con, scope, extra: explore.councils_for_submitting(con),
    "survey_waves": lambda con, scope, extra: explore.survey_waves(con, scope.as_of),
    "survey": lambda con, scope, extra: explore.survey_frame(
        con, extra[0], scope.as_of, extra[1], extra[2]
    ),
    "survey_groups": lambda con, scope, extra: explore.survey_groups(
        con, extra[0], scope.as_of, extra[1], extra[2]
    ),
    "survey_comments": lambda con, scope, extra: explore.survey_comments(
        con, extra[0], scope.as_of, *extra[1:]
    ),
    "settings": lambda con, scope, extra: get_settings(con),
    "person": lambda con, scope, extra: access.person_for(con, extra[0]),
    "people": lambda con, scope, extra: explore.people(con),
    "audit_log": lambda con, scope, extra: explore.audit_log(con, *extra),
    "audit_users": lambda con, scope, extra: explore.audit_users(con),
    "certification_queue": lambda con, scope, extra: certification.queue(con, extra[0]),
    "outstanding": lambda con, scope, extra: returns_calendar.outstanding(
        con, scope.to, scope.as_of, extra[0], scope.filters
    ),
    "submission_councils": lambda con, scope, extra: access.submission_councils(con, extra[0]),
    "comment_counts": lambda con, scope, extra: explore.comment_counts(con, scope.as_of),
    "survey_beside_benefits": lambda con, scope, extra: explore.survey_beside_benefits(
        con, extra[0], scope.to, scope.as_of
    ),
}


@st.cache_data(show_spinner=False, max_entries=512)
def _call(
    name: str, path: str, store_version: tuple[int, ...], key: ScopeKey, extra: tuple[Any, ...]
) -> Any:
    with Store.open(path).reading() as con:
        return _QUESTIONS[name](con, _scope(key), extra)


def ask(name: str, key: ScopeKey, *extra: Any) -> Any:
    """Run the named question for this scope, from the cache when the store is unchanged."""
    return _call(name, store_path(), version(), key, tuple(extra))


def ask_now(name: str, key: ScopeKey, *extra: Any) -> Any:
    """Run the named question straight from the store, not from the cache: for the
    audit log, to which a sign-in or an export adds without changing the version."""
    with store().reading() as con:
        return _QUESTIONS[name](con, _scope(key), tuple(extra))


def council_names() -> dict[str, str]:
    """Every council's name by GSS code, for choosing councils."""
    councils = ask("councils_for_submitting", scope_key(None, None, Filters()))
    return dict(zip(councils["gss_code"], councils["name"], strict=True)) if len(councils) else {}


def figures(key: ScopeKey, by: str) -> pd.DataFrame:
    return ask("figures", key, by)
