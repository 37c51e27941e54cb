"""Shared helpers for the repetition and product-plug tests: lint text with one shipped rule."""

from __future__ import annotations

from functools import cache

from healthlint import readers
from healthlint.packs import build_checks, load_packs, resolve


@cache
def checks_of(pack: str) -> dict:
    return {c.rule.short_id: c for c in build_checks(load_packs([resolve(pack)]))}


def lint(pack: str, rule: str, text: str, path: str = "a.txt"):
    check = checks_of(pack)[rule]
    doc = readers.read(path, text, "text")
    return [f for f in check.check(doc)]


def flagged(pack: str, rule: str, text: str) -> list[str]:
    return [f.text for f in lint(pack, rule, text)]
