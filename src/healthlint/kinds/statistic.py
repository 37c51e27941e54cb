"""Claims that need a source: the `statistic` and `attribution` kinds.

`statistic` reports a quantitative claim about people or studies ("65% of adults",
"619 million people", "2.4x larger", "n=1,200") with no source beside it; `attribution`
reports evidence invoked without a name ("studies show", "in trials"). Both read all
their vocabulary from the rule's YAML:

  define           named regex fragments; a list becomes an alternation. `{name}` in a
                   later definition or a pattern is replaced by the fragment, so
                   "{num}\\s+{population}" reads as it means. (`{2,3}` is left alone.)
  statistics /     what to report;
  patterns
  not_statistics / what a match must not overlap ("100% natural", "Phase 3", "aged 65",
  exceptions       "What the research shows");
  not_after        a regex for the words just before a match that cancel it ("no studies
                   have shown");
  skip_blocks      block openings that start a part of the page with no claims to check
                   (an author's biography): that block is skipped, and the next one too
                   when the opening is a short heading line;
  sources          more names of organisations or journals that count as a named source;
  skip_questions   ignore matches in questions ("Does research show ...?");
  anchors,         words one of which every match contains: patterns are then tried only
  lookback         at word starts up to `lookback` characters before each occurrence;
  report           (statistic) "uncited", or "weak" for figures whose only source is
                   named but not locatable ("according to the CDC").

Write case-blind patterns in lower case: they then run on the lower-cased text without
IGNORECASE, which is much faster (a pattern with capitals still works, case-blind).

Matching runs once per document over its joined prose (`healthlint.scan.Scanner` keeps
that fast); only the few matches are then checked against the exclusions and for a
source (`healthlint.citations`): in the same sentence, or the same list item, table row,
callout or stat card (GUIDELINES.md). At most one finding per sentence, at its first
unsourced match.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import ClassVar

from healthlint.cache import persisted, re_compile
from healthlint.citations import Strength, citations, cited, known_sources, row_of
from healthlint.kinds import Kind
from healthlint.model import Document, Finding
from healthlint.packs import Rule, RuleOptionError
from healthlint.scan import PatternError, Scanner, ScannerUnion, build_scanner

_PLACEHOLDER = re_compile(r"\{([A-Za-z_]\w*)\}")
_STRINGS = {"type": "array", "items": {"type": "string", "minLength": 1}}
#: how far around a match its exclusions are looked for (characters)
_WINDOW = 30
#: a block this short that opens with a skip marker is a heading for the next block
_SKIP_HEADING_CHARS = 120
#: how many exclusion results a rule remembers
_MEMO = 20000
#: how far before a match `not_after` looks (characters, within the sentence)
_BEFORE = 40


def expand(pattern: str, defs: Mapping[str, str], key: str) -> str:
    """`pattern` with each `{name}` replaced by its definition; `{2,3}` is left alone."""

    def sub(m: re.Match[str]) -> str:
        name = m.group(1)
        if name not in defs:
            known = ", ".join(sorted(defs)) or "none"
            raise RuleOptionError(key, f"unknown placeholder {{{name}}} (defined: {known})")
        return defs[name]

    return _PLACEHOLDER.sub(sub, pattern)


_PLAIN = re_compile(r"[\w '’&-]+")
#: word lists up to this long are kept whole in sketches
_SKETCH_WHOLE = 12


def word_alternation(items: list[str]) -> str:
    """A list of alternatives as one regex. Plain words become a trie ("p(?:atients|eople)"),
    which `re` walks one character at a time instead of trying a hundred words in turn;
    longer words win over their prefixes. Items with regex syntax are kept as they are."""
    plain = [w for w in items if _PLAIN.fullmatch(w)]
    other = sorted((w for w in items if not _PLAIN.fullmatch(w)), key=len, reverse=True)
    trie: dict = {}
    for word in plain:
        node = trie
        for ch in word.lower():
            node = node.setdefault(ch, {})
        node[""] = {}

    def build(node: dict) -> str:
        alts = [re.escape(ch) + build(sub) for ch, sub in sorted(node.items()) if ch]
        if not alts:
            return ""
        body = alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"
        return f"(?:{body})?" if "" in node else body

    parts = other + ([build(trie)] if plain else [])
    return "|".join(parts)


@persisted("statistic.word_alternation")
def _alternation(items: tuple[str, ...]) -> str:
    return word_alternation(list(items))  # kept in the start-up cache: lists are long


def build_definitions(raw: object) -> dict[str, str]:
    """The rule's `define` mapping as regex fragments, each expanded with the ones above it."""
    return _definitions(raw)[0]


