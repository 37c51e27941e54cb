#!/usr/bin/env python3
"""Per-rule CPU time (and, without --no-score, seed accuracy) running the engine directly.

For accuracy through the real command line use score_seeds.py; this script exists to
time each rule separately:

    python3 benchmarks/rule_times.py --time --no-score /tmp/healthlint-bench-2000

    python3 benchmarks/rule_times.py [--packs absolute-claims,template-leftovers]
        [--categories absolute-claim,template-leftover] [--show-misses] [--out F.json]
        [--time] [--as FORMAT] [--no-score] [FILE|DIR ...]

Reads every file under SHARED/corpus/seeds (or the given files and folders) with
healthlint's readers, runs the given packs (default: every shipped pack) through the
engine, writes the findings in the DESIGN.md JSON shape and runs SHARED/gold/score.py on
them. SHARED defaults to the `shared` folder beside the repository (../shared).
--time prints each rule's CPU time over the files (with --no-score, a quick per-rule
benchmark of a corpus such as the one shared/bench/make_corpus.py builds).
Exit status: score.py's.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "src"))

from healthlint.packs import build_checks, builtin_names, load_packs, resolve  # noqa: E402
from healthlint.readers import format_for, read  # noqa: E402
from healthlint.source import ReadError, read_source  # noqa: E402


def files_under(paths: list[Path]) -> list[Path]:
    out: list[Path] = []
    for p in paths:
        if p.is_dir():
            out.extend(sorted(f for f in p.rglob("*") if f.is_file() and format_for(str(f))))
        else:
            out.append(p)
    return out


def lint_files(files: list[Path], root: Path, packs: list[str], fmt: str | None, timing: dict):
    checks = [c for c in build_checks(load_packs(resolve(p) for p in packs)) if c.rule.enabled]
    findings, errors = [], []
    for check in checks:
        timing.setdefault(check.rule.id, 0.0)
    timing.setdefault("(reading)", 0.0)
    for path in files:
        try:
            shown = path.resolve().relative_to(root.resolve()).as_posix()
        except ValueError:
            shown = str(path)
        t = time.process_time()
        try:
            src = read_source(str(path))
        except ReadError as exc:
            errors.append({"path": shown, "message": str(exc)})
            continue
        doc = read(shown, src.text, fmt, src.notices)
        timing["(reading)"] += time.process_time() - t
        for check in checks:
            t = time.process_time()
            findings.extend(check.check(doc))
            timing[check.rule.id] += time.process_time() - t
    findings.sort(key=lambda f: f.sort_key())
    return {
        "version": 1,
        "findings": [f.to_dict() for f in findings],
        "summary": {"files": len(files), "findings": len(findings)},
        "errors": errors,
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("paths", nargs="*", type=Path, help="files or folders (default: the seeds)")
    ap.add_argument("--shared", type=Path, default=REPO.parent / "shared")
    ap.add_argument("--packs", default="", help="comma-separated pack names or paths")
    ap.add_argument("--categories", default="")
    ap.add_argument("--show-misses", action="store_true")
    ap.add_argument("--out", type=Path, help="keep the findings JSON here")
    ap.add_argument("--time", action="store_true", help="print each rule's CPU time")
    ap.add_argument("--as", dest="fmt", choices=("markdown", "html", "text"),
                    help="read every file in this format (default: by extension)")
    ap.add_argument("--no-score", action="store_true", help="only lint (and time)")
    args = ap.parse_args(argv)

    packs = [p for p in args.packs.split(",") if p] or builtin_names()
    files = files_under(args.paths or [args.shared / "corpus" / "seeds"])
    timing: dict[str, float] = {}
    result = lint_files(files, args.shared, packs, args.fmt, timing)
    out = args.out or Path(tempfile.mkstemp(suffix=".json", prefix="seeds-")[1])
    out.write_text(json.dumps(result, indent=1, ensure_ascii=False), encoding="utf-8")
    if args.time:
        print(f"{len(files)} files, {result['summary']['findings']} findings (CPU seconds):")
        for name, secs in timing.items():
            print(f"  {secs:7.2f}  {name}")
    if args.no_score:
        return 0
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
