"""Baselines: record today's findings once, then report only new ones.

A content repository adopting healthlint has hundreds of old findings; `--write-baseline
FILE` records them and `--baseline FILE` hides them, so a pull request is judged only on
what it adds. The file (JSON, UTF-8, sorted so it diffs well):

    {"version": 1,
     "entries": [{"path": "articles/a.md", "rule": "absolute-claims.no-side-effects",
                  "fingerprint": "<32 hex>", "count": 2, "text": "no side effects"}]}

`fingerprint` (healthlint.fingerprint) ignores line numbers, so inserting lines above an
old finding keeps it hidden. `count` is how many findings shared the fingerprint: with 1
recorded and 2 found, the first in file order stays hidden and the later one is reported.
`rule` and `text` are there for people reading the file; matching uses the path and
the fingerprint. Entries that no longer match anything are counted as fixed, so the
baseline can be rewritten smaller (ratcheted).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from healthlint.fingerprint import keyed

if TYPE_CHECKING:
    from healthlint.filters import DocInfo
    from healthlint.model import Finding

VERSION = 1


class BaselineError(Exception):
    """A baseline file that cannot be used; the message names the file and the problem."""


@dataclass(frozen=True)
class Baseline:
    #: repository-relative path -> {fingerprint: number of findings recorded}
    entries: Mapping[str, Mapping[str, int]]


@dataclass(frozen=True)
class Applied:
    findings: list[Finding]  # what the baseline does not cover
    hidden: int
    fixed: int  # recorded findings no longer found


def entries(findings: Iterable[Finding], root: Path) -> list[dict]:
    """Baseline entries for `findings`, sorted by path, rule and fingerprint."""
    by_fp: dict[str, dict] = {}
    for item in keyed(findings, root):
        entry = by_fp.get(item.fingerprint)
        if entry is None:
            by_fp[item.fingerprint] = {
                "path": item.path,
                "rule": item.finding.rule,
                "fingerprint": item.fingerprint,
                "count": 1,
                "text": item.finding.text,
            }
        else:
            entry["count"] += 1
    return sorted(by_fp.values(), key=lambda e: (e["path"], e["rule"], e["fingerprint"]))


def write(path: str, findings: Iterable[Finding], root: Path) -> int:
    """Write the baseline file; return its number of entries."""
    recorded = entries(findings, root)
    text = json.dumps({"version": VERSION, "entries": recorded}, indent=2, ensure_ascii=False)
    try:
        with open(path, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(text + "\n")
    except OSError as exc:
        raise BaselineError(f"cannot write baseline {path}: {exc.strerror or exc}") from None
    return len(recorded)


def loads(text: str, name: str) -> Baseline:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise BaselineError(f"{name}:{exc.lineno}: not valid JSON ({exc.msg})") from None
    if not isinstance(data, dict) or not isinstance(data.get("entries"), list):
        raise BaselineError(
            f"{name}: not a healthlint baseline (expected an object with 'entries')"
        )
    if data.get("version") != VERSION:
        raise BaselineError(
            f"{name}: baseline version {data.get('version')!r} is not supported"
            f" (expected {VERSION}); rewrite it with --write-baseline"
        )
    entries: dict[str, dict[str, int]] = {}
    for i, entry in enumerate(data["entries"], start=1):
        if not isinstance(entry, dict):
            raise BaselineError(f"{name}: entry {i} is not an object")
        path, fp, count = entry.get("path"), entry.get("fingerprint"), entry.get("count", 1)
        for key, value in (("path", path), ("fingerprint", fp)):
            if not isinstance(value, str) or not value:
                raise BaselineError(f"{name}: entry {i} has no {key!r} string")
        if not isinstance(count, int) or isinstance(count, bool) or count < 1:
            raise BaselineError(f"{name}: entry {i}: 'count' must be a positive integer")
        counts = entries.setdefault(path, {})
        counts[fp] = counts.get(fp, 0) + count
    return Baseline(entries)


def load(path: str) -> Baseline:
    try:
        with open(path, encoding="utf-8-sig") as fh:
            text = fh.read()
    except FileNotFoundError:
        raise BaselineError(
            f"baseline {path} not found (create it with --write-baseline {path})"
        ) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise BaselineError(f"cannot read baseline {path}: {exc}") from None
    return loads(text, path)


def apply(
    baseline: Baseline, findings: Sequence[Finding], root: Path, linted: Iterable[str]
) -> Applied:
    """Hide the findings the baseline records; count the records of `linted` files that
    nothing matched (a run over some files says nothing about the others)."""
    from healthlint.repo import relative

    hidden: set[int] = set()
    found: dict[tuple[str, str], int] = {}
    for item in keyed(findings, root):
        found[item.path, item.fingerprint] = item.number
        if item.number <= baseline.entries.get(item.path, {}).get(item.fingerprint, 0):
            hidden.add(id(item.finding))
    fixed = 0
    for path in {relative(p, root) for p in linted}:
        for fp, n in baseline.entries.get(path, {}).items():
            fixed += max(0, n - found.get((path, fp), 0))
    kept = [f for f in findings if id(f) not in hidden]
    return Applied(kept, len(findings) - len(kept), fixed)


class BaselineFilter:
    """The baseline stage of the filter pipeline (healthlint.filters), one file at a time;
    it adds up what it hid and what it found fixed, for the closing note."""

    def __init__(self, baseline: Baseline, root: Path) -> None:
        self.baseline = baseline
        self.root = root
        self.hidden = 0
        self.fixed = 0

    def __call__(self, info: DocInfo, findings: list[Finding]) -> list[Finding]:
        applied = apply(self.baseline, findings, self.root, [info.path])
        self.hidden += applied.hidden
        self.fixed += applied.fixed
        return applied.findings
