"""GitLab Code Quality report: a JSON array of issues for the merge-request widget.

Severity: info -> info, warning -> minor, error -> major, and error in the `regulatory`
category -> critical (a disease or drug claim is a legal exposure, not a style point);
`blocker` is not used. The fingerprint is unique in the report and stable across runs:
a hash of the baseline fingerprint and the occurrence number (healthlint.fingerprint).
Paths are repository-relative. Written as UTF-8 without a byte-order mark (GitLab rejects one).
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from healthlint.fingerprint import keyed
from healthlint.model import Severity

if TYPE_CHECKING:
    from healthlint.formatters import FormatOptions
    from healthlint.model import Finding
    from healthlint.runner import RunResult

SEVERITIES = {Severity.INFO: "info", Severity.WARNING: "minor", Severity.ERROR: "major"}


def severity(finding: Finding) -> str:
    if finding.severity is Severity.ERROR and finding.category == "regulatory":
        return "critical"
    return SEVERITIES[finding.severity]


def format(result: RunResult, stream: TextIO, options: FormatOptions) -> None:  # noqa: A001
    import json

    from healthlint.repo import find_root

    json.dump(render(result.findings, find_root()), stream, indent=2, ensure_ascii=False)
    stream.write("\n")


def render(findings: Iterable[Finding], root: Path) -> list[dict]:
    import hashlib

    issues = []
    for item in keyed(findings, root):
        f = item.finding
        issues.append(
            {
                "description": f.message,
                "check_name": f.rule,
                "fingerprint": hashlib.sha256(item.unique.encode("ascii")).hexdigest()[:32],
                "severity": severity(f),
                "location": {"path": item.path, "lines": {"begin": f.line, "end": f.end_line}},
            }
        )
    return issues
