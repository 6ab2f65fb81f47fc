"""Taking Stock survey figures (CONTRACT.md section 5, ``report survey``)."""

from __future__ import annotations

from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from .contract import COUNTS
from .store import FOREVER, Conn, Store, sql

COLUMNS = (
    "wave",
    "group",
    "statement",
    "responses",
    "pct_agree",
    "pct_neutral",
    "pct_disagree",
    "net_agreement",
    "mean_score",
)
_TENTH = Decimal("0.1")
_HUNDREDTH = Decimal("0.01")


def figures(
    strongly_disagree: int, disagree: int, neutral: int, agree: int, strongly_agree: int
) -> dict[str, Any]:
    """The survey figures for one set of counts. Percentages are rounded half away from
    zero to one decimal place; net agreement is the difference of the two rounded
    percentages shown beside it, so a row always adds up as printed."""
    counts = (strongly_disagree, disagree, neutral, agree, strongly_agree)
    responses = sum(counts)
    if responses == 0:
        return {
            "responses": 0,
            **{f"share_{name}": None for name in COUNTS},
            "pct_agree": None,
            "pct_neutral": None,
            "pct_disagree": None,
            "net_agreement": None,
            "mean_score": None,
        }

    def pct(n: int) -> Decimal:
        return (Decimal(100 * n) / responses).quantize(_TENTH, rounding=ROUND_HALF_UP)

    agree_pct = pct(agree + strongly_agree)
    disagree_pct = pct(strongly_disagree + disagree)
    score = sum(weight * n for weight, n in zip(range(1, 6), counts, strict=True))
    return {
        "responses": responses,
        **{f"share_{name}": pct(n) for name, n in zip(COUNTS, counts, strict=True)},
        "pct_agree": agree_pct,
        "pct_neutral": pct(neutral),
        "pct_disagree": disagree_pct,
        "net_agreement": agree_pct - disagree_pct,
        "mean_score": (Decimal(score) / responses).quantize(_HUNDREDTH, rounding=ROUND_HALF_UP),
    }


def _filters(
    wave: str | None, groups: tuple[str, ...], services: tuple[str, ...], as_of: datetime | None
) -> dict[str, Any]:
    return {
        "as_of": as_of or FOREVER,
        "wave": wave,
        "groups": list(groups),
        "services": list(services),
    }


def compute(
    con: Conn,
    wave: str | None = None,
    as_of: datetime | None = None,
    groups: tuple[str, ...] = (),
    services: tuple[str, ...] = (),
) -> list[dict[str, Any]]:
    """One row per wave, group and statement, with the counts and every figure of
    ``report survey``. ``services`` narrows to some services ('' is programme-wide)."""
    rows = con.dicts(sql("survey"), _filters(wave, groups, services, as_of))
    return [{**r, **figures(*(int(r[c]) for c in COUNTS))} for r in rows]


def report(
    store: Store, wave: str | None = None, as_of: datetime | None = None
) -> list[dict[str, Any]]:
    with store.reading() as con:
        return compute(con, wave, as_of)


def waves(con: Conn, as_of: datetime | None = None) -> list[str]:
    return [
        r[0]
        for r in con.rows(
            "SELECT DISTINCT wave FROM <<survey_as_of>> ORDER BY wave",
            {"as_of": as_of or FOREVER},
        )
    ]


def by_group(
    con: Conn,
    wave: str,
    as_of: datetime | None = None,
    groups: tuple[str, ...] = (),
    services: tuple[str, ...] = (),
) -> list[dict[str, Any]]:
    """Each group's answers to every statement taken together, in ``wave`` and in the
    wave before it, with the change in net agreement. ``respondents`` is the most people
    in the group who answered any one statement."""
    all_waves = waves(con, as_of)
    earlier = [w for w in all_waves if w < wave]
    previous = earlier[-1] if earlier else None
    totals: dict[tuple[str, str], list[int]] = {}
    respondents: dict[tuple[str, str], int] = {}
    for w in filter(None, (wave, previous)):
        for r in con.dicts(sql("survey"), _filters(w, groups, services, as_of)):
            counts = totals.setdefault((w, r["group"]), [0] * 5)
            for i, column in enumerate(COUNTS):
                counts[i] += int(r[column])
            answered = sum(int(r[column]) for column in COUNTS)
            key = (w, r["group"])
            respondents[key] = max(respondents.get(key, 0), answered)
    out = []
    for (w, group), counts in sorted(totals.items()):
        if w != wave:
            continue
        now = figures(*counts)
        earlier_counts = totals.get((previous, group)) if previous else None
        before = figures(*earlier_counts) if earlier_counts else None
        change = None
        if before and before["net_agreement"] is not None and now["net_agreement"] is not None:
            change = now["net_agreement"] - before["net_agreement"]
        out.append(
            {
                "group": group,
                "wave": wave,
                **now,
                "respondents": respondents[(w, group)],
                "previous_wave": previous,
                "previous_net_agreement": before["net_agreement"] if before else None,
                "change": change,
            }
        )
    return out


def comments(
    con: Conn,
    wave: str | None = None,
    as_of: datetime | None = None,
    groups: tuple[str, ...] = (),
    themes: tuple[str, ...] = (),
    services: tuple[str, ...] = (),
    search: str | None = None,
) -> list[dict[str, Any]]:
    params = {
        **_filters(wave, groups, services, as_of),
        "themes": list(themes),
        "search": search.strip() if search and search.strip() else None,
    }
    return con.dicts(sql("comments"), params)


def comment_counts(con: Conn, as_of: datetime | None = None) -> list[dict[str, Any]]:
    """How many comments each theme has in each wave."""
    return con.dicts(
        "SELECT wave, theme, count(*) AS comments FROM <<comments_as_of>> "
        "GROUP BY wave, theme ORDER BY wave, theme",
        {"as_of": as_of or FOREVER},
    )


def by_service(con: Conn, wave: str, as_of: datetime | None = None) -> list[dict[str, Any]]:
    """For each named service, each group's figures in ``wave``."""
    rows = con.dicts(sql("survey_by_service"), {"as_of": as_of or FOREVER, "wave": wave})
    return [{**r, **figures(*(int(r[c]) for c in COUNTS))} for r in rows]
