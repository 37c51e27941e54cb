"""The `repetition` kind: a block that repeats an earlier one, in one file or across files.

A *unit* is a block of at least `min_words` words, and also each line of a block that
spans several lines (a title line glued to an image caption, a line of a hard-wrapped
paragraph), because a pasted line is what editors see repeated. Units are compared as
word sequences with case, whitespace and punctuation folded away.

- exact: the folded word sequences are equal (one hash-map lookup per unit);
- near: the longest common subsequence of the two word sequences covers at least
  `near_ratio` of the longer one ("90% of its words, in the same order"), so a title
  with a prefix ("Article: <title>" then "<title>") matches, while a short sentence
  quoted inside a long paragraph does not.

Near candidates are found without comparing all pairs, by prefix filtering (Chaudhuri
et al. 2006; Bayardo et al. 2007): if X and Y are near, at most floor((1 - r) * |X|)
of X's distinct words are missing from Y, so under any fixed order of words the first
floor((1 - r) * |X|) + 1 distinct words of X and of Y share a word. The order is the
words' hash (very common words left out), each unit indexes only those few words,
keyed also by a logarithmic length band so units too different in length never meet;
only units meeting in the index and sharing enough distinct words are verified, with a
bit-parallel LCS (Hyyro 2004) that costs one big-integer step per word. Recall is
exact: no near pair is missed.

Across files only exact repeats are matched: `digest` keeps one 64-bit hash per unit
(plus where it is), `across` groups the hashes of every file in one dictionary, so the
work is linear in the corpus. The first file (in run order) holding a paragraph is not
reported; each later file gets one finding naming the first file and how many others
share it.
"""

from __future__ import annotations

import math
import re
import weakref
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import ClassVar

from healthlint.cache import re_compile
from healthlint.kinds import Kind
from healthlint.model import Block, Document, Finding
from healthlint.packs import Rule, RuleOptionError

try:  # hashlib.blake2b is this very function; importing hashlib loads OpenSSL (~3 ms)
    from _blake2 import blake2b
except ImportError:  # pragma: no cover - other Pythons
    from hashlib import blake2b

_WORD = re_compile(r"\w+")


@dataclass(frozen=True, slots=True)
class Unit:
    """A block, or a line of a block, long enough to count, with its folded words.

    Positions stay in block coordinates (block index, text offsets) until a unit is
    reported: most units never are, and mapping to the source costs a bisect.
    """

    block: int  # index into the document's blocks
    s: int  # half-open span in that block's text
    e: int
    words: tuple[bytes, ...]  # folded; equal tuples are exact repeats

    def source_span(self, doc: Document) -> tuple[int, int]:
        return doc.blocks[self.block].source_span(self.s, self.e)


@dataclass(frozen=True, slots=True)
class Repeat:
    """`later` repeats `first` (unit indexes); ratio is 1.0 for an exact repeat."""

    later: int
    first: int
    exact: bool
    ratio: float


class Analysis:
    """A document's units, and their repeats computed on first use."""

    __slots__ = ("units", "near_ratio", "_repeats")

    def __init__(self, units: tuple[Unit, ...], near_ratio: float) -> None:
        self.units = units
        self.near_ratio = near_ratio
        self._repeats: tuple[Repeat, ...] | None = None

    @property
    def repeats(self) -> tuple[Repeat, ...]:
        if self._repeats is None:
            self._repeats = tuple(find_repeats(list(self.units), self.near_ratio))
        return self._repeats


# Digest of one file for the cross-file pass: (path, ((hash, start, end, line, column,
# end_line, end_column, text), ...)). Plain tuples pickle small and fast.
DigestUnit = tuple[bytes, int, int, int, int, int, int, str]
Digest = tuple[str, tuple[DigestUnit, ...]]


# Every byte that is not an ASCII letter, digit or "_" becomes a space.
_ASCII_WORDS = bytes(c if chr(c).isalnum() and c < 128 or c == 95 else 32 for c in range(256))


