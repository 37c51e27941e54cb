"""Filters between the rules and the formatter, applied per file in a fixed order.

    1. inline suppressions (`healthlint-disable`, `-enable`, `-disable-next-line`),
       which also report suppressions that suppressed nothing
    2. select / ignore, top-level and per_path
    3. severity overrides ("off" removes the finding)
    4. ... later stages (baseline, changed lines) are appended to `build_pipeline`.

A filter is a pure function `(info: DocInfo, findings: list[Finding]) -> list[Finding]`.
`DocInfo` is what filters may know about a file once its Document is gone: its path
and suppression comments (findings from cross-file rules arrive after that).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace
from typing import NamedTuple

from healthlint.model import Directive, Document, Finding, Severity
from healthlint.packs import Rule

UNUSED_SUPPRESSION = "healthlint.unused-suppression"

#: Rules implemented in the filters themselves; they can be selected, ignored and explained.
META_RULES = (
    Rule(
        id=UNUSED_SUPPRESSION,
        pack="healthlint",
        kind="builtin",
        category="meta",
        severity=Severity.INFO,
        message="unused suppression: {match}",
        rationale=(
            "A suppression comment that suppresses nothing hides future findings on that "
            "line without anyone deciding they are fine. Remove it, or fix the rule id."
        ),
        source="healthlint (like ruff's RUF100 unused-noqa)",
        examples_flag=(),
        examples_pass=(),
        suggestion="Remove the comment or correct the rule id it names.",
        path="<built-in>",
    ),
)


class DirectiveSpan(NamedTuple):
    """Where a directive sits in the source, and the line a disable-next-line covers."""

    start: int
    end: int
    line: int
    column: int
    end_line: int
    end_column: int
    text: str
    target_line: int  # for disable-next-line: the next non-blank line; else 0


class DocInfo(NamedTuple):
    path: str
    directives: tuple[Directive, ...] = ()
    spans: tuple[DirectiveSpan, ...] = ()

    @classmethod
    def from_document(cls, doc: Document) -> DocInfo:
        if not doc.directives:
            return cls(doc.path)
        ordered = tuple(sorted(doc.directives, key=lambda d: (d.line, d.column)))
        return cls(doc.path, ordered, tuple(_span(doc, d) for d in ordered))


def _span(doc: Document, d: Directive) -> DirectiveSpan:
    lines, source = doc.lines, doc.source
    start = lines.offset(d.line, d.column)
    _, end = lines.line_span(d.end_line, source)
    if source.startswith("<!--", start):
        close = source.find("-->", start)
        if close >= 0:
            end = close + 3
    end_line, end_column = lines.position(end)
    target = 0
    if d.action == "disable-next-line":
        target = d.end_line + 1
        while target <= lines.line_count:
            a, b = lines.line_span(target, source)
            if source[a:b].strip():
                break
            target += 1
    text = source[start:end]
    return DirectiveSpan(start, end, d.line, d.column, end_line, end_column, text, target)


Filter = Callable[[DocInfo, list[Finding]], list[Finding]]


def rule_matches(selector: str, rule_id: str) -> bool:
    """A suppression's rule selector: an id, a prefix of ids, or a glob with `*`."""
    if "*" in selector:
        from fnmatch import fnmatchcase

        return fnmatchcase(rule_id, selector)
    return rule_id.startswith(selector)


def _covers(selectors: Sequence[str], rule_id: str) -> int | None:
    """Index of the first selector matching `rule_id` (-1 for "every rule"), or None."""
    if not selectors:
        return -1
    for j, sel in enumerate(selectors):
        if rule_matches(sel, rule_id):
            return j
    return None


def suppressor(
    known: Iterable[str] = (), is_on: Callable[[str, str], bool] | None = None
) -> Filter:
    """Filter 1: drop findings covered by suppression comments; report unused ones.

    `known` are the rule ids loaded in this run (a selector matching none is a typo);
    `is_on(rule_id, path)` says whether a rule ran on the file (a suppression for a rule
    that did not run is not reported, since it may be needed in a fuller run).
    """
    known_ids = tuple(known)

    def suppress(info: DocInfo, findings: list[Finding]) -> list[Finding]:
        if not info.directives:
            return findings
        used: set[tuple[int, int]] = set()
        kept = [f for f in findings if not _suppressed(info, f, used)]
        kept.extend(_unused(info, used, known_ids, is_on))
        return kept

    return suppress


