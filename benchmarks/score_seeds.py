#!/usr/bin/env python3
"""Lint the seed articles with the shipped packs and write DESIGN.md's JSON findings.

    python3 benchmarks/score_seeds.py --out F.json [--packs regulatory,hype] [SEED_DIR]
    python3 ../shared/gold/score.py --root ../shared --findings F.json \\
        --gold ../shared/gold/*.gold.yaml --categories regulatory,hype --show-misses

Enabled rules only, as a default `healthlint check` would run them.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "src"))

from healthlint import engine, packs  # noqa: E402
from healthlint.readers import read  # noqa: E402
from healthlint.source import read_source  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("seeds", nargs="?", default=str(HERE.parent.parent / "shared/corpus/seeds"))
    ap.add_argument("--packs", default="", help="comma-separated built-in packs (default: all)")
    ap.add_argument("--out", default="-")
    a = ap.parse_args(argv)
    names = [n for n in a.packs.split(",") if n] or packs.builtin_names()
    rules = [r for r in packs.load_packs(packs.resolve(n) for n in names) if r.enabled]
    checks = packs.build_checks(rules)
    findings = []
    files = sorted(p for p in Path(a.seeds).iterdir() if p.is_file())
    for path in files:
        src = read_source(str(path))
        doc = read(str(path), src.text, notices=src.notices)
        findings.extend(f.to_dict() for f in engine.lint(doc, checks))
    out = {"version": 1, "findings": findings,
           "summary": {"files": len(files), "findings": len(findings)}, "errors": []}
    text = json.dumps(out, indent=1, ensure_ascii=False)
    if a.out == "-":
        print(text)
    else:
        Path(a.out).write_text(text + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