def _definitions(raw: object) -> tuple[dict[str, str], dict[str, str]]:
    """The definitions, and their sketches: the same fragments with each word list cut
    to the first three letters of its words. A sketch starts where its fragment starts,
    which is all the scanner's analysis needs, and parses many times faster."""
    defs: dict[str, str] = {}
    sketches: dict[str, str] = {}
    if not isinstance(raw, Mapping):
        return defs, sketches
    for name, value in raw.items():
        if isinstance(value, str):
            body = sketch = value
        else:
            items = [str(v) for v in value]
            body = _alternation(tuple(items))
            # a short list may open a pattern ("one in four"): its words stay whole, as
            # triggers; a long one (people, patients, ...) comes later and only its size counts
            cut = 3 if len(items) > _SKETCH_WHOLE else None
            heads = {w.lower()[:cut] if _PLAIN.fullmatch(w) else w for w in items}
            sketch = "|".join(re.escape(h) if _PLAIN.fullmatch(h) else h for h in sorted(heads))
        # not compiled here: a bad definition shows in the patterns that use it
        defs[str(name)] = f"(?:{expand(body, defs, 'define')})"
        sketches[str(name)] = f"(?:{expand(sketch, sketches, 'define')})"
    return defs, sketches


_LEADING = re_compile(r"\{([A-Za-z_]\w*)\}")


def _scanner(
    patterns,
    definitions: tuple[Mapping[str, str], Mapping[str, str]],
    flags: int,
    key: str,
    anchors: tuple[str, ...] = (),
    lookback: int = 60,
    use: str = "spans",
) -> Scanner | ScannerUnion | None:
    """One Scanner for a rule's list of patterns.

    Patterns that open with the same placeholder ("{num}\\s?%", "{num}\\s+people") are
    joined behind it ("{num}(?:\\s?%|\\s+people)"), so the number is read once per place.
    """
    defs, sketches = definitions
    groups: dict[str, list[str]] = {}
    order: list[str] = []
    for p in patterns:
        m = _LEADING.match(p)
        head = m.group(0) if m and m.group(1) in defs else ""
        if head not in groups or not head:
            order.append(head or p)
            groups[head or p] = []
        groups[head or p].append(p[len(head) :] if head else p)
    merged = []
    for head in order:
        tails = groups[head]
        if head.startswith("{") and head in groups and len(tails) > 1:
            merged.append(head + "(?:" + "|".join(tails) + ")")
        elif head.startswith("{") and len(tails) == 1:
            merged.append(head + tails[0])
        else:
            merged.append(tails[0])
    sources = [expand(p, defs, key) for p in merged]
    if not sources:
        return None
    analysis = [expand(p, sketches, key) for p in merged]
    try:
        return build_scanner(sources, flags, anchors, lookback, use, analysis)
    except PatternError as exc:
        raise RuleOptionError(key, str(exc)) from None


def _compile_one(sources: list[str], flags: int, key: str) -> re.Pattern[str] | None:
    if not sources:
        return None
    for i, src in enumerate(sources):
        try:
            re_compile(src, flags)
        except re.error as exc:
            message = f"pattern {i + 1} does not compile: {exc}: {src!r}"
            raise RuleOptionError(key, message) from None
    return re_compile("|".join(f"(?:{s})" for s in sources), flags)


_COMMON_OPTIONS: dict[str, dict] = {
    "define": {
        "type": "object",
        "additionalProperties": {"anyOf": [{"type": "string", "minLength": 1}, _STRINGS]},
        "description": "Named regex fragments for {name} placeholders; a list is an alternation.",
    },
    "skip_blocks": {
        **_STRINGS,
        "description": "Regexes matched at a block's start: skip that block (and the next "
        "one when it is a short heading line), e.g. an author's biography.",
    },
    "sources": {
        **_STRINGS,
        "description": "More names (organisations, journals) that count as a named source.",
    },
    "not_after": {
        "type": "string",
        "minLength": 1,
        "description": "Regex for the words just before a match that cancel it ('no').",
    },
    "skip_questions": {"type": "boolean", "description": "Ignore matches in questions."},
    "anchors": {
        **_STRINGS,
        "description": "Words one of which every match contains (any case). When given, "
        "patterns are tried only just before and at these words: much faster.",
    },
    "lookback": {
        "type": "integer",
        "minimum": 0,
        "maximum": 400,
        "description": "How many characters before an anchor a match may start (default 60).",
    },
    "case_sensitive": {"type": "boolean"},
}


