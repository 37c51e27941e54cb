"""Content-anchored finding fingerprints, shared by the baseline, SARIF and GitLab outputs.

A fingerprint must survive edits elsewhere in the file (lines inserted above move every
line number) yet tell two different claims apart. It is a hash of

    rule id | repository-relative path | matched text, case- and whitespace-folded | context

where the context is up to CONTEXT_WORDS words either side of the match on its own source
line(s), case-folded, with punctuation and markup stripped from each word (so bolding a
claim keeps its fingerprint). Line numbers are never part of it. Two identical claims in
one file with the same context share a fingerprint; `number` tells them apart by their
order in the file.

The context is taken when the finding is made (`model.make_finding`), while the source is
at hand, and travels on `Finding.context`.
"""

from __future__ import annotations

import string
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from healthlint.model import Finding

#: the version tag in SARIF partialFingerprints; bump when the recipe changes
KEY = "healthlint/v1"
CONTEXT_WORDS = 4
# Look no further than this many characters either side: four words fit, and a minified
# HTML file is one long line. Every finding of a run pays for this, so it stays small.
_WINDOW = 64
# Stripped from both ends of each word ("**balm**," is the word "balm").
_PUNCTUATION = string.punctuation + "“”‘’«»„‹›—–…·•"


def normalise(text: str) -> str:
    """Case-folded, with every run of whitespace made one space."""
    return " ".join(text.casefold().split())


def context(source: str, start: int, end: int) -> str:
    """The words around source[start:end] on its line(s): 'before words|after words'."""
    lo = max(0, start - _WINDOW)
    newline = source.rfind("\n", lo, start)
    cut_before = newline < 0 and lo > 0
    if newline >= 0:
        lo = newline + 1
    hi = min(len(source), end + _WINDOW)
    newline = source.find("\n", end, hi)
    cut_after = newline < 0 and hi < len(source)
    if newline >= 0:
        hi = newline
    before = source[lo:start].split()
    after = source[end:hi].split()
    # A window cut mid-line may cut a word: drop the possibly partial one.
    if cut_before and before:
        del before[0]
    if cut_after and after:
        after.pop()
    before = _words(before[-CONTEXT_WORDS - 2 :])[-CONTEXT_WORDS:]
    after = _words(after[: CONTEXT_WORDS + 2])[:CONTEXT_WORDS]
    return f"{' '.join(before)}|{' '.join(after)}".casefold()


def _words(tokens: list[str]) -> list[str]:
    return [w for w in (t.strip(_PUNCTUATION) for t in tokens) if w]


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
