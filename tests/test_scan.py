"""The fast multi-pattern Scanner gives the same matches as a plain regex search."""

import random
import re

import pytest

from healthlint.scan import PatternError, Scanner, build_scanner, first_chars, fold_safe, prefixes
from healthlint.scan import _parse as parse

TEXT = (
    "About 65% of adults, 1 in 4 teens and half of all patients had it. Studies show "
    "a 2.4x larger effect; n=1,200. Costs: $12 billion. Odds ratio 1.8, p<0.05. "
    "Several studies have shown it. In trials, it worked. Research from 2019 agrees.\n\n"
    "A second block: 40% OF MEN, Two-fold risk, one in five. ≤0.01 and €3 million."
)

PATTERN_SETS = [
    # symbol-led only
    [r"(?<![\w.])\d+(?:\.\d+)?\s?%", r"\$\s?\d+\s?(?:million|billion)", r"[<≤]\s?0?\.\d+"],
    # word-led only
    [r"\bhalf\s+of\s+\w+", r"\b(?:one|two)\s+in\s+\w+", r"\bodds\s+ratio\s+\d+(?:\.\d+)?"],
    # mixed, including patterns the scanner cannot classify
    [r"\d+x\s+larger", r"\bstudies\s+(?:show|have\s+shown)", r"\w+-fold", r"[A-Z]{2,}\s+\w+"],
    # overlapping alternatives
    [r"\d+", r"\d+%\s+of\s+\w+", r"of\s+\w+"],
]


def naive(patterns, text, flags):
    rx = re.compile("|".join(f"(?:{p})" for p in patterns), flags)
    return [m.span() for m in rx.finditer(text) if m.end() > m.start()]


@pytest.mark.parametrize("patterns", PATTERN_SETS)
@pytest.mark.parametrize("flags", [0, re.IGNORECASE])
def test_same_matches_as_one_regex(patterns, flags):
    scanner = build_scanner(patterns, flags)
    got = scanner.spans(TEXT, TEXT.lower())
    want = naive(patterns, TEXT, flags)
    # leftmost, non-overlapping: the same starts; at a shared start the longer match
    assert [s for s, _ in got] == [s for s, _ in want]
    assert all(e2 >= e1 for (_, e1), (_, e2) in zip(want, got, strict=False))


def test_random_texts_agree_with_one_regex():
    rng = random.Random(7)
    words = ["65%", "of", "adults", "1", "in", "4", "half", "studies", "show", "$12", "billion",
             "n=40", "x", "2.4x", "larger", "One", "IN", "five", "\n\n", "p<0.05", "€3", "million"]
    patterns = PATTERN_SETS[0] + PATTERN_SETS[1] + [r"\bstudies\s+show", r"\d+(?:\.\d+)?x\s+larger"]
    scanner = build_scanner(patterns, re.IGNORECASE)
    for _ in range(200):
        text = " ".join(rng.choice(words) for _ in range(30))
        got = [s for s, _ in scanner.spans(text, text.lower())]
        assert got == [s for s, _ in naive(patterns, text, re.IGNORECASE)], text


def test_barrier_drops_matches_across_blocks():
    scanner = Scanner([r"\d+\s+people"])
    text = "in 2026\n\n619 people"
    assert scanner.spans(text, barrier="\n\n") == [(9, 19)]


def test_bounds():
    scanner = Scanner([r"\d+%"])
    text = "10% and 20% and 30%"
    assert scanner.spans(text, lo=4, hi=12) == [(8, 11)]


def test_overlaps():
    scanner = build_scanner([r"\bphase\s+\d", r"(?-i:\b[A-Z][a-z]*[A-Z][\w-]*)\s\d"], re.IGNORECASE)
    text = "The Phase 3 trials and the GRPro 2 unit and 3 trials"
    at = text.index("3 trials")
    assert scanner.overlaps(text, at, at + 8, folded=text.lower())
    at = text.index("2 unit")
    assert scanner.overlaps(text, at, at + 6, folded=text.lower())
    at = text.rindex("3 trials")
    assert not scanner.overlaps(text, at, at + 8, lo=at - 10, folded=text.lower())


def test_anchors_find_the_same_matches():
    patterns = [
        r"\bstudies\s+show",
        r"\bshown\s+in\s+(?:\w+\s+){0,2}studies",
        r"\baccording\s+to\s+research",
    ]
    text = "Studies show it. It was shown in cell culture studies. According to research, yes."
    plain = build_scanner(patterns, re.IGNORECASE).spans(text, text.lower())
    anchored = build_scanner(patterns, re.IGNORECASE, anchors=["studies", "research"]).spans(
        text, text.lower()
    )
    assert anchored == plain == naive(patterns, text, re.IGNORECASE)


def test_folding_falls_back_when_lower_changes_length():
    # "İ".lower() is two code points: the folded text would not line up
    text = "İstanbul: 40% of adults"
    scanner = Scanner([r"\d+% of adults"], re.IGNORECASE)
    assert scanner.fold
    assert scanner.spans(text, text.lower()) == [(10, 23)]


def test_bad_pattern_names_its_index():
    with pytest.raises(PatternError) as err:
        Scanner([r"ok", r"(unclosed"])
    assert err.value.index == 1


@pytest.mark.parametrize(
    ("pattern", "chars"),
    [
        (r"\d+%", {"DIGIT"}),
        (r"[$€]?\d+", {"DIGIT", "$", "€"}),
        (r"(?<![\w.])(?:\d{1,3}(?:,\d{3})+|\d+)", {"DIGIT"}),
        (r"(?:(?<=n=)|(?<=n = ))\d+", {"DIGIT"}),
        (r"\bhalf|one", {"h", "o"}),
        (r".+", None),
    ],
)
def test_first_chars(pattern, chars):
    assert first_chars(parse(pattern, 0)) == chars


@pytest.mark.parametrize(
    ("pattern", "words"),
    [
        (r"\b(?:half|one[\s-]third)\s+of", {"half", "one"}),
        (r"p(?:atients|eople)", {"patients", "people"}),
        (r"(?:(?<=\ba )|(?<=\bone ))?(?:thirds?|quarters?)", {"third", "quarter"}),
        (r"(?:very\s+)?large", {"very", "large"}),
        (r"\d+", None),
    ],
)
def test_prefixes(pattern, words):
    assert prefixes(parse(pattern, re.IGNORECASE)) == words


@pytest.mark.parametrize(
    ("pattern", "safe"),
    [(r"\bstudies\s+show", True), (r"\bStudies", False), (r"(?-i:OR)\s\d", False),
     (r"[^\n]x", True), (r"[A-Z]\d", False), (r"\S+\W", True)],
)
def test_fold_safe(pattern, safe):
    assert fold_safe(pattern) is safe
