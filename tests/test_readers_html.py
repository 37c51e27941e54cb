from __future__ import annotations

import random

from _mapcheck import assert_exact_map, expected, located

from healthlint.model import Link
from healthlint.readers import html, read
from healthlint.source import decode


def parse(text: str):
    doc = html.read("a.html", text)
    assert_exact_map(doc)
    return doc


def shape(doc):
    return [(b.scope, b.level, b.text) for b in doc.blocks]


PAGE = """\
<!DOCTYPE html>
<html><head><title>Knee &amp; back care</title>
<meta name="description" content="miracle cure">
<style>p { content: "cures all" }</style>
<script>var claim = "no side effects";</script></head>
<body>
<h1>Laser therapy</h1>
<p>It is <b>completely safe</b> &mdash; see <a href="https://ex.org/r">the review</a>.<br>
New line 🦵🏽 with instant relief.</p>
<p>Second para with <code>guaranteed</code> inside and x<code>y</code>z.
<p>Implicitly closed para.
</body></html>
"""


def test_blocks_and_scopes():
    doc = parse(PAGE)
    assert shape(doc) == [
        ("heading", 1, "Knee & back care"),
        ("heading", 1, "Laser therapy"),
        (
            "paragraph",
            0,
            "It is completely safe \u2014 see the review.\n\nNew line 🦵🏽 with instant relief.",
        ),
        ("paragraph", 0, "Second para with  inside and x z."),
        ("paragraph", 0, "Implicitly closed para."),
    ]


def test_hidden_text_never_reaches_prose():
    joined = "\n".join(b.text for b in parse(PAGE).blocks)
    for hidden in ("cures all", "no side effects", "miracle", "guaranteed", "<", "&mdash;"):
        assert hidden not in joined


def test_positions():
    doc = parse(PAGE)
    for phrase in (
        "Knee",
        "back care",
        "completely safe",
        "the review",
        "instant relief",
        "inside",
    ):
        assert located(doc, phrase) == expected(PAGE, phrase), phrase
    assert located(doc, "instant relief") == (9, 18, 9, 32)


def test_links_recorded():
    doc = parse(PAGE)
    para = doc.blocks[2]
    (link,) = para.links
    assert link == Link(
        "https://ex.org/r", para.text.index("the review"), para.text.index("the review") + 10
    )
    nohref = parse('<p>An <a name="x">anchor</a> and <a href="/y">link</a>.</p>')
    assert [
        (lk.url, nohref.blocks[0].text[lk.start : lk.end]) for lk in nohref.blocks[0].links
    ] == [("/y", "link")]


def test_entities_map_to_their_ampersand():
    raw = "<p>Pain &amp; swelling&#8212;gone &#x1F600; &zzz; &notit; &lt;3 AT&T</p>"
    doc = parse(raw)
    (b,) = doc.blocks
    # "&notit;" is the legacy "&not" followed by "it;", as browsers show it
    assert b.text == "Pain & swelling\u2014gone 😀 &zzz; \u00acit; <3 AT&T"
    for ch, entity in (("&", "&amp;"), ("\u2014", "&#8212;"), ("😀", "&#x1F600;"), ("<", "&lt;")):
        i = b.text.index(ch)
        s, e = b.source_span(i, i + 1)
        assert raw[s : s + len(entity)] == entity
    assert located(doc, "gone") == expected(raw, "gone")
    assert located(doc, "AT&T") == expected(raw, "AT&T")


def test_br_is_a_synthetic_newline():
    raw = "<p>one<br>two<br/>three</p>"
    doc = parse(raw)
    b = doc.blocks[0]
    assert b.text == "one\ntwo\nthree"
    assert raw[b.source_offset(3)] == "<"


def test_lists_nested():
    raw = "<ul><li>Item one<ul><li>Nested <em>item</em></li></ul>after nested</li><li>Item two</ul>"
    assert shape(parse(raw)) == [
        ("list_item", 1, "Item one"),
        ("list_item", 2, "Nested item"),
        ("list_item", 1, "after nested"),
        ("list_item", 1, "Item two"),
    ]


def test_unclosed_list_items():
    raw = "<ol><li>First<li>Second<li>Third</ol><p>After</p>"
    assert shape(parse(raw)) == [
        ("list_item", 1, "First"),
        ("list_item", 1, "Second"),
        ("list_item", 1, "Third"),
        ("paragraph", 0, "After"),
    ]


def test_table_rows_group_cells():
    raw = (
        "<table><caption>Results table</caption>\n"
        "<tr><th>Arm</th><th>Outcome</th></tr>\n"
        "<tr><td>Laser</td><td><p>90% of users</p></td></tr>\n"
        "<tr><td>Sham<td>10%</tr>\n"
        "</table>"
    )
    doc = parse(raw)
    assert [(b.scope, b.text) for b in doc.blocks] == [
        ("caption", "Results table"),
        ("table_cell", "Arm"),
        ("table_cell", "Outcome"),
        ("table_cell", "Laser"),
        ("table_cell", "90% of users"),
        ("table_cell", "Sham"),
        ("table_cell", "10%"),
    ]
    g = [b.group for b in doc.blocks[1:]]
    assert g[0] == g[1] != g[2] == g[3] != g[4] == g[5]
    assert None not in g
    assert located(doc, "90%") == expected(raw, "90%")


