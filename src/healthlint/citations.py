"""Is there a source near this span? Citation cues in a block, shared by rule kinds.

GUIDELINES.md: a claim is sourced when a link, a footnote marker, a parenthetical source
with a year, a DOI/PMID or a specific named source sits in the same sentence or in the
same short block (list item, table row, callout) as the claim. A reference list
elsewhere on the page does not count.

Cues are graded (HEALTH-RULES.md §2.2, after JAMA's attribution benchmark):
  STRONG  locatable: a link, [1], ^1, ¹, "23%.1", (Smith et al., 2021), Smith (2021),
          a DOI, PMID or PMC id, a URL;
  WEAK    named but not locatable: "a 2021 Cochrane review", "according to the CDC",
          "the Framingham Heart Study", "CDC data show", "published in JAMA".
"Studies show", "experts say" and "a 2022 RCT" are no source at all.

Everything is computed lazily, once per block: a rule asks only about blocks where it
already found a candidate, so most blocks are never examined.

Plain-text articles scraped from the web keep one page element per line inside a
paragraph (a stat card is "65%" on one line and its caption on the next). So a block is
cut into *parts* at line breaks that end an element, and each part into *segments*
(sentences, cut again at those breaks). A segment is the citation scope of a claim; a
short part or block (a callout, a list item, a stat card) shares its cues across all its
segments.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from enum import IntEnum
from functools import lru_cache

from healthlint.cache import re_compile
from healthlint.model import Block

# ---------------------------------------------------------------------------------------
# Vocabulary. Data, not logic: extend KNOWN_SOURCES through a rule's `sources` option.

#: Organisations, surveys and journals whose name alone identifies a source of figures.
KNOWN_SOURCES: tuple[str, ...] = (
    "CDC", "WHO", "NIH", "NHS", "NICE", "FDA", "AHRQ", "USPSTF", "NCHS", "NHIS", "NHANES",
    "CMS", "HHS", "IHME", "GBD", "OECD", "UNICEF", "NCI", "NIMH", "NIDDK", "NIAMS", "NIA",
    "NHLBI", "ONS", "ABS", "AIHW", "EMA", "ECDC", "Eurostat", "Cochrane", "Mayo Clinic",
    "Cleveland Clinic", "Johns Hopkins", "Harvard", "Statistics Canada",
    "World Health Organization", "Centers for Disease Control", "National Institutes of Health",
    "National Cancer Institute", "American Heart Association", "American Cancer Society",
    "American Diabetes Association", "Arthritis Foundation", "Alzheimer's Association",
    "Public Health England", "Office for National Statistics", "Global Burden of Disease",
    "Lancet", "JAMA", "BMJ", "NEJM", "New England Journal of Medicine",
    "Annals of Internal Medicine",
    "PLOS", "Pain Physician",
)

#: Capitalised words that do not name a source ("a 2021 Randomized Controlled Trial").
GENERIC_WORDS = frozenset(
    """a an the this that these those our their its his her my your one some several many
    multiple numerous various recent new latest large small major landmark big key pilot
    research researchers study studies trial trials rct rcts review reviews systematic
    meta-analysis meta-analyses analysis analyses survey surveys report reports evidence data
    science scientists experts expert doctors physicians clinicians clinical clinic randomized
    randomised controlled double-blind single-blind blinded placebo-controlled sham-controlled
    observational cross-sectional prospective retrospective longitudinal cohort case-control
    published peer-reviewed independent internal in-house customer patient patients
    health medical national international global american british european federal state
    according yes no it in on of for and or to by from with at as recently""".split()
)

_MONTHS = (
    "january|february|march|april|may|june|july|august|september|october|november|december|"
    "jan|feb|mar|apr|jun|jul|aug|sept?|oct|nov|dec"
)
_YEAR = r"(?:19|20)\d{2}[a-z]?"
_NAME_WORD = r"[A-Z][\w'’&.\-]*"
_NAME = rf"{_NAME_WORD}(?:\s+(?:(?:of|for|and|on|in|&|the|de|du|van|von)\s+)*{_NAME_WORD})*"
_STUDY_TYPE = (
    r"(?:systematic\s+review|meta-?analysis|review|study|trial|survey|report|analysis|"
    r"cohort|census|audit|registry|guidelines?|statement|data|RCT|consensus)"
)

# ---------------------------------------------------------------------------------------
# Cue patterns, compiled on first use. Each starts with a literal or a character class,
# so `re` skips at C speed to the few places where it can match; anything subtler is
# checked in Python at those places only.

_PAREN_YEAR = (
    rf"\((?!(?i:since|in|from|until|till|before|after|as\s+of|updated|est\.?|founded|"
    rf"circa|c\.|copyright|published|by|around|about|spring|summer|fall|autumn|winter|"
    rf"{_MONTHS})\b)(?:see\s+|e\.g\.,?\s+|cf\.\s+)?[A-Z][^()]{{0,100}}?[\s,]\s*{_YEAR}"
    r"(?:[,;:][^()]{0,120})?\)"
)
#: (kind, expression) of the locatable cues; each expression begins with a literal or
#: a character class, so `re` jumps between the few places it can start.
_STRONG = (
    # footnote markers: [1], [1,2], [1–3], [^note]; ^1
    ("marker", r"\[(?:\d{1,3}(?:\s*[,–—-]\s*\d{1,3})*|\^[\w-]+)\]|\^\d{1,3}(?:[,–-]\d{1,3})*"),
    # superscript digits (checked in Python: not the ² of cm²)
    ("superscript", r"[¹²³⁴⁵⁶⁷⁸⁹⁰]+(?:[,⁻–-][¹²³⁴⁵⁶⁷⁸⁹⁰]+)*"),
    # a marker glued after punctuation ("in 23%.1 ", "pain.12,13 ") or, its superscript
    # markup lost, to a lower-case word ("adults2 ")
    ("marker", r"[.,;:0-9](?<=(?=(?P<hit>"
               r"[.,;:](?<=[A-Za-z%)\]][.,;:])\d{1,3}(?:[,–-]\d{1,3})*(?=[\s)\"”’]|$)"
               r"|\d(?<=[a-z]{3}\d)\d?(?:[,–-]\d{1,2})*(?=[\s.,;:!?)]|$)"
               r")).)"),
    # a year in brackets after a name (checked in Python): Smith et al. (2021),
    # Pain Physician (2023); or a parenthetical source: (Smith et al., 2021) (WHO 2022)
    ("parenthetical", rf"\((?P<year>{_YEAR})\)|{_PAREN_YEAR}"),
    # identifiers and addresses
    ("doi", r"10\.\d{4,9}/[^\s,;)]+"),
    ("id", r"P(?:MID\s*:?\s*\d{5,9}|MC\s?\d{5,9})\b|arXiv:\s?\d{4}\.\d{4,5}"),
    ("url", r"(?:https?://|www\.[\w-]+\.)\S+|\.(?:gov|edu|int)\b(?:/\S*)?"),
)
_SUPERSCRIPTS = "¹²³⁴⁵⁶⁷⁸⁹⁰"
# "cm²", "m³": a superscript after a unit is an exponent, not a footnote.
_EXPONENT_BEFORE = r"(?:\b(?:[cmkdnµμ]?m|in|ft|yd|s|sec)|[)\d])$"
_NAME_BEFORE = r"[A-Z][\w'’&.\-]*(?:\s+et\s+al\.?|\s+and\s+colleagues)?,?\s*$"

# "a 2021 Cochrane review", "the 2019 HUNT study", "Cochrane's 2021 review": the year
# first (a fast anchor), the article or possessive checked behind it.
_NAMED_WITH_YEAR = (
    r"(?:19|20)\d{2}"
    r"(?:(?<=\b[Aa] \d{4})|(?<=\b[Aa]n \d{4})|(?<=\b[Tt]he \d{4})|(?<=\b[Tt]his \d{4})"
    r"|(?<=\b[Tt]heir \d{4})|(?<=\b[Tt]hat \d{4})|(?<=['’]s \d{4}))"
    rf"\s+(?P<name>(?:{_NAME_WORD}\s+){{0,6}}?)(?i:{_STUDY_TYPE})s?\b"
)
# Phrases that introduce a source a few words on ("according to a 2021 report by the CDC").
_REPORTING_PHRASES = (
    "according to", "as reported by", "reported by", "published by", "published in",
    # the body behind a survey or study: "a survey commissioned by the British Heart
    # Foundation", "a poll conducted by YouGov"
    "commissioned by", "conducted by", "carried out by", "compiled by",
)
# Words that, followed by "by", "from" or "at", must name the source at once ("data from
# the CDC", "researchers at Harvard"; not "data from 1,200 men").
_DIRECT_HEADS = frozenset(
    """data figures estimates statistics numbers research researchers scientists report
    survey study review analysis trial""".split()
)
# "(source: National Health Interview Survey)", "Source: CDC"
_SOURCE_LABEL = (
    r"\((?i:sources?|data|via|ref\.?|reference|see)\s*:\s*[^()]{2,120}\)"
    r"|\b(?i:sources?|data\s+source|reference)\s*:\s*[A-Z\d]"
)
_STUDY_WORDS = (
    "systematic review", "meta-analysis", "metaanalysis", "review", "study", "trial", "survey",
    "report", "analysis", "cohort", "census", "audit", "registry", "guideline", "statement",
    "data", "rct", "consensus",
)
_CONNECTORS = frozenset({"of", "for", "and", "on", "in", "&", "the", "de", "du", "van", "von"})
_AFTER_KNOWN = (
    r"(?:['’]s)?(?:\s+[\w\-]+){0,2}?\s+(?i:data|figures|statistics|estimates?|estimated|"
    r"reports?|reported|surveys?|found|finds|says|said|states|notes|recommends|guidelines?|"
    r"shows?|showed|counts?|numbers|projects|projections)\b"
    # "CDC, 2023" in a table cell or a caption
    r"|,?\s+(?:19|20)\d{2}\b"
)
_BEFORE_KNOWN = r"(?i:\b(?:published\s+)?in\s+(?:the\s+)?|\(\s*(?:the\s+)?)$"


class _Patterns:
    """The compiled cue expressions (built once, on first use)."""

    def __init__(self) -> None:
        self.strong = tuple((kind, re_compile(src)) for kind, src in _STRONG)
        self.exponent_before = re_compile(_EXPONENT_BEFORE)
        self.name_before = re_compile(_NAME_BEFORE)
        self.named_with_year = re_compile(_NAMED_WITH_YEAR)
        self.source_label = re_compile(_SOURCE_LABEL)
        # on the lower-cased text
        self.reporting = re_compile(
            r"\b(?:" + "|".join(re.escape(p) for p in _REPORTING_PHRASES) + r")\b"
        )
        self.direct = re_compile(
            r"\b(?:" + "|".join(sorted(_DIRECT_HEADS, key=lambda w: (-len(w), w)))
            + r") (?:by|from|at)\b"
        )
        self.study_word = re_compile(
            r"\b(?:" + "|".join(re.escape(w) for w in _STUDY_WORDS) + r")"
        )
        self.direct_name = re_compile(rf"\s+(?:the\s+)?(?P<name>{_NAME})")
        self.tail = re_compile(r"(?:[\s,]+[\w'’&.\-]+){1,8}")
        self.tail_cut = re_compile(r"[.;:!?)]\s|[;:!?)]$|,\s")
        self.et_al = re_compile(r"\b[A-Z][\w'’\-]+\s+(?:et\s+al\b|and\s+colleagues\b)")
        self.after_known = re_compile(_AFTER_KNOWN)
        self.before_known = re_compile(_BEFORE_KNOWN)
        self.words = re_compile(r"[\w'’&.\-]+")


@lru_cache(maxsize=1)
def _patterns() -> _Patterns:
    return _Patterns()


@lru_cache(maxsize=16)
def known_sources(extra: tuple[str, ...] = ()) -> re.Pattern[str]:
    """The names of known sources (case-sensitive), with a rule's extra names. A name
    counts in a reporting context: "CDC data show", "the WHO estimates", "published in
    JAMA", "(CDC)"."""
    # longest first (a name that starts another must not win); ties by name, so that the
    # pattern is the same in every run (the start-up cache keys on it)
    names = sorted(set(KNOWN_SOURCES + tuple(extra)), key=lambda n: (-len(n), n))
    return re_compile("|".join(re.escape(n) for n in names))


