"""The questions the screens ask, answered as small pandas DataFrames.

Every figure is computed here or in :mod:`realisation` (in DuckDB); a screen only
draws what it gets. Money comes back as floats rounded to the penny, percentages to one
decimal place, so tables and charts can show them as numbers.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime
from decimal import Decimal
from typing import Any

import pandas as pd

from . import access, audit, changes, realisation, survey, wording
from .contract import THEMES
from .periods import Quarter
from .realisation import Filters, Period, cells_query
from .settings import get_settings
from .store import FOREVER, Conn, sql

CHART_ITEMS = 20  # a chart shows at most this many bars; its table has every row
SMALL_GROUP = 10  # fewer responses than this: read the figures with caution
GERSHON_PCT_A_YEAR = 3.0  # the Gershon review's efficiency benchmark, % a year
RAG_ORDER = ("red", "no_data", "amber", "green")


@dataclass(frozen=True)
class Scope:
    """What a screen is looking at: to which quarter, as of when, and which cells."""

    to: Quarter | None = None
    as_of: datetime | None = None
    filters: Filters = field(default_factory=Filters)

    @property
    def moment(self) -> datetime:
        return self.as_of or FOREVER


def _floats(rows: list[dict[str, Any]]) -> pd.DataFrame:
    """The rows as a frame, with every column of Decimals (and blanks) as floats. A
    column's type is that of its values, so the first value given decides."""
    frame = pd.DataFrame(rows)
    for column in frame.columns:
        given = frame[column].dropna()
        if len(given) and isinstance(given.iloc[0], Decimal):
            frame[column] = frame[column].astype("float64")
    return frame


@dataclass(frozen=True)
class Names:
    partnerships: dict[str, str]
    services: dict[str, str]
    service_partnership: dict[str, str]
    service_stage: dict[str, str]
    councils: dict[str, str]

    def council(self, gss: str | None) -> str:
        """ "Name (GSS code)", or the mark for a missing value when there is none."""
        if wording.missing(gss) or not gss:
            return wording.MISSING
        return f"{self.councils.get(gss, gss)} ({gss})"


def names(con: Conn, as_of: datetime | None = None) -> Names:
    moment = as_of or FOREVER
    partnerships = dict(
        con.rows("SELECT partnership_code, name FROM <<partnerships_as_of>>", {"as_of": moment})
    )
    services = con.rows(
        "SELECT service_code, name, partnership_code, stage FROM <<services_as_of>>",
        {"as_of": moment},
    )
    councils = dict(con.rows("SELECT gss_code, name FROM councils"))
    return Names(
        partnerships,
        {s[0]: s[1] for s in services},
        {s[0]: s[2] for s in services},
        {s[0]: s[3] for s in services},
        councils,
    )


def period(con: Conn, scope: Scope) -> Period:
    return realisation.period(con, scope.moment, scope.to)


def quarters(con: Conn, as_of: datetime | None = None) -> list[Quarter]:
    """Every quarter from the first with a target or a return to the last with a target
    or a return, for choosing "to"."""
    span = realisation.period(con, as_of or FOREVER)
    last_target = con.one(
        "SELECT max(fy) * 4 + 3 FROM <<targets_as_of>>", {"as_of": as_of or FOREVER}
    )
    if span.start is None:
        return []
    ends = [q.index for q in (span.end,) if q is not None]
    if last_target is not None:
        ends.append(int(last_target))
    return [Quarter.from_index(i) for i in range(span.start.index, max(ends) + 1)]


def figures(con: Conn, by: str, scope: Scope) -> pd.DataFrame:
    """Every contract figure for each group, with readable names beside the keys."""
    _, rows = realisation.compute(con, by, scope.to, scope.as_of, filters=scope.filters)
    frame = _floats(rows)
    if frame.empty:
        return pd.DataFrame(columns=[*realisation.COLUMNS, *realisation.DERIVED, "name"])
    label = names(con, scope.as_of)
    if by == "partnership":
        frame["name"] = frame["key"].map(lambda k: label.partnerships.get(k, k))
    elif by == "service":
        frame["name"] = frame["key"].map(lambda k: label.services.get(k, k))
        frame["partnership_code"] = frame["key"].map(label.service_partnership)
        frame["stage"] = frame["key"].map(label.service_stage)
    elif by == "council":
        frame["name"] = frame["key"].map(lambda k: label.councils.get(k, k))
    elif by == "service_council":
        parts = frame["key"].str.split(":", n=1, expand=True)
        frame["service_code"], frame["council"] = parts[0], parts[1]
        frame["service"] = frame["service_code"].map(lambda k: label.services.get(k, k))
        frame["council_name"] = frame["council"].map(lambda k: label.councils.get(k, k))
        frame["partnership_code"] = frame["service_code"].map(label.service_partnership)
        frame["stage"] = frame["service_code"].map(label.service_stage)
        frame["name"] = frame["service"] + " at " + frame["council_name"]
    else:
        frame["name"] = "Whole programme"
    return frame


