"""SARIF 2.1.0, for GitHub code scanning and other SARIF viewers.

- One run; `tool.driver.rules` lists every rule of the run (sorted by id) with its message
  as short description, rationale as full description, and rationale + source + link as help.
- Regions use our columns, which count Unicode code points, so the run declares
  `columnKind: unicodeCodePoints` (SARIF's default would be UTF-16 code units).
- URIs are relative to the repository root (`uriBaseId: %SRCROOT%`, see healthlint.repo) and
  percent-encoded; a file outside the root gets an absolute `file:` URI.
- `partialFingerprints["healthlint/v1"]` is the baseline fingerprint plus the occurrence
  number (healthlint.fingerprint), stable when lines are inserted above a finding.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from healthlint.fingerprint import KEY, keyed
from healthlint.model import Severity

if TYPE_CHECKING:
    from healthlint.formatters import FormatOptions
    from healthlint.model import Finding
    from healthlint.packs import Rule
    from healthlint.runner import RunResult

SCHEMA_URI = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
SRCROOT = "%SRCROOT%"
LEVELS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}
_PLACEHOLDER = re.compile(r"\{[A-Za-z_][A-Za-z0-9_]*\}")


def format(result: RunResult, stream: TextIO, options: FormatOptions) -> None:  # noqa: A001
    import json

    from healthlint import __version__
    from healthlint.repo import find_root

    log = render(
        result.findings,
        result.rules,
        find_root(),
        version=__version__,
        information_uri=_homepage(),
    )
    json.dump(log, stream, indent=2, ensure_ascii=False)
    stream.write("\n")


def _homepage() -> str | None:
    """The project's Homepage URL from the installed package metadata, if any."""
    from importlib.metadata import PackageNotFoundError, metadata

    try:
        urls = metadata("healthlint").get_all("Project-URL") or []
    except PackageNotFoundError:
        return None
    for entry in urls:
        label, _, url = entry.partition(",")
        if label.strip().lower() in ("homepage", "source", "repository"):
            return url.strip()
    return None


def render(
    findings: Iterable[Finding],
    rules: Sequence[Rule],
    root: Path,
    *,
    version: str,
    information_uri: str | None = None,
) -> dict:
    """The SARIF log (a JSON-ready dict) for `findings`."""
    from urllib.parse import quote

    items = list(keyed(findings, root))
    descriptors = [_rule(r) for r in sorted(rules, key=lambda r: r.id)]
    index = {d["id"]: i for i, d in enumerate(descriptors)}
    # A finding of a rule the run does not list (a filter's own report) still gets a rule.
    for item in items:
        f = item.finding
        if f.rule not in index:
            index[f.rule] = len(descriptors)
            descriptors.append(
                {
                    "id": f.rule,
                    "shortDescription": {"text": f.rule},
                    "defaultConfiguration": {"level": LEVELS[f.severity]},
                    "properties": {"category": f.category, "tags": [f.category]},
                }
            )

    driver: dict = {"name": "healthlint", "version": version}
    if information_uri:
        driver["informationUri"] = information_uri
    driver["rules"] = descriptors

    results = []
    for item in items:
        f = item.finding
        if Path(item.path).is_absolute():
            artifact = {"uri": Path(item.path).as_uri()}
        else:
            artifact = {"uri": quote(item.path, safe="/"), "uriBaseId": SRCROOT}
        region = {
            "startLine": f.line,
            "startColumn": f.column,
            "endLine": f.end_line,
            "endColumn": f.end_column,
            "snippet": {"text": f.text},
        }
        location = {"physicalLocation": {"artifactLocation": artifact, "region": region}}
        results.append(
            {
                "ruleId": f.rule,
                "ruleIndex": index[f.rule],
                "level": LEVELS[f.severity],
                "message": {"text": f.message},
                "locations": [location],
                "partialFingerprints": {KEY: item.unique},
            }
        )

    return {
        "$schema": SCHEMA_URI,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {"driver": driver},
                "originalUriBaseIds": {SRCROOT: {"uri": root.as_uri().rstrip("/") + "/"}},
                "columnKind": "unicodeCodePoints",
                "results": results,
            }
        ],
    }


def _rule(rule: Rule) -> dict:
    help_text = f"{rule.rationale}\n\nSource: {rule.source}"
    if rule.link:
        help_text += f"\n\nMore: {rule.link}"
    descriptor: dict = {
        "id": rule.id,
        "name": rule.short_id,
        "shortDescription": {"text": _PLACEHOLDER.sub("…", rule.message)},
        "fullDescription": {"text": rule.rationale},
        "help": {"text": help_text},
    }
    if rule.link:
        descriptor["helpUri"] = rule.link
    descriptor["defaultConfiguration"] = {"level": LEVELS[rule.severity]}
    tags = list(dict.fromkeys([rule.category, rule.pack]))  # SARIF tags must be distinct
    descriptor["properties"] = {"category": rule.category, "tags": tags}
    return descriptor
