"""The product-plugs pack: sentence in, flagged spans out (hard negatives included)."""

from __future__ import annotations

import pytest
from helpers_plugs import checks_of, flagged, lint

from healthlint import readers
from healthlint.kinds.brand import BrandKind
from healthlint.model import Severity
from healthlint.packs import Rule, RuleOptionError

CASES = [
    # calls to action
    ("call-to-action", "Call us today to set up a visit.", ["Call us"]),
    ("call-to-action", "Ready? Book your consultation today.", ["Book your consultation"]),
    ("call-to-action", "Schedule your free assessment with our team.",
     ["Schedule your free assessment"]),
    ("call-to-action", "Contact us to learn more about the wrap.", ["Contact us"]),
    ("call-to-action", "Home | About | Contact Us", []),  # site navigation, not a request
    ("call-to-action", "Call our office to get started today.",
     ["Call our office", "get started today"]),
    ("call-to-action", "Call your doctor or the clinic that treated you.", []),
    ("call-to-action", "Stock is low, so buy now while supplies last.",
     ["buy now", "while supplies last"]),
    ("call-to-action", "View Corelle Knee Sleeve → for sizes.", ["View Corelle Knee Sleeve →"]),
    ("call-to-action", "Questions? Speak with Maria's Team on weekdays.",
     ["Speak with Maria's Team"]),
    ("call-to-action", "Click here to order a starter kit.", ["Click here to order"]),
    ("call-to-action", "Schedule an appointment with your doctor if the pain lasts.", []),
    ("call-to-action", "If your chest hurts, call 911 now.", []),
    ("call-to-action", "In order to heal, the tendon needs rest.", []),
    ("call-to-action", "See your doctor or pharmacist before mixing medicines.", []),
    ("call-to-action", "The review of this book covers sleep and mood.", []),
    ("call-to-action", "Read more about cold packs and swelling.", []),
    # phone numbers
    ("phone-number", "Our desk answers on (415) 555-0142 every weekday.", ["(415) 555-0142"]),
    ("phone-number", "Order by phone: 415-555-0142.", ["415-555-0142"]),
    ("phone-number", "In the UK ring 0800 555 0199 to order.", ["0800 555 0199"]),
    ("phone-number", "Abroad, dial +44 20 7946 0958.", ["+44 20 7946 0958"]),
    ("phone-number", "For a poisoning, call Poison Control at 1-800-222-1222.", []),
    ("phone-number", "In a crisis call or text 988; in an emergency call 911 or 999.", []),
    ("phone-number", "Trials ran from 2019 to 2021 with 1,200 patients.", []),
    ("phone-number", "Use 905 nm at 200 mW for 5 to 20 minutes.", []),
    # prices with sales cues
    ("price-promotion", "The wrap is yours for only $49 this week.", ["only $49"]),
    ("price-promotion", "Use code RELIEF20 at checkout to save 20%.",
     ["Use code RELIEF20", "save 20%"]),
    ("price-promotion", "Every order ships with free shipping.", ["free shipping"]),
    ("price-promotion", "Backed by a money-back guarantee.", ["money-back guarantee"]),
    ("price-promotion", "Enter the promo code at checkout.", ["promo code"]),
    ("price-promotion", "Sessions typically cost $50–$150 each.", []),
    ("price-promotion", "Insurance may cover part of the course of treatment.", []),
    ("price-promotion", "A month of generic tablets costs about £4.", []),
    # HSA/FSA pitches
    ("hsa-fsa-pitch", "Good news: the wrap is HSA/FSA eligible.", ["HSA/FSA eligible"]),
    ("hsa-fsa-pitch", "The device is FSA-approved for most plans.", ["FSA-approved"]),
    ("hsa-fsa-pitch", "Pay with your HSA card at checkout.", ["Pay with your HSA"]),
    ("hsa-fsa-pitch", "Buy it with pre-tax dollars.", ["pre-tax dollars"]),
    ("hsa-fsa-pitch", "A health savings account pays for care of a diagnosed illness.", []),
    # sales copy
    ("availability-pitch", "Now available for home and professional use.",
     ["Now available for home and professional use"]),
    ("availability-pitch", "Every kit ships today before noon.", ["ships today"]),
    ("availability-pitch", "A generic version is now available and costs less.", []),
    # clinic promotion
    ("clinic-promotion", "At our clinic, patients rest on a heated table.", ["At our clinic"]),
    ("clinic-promotion", "We offer laser therapy sessions six days a week.",
     ["We offer laser therapy sessions"]),
    ("clinic-promotion", "Northside Spine Care is excited to offer cold laser therapy.",
     ["is excited to offer"]),
    ("clinic-promotion", "Our bodies repair small tears overnight.", []),
    ("clinic-promotion", "Many clinics offer laser therapy; ask about the dose.", []),
]


@pytest.mark.parametrize(("rule", "text", "expected"), CASES)
def test_sentence_flags_exactly_the_expected_spans(rule, text, expected):
    assert flagged("product-plugs", rule, text) == expected


def test_finding_positions_point_at_the_span_in_the_file():
    text = "Intro line.\n\nQuestions? Our desk answers on (415) 555-0142 today.\n"
    [f] = lint("product-plugs", "phone-number", text)
    assert (f.line, f.column, f.end_line, f.end_column) == (3, 32, 3, 46)
    assert f.category == "product-plug" and f.rule == "product-plugs.phone-number"


# ---- brand mentions ------------------------------------------------------------------