class Strength(IntEnum):
    NONE = 0
    WEAK = 1
    STRONG = 2


@dataclass(frozen=True, slots=True)
class Cue:
    """A citation cue at block.text[start:end]."""

    start: int
    end: int
    strength: Strength
    kind: str


# ---------------------------------------------------------------------------------------
# Parts and segments

# A line that starts a new page element: a bullet, a table row, a quote, "1. ", "2) ".
_ELEMENT_START = re_compile(r"[ \t]*(?:[-*+•●▪◦‣∙✔✓✗☐☑|>]|\d{1,2}[.)][ \t])")
# A stat-card head: only a figure on its line ("65%", "619M", "22", "3x", "$12B").
_CARD_HEAD = re_compile(r"[ \t]*[~≈<>≥≤+]?[$€£]?\d[\d,.]*[ \t]?(?:%|[KMBkmb]|x|×|\+)*\+?[ \t]*")
_ENDS_ELEMENT = re_compile(r"[.!?:;][\"'”’)\]]*[ \t]*$")
_SHORT_LINE = 60
#: a line ending in one of these continues on the next
_CONTINUES = (",", "(", "–", "—", "-", "/", "&")


def _line_cuts(text: str) -> list[int]:
    """Offsets of the line breaks in `text` that end a page element."""
    cuts = []
    start = 0
    n = text.find("\n")
    while n >= 0:
        prev = text[start:n]
        nxt_end = text.find("\n", n + 1)
        nxt = text[n + 1 : nxt_end if nxt_end >= 0 else len(text)]
        if _CARD_HEAD.fullmatch(prev):
            pass  # the figure belongs with its caption on the next line
        elif (
            _ENDS_ELEMENT.search(prev)
            or _ELEMENT_START.match(nxt)
            or _CARD_HEAD.fullmatch(nxt)
            or (
                len(prev.strip()) < _SHORT_LINE
                and not prev.rstrip().endswith(_CONTINUES)
                and not nxt[:1].islower()
            )
        ):
            cuts.append(n)
        start = n + 1
        n = nxt_end
    return cuts


