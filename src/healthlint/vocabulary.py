"""The words of a document, for prefilters that ask about many words at once.

A rule runs its expensive regex only on documents that contain one of its trigger
words. Asked as a substring test, each trigger word costs a scan of the whole text
(about 8 µs for a 12 KB article), and a few packs with hundreds of trigger words pay
that hundreds of times per file. The set of a document's words, built once per
document (about 0.3 ms), answers "is X a word here?" at once, and its sorted list
answers "does any word start with X?" by binary search in well under a microsecond.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable

from healthlint.cache import re_compile
from healthlint.model import Document

_WORD = re_compile(r"\w+")
# UTF-8 bytes that are not ASCII letters, digits or "_" become spaces; the bytes of
# non-ASCII characters stay, and the few tokens holding them are split again with \w+.
_KEEP = bytes(
    c if (48 <= c <= 57 or 65 <= c <= 90 or 97 <= c <= 122 or c == 95 or c >= 128) else 32
    for c in range(256)
)


class Vocabulary:
    """The distinct lower-case words (\\w+ runs: letters, digits and "_") of a text, as
    UTF-8 bytes (which sort and compare prefixes as their characters do)."""

    __slots__ = ("set", "words")

    def __init__(self, folded: str) -> None:
        # translate + split run at C speed over the whole text: twice as fast as
        # splitting on whitespace and then on punctuation, and the same words.
        raw = folded.encode("utf-8", "replace")
        tokens = set(raw.translate(_KEEP).split())
        if not raw.isascii():
            odd = [t for t in tokens if not t.isascii()]
            tokens.difference_update(odd)
            for t in odd:
                tokens.update(w.encode() for w in _WORD.findall(t.decode("utf-8", "replace")))
        #: every word, for whole-word tests
        self.set: set[bytes] = tokens
        #: every word, sorted, for prefix tests
        self.words: list[bytes] = sorted(tokens)

    def has_prefix(self, prefix: str) -> bool:
        """Whether some word starts with `prefix` (lower case, one word)."""
        words = self.words
        p = prefix.encode()
        i = bisect.bisect_left(words, p)
        return i < len(words) and words[i].startswith(p)

    def present(self, prefixes: Iterable[str]) -> list[str]:
        """The prefixes that start some word."""
        return [p for p in prefixes if self.has_prefix(p)]


# The engine runs every rule on one document before the next, so one slot is enough.
_last: tuple[Document, Vocabulary] | None = None


def vocabulary(doc: Document) -> Vocabulary:
    """The vocabulary of a document's prose, built once and shared by all rules."""
    global _last
    if _last is not None and _last[0] is doc:
        return _last[1]
    prose = doc.prose
    vocab = Vocabulary(prose.folded if prose.folded is not None else prose.text.lower())
    _last = (doc, vocab)
    return vocab
