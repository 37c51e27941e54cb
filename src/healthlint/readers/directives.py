"""Suppression comments shared by the Markdown, HTML and text readers.

    <!-- healthlint-disable RULE[, RULE ...] [-- reason] -->
    <!-- healthlint-enable [RULE ...] -->
    <!-- healthlint-disable-next-line RULE ... [-- reason] -->

Rules are separated by spaces or commas; no rule means every rule. Readers only turn
comments into `Directive` records; deciding which findings they silence is the
suppression filter's job. A comment that starts with "healthlint" but is not a valid
directive (a typo such as `healthlint-disabel`) becomes a notice naming its line, so a
suppression that silently does nothing cannot hide in a file.
"""

from __future__ import annotations

import re

from healthlint.cache import re_compile
from healthlint.model import Directive

ACTIONS = ("disable-next-line", "disable", "enable")

_PREFIX = re_compile(r"\s*healthlint\b", re.IGNORECASE)
_DIRECTIVE = re_compile(
    r"\s*healthlint-(disable-next-line|disable|enable)(?=[\s,]|$)(.*)\Z",
    re.IGNORECASE | re.DOTALL,
)
# " -- " starts the reason; a rule id never contains whitespace, so "--" must stand alone.
_REASON = re_compile(r"(?:^|\s)--(?:\s|$)")
_RULE = re_compile(r"[A-Za-z0-9_*][A-Za-z0-9_.*/-]*\Z")
_SEPARATORS = re_compile(r"[\s,]+")


def parse_comment(body: str, line: int, column: int, end_line: int) -> Directive | str | None:
    """The directive in an HTML comment's body (the text between `<!--` and `-->`).

    Returns a Directive, a notice string for a malformed healthlint comment, or None
    for any other comment.
    """
    if not _PREFIX.match(body):
        return None
    m = _DIRECTIVE.match(body)
    if not m:
        word = body.split(None, 1)[0] if body.split() else "healthlint"
        return (
            f"line {line}: unknown healthlint directive {word!r} (expected "
            "healthlint-disable, healthlint-enable or healthlint-disable-next-line); ignored"
        )
    action = m.group(1).lower()
    rest = m.group(2)
    reason = ""
    r = _REASON.search(rest)
    if r:
        reason = " ".join(rest[r.end() :].split())
        rest = rest[: r.start()]
    rules = tuple(t for t in _SEPARATORS.split(rest.strip()) if t)
    bad = [t for t in rules if not _RULE.match(t)]
    if bad:
        return (
            f"line {line}: healthlint-{action} names an invalid rule id {bad[0]!r} "
            "(separate rules with spaces or commas, start a reason with ' -- '); ignored"
        )
    return Directive(action, rules, line, column, end_line, reason)


def add_comment(
    body: str,
    line: int,
    column: int,
    directives: list[Directive],
    notices: list[str],
) -> None:
    """Parse one comment body found at (line, column) and record the outcome."""
    if "healthlint" not in body and "HEALTHLINT" not in body.upper():
        return
    parsed = parse_comment(body, line, column, line + body.count("\n"))
    if isinstance(parsed, Directive):
        directives.append(parsed)
    elif parsed:
        notices.append(parsed)
