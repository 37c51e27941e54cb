from __future__ import annotations

import pytest

from healthlint.model import Directive
from healthlint.readers import read
from healthlint.readers.directives import add_comment, parse_comment


@pytest.mark.parametrize(
    ("body", "action", "rules", "reason"),
    [
        (" healthlint-disable ", "disable", (), ""),
        (" healthlint-disable hype ", "disable", ("hype",), ""),
        (
            " healthlint-disable hype.miracle, absolute-claims.no-side-effects ",
            "disable",
            ("hype.miracle", "absolute-claims.no-side-effects"),
            "",
        ),
        (" healthlint-disable a,b  c ", "disable", ("a", "b", "c"), ""),
        (
            " healthlint-disable-next-line uncited-statistic -- figure is from the  label ",
            "disable-next-line",
            ("uncited-statistic",),
            "figure is from the label",
        ),
        (
            " healthlint-disable -- whole section quotes an ad ",
            "disable",
            (),
            "whole section quotes an ad",
        ),
        (" healthlint-enable ", "enable", (), ""),
        (" healthlint-enable hype ", "enable", ("hype",), ""),
        ("healthlint-disable-next-line", "disable-next-line", (), ""),
        (" HealthLint-Disable hype ", "disable", ("hype",), ""),
        (
            "\n  healthlint-disable\n  hype\n  -- spans\n  lines\n",
            "disable",
            ("hype",),
            "spans lines",
        ),
        (" healthlint-disable hype --", "disable", ("hype",), ""),
        (" healthlint-disable pack.* ", "disable", ("pack.*",), ""),
    ],
)
def test_valid_directives(body, action, rules, reason):
    d = parse_comment(body, 3, 5, 3)
    assert d == Directive(action, rules, 3, 5, 3, reason)


@pytest.mark.parametrize(
    "body",
    [
        " healthlint-disabel hype ",
        " healthlint disable hype ",
        " healthlint-disable-line hype ",
        " healthlint-disablenext hype ",
        " healthlint ",
        " healthlint: disable ",
    ],
)
def test_malformed_directives_give_a_notice_with_the_line(body):
    notice = parse_comment(body, 12, 1, 12)
    assert isinstance(notice, str)
    assert notice.startswith("line 12:")


def test_invalid_rule_id_is_a_notice():
    notice = parse_comment(" healthlint-disable hype; absolute ", 4, 1, 4)
    assert isinstance(notice, str) and "line 4" in notice and "hype;" in notice


@pytest.mark.parametrize("body", [" a plain comment ", " TODO: healthlint later ", "", "-"])
def test_other_comments_are_ignored(body):
    directives, notices = [], []
    add_comment(body, 1, 1, directives, notices)
    if "healthlint" in body:
        # a comment that merely mentions the tool mid-sentence is not a directive
        assert directives == [] and notices == []
    assert parse_comment(body, 1, 1, 1) is None


def test_add_comment_counts_end_line():
    directives, notices = [], []
    add_comment("\nhealthlint-disable hype\n-- two\nlines\n", 7, 3, directives, notices)
    assert directives == [Directive("disable", ("hype",), 7, 3, 11, "two lines")]
    assert notices == []


def test_same_positions_across_formats():
    md = "Intro.\n\n<!-- healthlint-disable hype -- ad copy -->\n\nBody.\n"
    html = "<p>Intro.</p>\n\n<!-- healthlint-disable hype -- ad copy -->\n\n<p>Body.</p>\n"
    txt = "Intro.\n\n<!-- healthlint-disable hype -- ad copy -->\n\nBody.\n"
    want = (Directive("disable", ("hype",), 3, 1, 3, "ad copy"),)
    assert read("a.md", md).directives == want
    assert read("a.html", html).directives == want
    assert read("a.txt", txt).directives == want


def test_crlf_directive_lines():
    md = "Intro.\r\n\r\nText <!-- healthlint-disable-next-line\r\nhype --> more.\r\n"
    (d,) = read("a.md", md).directives
    assert (d.line, d.column, d.end_line) == (3, 6, 4)
