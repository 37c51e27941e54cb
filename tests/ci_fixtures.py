"""Fixed findings for the CI formatter golden tests: sentences written for these tests.

Emoji and accented letters stand before the spans, so a column differs between code
points (our unit, SARIF's declared columnKind, GitHub, JUnit), UTF-16 code units and
UTF-8 bytes (reviewdog).
"""

from __future__ import annotations

import os
from pathlib import Path

from healthlint.model import Document, Finding, Severity, make_finding
from healthlint.packs import Rule
from healthlint.readers.text import read

ROOT = Path("/repo")

CAFE = (
    "Café 😀 owners say this balm has no side effects at all.\n"
    "Naïve readers: the tea cures anxiety, 100% of the time.\n"
    "Our clinic's doctors agree it is\n"
    "completely safe for everyone.\n"
)
RESUME = "Résumé: «Experts say» the pill, with 9 in 10 users, works.\r\nPlain closing line.\r\n"
CLEAN = "A calm paragraph about sleep and water.\n"


def rule(rule_id: str, category: str, severity: str, message: str, link: str | None = None) -> Rule:
    pack, _, short = rule_id.partition(".")
    return Rule(
        id=rule_id,
        pack=pack,
        kind="pattern",
        category=category,
        severity=Severity.parse(severity),
        message=message,
        rationale=f"Why {short} matters: readers act on health claims.",
        source="Test guidance, section 1",
        examples_flag=("flag me",),
        examples_pass=("pass me",),
        link=link,
    )


RULES = [
    rule("absolute-claims.no-side-effects", "absolute-claim", "warning",
         "Absolute claim “{match}”: every treatment has side effects.",
         "https://example.org/rules/no-side-effects"),
    rule("regulatory.cure-claim", "regulatory", "error", "Disease claim: “{match}”."),
    rule("uncited-statistics.percent", "uncited-statistic", "info",
         "Statistic “{match}” has no source."),
    rule("absolute-claims.completely-safe", "absolute-claim", "warning",
         "Absolute claim, 100%: “{match}”,\nrephrase."),
    rule("vague-attribution.experts-say", "vague-attribution", "warning",
         "Vague attribution “{match}”: name the expert."),
]
BY_ID = {r.id: r for r in RULES}


def doc(name: str, text: str) -> Document:
    return read(str(ROOT / name), text)


def find(d: Document, rule_id: str, needle: str, severity: Severity | None = None) -> Finding:
    r = BY_ID[rule_id]
    start = d.source.index(needle)
    end = start + len(needle)
    return make_finding(
        d, start, end, rule=r.id, category=r.category, severity=severity or r.severity,
        message=r.format_message(match=needle), suggestion=r.suggestion,
    )


def documents() -> dict[str, Document]:
    return {
        "articles/café.md": doc("articles/café.md", CAFE),
        "articles/résumé, notes.txt": doc("articles/résumé, notes.txt", RESUME),
        "articles/clean.txt": doc("articles/clean.txt", CLEAN),
    }


def findings() -> list[Finding]:
    docs = documents()
    cafe, resume = docs["articles/café.md"], docs["articles/résumé, notes.txt"]
    found = [
        find(cafe, "absolute-claims.no-side-effects", "no side effects"),
        find(cafe, "regulatory.cure-claim", "cures anxiety"),
        find(cafe, "uncited-statistics.percent", "100%"),
        find(cafe, "absolute-claims.completely-safe", "it is\ncompletely safe"),
        find(resume, "vague-attribution.experts-say", "Experts say"),
        find(resume, "uncited-statistics.percent", "9 in 10"),
    ]
    return sorted(found, key=Finding.sort_key)


def line_text(path: str, line: int) -> str:
    source = documents()[os.path.relpath(path, ROOT)].source
    return source.split("\n")[line - 1]


def sarif_schema(shared: Path) -> dict:
    """The official SARIF 2.1.0 schema, from ../shared/schemas (see conftest.shared_dir)."""
    import json

    return json.loads((shared / "schemas" / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))