FOUND_ITEMS = 50  # a search box offers at most this many of what it finds


def matching(labels: dict[str, str], text: str, limit: int = FOUND_ITEMS) -> tuple[list[str], int]:
    """The codes whose label or code holds every word of ``text`` (in any case), in
    order of label, at most ``limit`` of them; and how many more match. No words: every
    code matches."""
    words = text.casefold().split()
    found = sorted(
        (
            code
            for code, label in labels.items()
            if all(w in f"{label} {code}".casefold() for w in words)
        ),
        key=lambda code: (labels[code].casefold(), code),
    )
    return found[:limit], max(0, len(found) - limit)


def for_chart(
    frame: pd.DataFrame,
    column: str,
    lowest: bool = True,
    absolute: bool = False,
    count: int = CHART_ITEMS,
) -> tuple[pd.DataFrame, str]:
    """The rows a chart should show, most telling first: the ``count`` with the lowest
    (or highest, or largest in size) ``column``. Also says, in words, what was left out
    when there are too many to read, for the caption beside the chart."""
    order = frame[column].abs() if absolute else frame[column]
    ascending = lowest and not absolute  # "largest in size" always counts from the top
    picked = frame.loc[order.sort_values(ascending=ascending, na_position="first").index[:count]]
    if len(frame) <= count:
        return picked, ""
    which = "largest" if absolute else "lowest" if lowest else "highest"
    note = (
        f"The chart shows the {count} of {len(frame):,} with the {which} "
        f"{column.replace('_', ' ')}; the table beneath it has them all."
    )
    return picked, note


def rag_counts(frame: pd.DataFrame) -> dict[str | None, int]:
    """How many groups are in each RAG state (None: no target)."""
    return {rag: int((frame["rag"] == rag).sum()) for rag in ("green", "amber", "red", "no_data")}


def headline(con: Conn, scope: Scope) -> dict[str, Any]:
    """The programme's (or the filtered selection's) figures, the period they cover, and
    the same figures counting certified returns only (CONTRACT.md section 7)."""
    span, rows = realisation.compute(con, "programme", scope.to, scope.as_of, filters=scope.filters)
    row = rows[0] if rows else None
    certified = row
    if row is not None and not scope.filters.certified_only:
        _, only = realisation.compute(
            con,
            "programme",
            scope.to,
            scope.as_of,
            filters=replace(scope.filters, certified_only=True),
        )
        certified = only[0] if only else None
    return {"period": span, "figures": row, "certified": certified}


def trajectory(con: Conn, scope: Scope) -> pd.DataFrame:
    span = period(con, scope)
    if span.end is None:
        return pd.DataFrame()
    frame = _floats(
        con.dicts(cells_query("trajectory", scope.filters.certified_only), _params(scope, span))
    )
    if frame.empty:
        return frame
    frame["quarter"] = frame["qidx"].map(lambda i: Quarter.from_index(int(i)).display)
    for column in frame.columns:
        if frame[column].dtype == "float64":
            frame[column] = frame[column].round(2)
    return frame


def _params(scope: Scope, span: Period) -> dict[str, Any]:
    assert span.end is not None
    return {"as_of": scope.moment, "to_idx": span.end.index, **scope.filters.params()}


def baseline_vs_actual(con: Conn, scope: Scope) -> pd.DataFrame:
    span = period(con, scope)
    if span.end is None:
        return pd.DataFrame()
    frame = _floats(
        con.dicts(
            cells_query("baseline_actual", scope.filters.certified_only), _params(scope, span)
        )
    )
    if frame.empty:
        return frame
    label = names(con, scope.as_of)
    frame["service"] = frame["service_code"].map(lambda k: label.services.get(k, k))
    frame["council_name"] = frame["council"].map(lambda k: label.councils.get(k, k))
    for column in ("baseline", "actual", "evidenced"):
        frame[column] = frame[column].round(2)
    return frame


