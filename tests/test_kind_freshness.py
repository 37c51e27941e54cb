"""The freshness kind: a review date older than a number of months."""

from __future__ import annotations

import datetime as dt

import pytest
from _kindcheck import check, make_rule, where

from healthlint.kinds import freshness
from healthlint.kinds._doclevel import parse_date
from healthlint.kinds.freshness import FreshnessKind, months_between
from healthlint.packs import RuleOptionError

DATED = """\
---
title: Tennis elbow
last_reviewed: 2022-03-15
---

# Tennis elbow

Most tennis elbow settles within a year.
"""


def test_old_front_matter_date_is_reported_on_its_value():
    found = check("freshness", DATED, message="{date} {months} {max_age_months}",
                  today="2024-06-01", max_age_months=24)
    assert [where(f) for f in found] == [(3, 16, 3, 26, "2022-03-15")]
    assert found[0].message == "2022-03-15 26 24"


def test_recent_enough_date_passes():
    assert check("freshness", DATED, today="2024-03-15", max_age_months=24) == []
    assert check("freshness", DATED, today="2024-03-14", max_age_months=23) == []
    assert len(check("freshness", DATED, today="2024-03-15", max_age_months=23)) == 1


def test_today_comes_from_a_replaceable_function(monkeypatch):
    monkeypatch.setattr(freshness, "today", lambda: dt.date(2030, 1, 1))
    assert len(check("freshness", DATED)) == 1
    monkeypatch.setattr(freshness, "today", lambda: dt.date(2022, 6, 1))
    assert check("freshness", DATED) == []


def test_first_key_in_preference_order_counts():
    # last_reviewed counts, whatever the publication date
    text = DATED.replace("last_reviewed: 2022-03-15", "date: 2025-01-01\nlast_reviewed: 2021-01-10")
    found = check("freshness", text, today="2025-06-01")
    assert [where(f) for f in found] == [(4, 16, 4, 26, "2021-01-10")]
    # with `keys` naming them, updated wins over date
    text = DATED.replace("last_reviewed: 2022-03-15", "date: 2019-01-01\nupdated: 2024-01-10")
    keys = ["last_reviewed", "updated", "date"]
    assert check("freshness", text, today="2025-01-01", keys=keys) == []
    found = check("freshness", text, today="2026-06-01", keys=keys)
    assert [where(f) for f in found] == [(4, 10, 4, 20, "2024-01-10")]


@pytest.mark.parametrize(
    "front",
    ["date: 2015-01-01", "updated: 2015-01-01", "last_updated: 2015-01-01",
     "modified: 2015-01-01", "published: 2015-01-01"],
)
def test_publication_and_update_dates_are_not_review_dates(front):
    text = DATED.replace("last_reviewed: 2022-03-15", front)
    assert check("freshness", text, today="2025-01-01") == []


@pytest.mark.parametrize(
    "line, expected",
    [("Updated March 2015", []), ("Published: 4 May 2015", []), ("Revised 2015-05-04", []),
     ("Last reviewed: 4 May 2015", ["4 May 2015"]),
     ("Medically reviewed by Dr Ana Ortiz, MD, on 4 May 2015", ["4 May 2015"]),
     ("Reviewed on 2015-05-04 by the pharmacy team", ["2015-05-04"])],
)
def test_only_review_lines_in_the_text_count(line, expected):
    text = f"# Gout\n\n{line}\n\nCherries will not cure gout.\n"
    assert [f.text for f in check("freshness", text, today="2025-01-01")] == expected


def test_text_cues_can_count_updates():
    text = "# Gout\n\nUpdated March 2015\n\nRest the joint.\n"
    found = check("freshness", text, today="2025-01-01", text_cues=["reviewed", "updated"])
    assert [f.text for f in found] == ["March 2015"]


def test_quoted_and_written_dates_in_front_matter():
    text = DATED.replace("2022-03-15", '"March 15, 2022"')
    found = check("freshness", text, today="2025-01-01")
    assert [f.text for f in found] == ['"March 15, 2022"']


def test_text_date_without_front_matter():
    text = "# Tennis elbow\n\nLast reviewed: 3 March 2021\n\nRest helps.\n"
    found = check("freshness", text, today="2024-06-01")
    assert [where(f) for f in found] == [(3, 16, 3, 28, "3 March 2021")]


def test_plain_text_with_crlf():
    text = "Tennis elbow\r\nReviewed on 2020-01-05 by the editors\r\n"
    found = check("freshness", text, path="a.txt", today="2024-06-01")
    assert [where(f) for f in found] == [(2, 13, 2, 23, "2020-01-05")]


def test_no_date_at_all_is_not_this_rules_business():
    assert check("freshness", "# T\n\nBody.\n", today="2024-06-01") == []


def test_text_dates_can_be_turned_off():
    text = "# T\n\nLast reviewed: 3 March 2001\n"
    assert check("freshness", text, today="2024-06-01", text_dates=False) == []


def test_future_date_is_not_overdue():
    assert check("freshness", DATED.replace("2022", "2031"), today="2024-06-01") == []


def test_bad_today_option():
    with pytest.raises(RuleOptionError) as exc:
        FreshnessKind(make_rule("freshness", today="soon"))
    assert exc.value.key == "today"


@pytest.mark.parametrize(
    "earlier, later, months",
    [((2022, 3, 15), (2024, 3, 15), 24), ((2022, 3, 15), (2024, 3, 14), 23),
     ((2024, 1, 31), (2024, 2, 29), 0), ((2024, 5, 1), (2024, 4, 1), -1)],
)
def test_months_between(earlier, later, months):
    assert months_between(dt.date(*earlier), dt.date(*later)) == months


@pytest.mark.parametrize(
    "value, expected",
    [("2021-03-04", (2021, 3, 4)), ("2021/3/4", (2021, 3, 4)), ("2021-03", (2021, 3, 1)),
     ("March 4, 2021", (2021, 3, 4)), ("4 March 2021", (2021, 3, 4)), ("Mar. 2021", (2021, 3, 1)),
     ("Sept 4th, 2021", (2021, 9, 4)), ("03/04/2021", (2021, 3, 4)), ("25/04/2021", (2021, 4, 25)),
     (dt.date(2021, 3, 4), (2021, 3, 4)), (dt.datetime(2021, 3, 4, 10, 0), (2021, 3, 4)),
     ("2021-02-30", None), ("soon", None), (2021, None), ("Maybe 2021", None)],
)
def test_parse_date(value, expected):
    assert parse_date(value) == (dt.date(*expected) if expected else None)
