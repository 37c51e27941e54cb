from __future__ import annotations

import glob
import os
import random

import pytest
from _mapcheck import assert_exact_map, blocks_with, expected, located

from healthlint.model import Link
from healthlint.readers import markdown
from healthlint.source import decode

SEEDS = sorted(glob.glob("/work/shared/corpus/seeds/*.txt"))


def read(text: str):
    doc = markdown.read("a.md", text)
    assert_exact_map(doc)
    return doc


def texts(doc, scope=None):
    return [b.text for b in doc.blocks if scope is None or b.scope == scope]


ARTICLE = """\
# Knee care at home

Our brace has **no side effects** for most wearers.
See [the trial](https://example.org/t) before you
trust any claim that it is 100% safe.

🦵🏽 Users 😀 say it gives instant relief to everyone.
The\u00a0gel is risk-free\u00a0and cheap.
"""


def test_positions_match_raw_text():
    doc = read(ARTICLE)
    for phrase in (
        "Knee care",
        "no side effects",
        "the trial",
        "100% safe",
        "instant relief",
        "risk-free",
        "gel",
    ):
        assert located(doc, phrase) == expected(ARTICLE, phrase), phrase


def test_known_positions():
    doc = read(ARTICLE)
    assert located(doc, "no side effects") == (3, 17, 3, 32)
    # the emoji before the phrase count one column each (code points)
    assert located(doc, "instant relief") == (7, 25, 7, 39)
    assert located(doc, "100% safe") == (5, 28, 5, 37)


def test_blocks_and_markup_removed():
    doc = read(ARTICLE)
    assert [b.scope for b in doc.blocks] == ["heading", "paragraph", "paragraph"]
    assert doc.blocks[0].level == 1
    para = doc.blocks[1].text
    assert "**" not in para and "](" not in para and "https" not in para
    assert para.startswith("Our brace has no side effects for most wearers.\nSee the trial before")
    assert doc.blocks[1].links == (
        Link("https://example.org/t", para.index("the trial"), para.index("the trial") + 9),
    )
    assert "\u00a0" in doc.blocks[2].text  # kept, and mapped to itself


def test_crlf_positions():
    raw = ARTICLE.replace("\n", "\r\n")
    doc = read(raw)
    assert "\r" not in "".join(texts(doc))
    for phrase in ("no side effects", "100% safe", "instant relief", "risk-free"):
        assert located(doc, phrase) == expected(raw, phrase)
    assert located(doc, "no side effects") == (3, 17, 3, 32)


def test_bom_is_not_counted():
    raw = "Plain words here.\n\nIt is *completely safe* to use.\n"
    src = decode(b"\xef\xbb\xbf" + raw.encode("utf-8"))
    doc = read(src.text)
    assert located(doc, "completely safe") == (3, 8, 3, 23) == expected(raw, "completely safe")


def test_soft_and_hard_breaks():
    raw = "first line  \nsecond line\\\nthird line\nfourth line\n"
    doc = read(raw)
    assert texts(doc) == ["first line\nsecond line\nthird line\nfourth line"]
    b = doc.blocks[0]
    # each synthetic newline stands for the end of its line
    for i, ch in enumerate(b.text):
        if ch == "\n":
            assert raw[b.source_offset(i)] in "\n\\ "
    assert located(doc, "fourth") == expected(raw, "fourth")


def test_lists_nested_levels():
    raw = (
        "- Top item cures pain\n"
        "  - Nested item is harmless\n"
        "    1. Deep item works for everyone\n"
        "  - Second nested\n"
        "- Last top item\n"
    )
    doc = read(raw)
    assert [(b.scope, b.level, b.text) for b in doc.blocks] == [
        ("list_item", 1, "Top item cures pain"),
        ("list_item", 2, "Nested item is harmless"),
        ("list_item", 3, "Deep item works for everyone"),
        ("list_item", 2, "Second nested"),
        ("list_item", 1, "Last top item"),
    ]
    assert located(doc, "works for everyone") == expected(raw, "works for everyone")


def test_loose_list_item_paragraphs():
    raw = "1. First paragraph of the item.\n\n   Second paragraph, no risks at all.\n\n2. Next\n"
    doc = read(raw)
    assert [(b.scope, b.level) for b in doc.blocks] == [("list_item", 1)] * 3
    assert located(doc, "no risks") == expected(raw, "no risks")


