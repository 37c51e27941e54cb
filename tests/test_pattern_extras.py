"""pattern kind additions: term lists, block exceptions, and a word-prefix prefilter
that finds what a whole-text scan finds."""

from __future__ import annotations

import random

import pytest
from _kindcheck import check, make_rule, where

from healthlint.kinds.pattern import PatternKind
from healthlint.kinds.presence import leading_word
from healthlint.packs import RuleOptionError
from healthlint.readers import read
from healthlint.vocabulary import Vocabulary, vocabulary

TERMS = {"disease": ["arthritis", "type 2 diabetes", "heart disease"],
         "verb": ["cures", "prevents"]}


def test_terms_expand_into_patterns_longest_first():
    text = "# T\n\nThis tea cures type 2 diabetes and prevents heart\ndisease.\n"
    found = check("pattern", text, patterns=["\\b{verb}\\s+{disease}\\b"], terms=TERMS)
    assert [where(f) for f in found] == [
        (3, 10, 3, 31, "cures type 2 diabetes"),
        (3, 36, 4, 8, "prevents heart\ndisease"),
    ]


def test_unknown_term_names_and_quantifiers_are_left_alone():
    found = check("pattern", "# T\n\nA 1234 code.\n", patterns=["\\b\\d{4}\\b{nothing}?"],
                  terms=TERMS)
    assert [f.text for f in found] == []  # "{nothing}" stays literal: no match
    found = check("pattern", "# T\n\nA 1234 code.\n", patterns=["\\b\\d{4}\\b"], terms=TERMS)
    assert [f.text for f in found] == ["1234"]


def test_terms_expand_in_exceptions_too():
    text = "# T\n\nIt cures arthritis (Smith, 2020). It cures arthritis.\n"
    found = check("pattern", text, patterns=["\\b{verb}\\s+{disease}\\b"], terms=TERMS,
                  exceptions=["\\b{verb}\\s[^.]*\\(Smith, 2020\\)"])
    assert [where(f) for f in found] == [(3, 38, 3, 53, "cures arthritis")]


def test_span_group_narrows_the_finding():
    found = check("pattern", "# T\n\nOur gummies cure arthritis fast.\n",
                  patterns=["\\bgummies\\b[^.]*?(?P<span>\\bcure\\s+{disease})"], terms=TERMS)
    assert [where(f) for f in found] == [(3, 13, 3, 27, "cure arthritis")]


def test_block_exceptions_silence_the_whole_paragraph_only():
    text = ("# T\n\nI was cured in a week! Results are not typical.\n\n"
            "I was cured in a week!\n")
    found = check("pattern", text, phrases=["I was cured"],
                  block_exceptions=["\\bnot\\s+typical\\b"])
    assert [where(f) for f in found] == [(5, 1, 5, 12, "I was cured")]


def test_bad_block_exception_is_reported():
    with pytest.raises(RuleOptionError) as exc:
        PatternKind(make_rule("pattern", phrases=["x"], block_exceptions=["(oops"]))
    assert exc.value.key == "block_exceptions"


def test_prefixes_skip_documents_without_those_words():
    rule = make_rule("pattern", patterns=["\\bmirac\\w*"], prefixes=["mirac"])
    kind = PatternKind(rule)
    assert [f.text for f in kind.check(read("a.md", "# T\n\nA miraculous cream.\n"))] == [
        "miraculous"
    ]
    assert list(kind.check(read("a.md", "# T\n\nA plain cream.\n"))) == []


def test_prefixes_must_be_in_every_match():
    with pytest.raises(RuleOptionError) as exc:
        PatternKind(make_rule("pattern", patterns=["\\bmiracul\\w*"], prefixes=["miracle"]))
    assert exc.value.key == "prefixes" and "none of the prefixes" in exc.value.message


def test_prefixes_are_word_beginnings_not_substrings():
    # "approved" inside "disapproved" starts no word: the document is skipped
    rule = make_rule("pattern", patterns=["approved"], prefixes=["approved"])
    assert list(PatternKind(rule).check(read("a.md", "# T\n\nIt was disapproved.\n"))) == []


def _random_article(rng: random.Random) -> str:
    words = ("the miracle cure risk-free pain knee brace works for everyone no side effects "
             "game-changer trial doctor said and it may help some people").split()
    paras = []
    for _ in range(rng.randint(1, 8)):
        paras.append(" ".join(rng.choice(words) for _ in range(rng.randint(3, 40))))
    return "# Title\n\n" + "\n\n".join(paras) + "\n"


def test_prefixes_find_the_same_matches_as_a_whole_text_scan():
    rng = random.Random(5)
    pats = ["\\bmiracle\\s+cure\\b", "\\bno\\s+side\\s+effects\\b", "\\bgame-changer\\b"]
    with_kw = PatternKind(make_rule("pattern", patterns=pats, prefixes=["miracle", "side", "game"]))
    without = PatternKind(make_rule("pattern", patterns=pats))
    without.prefilter = False  # every block of every document
    for _ in range(200):
        doc = read("a.md", _random_article(rng))
        a = [where(f) for f in with_kw.check(doc)]
        b = [where(f) for f in without.check(doc)]
        assert a == b


def test_vocabulary_prefix_tests():
    v = Vocabulary("the knee-brace works; doesn't it? café 2024")
    assert v.has_prefix("kne") and v.has_prefix("brace") and v.has_prefix("caf")
    assert v.has_prefix("café") and v.has_prefix("2024") and v.has_prefix("doesn")
    assert not v.has_prefix("race") and not v.has_prefix("zz")
    assert v.present(["zz", "work", "it"]) == ["work", "it"]


def test_vocabulary_is_built_once_per_document():
    doc = read("a.md", "# T\n\nWords here.\n")
    assert vocabulary(doc) is vocabulary(doc)
    assert vocabulary(read("a.md", "# T\n\nWords here.\n")) is not vocabulary(doc)


@pytest.mark.parametrize(
    "pattern, word",
    [("\\bharm(?:s|ful)?\\b", "harm"), ("\\beffects?\\b", "effect"), ("\\bSide\\s+effects", "side"),
     ("(?m:^references\\s*$)", "references"), ("(?m:^)(?-i:By\\s+[A-Z])", "by"),
     ("\\bcontra-?indicat", "contra"), ("\\bvs\\.?\\s", "vs"),
     ("harm", None), ("\\Bharm", None), ("\\bfoo|\\bbar", None), ("\\b(?:a|b)c", None),
     ("\\[\\d+\\]", None), ("\\bx\\b", None), ("(unclosed", None)],
)
def test_leading_word(pattern, word):
    assert leading_word(pattern) == word
