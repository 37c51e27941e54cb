"""JSON output: the versioned contract of DESIGN.md.

    {"version": 1, "findings": [...], "summary": {"files": N, "findings": N}, "errors": [...]}

`errors` lists file-level problems as {"path": ..., "message": ...}: files that could
not be read, files skipped as binary ("skipped: ..."), and files linted with a notice
(invalid UTF-8 replaced).

The report is written one finding per line, each encoded by `json.dumps` without an
indent: that runs json's C encoder, while `indent` falls back to the pure-Python one
(seconds for a corpus with a hundred thousand findings). It is the same JSON value.
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
    data = to_dict(result)
    dumps = json.JSONEncoder(ensure_ascii=False).encode
    stream.write(f'{{"version": {VERSION},\n "findings": [')
    if data["findings"]:
        stream.write("\n  ")
        stream.write(",\n  ".join(map(dumps, data["findings"])))
        stream.write("\n ")
    stream.write("],\n")
    stream.write(f' "summary": {dumps(data["summary"])},\n')
    stream.write(' "errors": [')
    if data["errors"]:
        stream.write("\n  ")
        stream.write(",\n  ".join(map(dumps, data["errors"])))
        stream.write("\n ")
    stream.write("]}\n")
