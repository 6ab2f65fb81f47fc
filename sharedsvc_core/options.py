"""The options appraisal at the outline business case (docs/figures.md, "The options
appraisal").

Each service's options are scored from 0 to 10 against its weighted criteria:

- **weighted score** = Σ(weight × score) ÷ Σ weight, over the service's criteria. It is
  worked out exactly and shown to 2 decimal places, rounded half away from zero.
- An option is given a weighted score only once it is scored on every criterion that
  weighs more than 0. A missing score is not 0 (a blank is never 0), and weighting an
  option over only the criteria it has would compare options on different grounds; the
  criteria it still lacks are named instead. A service whose criteria all weigh 0 (or
  that has none) gives no weighted scores.
- **rank** within a service, highest weighted score first, on the exact scores: options
  that tie share a rank, and the next rank counts the options above it (1, 1, 3). An
  option with no weighted score has no rank.
- The Green Book's short list keeps business as usual (``do_nothing``) and a
  ``do_minimum`` option to compare against: a service with a short list that lacks
  either is warned.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from fractions import Fraction
from typing import Any

from . import wording
from .contract import BASELINE_OPTIONS
from .store import FOREVER, Conn, Store, sql

COLUMNS = (
    "service_code",
    "option_code",
    "name",
    "weighted_score",
    "rank",
    "shortlisted",
    "chosen",
)
# the stages at which a service's options appraisal goes in the board pack
PACK_STAGES = ("obc", "fbc")
SWOT = ("strengths", "weaknesses", "opportunities", "threats")
_HALF = Fraction(1, 2)


def weighted_score(
    weights: dict[str, Decimal], scores: dict[str, Decimal]
) -> tuple[Fraction | None, list[str]]:
    """Σ(weight × score) ÷ Σ weight, exact, and the criteria that weigh more than 0 with
    no score (the score is None while any are missing, or when no criterion weighs more
    than 0)."""
    missing = [c for c, w in weights.items() if w > 0 and c not in scores]
    total = sum((Fraction(w) for w in weights.values()), Fraction(0))
    if missing or total == 0:
        return None, missing
    points = sum(
        (Fraction(w) * Fraction(scores[c]) for c, w in weights.items() if w > 0), Fraction(0)
    )
    return points / total, missing


def shown(exact: Fraction | None) -> Decimal | None:
    """A weighted score to 2 decimal places, rounded half away from zero (scores are
    never negative)."""
    if exact is None:
        return None
    hundredths = int(exact * 100 + _HALF)  # floor, for a number 0 or more
    return Decimal(hundredths) / Decimal(100)


def ranks(values: Sequence[Fraction | None]) -> list[int | None]:
    """Each value's rank, highest first; equal values share a rank and the next rank
    counts every value above it (1, 1, 3). None has no rank."""
    scored = [v for v in values if v is not None]
    return [None if v is None else 1 + sum(1 for w in scored if w > v) for v in values]


def short_list_gap(options: Sequence[dict[str, Any]]) -> list[str]:
    """The Green Book baselines (do_nothing, do_minimum) missing from a short list; none
    when nothing is shortlisted yet."""
    short = {o["model"] for o in options if o["shortlisted"]}
    if not short:
        return []
    return [model for model in BASELINE_OPTIONS if model not in short]


@dataclass
class Appraisal:
    """One service's options appraisal."""

    service_code: str
    service_name: str | None
    stage: str | None
    partnership_code: str | None
    criteria: list[dict[str, Any]] = field(default_factory=list)  # criterion, weight, …
    options: list[dict[str, Any]] = field(default_factory=list)  # by rank, then code

    @property
    def short_list_gap(self) -> list[str]:
        return short_list_gap(self.options)

    @property
    def shortlisted(self) -> int:
        """How many options are on the short list."""
        return sum(1 for o in self.options if o["shortlisted"])

    @property
    def chosen(self) -> dict[str, Any] | None:
        """The preferred option, if one has been chosen."""
        return next((o for o in self.options if o["chosen"]), None)

    @property
    def warnings(self) -> list[str]:
        """What the panel should know before relying on the figures, in words."""
        found = []
        gap = self.short_list_gap
        if gap:
            found.append(
                f"The short list of {self.service_code} has no {' or '.join(gap)} option: "
                "the Green Book's short list keeps business as usual (do_nothing) and a "
                "do_minimum option to compare against."
            )
        if self.criteria and not any(c["weight"] > 0 for c in self.criteria):
            found.append(
                f"Every criterion of {self.service_code} weighs 0, so no option has a "
                "weighted score."
            )
        for option in self.options:
            if option["missing"]:
                found.append(
                    f"Option {option['option_code']} is not yet scored on "
                    f"{', '.join(option['missing'])}, so it has no weighted score or rank."
                )
        return found


def _params(as_of: datetime | None, service: str | None) -> dict[str, Any]:
    return {"as_of": as_of or FOREVER, "service": service}


