"""Rules on wording they were not tuned on: flag and pass cases for each general cause
found when the packs met a blind holdout set (brand cues, prices without a sales word,
calls to action, tax-account pitches, absolute claims, disease claims, statistics,
attributions, review dates and own-shop links). Every sentence is written for this file;
none comes from the holdout articles or the seed corpus."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest

from healthlint import engine
from healthlint.packs import build_checks, load_packs
from healthlint.readers import read

RULES = Path(__file__).resolve().parent.parent / "rules"


@cache
def _checks() -> tuple:
    checks = build_checks(load_packs(sorted(RULES.glob("*.yaml"))))
    return tuple(c for c in checks if c.rule.enabled)


def found(text: str, rule: str, path: str = "t.md") -> list[str]:
    """The texts of `rule`'s findings (a full id, or a pack name for all its rules)."""
    doc = read(path, text)
    return [
        f.text
        for f in engine.lint(doc, _checks())
        if f.rule == rule or f.rule.startswith(rule + ".")
    ]


# (rule, text, expected finding texts)
SENTENCES = [
    # --- NegEx: "none" and "nothing" deny what follows
    ("absolute-claims.works-for-everyone",
     "Several inhalers exist, and none works for everyone.", []),
    ("absolute-claims.works-for-everyone", "Nothing works for everybody with tinnitus.", []),
    ("absolute-claims.works-for-everyone", "No single sleep routine works for everyone.", []),
    ("absolute-claims.works-for-everyone", "This inhaler works for everyone.",
     ["works for everyone"]),
    # --- universality: an effect for every member of a group
    ("absolute-claims.works-for-everyone",
     "The gel relieved heel pain for every runner in our club.", []),  # "runner": not listed
    ("absolute-claims.works-for-everyone",
     "The gel relieved heel pain for every client of the studio.",
     ["relieved heel pain for every client"]),
    ("absolute-claims.works-for-everyone", "The drops worked for every member of my family.",
     ["worked for every member"]),
    ("absolute-claims.works-for-everyone", "We write a care plan for every patient.", []),
    ("absolute-claims.works-for-everyone",
     "It relieved soreness for most testers, though not for each one.", []),
    # --- "guaranteed to <any verb>"
    ("absolute-claims.guaranteed-results", "This wrap is guaranteed to tighten loose skin.",
     ["guaranteed to tighten"]),
    ("absolute-claims.guaranteed-results", "A shake guaranteed to burn off holiday weight.",
     ["guaranteed to burn"]),
    ("absolute-claims.guaranteed-results", "No supplement is guaranteed to boost immunity.", []),
    ("absolute-claims.guaranteed-results", "Parcels are guaranteed to arrive by Friday.", []),
    ("absolute-claims.guaranteed-results", "Fees are guaranteed to stay fixed for a year.", []),
    # --- structural repair stated as certain; hedged, bodily and surgical forms pass
    ("absolute-claims.structural-repair", "These peptides regrow lost hair follicles.",
     ["regrow lost hair follicles"]),
    ("absolute-claims.structural-repair", "The mat repairs worn spinal discs while you sleep.",
     ["repairs worn spinal discs"]),
    ("absolute-claims.structural-repair", "Bone broth rebuilds damaged ligaments.",
     ["rebuilds damaged ligaments"]),
    ("absolute-claims.structural-repair", "Collagen may help maintain healthy cartilage.", []),
    ("absolute-claims.structural-repair", "Bone remodels and repairs itself after a fracture.",
     []),
    ("absolute-claims.structural-repair", "An orthopaedic surgeon can repair a torn meniscus.",
     []),
    ("absolute-claims.structural-repair", "Worn cartilage does not regrow.", []),
    # --- effortless weight loss is an absolute claim, a rate is a regulatory one
    ("absolute-claims.effortless-weight-loss", "The patches melt stubborn fat overnight.",
     ["melt stubborn fat"]),
    ("regulatory.weight-loss-rate", "The patches melt stubborn fat overnight.", []),
    ("regulatory.weight-loss-rate", "Drop 6 kg in 3 weeks with the broth plan.",
     ["Drop 6 kg in 3 weeks"]),
    # --- proof as settled: one finding, in absolute-claim
    ("absolute-claims.proven", "Our neck pillow is clinically proven to ease stiffness.",
     ["clinically proven"]),
    ("regulatory.establishment-claim",
     "Our neck pillow is clinically proven to ease stiffness.", []),
    ("regulatory.establishment-claim", "A dermatologist-recommended balm for dry hands.",
     ["dermatologist-recommended"]),
    ("regulatory.establishment-claim", "The foot cream is clinically tested.",
     ["clinically tested"]),
    # --- disease claims: stopping, halting or slowing a disease
    ("regulatory.supplement-disease-claim", "Our zinc lozenges halt the progression of acne.",
     ["halt the progression of acne"]),
    ("regulatory.supplement-disease-claim",
     "Taken daily, berberine slows the onset of type 2 diabetes.",
     ["slows the onset of type 2 diabetes"]),
    ("regulatory.supplement-disease-claim",
     "Stopping smoking slows the progression of emphysema.", []),
    ("regulatory.supplement-disease-claim", "Melatonin is a hormone made by the brain.", []),
    # --- statistics: concentrations are not, counts of buyers are
    ("uncited-statistics.uncited-statistic",
     "Each softgel holds 200 mg boswellia extract, standardised to 65% boswellic acids.", []),
    ("uncited-statistics.uncited-statistic",
     "The rinse contains 6% hydrogen peroxide and mint oil.", []),
    ("uncited-statistics.uncited-statistic", "A serving gives 40% of your daily value of iron.",
     []),
    ("uncited-statistics.uncited-statistic",
     "Eight out of ten customers said the insoles helped.", ["Eight out of ten"]),
    ("uncited-statistics.uncited-statistic", "4 out of 5 reviewers rated it highly.",
     ["4 out of 5"]),
    ("uncited-statistics.uncited-statistic", "Rate your itch from 0 to 10; 7 out of 10 is bad.",
     []),
    # --- a source named right after the figure
    ("uncited-statistics.uncited-statistic",
     "Nearly 60% of carers lose sleep, in a survey commissioned by Carers Trust Scotland.", []),
    ("uncited-statistics.uncited-statistic",
     "Nearly 60% of carers lose sleep, according to the Mental Health Foundation.", []),
    ("uncited-statistics.uncited-statistic",
     "Nearly 60% of carers lose sleep, in a poll commissioned by the brand.", ["60%"]),
    # --- vague attribution from an unnamed place
    ("uncited-statistics.vague-attribution",
     "Researchers at a children's hospital found that naps help.",
     ["Researchers at a children's hospital found"]),
    ("uncited-statistics.vague-attribution", "Scientists have discovered a gut link.",
     ["Scientists have discovered"]),
    ("uncited-statistics.vague-attribution", "A group of doctors concluded that it works.",
     ["doctors concluded"]),
    ("uncited-statistics.vague-attribution",
     "Researchers at Karolinska Institutet found that naps help.", []),
    # --- calls to action
    ("product-plugs.call-to-action", "Book your knee rehab assessment today.",
     ["Book your knee rehab assessment today"]),
    ("product-plugs.call-to-action", "Schedule your free gait analysis session with us.",
     ["Schedule your free gait analysis session"]),
    ("product-plugs.call-to-action", "Stocks are low, so snag yours now.", ["snag yours"]),
    ("product-plugs.call-to-action", "Claim your free sample at the till.",
     ["Claim your free"]),
    ("product-plugs.call-to-action", "Order your starter kit today!",
     ["Order your starter kit today"]),
    ("product-plugs.call-to-action", "Book your blood test appointment online.", []),
    ("product-plugs.call-to-action", "Book your annual eye exam today.", []),
    ("product-plugs.call-to-action", "Grab a chair and sit up straight.", []),
    ("product-plugs.call-to-action", "If you feel faint, call 999 at once.", []),
    ("product-plugs.call-to-action", "See your GP if the cough lasts three weeks.", []),
    # --- prices with purchase intent, without a sales word
    ("product-plugs.price-promotion", "- Price: £35", ["Price: £35"]),
    ("product-plugs.price-promotion", "Gel nails for €25 this weekend only.",
     ["this weekend only"]),
    ("product-plugs.price-promotion", "Carers receive a 20% discount on every class.",
     ["20% discount"]),
    ("product-plugs.price-promotion", "Physiotherapy typically costs £45–£70 per session.", []),
    ("product-plugs.price-promotion", "Price: $60 to $120, depending on the area.", []),
    ("product-plugs.price-promotion", "Your insurance may cover part of the cost.", []),
    # --- tax-account pitches
    ("product-plugs.hsa-fsa-pitch", "Every massager here can be paid for with your FSA.",
     ["paid for with your FSA"]),
    ("product-plugs.hsa-fsa-pitch", "Buy one with your HSA before the year ends.",
     ["Buy one with your HSA"]),
    ("product-plugs.hsa-fsa-pitch", "Check whether glasses can be bought with HSA funds.", []),
]


