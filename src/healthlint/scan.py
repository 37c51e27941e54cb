"""Fast search for many regular expressions in one text.

Python's `re` tries a big alternation at every position of the text, about 1 MB/s for
the twenty patterns of a statistics rule. Two cheap tests avoid most of those tries:

* Patterns that can only start with a digit or a symbol ("65%", "$12 billion", "<0.05")
  are joined behind a one-character class: `[\\d$<](?<=(?=(?P<hit>A|B|C)).)`. `re` skips
  to the next character in the class at C speed (the expression's "charset prefix") and
  runs the alternation only there.
* Patterns that start with one of a few words ("studies", "half", "odds") are tried
  only where such a word occurs: `str.find` locates the words in the lower-cased text,
  then the joined expression is matched (anchored) at each place.
Any other pattern is searched the ordinary way. The result is the same set of
leftmost, non-overlapping matches a single `finditer` would give, as spans.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

try:
    from re import _parser as _sre_parse  # type: ignore[attr-defined]
except ImportError:  # Python < 3.11
    import sre_parse as _sre_parse  # type: ignore[no-redef]

from healthlint.cache import persisted, re_compile

_DIGIT = "DIGIT"
#: a word trigger this short would match nearly everywhere: search the ordinary way
_MIN_TRIGGER = 3
#: a private flag bit: build a scanner that never folds (the fallback of one that does)
_NO_FOLD = 1 << 30
#: where a pattern may start inside a short span: a word's first character or a symbol
_TOKEN_START = re_compile(r"\b\w|[^\w\s]")
#: how many trigger words a trie-shaped pattern may expand to
_MAX_PREFIXES = 200


class PatternError(ValueError):
    """A pattern that does not compile; `index` is its position in the list."""

    def __init__(self, index: int, message: str) -> None:
        super().__init__(message)
        self.index = index


def _zero_width(sub) -> bool:
    try:
        return sub.getwidth() == (0, 0)
    except (AttributeError, TypeError):
        return False


def first_chars(items: list) -> set[str] | None:
    """Characters (or "DIGIT") a match of the parsed sequence can start with; None if any."""
    out: set[str] = set()
    for i, (op, av) in enumerate(items):
        name = str(op)
        if name in ("AT", "ASSERT", "ASSERT_NOT"):
            continue
        rest = items[i + 1 :]
        if name == "LITERAL":
            out.add(chr(av))
            return out
        if name == "IN":
            chars = _in_chars(av)
            if chars is None:
                return None
            return out | chars
        if name == "SUBPATTERN":
            sub = list(av[-1])
            if _zero_width(av[-1]):
                continue
            got = first_chars(sub + rest)
            return None if got is None else out | got
        if name == "BRANCH":
            if all(_zero_width(b) for b in av[1]):
                continue  # a choice of lookbehinds: "(?:(?<=n=)|(?<=n = ))"
            for branch in av[1]:
                got = first_chars(list(branch) + rest)
                if got is None:
                    return None
                out |= got
            return out
        if name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"):
            lo, _hi, sub = av
            got = first_chars(list(sub) + rest)
            if got is None:
                return None
            if lo == 0:  # an optional item ("[$€£]?") may be skipped: the rest starts the match
                after = first_chars(rest)
                return None if after is None else out | got | after
            return out | got
        return None
    return None  # the pattern can match the empty string


def _in_chars(av) -> set[str] | None:
    chars: set[str] = set()
    for op, val in av:
        name = str(op)
        if name == "LITERAL":
            chars.add(chr(val))
        elif name == "CATEGORY" and str(val) == "CATEGORY_DIGIT":
            chars.add(_DIGIT)
        elif name == "RANGE" and val[1] - val[0] < 64:
            chars.update(chr(c) for c in range(val[0], val[1] + 1))
        else:
            return None
    return chars


def prefixes(items: list) -> set[str] | None:
    """Literal strings one of which every match starts with (lower-cased); None if unknown."""
    for i, (op, av) in enumerate(items):
        name = str(op)
        if name in ("AT", "ASSERT", "ASSERT_NOT"):
            continue
        if name == "LITERAL":
            run = []
            j = i
            while j < len(items) and str(items[j][0]) == "LITERAL":
                run.append(chr(items[j][1]))
                j += 1
            head = "".join(run).lower()
            # a trie ("p(?:atients|eople)"): extend the run through the group that follows
            if j < len(items) and str(items[j][0]) in ("SUBPATTERN", "BRANCH"):
                more = prefixes(items[j : j + 1])
                if more and len(more) <= _MAX_PREFIXES:
                    return {head + m for m in more}
            return {head}
        if name == "SUBPATTERN":
            if _zero_width(av[-1]):
                continue
            return prefixes(list(av[-1]))
        if name == "BRANCH":
            if all(_zero_width(b) for b in av[1]):
                continue
            out: set[str] = set()
            for branch in av[1]:
                got = prefixes(list(branch))
                if got is None:
                    return None
                out |= got
            return out
        if name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"):
            if _zero_width(av[2]):
                continue  # an optional lookbehind: "(?:(?<=a )|(?<=one ))?"
            got = prefixes(list(av[2]))
            if av[0] >= 1 or got is None:
                return got
            after = prefixes(items[i + 1 :])  # an optional word: the match may start later
            return None if after is None else got | after
        return None
    return None


_ESCAPE = re_compile(r"\\(?:N\{[^}]*\}|.)", re.DOTALL)


@persisted("scan.fold_safe")
def fold_safe(source: str) -> bool:
    """Whether a case-blind pattern matches the same on lower-cased text without
    IGNORECASE: it names no upper-case letter (escapes such as \\S aside) and never
    switches case handling. A textual test: parsing every pattern twice costs more."""
    if "(?" in source and re.search(r"\(\?[a-zA-Z]*-?[a-zA-Z]*i", source):
        return False
    plain = _ESCAPE.sub("", source)
    return plain == plain.lower()


def _parse(source: str, flags: int) -> list | None:
    try:
        return list(_sre_parse.parse(source, flags))
    except (re.error, OverflowError, RecursionError, ValueError):
        return None


@persisted("scan.outline")
def _outline(source: str, flags: int) -> tuple | None:
    """What a Scanner needs of a parsed pattern: the characters a match can start with
    and the literal prefixes it starts with (first_chars, prefixes); None when the
    stdlib cannot parse it. Parsing is the costly part of building a scanner, and
    outlines are kept in the start-up cache."""
    items = _parse(source, flags)
    if items is None:
        return None
    return first_chars(items), prefixes(items)


def _is_symbol_led(chars: set[str] | None) -> bool:
    return bool(chars) and all(c == _DIGIT or not (c.isalpha() or c.isspace()) for c in chars)  # type: ignore[union-attr]


def _char_class(chars: set[str]) -> str:
    # ASCII digits, not \d: an ASCII-only class is a bitmap test, three times faster to
    # scan with than Unicode's digit category (figures in prose are ASCII anyway).
    parts = sorted("0-9" if c == _DIGIT else re.escape(c) for c in chars)
    return "[" + "".join(p if p != "-" else r"\-" for p in parts) + "]"


def _anchored(chars: set[str], sources: list[str], flags: int) -> re.Pattern[str]:
    return re_compile(f"{_char_class(chars)}(?<=(?=(?P<hit>{_join(sources)})).)", flags)


def _validate(sources: Sequence[str], flags: int) -> None:
    """Raise PatternError naming the first pattern that does not compile."""
    try:
        re_compile(_join(sources), flags)
        return
    except re.error:
        pass
    for i, src in enumerate(sources):
        try:
            re_compile(src, flags)
        except re.error as exc:
            raise PatternError(i, f"pattern {i + 1} does not compile: {exc}: {src!r}") from None
    raise PatternError(0, "the patterns do not compile together")


class Scanner:
    """Leftmost, non-overlapping matches of several regexes, found fast.

    The expressions are compiled on first use: a scanner used only to test short spans
    (`overlaps`) or only near anchors never compiles the others (start-up time matters
    for a one-file run).
    """

    __slots__ = (
        "rare_chars", "triggers", "anchors", "lookback", "fold", "heads", "head_chars",
        "_groups", "_compiled", "_sources", "_flags", "_fallback",
    )

    def __init__(
        self,
        sources: Sequence[str],
        flags: int = 0,
        anchors: Sequence[str] = (),
        lookback: int = 60,
        parsed: Sequence[tuple | None] | None = None,
        use: str = "spans",
    ) -> None:
        """`anchors`: words (any case) one of which every match contains; when given, the
        patterns are tried only at word starts up to `lookback` characters before each
        place such a word occurs, and nowhere else. `parsed`: the sources' outlines (_outline).
        `use`: "spans" or "overlaps", the method the caller will use (the expressions it
        needs are compiled at once, so a bad pattern is reported before any text is read)."""
        no_fold = bool(flags & _NO_FOLD)
        flags &= ~_NO_FOLD
        if parsed is None:
            parsed = [_outline(src, flags) for src in sources]
        # Case-blind patterns written in lower case run on the lower-cased text without
        # IGNORECASE: `re` then compares characters directly, which is much faster.
        self.fold = not no_fold and bool(flags & re.IGNORECASE) and all(map(fold_safe, sources))
        if self.fold:
            flags &= ~re.IGNORECASE
        symbol: list[str] = []
        symbol_chars: set[str] = set()
        words: list[str] = []
        triggers: set[str] = set()
        rest: list[str] = []
        rest_chars: set[str] | None = set()  # first characters of the "rest" patterns
        for src, items in zip(sources, parsed, strict=True):
            chars = items[0] if items is not None else None
            if _is_symbol_led(chars):
                symbol.append(src)
                symbol_chars |= chars  # type: ignore[arg-type]
                continue
            pre = items[1] if items is not None else None
            if pre and min(len(p.strip()) for p in pre) >= _MIN_TRIGGER:
                words.append(src)
                triggers |= pre
            else:
                rest.append(src)
                if chars is None:
                    rest_chars = None
                elif rest_chars is not None:
                    rest_chars |= chars
        # Non-ASCII first characters ("€", "≤") would slow the scan of every text; the
        # patterns are tried again behind them only in texts that contain one.
        common = {c for c in symbol_chars if c == _DIGIT or c.isascii()}
        self.rare_chars = "".join(sorted(symbol_chars - common))
        self._groups = {
            "symbol": (lambda: _anchored(common, symbol, flags)) if symbol and common else None,
            "rare": (lambda: _anchored(set(self.rare_chars), symbol, flags))
            if self.rare_chars
            else None,
            "words": (lambda: re_compile(_join(words), flags)) if words else None,
            "rest": (lambda: re_compile(_join(rest), flags)) if rest else None,
            "whole": (lambda: re_compile(_join(sources), flags)) if sources else None,
        }
        self._compiled: dict[str, re.Pattern[str] | None] = {}
        # A case-sensitive pattern's trigger is still found in the lower-cased text; the
        # anchored match then decides. "ten" finds every "tenth" too: keep only triggers
        # that no other trigger starts.
        self.triggers = tuple(
            sorted(t for t in triggers if not any(o != t and t.startswith(o) for o in triggers))
        )
        wanted = {a.lower() for a in anchors if a}
        self.anchors = tuple(
            sorted(a for a in wanted if not any(o != a and a.startswith(o) for o in wanted))
        )
        self.lookback = lookback
        # Where a match can start, for trying only such places near an anchor or a span:
        # the first three letters of a word trigger (in the lower-cased text), or one of
        # `head_chars` (in the text matched); None: anywhere.
        self.heads: frozenset[str] | None = None
        self.head_chars: frozenset[str] = frozenset()
        if rest_chars is not None:
            chars = {("0123456789" if c == _DIGIT else c) for c in symbol_chars | rest_chars}
            self.heads = frozenset({t[:3] for t in triggers})
            self.head_chars = frozenset("".join(chars))
        self._sources = tuple(sources)
        self._flags = flags
        self._fallback: Scanner | None = None
        needed = ("whole",) if anchors or use == "overlaps" else ("symbol", "words", "rest")
        try:
            for name in needed:
                self._get(name)
        except re.error:
            _validate(sources, flags)
            raise

    def _get(self, name: str) -> re.Pattern[str] | None:
        try:
            return self._compiled[name]
        except KeyError:
            make = self._groups[name]
            rx = make() if make is not None else None
            self._compiled[name] = rx
            return rx

    @property
    def symbol(self) -> re.Pattern[str] | None:
        return self._get("symbol")

    @property
    def rare(self) -> re.Pattern[str] | None:
        return self._get("rare")

    @property
    def words(self) -> re.Pattern[str] | None:
        return self._get("words")

    @property
    def rest(self) -> re.Pattern[str] | None:
        return self._get("rest")

    @property
    def whole(self) -> re.Pattern[str] | None:
        return self._get("whole")

    def _subject(self, text: str, folded: str | None) -> tuple[Scanner, str] | None:
        """The scanner and string to match: the lower-cased text when this scanner folds."""
        if not self.fold:
            return None
        if folded is not None and len(folded) == len(text):
            return self, folded
        # lower() changed the text's length: match the original, case-blind
        if self._fallback is None:
            self._fallback = Scanner(self._sources, self._flags | re.IGNORECASE | _NO_FOLD,
                                     self.anchors, self.lookback)
        return self._fallback, text

    def _near_anchors(
        self, text: str, folded: str, barrier: str, lo: int, hi: int
    ) -> list[tuple[int, int]]:
        assert self.whole is not None
        match = self.whole.match
        heads, chars = self.heads, self.head_chars
        tried: dict[int, int] = {}  # start -> end of the match there (-1: none)
        found: list[tuple[int, int]] = []
        for word in self.anchors:
            i = folded.find(word, lo, hi)
            while i >= 0:
                back = max(lo, i - self.lookback)
                if barrier:
                    gap = text.rfind(barrier, back, i)
                    if gap >= 0:
                        back = gap + len(barrier)
                # nearest start first: most patterns begin at the anchor or a word before it
                for t in reversed(list(_TOKEN_START.finditer(text, back, i + 1))):
                    p = t.start()
                    if heads is not None and not (folded[p : p + 3] in heads or text[p] in chars):
                        continue
                    end = tried.get(p)
                    if end is None:
                        m = match(text, p, hi)
                        end = m.end() if m is not None and m.end() > p else -1
                        tried[p] = end
                    if end > i:
                        found.append((p, end))
                        break
                i = folded.find(word, i + 1, hi)
        return found

    def overlaps(
        self,
        text: str,
        start: int,
        end: int,
        lo: int = 0,
        hi: int | None = None,
        folded: str | None = None,
    ) -> bool:
        """Whether a match in text[lo:hi] overlaps [start, end).

        For checking one short span: the patterns are tried only where a word or a
        symbol starts between lo and `end`, not at every position.
        """
        if self.whole is None:
            return False
        hi = len(text) if hi is None else hi
        sub = self._subject(text, folded)
        if sub is not None:
            if sub[0] is not self:
                return sub[0].overlaps(sub[1], start, end, lo, hi)
            text = sub[1]
        match = self.whole.match
        heads = self.heads if folded is not None and len(folded) == len(text) else None
        chars = self.head_chars
        for t in _TOKEN_START.finditer(text, lo, end):
            p = t.start()
            if heads is not None and not (folded[p : p + 3] in heads or text[p] in chars):
                continue  # no pattern can start here
            m = match(text, p, hi)
            if m is not None and m.end() > start and m.end() > m.start():
                return True
        return False

    def spans(
        self,
        text: str,
        folded: str | None = None,
        barrier: str = "",
        lo: int = 0,
        hi: int | None = None,
    ) -> list[tuple[int, int]]:
        """Sorted, non-overlapping (start, end) spans of matches in text[lo:hi].

        `folded` is text.lower() when that has the same length (model.Prose.folded). A
        match containing `barrier` (the blank line between two blocks) is dropped before
        overlaps are resolved, so it cannot hide a real match it overlaps.
        """
        hi = len(text) if hi is None else hi
        sub = self._subject(text, folded)
        if sub is not None:
            if sub[0] is not self:
                return sub[0].spans(sub[1], None, barrier, lo, hi)
            text = sub[1]
        if self.anchors and folded is not None and len(folded) == len(text):
            found = self._near_anchors(text, folded, barrier, lo, hi)
            if barrier:
                found = [(s, e) for s, e in found if barrier not in text[s:e]]
            return _leftmost(found)
        found: list[tuple[int, int]] = []
        if self.symbol is not None:
            found.extend(m.span("hit") for m in self.symbol.finditer(text, lo, hi))
        if self.rare is not None and any(text.find(c, lo, hi) >= 0 for c in self.rare_chars):
            found.extend(m.span("hit") for m in self.rare.finditer(text, lo, hi))
        if self.words is not None:
            if folded is None or len(folded) != len(text):
                found.extend(m.span() for m in self.words.finditer(text, lo, hi))
            else:
                match = self.words.match
                find = folded.find
                starts: set[int] = set()
                for word in self.triggers:
                    i = find(word, lo, hi)
                    while i >= 0:
                        starts.add(i)
                        i = find(word, i + 1, hi)
                for i in sorted(starts):
                    m = match(text, i, hi)
                    if m is not None and m.end() > i:
                        found.append((i, m.end()))
        if self.rest is not None:
            found.extend(m.span() for m in self.rest.finditer(text, lo, hi) if m.end() > m.start())
        if barrier:
            found = [(s, e) for s, e in found if barrier not in text[s:e]]
        return _leftmost(found)


def _join(sources: Sequence[str]) -> str:
    return "|".join(f"(?:{s})" for s in sources)


def _leftmost(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Earliest start first (the longer on ties), dropping spans that overlap a kept one."""
    spans.sort(key=lambda s: (s[0], -s[1]))
    out: list[tuple[int, int]] = []
    last = -1
    for s, e in spans:
        if s >= last and e > s:
            out.append((s, e))
            last = e
    return out


