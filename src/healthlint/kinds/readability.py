"""The `readability` kind: Flesch-Kincaid grade per document or paragraph, long sentences.

    FKGL = 0.39 * words / sentences + 11.8 * syllables / words - 15.59

Syllables are counted by a rule-based estimator (`syllables` below), not by textstat:
textstat 0.7.8 loads the CMU dictionary on first use (about 1 s) and then needs about
7 s for the 2,000-article benchmark corpus, half the whole budget for every pack. The
estimator agrees with the CMU dictionary on about 96% of running words of health prose
and is unbiased to within 0.02 syllables a word, which moves a grade by under 0.3; the
test suite checks it against textstat on paragraphs written for the purpose.

For the grade, sentences are counted by their end punctuation (a list item without a
full stop is one sentence), which is five times cheaper than splitting them and
differs only at abbreviations; the `sentence` unit, which reports a sentence's span,
uses the project's splitter (`Block.sentences`). All rules of this kind share one
count per document (`_stats`), so turning on the three rules costs one pass.

Severity: a unit above `max_grade` gets the rule's severity, one above `target_grade`
(but not `max_grade`) gets info; the `sentence` unit reports sentences longer than
`max_words` at the rule's severity.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import ClassVar

from healthlint.kinds import Kind
from healthlint.kinds._doclevel import title_span
from healthlint.model import Block, Document, Finding, Severity
from healthlint.packs import Rule, RuleOptionError

# ASCII letters: three times faster than Unicode classes, and the syllable rules are
# English ones anyway.
_WORD = re.compile(r"[A-Za-z]+(?:['’][A-Za-z]+)*")
# A sentence end for counting (the grade needs how many, not where): terminal
# punctuation and closers before whitespace or the end.
_SENTENCE_END = re.compile(r"[.!?…]+[\"'”’)\]]*(?=\s|$)")
_VOWEL_RUNS = re.compile(r"[aeiouy]+")
# vowel pairs read as two syllables ("-ia", "-io", "-eo"), but not in "-tion", "-cial", "qua"
_HIATUS = re.compile(r"(?<![tcsgxq])(?:i[aou]|eo|uo)|(?<=[tcs])i[aou](?=[^nlsu]|$)|(?<![gq])ua")
_SILENT_INNER_E = re.compile(r"(?<=[^aeiouy])e(?=(?:ments?|ly|ness|ful|less|ty|ties)$)")
_KEEP_ES = re.compile(r"(?:[cs]h|[sxzcg]|[^aeiouy]l)es$")
_EXTRA_END = re.compile(r"[aeiou]ing$|[^aeiouyl]ling$|[aeiouy]sms?$")

@lru_cache(maxsize=100_000)
def syllables(word: str) -> int:
    """Estimated syllables of one word (an all-capitals acronym is spelled out)."""
    if word.isupper() and len(word) <= 5:
        return len(word) + 2 * word.count("W")
    w = word.lower().replace("’", "'")
    if len(w) <= 3:
        return 1
    w = _SILENT_INNER_E.sub("", w)
    if w.endswith("es"):
        if not _KEEP_ES.search(w):
            w = w[:-2]
    elif w.endswith("ed"):
        if len(w) > 3 and w[-3] not in "td":
            w = w[:-2]
    elif w.endswith("e") and not w.endswith(("le", "ee", "ie", "ye")):
        w = w[:-1]
    n = len(_VOWEL_RUNS.findall(w)) + len(_HIATUS.findall(w)) + bool(_EXTRA_END.search(w))
    return max(1, n)


@dataclass(frozen=True, slots=True)
class Counts:
    words: int
    sentences: int
    syllables: int

    @property
    def grade(self) -> float:
        if not self.words or not self.sentences:
            return 0.0
        return 0.39 * self.words / self.sentences + 11.8 * self.syllables / self.words - 15.59


def sentence_count(text: str) -> int:
    """Sentences in `text`, counted by their ends; text after the last end is one more."""
    tail = text.rstrip()
    n = 0
    last = -1
    for m in _SENTENCE_END.finditer(tail):
        n += 1
        last = m.end()
    return n if last == len(tail) else n + 1


def count(text: str) -> Counts:
    """Word, sentence and syllable counts of a prose text."""
    words = _WORD.findall(text)
    return Counts(len(words), sentence_count(text), sum(map(syllables, words)))


def grade(text: str) -> float:
    """Flesch-Kincaid grade of a prose text."""
    return count(text).grade


_PROSE = ("paragraph", "list_item", "blockquote")

# One document's per-block counts, shared by every readability rule of a run: the
# engine runs all rules on a document before the next, so one slot suffices.
_last: tuple[Document, frozenset[str], tuple[tuple[Block, Counts], ...]] | None = None


def _stats(doc: Document, scope: frozenset[str]) -> tuple[tuple[Block, Counts], ...]:
    global _last
    if _last is not None and _last[0] is doc and _last[1] == scope:
        return _last[2]
    stats = tuple((b, count(b.text)) for b in doc.blocks if b.scope in scope)
    _last = (doc, scope, stats)
    return stats


class ReadabilityKind(Kind):
    name = "readability"
    options: ClassVar[dict] = {
        "unit": {"enum": ["document", "paragraph", "sentence"],
                 "description": "What is measured and reported (default document)."},
        "target_grade": {"type": "number", "minimum": 0,
                         "description": "Above this grade: info (default 8)."},
        "max_grade": {"type": "number", "minimum": 0,
                      "description": "Above this grade: the rule's severity (default 10)."},
        "min_words": {"type": "integer", "minimum": 1,
                      "description": "Units with fewer words are not graded "
                                     "(default 100 for a document, 40 for a paragraph)."},
        "max_words": {"type": "integer", "minimum": 1,
                      "description": "unit sentence: longer sentences are reported (default 25)."},
    }
    message_fields = ("match", "grade", "words", "sentences", "target_grade", "max_grade",
                      "max_words")

    def __init__(self, rule: Rule) -> None:
        super().__init__(rule)
        opts = rule.options
        self.unit = opts.get("unit", "document")
        self.target = float(opts.get("target_grade", 8))
        self.max = float(opts.get("max_grade", 10))
        if self.max < self.target:
            raise RuleOptionError("max_grade", "max_grade must not be below target_grade")
        self.min_words = int(opts.get("min_words", 100 if self.unit == "document" else 40))
        self.max_words = int(opts.get("max_words", 25))
        self.scope_set = frozenset(rule.scope) if rule.scope else frozenset(_PROSE)

    def _severity(self, value: float) -> Severity | None:
        if value > self.max:
            return self.rule.severity
        if value > self.target:
            return Severity.INFO
        return None

    def _fields(self, c: Counts) -> dict:
        return {"grade": f"{c.grade:.1f}", "words": c.words, "sentences": c.sentences,
                "target_grade": f"{self.target:g}", "max_grade": f"{self.max:g}",
                "max_words": self.max_words}

    def check(self, doc: Document) -> Iterator[Finding]:
        if self.unit == "sentence":
            yield from self._sentences(doc)
            return
        stats = _stats(doc, self.scope_set)
        if self.unit == "paragraph":
            for block, c in stats:
                if c.words >= self.min_words:
                    severity = self._severity(round(c.grade, 1))
                    if severity is not None:
                        yield self.finding(doc, *block.source_span(0, len(block.text)),
                                           severity=severity, **self._fields(c))
            return
        total = Counts(sum(c.words for _, c in stats), sum(c.sentences for _, c in stats),
                       sum(c.syllables for _, c in stats))
        if total.words < self.min_words:
            return
        severity = self._severity(round(total.grade, 1))
        span = title_span(doc)
        if severity is not None and span is not None:
            yield self.finding(doc, *span, severity=severity, **self._fields(total))

    def _sentences(self, doc: Document) -> Iterator[Finding]:
        for block in doc.blocks:
            if block.scope not in self.scope_set:
                continue
            text = block.text
            if text.count(" ") + text.count("\n") < self.max_words:  # too short for a long one
                continue
            for start, end in block.sentences():
                words = len(_WORD.findall(text, start, end))
                if words > self.max_words:
                    yield self.finding(doc, *block.source_span(start, end), words=words,
                                       max_words=self.max_words)
