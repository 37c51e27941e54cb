#!/usr/bin/env python3
"""Lint files with some packs and write the DESIGN JSON contract, cross-file pass included.

    python3 benchmarks/score_seeds.py --packs repetition,product-plugs \
        --out /tmp/F.json ../shared/corpus/seeds/*.txt
    python3 ../shared/gold/score.py --root ../shared --findings /tmp/F.json \
        --gold ../shared/gold/*.gold.yaml --categories repetition,product-plug --show-misses

A stand-in for `healthlint check --format json` while the CLI lives on another branch.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from healthlint import engine, readers
from healthlint.packs import build_checks, load_packs, resolve
from healthlint.source import read_source


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("files", nargs="+")
    ap.add_argument("--packs", default="repetition,product-plugs")
    ap.add_argument("--out", default="-")
    a = ap.parse_args(argv)
    checks = build_checks(load_packs([resolve(p) for p in a.packs.split(",") if p]))
    findings = []
    digests: dict[int, dict[str, object]] = {}
    for path in a.files:
        src = read_source(path)
        doc = readers.read(path, src.text, notices=src.notices)
        findings.extend(engine.lint(doc, checks))
        for i, check in enumerate(checks):
            if hasattr(check, "digest"):
                digests.setdefault(i, {})[path] = check.digest(doc)
    for i, by_path in digests.items():
        findings.extend(checks[i].across(by_path))
    findings.sort(key=lambda f: f.sort_key())
    out = {
        "version": 1,
        "findings": [f.to_dict() for f in findings],
        "summary": {"files": len(a.files), "findings": len(findings)},
        "errors": [],
    }
    text = json.dumps(out, ensure_ascii=False, indent=1)
    if a.out == "-":
        sys.stdout.write(text + "\n")
    else:
        Path(a.out).write_text(text + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