@dataclass(frozen=True, slots=True)
class Segment:
    start: int
    end: int
    part: int  # index into BlockCitations.parts


#: block scopes whose sentences share their sources (when short)
SHARED_SCOPES = ("list_item", "table_cell", "caption", "blockquote")
# "8 in 10", "$134.5 billion": a short line headed by a figure starts a stat card
_SHORT_FIGURE = re_compile(r"[ \t]*[~≈<>≥≤+]?[$€£]?\d[\d,.]*[^.!?:;]{0,20}")
# a sentence that leans on the one before it
_CONTINUES_BEFORE = re_compile(
    r"(?:This|These|That|Those|It|They|The\s+(?:study|studies|survey|report|review|trial|"
    r"data|analysis|researchers|authors|figures?|estimates?|findings))\b"
)
_SOURCE_LINE = re_compile(r"\(?\s*(?i:sources?|references?|data\s+source|via)\s*:")


class BlockCitations:
    """The citation cues and the sentence/element structure of one block."""

    #: list items, table cells, callouts and stat cards share sources up to this length
    ITEM_CHARS = 700

    __slots__ = (
        "block", "known", "parts", "segments", "_seg_starts", "_part_short", "_block_short",
        "_strong", "_strength",
    )

    def __init__(self, block: Block, known: re.Pattern[str] | None = None) -> None:
        self.block = block
        self.known = known
        self._strong: dict[tuple[int, int], tuple[Cue, ...]] = {}
        self._strength: dict[tuple[int, int], Strength] = {}
        layout = _layout(block.text, block.scope in SHARED_SCOPES, block)
        self.parts, self.segments, self._part_short, self._block_short = layout
        self._seg_starts = [sg.start for sg in self.segments]

    def segment_at(self, offset: int) -> Segment:
        """The segment (sentence within one element) holding `offset`."""
        i = bisect.bisect_right(self._seg_starts, offset) - 1
        if i < 0:
            return self.segments[0] if self.segments else Segment(0, len(self.block.text), 0)
        return self.segments[i]

    def scope(self, start: int, end: int) -> tuple[int, int]:
        """The span whose cues source a claim at [start, end): its sentence, or the whole
        list item, table cell, callout or stat card. A sentence that continues the one
        before ("It found ...", "These figures ...") shares that one's source, and a
        "Source: ..." sentence right after counts for the sentence it follows."""
        if not self.segments:
            return 0, len(self.block.text)
        i = max(bisect.bisect_right(self._seg_starts, start) - 1, 0)
        seg = self.segments[i]
        if self._block_short:
            return 0, len(self.block.text)
        if self._part_short[seg.part]:
            return self.parts[seg.part]
        text = self.block.text
        lo, hi = seg.start, max(seg.end, end)
        before = self.segments[i - 1] if i > 0 else None
        if before and before.part == seg.part and _CONTINUES_BEFORE.match(text, seg.start):
            lo = before.start
        if i + 1 < len(self.segments):
            nxt = self.segments[i + 1]
            if nxt.part == seg.part and (
                _CONTINUES_BEFORE.match(text, nxt.start) or _SOURCE_LINE.match(text, nxt.start)
            ):
                hi = max(hi, nxt.end)
        return lo, hi

    def strength(self, start: int, end: int) -> Strength:
        """The best cue in the scope of a claim at [start, end)."""
        lo, hi = self.scope(start, end)
        return self.strength_in(lo, hi)

    def _strong_in(self, lo: int, hi: int) -> tuple[Cue, ...]:
        """The locatable cues of block.text[lo:hi] (block offsets), found once per span.
        Only the scopes of actual claims are ever searched, not whole blocks."""
        found = self._strong.get((lo, hi))
        if found is None:
            found = tuple(
                Cue(c.start + lo, c.end + lo, c.strength, c.kind)
                for c in _strong_cached(self.block.text[lo:hi])
            )
            self._strong[(lo, hi)] = found
        return found

    @property
    def cues(self) -> tuple[Cue, ...]:
        """Every cue of the block, sorted."""
        return tuple(sorted(find_cues(self.block.text, self.known), key=lambda c: (c.start, c.end)))

    def strength_in(self, lo: int, hi: int) -> Strength:
        """The best source in block.text[lo:hi]."""
        key = (lo, hi)
        best = self._strength.get(key)
        if best is None:
            link = _link_strength(self.block, lo, hi)
            if link is Strength.STRONG or self._strong_in(lo, hi):
                best = Strength.STRONG
            elif link is Strength.WEAK or _has_weak(self.block.text[lo:hi], self.known):
                best = Strength.WEAK
            else:
                best = Strength.NONE
            self._strength[key] = best
        return best

    def inside_cue(self, start: int, end: int) -> bool:
        """Whether [start, end) lies within a citation (the digits of "(Smith, 2021)")."""
        cues = self._strong_in(*self.scope(start, end))
        return any(c.start <= start and end <= c.end for c in cues)


