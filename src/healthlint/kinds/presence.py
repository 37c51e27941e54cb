"""The `presence` kind: something a document must contain somewhere.

"If the page talks up a treatment (`when`, at least `when_min` times), it must mention
its harms somewhere (`require`)". Without `when` the requirement holds for every
document ("name an author"). The requirement is also met by a filled front-matter key
(`require_metadata`) or by a link whose URL matches `require_links`. One finding per
document at most, at the title (see `_doclevel`) or at the first trigger.

A `require` match right after a negation ("no side effects", "without any risk") does
not count when `ignore_negated` is on: denying harms is not naming them.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import ClassVar

import regex

from healthlint.kinds import Kind
from healthlint.kinds._doclevel import metadata_items, title_span
from healthlint.model import Document, Finding
from healthlint.packs import Rule, RuleOptionError

_REGEXES = {"type": "array", "items": {"type": "string", "minLength": 1}}
_NEGATED_BEFORE = regex.compile(
    r"(?:\b(?:no|not|without|zero|never|none|nor|free\s+(?:of|from))\b(?:\W+\w+){0,2}\W*)$",
    regex.IGNORECASE,
)
_FLAGS = regex.IGNORECASE | regex.V0


def _compile(opts, key: str) -> regex.Pattern | None:
    pats = list(opts.get(key, ()))
    if not pats:
        return None
    for i, pat in enumerate(pats):
        try:
            regex.compile(pat, _FLAGS)
        except regex.error as exc:
            raise RuleOptionError(
                key, f"{key} {i + 1} does not compile: {exc}: {pat!r}"
            ) from None
    return regex.compile("|".join(f"(?:{p})" for p in pats), _FLAGS)


class PresenceKind(Kind):
    name = "presence"
    options: ClassVar[dict] = {
        "when": {**_REGEXES,
                 "description": "Regexes; the rule applies only to a document where they "
                                "match at least `when_min` times (default: always)."},
        "when_min": {"type": "integer", "minimum": 1, "description": "Default 1."},
        "require": {**_REGEXES, "description": "Regexes; one match anywhere in the prose "
                                               "satisfies the rule."},
        "require_metadata": {**_REGEXES,
                             "description": "Front-matter keys; a filled one satisfies the rule."},
        "require_links": {**_REGEXES, "description": "Regexes on link URLs; a matching link "
                                                     "satisfies the rule."},
        "ignore_negated": {"type": "boolean",
                           "description": "A `require` match just after 'no', 'not', "
                                          "'without'... does not count."},
        "report": {"enum": ["title", "first-trigger"],
                   "description": "Where the finding goes (default title)."},
        "min_words": {"type": "integer", "minimum": 0,
                      "description": "Skip documents with fewer prose words (default 0)."},
    }
    message_fields = ("match", "count")

    def __init__(self, rule: Rule) -> None:
        super().__init__(rule)
        opts = rule.options
        self.when = _compile(opts, "when")
        self.require = _compile(opts, "require")
        self.links = _compile(opts, "require_links")
        self.metadata = tuple(opts.get("require_metadata", ()))
        if self.require is None and self.links is None and not self.metadata:
            raise RuleOptionError(
                "require", "a presence rule needs `require`, `require_metadata` or `require_links`"
            )
        self.when_min = int(opts.get("when_min", 1))
        self.ignore_negated = bool(opts.get("ignore_negated", False))
        self.report = opts.get("report", "title")
        self.min_words = int(opts.get("min_words", 0))
        self.scope = frozenset(rule.scope) if rule.scope else None

    def _in_scope(self, doc: Document, offset: int) -> bool:
        block = doc.prose.blocks[doc.prose.locate(offset)[0]]
        if self.scope is None:
            return block.scope != "front_matter"
        return block.scope in self.scope

    def check(self, doc: Document) -> Iterator[Finding]:
        prose = doc.prose
        if not prose.blocks or (self.metadata and metadata_items(doc.metadata, self.metadata)):
            return
        text = prose.text
        if self.min_words and len(text.split()) < self.min_words:
            return
        triggers = []
        if self.when is not None:
            for m in self.when.finditer(text):
                if self._in_scope(doc, m.start()):
                    triggers.append(m)
                    if len(triggers) >= self.when_min:
                        break
            if len(triggers) < self.when_min:
                return
        if self._satisfied(doc, text):
            return
        span = None
        if self.report == "first-trigger" and triggers:
            index, offset = prose.locate(triggers[0].start())
            block = prose.blocks[index]
            span = block.source_span(offset, offset + len(triggers[0].group()))
        span = span or title_span(doc)
        if span is not None:
            yield self.finding(doc, *span, count=len(triggers))

    def _satisfied(self, doc: Document, text: str) -> bool:
        if self.links is not None:
            for block in doc.blocks:
                if any(self.links.search(link.url) for link in block.links):
                    return True
        if self.require is None:
            return False
        for m in self.require.finditer(text):
            if not self._in_scope(doc, m.start()):
                continue
            before = max(0, m.start() - 40)
            if self.ignore_negated and _NEGATED_BEFORE.search(text, before, m.start()):
                continue
            return True
        return False
