"""Content-anchored finding fingerprints, shared by the baseline, SARIF and GitLab outputs.

A fingerprint must survive edits elsewhere in the file (lines inserted above move every
line number) yet tell two different claims apart. It is a hash of

    rule id | repository-relative path | matched text, case- and whitespace-folded | context

where the context is up to CONTEXT_WORDS words either side of the match on its own source
line(s), case-folded (markup punctuation is not a word, so bolding a claim keeps its
fingerprint). Line numbers are never part of it. Two identical claims in one file with the
same context share a fingerprint; `number` tells them apart by their order in the file.

The context is taken when the finding is made (`model.make_finding`), while the source is
at hand, and travels on `Finding.context`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from healthlint.model import Finding

#: the version tag in SARIF partialFingerprints; bump when the recipe changes
KEY = "healthlint/v1"
CONTEXT_WORDS = 4
# Look no further than this many characters either side: a minified HTML file is one line.
_WINDOW = 160
_WORD = re.compile(r"\w+")


def normalise(text: str) -> str:
    """Case-folded, with every run of whitespace made one space."""
    return " ".join(text.casefold().split())


def context(source: str, start: int, end: int) -> str:
    """The words around source[start:end] on its line(s): 'before words|after words'."""
    line_start = source.rfind("\n", 0, start) + 1
    line_end = source.find("\n", end)
    if line_end < 0:
        line_end = len(source)
    lo = max(line_start, start - _WINDOW)
    hi = min(line_end, end + _WINDOW)
    before = _WORD.findall(source, lo, start)
    after = _WORD.findall(source, end, hi)
    # A window cut mid-line may cut a word: drop the possibly partial one.
    if lo > line_start and before:
        before.pop(0)
    if hi < line_end and after:
        after.pop()
    words_before = " ".join(before[-CONTEXT_WORDS:]).casefold()
    words_after = " ".join(after[:CONTEXT_WORDS]).casefold()
    return f"{words_before}|{words_after}"


def fingerprint(rule: str, path: str, text: str, ctx: str) -> str:
    import hashlib

    data = "\x1f".join((KEY, rule, path, normalise(text), ctx))
    return hashlib.sha256(data.encode("utf-8")).hexdigest()[:32]


class Keyed(NamedTuple):  # a NamedTuple: every run imports this module, and it is cheap
    """A finding with its repository-relative path, fingerprint and occurrence number."""

    finding: Finding
    path: str
    fingerprint: str
    number: int  # 1 for the first finding with this fingerprint in file order, 2 for the next…

    @property
    def unique(self) -> str:
        """Unique within a run and stable across runs: the fingerprint and occurrence."""
        return f"{self.fingerprint}:{self.number}"


def keyed(findings: Iterable[Finding], root: Path) -> Iterator[Keyed]:
    """Fingerprint `findings` (in file order, so occurrence numbers follow the text)."""
    from healthlint.model import Finding
    from healthlint.repo import relative

    seen: dict[str, int] = {}
    for f in sorted(findings, key=Finding.sort_key):
        path = relative(f.path, root)
        fp = fingerprint(f.rule, path, f.text, f.context)
        seen[fp] = number = seen.get(fp, 0) + 1
        yield Keyed(f, path, fp, number)
