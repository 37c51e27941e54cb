"""reviewdog Diagnostic JSON Lines (`reviewdog -f=rdjsonl`), one diagnostic per line.

reviewdog counts columns in UTF-8 bytes (1-based, end exclusive), while healthlint counts
code points, so each column is converted using the text of its source line: "é" before a
match moves it 2 columns, an emoji 4. Paths are repository-relative. No `suggestions`:
healthlint never rewrites health claims automatically.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from healthlint.model import Severity
from healthlint.repo import find_root, relative

if TYPE_CHECKING:
    from healthlint.formatters import FormatOptions
    from healthlint.model import Finding
    from healthlint.packs import Rule
    from healthlint.runner import RunResult

SEVERITIES = {Severity.ERROR: "ERROR", Severity.WARNING: "WARNING", Severity.INFO: "INFO"}

#: (path as given on the finding, 1-based line number) -> that line's text
LineText = Callable[[str, int], str]


def byte_column(line_text: str, column: int) -> int:
    """The 1-based UTF-8 byte column of 1-based code-point `column` in `line_text`."""
    return len(line_text[: column - 1].encode("utf-8", "surrogatepass")) + 1


def file_lines() -> LineText:
    """Read each file once (decoded exactly as the readers decode it) and return its lines."""
    from healthlint.source import ReadError, read_source

    cache: dict[str, list[str]] = {}

    def line_text(path: str, line: int) -> str:
        lines = cache.get(path)
        if lines is None:
            try:
                lines = read_source(path).text.split("\n")
            except ReadError:
                lines = []
            cache[path] = lines
        return lines[line - 1] if 0 < line <= len(lines) else ""

    return line_text


def format(result: RunResult, stream: TextIO, options: FormatOptions) -> None:  # noqa: A001
    from_files = file_lines()

    def line_text(path: str, line: int) -> str:
        # The run kept the first line of every finding; only multi-line spans read files.
        got = result.snippets.get(path, {}).get(line)
        return got if got is not None else from_files(path, line)

    stream.write(render(result.findings, result.rules, find_root(), line_text))


def render(
    findings: Iterable[Finding], rules: Sequence[Rule], root: Path, line_text: LineText
) -> str:
    links = {r.id: r.link for r in rules if r.link}
    out = []
    for f in findings:
        start = byte_column(line_text(f.path, f.line), f.column)
        end = byte_column(line_text(f.path, f.end_line), f.end_column)
        code: dict = {"value": f.rule}
        if f.rule in links:
            code["url"] = links[f.rule]
        diagnostic = {
            "message": f.message,
            "location": {
                "path": relative(f.path, root),
                "range": {
                    "start": {"line": f.line, "column": start},
                    "end": {"line": f.end_line, "column": end},
                },
            },
            "severity": SEVERITIES[f.severity],
            "source": {"name": "healthlint"},
            "code": code,
        }
        out.append(json.dumps(diagnostic, ensure_ascii=False) + "\n")
    return "".join(out)