def test_table_cells_share_a_group_per_row():
    raw = (
        "| Treatment | Claim |\n"
        "|---|:---:|\n"
        "| Laser | **guaranteed** results |\n"
        "| Brace | 90% of users | \n"
    )
    doc = read(raw)
    cells = [(b.text, b.group) for b in doc.blocks]
    assert [c[0] for c in cells] == [
        "Treatment",
        "Claim",
        "Laser",
        "guaranteed results",
        "Brace",
        "90% of users",
    ]
    assert all(b.scope == "table_cell" for b in doc.blocks)
    groups = [c[1] for c in cells]
    assert groups[0] == groups[1] != groups[2] == groups[3] != groups[4] == groups[5]
    assert len(set(groups)) == 3
    assert located(doc, "guaranteed") == (3, 13, 3, 23) == expected(raw, "guaranteed")
    assert located(doc, "90%") == expected(raw, "90%")


def test_blockquote_prefixes_and_lazy_lines():
    raw = (
        "> Quoted words that\n"
        "> say it is risk-free\n"
        "and a lazy line with no downtime.\n"
        ">\n"
        "> > Inner quote cures all.\n"
    )
    doc = read(raw)
    assert [b.scope for b in doc.blocks] == ["blockquote", "blockquote"]
    assert (
        doc.blocks[0].text
        == "Quoted words that\nsay it is risk-free\nand a lazy line with no downtime."
    )
    for phrase in ("risk-free", "no downtime", "cures all"):
        assert located(doc, phrase) == expected(raw, phrase)


def test_list_inside_blockquote():
    raw = "> - item one is safe\n>   continued here\n> - item two\n"
    doc = read(raw)
    assert [(b.scope, b.text) for b in doc.blocks] == [
        ("list_item", "item one is safe\ncontinued here"),
        ("list_item", "item two"),
    ]
    assert located(doc, "continued") == expected(raw, "continued")


def test_code_never_reaches_prose():
    raw = (
        "Intro with `no side effects` inline code and ``a `tick` span``.\n"
        "\n"
        "```python\n"
        "print('guaranteed cure')\n"
        "```\n"
        "\n"
        "    indented code is 100% safe\n"
        "\n"
        "After the code comes a cure-all claim.\n"
    )
    doc = read(raw)
    joined = "\n".join(texts(doc))
    for hidden in ("no side effects", "guaranteed", "100% safe", "tick", "`"):
        assert hidden not in joined
    assert texts(doc) == ["Intro with  inline code and .", "After the code comes a cure-all claim."]
    assert located(doc, "cure-all") == expected(raw, "cure-all")


def test_inline_html_code_is_hidden():
    raw = "Use <code>no side effects</code>here and <kbd>Ctrl</kbd> then <b>bold</b> text.\n"
    doc = read(raw)
    assert texts(doc) == ["Use here and  then bold text."]
    assert located(doc, "bold") == expected(raw, "bold")


def test_code_span_between_words_keeps_them_apart():
    doc = read("take`x`daily\n")
    assert texts(doc) == ["take daily"]
    # the stand-in space maps to the opening backtick
    assert doc.source[doc.blocks[0].source_offset(4)] == "`"


def test_html_comments_and_tags():
    raw = (
        "<!-- a note that says guaranteed cure -->\n"
        "\n"
        '<div class="box">\n'
        "Boxed text is <b>perfectly safe</b>.\n"
        "<script>var claim = 'cures everything';</script>\n"
        "</div>\n"
        "\n"
        "Text <!-- hidden risk-free --> with <em>inline</em> tags<br>and a break.\n"
    )
    doc = read(raw)
    joined = "\n".join(texts(doc))
    assert "guaranteed" not in joined and "cures everything" not in joined
    assert "risk-free" not in joined and "<" not in joined
    assert "Boxed text is perfectly safe." in texts(doc)
    assert "Text  with inline tags\nand a break." in texts(doc)
    for phrase in ("perfectly safe", "inline", "and a break"):
        assert located(doc, phrase) == expected(raw, phrase)


