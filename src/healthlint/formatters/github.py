"""GitHub Actions workflow commands: findings as annotations on the pull request's diff.

GitHub shows at most 10 error, 10 warning and 10 notice annotations per step, so the most
severe come first (errors, then warnings, then notices), each level capped at ANNOTATIONS;
every finding beyond the cap is listed in a plain-text summary after them (never dropped).
Paths are repository-relative; columns count code points like every healthlint column.

Escaping follows the Actions runner: in the message, % CR LF become %25 %0D %0A; in
property values also : and , become %3A and %2C.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from healthlint.model import Severity
from healthlint.repo import find_root, relative

if TYPE_CHECKING:
    from healthlint.formatters import FormatOptions
    from healthlint.model import Finding
    from healthlint.runner import RunResult

ANNOTATIONS = 10
COMMANDS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def format(result: RunResult, stream: TextIO, options: FormatOptions) -> None:  # noqa: A001
    root = find_root()
    stream.write(render(result.findings, root))
    # Files that could not be checked (or were checked with a remark) stay visible in the log.
    for problem in result.problems:
        stream.write(f"healthlint: {relative(problem.path, root)}: {problem.message}\n")


def render(findings: Iterable[Finding], root: Path) -> str:
    by_level: dict[Severity, list[tuple[str, Finding]]] = {s: [] for s in COMMANDS}
    for f in findings:
        by_level[f.severity].append((relative(f.path, root), f))

    out: list[str] = []
    rest: list[tuple[Severity, list[tuple[str, Finding]]]] = []
    for severity in sorted(COMMANDS, reverse=True):
        items = by_level[severity]
        for path, f in items[:ANNOTATIONS]:
            props = (
                f"file={escape_property(path)},line={f.line},col={f.column},"
                f"endLine={f.end_line},endColumn={f.end_column},title={escape_property(f.rule)}"
            )
            out.append(f"::{COMMANDS[severity]} {props}::{escape_data(f.message)}\n")
        if len(items) > ANNOTATIONS:
            rest.append((severity, items[ANNOTATIONS:]))

    for severity, items in rest:
        noun = COMMANDS[severity] + ("s" if len(items) > 1 else "")
        out.append(
            f"healthlint: and {len(items)} more {noun} "
            f"(GitHub shows {ANNOTATIONS} {COMMANDS[severity]} annotations per step):\n"
        )
        for path, f in items:
            message = " ".join(f.message.split())
            out.append(f"  {path}:{f.line}:{f.column}: {f.rule} {message}\n")
    return "".join(out)