class _ByText:
    """Hashes and compares as its text alone, carrying the block along: the layout of
    a block depends only on its text and scope, and the same paragraph (a disclaimer, a
    call to action, an author box) recurs across the pages of one run."""

    __slots__ = ("text", "block")

    def __init__(self, text: str, block: Block) -> None:
        self.text = text
        self.block = block

    def __hash__(self) -> int:
        return hash(self.text)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _ByText) and other.text == self.text


def _layout(text: str, item_like: bool, block: Block):
    return _layout_cached(_ByText(text, block), item_like)


@lru_cache(maxsize=4096)
def _layout_cached(key: _ByText, item_like: bool):
    """(parts, segments, part shares, block shares) of a block's text."""
    text = key.text
    cuts = _line_cuts(text) if "\n" in text else []
    bounds = [0] + [c + 1 for c in cuts] + [len(text) + 1]
    parts = tuple((bounds[i], bounds[i + 1] - 1) for i in range(len(bounds) - 1))
    segments: list[Segment] = []
    for s, e in key.block.sentences():
        for p, (ps, pe) in enumerate(parts):
            lo, hi = max(s, ps), min(e, pe)
            if lo < hi:
                lo, hi = _trim(text, lo, hi)
                if lo < hi:
                    segments.append(Segment(lo, hi, p))
    part_short = tuple(_shares(text, ps, pe, item_like) for ps, pe in parts)
    block_short = _shares(text, 0, len(text), item_like) and (item_like or len(parts) == 1)
    key.block = None  # type: ignore[assignment]  # the cache keeps text, not documents
    return parts, tuple(segments), part_short, block_short