def fold(text: str) -> list[bytes]:
    """The words of `text` (as \\w+ finds them) lower-cased, as UTF-8 bytes.

    Case, whitespace and punctuation fold away. ASCII text, the common case, takes a
    C-speed path (translate and split) twice as fast as a regex; bytes compare and hash
    like strings, and the cross-file digest hashes them without encoding again.
    """
    low = text.lower()
    if low.isascii():
        return low.encode().translate(_ASCII_WORDS).split()
    words = _WORD.findall(low)
    return "\0".join(words).encode().split(b"\0") if words else []


def lcs_length(a: Iterable, b: Iterable) -> int:
    """Length of the longest common subsequence of two word sequences.

    Bit-parallel (Hyyro 2004): bit i of `v` is 0 once a[i] has been matched; each word
    of `b` updates all of `a` at once with one addition on Python's big integers.
    """
    a = list(a)
    masks: dict = {}
    for i, word in enumerate(a):
        masks[word] = masks.get(word, 0) | (1 << i)
    full = (1 << len(a)) - 1
    v = full
    for word in b:
        m = masks.get(word)
        if m:
            u = v & m
            v = ((v + u) | (v - u)) & full
    return len(a) - bin(v).count("1")


# Common non-ASCII punctuation and symbols; all of it is \\W, so turning it into spaces
# keeps the words \\w+ finds, and most documents then take the one-pass path below.
_PUNCT = (
    "\u2014\u2013\u2010\u2011\u2019\u2018\u201c\u201d\u2026\u2022\u00a0\u2192\u2190"
    "\u00b7\u00d7\u00b0\u2212\u2265\u2264\u00b1\u2714\u2713\u2122\u00ae\u00a9\u00ab\u00bb"
)
# Like _ASCII_WORDS, but line ends survive, so block and line breaks can be split on.
_ASCII_WORDS_NL = bytes(b if c != 10 else 10 for c, b in enumerate(_ASCII_WORDS))
# ... and bytes of non-ASCII characters stay word bytes (for text whose only non-ASCII
# characters are letters and digits, such as "β" or "²").
_UTF8_WORDS_NL = bytes(b if c < 128 else c for c, b in enumerate(_ASCII_WORDS_NL))
_NON_ASCII_NON_WORD = re_compile(r"[^\x00-\x7f\w]")


def units_of(blocks: Sequence[Block | None], min_words: int, exceptions=None) -> list[Unit]:
    """The units of `blocks` in text order (a block before the lines inside it).

    `blocks` are the document's blocks, in order; None stands for a block the rule
    does not read. `exceptions`, a compiled regex or None, drops the units it matches.
    """
    chosen = [(bi, b) for bi, b in enumerate(blocks) if b is not None]
    folded = _fold_blocks([b.text for _, b in chosen])
    units: list[Unit] = []
    for (bi, block), piece in zip(chosen, folded, strict=True):
        if len(piece) == 1:
            words = piece[0]
            if len(words) >= min_words:
                units.append(Unit(bi, 0, len(block.text), tuple(words)))
            continue
        lines = []
        pos = 0
        every: list[bytes] = []
        for line, words in zip(block.text.split("\n"), piece, strict=True):
            every += words
            if len(words) >= min_words:
                lead = len(line) - len(line.lstrip())
                lines.append(Unit(bi, pos + lead, pos + len(line.rstrip()), tuple(words)))
            pos += len(line) + 1
        if len(every) >= min_words:
            units.append(Unit(bi, 0, len(block.text), tuple(every)))
        # a line holding all of the block's words is the block itself
        units.extend(u for u in lines if len(u.words) < len(every))
    if exceptions is not None:
        units = [u for u in units if not exceptions.search(blocks[u.block].text, u.s, u.e)]
    return units