@pytest.mark.parametrize(("rule", "text", "expected"), SENTENCES)
def test_sentence(rule, text, expected):
    assert found(text, rule) == expected


# Brand names a page names only once or twice, learned from general cues.
BRAND_FLAGGED = [
    ("## Runner-up: Quillo Neck Rest\n\nIt is firm.\n", ["Quillo Neck Rest"]),
    ("## Editor's choice - SoleMate Arch 2\n\nA firm insole.\n", ["SoleMate Arch"]),
    ("The Brisa Cool Cap costs $59 and stays cold for an hour.\n", ["Brisa Cool Cap"]),
    ("The Brisa Cool Cap ($59) stays cold for an hour.\n", ["Brisa Cool Cap"]),
    ("FrostLine costs £40 a month.\n", ["FrostLine"]),
    ("Our ArcLite PulsePad device eases period cramps.\n", ["ArcLite PulsePad"]),
    ("Sleep well. [Shop Lumen Night Mask now →](https://x.example/p/12)\n",
     ["Lumen Night Mask"]),
    # a name in a shop link's text, or spelt by its slug
    ("Try the [Alder Wrist Brace](https://alder.example/products/wrist?ref=mag).\n",
     ["Alder Wrist Brace"]),
    ("## Our pick\n\nThe Tundra Knee Sleeve is warm. [See deals](https://amzn.to/x/tundra-knee-sleeve)\n",
     ["Tundra Knee Sleeve"]),
]