def _trim(text: str, lo: int, hi: int) -> tuple[int, int]:
    while lo < hi and text[lo].isspace():
        lo += 1
    while hi > lo and text[hi - 1].isspace():
        hi -= 1
    return lo, hi


def _shares(text: str, start: int, end: int, item_like: bool) -> bool:
    """Whether a block or page element shares its sources across its sentences: a list
    item, table cell, caption, callout or stat card (GUIDELINES: "the same short block").
    A plain paragraph does not: each sentence needs its own source."""
    if end - start > BlockCitations.ITEM_CHARS:
        return False
    if item_like:
        return True
    nl = text.find("\n", start, end)
    first = text[start : nl if nl >= 0 else end]
    return bool(
        _CARD_HEAD.fullmatch(first) or _SHORT_FIGURE.fullmatch(first) or _ELEMENT_START.match(first)
    )


def _link_strength(block: Block, lo: int, hi: int) -> Strength:
    best = Strength.NONE
    for link in block.links:
        if link.start < hi and lo < max(link.end, link.start + 1):
            url = link.url.strip().lower()
            if url.startswith(("http://", "https://", "//", "#", "doi:")) or "doi.org" in url:
                return Strength.STRONG
            if url.startswith(("mailto:", "tel:", "javascript:")):
                continue
            best = Strength.WEAK  # a relative link: a page of the same site
    return best


