"""The docs stay true: every column of every file kind is in the finance officers' guide,
every figure of the realisation report is explained, and the README opens with the two
commands."""

from __future__ import annotations

from conftest import ROOT

from sharedsvc_core import realisation, survey
from sharedsvc_core.contract import KINDS

GUIDE = (ROOT / "docs" / "preparing-a-return.md").read_text(encoding="utf-8")
FIGURES = (ROOT / "docs" / "figures.md").read_text(encoding="utf-8").lower()


def test_every_column_is_in_the_guide() -> None:
    missing = [
        f"{k.name}.{c.name}" for k in KINDS.values() for c in k.columns if c.name not in GUIDE
    ]
    assert not missing


def test_every_figure_is_explained() -> None:
    words = {
        "target": "target",
        "evidenced": "evidenced",
        "claimed": "claimed saving",
        "claims_gap": "claims gap",
        "one_off": "one-off",
        "net": "net saving",
        "realisation_pct": "realisation %",
        "efficiency_pct": "efficiency %",
        "npv": "npv",
        "payback": "payback",
        "rag": "rag",
        "returns_expected": "returns expected",
        "returns_received": "received",
        "responses": "responses",
        "pct_agree": "% agree",
        "net_agreement": "net agreement",
        "mean_score": "mean score",
    }
    for column in (*realisation.COLUMNS[1:], *survey.COLUMNS[3:]):
        if column in ("pct_neutral", "pct_disagree"):
            continue
        assert words[column] in FIGURES, column


def test_readme_opens_with_the_two_commands() -> None:
    lines = (ROOT / "README.md").read_text(encoding="utf-8").splitlines()
    block = lines[lines.index("```") + 1 : lines.index("```") + 3]
    assert block[0].startswith("./run dashboard") and block[1].startswith("./run test")