class ScannerUnion:
    """Two scanners read as one: the case-blind patterns that fold and those that do not."""

    __slots__ = ("parts",)

    def __init__(self, parts: Sequence[Scanner]) -> None:
        self.parts = tuple(parts)

    def spans(self, text, folded=None, barrier="", lo=0, hi=None) -> list[tuple[int, int]]:
        found: list[tuple[int, int]] = []
        for part in self.parts:
            found.extend(part.spans(text, folded, barrier, lo, hi))
        return _leftmost(found)

    def overlaps(self, text, start, end, lo=0, hi=None, folded=None) -> bool:
        return any(part.overlaps(text, start, end, lo, hi, folded) for part in self.parts)


def build_scanner(
    sources: Sequence[str],
    flags: int = 0,
    anchors: Sequence[str] = (),
    lookback: int = 60,
    use: str = "spans",
    analysis: Sequence[str] | None = None,
) -> Scanner | ScannerUnion:
    """A Scanner for `sources`; case-blind patterns in lower case are matched on the
    lower-cased text (fast), any others case-blind on the original. `analysis`: stand-ins
    for the sources that start the same way, parsed instead of them (faster)."""
    parsed = [_outline(src, flags) for src in (analysis or sources)]
    if any(items is None for items in parsed):
        _validate(sources, flags)
    if flags & re.IGNORECASE:
        folds = [
            items is not None and fold_safe(src)
            for src, items in zip(sources, parsed, strict=True)
        ]
        if any(folds) and not all(folds):
            pick = [(src, items, ok) for src, items, ok in zip(sources, parsed, folds, strict=True)]
            safe = [(src, items) for src, items, ok in pick if ok]
            other = [(src, items) for src, items, ok in pick if not ok]
            return ScannerUnion(
                (
                    Scanner([s for s, _ in safe], flags, anchors, lookback,
                            [p for _, p in safe], use),
                    Scanner([s for s, _ in other], flags | _NO_FOLD, anchors, lookback,
                            [p for _, p in other], use),
                )
            )
    return Scanner(sources, flags, anchors, lookback, parsed, use)
