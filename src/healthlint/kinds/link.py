"""The `link` kind: hyperlinks whose address matches a pattern (affiliate and tracking links).

Links are data on blocks (Block.links: the address and the span of the link text); a
bare address written in the prose (plain-text files) counts too. The finding covers the
link text, or the bare address.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import ClassVar

from healthlint.cache import re_compile
from healthlint.kinds import Kind
from healthlint.model import Document, Finding
from healthlint.packs import Rule, RuleOptionError

_BARE_URL = re_compile(r"\b(?:https?://|www\.)[^\s<>\"'()\[\]]+[^\s<>\"'()\[\].,;:!?]")


def _compile(key: str, patterns) -> re.Pattern | None:
    for i, pat in enumerate(patterns):
        try:
            re_compile(pat)
        except re.error as exc:
            raise RuleOptionError(key, f"{key} {i + 1} does not compile: {exc}: {pat!r}") from None
    if not patterns:
        return None
    return re_compile("|".join(f"(?:{p})" for p in patterns), re.IGNORECASE)


class LinkKind(Kind):
    name = "link"
    options: ClassVar[dict] = {
        "link_patterns": {"type": "array", "minItems": 1,
                          "items": {"type": "string", "minLength": 1},
                          "description": "Regexes searched in each link address."},
        "exceptions": {"type": "array", "items": {"type": "string", "minLength": 1},
                       "description": "Regexes; an address matching one is not reported."},
        "bare_urls": {"type": "boolean",
                      "description": "Also check addresses written out in the text "
                                     "(default true)."},
    }
    required_options = ("link_patterns",)
    message_fields = ("match", "url")

    def __init__(self, rule: Rule) -> None:
        super().__init__(rule)
        opts = rule.options
        self.patterns = _compile("link_patterns", opts.get("link_patterns", ()))
        self.exceptions = _compile("exceptions", opts.get("exceptions", ()))
        self.bare = bool(opts.get("bare_urls", True))

    def _wanted(self, url: str) -> bool:
        return bool(self.patterns and self.patterns.search(url)) and not (
            self.exceptions and self.exceptions.search(url)
        )

    def check(self, doc: Document) -> Iterator[Finding]:
        for block in self.blocks(doc):
            taken: list[tuple[int, int]] = []
            for link in block.links:
                if not self._wanted(link.url):
                    continue
                if link.end > link.start:
                    taken.append((link.start, link.end))
                    yield self.finding(doc, *block.source_span(link.start, link.end), url=link.url)
            if not self.bare or ("http" not in block.text and "www." not in block.text):
                continue
            for m in _BARE_URL.finditer(block.text):
                if any(s < m.end() and m.start() < e for s, e in taken):
                    continue
                if self._wanted(m.group()):
                    yield self.finding(doc, *block.source_span(*m.span()), url=m.group())
