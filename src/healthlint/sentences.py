"""Sentence splitting for rules that need sentence scope.

One regular expression finds candidate boundaries; only a candidate after a single "."
is then checked against abbreviations, so the Python work is per sentence, not per
character. A boundary is
- ". ", "? ", "! " or an ellipsis (closing quotes and brackets stay with the sentence
  they end) followed by whitespace and a character that is not a lower-case letter;
  "?" and "!" before a line end or a lower-case word split too when the whitespace
  holds a line break;
- a line end after terminal punctuation, whatever follows;
- a blank line;
- a line break followed by a list-like line ("- ", "• ", "1. ", "2) ").
A "." does not end a sentence after an abbreviation (e.g., i.e., Dr., et al., vs.,
U.S.), an initial ("J. K. Smith"), or "No."/"Fig."/"p." before a number. Decimals
("2.4x", "8.98") and grouped numbers ("n=1,200") never contain a boundary because a
boundary needs whitespace.
"""

from __future__ import annotations

import re

from healthlint.cache import re_compile

_BOUNDARY = re_compile(
    r"""
    [.!?…\n](?<=(?=(?P<m>                     # tried only at these characters (fast)
    (?P<end>(?:[.!?]+|…)[\"'”’»)\]]*)      # terminal punctuation + closers
    (?P<gap>[ \t\u00a0]*\n\s*|[ \t\u00a0]+(?=[^\s]))
    | (?P<blank>\n[ \t]*\n\s*)             # a blank line
    | (?P<list>\n)(?=[ \t]*(?:[-*+•◦▪‣·✔✓]|\d{1,3}[.)])[ \t]+\S)
    ))(?s:.))""",
    re.VERBOSE,
)
# Why the odd shape: a pattern that opens with a character class lets `re` skip to the
# next of those characters at C speed, where an alternation of groups is tried at every
# position (seven times slower). The match itself is the group `m`, found by a lookahead
# behind the class character; a candidate inside the previous match is skipped, as a
# plain finditer would never try it. Whitespace before a line break is not part of `m`
# (the sentence before it is trimmed anyway).

#: words that end in "." without ending a sentence (compared without the dot)
ABBREVIATIONS = frozenset(
    """e.g i.e eg ie cf viz al Dr Drs Mr Mrs Ms Mx Prof Rev Hon St Sr Jr Sen Rep Gen Col Capt
    Lt Sgt Inc Ltd Co Corp Bros LLC vs v approx ca est dept Univ Assn Ave Blvd Mt Ft
    Jan Feb Mar Apr Jun Jul Aug Sep Sept Oct Nov Dec Mon Tue Tues Wed Thu Thur Thurs Fri Sat Sun
    a.m p.m U.S U.K U.N E.U Ph.D M.D B.Sc M.Sc D.O R.N Ph.D.s""".split()
)
#: abbreviations that are only abbreviations before a number ("No. 5", "Fig. 2", "p. 14")
NUMBER_ABBREVIATIONS = frozenset(
    "No Nos no Fig Figs fig Vol vol p pp Eq Ref Tab Ch Sec Art".split()
)

_DOTTED = re_compile(r"(?:[A-Za-z]\.)+[A-Za-z]\Z")  # U.S, e.g, Ph.D without the last dot
_OPENERS = "([{\"'“‘«"


def _word_before(text: str, dot: int) -> str:
    """The whitespace-delimited word ending just before text[dot], openers stripped."""
    start = max(text.rfind(" ", 0, dot), text.rfind("\n", 0, dot), text.rfind("\u00a0", 0, dot))
    return text[start + 1 : dot].lstrip(_OPENERS)


def _abbreviation(text: str, dot: int, nxt: str) -> bool:
    word = _word_before(text, dot)
    if not word:
        return False
    if word in ABBREVIATIONS or _DOTTED.match(word):
        return True
    if len(word) == 1 and word.isupper():  # an initial: "J. K. Smith"
        return True
    return word in NUMBER_ABBREVIATIONS and nxt[:1].isdigit()


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Half-open spans of the sentences of `text`, whitespace trimmed."""
    spans: list[tuple[int, int]] = []
    start = 0
    n = len(text)
    last = 0  # end of the previous match
    for m in _BOUNDARY.finditer(text):
        begin, end = m.span("m")
        if begin < last:
            continue
        last = end
        punct = m.group("end")
        if punct is not None:
            gap = m.group("gap")
            nxt = text[end : end + 1]
            if "\n" not in gap and nxt.islower():
                continue
            if punct.rstrip("\"'”’»)]") == "." and _abbreviation(text, begin, text[end:]):
                continue
            cut = begin + len(punct)
        else:
            cut = begin
        if cut > start:
            spans.append((start, cut))
        start = end
    if start < n:
        spans.append((start, n))
    out = []
    for s, e in spans:
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if e > s:
            out.append((s, e))
    return out
