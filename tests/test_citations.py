"""Citation cues: which sentences name a source, how strongly, and over what scope."""

import pytest

from healthlint.citations import (
    Strength,
    citations,
    cited,
    find_cues,
    known_sources,
    row_of,
)
from healthlint.model import BlockBuilder
from healthlint.readers import read

NONE, WEAK, STRONG = Strength.NONE, Strength.WEAK, Strength.STRONG

# (sentence, strength of the best source in it)
SENTENCES = [
    # locatable sources
    ("About 65% of adults have back pain [1].", STRONG),
    ("About 65% of adults have back pain [1, 2].", STRONG),
    ("About 65% of adults have back pain [1–3].", STRONG),
    ("About 65% of adults have back pain[^note].", STRONG),
    ("About 65% of adults have back pain.^4", STRONG),
    ("About 65% of adults have back pain¹².", STRONG),
    ("About 65% of adults have back pain.12 Others do not.", STRONG),
    ("The figure was 23%.1 It fell later.", STRONG),
    ("About 65% of adults2 have back pain.", STRONG),
    ("About 65% of adults have back pain (Smith et al., 2021).", STRONG),
    ("About 65% of adults have back pain (GBD Study, 2023).", STRONG),
    ("About 65% of adults have back pain (WHO 2022).", STRONG),
    ("About 65% of adults have back pain (Smith 2019; Jones 2020).", STRONG),
    ("Smith et al. (2021) found that 65% of adults have back pain.", STRONG),
    ("A review in Pain Physician (2023) pooled 16 trials.", STRONG),
    ("The pooled rate was 18% (doi:10.1001/jama.2021.1234).", STRONG),
    ("The pooled rate was 18% (https://doi.org/10.1000/xyz).", STRONG),
    ("The pooled rate was 18% (PMID: 12345678).", STRONG),
    ("The pooled rate was 18% (PMC1234567).", STRONG),
    ("See www.cdc.gov/arthritis for the 25% figure.", STRONG),
    ("See cdc.gov/arthritis for the 25% figure.", STRONG),
    # named but not locatable
    ("A 2021 Cochrane review of 14 trials found a small effect.", WEAK),
    ("The 2019 HUNT study followed 40,000 adults.", WEAK),
    ("Cochrane's 2021 review found a small effect.", WEAK),
    ("According to the CDC, 1 in 4 adults has arthritis.", WEAK),
    ("According to a 2021 report by the CDC, 1 in 4 adults has arthritis.", WEAK),
    ("According to Dr. Ana Ruiz, 30% of patients relapse.", WEAK),
    ("CDC data show that 45% of adults are inactive.", WEAK),
    ("The WHO estimates that 1.7 billion people have a musculoskeletal condition.", WEAK),
    ("Data from the Framingham Heart Study show a 40% drop.", WEAK),
    ("In the Framingham Heart Study, 40% had high blood pressure.", WEAK),
    ("Research from Harvard Medical School found a 30% drop.", WEAK),
    ("A study published in JAMA found a 30% drop.", WEAK),
    ("About 45% of adults (CDC) are inactive.", WEAK),
    ("About 45% of adults are inactive (source: National Health Interview Survey).", WEAK),
    ("Smith and colleagues found a 30% drop.", WEAK),
    # no source
    ("About 65% of adults have back pain.", NONE),
    ("A 2022 RCT found a 61% reduction in leg pain.", NONE),
    ("A 2021 randomized controlled trial found a 61% reduction.", NONE),
    ("Studies show that 70% of patients improve.", NONE),
    ("According to researchers, 1 in 4 adults has arthritis.", NONE),
    ("According to experts, the device works.", NONE),
    ("Experts say that half of adults will need it.", NONE),
    ("A study of 102 patients with MRI-confirmed herniation found a 61% drop.", NONE),
    ("Data from 1,200 Swedish patients show a 40% drop.", NONE),
    ("Several studies have shown that 40% of patients improve.", NONE),
    ("Fluence of 4 J/cm² was used in 40% of patients.", NONE),
    ("Treatment lasts 20 m² of skin for 40% of patients.", NONE),
    ("The clinic opened (March 2021) and treats 30% of the town.", NONE),
    ("The clinic opened in 2021 and treats 30% of the town.", NONE),
    ("The study (2021) found a 30% drop.", NONE),
]


