"""JSON output: the versioned contract of DESIGN.md.

    {"version": 1, "findings": [...], "summary": {"files": N, "findings": N}, "errors": [...]}

`errors` lists file-level problems as {"path": ..., "message": ...}: files that could
not be read, files skipped as binary ("skipped: ..."), and files linted with a notice
(invalid UTF-8 replaced).
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, TextIO

if TYPE_CHECKING:
    from healthlint.formatters import FormatOptions
    from healthlint.runner import RunResult

VERSION = 1


def to_dict(result: RunResult) -> dict:
    findings = sorted(result.findings, key=lambda f: f.sort_key())
    return {
        "version": VERSION,
        "findings": [f.to_dict() for f in findings],
        "summary": {"files": result.files, "findings": len(findings)},
        "errors": [p.to_dict() for p in result.problems],
    }


def format(result: RunResult, stream: TextIO, options: FormatOptions) -> None:  # noqa: A001
    json.dump(to_dict(result), stream, indent=2, ensure_ascii=False)
    stream.write("\n")