def appraisals(
    con: Conn, as_of: datetime | None = None, service: str | None = None
) -> list[Appraisal]:
    """Each service's appraisal as of ``as_of`` (every service with options, or only
    ``service``), sorted by service_code; its options by rank, then option_code."""
    params = _params(as_of, service)
    criteria: dict[str, list[dict[str, Any]]] = {}
    for row in con.dicts(sql("option_criteria"), params):
        criteria.setdefault(row["service_code"], []).append(row)
    scores: dict[tuple[str, str], dict[str, Decimal]] = {}
    commentary: dict[tuple[str, str], dict[str, str]] = {}
    for code, option, criterion, score, note in con.rows(sql("option_scores"), params):
        scores.setdefault((code, option), {})[criterion] = Decimal(score)
        if note:
            commentary.setdefault((code, option), {})[criterion] = note
    found: dict[str, Appraisal] = {}
    for row in con.dicts(sql("option_list"), params):
        code = row["service_code"]
        if code not in found:
            found[code] = Appraisal(
                code,
                row["service_name"],
                row["stage"],
                row["partnership_code"],
                criteria.get(code, []),
            )
        weights = {c["criterion"]: Decimal(c["weight"]) for c in found[code].criteria}
        own = scores.get((code, row["option_code"]), {})
        exact, missing = weighted_score(weights, own)
        found[code].options.append(
            {
                **row,
                "shortlisted": row["shortlisted"] == "yes",
                "chosen": row["chosen"] == "yes",
                "scores": {c: own[c] for c in weights if c in own},
                "commentary": commentary.get((code, row["option_code"]), {}),
                "exact": exact,
                "weighted_score": shown(exact),
                "missing": missing,
            }
        )
    for appraisal in found.values():
        options = appraisal.options
        for option, rank in zip(options, ranks([o["exact"] for o in options]), strict=True):
            option["rank"] = rank
        options.sort(key=lambda o: (o["rank"] is None, o["rank"] or 0, o["option_code"]))
    return [found[code] for code in sorted(found)]


def rows(found: Sequence[Appraisal]) -> list[dict[str, Any]]:
    """``report options``: one row per option, sorted by service_code, then rank (an
    option with no rank last), then option_code; shortlisted and chosen as yes or no."""
    return [
        {
            "service_code": a.service_code,
            "option_code": o["option_code"],
            "name": o["name"],
            "weighted_score": o["weighted_score"],
            "rank": o["rank"],
            "shortlisted": "yes" if o["shortlisted"] else "no",
            "chosen": "yes" if o["chosen"] else "no",
        }
        for a in found
        for o in a.options
    ]


def report(
    store: Store, as_of: datetime | None = None, service: str | None = None
) -> list[dict[str, Any]]:
    with store.reading() as con:
        return rows(appraisals(con, as_of, service))


def for_pack(found: Sequence[Appraisal]) -> list[Appraisal]:
    """The appraisals of services at the outline or full business case stage."""
    return [a for a in found if a.stage in PACK_STAGES]


# -- in words, for the page and both packs ----------------------------------------------

MODEL_WORD = {
    "do_nothing": "Do nothing (business as usual)",
    "do_minimum": "Do minimum",
}
SWOT_WORD = {
    "strengths": "Strengths",
    "weaknesses": "Weaknesses",
    "opportunities": "Opportunities",
    "threats": "Threats",
}


def model_word(model: str) -> str:
    """An option's model in words: a delivery model, or one of the two baselines."""
    return MODEL_WORD.get(model) or wording.delivery_model(model)


def number_word(value: Decimal | None) -> str:
    """A score or a weight as entered, with no trailing zeros (7, 7.5, 7.25); a dash when
    there is none."""
    if value is None:
        return wording.MISSING
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return text or "0"


def score_word(value: Decimal | None) -> str:
    """A weighted score to 2 places, or "not scored" when it has none."""
    return "not scored" if value is None else f"{value:.2f}"


def rank_word(rank: int | None) -> str:
    return "unranked" if rank is None else str(rank)


def yes_no(flag: bool) -> str:
    return "Yes" if flag else "No"


def in_words(appraisal: Appraisal) -> list[dict[str, Any]]:
    """One row per option of a service, in words: for the board pack's table (the
    matrix's scores as "criterion (weight w): score", joined by "; ")."""
    found = []
    for option in appraisal.options:
        scores = "; ".join(
            f"{c['criterion']} (weight {number_word(c['weight'])}): "
            f"{number_word(option['scores'].get(c['criterion']))}"
            for c in appraisal.criteria
        )
        found.append(
            {
                "service_code": appraisal.service_code,
                "service": f"{appraisal.service_name or appraisal.service_code} "
                f"({appraisal.service_code})",
                "stage_word": wording.stage(appraisal.stage),
                "option_code": option["option_code"],
                "option": f"{option['name']} ({option['option_code']})",
                "model_word": model_word(option["model"]),
                "weighted_score": option["weighted_score"],
                "rank_word": rank_word(option["rank"]),
                "rank": option["rank"],
                "shortlisted_word": yes_no(option["shortlisted"]),
                "chosen_word": yes_no(option["chosen"]),
                "scores": scores or wording.MISSING,
                **{k: option[k] or wording.MISSING for k in SWOT},
            }
        )
    return found
