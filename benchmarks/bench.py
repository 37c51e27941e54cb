#!/usr/bin/env python3
"""Speed benchmarks for healthlint. Numbers, not assertions: run it and read them.

python3 benchmarks/bench.py one-file [--runs 30] [--no-cache] [FILE]
    median wall time of `healthlint check FILE` in a fresh process (the pre-commit
    case; the first runs fill the start-up cache), plus the slowest imports from
    `python -X importtime` (modules imported with importlib, such as the kinds, are
    not listed there).
python3 benchmarks/bench.py corpus [--files 2000] [--dir DIR]
    wall time and peak memory of `healthlint check` over the deterministic corpus
    built by ../shared/bench/make_corpus.py (every shipped pack on).
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
DEFAULT_ARTICLE = REPO / "benchmarks" / "article-1000-words.md"


def healthlint_cmd() -> list[str]:
    return [sys.executable, "-m", "healthlint"]


def env() -> dict:
    e = dict(os.environ)
    e["PYTHONPATH"] = str(REPO / "src") + os.pathsep + e.get("PYTHONPATH", "")
    # an installed package has its bytecode: measure with .pyc files written and read
    e.pop("PYTHONDONTWRITEBYTECODE", None)
    return e


def one_file(args) -> None:
    path = Path(args.file or DEFAULT_ARTICLE)
    words = len(path.read_text(encoding="utf-8").split())
    cmd = healthlint_cmd() + ["check", "--no-config", "--color", "never", str(path)]
    if args.no_cache:
        cmd.append("--no-cache")
    times = []
    for _ in range(args.runs + 2):
        t = time.perf_counter()
        subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env())
        times.append(time.perf_counter() - t)
    times = times[2:]  # the first runs warm the OS file cache and .pyc files
    baseline = []
    for _ in range(10):
        t = time.perf_counter()
        subprocess.run([sys.executable, "-c", "pass"], env=env())
        baseline.append(time.perf_counter() - t)
    cache = "no cache" if args.no_cache else (
        f"cache {os.environ.get('HEALTHLINT_CACHE_DIR') or 'default'}"
    )
    print(
        f"one file ({path.name}, {words} words), {args.runs} runs, {cache}, "
        f"load average {os.getloadavg()[0]:.2f} on {os.cpu_count()} CPUs"
    )
    median, bare = statistics.median(times) * 1000, statistics.median(baseline) * 1000
    print(
        f"  median {median:.1f} ms   min {min(times) * 1000:.1f} ms   "
        f"max {max(times) * 1000:.1f} ms   (bare python start-up: {bare:.1f} ms)"
    )
    proc = subprocess.run(
        [sys.executable, "-X", "importtime"] + cmd[1:], capture_output=True, text=True, env=env()
    )
    rows = []
    for line in proc.stderr.splitlines():
        m = re.match(r"import time:\s+(\d+) \|\s+(\d+) \|(\s*)(\S+)", line)
        if m:
            rows.append((int(m.group(2)), len(m.group(3)), m.group(4)))
    top = sorted((r for r in rows if r[1] <= 3), reverse=True)[:12]
    print("  slowest imports (cumulative µs, top-level packages):")
    for cum, _, name in top:
        print(f"    {cum:8d}  {name}")
    loaded = {name for _, _, name in rows}
    for heavy in ("textstat", "jsonschema", "markdown_it", "difflib", "multiprocessing"):
        print(f"  {heavy:16} {'imported' if heavy in loaded else 'not imported'}")


def corpus(args) -> None:
    target = (
        Path(args.dir)
        if args.dir
        else Path(tempfile.gettempdir()) / f"healthlint-bench-{args.files}"
    )
    if not target.exists():
        subprocess.run(
            [
                sys.executable,
                str(SHARED / "bench" / "make_corpus.py"),
                "--out",
                str(target),
                "--files",
                str(args.files),
                "--seed",
                "1",
            ],
            check=True,
        )
    size = sum(p.stat().st_size for p in target.rglob("*") if p.is_file())
    cmd = healthlint_cmd() + [
        "check",
        "--no-config",
        "--format",
        "json",
        "--fail-on",
        "never",
        str(target),
    ]
    if args.jobs:
        cmd += ["--jobs", str(args.jobs)]
    results = []
    for _ in range(args.runs):
        t = time.perf_counter()
        proc = subprocess.run(cmd, capture_output=True, env=env())
        results.append(time.perf_counter() - t)
        if proc.returncode not in (0, 1):
            sys.exit(f"healthlint failed ({proc.returncode}): {proc.stderr.decode()[-2000:]}")
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    out = proc.stdout.decode()
    m = re.search(r'"findings":\s*(\d+)\s*}', out[-300:])
    print(f"corpus {target} ({size / 1e6:.1f} MB, {args.files} files), {args.runs} run(s)")
    print(f"  wall time: median {statistics.median(results):.2f} s  min {min(results):.2f} s")
    print(f"  peak memory (largest process): {peak:.0f} MB")
    if m:
        print(f"  findings: {m.group(1)}")


def main() -> None:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    sub = ap.add_subparsers(dest="cmd", required=True)
    a = sub.add_parser("one-file")
    a.add_argument("file", nargs="?")
    a.add_argument("--runs", type=int, default=30)
    a.add_argument("--no-cache", action="store_true", help="measure without the start-up cache")
    b = sub.add_parser("corpus")
    b.add_argument("--files", type=int, default=2000)
    b.add_argument("--dir")
    b.add_argument("--runs", type=int, default=1)
    b.add_argument("--jobs", type=int)
    args = ap.parse_args()
    {"one-file": one_file, "corpus": corpus}[args.cmd](args)


if __name__ == "__main__":
    main()
