from __future__ import annotations

import glob
import os
import re

import pytest
from _mapcheck import assert_exact_map, expected, located

from healthlint.readers import read as read_any
from healthlint.readers import text
from healthlint.source import decode

SEEDS = sorted(glob.glob("/work/shared/corpus/seeds/*.txt"))


def read(raw: str):
    doc = text.read("a.txt", raw)
    assert_exact_map(doc)
    return doc


def shape(doc):
    return [(b.scope, b.level, b.text) for b in doc.blocks]


def test_blank_line_paragraphs_hard_wrapped():
    raw = (
        "Knee Braces Explained\n"
        "\n"
        "A brace is a simple device that many\n"
        "people wear after an injury. It is\n"
        "completely safe for most adults.\n"
        "\n"
        "Ask a doctor first.\n"
    )
    doc = read(raw)
    assert shape(doc) == [
        ("heading", 1, "Knee Braces Explained"),
        (
            "paragraph",
            0,
            "A brace is a simple device that many\npeople wear after an injury. It is\n"
            "completely safe for most adults.",
        ),
        ("paragraph", 0, "Ask a doctor first."),
    ]
    assert located(doc, "completely safe") == (5, 1, 5, 16) == expected(raw, "completely safe")


def test_one_block_per_line_without_blank_lines():
    raw = (
        "Home Remedies for Sore Knees\n"
        "Ice packs reduce swelling within a day for most people who try them at home.\n"
        "Why It Works\n"
        "Cold narrows blood vessels. It is guaranteed to help.\n"
        "What you will need:\n"
        "- A bag of frozen peas\n"
        "  - wrapped in a towel\n"
        "• A timer\n"
        "1. Apply for ten minutes\n"
        "2) Rest\n"
        "Is it painful?\n"
    )
    doc = read(raw)
    assert shape(doc) == [
        ("heading", 1, "Home Remedies for Sore Knees"),
        ("paragraph", 0, raw.splitlines()[1]),
        ("heading", 2, "Why It Works"),
        ("paragraph", 0, "Cold narrows blood vessels. It is guaranteed to help."),
        ("paragraph", 0, "What you will need:"),  # introduces a list: not a heading
        ("list_item", 1, "A bag of frozen peas"),
        ("list_item", 2, "wrapped in a towel"),
        ("list_item", 1, "A timer"),
        ("list_item", 1, "Apply for ten minutes"),
        ("list_item", 1, "Rest"),
        ("paragraph", 0, "Is it painful?"),  # sentence-final punctuation
    ]
    assert located(doc, "guaranteed") == expected(raw, "guaranteed")
    assert located(doc, "frozen peas") == expected(raw, "frozen peas")
    assert located(doc, "towel") == expected(raw, "towel")


def test_colon_heading_without_list():
    raw = "Intro paragraph that is long enough to be prose.\n\nBone Healing:\n\nText.\n"
    assert shape(read(raw))[1] == ("heading", 2, "Bone Healing:")


def test_pipe_tables():
    raw = (
        "Comparison of options\n"
        "| Feature | Laser | Surgery |\n"
        "|---|:---:|---|\n"
        "| Recovery | None | 6 weeks |\n"
        "| Risk | Very low \\| none | High |\n"
        "After the table.\n"
    )
    doc = read(raw)
    cells = [b for b in doc.blocks if b.scope == "table_cell"]
    assert [c.text for c in cells] == [
        "Feature",
        "Laser",
        "Surgery",
        "Recovery",
        "None",
        "6 weeks",
        "Risk",
        "Very low \\| none",
        "High",
    ]
    groups = [c.group for c in cells]
    assert groups[0] == groups[2] != groups[3] == groups[5] != groups[6] == groups[8]
    assert len(set(groups)) == 3
    assert doc.blocks[-1].text == "After the table."
    assert located(doc, "6 weeks") == expected(raw, "6 weeks")
    assert "---" not in "".join(b.text for b in doc.blocks)


