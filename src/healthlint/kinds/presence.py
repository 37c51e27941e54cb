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

from healthlint.cache import persisted, regex_compile
from healthlint.kinds import Kind
from healthlint.kinds._doclevel import metadata_items, title_span
from healthlint.kinds.pattern import _parsed, _syntax_error
from healthlint.model import Document, Finding
from healthlint.packs import Rule, RuleOptionError
from healthlint.vocabulary import vocabulary

_REGEXES = {"type": "array", "items": {"type": "string", "minLength": 1}}
_NEGATED_BEFORE = regex_compile(
    r"(?:\b(?:no|not|without|zero|never|none|nor|free\s+(?:of|from))\b(?:\W+\w+){0,2}\W*)$",
    regex.IGNORECASE,
)
_FLAGS = regex.IGNORECASE | regex.V0


class _Search:
    """Several regexes, each searched on its own over the whole prose.

    A regex that opens with a word ("\\bharm...") is skipped outright when no word of
    the document starts that way (see `healthlint.vocabulary`), and otherwise found
    by a fast string search; an alternation of unrelated patterns would be scanned
    character by character, ten times slower. A regex without capital letters runs
    case-sensitively on the lower-cased prose, four times faster than case-blind.
    """

    def __init__(self, opts, key: str) -> None:
        # [source, compiled or None, runs on the folded text, the word matches start with]
        self.items: list[list] = []
        self.key = key
        for i, pat in enumerate(opts.get(key, ())):
            folded = pat == pat.lower()
            # checked with the stdlib parser now, compiled when first needed (see pattern)
            problem = _syntax_error(pat, regex.V0 if folded else _FLAGS)
            if problem:
                raise RuleOptionError(key, f"{key} {i + 1} does not compile: {problem}: {pat!r}")
            self.items.append([pat, None, folded, leading_word(pat)])

    def _compiled(self, i: int) -> regex.Pattern:
        item = self.items[i]
        if item[1] is None:
            try:
                item[1] = regex_compile(item[0], regex.V0 if item[2] else _FLAGS)
            except regex.error as exc:
                raise RuleOptionError(
                    self.key, f"{self.key} {i + 1} does not compile: {exc}: {item[0]!r}"
                ) from None
        return item[1]

    def __bool__(self) -> bool:
        return bool(self.items)

    @property
    def patterns(self) -> list[regex.Pattern]:
        return [self._compiled(i) for i in range(len(self.items))]

    def finditer(self, doc: Document) -> Iterator[regex.Match]:
        """Matches in the prose (offsets into prose.text), pattern by pattern."""
        prose = doc.prose
        text, folded = prose.text, prose.folded
        vocab = vocabulary(doc)
        for i, (_, _, on_folded, word) in enumerate(self.items):
            if word is not None and not vocab.has_prefix(word):
                continue
            pattern = self._compiled(i)
            yield from pattern.finditer(folded if on_folded and folded is not None else text)


class PresenceKind(Kind):
    name = "presence"
    options: ClassVar[dict] = {
        "when": {**_REGEXES,
                 "description": "Regexes; the rule applies only to a document where they "
                                "match at least `when_min` times in all (default: always). "
                                "Start each with a word: each is searched on its own."},
        "when_min": {"type": "integer", "minimum": 1, "description": "Default 1."},
        "require": {**_REGEXES, "description": "Regexes; one match anywhere in the prose "
                                               "satisfies the rule. Start each with a word."},
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
        self.when = _Search(opts, "when")
        self.require = _Search(opts, "require")
        self.links = _Search(opts, "require_links")
        self.metadata = tuple(opts.get("require_metadata", ()))
        if not self.require and not self.links and not self.metadata:
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
        if self.min_words and text.count(" ") + text.count("\n") < self.min_words:
            return
        triggers: list[tuple[int, int]] = []
        if self.when:
            for m in self.when.finditer(doc):
                if self._in_scope(doc, m.start()):
                    triggers.append(m.span())
                    if len(triggers) >= self.when_min and self.report != "first-trigger":
                        break
            if len(triggers) < self.when_min:
                return
        if self._satisfied(doc, text):
            return
        span = None
        if self.report == "first-trigger" and triggers:
            start, end = min(triggers)
            index, offset = prose.locate(start)
            span = prose.blocks[index].source_span(offset, offset + end - start)
        span = span or title_span(doc)
        if span is not None:
            yield self.finding(doc, *span, count=len(triggers))

    def _satisfied(self, doc: Document, text: str) -> bool:
        if self.links:
            for block in doc.blocks:
                if any(p.search(link.url) for link in block.links for p in self.links.patterns):
                    return True
        for m in self.require.finditer(doc):
            if not self._in_scope(doc, m.start()):
                continue
            before = max(0, m.start() - 40)
            if self.ignore_negated and _NEGATED_BEFORE.search(text, before, m.start()):
                continue
            return True
        return False


@persisted("presence.leading_word")
def leading_word(pattern: str) -> str | None:
    """The beginning of a word that every match of `pattern` starts with, lower-cased,
    if the pattern opens with one (`\\bharm(?:s|ful)?` -> "harm"), else None.

    Read from the parsed pattern: word boundaries, line starts and flag groups are
    skipped; the literal letters and digits that follow, up to anything else, are the
    word. A pattern that opens with an alternation, a class or a group, or whose word
    is not preceded by \\b or ^ (a match could begin inside a longer word), has none.
    """
    parsed = _parsed(pattern)
    if parsed is None:
        return None
    items = list(parsed)
    word: list[str] = []
    bounded = False  # a match could start inside a word unless \\b or ^ says otherwise
    while items:
        op, av = items.pop(0)
        name = str(op)
        if name == "AT" and not word:
            bounded = bounded or str(av) in ("AT_BOUNDARY", "AT_BEGINNING", "AT_BEGINNING_LINE",
                                             "AT_BEGINNING_STRING")
            continue
        if name == "SUBPATTERN" and not word and av[0] is None:  # a flag group: (?m:...)
            items[:0] = list(av[-1])
            continue
        if name == "LITERAL" and chr(av).isalnum():
            word.append(chr(av).lower())
            continue
        break
    return "".join(word) if bounded and len(word) >= 2 else None
