"""Anchored matching: run an expensive expression only near words it cannot match without.

A regex alternation of a dozen phrases scans text at tens of MB/s in Python, whatever
the regex engine; finding a word with `str.find`, or testing it against the set of a
document's words, runs at C speed. A rule that lists its *anchors* (words, or symbols
such as "→", at least one of which every match contains) is therefore checked by
1. one membership test per anchor against the document's word set (built once per
   document and shared by every anchored rule),
2. `str.find` for the anchors present, keeping whole-word hits,
3. its expression run only over windows of `window` characters around the hits.
A match longer than the window around its anchor can be missed; phrase rules do not
write such matches.
"""

from __future__ import annotations

from healthlint.model import Document
from healthlint.vocabulary import vocabulary


def folded_text(doc: Document) -> str:
    """The document's prose in lower case, offsets equal to prose.text offsets when the
    lowering kept the length (it nearly always does)."""
    folded = doc.prose.folded
    return folded if folded is not None else doc.prose.text.lower()


def doc_words(doc: Document) -> set[bytes]:
    """The lower-cased words (\\w+) of the document's prose as UTF-8 bytes, computed once
    per document (the vocabulary's word set)."""
    return vocabulary(doc).set


class Anchors:
    """A rule's anchors: ASCII words matched as whole words case-blind, and symbols
    (anything else) matched as substrings."""

    __slots__ = ("words", "symbols", "window", "_keys")

    def __init__(self, anchors, window: int = 80) -> None:
        words, symbols = [], []
        for a in anchors:
            a = a.lower()
            if a.isascii() and a.replace("_", "a").isalnum():
                words.append(a)
            else:
                symbols.append(a)
        self.words = tuple(sorted(set(words)))
        self.symbols = tuple(sorted(set(symbols)))
        self.window = window
        self._keys = tuple((w, w.encode()) for w in self.words)

    def hits(self, doc: Document) -> list[int]:
        """Offsets (in prose.text) of whole-word anchor occurrences."""
        present = doc_words(doc)
        folded = folded_text(doc)
        out: list[int] = []
        n = len(folded)
        for a, key in self._keys:
            if key not in present:
                continue
            find = folded.find
            i = find(a)
            size = len(a)
            while i >= 0:
                j = i + size
                if (i == 0 or not folded[i - 1].isalnum()) and (j >= n or not folded[j].isalnum()):
                    out.append(i)
                i = find(a, j)
        for s in self.symbols:
            i = folded.find(s)
            while i >= 0:
                out.append(i)
                i = folded.find(s, i + len(s))
        return out

    def ranges(self, hits: list[int], text: str) -> list[tuple[int, int]]:
        """Merged windows around `hits` in `text`. A window never ends inside a word: a
        regex sees its end as the end of the text, so "us\\b" would match in "usual"."""
        if not hits:
            return []
        hits.sort()
        w = self.window
        length = len(text)
        out: list[list[int]] = []
        for h in hits:
            s, e = max(0, h - w), min(length, h + w)
            if out and s <= out[-1][1]:
                out[-1][1] = max(out[-1][1], e)
            else:
                out.append([s, e])
        for r in out:
            e = r[1]
            while e < length and text[e].isalnum():
                e += 1
            r[1] = e
        return [(s, e) for s, e in out]
