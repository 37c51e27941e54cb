"""Rule kinds: the few checks implemented in code that YAML rules instantiate.

A kind is a class with
  - `name`: the value of `kind:` in a pack,
  - `options`: a JSON-Schema `properties` mapping for the keys it adds to a rule,
    and `required_options`: the ones a rule must give,
  - `__init__(rule)`: compile what the rule needs, once per run; raise
    `healthlint.packs.RuleOptionError(key, message)` for a bad option value,
  - `check(doc) -> Iterable[Finding]`: pure, no I/O.
A kind that looks across files (repeated paragraphs) also has
  - `digest(doc) -> picklable` and `across(digests) -> Iterable[Finding]`.

Kinds are imported by name only when a rule uses them, so a run that needs one kind
does not pay for the others.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any, ClassVar

from healthlint.model import Severity, make_finding

if TYPE_CHECKING:
    from collections.abc import Iterable

    from healthlint.model import Block, Document, Finding
    from healthlint.packs import Rule

#: kind name -> "module:Class"
KINDS: dict[str, str] = {
    "pattern": "healthlint.kinds.pattern:PatternKind",
    "repetition": "healthlint.kinds.repetition:RepetitionKind",
    "brand": "healthlint.kinds.brand:BrandKind",
    "link": "healthlint.kinds.link:LinkKind",
    "statistic": "healthlint.kinds.statistic:StatisticKind",
    "attribution": "healthlint.kinds.statistic:AttributionKind",
    "presence": "healthlint.kinds.presence:PresenceKind",
    "freshness": "healthlint.kinds.freshness:FreshnessKind",
    "link-disclosure": "healthlint.kinds.links:LinkDisclosureKind",
    "readability": "healthlint.kinds.readability:ReadabilityKind",
}


class Kind:
    name: ClassVar[str]
    options: ClassVar[dict[str, Any]] = {}
    required_options: ClassVar[tuple[str, ...]] = ()
    #: placeholders a rule's message may use
    message_fields: ClassVar[tuple[str, ...]] = ("match",)

    def __init__(self, rule: Rule) -> None:
        self.rule = rule

    def check(self, doc: Document) -> Iterable[Finding]:
        raise NotImplementedError

    def blocks(self, doc: Document) -> Iterable[Block]:
        """The document's blocks in this rule's scope (all prose blocks when unscoped)."""
        scope = self.rule.scope
        if not scope:
            return [b for b in doc.blocks if b.scope != "front_matter"]
        return [b for b in doc.blocks if b.scope in scope]

    def finding(
        self,
        doc: Document,
        start: int,
        end: int,
        *,
        severity: Severity | None = None,
        **fields: object,
    ) -> Finding:
        """A finding of this rule at source span [start, end); `fields` fill the message."""
        rule = self.rule
        fields.setdefault("match", doc.source[start:end])
        return make_finding(
            doc,
            start,
            end,
            rule=rule.id,
            category=rule.category,
            severity=severity or rule.severity,
            message=rule.format_message(**fields),
            suggestion=rule.suggestion,
        )


def load_kind(name: str) -> type[Kind]:
    module, _, cls = KINDS[name].partition(":")
    return getattr(importlib.import_module(module), cls)