BRAND_PASSED = [
    "Physiotherapy costs £50 a session in most towns.\n",
    "Acupuncture ($80) is sometimes covered by insurance.\n",
    "Our Pelvic Floor programme runs on Tuesdays.\n",
    "## Best for beginners: walking\n\nStart with ten minutes.\n",
    "[Check the price on Amazon](https://amzn.to/abc) before you buy a heat pad.\n",
    "The [NHS guide](https://www.nhs.uk/conditions/back-pain/) explains when to worry.\n",
]


@pytest.mark.parametrize(("text", "expected"), BRAND_FLAGGED)
def test_brand_learned_from_a_general_cue(text, expected):
    assert found(text, "product-plugs.brand-mention") == expected


@pytest.mark.parametrize("text", BRAND_PASSED)
def test_no_brand_learned(text):
    assert found(text, "product-plugs.brand-mention") == []


def test_slug_in_front_matter_does_not_unlearn_a_brand():
    body = (
        "# Why we made SnoozeBand\n\nSnoozeBand plays rain sounds. Readers ask if SnoozeBand "
        "helps; SnoozeBand is no sleeping pill. Shop SnoozeBand online.\n"
    )
    assert len(found(body, "product-plugs.brand-mention")) == 5
    with_slug = "---\nslug: snoozeband-review\n---\n\n" + body
    assert len(found(with_slug, "product-plugs.brand-mention")) == 5
    # a real lower-case use in the text still marks an ordinary word
    lower = body + "\nA snoozeband is any soft headband.\n"
    assert found(lower, "product-plugs.brand-mention") == []


# FTC 16 CFR 255.5: a seller that says the product is its own has disclosed the connection.
LINKS = [
    ("# Heat\n\nWe sell this pad. [Buy the pad](https://heatco.example/shop/pad)\n", []),
    ("# Heat\n\nOur new formula warms fast. [Buy it](https://heatco.example/shop/pad)\n", []),
    ("# Heat\n\nThe pad is [available in our store](https://heatco.example/shop/pad).\n", []),
    ("# Heat\n\nA warm pad helps. [Buy the pad](https://heatco.example/shop/pad)\n",
     ["Buy the pad"]),
    ("# Heat\n\nA warm pad helps. [This pad](/shop/pad) is good.\n", ["This pad"]),
    ("# Heat\n\nOur product reviews are independent. [This pad](https://amzn.to/x) is good.\n",
     ["This pad"]),
]


@pytest.mark.parametrize(("text", "expected"), LINKS)
def test_commercial_link_disclosure(text, expected):
    assert found(text, "disclosure.undisclosed-commercial-link") == expected


def test_review_overdue_reads_review_dates_only():
    old_review = "---\nlast_reviewed: 2015-01-01\n---\n\n# Gout\n\nRest the joint.\n"
    assert found(old_review, "disclosure.review-overdue") == ["2015-01-01"]
    published = "---\ndate: 2015-01-01\n---\n\n# Gout\n\nRest the joint.\n"
    assert found(published, "disclosure.review-overdue") == []
    updated = "# Gout\n\nUpdated May 2015\n\nRest the joint.\n"
    assert found(updated, "disclosure.review-overdue") == []
    reviewed = "# Gout\n\nClinically reviewed by Dr Jo Park on 4 May 2015.\n\nRest.\n"
    assert found(reviewed, "disclosure.review-overdue") == ["4 May 2015"]
