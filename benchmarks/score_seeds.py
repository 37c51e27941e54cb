#!/usr/bin/env python3
"""Accuracy on the labelled seed articles, through the real command line.

    python3 benchmarks/score_seeds.py [--select PACK,...] [--categories a,b] [--show-misses]

Runs `healthlint check --format json` on SHARED/corpus/seeds (every shipped pack on,
unless --select narrows it), then SHARED/gold/score.py on the output, one --gold per
label file. SHARED is the `shared` folder beside the repository. Exit status: score.py's.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("HEALTHLINT_SHARED", REPO.parent / "shared"))


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--select", default="", help="rule ids or prefixes, comma-separated")
    ap.add_argument("--categories", default="")
    ap.add_argument("--show-misses", action="store_true")
    ap.add_argument("--out", help="keep the findings JSON here")
    a = ap.parse_args()
    out = Path(a.out) if a.out else Path(tempfile.mkstemp(suffix=".json")[1])
    cmd = [sys.executable, "-m", "healthlint", "check", "--no-config", "--format", "json",
           "--fail-on", "never", "--output", str(out), str(SHARED / "corpus" / "seeds")]
    if a.select:
        cmd += ["--select", a.select]
    env = dict(os.environ, PYTHONPATH=str(REPO / "src"))
    subprocess.run(cmd, check=True, env=env)
    score = [sys.executable, str(SHARED / "gold" / "score.py"), "--root", str(SHARED),
             "--findings", str(out)]
    for gold in sorted((SHARED / "gold").glob("*.gold.yaml")):
        score += ["--gold", str(gold)]
    if a.categories:
        score += ["--categories", a.categories]
    if a.show_misses:
        score.append("--show-misses")
    return subprocess.run(score).returncode


if __name__ == "__main__":
    sys.exit(main())