def test_blockquote_figure_and_alt_text():
    raw = (
        "<blockquote><p>Quoted: it is risk-free.</p></blockquote>\n"
        '<figure><img src="x.png" alt="A brace &amp; gel that cures all">\n'
        "<figcaption>Figure: guaranteed results</figcaption></figure>"
    )
    doc = parse(raw)
    assert [(b.scope, b.text) for b in doc.blocks] == [
        ("blockquote", "Quoted: it is risk-free."),
        ("caption", "A brace & gel that cures all"),
        ("caption", "Figure: guaranteed results"),
    ]
    for phrase in ("risk-free", "cures all", "guaranteed"):
        assert located(doc, phrase) == expected(raw, phrase)


def test_skipped_elements():
    raw = (
        "<div>Visible<pre>pre text</pre> words"
        "<svg><title>svg title</title><text>svg words</text></svg>"
        "<noscript>no js</noscript><template>tpl</template>"
        "<textarea>typed</textarea><iframe>frame</iframe></div>"
    )
    assert [b.text for b in parse(raw).blocks] == ["Visible", "words"]


def test_unclosed_code_does_not_swallow_the_page():
    raw = "<p>Run <code>x --fast</p><p>Still prose here.</p>"
    assert [b.text for b in parse(raw).blocks] == ["Run", "Still prose here."]


def test_crlf_and_bom():
    raw = "<p>First line\r\nsecond line is 100% safe</p>\r\n<p>Next</p>\r\n"
    doc = parse(decode(b"\xef\xbb\xbf" + raw.encode()).text)
    assert doc.blocks[0].text == "First line\nsecond line is 100% safe"
    assert located(doc, "100% safe") == (2, 16, 2, 25) == expected(raw, "100% safe")
    assert located(doc, "Next") == expected(raw, "Next")


def test_non_breaking_spaces():
    raw = "<p>No&nbsp;side effects and no\u00a0downtime.</p>"
    doc = parse(raw)
    assert doc.blocks[0].text == "No\u00a0side effects and no\u00a0downtime."
    assert located(doc, "downtime") == expected(raw, "downtime")


def test_directives_in_comments():
    raw = (
        "<p>Text</p>\n"
        "  <!-- healthlint-disable-next-line hype, absolute-claims -- quoted ad -->\n"
        "<p>Ad copy</p>\n"
        "<!-- an ordinary comment -->\n"
        "<!--\n  healthlint-enable\n-->\n"
        "<!-- healthlint-disabel hype -->\n"
    )
    doc = parse(raw)
    assert [
        (d.action, d.rules, d.line, d.column, d.end_line, d.reason) for d in doc.directives
    ] == [
        ("disable-next-line", ("hype", "absolute-claims"), 2, 3, 2, "quoted ad"),
        ("enable", (), 5, 1, 7, ""),
    ]
    assert len(doc.notices) == 1 and doc.notices[0].startswith("line 8:")
    assert [b.text for b in doc.blocks] == ["Text", "Ad copy"]


def test_malformed_html_does_not_crash():
    for raw in ("", "<", "<p", "<<>>", "</p></div>", "<p>unclosed <b>bold", "<!-- open", "&", "&#"):
        doc = parse(raw)
        assert doc.format == "html"


def test_dispatch_by_extension():
    doc = read("page.htm", "<p>Hello</p>")
    assert doc.format == "html" and doc.blocks[0].text == "Hello"


SOUP = [
    "<p>",
    "</p>",
    "<li>",
    "<ul>",
    "</ul>",
    "<td>",
    "<tr>",
    "<table>",
    "<br>",
    "<b>",
    "</b>",
    "<code>",
    "</code>",
    "<script>",
    "</script>",
    "<a href='x'>",
    "</a>",
    "<img alt='a &amp; b'>",
    "&amp;",
    "&notit;",
    "&#x1F600;",
    "&#",
    "&",
    "<!-- c -->",
    "<!--",
    "-->",
    "word",
    " ",
    "\n",
    "\r\n",
    "\u00a0",
    "😀",
    "<",
    ">",
    "<h2>",
    "</h2>",
    "<blockquote>",
    "<title>",
    "<!-- healthlint-disable x -->",
    "<pre>",
    "</pre>",
    "<div/>",
    "</div>",
]


def test_tag_soup_maps_exactly():
    rng = random.Random(20240602)
    for _ in range(400):
        parse("".join(rng.choice(SOUP) for _ in range(rng.randint(1, 40))))
