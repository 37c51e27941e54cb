"""Shared test helpers: a small rule pack written by the tests, and CLI runners."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]

DEMO_PACK = """\
pack: demo
description: Rules the tests use before the real packs exist.
rules:
  - id: total-safety
    kind: pattern
    category: absolute-claim
    severity: warning
    message: "Absolute safety claim: {match}"
    rationale: No treatment is free of risk.
    source: test pack
    suggestion: Say what the known risks are.
    phrases: ["100% safe", "completely safe"]
    examples:
      flag: ["This cream is 100% safe."]
      pass: ["This cream is well tolerated by most adults."]
  - id: miracle
    kind: pattern
    category: hype
    severity: error
    message: "Hype: {match}"
    rationale: Miracles are not a treatment category.
    source: test pack
    phrases: ["miracle cure"]
    examples:
      flag: ["A miracle cure for knee pain."]
      pass: ["A treatment for knee pain."]
  - id: book-now
    kind: pattern
    category: product-plug
    severity: info
    message: "Call to action: {match}"
    rationale: Sales copy inside health advice.
    source: test pack
    patterns: ["book (?:your|a) (?:consultation|appointment) (?:today|now)"]
    examples:
      flag: ["Book your consultation today!"]
      pass: ["Ask your doctor about a consultation."]
  - id: game-changer
    kind: pattern
    category: hype
    severity: warning
    enabled: false
    message: "Hype: {match}"
    rationale: Opt-in rule for the selection tests.
    source: test pack
    phrases: ["game changer"]
    examples:
      flag: ["This device is a game changer."]
      pass: ["This device helps some people."]
"""

#: one line each for the rules of DEMO_PACK (enabled ones first)
SAFE = "This balm is 100% safe for everyone."
MIRACLE = "It is a miracle cure for stiff joints."
BOOK = "Book your consultation today."
GAME = "Our new brace is a game changer."


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def demo_pack(folder: Path, name: str = "demo.yaml", text: str = DEMO_PACK) -> Path:
    return write(folder / name, text)


def run_cli(args: list[str], capsys) -> tuple[int, str, str]:
    """Run healthlint in-process; returns (exit status, stdout, stderr)."""
    from healthlint.cli import main

    code = main([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


def run_module(args: list[str], cwd: Path, env: dict | None = None) -> subprocess.CompletedProcess:
    """Run `python -m healthlint` in a subprocess with this worktree's src/ on the path."""
    full_env = {**os.environ, "PYTHONPATH": str(REPO / "src"), **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "healthlint", *map(str, args)],
        cwd=cwd,
        env=full_env,
        capture_output=True,
        text=True,
        timeout=120,
    )