def test_html_block_inside_blockquote():
    raw = "> <p>Quoted html is\n> harmless</p>\n"
    doc = read(raw)
    assert [b.scope for b in doc.blocks] == ["blockquote"]
    assert doc.blocks[0].text.split() == ["Quoted", "html", "is", "harmless"]
    assert located(doc, "harmless") == expected(raw, "harmless")


def test_html_block_in_list_item():
    raw = "- <div>Listed html is safe\n  <p>more</p>\n\n1. <div>Numbered</div>\n"
    doc = read(raw)
    assert [(b.scope, b.level, b.text) for b in doc.blocks] == [
        ("list_item", 1, "Listed html is safe"),
        ("list_item", 1, "more"),
        ("list_item", 1, "Numbered"),
    ]
    assert located(doc, "more") == expected(raw, "more")


def test_entities_and_escapes():
    raw = "Pain &amp; swelling &ndash; gone \\*forever\\* at 5&#160;mg &copy; Acme.\n"
    doc = read(raw)
    (b,) = doc.blocks
    assert b.text == "Pain & swelling \u2013 gone *forever* at 5\u00a0mg \u00a9 Acme."
    amp = b.text.index("&")
    assert b.source_span(amp, amp + 1) == (raw.index("&amp;"), raw.index("&amp;") + 1)
    star = b.text.index("*")
    assert raw[b.source_offset(star)] == "*" and raw[b.source_offset(star) - 1] == "\\"
    assert located(doc, "forever") == expected(raw, "forever")
    assert located(doc, "Acme") == expected(raw, "Acme")
    # a match spanning an entity covers the entity's source text
    i = b.text.index("5\u00a0mg")
    s, e = b.source_span(i, i + 4)
    assert raw[s:e] == "5&#160;mg"


def test_links_autolinks_bare_urls_and_images():
    raw = (
        "Read [the review][cochrane] or <https://example.org/a%20b> or "
        'https://example.com/page, then see [x](</a b> "Title (x)") done.\n'
        "\n"
        '![A brace that cures *all* pain](brace.png "photo") Caption follows.\n'
        "\n"
        "[cochrane]: https://cochrane.example/r1\n"
    )
    doc = read(raw)
    para = doc.blocks[0]
    assert para.text == (
        "Read the review or https://example.org/a%20b or https://example.com/page, then see x done."
    )
    urls = [(link.url, para.text[link.start : link.end]) for link in para.links]
    assert urls == [
        ("https://cochrane.example/r1", "the review"),
        ("https://example.org/a%20b", "https://example.org/a%20b"),
        ("https://example.com/page", "https://example.com/page"),
        ("/a%20b", "x"),
    ]
    assert located(doc, "done") == expected(raw, "done")
    assert [(b.scope, b.text) for b in doc.blocks[1:]] == [
        ("paragraph", "Caption follows."),
        ("caption", "A brace that cures all pain"),
    ]
    assert located(doc, "cures all") == (3, 16, 3, 26)
    assert located(doc, "Caption follows") == expected(raw, "Caption follows")


def test_headings_setext_and_closing_hashes():
    raw = "Big title\n=========\n\n### Small title ###\n\nBody.\n"
    doc = read(raw)
    assert [(b.scope, b.level, b.text) for b in doc.blocks] == [
        ("heading", 1, "Big title"),
        ("heading", 3, "Small title"),
        ("paragraph", 0, "Body."),
    ]


def test_front_matter_parsed_and_not_prose():
    raw = "---\ntitle: Knee guide\ntags: [knee, pain]\n---\n# Heading\n\nBody says it is safe.\n"
    doc = read(raw)
    assert doc.metadata == {"title": "Knee guide", "tags": ["knee", "pain"]}
    assert doc.blocks[0].scope == "front_matter"
    assert [b.scope for b in doc.blocks[1:]] == ["heading", "paragraph"]
    assert located(doc, "is safe") == (7, 14, 7, 21) == expected(raw, "is safe")
    assert doc.notices == ()


def test_front_matter_crlf():
    raw = "---\r\ntitle: x\r\n---\r\nBody text.\r\n"
    doc = read(raw)
    assert doc.metadata == {"title": "x"}
    assert texts(doc) == ["title: x", "Body text."]
    assert located(doc, "Body") == (4, 1, 4, 5)


