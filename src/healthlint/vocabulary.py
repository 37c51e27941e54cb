"""The words of a document, for prefilters that ask about many words at once.

A rule runs its expensive regex only on documents that contain one of its trigger
words. Asked as a substring test, each trigger word costs a scan of the whole text
(about 8 µs for a 12 KB article), and a few packs with hundreds of trigger words pay
that hundreds of times per file. The sorted set of a document's words is built once
per document (about 0.5 ms) and answers "does any word start with X?" by binary
search in well under a microsecond.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable

from healthlint.model import Document

_WORD = re.compile(r"\w+")


class Vocabulary:
    """The distinct lower-case words (runs of letters, digits and "_") of a text."""

    __slots__ = ("words",)

    def __init__(self, folded: str) -> None:
        # Splitting on whitespace is C-fast; only the distinct tokens that hold
        # punctuation ("knee-brace", "pain.") are split again. Three times faster than
        # one findall over the text, with the same words.
        words: set[str] = set()
        add, update, split = words.add, words.update, _WORD.findall
        for token in set(folded.split()):
            if token.isalnum():
                add(token)
            else:
                update(split(token))
        self.words = sorted(words)

    def has_prefix(self, prefix: str) -> bool:
        """Whether some word starts with `prefix` (lower case, one word)."""
        words = self.words
        i = bisect.bisect_left(words, prefix)
        return i < len(words) and words[i].startswith(prefix)

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
