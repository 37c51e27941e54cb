"""`--statistics`: how many findings each rule produced, for a quick look at a whole repo."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from typing import NamedTuple

from healthlint.model import Finding


class RuleCount(NamedTuple):
    rule: str
    category: str
    count: int


def count(findings: Iterable[Finding]) -> list[RuleCount]:
    """Counts per rule, most frequent first (ties by rule id)."""
    counts: Counter[tuple[str, str]] = Counter((f.rule, f.category) for f in findings)
    rows = [RuleCount(rule, category, n) for (rule, category), n in counts.items()]
    rows.sort(key=lambda r: (-r.count, r.rule))
    return rows


def table(rows: list[RuleCount]) -> str:
    """A plain aligned table: count, rule, category; then the total."""
    if not rows:
        return "no findings\n"
    total = sum(r.count for r in rows)
    width = len(str(total))
    rule_width = max(len(r.rule) for r in rows)
    lines = [f"{r.count:>{width}}  {r.rule:<{rule_width}}  {r.category}" for r in rows]
    lines.append(f"{total:>{width}}  total")
    return "\n".join(lines) + "\n"
