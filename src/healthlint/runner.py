"""The run loop: files -> Documents -> checks -> filters -> one RunResult for a formatter.

Reading and checking run per file, in worker processes when there are many files
(fork: the workers inherit the checks built once in the parent). Filters run in the
parent, after cross-file checks have added their findings, so a suppression comment
can silence a cross-file finding and unused suppressions are judged on everything.
Only a small DocInfo (path and suppression comments) is kept per file, never the
whole Document.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from dataclasses import replace
from types import MappingProxyType
from typing import NamedTuple

from healthlint.files import FileProblem, read_document
from healthlint.filters import META_RULES, DocInfo, Filter, apply
from healthlint.kinds import Kind
from healthlint.model import Document, Finding, Severity
from healthlint.packs import Rule

#: below this many files a run stays in one process (forking costs more than it saves)
PARALLEL_MIN_FILES = 50


class RunResult(NamedTuple):
    """Everything a formatter may show."""

    findings: tuple[Finding, ...]  # filtered, sorted by path, line, column, rule
    files: int  # files read and checked
    problems: tuple[FileProblem, ...] = ()  # file-level errors and notices, by path
    rules: tuple[Rule, ...] = ()  # the rules that ran (for SARIF rule metadata)
    #: path -> {line number: line text} for lines with findings (text output)
    snippets: Mapping[str, Mapping[int, str]] = MappingProxyType({})
    paths: tuple[str, ...] = ()  # the files read and checked, in discovery order

    def source_line(self, path: str, line: int) -> str | None:
        """The text of a line of a linted file, without its line end."""
        got = self.snippets.get(path, {}).get(line)
        if got is not None:
            return got
        # Cross-file findings arrive after their Document is gone: read the line again.
        from healthlint.source import LineIndex, ReadError, read_source

        try:
            text = read_source(path).text
        except ReadError:
            return None
        index = LineIndex(text)
        if not 1 <= line <= index.line_count:
            return None
        start, end = index.line_span(line, text)
        return text[start:end]

    def counts(self) -> dict[Severity, int]:
        out = dict.fromkeys(Severity, 0)
        for f in self.findings:
            out[f.severity] += 1
        return out

    def failed(self, fail_on: str) -> bool:
        """Exit status 1? Findings at or above `fail_on`, or a file that could not be checked."""
        if fail_on == "never":
            return False
        if any(p.fatal for p in self.problems):
            return True
        level = Severity.parse(fail_on)
        return any(f.severity >= level for f in self.findings)


class FileOutcome(NamedTuple):
    """What a worker sends back for one file (picklable, small)."""

    path: str
    findings: tuple[Finding, ...] = ()
    info: DocInfo | None = None
    problems: tuple[FileProblem, ...] = ()
    digests: tuple[tuple[int, object], ...] = ()  # (index of the check, its digest)
    snippets: Mapping[int, str] = MappingProxyType({})


# Set in the parent before forking; workers inherit it instead of rebuilding checks.
_CHECKS: Sequence[Kind] = ()


def check_document(doc: Document, checks: Sequence[Kind]) -> FileOutcome:
    findings: list[Finding] = []
    problems = [FileProblem(doc.path, notice) for notice in doc.notices]
    digests = []
    for i, check in enumerate(checks):
        try:
            findings.extend(check.check(doc))
            if hasattr(check, "digest"):
                digests.append((i, check.digest(doc)))
        except Exception as exc:  # a bug in a kind must not hide the other files' results
            problems.append(
                FileProblem(
                    doc.path,
                    f"internal error in rule {check.rule.id}: {type(exc).__name__}: {exc} "
                    "(please report this)",
                    fatal=True,
                )
            )
    snippets = {}
    for f in findings:
        if f.line not in snippets:
            start, end = doc.lines.line_span(f.line, doc.source)
            snippets[f.line] = doc.source[start:end]
    return FileOutcome(
        doc.path,
        tuple(findings),
        DocInfo.from_document(doc),
        tuple(problems),
        tuple(digests),
        snippets,
    )


def _process(path: str) -> FileOutcome:
    got = read_document(path)
    if isinstance(got, FileProblem):
        return FileOutcome(path, problems=(got,))
    return check_document(got, _CHECKS)


def default_jobs(n_files: int) -> int:
    return 1 if n_files < PARALLEL_MIN_FILES else (os.cpu_count() or 1)


def _outcomes(files: Sequence[str], jobs: int) -> list[FileOutcome]:
    if jobs <= 1 or len(files) < 2:
        return [_process(p) for p in files]
    import multiprocessing

    try:
        ctx = multiprocessing.get_context("fork")
    except ValueError:  # no fork on this platform (Windows): stay serial
        return [_process(p) for p in files]
    jobs = min(jobs, len(files))
    # Small chunks: a file takes about 10 ms, so the last chunk leaves the other
    # worker idle for at most a tenth of a second; more messages cost far less.
    chunk = max(1, min(8, len(files) // (jobs * 4)))
    with ctx.Pool(jobs) as pool:
        # imap keeps the input order, so the result does not depend on scheduling
        return list(pool.imap(_process, files, chunksize=chunk))


def cap(findings: list[Finding], caps: Mapping[str, int]) -> list[Finding]:
    """At most caps[rule] findings of a rule in one file's (filtered) findings: the first
    ones in the file; the last one kept says how many more there are.

    Runs after the filters, so a suppressed finding never takes a place, and a
    suppression is judged used or unused on all the findings.
    """
    counts: dict[str, int] = {}
    for f in findings:
        if f.rule in caps:
            counts[f.rule] = counts.get(f.rule, 0) + 1
    over = {rule for rule, n in counts.items() if n > caps[rule]}
    if not over:
        return findings
    out: list[Finding] = []
    shown: dict[str, int] = {}
    for f in sorted(findings, key=Finding.sort_key):
        if f.rule in over:
            k = shown[f.rule] = shown.get(f.rule, 0) + 1
            limit = caps[f.rule]
            if k > limit:
                continue
            if k == limit:
                more = counts[f.rule] - limit
                f = replace(
                    f,
                    message=f"{f.message} (+{more} more in this file, not listed: "
                    f"this rule reports at most {limit} per file)",
                )
        out.append(f)
    return out


def run(
    files: Sequence[str],
    checks: Sequence[Kind],
    pipeline: Sequence[Filter],
    jobs: int | None = None,
) -> RunResult:
    global _CHECKS
    _CHECKS = checks
    try:
        outcomes = _outcomes(files, default_jobs(len(files)) if jobs is None else jobs)
    finally:
        _CHECKS = ()

    raw: dict[str, list[Finding]] = {}
    infos: dict[str, DocInfo] = {}
    problems: list[FileProblem] = []
    snippets: dict[str, Mapping[int, str]] = {}
    digests: dict[int, dict[str, object]] = {}
    for out in outcomes:
        problems.extend(out.problems)
        if out.info is None:
            continue
        infos[out.path] = out.info
        raw[out.path] = list(out.findings)
        if out.snippets:
            snippets[out.path] = out.snippets
        for i, digest in out.digests:
            digests.setdefault(i, {})[out.path] = digest

    # Cross-file checks see every file's digest (in file order) once all are read.
    for i, by_path in digests.items():
        check = checks[i]
        try:
            for f in check.across(by_path):
                raw.setdefault(f.path, []).append(f)
        except Exception as exc:
            problems.append(
                FileProblem(
                    "<all files>",
                    f"internal error in rule {check.rule.id}: {type(exc).__name__}: {exc} "
                    "(please report this)",
                    fatal=True,
                )
            )

    caps = {c.rule.id: c.max_per_file for c in checks if getattr(c, "max_per_file", 0)}
    findings: list[Finding] = []
    for path, found in raw.items():
        info = infos.get(path) or DocInfo(path)
        kept = apply(pipeline, info, found)
        findings.extend(cap(kept, caps) if caps else kept)
    findings.sort(key=Finding.sort_key)
    return RunResult(
        findings=tuple(findings),
        files=len(infos),
        problems=tuple(sorted(problems, key=lambda p: p.path)),
        rules=tuple(c.rule for c in checks) + META_RULES,
        snippets=snippets,
        paths=tuple(infos),
    )
