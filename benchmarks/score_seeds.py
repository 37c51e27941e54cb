#!/usr/bin/env python3
"""Accuracy on the labelled seed articles: lint them, write the JSON contract, score it.

    python3 benchmarks/score_seeds.py [--packs absolute-claims,template-leftovers]
        [--categories absolute-claim,template-leftover] [--show-misses] [--out F.json]

Reads every file under SHARED/corpus/seeds with healthlint's readers, runs the given
packs (default: every shipped pack) through the engine, writes the findings in the
DESIGN.md JSON shape and runs SHARED/gold/score.py on them. SHARED defaults to the
`shared` folder beside the repository (../shared). Exit status: score.py's.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "src"))

from healthlint import engine  # noqa: E402
from healthlint.packs import build_checks, builtin_names, load_packs, resolve  # noqa: E402
from healthlint.readers import read  # noqa: E402
from healthlint.source import read_source  # noqa: E402


def lint_folder(folder: Path, root: Path, packs: list[str]) -> dict:
    checks = build_checks(load_packs(resolve(p) for p in packs))
    findings = []
    files = sorted(p for p in folder.rglob("*") if p.is_file())
    for path in files:
        shown = path.relative_to(root).as_posix()
        src = read_source(str(path))
        doc = read(shown, src.text, None, src.notices)
        findings.extend(engine.lint(doc, checks))
    findings.sort(key=lambda f: f.sort_key())
    return {
        "version": 1,
        "findings": [f.to_dict() for f in findings],
        "summary": {"files": len(files), "findings": len(findings)},
        "errors": [],
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", type=Path, default=REPO.parent / "shared")
    ap.add_argument("--packs", default="", help="comma-separated pack names or paths")
    ap.add_argument("--categories", default="")
    ap.add_argument("--show-misses", action="store_true")
    ap.add_argument("--out", type=Path, help="keep the findings JSON here")
    args = ap.parse_args(argv)

    packs = [p for p in args.packs.split(",") if p] or builtin_names()
    result = lint_folder(args.shared / "corpus" / "seeds", args.shared, packs)
    out = args.out or Path(tempfile.mkstemp(suffix=".json", prefix="seeds-")[1])
    out.write_text(json.dumps(result, indent=1), encoding="utf-8")
    cmd = [sys.executable, str(args.shared / "gold" / "score.py"), "--root", str(args.shared),
           "--findings", str(out)]
    for gold in sorted((args.shared / "gold").glob("*.gold.yaml")):
        cmd += ["--gold", str(gold)]
    if args.categories:
        cmd += ["--categories", args.categories]
    if args.show_misses:
        cmd.append("--show-misses")
    return subprocess.call(cmd)


if __name__ == "__main__":
    sys.exit(main())
