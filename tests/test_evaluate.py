"""`healthlint eval` must count exactly as the reference scorer does."""

import json
import random
import subprocess
import sys

from healthlint import evaluate
from healthlint.source import LineIndex


def _synthetic_findings(gold, seed):
    """Findings on some labels, shifted or clipped, plus spans that hit nothing."""
    rng = random.Random(seed)
    findings = []
    for g in gold:
        lines = LineIndex(g.text)
        for lab in g.labels:
            if rng.random() < 0.6:
                start = lab.start + rng.randint(0, max(0, (lab.end - lab.start) // 2))
                end = min(lab.end + rng.randint(-1, 3), len(g.text))
                cat = lab.category if rng.random() < 0.85 else "hype"
                findings.append(_finding(g, lines, start, max(end, start + 1), cat))
        for _ in range(5):
            start = rng.randrange(0, len(g.text) - 10)
            findings.append(
                _finding(g, lines, start, start + 5, rng.choice(["absolute-claim", "product-plug"]))
            )
    return findings


def _finding(g, lines, start, end, category):
    line, col = lines.position(start)
    end_line, end_col = lines.position(end)
    return {
        "path": g.text_path,
        "line": line,
        "column": col,
        "end_line": end_line,
        "end_column": end_col,
        "rule": f"x.{category}",
        "category": category,
        "severity": "warning",
        "message": "m",
        "text": g.text[start:end],
        "suggestion": None,
    }


def _reference_table(shared, gold_paths, findings, tmp_path):
    path = tmp_path / "f.json"
    path.write_text(json.dumps({"version": 1, "findings": findings}), encoding="utf-8")
    args = [
        sys.executable,
        str(shared / "gold" / "score.py"),
        "--root",
        str(shared),
        "--findings",
        str(path),
    ]
    for g in gold_paths:
        args += ["--gold", str(g)]
    out = subprocess.run(args, capture_output=True, text=True, check=True).stdout
    rows = {}
    for line in out.splitlines()[1:]:
        parts = line.split()
        if len(parts) == 6 and parts[1].isdigit():
            rows[parts[0]] = (int(parts[1]), int(parts[2]), int(parts[4]))
    return rows


def test_eval_agrees_with_reference_scorer(shared, tmp_path):
    gold_paths = sorted((shared / "gold").glob("*.gold.yaml"))
    gold, problems = evaluate.load_gold(map(str, gold_paths), str(shared))
    assert not problems
    for seed in range(3):
        findings = _synthetic_findings(gold, seed)
        report = evaluate.score(gold, findings)
        ours = {c: (s.gold, s.found, s.predicted) for c, s in report.categories.items()}
        assert ours == _reference_table(shared, gold_paths, findings, tmp_path)


def test_misses_and_false_positives_are_listed(tmp_path):
    text = "Line one.\nThis cream is 100% safe and cures acne.\n"
    (tmp_path / "a.md").write_text(text, encoding="utf-8")
    (tmp_path / "a.gold.yaml").write_text(
        "file: a.md\nlabels:\n"
        "  - {category: absolute-claim, quote: '100% safe'}\n"
        "  - {category: absolute-claim, quote: 'cures acne'}\n"
        "  - {category: hype, quote: 'cream', optional: true}\n",
        encoding="utf-8",
    )
    gold, problems = evaluate.load_gold([str(tmp_path / "a.gold.yaml")], str(tmp_path))
    assert problems == []
    findings = [
        {
            "path": "a.md",
            "line": 2,
            "column": 15,
            "end_line": 2,
            "end_column": 24,
            "rule": "r.safe",
            "category": "absolute-claim",
            "text": "100% safe",
        },
        {
            "path": "a.md",
            "line": 1,
            "column": 1,
            "end_line": 1,
            "end_column": 5,
            "rule": "r.safe",
            "category": "absolute-claim",
            "text": "Line",
        },
        {
            "path": "a.md",
            "line": 2,
            "column": 6,
            "end_line": 2,
            "end_column": 11,
            "rule": "r.hype",
            "category": "hype",
            "text": "cream",
        },
    ]
    report = evaluate.score(gold, findings)
    s = report.categories["absolute-claim"]
    assert (s.gold, s.found, s.predicted, s.correct) == (2, 1, 2, 1)
    assert "hype" not in report.categories  # a finding on an optional label counts neither way
    assert any("cures acne" in m for m in report.misses)
    assert any("'Line'" in m for m in report.false_positives)
    assert evaluate.below(report, 0.9, None) == ["absolute-claim recall 0.50 < 0.9"]
    table = evaluate.render(report, show=True)
    assert "absolute-claim" in table and "r.safe" in table


def test_missing_quote_is_a_problem_not_a_crash(tmp_path):
    (tmp_path / "a.md").write_text("Plain text.\n", encoding="utf-8")
    (tmp_path / "g.yaml").write_text(
        "file: a.md\nlabels:\n  - {category: hype, quote: 'nowhere'}\n"
    )
    gold, problems = evaluate.load_gold([str(tmp_path / "g.yaml")], str(tmp_path))
    assert gold[0].labels == () and "quote not found" in problems[0]
