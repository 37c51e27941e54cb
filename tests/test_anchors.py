"""Anchored pattern rules find what the unanchored rule finds, scanning far less text."""

from __future__ import annotations

from healthlint import readers
from healthlint.kinds.anchors import Anchors, doc_words
from healthlint.kinds.pattern import PatternKind
from healthlint.model import Severity
from healthlint.packs import Rule

PATTERNS = [r"\bbook\s+(?:your|a)\s+(?:free\s+)?(?:visit|consultation)\b", r"\bcall\s+us\b",
            r"[→»]"]


def rule(**options) -> Rule:
    return Rule(
        id="p.cta", pack="p", kind="pattern", category="product-plug", severity=Severity.WARNING,
        message="{match}", rationale="r", source="s", examples_flag=(), examples_pass=(),
        options={"patterns": PATTERNS, "negation": False, **options},
    )


TEXTS = [
    "Book your free consultation today, or call us. View the sleeve →",
    "Nothing to see here.\n\nAbout booking: a call usually lasts ten minutes.",
    "A long paragraph " + "of filler words " * 200 + "and then Call Us at the end.",
    "Recall us? Facebook your friends. Bookish people call usual suspects.",
]


def test_anchored_and_unanchored_rules_agree():
    plain = PatternKind(rule())
    anchored = PatternKind(rule(anchors=["book", "call", "→", "»"], anchor_window=60))
    for text in TEXTS:
        doc = readers.read("a.txt", text, "text")
        assert [f.text for f in anchored.check(doc)] == [f.text for f in plain.check(doc)]


def test_anchor_hits_are_whole_words_and_symbols():
    doc = readers.read("a.txt", "Recall the booking. Book now → call.", "text")
    a = Anchors(["book", "call", "→"])
    text = doc.prose.text
    assert sorted(text[h:h + 4] for h in a.hits(doc)) == ["Book", "call", "→ ca"]
    assert b"book" in doc_words(doc) and b"booking" in doc_words(doc)
    assert a.ranges([5, 10, 500], " " * 600) == [(0, 90), (420, 580)]
    # a window is widened to the end of the word it would cut
    assert Anchors(["call"], 10).ranges([0], "call usual") == [(0, 10)]