class _SourcedKind(Kind):
    """Shared machinery: find matches fast, drop excluded ones, keep those with no source."""

    patterns_key: ClassVar[str]
    exceptions_key: ClassVar[str]
    message_fields = ("match",)

    def __init__(self, rule: Rule) -> None:
        super().__init__(rule)
        opts = rule.options
        flags = 0 if opts.get("case_sensitive", False) else re.IGNORECASE
        defs, sketches = _definitions(opts.get("define"))
        self.scanner = _scanner(
            opts.get(self.patterns_key, ()),
            (defs, sketches),
            flags,
            self.patterns_key,
            anchors=tuple(opts.get("anchors", ())),
            lookback=int(opts.get("lookback", 60)),
        )
        if self.scanner is None:
            message = f"a {self.name} rule needs at least one pattern"
            raise RuleOptionError(self.patterns_key, message)
        self.exclude = _scanner(
            opts.get(self.exceptions_key, ()),
            (defs, sketches),
            flags,
            self.exceptions_key,
            use="overlaps",
        )
        skips = [expand(p, defs, "skip_blocks") for p in opts.get("skip_blocks", ())]
        self.skip = _compile_one(skips, flags, "skip_blocks")
        not_after = opts.get("not_after")
        self.not_after = (
            _compile_one([f"(?:{expand(not_after, defs, 'not_after')})\\W*$"], flags, "not_after")
            if not_after
            else None
        )
        self.skip_questions = bool(opts.get("skip_questions", False))
        self._excluded_memo: dict[tuple[str, int, int], bool] = {}
        self.known = known_sources(tuple(opts.get("sources", ())))
        self.want = Strength.NONE
        self.scope = frozenset(rule.scope) if rule.scope else None

    def check(self, doc: Document) -> Iterator[Finding]:
        prose = doc.prose
        blocks = prose.blocks
        text = prose.text
        done: set[tuple[int, int]] = set()  # (block, sentence start): one finding per sentence
        skipped: frozenset[int] | None = None
        for m_start, m_end in self.scanner.spans(text, prose.folded, prose.SEPARATOR):
            index, start = prose.locate(m_start)
            block = blocks[index]
            end = start + (m_end - m_start)
            if end > len(block.text):
                continue  # ran across the gap between two blocks
            if self.scope is not None:
                if block.scope not in self.scope:
                    continue
            elif block.scope == "front_matter":
                continue
            if skipped is None:
                skipped = self._skipped(doc)
            if index in skipped:
                continue
            index_of = citations(block, self.known)
            segment = index_of.segment_at(start)
            key = (index, segment.start)
            if key in done:
                continue  # this sentence has had its finding (or its source)
            if self._excluded(block.text, start, end):
                continue
            if index_of.inside_cue(start, end):
                continue  # the digits of a citation: "(Smith, 2021)", "[12]"
            if self._cancelled(block.text, segment.start, segment.end, start):
                continue
            done.add(key)
            strength = cited(block, start, end, row_of(blocks, index), self.known)
            if strength is self.want:
                yield self.finding(doc, *block.source_span(start, end))

    def _excluded(self, text: str, start: int, end: int) -> bool:
        """Whether text[start:end] (a block's text) overlaps an exception near it.

        Remembered by text: the same paragraph recurs across the pages of a run."""
        if self.exclude is None:
            return False
        key = (text, start, end)
        known = self._excluded_memo.get(key)
        if known is None:
            lo, hi = max(0, start - _WINDOW), min(len(text), end + _WINDOW)
            folded = text.lower()
            known = self.exclude.overlaps(
                text, start, end, lo, hi, folded if len(folded) == len(text) else None
            )
            if len(self._excluded_memo) >= _MEMO:
                self._excluded_memo.clear()
            self._excluded_memo[key] = known
        return known

    def _cancelled(self, text: str, seg_start: int, seg_end: int, start: int) -> bool:
        if self.skip_questions and text[seg_start:seg_end].rstrip().endswith("?"):
            return True
        if self.not_after is not None:
            return self.not_after.search(text, max(seg_start, start - _BEFORE), start) is not None
        return False

    def _skipped(self, doc: Document) -> frozenset[int]:
        """Blocks an author's biography (or another skip marker) covers."""
        if self.skip is None:
            return frozenset()
        blocks = doc.prose.blocks
        out: set[int] = set()
        match = self.skip.match
        for index, block in enumerate(blocks):
            if match(block.text):
                out.add(index)
                if len(block.text) <= _SKIP_HEADING_CHARS and index + 1 < len(blocks):
                    out.add(index + 1)
        return frozenset(out)


class StatisticKind(_SourcedKind):
    """A figure about people, a population, a study's size or result, with no source."""

    name = "statistic"
    patterns_key = "statistics"
    exceptions_key = "not_statistics"
    options: ClassVar[dict] = {
        **_COMMON_OPTIONS,
        "statistics": {**_STRINGS, "description": "Regexes of the figures to check."},
        "not_statistics": {
            **_STRINGS,
            "description": "Regexes; a figure overlapping one is not a statistic.",
        },
        "report": {
            "enum": ["uncited", "weak"],
            "description": "uncited (default): figures with no source; weak: figures whose "
            "only source is named but not locatable (no link, marker or year).",
        },
    }
    required_options = ("statistics",)

    def __init__(self, rule: Rule) -> None:
        super().__init__(rule)
        if rule.options.get("report") == "weak":
            self.want = Strength.WEAK


class AttributionKind(_SourcedKind):
    """Evidence invoked without naming it ("studies show"), unless a source is beside it."""

    name = "attribution"
    patterns_key = "patterns"
    exceptions_key = "exceptions"
    options: ClassVar[dict] = {
        **_COMMON_OPTIONS,
        "patterns": {**_STRINGS, "description": "Regexes of the appeals to check."},
        "exceptions": {**_STRINGS, "description": "Regexes; a match overlapping one is dropped."},
    }
    required_options = ("patterns",)