def test_bad_front_matter_is_a_notice():
    raw = "---\ntitle: [unclosed\n---\nStill linted: cures everything.\n"
    doc = read(raw)
    assert doc.metadata == {}
    assert len(doc.notices) == 1 and "front matter" in doc.notices[0]
    assert located(doc, "cures everything") == expected(raw, "cures everything")


def test_front_matter_not_a_mapping():
    doc = read("---\n- a\n- b\n---\nBody.\n")
    assert doc.metadata == {}
    assert "not a mapping" in doc.notices[0]


def test_prose_between_rules_is_not_front_matter():
    doc = read("---\nA short intro that says it is risk-free.\n---\n\nBody.\n")
    assert doc.metadata == {} and doc.notices == ()
    assert [(b.scope, b.text) for b in doc.blocks] == [
        ("heading", "A short intro that says it is risk-free."),
        ("paragraph", "Body."),
    ]


def test_unclosed_front_matter_is_markdown():
    doc = read("---\nJust a rule above this paragraph.\n")
    assert doc.metadata == {}
    assert texts(doc) == ["Just a rule above this paragraph."]


def test_empty_and_odd_inputs_do_not_crash():
    for raw in (
        "",
        "\n\n",
        "---\n---\n",
        "```\nunclosed fence",
        "<div>",
        "a\x00b\n",
        "x\ry\rz",
        "\t- tab\n",
    ):
        doc = read(raw)
        assert doc.format == "markdown"


def test_lone_cr_and_nul():
    doc = read("one\rtwo\x00three\r")
    assert texts(doc) == ["one\ntwo\ufffdthree"]


def test_tabs_and_unicode_columns():
    raw = "-\tTabbed item with 𝔘𝔫𝔦𝔠𝔬𝔡𝔢 before a 100% claim\n"
    doc = read(raw)
    assert located(doc, "100%") == expected(raw, "100%")


def test_directives_in_markdown():
    raw = (
        "<!-- healthlint-disable absolute-claims.no-side-effects -- quoting a label -->\n"
        "Text.\n"
        "\n"
        "Inline <!-- healthlint-disable-next-line --> here.\n"
        "\n"
        "<!--\nhealthlint-enable\n-->\n"
        "\n"
        "<!-- healthlint-disabel hype -->\n"
    )
    doc = read(raw)
    d = doc.directives
    assert [(x.action, x.rules, x.line, x.column, x.end_line, x.reason) for x in d] == [
        ("disable", ("absolute-claims.no-side-effects",), 1, 1, 1, "quoting a label"),
        ("disable-next-line", (), 4, 8, 4, ""),
        ("enable", (), 6, 1, 8, ""),
    ]
    assert len(doc.notices) == 1 and doc.notices[0].startswith("line 10:")
    assert "healthlint-disabel" in doc.notices[0]


# -- property tests over the seed articles ---------------------------------------------

MARKUP = set("*_[]<>&\\`|#!")


def _seed_lines(path: str) -> list[str]:
    with open(path, encoding="utf-8") as fh:
        return [" ".join(line.split()) for line in fh if line.strip()]


def _as_markdown(lines: list[str]) -> tuple[str, list[str]]:
    """Markdown built from seed lines, and the lines whose text must survive verbatim."""
    out, kept = [], []
    for i, line in enumerate(lines):
        plain = not (MARKUP & set(line)) and not line[:1].isdigit() and line[:1] not in "-+•>=:"
        words = line.split(" ")
        form = i % 6
        if form == 0 and len(words) < 14:
            out.append("## " + line)
        elif form == 1 and len(words) > 4:
            words[2] = f"**{words[2]}**"
            words[4] = f"[{words[4]}](https://example.org/{i})"
            out.append(" ".join(words))
        elif form == 2:
            out.append("- " + line)
        elif form == 3 and len(words) > 6:
            half = len(words) // 2
            out.append("> " + " ".join(words[:half]) + "\n> " + " ".join(words[half:]))
            line = " ".join(words[:half]) + "\n" + " ".join(words[half:])
        elif form == 4 and len(words) > 3:
            out.append(f"1. {words[0]} &amp; " + " ".join(words[1:]))
            line = f"{words[0]} & " + " ".join(words[1:])
        else:
            out.append(line)
        if plain:
            kept.append(line)
    return "\n\n".join(out) + "\n", kept