def whole_service_shares(con: Conn, scope: Scope) -> pd.DataFrame:
    span = period(con, scope)
    if span.end is None:
        return pd.DataFrame()
    params = _params(scope, span)
    del params["councils"], params["stages"]
    frame = _floats(
        con.dicts(cells_query("whole_service_shares", scope.filters.certified_only), params)
    )
    if frame.empty:
        return frame
    label = names(con, scope.as_of)
    frame["quarter"] = frame["qidx"].map(lambda i: Quarter.from_index(int(i)).display)
    frame["lead"] = frame["lead_council"].map(label.council)
    frame["council_name"] = frame["council"].map(label.council)
    frame["share_actual"] = frame["share_actual"].round(2)
    return frame


def submissions_behind(con: Conn, scope: Scope) -> pd.DataFrame:
    """The submissions whose rows make up the figures in scope (drill-down's last step)."""
    span = period(con, scope)
    if span.end is None:
        return pd.DataFrame()
    frame = pd.DataFrame(
        con.dicts(
            cells_query("cell_submissions", scope.filters.certified_only), _params(scope, span)
        )
    )
    if not frame.empty:
        label = names(con, scope.as_of)
        frame["council"] = frame["council"].map(label.council)
    return frame


# the columns of figures(con, "service_council", ...)
_PAIR_COLUMNS = (
    *realisation.COLUMNS,
    *realisation.DERIVED,
    "service_code",
    "council",
    "service",
    "council_name",
    "partnership_code",
    "stage",
    "name",
)


def off_track(con: Conn, scope: Scope, count: int = 5) -> pd.DataFrame:
    """The service and council pairs furthest below target to date, with their latest
    commentary.

    Only the pairs that can be among them are worked out in full: ``sql/off_track.sql``
    picks them from the exact sums, so the figures and the order are those of every
    pair's, at a small part of the cost."""
    span = period(con, scope)
    if span.end is None:
        return figures(con, "service_council", scope)
    picked = con.rows(
        cells_query("off_track", scope.filters.certified_only),
        {**_params(scope, span), "count": count},
    )
    if not picked:
        return pd.DataFrame(columns=[*_PAIR_COLUMNS, "commentary", "commentary_quarter"])
    # the cells of these services at these councils: every picked pair and a few more,
    # each worked out exactly as on its own (a pair's figures are its own cells')
    narrowed = replace(
        scope.filters,
        services=tuple(sorted({s for s, _ in picked})),
        councils=tuple(sorted({c for _, c in picked})),
    )
    frame = figures(con, "service_council", replace(scope, filters=narrowed))
    behind = frame[(frame["target"] > 0) & (frame["shortfall"] > 0)]
    frame = behind.sort_values(["shortfall", "key"], ascending=[False, True])
    return _with_commentary(con, scope, frame.head(count))


def exceptions(con: Conn, scope: Scope) -> pd.DataFrame:
    """Every service and council pair that is Red or has no data, furthest behind first,
    with its latest commentary."""
    frame = figures(con, "service_council", scope)
    if frame.empty:
        return frame
    frame = frame[frame["rag"].isin(["red", "no_data"])]
    frame = frame.sort_values(["shortfall", "key"], ascending=[False, True])
    return _with_commentary(con, scope, frame)


def _with_commentary(con: Conn, scope: Scope, frame: pd.DataFrame) -> pd.DataFrame:
    span = period(con, scope)
    frame = frame.copy()
    frame["commentary"] = ""
    frame["commentary_quarter"] = ""
    if span.end is None or frame.empty:
        return frame
    notes = {
        (r["service_code"], r["council"]): (r["commentary"], r["qidx"])
        for r in con.dicts(
            cells_query("latest_commentary", scope.filters.certified_only),
            {"as_of": scope.moment, "to_idx": span.end.index},
        )
    }
    found = [
        notes.get((s, c)) for s, c in zip(frame["service_code"], frame["council"], strict=True)
    ]
    frame["commentary"] = [n[0] if n else "" for n in found]
    frame["commentary_quarter"] = [
        Quarter.from_index(int(n[1])).display if n else "" for n in found
    ]
    return frame