def _fold_blocks(texts: list[str]) -> list[list[list[bytes]]]:
    """fold() of every line of every text: texts -> lines -> words.

    One pass over the whole document when it is ASCII once common punctuation is
    blanked (the usual case), else block by block.
    """
    joined = "\n\n".join(texts).lower()
    for ch in _PUNCT:
        if ch in joined:
            joined = joined.replace(ch, " ")
    if joined.isascii():
        table = _ASCII_WORDS_NL
    elif not _NON_ASCII_NON_WORD.search(joined):
        table = _UTF8_WORDS_NL
    else:
        table = None
    if table is not None and "\n\n\n" not in joined:
        pieces = joined.encode().translate(table).split(b"\n\n")
        if len(pieces) == len(texts) and all(
            p.count(b"\n") == t.count("\n")
            for p, t in zip(pieces, texts, strict=True)
            if b"\n" in p or "\n" in t
        ):
            return [[line.split() for line in p.split(b"\n")] for p in pieces]
    return [[fold(line) for line in t.split("\n")] for t in texts]


# Very common words never serve as index keys: they would put most units in one bucket.
_STOP = frozenset(
    w.encode()
    for w in (
        "a an the and or but if of to in on at by for with from as is are was were be been "
        "being it its this that these those there their they them he she his her we our you "
        "your i my me not no can may might will would should could do does did have has had "
        "so than then also more most such into over under about after before between through "
        "which who whom what when where why how all any each other some many much very s t"
    ).split()
)


_STOP_HASHES = frozenset(map(hash, _STOP))


def find_repeats(
    units: Sequence[Unit], near_ratio: float | None, stats: dict | None = None
) -> list[Repeat]:
    """Each unit that repeats an earlier, non-overlapping one; the earliest match wins.

    `units` must be in text order. Near candidates come from prefix filtering (see the
    module note) over each unit's distinct content words ordered by their hash: if at
    most k of X's distinct words are missing from Y, the common word of smallest hash is
    among the first k + 1 of X and of Y. Sorting plain ints keeps this in C. A unit with
    k or fewer content words has no such guarantee and is compared with every unit of
    its length band instead (such units are rare). `stats`, if given, counts candidate
    pairs and LCS verifications.
    """
    by_key: dict[tuple[bytes, ...], list[int]] = {}
    index: dict[int, list[int]] = {}
    reported: list[Unit] = []
    repeats: list[Repeat] = []
    near = near_ratio is not None and near_ratio < 1.0
    if near:
        slack = 1.0 - near_ratio
        longest = max((len(u.words) for u in units), default=1)
        # most of a unit's distinct words a near match may lack, by unit length
        lacking = [int(slack * k + 1e-9) for k in range(longest + 1)]
        # Index by word hash and length band: two units whose lengths differ by more
        # than the ratio allows sit in bands at least two apart and never meet.
        step = -math.log(near_ratio)
        band = [0] + [int(math.log(k) / step) for k in range(1, longest + 1)]
        sets: dict[int, set[int]] = {}
        by_band: dict[int, list[int]] = {}
        loose: list[int] = []  # units without enough content words to index
        get = index.get
    for i, u in enumerate(units):
        if reported and _inside(u, reported):
            continue
        words = u.words
        same = by_key.get(words)
        if same is None:
            by_key[words] = [i]
        else:
            first = next((j for j in same if not _overlap(u, units[j])), None)
            same.append(i)
            if first is not None:
                repeats.append(Repeat(i, first, True, 1.0))
                reported.append(u)
                continue
        if not near:
            continue
        n = len(words)
        missing = lacking[n]
        b = band[n]
        # distinct content words, as their hashes: a collision can only add a candidate
        mine = sets[i] = set(map(hash, words)) - _STOP_HASHES
        candidates: list[int] = list(loose)
        if len(mine) > missing:
            prefix = sorted(mine)[: missing + 1] if missing else (min(mine),)
            for h in prefix:
                k = h * 4096 + b
                below = get(k - 1)
                if below:
                    candidates += below
                above = get(k + 1)
                if above:
                    candidates += above
                here = get(k)
                if here:
                    candidates += here
                    here.append(i)
                else:
                    index[k] = [i]
        else:
            for bb in (b - 1, b, b + 1):
                candidates += by_band.get(bb, ())
            loose.append(i)
        by_band.setdefault(b, []).append(i)
        if not candidates:
            continue
        best: tuple[int, float] | None = None
        unique = sorted(set(candidates))
        for j in unique:
            other = units[j]
            m = len(other.words)
            if j == i or min(n, m) < near_ratio * max(n, m) - 1e-9 or _overlap(u, other):
                continue
            theirs = sets[j]
            shared = len(mine & theirs)
            if shared < len(mine) - missing or shared < len(theirs) - lacking[m]:
                continue
            if stats is not None:
                stats["verified"] = stats.get("verified", 0) + 1
            ratio = lcs_length(other.words, words) / max(n, m)
            if ratio + 1e-9 >= near_ratio:
                best = (j, ratio)
                break  # candidates are in text order: this is the earliest match
        if stats is not None:
            stats["candidates"] = stats.get("candidates", 0) + len(unique)
        if best is not None:
            repeats.append(Repeat(i, best[0], False, best[1]))
            reported.append(u)
    return repeats