@pytest.mark.parametrize("path", SEEDS, ids=os.path.basename)
def test_seed_files_map_exactly(path):
    with open(path, encoding="utf-8") as fh:
        raw = fh.read()
    doc = read(raw)
    assert doc.notices == ()
    assert doc.blocks


@pytest.mark.parametrize("path", SEEDS, ids=os.path.basename)
@pytest.mark.parametrize("newline", ["\n", "\r\n"], ids=["lf", "crlf"])
def test_markdown_built_from_seeds(path, newline):
    md, kept = _as_markdown(_seed_lines(path))
    assert len(kept) >= 5
    raw = md.replace("\n", newline)
    doc = read(raw)
    assert doc.notices == ()
    all_text = "\n".join(texts(doc))
    for line in kept:
        assert line in all_text, line
    # every phrase lands where the raw text has it
    for line in kept[:40]:
        if "\n" in line or line in kept[: kept.index(line)]:
            continue
        phrase = line.split(" ")[-1]
        holders = blocks_with(doc, line)
        block = holders[0]
        i = block.text.index(line) + len(line) - len(phrase)
        s, e = block.source_span(i, i + len(phrase))
        assert raw[s:e] == phrase
    assert len(SEEDS) == 5


# Fragments of Markdown syntax; random strings of them stress the inline scan.
SOUP = [
    "*",
    "**",
    "_",
    "`",
    "``",
    "[",
    "]",
    "(",
    ")",
    "<",
    ">",
    "&amp;",
    "&#x1F600;",
    "&nbsp;",
    "\\*",
    "\\",
    "\n",
    "\n\n",
    "\r\n",
    "  \n",
    "> ",
    "- ",
    "1. ",
    "# ",
    "|",
    "|---|",
    "![",
    "](u)",
    "<!-- c -->",
    "<b>",
    "</b>",
    "<br>",
    "http://x.y/z",
    "word",
    " ",
    "\t",
    "😀",
    "\u00a0",
    "---\n",
    "```\n",
    "    ",
    "<div>",
    "</div>",
    "&",
    '"t"',
    "<http://a>",
    "[r]: /u\n",
    "[r]",
    "\\|",
    "<!--",
    "-->",
    "e.g.",
    "healthlint-disable x",
]


def test_markup_soup_maps_exactly():
    rng = random.Random(20240601)
    for _ in range(400):
        raw = "".join(rng.choice(SOUP) for _ in range(rng.randint(1, 40)))
        doc = read(raw)  # asserts the exact map
        assert not any("could not be placed" in n for n in doc.notices), raw


# Plain inline content (no escapes, code, emphasis, links, HTML or entities) skips the
# inline parser; these texts must read the same both ways.
PLAIN_CASES = [
    "Ice the knee for ten minutes   \nthen rest it.\n",  # hard break (3 spaces)
    "Ice the knee for ten minutes \n\t  then rest it.\n",  # soft break, indented line
    "A line ending in a tab\t\nand the next one.\r\nAnd a CRLF line.\n",
    "# Heading with a closing sequence ##\n\nSetext title\n===\n",
    "- item one goes on\n  over two lines\n- item two, see www.example.org/knees today\n",
    "> quoted advice\n> on two lines http://example.org/a.\n",
    "| a | b |\n| --- | --- |\n| cell one | cell two  |\n| x \\| y | z |\n",
    "Plain # hash, 100% sure, 5 + 5 = 10 {braces} ~tilde~ and a: colon!\n",
    "---\ntitle: Front matter\n---\nBody text after it.\n",
]


@pytest.mark.parametrize("text", PLAIN_CASES)
def test_plain_inline_content_reads_as_the_inline_parser_reads_it(text, monkeypatch):
    fast = read(text)
    import re

    monkeypatch.setattr(markdown, "_INLINE_SYNTAX", re.compile(""))  # parse everything
    slow = read(text)

    def shape(doc):
        return [(b.scope, b.text, b.seg_text, b.seg_src, b.links) for b in doc.blocks]

    assert shape(fast) == shape(slow)
    assert fast.notices == slow.notices == ()