def test_stat_card_joins_its_caption():
    raw = (
        "A long opening line that runs on well past the wrap width of a hard-wrapped text, "
        "so this chunk is one block per line.\n"
        "65%\n"
        "of patients felt better (no source given)\n"
        "22\n"
        "Trials were reviewed\n"
    )
    doc = read("Title\n\n" + raw)
    assert [b.text for b in doc.blocks[2:]] == [
        "65%\nof patients felt better (no source given)",
        "22\nTrials were reviewed",
    ]


def test_lower_case_line_continues_previous():
    raw = "First line of a card\nstill the same card.\nNew Thing\n"
    assert [b.text for b in read(raw).blocks] == [
        "First line of a card\nstill the same card.",
        "New Thing",
    ]


def test_wrapped_list_item_continuation():
    raw = "Intro.\n\n- A list item that wraps\n  onto a second line\n- Another\n"
    assert shape(read(raw))[1:] == [
        ("list_item", 1, "A list item that wraps\n  onto a second line"),
        ("list_item", 1, "Another"),
    ]


def test_crlf_bom_emoji_nbsp():
    raw = (
        "Title line\r\n"
        "\r\n"
        "🦵🏽 Our gel gives\u00a0instant relief to\r\n"
        "everyone who tries it, with no side effects.\r\n"
    )
    doc = read(decode(b"\xef\xbb\xbf" + raw.encode()).text)
    assert "\r" not in "".join(b.text for b in doc.blocks)
    assert doc.blocks[1].text.startswith("🦵🏽 Our gel gives\u00a0instant relief to\neveryone")
    assert located(doc, "instant relief") == (3, 18, 3, 32) == expected(raw, "instant relief")
    assert located(doc, "no side effects") == expected(raw, "no side effects")
    # the synthetic newline stands for the "\r\n" line end
    b = doc.blocks[1]
    i = b.text.index("\n")
    assert raw[b.source_offset(i) : b.source_offset(i) + 2] == "\r\n"


def test_directive_lines_are_not_prose():
    raw = (
        "Claim one is risk-free.\n"
        "<!-- healthlint-disable-next-line absolute-claims -- quoted -->\n"
        "Claim two is risk-free.\n"
        "  <!-- healthlint-enabel -->\n"
    )
    doc = read(raw)
    assert [b.text for b in doc.blocks] == ["Claim one is risk-free.", "Claim two is risk-free."]
    (d,) = doc.directives
    assert (d.action, d.rules, d.line, d.column, d.reason) == (
        "disable-next-line",
        ("absolute-claims",),
        2,
        1,
        "quoted",
    )
    assert len(doc.notices) == 1 and doc.notices[0].startswith("line 4:")


def test_empty_inputs():
    for raw in ("", "\n", "\r\n\r\n", "   \n\t\n"):
        assert read(raw).blocks == ()


def test_dispatch_defaults_to_text():
    assert read_any("notes.unknown", "Hello there.").format == "text"


# -- property tests over the seed articles ---------------------------------------------

_MARKER = re.compile(r"^\s*(?:[-*+•◦▪‣·✔✓☑✅➤►▶→]|\d{1,3}[.)])\s+")


@pytest.mark.parametrize("path", SEEDS, ids=os.path.basename)
@pytest.mark.parametrize("newline", ["\n", "\r\n"], ids=["lf", "crlf"])
def test_seed_files(path, newline):
    with open(path, encoding="utf-8") as fh:
        raw = fh.read().replace("\n", newline)
    doc = read(raw)
    assert doc.notices == ()
    assert doc.blocks
    prose = "\n".join(b.text for b in doc.blocks)
    # every prose line of the file survives, without its list marker
    for line in raw.split(newline):
        s = line.strip()
        if not s or set(s) <= set("|-: "):
            continue
        if s.startswith("|"):
            assert all(cell.strip() in prose for cell in s.strip("|").split("|"))
        else:
            assert _MARKER.sub("", s, count=1) in prose, s
    # each block's first word sits where the raw text has it
    for b in doc.blocks:
        word = b.text.split()[0]
        s, e = b.source_span(0, len(word))
        assert raw[s:e] == word
    assert len(SEEDS) == 5
