"""Every shipped rule's own examples: each `flag` example gives at least one finding of
that rule and each `pass` example none. Runs the packs and the engine directly."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from healthlint.packs import build_checks, load_packs
from healthlint.readers import read

RULES_DIR = Path(__file__).resolve().parent.parent / "rules"
PACKS = sorted(RULES_DIR.glob("*.yaml"))
# Examples are Markdown snippets; until the Markdown reader exists they are read as text.
FORMAT = "markdown" if importlib.util.find_spec("healthlint.readers.markdown") else "text"
CHECKS = build_checks(load_packs(PACKS))
EXAMPLES = [
    (check, kind, i, text)
    for check in CHECKS
    for kind, texts in (("flag", check.rule.examples_flag), ("pass", check.rule.examples_pass))
    for i, text in enumerate(texts)
]


def test_packs_are_shipped():
    names = {p.stem for p in PACKS}
    assert {"absolute-claims", "template-leftovers"} <= names


@pytest.mark.parametrize("check", CHECKS, ids=[c.rule.id for c in CHECKS])
def test_every_rule_has_flag_and_pass_examples(check):
    assert check.rule.examples_flag, f"{check.rule.id} has no flag example"
    assert check.rule.examples_pass, f"{check.rule.id} has no pass example"


@pytest.mark.parametrize(
    ("check", "kind", "text"),
    [(c, k, t) for c, k, _, t in EXAMPLES],
    ids=[f"{c.rule.id}:{k}{i}" for c, k, i, _ in EXAMPLES],
)
def test_rule_example(check, kind, text):
    doc = read(f"example.{'md' if FORMAT == 'markdown' else 'txt'}", text, FORMAT)
    found = [f for f in check.check(doc) if f.rule == check.rule.id]
    if kind == "flag":
        assert found, f"{check.rule.id} does not flag its example {text!r}"
    else:
        assert not found, f"{check.rule.id} flags its pass example {text!r}: {found[0].text!r}"