BRAND_CASES = [
    # ALL-CAPS word repeated on a page that sells: every mention
    ("The VITAWAVE pad warms the knee. VITAWAVE protocols run daily, and VITAWAVE "
     "sessions are short. Shop the pad → today.", ["VITAWAVE", "VITAWAVE", "VITAWAVE"]),
    # the same repetition on a page that sells nothing is not enough
    ("The VITAWAVE pad warms the knee. VITAWAVE protocols run daily, and VITAWAVE "
     "sessions are short.", []),
    # a model with a version number teaches the make and the model
    ("Between sessions the Brightline ZenPro 2.4 cools the joint. Brightline is light.",
     ["Brightline ZenPro 2.4", "Brightline"]),
    # a make with a model code and a device noun
    ("Patients treated with Lumora's QX 450 laser improved. The Lumora probe is small.",
     ["Lumora", "Lumora"]),
    ("A Class IV 980 laser is stronger than a Class III laser.", []),
    # a trademark sign is enough on its own
    ("The SoftCure™ wrap eases neck tension.", ["SoftCure"]),
    # the shop the author owns
    ("Sam Carter, owner of Bright Path Wellness, started the store to share tools. "
     "Bright Path Wellness ships nationwide.", ["Bright Path Wellness", "Bright Path Wellness"]),
    # ... but not when the biography only lists credentials
    ("Dr Ana Ruiz, founder of Harbor Spine Institute, trained in Madrid. Harbor Spine "
     "Institute runs trials.", []),
    # a clinic speaking for itself
    ("At ProSpinal, we specialize in laser care. ProSpinal patients rest after.",
     ["ProSpinal", "ProSpinal"]),
    # the subject of a tax pitch; generic words ("System") are not a name on their own
    ("The Acme MotionCore System is HSA/FSA eligible. Ask about MotionCore sizes.",
     ["Acme MotionCore", "MotionCore"]),
    # acronyms, spelled-out acronyms, shouting and neutral CamelCase pass
    ("Transcutaneous electrical nerve stimulation (TENS) is cheap. TENS units are small "
     "and TENS is common; buy one at a pharmacy.", []),
    ("A 2021 Cochrane review searched PubMed; PubMed lists trials; search PubMed to buy "
     "time.", []),
    ("WHAT TO EXPECT: WARNING signs. WHAT TO EXPECT next. WHAT TO EXPECT later. Buy now.", []),
    ("The FDA and the NHS publish guidance; the FDA tracks recalls and the FDA reviews "
     "devices; shop around.", []),
    # a Class 4 laser or a handheld device is a class, not a brand
    ("A Class 4 laser and a handheld device deliver different doses; buy carefully.", []),
]


@pytest.mark.parametrize(("text", "expected"), BRAND_CASES)
def test_brand_mentions(text, expected):
    assert flagged("product-plugs", "brand-mention", text) == expected


def brand_rule(**options) -> Rule:
    return Rule(
        id="p.brand", pack="p", kind="brand", category="product-plug",
        severity=Severity.WARNING, message="{name}|{count}|{reason}", rationale="r",
        source="s", examples_flag=(), examples_pass=(), options=options,
    )


def test_configured_brands_match_any_case_at_every_mention():
    kind = BrandKind(brand_rule(brands=["Acme Relief"], heuristics=False))
    doc = readers.read("a.txt", "Try ACME relief gel. acme relief works. Acme Reliefs no.", "text")
    found = list(kind.check(doc))
    assert [f.text for f in found] == ["ACME relief", "acme relief"]
    assert found[0].message == "ACME relief|2|on the brand list"


def test_mentions_next_to_each_other_merge_and_take_a_version_number():
    kind = BrandKind(brand_rule(brands=["Acme", "ZenPro"], heuristics=False))
    doc = readers.read("a.txt", "The Acme ZenPro 2.1 cools fast.", "text")
    assert [f.text for f in kind.check(doc)] == ["Acme ZenPro 2.1"]


def test_a_one_word_name_also_written_in_lower_case_is_an_ordinary_word():
    kind = BrandKind(brand_rule(teach=[r"\bView (?P<name><NAME>) →"]))
    doc = readers.read("a.txt", "View Details → for more. The details matter.", "text")
    assert list(kind.check(doc)) == []


def test_bad_teach_pattern_is_a_rule_option_error():
    with pytest.raises(RuleOptionError) as err:
        BrandKind(brand_rule(teach=["(?P<name>unclosed"]))
    assert err.value.key == "teach"


def test_brand_rule_counts_and_reasons_reach_the_message():
    text = "The SoftCure™ wrap helps. SoftCure is soft."
    found = lint("product-plugs", "brand-mention", text)
    assert [f.text for f in found] == ["SoftCure", "SoftCure"]
    assert "marked as a trademark" in found[0].message


# ---- links ---------------------------------------------------------------------------


def test_affiliate_link_in_block_links_and_bare_urls():
    from healthlint.model import BlockBuilder, Document
    from healthlint.source import LineIndex

    source = "We liked this roller and https://amzn.to/3xAbCdE too.\n"
    b = BlockBuilder()
    b.add(source.rstrip("\n"), 0)
    b.add_link("https://shop.example.com/roller?utm_source=blog", 14, 20)  # "roller"
    doc = Document("a.md", source, "markdown", (b.build("paragraph"),), LineIndex(source))
    check = checks_of("product-plugs")["affiliate-link"]
    found = list(check.check(doc))
    assert [f.text for f in found] == ["roller", "https://amzn.to/3xAbCdE"]
    assert "utm_source" in found[0].message


def test_links_to_public_bodies_and_plain_links_pass():
    text = "See https://www.nhs.uk/conditions/back-pain/?utm_source=share and https://example.org/a."
    assert flagged("product-plugs", "affiliate-link", text) == []
