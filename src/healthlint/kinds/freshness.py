"""The `freshness` kind: a review date older than a number of months.

The date comes from front matter (the first of `keys`, in order, that holds a date:
`last_reviewed`, `reviewed`, ...) or, without one, from a dated line in the text ("Last
reviewed: 3 March 2021", "Medically reviewed by Dr Ana Ortiz on 3 March 2021").

Only review dates count by default. A publication date (`date:`) says when the page was
written, and an update date ("Updated March 2024") that something changed, which may be
a typo: neither says a clinician checked the advice against current evidence, which is
what the NHS standard asks for every three years. A site that treats updates as reviews
can list `updated` in `keys` and in `text_cues`. No date at all is not this kind's
business (a `presence` rule asks for one). The finding is placed on the date itself:
the value in the front matter block, or the date in the text; at the title when the
front matter block is not available.

"Today" is `today()` below unless the rule gives `today:` (an ISO date), so a run can
be made reproducible and tests can fix the clock.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Iterator
from typing import ClassVar

import regex

from healthlint.cache import regex_compile
from healthlint.kinds import Kind
from healthlint.kinds._doclevel import (
    DATE_PATTERN,
    front_matter_value_span,
    metadata_items,
    parse_date,
    title_span,
)
from healthlint.model import Document, Finding
from healthlint.packs import Rule, RuleOptionError

DEFAULT_KEYS = (
    "last_reviewed", "reviewed", "reviewed_on", "review_date", "medically_reviewed",
    "last_medical_review", "clinically_reviewed",
)
DEFAULT_CUES = ("reviewed",)


def _text_cue(words: tuple[str, ...]) -> regex.Pattern:
    """A dated line led by one of `words`: "Last reviewed: 3 March 2021", "Medically
    reviewed by Dr Ana Ortiz, MD, on 2021-03-03", "Reviewed on 3/3/2021"."""
    cue = "|".join(regex.escape(w) for w in words)
    return regex_compile(
        rf"\b(?:last\s+)?(?:medically\s+|clinically\s+)?(?:{cue})"
        r"(?:\s+by\s+[^\n;]{1,80}?[,\s]+on|\s+on)?\s*:?\s*"
        rf"(?P<date>{DATE_PATTERN})",
        regex.IGNORECASE | regex.V0,
    )


def today() -> _dt.date:
    """The date ages are measured from (a function so tests can replace it)."""
    return _dt.date.today()


def months_between(earlier: _dt.date, later: _dt.date) -> int:
    """Whole months from `earlier` to `later` (negative if `earlier` is later)."""
    months = (later.year - earlier.year) * 12 + later.month - earlier.month
    return months - 1 if later.day < earlier.day else months


class FreshnessKind(Kind):
    name = "freshness"
    options: ClassVar[dict] = {
        "keys": {"type": "array", "items": {"type": "string", "minLength": 1},
                 "description": "Front-matter keys holding a review or update date, in order "
                                "of preference: the first one present counts."},
        "max_age_months": {"type": "integer", "minimum": 1, "description": "Default 24."},
        "today": {"type": "string", "description": "ISO date to measure from (default: today)."},
        "text_dates": {"type": "boolean",
                       "description": "Without a front-matter date, read 'Last reviewed: <date>' "
                                      "lines in the text (default true)."},
        "text_cues": {"type": "array", "items": {"type": "string", "minLength": 1},
                      "description": "Words that lead a dated line in the text (default "
                                     "['reviewed']; add 'updated' to count updates)."},
    }
    message_fields = ("match", "date", "months", "max_age_months")

    def __init__(self, rule: Rule) -> None:
        super().__init__(rule)
        opts = rule.options
        self.keys = tuple(opts.get("keys", DEFAULT_KEYS))
        self.max_age = int(opts.get("max_age_months", 24))
        self.text_dates = bool(opts.get("text_dates", True))
        self.cues = tuple(w.lower() for w in opts.get("text_cues", DEFAULT_CUES))
        self.text_cue = _text_cue(self.cues)
        self.today = None
        if "today" in opts:
            self.today = parse_date(opts["today"])
            if self.today is None:
                raise RuleOptionError("today", f"not a date (use YYYY-MM-DD): {opts['today']!r}")

    def check(self, doc: Document) -> Iterator[Finding]:
        found = self._metadata_date(doc) or (self._text_date(doc) if self.text_dates else None)
        if found is None:
            return
        when, span = found
        now = self.today or today()
        months = months_between(when, now)
        if months <= self.max_age or span is None:
            return
        yield self.finding(
            doc, *span, date=when.isoformat(), months=months, max_age_months=self.max_age
        )

    def _metadata_date(self, doc: Document):
        for key, value in metadata_items(doc.metadata, self.keys):
            when = parse_date(value)
            if when is not None:
                return when, front_matter_value_span(doc, key) or title_span(doc)
        return None

    def _text_date(self, doc: Document):
        prose = doc.prose
        folded = prose.folded if prose.folded is not None else prose.text.lower()
        if not any(cue in folded for cue in self.cues):
            return None
        best = None
        for m in self.text_cue.finditer(prose.text):
            when = parse_date(m.group("date"))
            if when is None:
                continue
            if best is None or when > best[0]:
                best = (when, m.span("date"))
        if best is None:
            return None
        when, (start, end) = best
        index, offset = prose.locate(start)
        block = prose.blocks[index]
        if block.scope == "front_matter":
            return None
        return when, block.source_span(offset, offset + end - start)
