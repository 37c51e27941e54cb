"""Run rule checks over documents."""

from __future__ import annotations

from collections.abc import Iterable

from healthlint.kinds import Kind
from healthlint.model import Document, Finding


def lint(doc: Document, checks: Iterable[Kind]) -> list[Finding]:
    findings: list[Finding] = []
    for check in checks:
        findings.extend(check.check(doc))
    findings.sort(key=Finding.sort_key)
    return findings
