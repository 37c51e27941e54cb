"""JUnit XML, for CI systems that show test reports (GitLab, Jenkins, Azure, CircleCI).

One <testsuite> named healthlint inside <testsuites>; one <testcase classname="healthlint"
name=PATH> per linted file; a <failure type=RULE message=MESSAGE> per finding, its text
"line:column: severity [rule] message" plus the quoted source text; a file that could not
be read is a testcase with an <error>. A file without findings is a passing testcase.
Characters XML 1.0 cannot carry (control characters) are written as \\xNN.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from healthlint.repo import find_root, relative

if TYPE_CHECKING:
    from healthlint.formatters import FormatOptions
    from healthlint.model import Finding
    from healthlint.runner import RunResult

_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def clean(text: str) -> str:
    return _NOT_XML.sub(lambda m: f"\\x{ord(m.group()):02x}", text)


def format(result: RunResult, stream: TextIO, options: FormatOptions) -> None:  # noqa: A001
    errors = [(p.path, p.message) for p in result.problems if p.fatal]
    stream.write(render(result.findings, result.paths, find_root(), errors))


def render(
    findings: Iterable[Finding],
    files: Sequence[str],
    root: Path,
    errors: Sequence[tuple[str, str]] = (),
) -> str:
    """`files`: every linted file, in order; `errors`: (path, message) for unreadable files."""
    import xml.etree.ElementTree as ET

    by_path: dict[str, list[Finding]] = {}
    for f in findings:
        by_path.setdefault(relative(f.path, root), []).append(f)
    error_of = {relative(p, root): m for p, m in errors}
    names = list(dict.fromkeys([relative(p, root) for p in files] + list(error_of) + list(by_path)))

    suites = ET.Element("testsuites", name="healthlint")
    suite = ET.SubElement(suites, "testsuite", name="healthlint")
    failed = 0
    for name in names:
        case = ET.SubElement(suite, "testcase", classname="healthlint", name=clean(name))
        if name in error_of:
            ET.SubElement(case, "error", message=clean(error_of[name]), type="read-error")
        found = by_path.get(name, ())
        failed += bool(found)
        for f in found:
            failure = ET.SubElement(case, "failure", message=clean(f.message), type=f.rule)
            failure.text = clean(
                f"{f.line}:{f.column}: {f.severity} [{f.rule}] {f.message}\n"
                f"text: {f.text}"
            )
    counts = {
        "tests": str(len(names)),
        "failures": str(failed),
        "errors": str(len(error_of)),
        "skipped": "0",
    }
    suites.attrib.update({k: counts[k] for k in ("tests", "failures", "errors")})
    suite.attrib.update(counts)
    ET.indent(suites)
    body = ET.tostring(suites, encoding="unicode")
    return f'<?xml version="1.0" encoding="UTF-8"?>\n{body}\n'
