"""The link-disclosure kind: the first commercial link must follow a disclosure."""

from __future__ import annotations

import pytest
from _kindcheck import check, make_rule, where

from healthlint.kinds.links import LinkDisclosureKind
from healthlint.packs import RuleOptionError

OPTS = {
    "url_patterns": ["[?&]tag=", "/shop/"],
    "link_text_patterns": ["\\bbuy\\b"],
    "disclosure": ["\\bwe\\s+earn\\s+a\\s+commission\\b", "\\bsponsored\\s+by\\b"],
}

PAGE = """\
# Knee braces

We like the [FlexFit](https://example.com/dp/1?tag=blog-20) and the
[ZipKnee](https://example.com/dp/2?tag=blog-20).
"""


def test_first_commercial_link_is_reported_on_its_text():
    found = check("link-disclosure", PAGE, message="{url}", **OPTS)
    assert [where(f) for f in found] == [(3, 14, 3, 21, "FlexFit")]
    assert found[0].message == "https://example.com/dp/1?tag=blog-20"


def test_disclosure_before_the_first_link_passes():
    text = PAGE.replace("# Knee braces\n", "# Knee braces\n\n*We earn a commission on sales.*\n")
    assert check("link-disclosure", text, **OPTS) == []


def test_disclosure_after_the_first_link_does_not_count():
    text = PAGE + "\nWe earn a commission on sales.\n"
    assert [f.text for f in check("link-disclosure", text, **OPTS)] == ["FlexFit"]


def test_plain_links_are_not_commercial():
    text = "# Knee\n\nSee the [NHS page](https://www.nhs.uk/knee) and [our shop](https://x.com/about).\n"
    assert check("link-disclosure", text, **OPTS) == []


def test_link_text_marks_a_commercial_link():
    text = "# Knee\n\nRead the [review](https://x.com/r), then [buy it here](https://x.com/p/9).\n"
    assert [where(f) for f in check("link-disclosure", text, **OPTS)] == [
        (3, 43, 3, 54, "buy it here")
    ]


def test_urls_written_in_a_plain_text_file_are_links():
    text = "Knee braces\nOur pick: https://example.com/shop/brace-7 (in stock)\n"
    found = check("link-disclosure", text, path="a.txt", **OPTS)
    assert [where(f) for f in found] == [(2, 11, 2, 43, "https://example.com/shop/brace-7")]


def test_raw_urls_can_be_ignored_in_plain_text():
    text = "Knee braces\nOur pick: https://example.com/shop/brace-7\n"
    assert check("link-disclosure", text, path="a.txt", raw_urls=False, **OPTS) == []


def test_one_finding_per_document():
    assert len(check("link-disclosure", PAGE * 3, **OPTS)) == 1


def test_options_are_required():
    with pytest.raises(RuleOptionError) as exc:
        LinkDisclosureKind(make_rule("link-disclosure", disclosure=["x"]))
    assert exc.value.key == "url_patterns"
    with pytest.raises(RuleOptionError) as exc:
        LinkDisclosureKind(make_rule("link-disclosure", url_patterns=["("], disclosure=["x"]))
    assert exc.value.key == "url_patterns"
