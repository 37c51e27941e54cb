"""The presence kind: a document-level requirement, reported at the title."""

from __future__ import annotations

import dataclasses

import pytest
from _kindcheck import check, make_rule, where

from healthlint.kinds.presence import PresenceKind
from healthlint.packs import RuleOptionError
from healthlint.readers import read

BENEFITS = ["\\brelie(?:f|ves?)\\b", "\\bimprov\\w*", "\\bheal\\w*"]
HARMS = ["\\bside\\s+effects?\\b", "\\brisks?\\b"]

ARTICLE = """\
---
author: Dana Reyes
---

# Cold laser for knee pain

Cold laser relieves pain, improves movement and helps tissue heal.
"""


def test_reported_at_the_markdown_title_without_the_hashes():
    found = check("presence", ARTICLE, when=BENEFITS, when_min=3, require=HARMS)
    assert [where(f) for f in found] == [(5, 3, 5, 27, "Cold laser for knee pain")]


def test_a_requirement_anywhere_satisfies_it():
    text = ARTICLE + "\nSide effects include mild warmth.\n"
    assert check("presence", text, when=BENEFITS, when_min=3, require=HARMS) == []


def test_fewer_triggers_than_when_min_is_not_checked():
    text = "# Knee\n\nCold laser relieves pain.\n"
    assert check("presence", text, when=BENEFITS, when_min=2, require=HARMS) == []
    assert len(check("presence", text, when=BENEFITS, when_min=1, require=HARMS)) == 1


def test_negated_requirement_does_not_count_when_asked():
    text = "# Knee\n\nIt relieves pain and improves sleep, with no side effects and heals fast.\n"
    assert len(check("presence", text, when=BENEFITS, when_min=3, require=HARMS,
                     ignore_negated=True)) == 1
    assert check("presence", text, when=BENEFITS, when_min=3, require=HARMS) == []
    text2 = text.replace("with no side effects", "without the side effects of pills")
    assert len(check("presence", text2, when=BENEFITS, when_min=3, require=HARMS,
                     ignore_negated=True)) == 1


def test_front_matter_key_satisfies_it_and_blank_values_do_not():
    found = check("presence", ARTICLE, require=["\\bwritten\\s+by\\b"], require_metadata=["author"])
    assert found == []
    blank = ARTICLE.replace("author: Dana Reyes", "author: ''")
    found = check("presence", blank, require=["\\bwritten\\s+by\\b"], require_metadata=["Author"])
    assert [f.text for f in found] == ["Cold laser for knee pain"]


def test_metadata_keys_compare_case_blind_with_dashes_as_underscores():
    text = "---\nReviewed-By: Sam Ortiz\n---\n\n# Title\n\nBody.\n"
    assert check("presence", text, require_metadata=["reviewed_by"]) == []


def test_a_link_url_satisfies_require_links():
    text = "# Vitamin D\n\nIt helps absorb calcium ([fact sheet](https://ods.od.nih.gov/x)).\n"
    assert check("presence", text, require=["\\bdoi\\b"], require_links=["nih\\.gov"]) == []
    found = check("presence", text, require=["\\bdoi\\b"], require_links=["pubmed"])
    assert [where(f) for f in found] == [(1, 3, 1, 12, "Vitamin D")]


def test_plain_text_reports_the_first_line():
    text = "Why knees hurt\r\nRunning relieves stress.\r\n"
    found = check("presence", text, path="a.txt", require=["\\bdoi\\b"])
    assert [where(f) for f in found] == [(1, 1, 1, 15, "Why knees hurt")]


def test_report_at_first_trigger():
    text = "# Knee\n\nIt heals cartilage and relieves pain.\n"
    found = check("presence", text, when=BENEFITS, when_min=2, require=HARMS,
                  report="first-trigger")
    assert [where(f) for f in found] == [(3, 4, 3, 9, "heals")]


def test_message_states_the_trigger_count():
    text = "# Knee\n\nIt heals cartilage and relieves pain.\n"
    found = check("presence", text, message="{count} benefit words", when=BENEFITS, when_min=2,
                  require=HARMS)
    assert found[0].message == "2 benefit words"


def test_min_words_skips_short_documents():
    text = "# Knee\n\nShort note.\n"
    assert check("presence", text, require=["\\bdoi\\b"], min_words=10) == []
    assert len(check("presence", text, require=["\\bdoi\\b"], min_words=2)) == 1


def test_empty_document_has_no_finding():
    assert check("presence", "", require=["\\bdoi\\b"]) == []
    assert check("presence", "<!-- only a comment -->\n", require=["\\bdoi\\b"]) == []


def test_case_sensitive_part_reads_the_original_text():
    req = ["\\bwritten\\s+by\\s+(?-i:[A-Z])"]
    assert check("presence", "# T\n\nWritten by Dana.\n", require=req) == []
    assert len(check("presence", "# T\n\nwritten by hand.\n", require=req)) == 1


def test_scope_limits_where_requirements_count():
    text = "# References\n\nBody text.\n"
    req = ["(?m:^references$)"]
    assert check("presence", text, require=req) == []
    rule = dataclasses.replace(make_rule("presence", require=req), scope=("paragraph",))
    assert len(list(PresenceKind(rule).check(read("a.md", text)))) == 1


def test_bad_options_are_reported_by_key():
    with pytest.raises(RuleOptionError) as exc:
        PresenceKind(make_rule("presence", when=["x"]))
    assert exc.value.key == "require"
    with pytest.raises(RuleOptionError) as exc:
        PresenceKind(make_rule("presence", require=["(unclosed"]))
    assert exc.value.key == "require" and "does not compile" in exc.value.message
