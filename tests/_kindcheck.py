"""Helpers for kind tests: a rule built in code, and its findings on a text."""

from __future__ import annotations

from healthlint.kinds import load_kind
from healthlint.model import Finding, Severity
from healthlint.packs import Rule
from healthlint.readers import read


def make_rule(kind: str, message: str = "{match}", severity: str = "warning", **options) -> Rule:
    return Rule(
        id="t.rule",
        pack="t",
        kind=kind,
        category="evidence",
        severity=Severity.parse(severity),
        message=message,
        rationale="r",
        source="s",
        examples_flag=(),
        examples_pass=(),
        options=options,
    )


def check(kind: str, text: str, path: str = "a.md", message: str = "{match}", **options):
    """Findings of a one-rule check of `kind` with `options` on `text`."""
    rule = make_rule(kind, message, **options)
    return list(load_kind(kind)(rule).check(read(path, text)))


def where(f: Finding) -> tuple[int, int, int, int, str]:
    """(line, column, end_line, end_column, text): the whole position of a finding."""
    return f.line, f.column, f.end_line, f.end_column, f.text