def register(con: Conn, as_of: datetime | None = None) -> dict[str, pd.DataFrame]:
    """Partnerships, members (with cost shares) and services, as of a moment."""
    rows = pd.DataFrame(con.dicts(sql("register"), {"as_of": as_of or FOREVER}))
    label = names(con, as_of)
    if rows.empty:
        empty = pd.DataFrame()
        return {"partnerships": empty, "members": empty, "services": empty, "pipeline": empty}
    partnerships = rows[rows["what"] == "partnership"][
        [
            "partnership_code",
            "name",
            "delivery_model",
            "lead_council",
            "status",
            "start_date",
            "description",
        ]
    ].copy()
    partnerships["lead_council"] = partnerships["lead_council"].map(label.council)
    members = rows[rows["what"] == "member"][
        ["partnership_code", "council", "cost_share", "from_year", "to_year"]
    ].copy()
    members["council_name"] = members["council"].map(lambda k: label.councils.get(k, k))
    members["cost_share"] = members["cost_share"].astype("float64")
    members["partnership"] = members["partnership_code"].map(label.partnerships)
    counts = members.groupby("partnership_code").size()
    partnerships["members"] = partnerships["partnership_code"].map(counts).fillna(0).astype(int)
    services = rows[rows["what"] == "service"][
        [
            "service_code",
            "name",
            "partnership_code",
            "service_area",
            "stage",
            "lead_council",
            "go_live",
        ]
    ].copy()
    services["lead_council"] = services["lead_council"].map(label.council)
    services["partnership"] = services["partnership_code"].map(label.partnerships)
    stages = tuple(wording.STAGE_WORD)
    pipeline = pd.DataFrame(
        {
            "stage": [wording.stage(s) for s in stages],
            "services": [int((services["stage"] == s).sum()) for s in stages],
        }
    )
    return {
        "partnerships": partnerships.sort_values("partnership_code").reset_index(drop=True),
        "members": members.sort_values(["partnership_code", "council"]).reset_index(drop=True),
        "services": services.sort_values("service_code").reset_index(drop=True),
        "pipeline": pipeline,
    }


def submissions(
    con: Conn,
    as_of: datetime | None = None,
    kinds: tuple[str, ...] = (),
    councils: tuple[str, ...] = (),
    year: str | None = None,
) -> pd.DataFrame:
    """Submissions, newest first, with their status and the years and councils they
    cover, narrowed by kind, council and financial year."""
    rows = con.dicts(
        sql("submission_history"),
        {"as_of": as_of or FOREVER, "kinds": list(kinds), "councils": list(councils), "year": year},
    )
    frame = pd.DataFrame(rows)
    if not frame.empty:
        label = names(con, as_of)
        frame["council"] = frame["council"].map(label.council)
        frame["councils"] = frame["councils"].map(
            lambda codes: ", ".join(label.council(c) for c in codes)
        )
    return frame


def submission_changes(con: Conn, submission_id: int) -> pd.DataFrame:
    """Each row of a submission beside the row it superseded when it arrived."""
    return pd.DataFrame(changes.submission_changes(con, submission_id))


def submission_warnings(con: Conn, submission_id: int) -> pd.DataFrame:
    return pd.DataFrame(
        con.dicts(
            "SELECT row_no AS row, column_name AS column, message FROM submission_messages "
            "WHERE submission_id = ? ORDER BY row_no",
            [submission_id],
        )
    )


def councils_for_submitting(con: Conn) -> pd.DataFrame:
    """The councils that belong to a partnership, for choosing whom one submits for."""
    return pd.DataFrame(
        con.dicts(
            "SELECT DISTINCT m.council AS gss_code, c.name FROM current_members m "
            "JOIN councils c ON c.gss_code = m.council ORDER BY c.name"
        )
    )


def rag_rule(con: Conn) -> str:
    """The RAG thresholds in force, in words."""
    settings = get_settings(con)
    return (
        f"Green at {settings['rag_green_pct']:g}% of target or more, Amber at "
        f"{settings['rag_amber_pct']:g}% or more, otherwise Red; No data when there is a "
        "target but no return."
    )


def is_illustrative(con: Conn) -> bool:
    """True when the store holds the illustrative demo programme."""
    return bool(con.one("SELECT count(*) FROM settings WHERE name = 'illustrative'"))


