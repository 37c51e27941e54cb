"""Accuracy against labelled articles: the `healthlint eval` harness.

Gold files follow the labelling guideline's format (README, "Measuring accuracy"):

    file: articles/knee-laser.md        # relative to --root (or found by name in --texts)
    labels:
      - category: absolute-claim
        quote: "100% safe"              # exact text from the file
        occurrence: 1                   # which occurrence of the quote; default 1
        optional: false                 # borderline: neither rewarded nor penalised

A label's span is the occurrence-th place the quote appears, in characters of the file.
A finding matches a label of the same category when their spans overlap. Per category:
recall = non-optional labels overlapped / non-optional labels; precision = findings
overlapping a label / findings, leaving out findings that overlap only optional labels.
These are the same counts as the reference scorer the labels came with.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from healthlint.source import LineIndex


class GoldError(Exception):
    pass


@dataclass(frozen=True)
class Label:
    category: str
    start: int
    end: int
    optional: bool
    quote: str
    line: int


@dataclass(frozen=True)
class GoldFile:
    gold_path: str
    text_path: str
    text: str
    labels: tuple[Label, ...]


@dataclass
class Score:
    gold: int = 0
    found: int = 0
    predicted: int = 0
    correct: int = 0

    @property
    def recall(self) -> float | None:
        return self.found / self.gold if self.gold else None

    @property
    def precision(self) -> float | None:
        return self.correct / self.predicted if self.predicted else None


@dataclass
class Report:
    categories: dict[str, Score] = field(default_factory=dict)
    rules: dict[str, Score] = field(default_factory=dict)
    misses: list[str] = field(default_factory=list)
    false_positives: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    def total(self) -> Score:
        t = Score()
        for s in self.categories.values():
            t.gold += s.gold
            t.found += s.found
            t.predicted += s.predicted
            t.correct += s.correct
        return t


def load_gold(
    paths: Iterable[str], root: str, texts: str | None = None
) -> tuple[list[GoldFile], list[str]]:
    """Read gold files and place every label in its text. Returns (files, problems)."""
    import yaml

    files: list[GoldFile] = []
    problems: list[str] = []
    for gold_path in paths:
        try:
            with open(gold_path, encoding="utf-8") as fh:
                docs = [d for d in yaml.safe_load_all(fh) if d]
        except (OSError, yaml.YAMLError) as exc:
            raise GoldError(f"{gold_path}: cannot read gold file: {exc}") from None
        for doc in docs:
            if not isinstance(doc, Mapping) or "file" not in doc:
                raise GoldError(f"{gold_path}: a gold document needs a 'file' key")
            rel = str(doc["file"])
            text_path = os.path.join(root, rel)
            if not os.path.exists(text_path) and texts:
                text_path = os.path.join(texts, os.path.basename(rel))
            try:
                with open(text_path, encoding="utf-8-sig", newline="") as fh:
                    text = fh.read()
            except OSError as exc:
                raise GoldError(
                    f"{gold_path}: cannot read labelled file {text_path}: {exc.strerror}"
                ) from None
            lines = LineIndex(text)
            labels = []
            for lab in doc.get("labels") or []:
                quote = str(lab["quote"])
                n = int(lab.get("occurrence", 1))
                pos = _find_nth(text, quote, n)
                if pos is None:
                    problems.append(f"{gold_path}: quote not found in {rel}: {quote!r} #{n}")
                    continue
                labels.append(
                    Label(
                        str(lab["category"]),
                        pos,
                        pos + len(quote),
                        bool(lab.get("optional")),
                        quote,
                        lines.position(pos)[0],
                    )
                )
            files.append(GoldFile(gold_path, text_path, text, tuple(labels)))
    return files, problems


def _find_nth(text: str, quote: str, n: int) -> int | None:
    pos = -1
    for _ in range(n):
        pos = text.find(quote, pos + 1)
        if pos < 0:
            return None
    return pos


def score(
    gold: list[GoldFile],
    findings: Iterable[Mapping],
    categories: Iterable[str] = (),
) -> Report:
    """Score findings (dicts in the JSON contract) against gold labels."""
    wanted = set(categories)
    by_base: dict[str, list[Mapping]] = {}
    for f in findings:
        by_base.setdefault(os.path.basename(f["path"]), []).append(f)
    report = Report()
    cat = report.categories
    for g in gold:
        lines = LineIndex(g.text)
        spans = []
        for f in by_base.get(os.path.basename(g.text_path), []):
            s = _offset(lines, f["line"], f["column"], len(g.text))
            e = _offset(
                lines, f.get("end_line", f["line"]), f.get("end_column", f["column"]), len(g.text)
            )
            spans.append((f["category"], s, max(e, s + 1), f))
        for lab in g.labels:
            if (wanted and lab.category not in wanted) or lab.optional:
                continue
            sc = cat.setdefault(lab.category, Score())
            sc.gold += 1
            hit = [f for c, s, e, f in spans if c == lab.category and s < lab.end and lab.start < e]
            if hit:
                sc.found += 1
                for rule in {f["rule"] for f in hit}:
                    report.rules.setdefault(rule, Score()).found += 1
            else:
                report.misses.append(
                    f"MISS {lab.category:18} {g.text_path}:{lab.line}: {lab.quote[:70]!r}"
                )
        for c, s, e, f in spans:
            if wanted and c not in wanted:
                continue
            hits = [
                lab.optional
                for lab in g.labels
                if lab.category == c and s < lab.end and lab.start < e
            ]
            if hits and all(hits):
                continue
            sc = cat.setdefault(c, Score())
            rs = report.rules.setdefault(f["rule"], Score())
            sc.predicted += 1
            rs.predicted += 1
            if hits:
                sc.correct += 1
                rs.correct += 1
            else:
                where = f"{g.text_path}:{f['line']}:{f['column']}"
                quoted = str(f.get("text", ""))[:60]
                report.false_positives.append(f"FP   {c:18} {where}: {f['rule']} {quoted!r}")
    return report


def _offset(lines: LineIndex, line: int, column: int, length: int) -> int:
    line = max(1, int(line))
    if line > len(lines.starts):
        return length
    return min(lines.starts[line - 1] + max(1, int(column)) - 1, length)


def render(report: Report, show: bool = False) -> str:
    def fmt(x: float | None) -> str:
        return f"{x:.2f}" if x is not None else "-"

    def row(name: str, s: Score) -> str:
        recall, precision = fmt(s.recall), fmt(s.precision)
        return f"{name:20} {s.gold:5} {s.found:6} {recall:>7} {s.predicted:6} {precision:>6}"

    out = [f"{'category':20} {'gold':>5} {'found':>6} {'recall':>7} {'preds':>6} {'prec':>6}"]
    out.extend(row(name, report.categories[name]) for name in sorted(report.categories))
    out.append(row("overall", report.total()))
    out.append("")
    out.append(f"{'rule':48} {'labels hit':>10} {'preds':>6} {'prec':>6}")
    for name in sorted(report.rules):
        s = report.rules[name]
        out.append(f"{name:48} {s.found:10} {s.predicted:6} {fmt(s.precision):>6}")
    if show:
        out.append("")
        out.extend(report.misses)
        out.extend(report.false_positives)
    out.extend(f"PROBLEM {p}" for p in report.problems)
    return "\n".join(out) + "\n"


def below(report: Report, min_recall: float | None, min_precision: float | None) -> list[str]:
    """Categories under the given minimums (for a CI gate on a team's own labels)."""
    failed = []
    for name, s in sorted(report.categories.items()):
        if min_recall is not None and s.gold and (s.recall or 0) < min_recall:
            failed.append(f"{name} recall {s.recall or 0:.2f} < {min_recall}")
        if min_precision is not None and s.gold and (s.precision or 0) < min_precision:
            failed.append(f"{name} precision {s.precision or 0:.2f} < {min_precision}")
    return failed


def text_paths(gold: list[GoldFile]) -> list[Path]:
    return [Path(g.text_path) for g in gold]
