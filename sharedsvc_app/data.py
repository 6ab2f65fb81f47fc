"""Cached access to the store for the screens.

Results are cached with ``st.cache_data`` keyed on the store file's version (its size and
modification time), so a load from the command line or the upload page shows on the
next rerun. The store is opened only for each query, never held open, so the command
line can load while the dashboard runs.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pandas as pd
import streamlit as st

from sharedsvc_core import (
    access,
    benefits,
    certification,
    explore,
    options,
    partner_exit,
    returns_calendar,
)
from sharedsvc_core.overlaps import frames as double_counting
from sharedsvc_core.periods import Quarter, parse_quarter_label
from sharedsvc_core.realisation import Filters
from sharedsvc_core.settings import get_settings
from sharedsvc_core.store import Conn, Store, default_path


def store_path() -> str:
    return str(Path(os.environ.get("SHAREDSVC_DB") or default_path()).resolve())


@st.cache_resource
def _store(path: str) -> Store:
    if _warming_wanted():
        threading.Thread(target=_keep_warm, args=(path,), name=WARMER, daemon=True).start()
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
    "benefits": lambda con, scope, extra: benefits.register(con, scope.as_of, scope.to),
    "benefit_values": lambda con, scope, extra: benefits.values(con, scope.as_of, scope.to),
    "changes": lambda con, scope, extra: benefits.changes(con, scope.as_of),
    "options_appraisal": lambda con, scope, extra: options.appraisals(con, scope.as_of),
    "exit_statement": lambda con, scope, extra: partner_exit.statement(
        con, extra[0], extra[1], parse_quarter_label(extra[2]), scope.as_of
    ),
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


# -- the first view after a load -------------------------------------------------------

WARMER = "sharedsvc-warm-caches"
WARM_EVERY_S = 1.0  # how often the server looks for a new load


def first_view(today: date) -> list[tuple[str, ScopeKey, tuple[Any, ...]]]:
    """The questions the Overview asks when it is opened as it starts: to the latest
    quarter with a return, as the figures stand now, counting every return, its first
    tab (by partnership) chosen. ``today`` is the day returns overdue are counted to."""
    every = scope_key(None, None, Filters())
    return [
        ("illustrative", every, ()),
        ("quarters", every, ()),
        ("headline", every, ()),
        ("outstanding", every, (today,)),
        ("trajectory", every, ()),
        ("off_track", every, ()),
        ("rag_rule", every, ()),
        ("figures", every, ("partnership",)),
        ("settings", every, ()),
    ]


def warm(path: str, store_version: tuple[int, ...], today: date | None = None) -> None:
    """Work out the Overview's first view into the cache, as a visitor's run would, so
    the first person to open it after a load does not wait for it."""
    for name, key, extra in first_view(today or datetime.now(UTC).date()):
        answer = _call(name, path, store_version, key, extra)
        if name == "headline" and answer["figures"] is None:
            return  # the Overview says there is nothing to show, and asks no more


def _warming_wanted() -> bool:
    """In a dashboard server (not a test harness's stand-in for one), unless
    SHAREDSVC_WARM_CACHES is 0."""
    from streamlit.runtime import Runtime

    if os.environ.get("SHAREDSVC_WARM_CACHES", "1").strip() == "0":
        return False
    return Runtime.exists() and type(Runtime.instance()) is Runtime


class _NotFromTheWarmer(logging.Filter):
    """Streamlit warns of a cached call made outside a page's run; the warmer's are
    meant to be."""

    def filter(self, record: logging.LogRecord) -> bool:
        return record.threadName != WARMER


def _keep_warm(path: str) -> None:
    """Each time the store's version changes (a load, a rollback, a certification,
    from this server or the command line), warm the cache for its new version: once it
    is the same on two looks a second apart and the file is as the product's last write
    left it (a one-number version), so never for the passing state of a file while a
    write is under way."""
    for name in ("streamlit.runtime.scriptrunner_utils.script_run_context",):
        logging.getLogger(name).addFilter(_NotFromTheWarmer())
    seen: tuple[int, ...] | None = None
    last: tuple[int, ...] | None = None
    while True:
        time.sleep(WARM_EVERY_S)
        if not Path(path).exists():
            continue
        try:
            now = Store.open(path).version()
            if now == last and now != seen and len(now) == 1:
                seen = now
                warm(path, now)
            last = now
        except Exception:  # noqa: BLE001 a page asking the same question shows the problem
            logging.getLogger(__name__).debug("warming the cache failed", exc_info=True)
