"""Sentence splitting for rules that need sentence scope."""

from __future__ import annotations

import re

# A sentence ends at . ! ? (and closing quotes/brackets) followed by space and an
# upper-case letter, digit or opening quote, unless the dot ends a known abbreviation.
_BOUNDARY = re.compile(r"[.!?]+[\"'”’)\]]*\s+(?=[\"'“‘(\[]?[A-Z0-9])")
_ABBREV = re.compile(r"(?:\b(?:e\.g|i\.e|Dr|Mr|Mrs|Ms|Prof|St|vs|etc|al|approx|Fig|No|U\.S|U\.K|Inc|Ltd|Jr|Sr)|\b[A-Z])\.$")


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Half-open spans of the sentences of `text`, whitespace trimmed."""
    spans = []
    start = 0
    for m in _BOUNDARY.finditer(text):
        if _ABBREV.search(text, 0, m.start() + 1) and m.group().startswith("."):
            continue
        spans.append((start, m.start() + len(m.group().rstrip())))
        start = m.end()
    if start < len(text):
        spans.append((start, len(text.rstrip())))
    return [(s, e) for s, e in spans if e > s]
