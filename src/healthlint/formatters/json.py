"""JSON output: the versioned contract of DESIGN.md.

    {"version": 1, "findings": [...], "summary": {"files": N, "findings": N}, "errors": [...]}

`errors` lists file-level problems as {"path": ..., "message": ...}: files that could
not be read, files skipped as binary ("skipped: ..."), and files linted with a notice
(invalid UTF-8 replaced).

The report is written one finding per line. `json.dump` with an indent runs the
pure-Python encoder (seconds for a corpus with a hundred thousand findings), so each
finding is written with json's C string encoder into a fixed template: the same object,
key for key, as `Finding.to_dict()` (the tests check that).
"""

from __future__ import annotations

import json
from json.encoder import encode_basestring as _string  # C, as json.dumps(ensure_ascii=False)
from typing import TYPE_CHECKING, TextIO

from healthlint.model import Finding, Severity

if TYPE_CHECKING:
    from healthlint.formatters import FormatOptions
    from healthlint.runner import RunResult

VERSION = 1

_SEVERITY = {s: _string(str(s)) for s in Severity}


def finding_json(f: Finding) -> str:
    """json.dumps(f.to_dict(), ensure_ascii=False), three times faster."""
    suggestion = "null" if f.suggestion is None else _string(f.suggestion)
    return (
        f'{{"path": {_string(f.path)}, "line": {int(f.line)}, "column": {int(f.column)}, '
        f'"end_line": {int(f.end_line)}, "end_column": {int(f.end_column)}, '
        f'"rule": {_string(f.rule)}, "category": {_string(f.category)}, '
        f'"severity": {_SEVERITY[f.severity]}, "message": {_string(f.message)}, '
        f'"text": {_string(f.text)}, "suggestion": {suggestion}}}'
    )


def format(result: RunResult, stream: TextIO, options: FormatOptions) -> None:  # noqa: A001
    findings = sorted(result.findings, key=Finding.sort_key)
    dumps = json.JSONEncoder(ensure_ascii=False).encode
    stream.write(f'{{"version": {VERSION},\n "findings": [')
    if findings:
        stream.write("\n  ")
        stream.write(",\n  ".join(map(finding_json, findings)))
        stream.write("\n ")
    stream.write("],\n")
    summary = {"files": result.files, "findings": len(findings)}
    stream.write(f' "summary": {dumps(summary)},\n')
    stream.write(' "errors": [')
    if result.problems:
        stream.write("\n  ")
        stream.write(",\n  ".join(dumps(p.to_dict()) for p in result.problems))
        stream.write("\n ")
    stream.write("]}\n")