# ---------------------------------------------------------------------------------------
# Finding cues


def find_cues(text: str, known: re.Pattern[str] | None = None) -> list[Cue]:
    """Every citation cue in `text`."""
    return find_strong(text) + list(iter_weak(text, known))


@lru_cache(maxsize=8192)
def _strong_cached(text: str) -> tuple[Cue, ...]:
    return tuple(find_strong(text))


@lru_cache(maxsize=8192)
def _has_weak(text: str, known: re.Pattern[str] | None) -> bool:
    return next(iter_weak(text, known), None) is not None


def find_strong(text: str) -> list[Cue]:
    """The locatable cues in `text`: markers, author-year, identifiers, addresses."""
    pats = _patterns()
    cues: list[Cue] = []
    for kind, rx in pats.strong:
        for m in rx.finditer(text):
            s, e = m.span("hit") if "hit" in rx.groupindex else m.span()
            if kind == "superscript" and pats.exponent_before.search(text, max(0, s - 4), s):
                continue
            if m.lastgroup == "year" and not pats.name_before.search(text, max(0, s - 60), s):
                continue  # "(2021)" alone is a date, not a source
            cues.append(Cue(s, e, Strength.STRONG, kind))
    return cues


def iter_weak(text: str, known: re.Pattern[str] | None = None) -> Iterator[Cue]:
    """The named-but-unlocatable cues in `text`, cheapest tests first (a caller that
    only needs to know whether there is one stops at the first)."""
    pats = _patterns()
    if "et al" in text or "colleagues" in text:
        for m in pats.et_al.finditer(text):
            yield Cue(m.start(), m.end(), Strength.WEAK, "et-al")
    low = text.lower()
    if len(low) != len(text):
        low = ""  # lower() changed the length: phrase offsets would not line up
    yield from _reporting_cues(text, low, pats)
    for m in pats.named_with_year.finditer(text):
        name = m.group("name")
        if not name:  # "Cochrane's 2021 review": the owner is the name
            words = text[max(0, m.start() - 40) : m.start()].rsplit(None, 2)[-1:]
            name = words[0] if words else ""
        if _names_something(name):
            yield Cue(m.start(), m.end(), Strength.WEAK, "named-with-year")
    for m in (known or known_sources()).finditer(text):
        s, e = m.span()
        if (s and text[s - 1].isalnum()) or (e < len(text) and text[e].isalnum()):
            continue  # inside a longer word
        if pats.after_known.match(text, e) or pats.before_known.search(text, max(0, s - 20), s):
            yield Cue(s, e, Strength.WEAK, "known-source")
    if low:
        yield from _named_study_cues(text, low, pats)