def _suppressed(info: DocInfo, f: Finding, used: set[tuple[int, int]]) -> bool:
    active: tuple[int, int] | None = None
    where = (f.line, f.column)
    for i, (d, span) in enumerate(zip(info.directives, info.spans, strict=True)):
        if d.action == "disable-next-line":
            if span.target_line == f.line:
                j = _covers(d.rules, f.rule)
                if j is not None:
                    used.add((i, j))
                    return True
            continue
        if (d.line, d.column) > where:
            break
        j = _covers(d.rules, f.rule)
        if j is None:
            continue
        active = (i, j) if d.action == "disable" else None
    if active is not None:
        used.add(active)
        return True
    return False


def _unused(
    info: DocInfo,
    used: set[tuple[int, int]],
    known: tuple[str, ...],
    is_on: Callable[[str, str], bool] | None,
) -> Iterable[Finding]:
    for i, (d, span) in enumerate(zip(info.directives, info.spans, strict=True)):
        if d.action == "enable":
            continue
        if not d.rules:
            if (i, -1) not in used:
                yield _meta(info, span, "nothing here to suppress")
            continue
        for j, sel in enumerate(d.rules):
            if (i, j) in used:
                continue
            matching = [r for r in known if rule_matches(sel, r)]
            if not matching:
                yield _meta(info, span, f"{sel!r} matches no rule")
            elif is_on is None or any(is_on(r, info.path) for r in matching):
                yield _meta(info, span, f"no {sel!r} finding here to suppress")


def _meta(info: DocInfo, span: DirectiveSpan, why: str) -> Finding:
    rule = META_RULES[0]
    return Finding(
        path=info.path,
        line=span.line,
        column=span.column,
        end_line=span.end_line,
        end_column=span.end_column,
        rule=rule.id,
        category=rule.category,
        severity=rule.severity,
        message=rule.format_message(match=why),
        text=span.text,
        suggestion=rule.suggestion,
        start=span.start,
        end=span.end,
    )


def selector_filter(selection) -> Filter:
    """Filter 2: drop findings of rules that are off for the file (select/ignore/per_path)."""
    rules = selection.rules

    def select(info: DocInfo, findings: list[Finding]) -> list[Finding]:
        on: dict[str, bool] = {}  # per rule: a file has many findings of few rules
        out = []
        for f in findings:
            keep = on.get(f.rule)
            if keep is None:
                rule = rules.get(f.rule)
                keep = on[f.rule] = (
                    rule is None or selection.severity_for(rule, info.path) is not None
                )
            if keep:
                out.append(f)
        return out

    return select


def severity_filter(selection) -> Filter:
    """Filter 3: apply severity overrides.

    A kind may have lowered a finding below its rule's severity (a hedged claim); the
    override moves the rule's level and the finding keeps its distance from it.
    """
    rules = selection.rules

    def severity(info: DocInfo, findings: list[Finding]) -> list[Finding]:
        levels: dict[str, tuple[Rule | None, Severity | None]] = {}  # per rule
        out = []
        for f in findings:
            got = levels.get(f.rule)
            if got is None:
                rule = rules.get(f.rule)
                got = levels[f.rule] = (
                    rule, None if rule is None else selection.severity_for(rule, info.path)
                )
            rule, level = got
            if rule is None or level == rule.severity:
                out.append(f)
                continue
            if level is None:
                continue
            shifted = level - (rule.severity - f.severity)
            shifted = min(max(shifted, Severity.INFO), Severity.ERROR)
            out.append(replace(f, severity=Severity(shifted)))
        return out

    return severity


def build_pipeline(selection) -> list[Filter]:
    """The filters of a run, in order. Later stages append here."""

    def is_on(rule_id: str, path: str) -> bool:
        rule = selection.rules.get(rule_id)
        return rule is not None and selection.severity_for(rule, path) is not None

    return [
        suppressor(selection.rules, is_on),
        selector_filter(selection),
        severity_filter(selection),
    ]


def apply(pipeline: Sequence[Filter], info: DocInfo, findings: list[Finding]) -> list[Finding]:
    for step in pipeline:
        findings = step(info, findings)
    return findings