@pytest.mark.parametrize(("sentence", "expected"), SENTENCES)
def test_strength_of_a_sentence(sentence, expected):
    doc = read("a.txt", sentence)
    block = doc.blocks[0]
    assert cited(block, 0, len(block.text)) is expected


@pytest.mark.parametrize(
    ("text", "cue"),
    [
        ("pain (Smith et al., 2021) today", "(Smith et al., 2021)"),
        ("pain [12] today", "[12]"),
        ("in 23%.1 Next", ".1"),
        ("Smith et al. (2021) found", "(2021)"),
        ("see doi:10.1001/jama.2021.1234 now", "10.1001/jama.2021.1234"),
        ("A 2021 Cochrane review of 22 RCTs", "2021 Cochrane review"),
        ("According to the CDC, 25% of adults", "According to the CDC"),
    ],
)
def test_cue_spans(text, cue):
    assert cue in [text[c.start : c.end] for c in find_cues(text)]


def test_exponent_is_not_a_footnote():
    assert find_cues("It delivers 4 J/cm² at 905 nm and covers 10 m².") == []


def test_digits_inside_a_citation_are_inside_a_cue():
    doc = read("a.txt", "Pain fell by a third (Smith et al., 2021; n=120).")
    block = doc.blocks[0]
    index = citations(block)
    n_at = block.text.index("120")
    assert index.inside_cue(n_at, n_at + 3)
    assert not index.inside_cue(0, 4)


def test_extra_known_sources():
    plain = "Acme Health Survey figures show 30% of adults walk daily."
    assert not [c for c in find_cues(plain) if c.kind == "known-source"]
    extra = known_sources(("Acme Health",))
    assert [c for c in find_cues(plain, extra) if c.kind == "known-source"]


# --- scope: sentence, short block, stat card, table row ---------------------------------


def test_a_source_in_another_sentence_of_a_long_paragraph_does_not_count():
    text = (
        "Back pain is common and costly for everyone who has it at some point in life. "
        "Most people recover within weeks, but some go on to have pain for many months. "
        "About 65% of adults will have an episode. "
        "A large review summarised the treatment options in detail (Smith et al., 2021). "
        "Exercise, heat and time help most people, and few need imaging or surgery at all."
    )
    block = read("a.txt", text).blocks[0]
    at = text.index("65%")
    assert cited(block, at, at + 3) is NONE


def test_another_sentence_of_a_short_paragraph_does_not_count():
    # GUIDELINES: the same sentence, or the same list item, table row or callout
    text = "About 65% of adults will have back pain. Most recover within weeks (Smith, 2021)."
    block = read("a.txt", text).blocks[0]
    assert cited(block, 6, 9) is NONE


@pytest.mark.parametrize(
    "text",
    [
        "About 65% of adults will have back pain. This figure comes from Smith et al. (2021).",
        "About 65% of adults will have back pain. Source: National Health Interview Survey.",
        "A 2021 CDC survey asked 30,000 adults about pain. It found that 65% had some.",
    ],
)
def test_a_sentence_that_continues_the_claim_shares_its_source(text):
    block = read("a.txt", text).blocks[0]
    at = text.index("65%")
    assert cited(block, at, at + 3) is not NONE


def test_a_callout_shares_its_source():
    doc = read("a.md", "> 65% of adults will have back pain.\n> Most recover (Smith, 2021).\n")
    block = doc.blocks[0]
    assert block.scope == "blockquote"
    assert cited(block, 0, 3) is STRONG


def test_list_item_is_one_scope():
    doc = read("a.md", "- 30% of runners get shin pain. Rest helps [4].\n- 40% of swimmers\n")
    first, second = doc.blocks
    assert cited(first, 0, 3) is STRONG
    assert cited(second, 0, 3) is NONE