def _reporting_cues(text: str, low: str, pats: _Patterns) -> Iterator[Cue]:
    if ":" in text:
        for m in pats.source_label.finditer(text):
            yield Cue(m.start(), m.end(), Strength.WEAK, "source-label")
    if not low:
        return
    for m in pats.reporting.finditer(low):
        end = m.end()
        t = pats.tail.match(text, end)
        if not t:
            continue
        tail = t.group()
        cut = pats.tail_cut.search(tail)
        if cut:
            tail = tail[: cut.start()]
        if _names_something(tail):
            yield Cue(m.start(), end + len(tail), Strength.WEAK, "according-to")
    for m in pats.direct.finditer(low):
        n = pats.direct_name.match(text, m.end())
        if n and _names_something(n.group("name")):
            yield Cue(m.start(), n.end(), Strength.WEAK, "according-to")


def _named_study_cues(text: str, low: str, pats: _Patterns) -> Iterator[Cue]:
    """ "the Framingham Heart Study", "GBD data": capitalised words before a study word."""
    for m in pats.study_word.finditer(low):
        i = m.start()
        before = text[max(0, i - 80) : i].split()
        name: list[str] = []
        for token in reversed(before):
            if token[:1].isupper() and not token.endswith((".", ",", ":", ";")):
                name.append(token)
            elif name and token in _CONNECTORS:
                name.append(token)
            else:
                break
        while name and name[-1] in _CONNECTORS:
            name.pop()
        if not name:
            continue
        name.reverse()
        start = max(i - len(" ".join(name)) - 1, 0)
        if _names_something(" ".join(name), skip_first=_starts_sentence(text, start)):
            yield Cue(start, m.end(), Strength.WEAK, "named-study")


def _names_something(words: str, skip_first: bool = False) -> bool:
    """Whether a run of words holds a capitalised word that is not generic."""
    tokens = _patterns().words.findall(words)
    if skip_first and tokens:
        tokens = tokens[1:]
    for t in tokens:
        core = t.strip(".'’-")
        if core[:1].isupper() and core.lower() not in GENERIC_WORDS and not core.isdigit():
            return True
    return False


def _starts_sentence(text: str, i: int) -> bool:
    j = i - 1
    while j >= 0 and text[j] in " \t":
        j -= 1
    return j < 0 or text[j] in ".!?\n:\"“"


# ---------------------------------------------------------------------------------------
# Public helpers


@lru_cache(maxsize=512)
def _cached(block: Block, known: re.Pattern[str]) -> BlockCitations:
    return BlockCitations(block, known)


def citations(block: Block, known: re.Pattern[str] | None = None) -> BlockCitations:
    """The citation index of `block`, computed once (blocks hash by identity)."""
    return _cached(block, known or known_sources())


def cited(
    block: Block,
    start: int,
    end: int,
    row: Sequence[Block] = (),
    known: re.Pattern[str] | None = None,
) -> Strength:
    """The strongest source for a claim at block.text[start:end].

    `row` holds the other cells of a table row (blocks sharing Block.group): a source
    in any of them counts, as a table row is one short block.
    """
    best = citations(block, known).strength(start, end)
    for other in row:
        if best is Strength.STRONG:
            break
        if other is not block and other.text:
            best = max(best, citations(other, known).strength_in(0, len(other.text)))
    return best


def row_of(blocks: Sequence[Block], index: int) -> tuple[Block, ...]:
    """The neighbours of blocks[index] that share its group (the cells of its table row)."""
    group = blocks[index].group
    if group is None:
        return ()
    lo = index
    while lo > 0 and blocks[lo - 1].group == group:
        lo -= 1
    hi = index
    while hi + 1 < len(blocks) and blocks[hi + 1].group == group:
        hi += 1
    return tuple(blocks[lo : hi + 1])
