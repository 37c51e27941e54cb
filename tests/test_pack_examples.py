"""Every rule of the repetition and product-plugs packs behaves on its own examples."""

from __future__ import annotations

import importlib.util

import pytest
from helpers_plugs import checks_of

from healthlint import readers

# The examples are Markdown; without the Markdown reader (another branch) read them as text.
FORMAT = "markdown" if importlib.util.find_spec("healthlint.readers.markdown") else "text"

CASES = [
    (pack, rule_id, which, i, text)
    for pack in ("repetition", "product-plugs")
    for rule_id, check in checks_of(pack).items()
    for which, texts in (("flag", check.rule.examples_flag), ("pass", check.rule.examples_pass))
    for i, text in enumerate(texts)
]


def found_in(check, text: str) -> list:
    parts = check.split_example(text) if hasattr(check, "split_example") else [text]
    docs = [readers.read(f"example{i}.md", part, FORMAT) for i, part in enumerate(parts)]
    found = [f for doc in docs for f in check.check(doc)]
    if hasattr(check, "digest"):
        found += list(check.across({doc.path: check.digest(doc) for doc in docs}))
    return found


@pytest.mark.parametrize(("pack", "rule_id", "which", "i", "text"), CASES)
def test_example(pack, rule_id, which, i, text):
    found = found_in(checks_of(pack)[rule_id], text)
    if which == "flag":
        assert found, f"{pack}.{rule_id} flag example {i + 1} was not flagged"
    else:
        assert not found, f"{pack}.{rule_id} pass example {i + 1}: {[f.text for f in found]}"


def test_every_rule_has_both_kinds_of_example():
    for pack in ("repetition", "product-plugs"):
        for rule_id, check in checks_of(pack).items():
            assert check.rule.examples_flag and check.rule.examples_pass, rule_id
