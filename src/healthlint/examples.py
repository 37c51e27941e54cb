"""Running a rule on its own examples: `healthlint test-rules` and the test suite.

Examples are Markdown snippets. A cross-file rule's example may hold several files,
separated as the kind's `split_example` says; its `across` pass then sees them all.
"""

from __future__ import annotations

from healthlint.kinds import Kind
from healthlint.model import Finding


def findings_for(check: Kind, text: str) -> list[Finding]:
    """The findings of `check`'s own rule on an example text."""
    from healthlint.readers.markdown import read

    parts = check.split_example(text) if hasattr(check, "split_example") else [text]
    docs = [read(f"example{i}.md", part) for i, part in enumerate(parts)]
    found = [f for doc in docs for f in check.check(doc)]
    if hasattr(check, "digest"):
        found += check.across({doc.path: check.digest(doc) for doc in docs})
    return [f for f in found if f.rule == check.rule.id]


def misbehaviour(check: Kind, which: str, text: str) -> str | None:
    """Why a "flag" or "pass" example misbehaves, or None when it behaves."""
    try:
        found = findings_for(check, text)
    except Exception as exc:  # report a crashing rule like any other failure
        return f"crashed the rule: {type(exc).__name__}: {exc}"
    snippet = " ".join(text.split())
    if len(snippet) > 70:
        snippet = snippet[:69] + "…"
    if which == "flag" and not found:
        return f"was not flagged: {snippet!r}"
    if which == "pass" and found:
        texts = ", ".join(repr(f.text) for f in found[:3])
        return f"was flagged ({texts}): {snippet!r}"
    return None
