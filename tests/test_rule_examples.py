"""Every shipped rule's own examples: each `flag` example gives at least one finding of
that rule and each `pass` example none (the same check as `healthlint test-rules`)."""

from __future__ import annotations

from pathlib import Path

import pytest

from healthlint.examples import misbehaviour
from healthlint.packs import build_checks, load_packs

RULES_DIR = Path(__file__).resolve().parent.parent / "rules"
PACKS = sorted(RULES_DIR.glob("*.yaml"))
CHECKS = build_checks(load_packs(PACKS))
EXAMPLES = [
    (check, kind, i, text)
    for check in CHECKS
    for kind, texts in (("flag", check.rule.examples_flag), ("pass", check.rule.examples_pass))
    for i, text in enumerate(texts)
]


def test_packs_are_shipped():
    names = {p.stem for p in PACKS}
    assert {"absolute-claims", "template-leftovers", "repetition", "product-plugs"} <= names


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
    why = misbehaviour(check, kind, text)
    assert why is None, f"{check.rule.id} {kind} example {why}"