def survey_frame(
    con: Conn,
    wave: str | None = None,
    as_of: datetime | None = None,
    groups: tuple[str, ...] = (),
    services: tuple[str, ...] = (),
) -> pd.DataFrame:
    """The figures of ``report survey``, with each answer's share, narrowed by filters."""
    return _floats(survey.compute(con, wave, as_of, groups, services))


def survey_grid(answers: pd.DataFrame, value: str) -> pd.DataFrame:
    """One survey figure laid out as groups (rows) against statements (columns)."""
    return answers.pivot_table(
        index="group_label", columns="statement", values=value, aggfunc="first"
    )


def survey_groups(
    con: Conn,
    wave: str,
    as_of: datetime | None = None,
    groups: tuple[str, ...] = (),
    services: tuple[str, ...] = (),
) -> pd.DataFrame:
    """Net agreement of each group across every statement, with the change since the
    previous wave, and whether the group is too small to read much into."""
    frame = _floats(survey.by_group(con, wave, as_of, groups, services))
    if not frame.empty:
        frame["small"] = frame["respondents"] < SMALL_GROUP
    return frame


def survey_comments(
    con: Conn,
    wave: str | None = None,
    as_of: datetime | None = None,
    groups: tuple[str, ...] = (),
    themes: tuple[str, ...] = (),
    services: tuple[str, ...] = (),
    search: str | None = None,
) -> pd.DataFrame:
    return pd.DataFrame(
        survey.comments(con, wave, as_of, groups, themes, services, search),
        columns=["wave", "group", "theme", "service_code", "comment"],
    )


def comment_counts(con: Conn, as_of: datetime | None = None) -> pd.DataFrame:
    """Comments per theme (rows) and wave (columns)."""
    frame = pd.DataFrame(survey.comment_counts(con, as_of))
    if frame.empty:
        return frame
    table = frame.pivot_table(index="theme", columns="wave", values="comments", fill_value=0)
    return table.reindex([t for t in THEMES if t in table.index]).astype(int).reset_index()


def survey_beside_benefits(
    con: Conn, wave: str, to: Quarter | None = None, as_of: datetime | None = None
) -> pd.DataFrame:
    """For each service with survey answers about it: its realisation RAG to date beside
    each group's net agreement in ``wave``."""
    answers = pd.DataFrame(survey.by_service(con, wave, as_of))
    if answers.empty:
        return answers
    _, rows = realisation.compute(con, "service", to, as_of)
    rag = {r["key"]: r for r in rows}
    label = names(con, as_of)
    wide = answers.pivot_table(
        index="service_code", columns="group", values="net_agreement", aggfunc="first"
    )
    wide = wide.astype("float64").reset_index()
    wide.insert(1, "service", wide["service_code"].map(lambda c: label.services.get(c, c)))
    wide.insert(2, "rag", wide["service_code"].map(lambda c: rag.get(c, {}).get("rag")))
    wide.insert(
        3,
        "realisation_pct",
        wide["service_code"].map(
            lambda c: (
                float(rag[c]["realisation_pct"])
                if c in rag and rag[c]["realisation_pct"] is not None
                else None
            )
        ),
    )
    return wide


def survey_waves(con: Conn, as_of: datetime | None = None) -> list[str]:
    return survey.waves(con, as_of)


# -- people, roles and the audit log ---------------------------------------------------


def people(con: Conn) -> pd.DataFrame:
    """Everyone with a role, by e-mail, with their councils named."""
    rows = access.list_people(con)
    frame = pd.DataFrame(rows, columns=["email", "role", "councils", "granted_at", "granted_by"])
    if not frame.empty:
        label = names(con, None)
        frame["council_codes"] = frame["councils"].map(list)
        frame["councils"] = frame["councils"].map(
            lambda codes: ", ".join(label.council(c) for c in codes)
        )
        frame["role"] = frame["role"].map(access.ROLE_WORDS.__getitem__)
    return frame


def audit_log(
    con: Conn,
    since: datetime | None = None,
    users: tuple[str, ...] = (),
    actions: tuple[str, ...] = (),
) -> pd.DataFrame:
    """The audit log from ``since`` on, newest first for the screen."""
    frame = pd.DataFrame(audit.entries(con, since, users, actions), columns=list(audit.COLUMNS))
    return frame.iloc[::-1].reset_index(drop=True)


def audit_users(con: Conn) -> list[str]:
    return audit.users(con)