def _overlap(a: Unit, b: Unit) -> bool:
    return a.block == b.block and a.s < b.e and b.s < a.e


def _inside(u: Unit, spans: list[Unit]) -> bool:
    # A line inside an already reported block; reported units are few per document.
    return any(r.block == u.block and r.s <= u.s and u.e <= r.e for r in spans)


# The two within-file rules (exact, near) and the cross-file one share one analysis per
# document; the engine runs all rules on a document before the next, so one entry does.
_cache: list = [None, None, None]  # [weakref to doc, options key, Analysis]


class RepetitionKind(Kind):
    name = "repetition"
    options: ClassVar[dict] = {
        "min_words": {"type": "integer", "minimum": 2, "maximum": 200,
                      "description": "Shortest block or line that counts (default 8 words)."},
        "near_ratio": {"type": "number", "minimum": 0.5, "maximum": 1,
                       "description": "Share of the longer block's words that must recur in "
                                      "order for a near repeat (default 0.9)."},
        "report": {"enum": ["exact", "near"],
                   "description": "exact: verbatim repeats after folding case, spaces and "
                                  "punctuation (default); near: only the nearly-equal ones."},
        "across_files": {"type": "boolean",
                         "description": "true: report paragraphs that recur in other files "
                                        "of the run instead of within one file."},
        "exceptions": {"type": "array", "items": {"type": "string", "minLength": 1},
                       "description": "Regexes; a block or line matching one is never "
                                      "reported (a disclaimer repeated on purpose)."},
        "max_per_file": {"type": "integer", "minimum": 0,
                         "description": "At most this many findings per file, the first in "
                                        "the file; the last one shown says how many more "
                                        "there are (default 0: no limit)."},
    }
    message_fields = ("match", "first_line", "first_column", "similarity", "words",
                      "other_path", "other_line", "other_files", "more")

    def __init__(self, rule: Rule) -> None:
        super().__init__(rule)
        opts = rule.options
        self.min_words = int(opts.get("min_words", 8))
        self.near_ratio = float(opts.get("near_ratio", 0.9))
        self.report = opts.get("report", "exact")
        self.across_files = bool(opts.get("across_files", False))
        #: read by the runner, which caps the findings after the filters (so a suppressed
        #: finding never takes one of the places)
        self.max_per_file = int(opts.get("max_per_file", 0))
        patterns = list(opts.get("exceptions", ()))
        for i, pat in enumerate(patterns):
            try:
                re_compile(pat)
            except re.error as exc:
                raise RuleOptionError(
                    "exceptions", f"exception {i + 1} does not compile: {exc}: {pat!r}"
                ) from None
        self.exceptions = (
            re_compile("|".join(f"(?:{p})" for p in patterns), re.IGNORECASE) if patterns else None
        )
        # Searching every document with a case-blind regex is slow (0.8 s on 25 MB); a
        # literal every match must contain rules out almost all documents first.
        self.exception_words: tuple[str, ...] | None = None
        if patterns:
            from healthlint.kinds.pattern import required_literals

            words: set[str] = set()
            for p in patterns:
                lits = required_literals(p)
                if lits is None:
                    words = set()
                    break
                words.update(lits)
            self.exception_words = tuple(sorted(words)) or None
        self.scope = frozenset(rule.scope) if rule.scope else None
        self._key = (self.min_words, self.near_ratio, tuple(patterns), rule.scope)

    # ---- within one file -------------------------------------------------------------

    def analyse(self, doc: Document) -> Analysis:
        ref, key, result = _cache
        if ref is not None and ref() is doc and key == self._key:
            return result
        if self.scope is None:
            blocks = [b if b.scope != "front_matter" else None for b in doc.blocks]
        else:
            blocks = [b if b.scope in self.scope else None for b in doc.blocks]
        exceptions = self.exceptions
        if exceptions is not None and self.exception_words is not None:
            folded = doc.prose.folded
            if folded is None:
                folded = doc.prose.text.lower()
            if not any(w in folded for w in self.exception_words):
                exceptions = None
        units = units_of(blocks, self.min_words, exceptions)
        result = Analysis(tuple(units), self.near_ratio)
        _cache[:] = [weakref.ref(doc), self._key, result]
        return result

    def check(self, doc: Document) -> Iterator[Finding]:
        if self.across_files:
            return
        analysis = self.analyse(doc)
        want_exact = self.report == "exact"
        for r in analysis.repeats:
            if r.exact != want_exact:
                continue
            u = analysis.units[r.later]
            start, end = u.source_span(doc)
            line, column = doc.lines.position(analysis.units[r.first].source_span(doc)[0])
            yield self.finding(
                doc, start, end,
                first_line=line, first_column=column,
                similarity=int(r.ratio * 100), words=len(u.words),
            )

    # ---- across files ----------------------------------------------------------------

    def digest(self, doc: Document) -> Digest | None:
        """Where each unit is and a hash of its words; None unless this rule is cross-file."""
        if not self.across_files:
            return None
        out = []
        seen: set[bytes] = set()
        position = doc.lines.position
        for u in self.analyse(doc).units:
            h = blake2b(b" ".join(u.words), digest_size=8).digest()
            if h in seen:  # a repeat inside the file is the within-file rules' business
                continue
            seen.add(h)
            start, end = u.source_span(doc)
            out.append((h, start, end, *position(start), *position(end), doc.source[start:end]))
        return doc.path, tuple(out)

    def across(
        self, digests: Mapping[str, Digest | None] | Iterable[Digest | None]
    ) -> Iterator[Finding]:
        """One finding per later file holding a paragraph that an earlier file holds.

        `digests` maps each path to its digest in run order (or lists the digests).
        """
        if not self.across_files:
            return
        values = digests.values() if isinstance(digests, Mapping) else digests
        holders: dict[bytes, list[tuple[str, DigestUnit]]] = {}
        for digest in values:
            if not digest:
                continue
            path, units = digest
            for unit in units:
                found = holders.get(unit[0])
                if found is None:
                    holders[unit[0]] = [(path, unit)]
                else:
                    found.append((path, unit))
        rule = self.rule
        rule_id, category, severity, suggestion = (
            rule.id, rule.category, rule.severity, rule.suggestion
        )
        for found in holders.values():
            if len(found) < 2:
                continue
            first_path, first = found[0]
            n_other = len(found) - 1
            more = n_other - 1
            message = rule.format_message(
                other_path=first_path, other_line=first[3], other_files=n_other,
                more=f" and {more} other file{'s' if more != 1 else ''}" if more else "",
                match=first[7], words=len(first[7].split()),
            )
            for path, unit in found[1:]:
                if path == first_path:
                    continue
                _, start, end, line, column, end_line, end_column, text = unit
                # positional: a frozen dataclass is slow to build from keywords, and a
                # corpus of pasted articles yields one finding per shared paragraph
                yield Finding(path, line, column, end_line, end_column, rule_id, category,
                              severity, message, text, suggestion, start, end)

    @staticmethod
    def split_example(text: str) -> list[str]:
        """The files of a pack example: a cross-file example separates them with a line
        `<!-- next file -->` (an HTML comment, so no reader sees it as prose)."""
        return [part for part in _NEXT_FILE.split(text)]


_NEXT_FILE = re_compile(r"^[ \t]*<!--\s*next file\s*-->[ \t]*\r?\n", re.MULTILINE)
