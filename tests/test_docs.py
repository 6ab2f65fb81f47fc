"""The docs stay true: every column of every file kind is in the finance officers' guide,
every figure of the realisation report is explained, every command, option and setting
is in the README, which opens with the two commands, and the demo files are what their
script makes."""

from __future__ import annotations

import re

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


def _commands() -> dict[str, list[str]]:
    """Every command of the command line ("report realisation", "users add"…) with the
    options it takes, from the parser itself."""
    import argparse

    from sharedsvc_core.cli import build_parser

    found: dict[str, list[str]] = {}

    def walk(parser: argparse.ArgumentParser, words: tuple[str, ...]) -> None:
        subs = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
        if not subs and words:
            found[" ".join(words)] = [
                o for a in parser._actions for o in a.option_strings if o.startswith("--")
            ]
        for action in subs:
            for name, sub in action.choices.items():
                walk(sub, (*words, name))

    walk(build_parser(), ())
    return found


README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_every_command_and_option_is_in_the_readme() -> None:
    commands = _commands()
    assert "report realisation" in commands and "users add" in commands  # the walk works
    missing_commands = [
        c for c in commands if not re.search(rf"(^|[\s`]){re.escape(c)}([\s`]|$)", README, re.M)
    ]
    assert not missing_commands
    missing_options = sorted(
        {o for options in commands.values() for o in options if o not in ("--help",)}
        - {o for o in _options_in(README)}
    )
    assert not missing_options


def _options_in(text: str) -> set[str]:
    return set(re.findall(r"--[a-z][a-z-]*", text))


def test_every_setting_is_in_the_readme_with_its_default() -> None:
    from sharedsvc_core.settings import DEFAULTS

    for name, default in DEFAULTS.items():
        assert f"| `{name}` | {default:g} |" in README, name


def test_the_demo_files_are_what_the_script_makes() -> None:
    """data/demo/ is made by scripts/build_demo.py from the public data; --check fails
    when a file there was changed by hand or the script was changed without them."""
    import subprocess
    import sys

    run = subprocess.run(
        [sys.executable, "scripts/build_demo.py", "--check"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert run.returncode == 0, run.stdout + run.stderr
