"""The absolute-claims and template-leftovers packs on sentences written for these tests:
what an editor following the guideline flags (rule short id) and what is left alone."""

from __future__ import annotations

from pathlib import Path

import pytest

from healthlint import engine
from healthlint.packs import build_checks, load_packs
from healthlint.readers import read

RULES = Path(__file__).resolve().parent.parent / "rules"
PACKS = [RULES / "absolute-claims.yaml", RULES / "template-leftovers.yaml"]
CHECKS = build_checks(load_packs(PACKS))


def hits(text: str) -> list[tuple[str, str]]:
    doc = read("t.txt", text)
    return [(f.rule.partition(".")[2], f.text) for f in engine.lint(doc, CHECKS)]


FLAGGED = [
    # safety as certain
    ("Our cold laser is 100% safe and gentle.", [("absolutely-safe", "100% safe")]),
    ("It is 100 percent safe for daily use.", [("absolutely-safe", "100 percent safe")]),
    ("Decompression is 100% natural and safe.", [("absolutely-safe", "100% natural and safe")]),
    ("The therapy is totally safe.", [("absolutely-safe", "totally safe")]),
    ("A risk free alternative to injections.", [("risk-free", "risk free")]),
    ("There are zero side effects.", [("no-side-effects", "zero side effects")]),
    ("Side effects: none.", [("no-side-effects", "Side effects: none")]),
    ("It works without any side-effects.", [("no-side-effects", "without any side-effects")]),
    ("The treatment has no adverse effects.", [("no-side-effects", "no adverse effects")]),
    ("Shockwave therapy is safe for everyone.", [("safe-for-everyone", "safe for everyone")]),
    # effect as certain
    ("Pain relief, guaranteed.", [("guaranteed-results", "relief, guaranteed")]),
    ("It works every time.", [("works-for-everyone", "works every time")]),
    ("Our method never fails.", [("works-for-everyone", "never fails")]),
    ("The results are permanent.", [("permanent-results", "results are permanent")]),
    ("Laser therapy cured my sciatica.", [("cures", "cured")]),
    ("It reverses nerve damage.", [("cures", "reverses nerve damage")]),
    ("This eliminates sciatic pain in days.", [("eliminates-pain", "eliminates sciatic pain")]),
    ("Relief is immediate.", [("instant-relief", "Relief is immediate")]),
    ("The wrap immediately relieves knee pain.", [("instant-relief", "immediately relieves")]),
    ("It works 100% of the time.", [("works-for-everyone", "works 100% of the time")]),
    ("The session is 100% painless.", [("pain-free", "100% painless")]),
    ("Walk out with no downtime at all.", [("no-downtime", "no downtime")]),
    ("There is zero recovery period.", [("no-recovery-time", "zero recovery period")]),
    ("Kiss goodbye to back pain.", [("never-again", "Kiss goodbye to back pain")]),
    # proof as settled, universality
    ("Our protocol is medically proven.", [("proven", "medically proven")]),
    ("It has been proven to reduce swelling.", [("proven", "proven to reduce")]),
    ("Research has proven the benefits.", [("proven", "Research has proven")]),
    ("Suitable for people of all ages.", [("suitable-for-everyone",
                                          "Suitable for people of all ages")]),
    ("Everyone can benefit from it.", [("suitable-for-everyone", "Everyone can benefit")]),
    # endorsement on the seller's page still counts (16 CFR 255.1(a))
    ("Our patients tell us it is completely safe.", [("absolutely-safe", "completely safe")]),
    # a claim after the negation's clause ends
    ("It is not surgery, and it is completely safe.", [("absolutely-safe", "completely safe")]),
    ("Say goodbye to heel pain with our proven protocol.",
     [("never-again", "Say goodbye to heel pain"), ("proven", "proven protocol")]),
    # template leftovers
    ("Find a clinic near you (insert clinic link here).",
     [("insert-instruction", "(insert clinic link here)")]),
    ("Ask [Doctor Name] about it.", [("bracket-placeholder", "[Doctor Name]")]),
    ("XXX add the study here", [("editing-marker", "XXX")]),
    # one finding per leftover: the matches of a rule do not overlap
    ("Sure! Here's the rewritten article.", [("assistant-residue", "Sure! Here's")]),
]


@pytest.mark.parametrize(("text", "expected"), FLAGGED, ids=[t for t, _ in FLAGGED])
def test_flagged(text, expected):
    assert hits(text) == expected


NOT_FLAGGED = [
    # negated or limited
    "Laser therapy is not a cure-all, and results vary.",
    "There is no evidence that it cures disc herniation.",
    "No treatment is 100% safe.",
    "It is wrong to say the treatment is completely safe.",
    "Clinics that claim it is 100% safe are overstating the evidence.",
    "The idea that one session cures sciatica is a myth.",
    "Myth: the laser eliminates pain permanently.",
    "Some providers advertise it as risk-free.",
    # hedged
    "Laser therapy may help reduce pain.",
    "It can reduce inflammation in some patients.",
    "The treatment is generally painless.",
    "Most patients have no side effects.",
    "Many people feel immediate relief after the first session.",
    "It could offer permanent relief for some.",
    "Results are often long-lasting.",
    # questions
    "Is it 100% safe?",
    "Does laser therapy cure back pain?",
    "Will I need recovery time?",
    # plain descriptions of a procedure
    "There are no incisions and no stitches.",
    "The device has no moving parts.",
    "Patients are awake and there is no anesthesia.",
    "It has minimal side effects, such as mild warmth.",
    "The 2021 review reported no serious side effects.",
    "Side effects were rare and mild.",
    "There is virtually no risk of infection because no needles are used.",
    "Doctors once believed that bed rest would cure back pain.",
    "A cure for disc degeneration has not yet been found.",
    "No treatment works for everyone, and what helps one person may not help another.",
    "We cannot guarantee results, but we will tailor the plan to you.",
    "Ice and heat are harmless for most people.",
    # words that only look like claims
    "Prevention is better than cure.",
    "A proven track record of care since 1998.",
    "The pedicure and manicure rooms are upstairs.",
    "Sizes run from S to XXXL.",
    "It is ideal for patients who sit all day.",
    "Insurance may cover part of the cost.",
    "Put an ice pack on the area (wrap it in a towel).",
]


@pytest.mark.parametrize("text", NOT_FLAGGED)
def test_not_flagged(text):
    assert hits(text) == []


def test_positions_in_a_plain_text_article():
    text = (
        "Laser Therapy for Sciatica\n"
        "Is it 100% safe? Many readers ask.\n"
        "| Feature | Laser | Surgery |\n"
        "|---|---|---|\n"
        "| Recovery time | None | Weeks |\n"
        "It is painless and requires no recovery time (add citation).\n"
    )
    doc = read("a.txt", text)
    got = [
        (f.line, f.column, f.end_column, f.rule, str(f.severity))
        for f in engine.lint(doc, CHECKS)
    ]
    assert got == [
        (5, 3, 23, "absolute-claims.absent-in-table", "warning"),
        (6, 29, 45, "absolute-claims.no-recovery-time", "warning"),
        (6, 46, 60, "template-leftovers.missing-citation-note", "error"),
    ]
