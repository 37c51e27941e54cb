from __future__ import annotations

import time

import pytest

from healthlint.sentences import split_sentences


def sentences(text: str) -> list[str]:
    return [text[s:e] for s, e in split_sentences(text)]


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("One. Two.", ["One.", "Two."]),
        ("Use a cold pack, e.g. Frozen peas work.", ["Use a cold pack, e.g. Frozen peas work."]),
        ("Swelling, i.e. Fluid, builds up.", ["Swelling, i.e. Fluid, builds up."]),
        ("Ask Dr. Patel first. She knows.", ["Ask Dr. Patel first.", "She knows."]),
        (
            "Smith et al. Found a link. Others did not.",
            ["Smith et al. Found a link.", "Others did not."],
        ),
        ("Sold in the U.S. Since 2019.", ["Sold in the U.S. Since 2019."]),
        ("Ice vs. Heat is a debate.", ["Ice vs. Heat is a debate."]),
        ("J. K. Rowan wrote it. Read it.", ["J. K. Rowan wrote it.", "Read it."]),
        (
            "Gains were 2.4x higher. Cost was $8.98 each.",
            ["Gains were 2.4x higher.", "Cost was $8.98 each."],
        ),
        ("A trial (n=1,200) ran. It ended.", ["A trial (n=1,200) ran.", "It ended."]),
        ("It helped... Then it stopped.", ["It helped...", "Then it stopped."]),
        ("It helped\u2026 Then it stopped.", ["It helped\u2026", "Then it stopped."]),
        ("It helped... and then stopped.", ["It helped... and then stopped."]),
        ('She said "it works." Then she left.', ['She said "it works."', "Then she left."]),
        ("(See the label.) Next step.", ["(See the label.)", "Next step."]),
        ("Is it safe? Yes! Always.", ["Is it safe?", "Yes!", "Always."]),
        ("Is it painful? No. Most feel warmth.", ["Is it painful?", "No.", "Most feel warmth."]),
        ("See No. 5 and Fig. 2 for data. Done.", ["See No. 5 and Fig. 2 for data.", "Done."]),
        ("The answer was no. Then we tried.", ["The answer was no.", "Then we tried."]),
        ("Results in 2019. 25% improved.", ["Results in 2019.", "25% improved."]),
        (
            "lower case after a dot. is not a new sentence",
            ["lower case after a dot. is not a new sentence"],
        ),
        ("A line that ends here.\nthen lower case", ["A line that ends here.", "then lower case"]),
        (
            "A line that wraps\nmid sentence. Then more.",
            ["A line that wraps\nmid sentence.", "Then more."],
        ),
        (
            "What you get:\n- one item\n- two items\n1. three",
            ["What you get:", "- one item", "- two items", "1. three"],
        ),
        ("First block\n\nsecond block", ["First block", "second block"]),
        ("Trailing spaces.   ", ["Trailing spaces."]),
        ("  ", []),
        ("", []),
        ("No terminal punctuation", ["No terminal punctuation"]),
        ("Visit at 9 a.m. Monday.", ["Visit at 9 a.m. Monday."]),
        ("Wow!! Really?! Yes.", ["Wow!!", "Really?!", "Yes."]),
        ("It is safe.\u00a0It works.", ["It is safe.", "It works."]),
        # spaces before a blank line or a list line stay out of the sentence
        ("First block \t \n\nsecond block", ["First block", "second block"]),
        ("You get: \t\n- one item  \n2) two", ["You get:", "- one item", "2) two"]),
        ("Dots... \n\nand more", ["Dots...", "and more"]),
    ],
)
def test_split(text, want):
    assert sentences(text) == want


def test_spans_are_trimmed_and_ordered():
    text = "  First one.  Second one!\n\n  Third?  "
    spans = split_sentences(text)
    assert [text[s:e] for s, e in spans] == ["First one.", "Second one!", "Third?"]
    assert all(a[1] <= b[0] for a, b in zip(spans, spans[1:], strict=False))


def test_fast_on_long_text():
    text = "The brace reduced pain by 40% in 2.4x fewer days, e.g. Dr. Lee's trial. " * 5000
    start = time.perf_counter()
    spans = split_sentences(text)
    assert len(spans) == 5000
    assert time.perf_counter() - start < 0.5
