"""The `link-disclosure` kind: commercial links that come before any disclosure.

A link is commercial when its URL matches `url_patterns` (affiliate tags, tracking
redirects, shop paths) or its text matches `link_text_patterns` ("buy now"). The FTC
wants the material connection disclosed clearly and before the reader acts on the
recommendation, so the rule reports the first commercial link unless a `disclosure`
phrase occurs earlier in the document or in the link's own text ("available in our
shop"). One finding per document at most, on the link's text.

Links come from the reader (`Block.links`). A plain-text file has no link markup, so
there URLs written out in the text are read as links.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import ClassVar

import regex

from healthlint.cache import regex_compile
from healthlint.kinds import Kind
from healthlint.kinds.pattern import _syntax_error
from healthlint.model import Document, Finding
from healthlint.packs import Rule, RuleOptionError

_REGEXES = {"type": "array", "items": {"type": "string", "minLength": 1}}
_FLAGS = regex.IGNORECASE | regex.V0
_RAW_URL = regex_compile(r"\b(?:https?://|www\.)[^\s<>()\[\]\"']+[^\s<>()\[\]\"'.,;:!?]")


def _alternation(opts, key: str) -> regex.Pattern | None:
    pats = list(opts.get(key, ()))
    return regex_compile("|".join(f"(?:{p})" for p in pats), _FLAGS) if pats else None


class LinkDisclosureKind(Kind):
    name = "link-disclosure"
    options: ClassVar[dict] = {
        "url_patterns": {**_REGEXES,
                         "description": "Regexes on the URL that mark a commercial link."},
        "link_text_patterns": {**_REGEXES,
                               "description": "Regexes on the link text that mark one."},
        "disclosure": {**_REGEXES, "description": "Regexes; a match before the first commercial "
                                                  "link is the disclosure the rule wants."},
        "raw_urls": {"type": "boolean", "description": "In plain-text files, read URLs written "
                                                       "in the text as links (default true)."},
    }
    required_options = ("disclosure",)
    message_fields = ("match", "url")

    def __init__(self, rule: Rule) -> None:
        super().__init__(rule)
        opts = rule.options
        if not opts.get("url_patterns") and not opts.get("link_text_patterns"):
            raise RuleOptionError("url_patterns", "give `url_patterns` or `link_text_patterns`")
        if not opts.get("disclosure"):
            raise RuleOptionError("disclosure", "a link-disclosure rule needs `disclosure`")
        self.raw_urls = bool(opts.get("raw_urls", True))
        # checked with the stdlib parser now, compiled when first needed (see pattern)
        for key in ("url_patterns", "link_text_patterns", "disclosure"):
            for i, pat in enumerate(opts.get(key, ())):
                problem = _syntax_error(pat, _FLAGS)
                if problem:
                    raise RuleOptionError(
                        key, f"{key} {i + 1} does not compile: {problem}: {pat!r}"
                    )
        self._compiled: tuple | None = None

    def _compile(self) -> tuple:
        opts = self.rule.options
        self._compiled = (
            _alternation(opts, "url_patterns"),
            _alternation(opts, "link_text_patterns"),
            _alternation(opts, "disclosure"),
        )
        return self._compiled

    def check(self, doc: Document) -> Iterator[Finding]:
        raw = self.raw_urls and doc.format == "text"
        if not any(b.links for b in doc.blocks) and not (
            raw and ("://" in doc.source or "www." in doc.source)
        ):
            return
        self.urls, self.texts, self.disclosure = self._compiled or self._compile()
        first = self._first_commercial(doc)
        if first is None:
            return
        index, start, end, url = first
        prose = doc.prose
        # the link's own text may disclose too: "[available in our shop](...)"
        if self.disclosure.search(prose.text, 0, prose.starts[index] + end):
            return
        block = prose.blocks[index]
        if end <= start:  # a link without text (an image): point at the block's start
            end = min(start + 1, len(block.text))
        yield self.finding(doc, *block.source_span(start, end), url=url)

    def _first_commercial(self, doc: Document):
        """(block index, start, end, url) of the earliest commercial link, or None."""
        raw = self.raw_urls and doc.format == "text"
        for index, block in enumerate(doc.prose.blocks):
            if block.scope == "front_matter":
                continue
            links = [(link.start, link.end, link.url) for link in block.links]
            if raw and ("http" in block.text or "www." in block.text):
                links.extend((m.start(), m.end(), m.group()) for m in _RAW_URL.finditer(block.text))
            for start, end, url in sorted(links):
                if (self.urls is not None and self.urls.search(url)) or (
                    self.texts is not None and self.texts.search(block.text[start:end])
                ):
                    return index, start, end, url
        return None
