"""Shared by the document-level kinds: where to report, and reading front matter.

A document-level finding ("no author named", "reading grade 13") has no phrase of its
own, but every finding needs a source span. It is reported at the document's title:
the text of its first prose block up to the end of that block's first line — the
`# Title` of a Markdown article (without the `#`), the first line of a plain-text file.
A document with no prose gets no document-level finding.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, datetime

from healthlint.model import Block, Document


def title_block(doc: Document) -> Block | None:
    for block in doc.blocks:
        if block.scope != "front_matter":
            return block
    return None


def title_span(doc: Document) -> tuple[int, int] | None:
    """Source span of the title (first line of the first prose block), or None."""
    block = title_block(doc)
    if block is None:
        return None
    end = block.text.find("\n")
    return block.source_span(0, len(block.text) if end < 0 else end)


def norm_key(key: object) -> str:
    return str(key).strip().lower().replace("-", "_").replace(" ", "_")


def filled(value: object) -> bool:
    """A front-matter value that says something (not empty, not a bare placeholder)."""
    if value is None or value is False:
        return False
    if isinstance(value, str):
        return bool(value.strip())
    if isinstance(value, (list, tuple, dict)):
        return any(filled(v) for v in (value.values() if isinstance(value, dict) else value))
    return True


def metadata_items(meta: Mapping[str, object], keys: Iterable[str]) -> list[tuple[str, object]]:
    """(key as written, value) for each wanted key present and filled, in `keys` order.
    Keys compare case-blind, with '-' and ' ' equal to '_'."""
    by_norm = {norm_key(k): (str(k), v) for k, v in meta.items()}
    found = []
    for key in keys:
        item = by_norm.get(norm_key(key))
        if item is not None and filled(item[1]):
            found.append(item)
    return found


def front_matter_value_span(doc: Document, key: str) -> tuple[int, int] | None:
    """Source span of the value of top-level `key:` in the front matter block, if present."""
    import re

    for block in doc.blocks:
        if block.scope != "front_matter":
            continue
        m = re.search(rf"(?im)^{re.escape(key)}[ \t]*:[ \t]*(.*?)[ \t]*$", block.text)
        if m is None:
            return None
        start, end = m.span(1) if m.group(1) else m.span()
        return block.source_span(start, end)
    return None


_MONTHS = {
    m: i
    for i, names in enumerate(
        (
            ("jan", "january"), ("feb", "february"), ("mar", "march"), ("apr", "april"),
            ("may",), ("jun", "june"), ("jul", "july"), ("aug", "august"),
            ("sep", "sept", "september"), ("oct", "october"), ("nov", "november"),
            ("dec", "december"),
        ),
        start=1,
    )
    for m in names
}

#: A date as people write it in a byline or front matter; used by `parse_date`.
DATE_PATTERN = (
    r"(?:\d{4}-\d{1,2}(?:-\d{1,2})?"
    r"|\d{4}/\d{1,2}/\d{1,2}"
    r"|\d{1,2}/\d{1,2}/\d{4}"
    r"|(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?\s+(?:\d{1,2}(?:st|nd|rd|th)?,?\s+)?\d{4}"
    r"|\d{1,2}(?:st|nd|rd|th)?\s+(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?,?\s+\d{4})"
)


def parse_date(value: object) -> date | None:
    """A calendar date from a YAML value or a written date; None when it is not one.

    Numeric d/m/y is read month-first (US) unless the first number cannot be a month.
    A date without a day counts as the first of its month.
    """
    import re

    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if not isinstance(value, str):
        return None
    text = value.strip().lower()
    try:
        m = re.match(r"(\d{4})[-/](\d{1,2})(?:[-/](\d{1,2}))?(?![\d])", text)
        if m:
            return date(int(m[1]), int(m[2]), int(m[3] or 1))
        m = re.match(r"(\d{1,2})/(\d{1,2})/(\d{4})\b", text)
        if m:
            a, b, y = int(m[1]), int(m[2]), int(m[3])
            return date(y, b, a) if a > 12 else date(y, a, b)
        m = re.match(r"([a-z]+)\.?\s+(?:(\d{1,2})(?:st|nd|rd|th)?,?\s+)?(\d{4})\b", text)
        if m and m[1] in _MONTHS:
            return date(int(m[3]), _MONTHS[m[1]], int(m[2] or 1))
        m = re.match(r"(\d{1,2})(?:st|nd|rd|th)?\s+([a-z]+)\.?,?\s+(\d{4})\b", text)
        if m and m[2] in _MONTHS:
            return date(int(m[3]), _MONTHS[m[2]], int(m[1]))
    except ValueError:  # "2021-02-30"
        return None
    return None
