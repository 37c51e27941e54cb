#!/usr/bin/env python3
"""Lint the seed articles with chosen packs and score the findings against the gold labels.

    python3 benchmarks/score_seeds.py [--packs uncited-statistics,...] [--out F.json]
                                      [--categories a,b] [--no-score] [--time] [FILE|DIR ...]

Reads every file with healthlint.readers.read, runs the packs' enabled rules, writes the
findings in the JSON contract of DESIGN.md ({"version": 1, "findings": [...], ...}) and,
unless --no-score, runs ../shared/gold/score.py on them with --show-misses. Works without
the CLI, so a pack can be tuned while the rest of the tool is being built.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))

from healthlint import packs  # noqa: E402
from healthlint.readers import format_for, read  # noqa: E402
from healthlint.source import ReadError, read_source  # noqa: E402


def shared_dir() -> Path:
    for candidate in (REPO.parent / "shared", Path("/work/shared")):
        if (candidate / "gold" / "score.py").exists():
            return candidate
    sys.exit("score_seeds: shared/ (seeds and gold) not found beside the repository")


def files_under(paths: list[Path]) -> list[Path]:
    out: list[Path] = []
    for p in paths:
        if p.is_dir():
            out.extend(sorted(f for f in p.rglob("*") if f.is_file() and format_for(str(f))))
        else:
            out.append(p)
    return out


def main() -> int:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("paths", nargs="*", type=Path)
    ap.add_argument(
        "--packs", default="uncited-statistics", help="comma-separated built-in names or paths"
    )
    ap.add_argument("--out", type=Path, default=Path("/tmp/healthlint-seed-findings.json"))
    ap.add_argument("--categories", default="", help="categories to score (default: all)")
    ap.add_argument("--no-score", action="store_true")
    ap.add_argument("--time", action="store_true", help="print each rule's total check time (CPU seconds)")
    ap.add_argument("--as", dest="fmt", choices=("markdown", "html", "text"),
                    help="read every file in this format (default: by extension)")
    a = ap.parse_args()

    shared = shared_dir()
    paths = a.paths or [shared / "corpus" / "seeds"]
    rules = packs.load_packs(packs.resolve(n.strip()) for n in a.packs.split(",") if n.strip())
    checks = packs.build_checks(r for r in rules if r.enabled)
    findings, errors = [], []
    spent = dict.fromkeys((c.rule.id for c in checks), 0.0)
    read_time = 0.0
    files = files_under(paths)
    for path in files:
        t = time.process_time()
        try:
            src = read_source(str(path))
        except ReadError as exc:
            errors.append({"path": str(path), "message": str(exc)})
            continue
        doc = read(str(path), src.text, a.fmt, notices=src.notices)
        read_time += time.process_time() - t
        for check in checks:
            t = time.process_time()
            findings.extend(check.check(doc))
            spent[check.rule.id] += time.process_time() - t
    findings.sort(key=lambda f: f.sort_key())
    data = {
        "version": 1,
        "findings": [f.to_dict() for f in findings],
        "summary": {"files": len(files), "findings": len(findings)},
        "errors": errors,
    }
    a.out.write_text(json.dumps(data, indent=1, ensure_ascii=False), encoding="utf-8")
    print(f"{len(files)} files, {len(findings)} findings -> {a.out}")
    if a.time:
        print(f"  reading: {read_time:.2f} s")
        for rule_id, secs in spent.items():
            print(f"  {rule_id}: {secs:.2f} s")
    if a.no_score:
        return 0
    gold = sorted(str(g) for g in (shared / "gold").glob("*.gold.yaml"))
    cmd = [sys.executable, str(shared / "gold" / "score.py"), "--root", str(shared),
           "--findings", str(a.out),
           "--show-misses", *(f"--gold={g}" for g in gold)]
    if a.categories:
        cmd.append(f"--categories={a.categories}")
    return subprocess.call(cmd)


if __name__ == "__main__":
    sys.exit(main())