@pytest.mark.parametrize(
    "text",
    [
        # scraped page: one element per line, cards inside a longer paragraph block
        "Key numbers from the page follow in three cards that summarise the data.\n"
        "619M\n"
        "people worldwide affected by lower back pain (GBD Study, 2023)\n"
        "65%\n"
        "of chronic back pain patients inadequately managed by conventional treatment\n",
        # a short block of cards only
        "Key facts\n619M\npeople with back pain (GBD Study, 2023)\n65%\nof patients undertreated\n",
        # figures written with words
        "Key facts\n6 in 10\npeople with back pain (GBD Study, 2023)\n"
        "65%\nof patients undertreated\n",
    ],
)
def test_stat_cards_each_keep_their_own_source(text):
    block = _block(text)
    strengths = {}
    for fig in ("619M", "6 in 10", "65%"):
        at = text.find(fig)
        if at >= 0:
            strengths[fig] = cited(block, at, at + len(fig))
    assert strengths.get("65%") is NONE
    assert STRONG in strengths.values()


def test_table_row_cells_share_a_source():
    text = (
        "| Measure | Value | Source |\n|---|---|---|\n"
        "| Prevalence | 25% of adults | CDC, 2023 |\n"
        "| Recovery | 80% of patients | none given |\n"
    )
    doc = read("a.md", text)
    blocks = doc.blocks
    by_text = {b.text: i for i, b in enumerate(blocks)}
    first = by_text["25% of adults"]
    second = by_text["80% of patients"]
    assert cited(blocks[first], 0, 3, row_of(blocks, first)) is WEAK
    assert cited(blocks[second], 0, 3, row_of(blocks, second)) is NONE
    assert len(row_of(blocks, first)) == 3


def test_links_are_sources():
    doc = read("a.md", "About [65% of adults](https://example.org/study) have back pain.\n")
    block = doc.blocks[0]
    assert cited(block, 6, 9) is STRONG
    relative = read("a.md", "About [65% of adults](/blog/back-pain) have back pain.\n").blocks[0]
    assert cited(relative, 6, 9) is WEAK
    text = "About 65% of adults [call us](tel:5551234567) have back pain.\n"
    phone = read("a.md", text).blocks[0]
    assert cited(phone, 6, 9) is NONE


def _block(text: str, scope: str = "paragraph"):
    builder = BlockBuilder()
    builder.add(text, 0)
    return builder.build(scope)


@pytest.mark.parametrize(
    ("text", "segments"),
    [
        # sentences
        ("One is here. Two is there.", ["One is here.", "Two is there."]),
        # a figure alone on its line belongs with the caption below it
        (
            "Numbers from the survey are below.\n65%\nof adults said so\n22\nRCTs were run",
            ["Numbers from the survey are below.", "65%\nof adults said so", "22\nRCTs were run"],
        ),
        # a wrapped line that continues in lower case stays one sentence
        (
            "According to the survey run by the national office last year, about\n"
            "65% of adults said so.",
            ["According to the survey run by the national office last year, about\n"
             "65% of adults said so."],
        ),
        # a list-like line starts a new element
        ("Benefits:\n- 30% less pain\n- faster sleep", ["Benefits:", "- 30% less pain",
                                                         "- faster sleep"]),
    ],
)
def test_segments(text, segments):
    block = _block(text)
    index = citations(block)
    assert [block.text[s.start : s.end] for s in index.segments] == segments


def test_same_text_in_two_documents_gives_the_same_answers_and_keeps_no_documents():
    text = "About 65% of adults get back pain [1]. Then 30% of men do."
    first = read("a.txt", text).blocks[0]
    second = read("b.md", text).blocks[0]
    assert cited(first, 6, 9) is cited(second, 6, 9) is STRONG
    at = text.index("30%")
    assert cited(first, at, at + 3) is cited(second, at, at + 3) is NONE
    import gc

    from healthlint.citations import _ByText

    # the text-keyed layout cache holds text only, never a block (or its document)
    keys = [o for o in gc.get_objects() if isinstance(o, _ByText)]
    assert keys and all(k.block is None for k in keys)
