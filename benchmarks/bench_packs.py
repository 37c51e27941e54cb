#!/usr/bin/env python3
"""CPU time of some rule packs over a corpus on one core: reading, checks, cross-file pass.

    python3 benchmarks/bench_packs.py --packs repetition,product-plugs /tmp/bench2000

Build the corpus with ../shared/bench/make_corpus.py --out /tmp/bench2000 --files 2000 --seed 1.
"""

from __future__ import annotations

import argparse
import collections
import sys
import time
from pathlib import Path

from healthlint import readers
from healthlint.packs import build_checks, load_packs, resolve
from healthlint.source import read_source


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("root")
    ap.add_argument("--packs", default="repetition,product-plugs")
    ap.add_argument("--format", default=None, help="reader to force (text, markdown, html)")
    ap.add_argument("--shared-prose", action="store_true",
                    help="build each document's joined prose before timing (other packs "
                         "need it anyway), so only the packs' own work is timed")
    a = ap.parse_args(argv)
    paths = sorted(str(p) for p in Path(a.root).rglob("*") if p.suffix in (".md", ".txt", ".html"))
    checks = build_checks(load_packs([resolve(p) for p in a.packs.split(",") if p]))

    t0 = time.process_time()
    docs = []
    for path in paths:
        src = read_source(path)
        docs.append(readers.read(path, src.text, a.format, src.notices))
    if a.shared_prose:
        for doc in docs:
            doc.prose  # noqa: B018 - cached property, built once per document
    t1 = time.process_time()
    per_rule: collections.Counter = collections.Counter()
    counts: collections.Counter = collections.Counter()
    digests: dict[int, dict[str, object]] = {}
    for doc in docs:
        for i, check in enumerate(checks):
            s = time.process_time()
            for f in check.check(doc):
                counts[f.rule] += 1
            if hasattr(check, "digest"):
                d = check.digest(doc)
                if d is not None:
                    digests.setdefault(i, {})[doc.path] = d
            per_rule[check.rule.id] += time.process_time() - s
    t2 = time.process_time()
    for i, by_path in digests.items():
        s = time.process_time()
        for f in checks[i].across(by_path):
            counts[f.rule] += 1
        per_rule[checks[i].rule.id + " (across)"] += time.process_time() - s
    t3 = time.process_time()
    size = sum(len(d.source) for d in docs)
    print(f"{len(docs)} files, {size / 1e6:.1f} M chars")
    print(f"read {t1 - t0:.2f} s   check {t2 - t1:.2f} s   across {t3 - t2:.2f} s   "
          f"rules total {t3 - t1:.2f} s")
    for rule, secs in per_rule.most_common():
        n = counts[rule] if "(" not in rule else ""
        print(f"  {secs:6.3f} s  {n:>7}  {rule}")
    print("findings:", dict(counts))
    return 0


if __name__ == "__main__":
    sys.exit(main())
