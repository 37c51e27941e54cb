"""The `statistic` kind: quantitative claims about people or studies with no source nearby.

The rule supplies everything language-specific as YAML data:
  define          named regex fragments; a list becomes an alternation ("population": the
                  nouns that make "619 million people" a statistic). `{name}` in a later
                  definition or pattern is replaced by the fragment.
  statistics      what to report (percentages, "1 in 4", counts of people, fold changes...);
  not_statistics  what a statistic must not overlap ("100% natural", "Phase 3", "aged 65",
                  a model number, a discount);
  skip_blocks     block openings that start a part of the page with no claims to check
                  (an author's biography): the block is skipped, and so is the next one
                  when the opening is a short heading line.
The kind compiles one expression per rule and runs it once over the document's prose;
only its few matches are checked against the exclusions and for a source
(`healthlint.citations`): in the same sentence, or the same short block, list item,
table row or stat card. At most one finding per sentence: its first unsourced figure.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import ClassVar

from healthlint.citations import Strength, citations, cited, known_sources, row_of
from healthlint.kinds import Kind
from healthlint.model import Document, Finding
from healthlint.packs import Rule, RuleOptionError

_PLACEHOLDER = re.compile(r"\{([A-Za-z_]\w*)\}")
_STRINGS = {"type": "array", "items": {"type": "string", "minLength": 1}}
#: how far around a statistic its exclusions are looked for (characters)
_WINDOW = 60
#: a block this short that opens with a skip marker is a heading for the next block
_SKIP_HEADING_CHARS = 120


def expand(pattern: str, defs: Mapping[str, str], key: str) -> str:
    """`pattern` with each `{name}` replaced by its definition; `{2,3}` is left alone."""

    def sub(m: re.Match[str]) -> str:
        name = m.group(1)
        if name not in defs:
            known = ", ".join(sorted(defs)) or "none"
            raise RuleOptionError(key, f"unknown placeholder {{{name}}} (defined: {known})")
        return defs[name]

    return _PLACEHOLDER.sub(sub, pattern)


def build_definitions(raw: object) -> dict[str, str]:
    """The rule's `define` mapping as regex fragments, each expanded with the ones above it."""
    defs: dict[str, str] = {}
    if not raw:
        return defs
    for name, value in dict(raw).items():  # type: ignore[call-overload]
        if isinstance(value, str):
            body = value
        else:
            # longest first, so "adults" is tried before "adult"
            items = sorted((str(v) for v in value), key=len, reverse=True)
            body = "|".join(items)
        defs[name] = f"(?:{expand(body, defs, 'define')})"
    return defs


def _compile(sources: list[str], flags: int, key: str) -> re.Pattern[str] | None:
    if not sources:
        return None
    for i, src in enumerate(sources):
        try:
            re.compile(src, flags)
        except re.error as exc:
            raise RuleOptionError(key, f"pattern {i + 1} does not compile: {exc}: {src!r}") from None
    return re.compile("|".join(f"(?:{s})" for s in sources), flags)


class StatisticKind(Kind):
    name = "statistic"
    options: ClassVar[dict] = {
        "define": {
            "type": "object",
            "additionalProperties": {"anyOf": [{"type": "string", "minLength": 1}, _STRINGS]},
            "description": "Named regex fragments for {name} placeholders; a list is an alternation.",
        },
        "statistics": {**_STRINGS, "description": "Regexes of the figures to check."},
        "not_statistics": {**_STRINGS, "description": "Regexes; a figure overlapping one is not a statistic."},
        "skip_blocks": {**_STRINGS, "description": "Regexes matched at a block's start: skip it (and the "
                                                   "next block when it is a short heading line)."},
        "sources": {**_STRINGS, "description": "More names of sources (organisations, journals) that "
                                               "count as a named source."},
        "report": {"enum": ["uncited", "weak"],
                   "description": "uncited (default): figures with no source; weak: figures whose only "
                                  "source is named but not locatable (no link, marker or year)."},
        "case_sensitive": {"type": "boolean"},
    }
    required_options = ("statistics",)
    message_fields = ("match",)

    def __init__(self, rule: Rule) -> None:
        super().__init__(rule)
        opts = rule.options
        flags = 0 if opts.get("case_sensitive", False) else re.IGNORECASE
        defs = build_definitions(opts.get("define"))
        stats = [expand(p, defs, "statistics") for p in opts.get("statistics", ())]
        self.regex = _compile(stats, flags, "statistics")
        if self.regex is None:
            raise RuleOptionError("statistics", "a statistic rule needs at least one pattern")
        self.exclude = _compile(
            [expand(p, defs, "not_statistics") for p in opts.get("not_statistics", ())],
            flags,
            "not_statistics",
        )
        skips = [expand(p, defs, "skip_blocks") for p in opts.get("skip_blocks", ())]
        self.skip = _compile(skips, flags, "skip_blocks")
        self.known = known_sources(tuple(opts.get("sources", ())))
        self.want = Strength.WEAK if opts.get("report", "uncited") == "weak" else Strength.NONE
        self.scope = frozenset(rule.scope) if rule.scope else None

    def check(self, doc: Document) -> Iterator[Finding]:
        prose = doc.prose
        blocks = prose.blocks
        done: set[tuple[int, int]] = set()  # (block, segment start): one finding per sentence
        skipped: frozenset[int] | None = None
        text = prose.text
        search = self.regex.search
        pos = 0
        while (m := search(text, pos)) is not None:
            pos = m.end()
            index, start = prose.locate(m.start())
            block = blocks[index]
            end = start + (m.end() - m.start())
            if end > len(block.text):
                # ran across the gap between two blocks: look again from the next block
                if index + 1 >= len(blocks):
                    break
                pos = prose.starts[index + 1]
                continue
            if self.scope is not None:
                if block.scope not in self.scope:
                    continue
            elif block.scope == "front_matter":
                continue
            if skipped is None:
                skipped = self._skipped(doc)
            if index in skipped or self._excluded(block.text, start, end):
                continue
            index_of = citations(block, self.known)
            if index_of.inside_cue(start, end):
                continue  # the digits of a citation: "(Smith, 2021)", "[12]"
            segment = index_of.segment_at(start)
            key = (index, segment.start)
            if key in done:
                continue
            done.add(key)
            strength = cited(block, start, end, row_of(blocks, index), self.known)
            if strength is self.want:
                yield self.finding(doc, *block.source_span(start, end))

    def _excluded(self, text: str, start: int, end: int) -> bool:
        if self.exclude is None:
            return False
        for em in self.exclude.finditer(text, max(0, start - _WINDOW), min(len(text), end + _WINDOW)):
            if em.start() < end and start < em.end():
                return True
        return False

    def _skipped(self, doc: Document) -> frozenset[int]:
        """Blocks an author's biography (or another skip marker) covers."""
        if self.skip is None:
            return frozenset()
        prose = doc.prose
        out: set[int] = set()
        starts = set(prose.starts)
        for m in self.skip.finditer(prose.text):
            if m.start() not in starts:
                continue  # markers count only at the start of a block
            index, _ = prose.locate(m.start())
            out.add(index)
            if len(prose.blocks[index].text) <= _SKIP_HEADING_CHARS and index + 1 < len(prose.blocks):
                out.add(index + 1)
        return frozenset(out)
