"""Changed-lines mode (`--diff BASE`): keep only findings on lines a change added or edited.

What counts as the change: the working tree (commits, staged and unstaged edits) compared
with the merge base of BASE and HEAD, as in a pull request's own diff, so commits that
landed on BASE after the branch was cut are not mistaken for the branch's work. When git
cannot find a merge base (a shallow clone), BASE itself is used and a notice says so.

- Lines come from `git diff --unified=0 -M`; a renamed file counts only the lines its
  rename edited, a deleted file nothing, a pure deletion inside a file nothing.
- A file git does not track and does not ignore is new, so all of it counts as changed.
- A finding is kept when any line of its span [line, end_line] was added or changed; a
  document-level finding (a repeated paragraph, a readability score) covers the lines of
  what it judges, so it is kept when that text was touched.
- Paths are compared as resolved absolute paths, so healthlint works from any subfolder.
"""

from __future__ import annotations

import os
import re
import subprocess
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from healthlint.repo import relative

if TYPE_CHECKING:
    from healthlint.filters import DocInfo
    from healthlint.model import Finding


class GitDiffError(Exception):
    """--diff cannot work here; the message says why in a user's words."""


_HUNK = re.compile(r"@@ -\d+(?:,\d+)? \+(\d+)(?:,(\d+))? @@")
_ESCAPES = {"a": 7, "b": 8, "t": 9, "n": 10, "v": 11, "f": 12, "r": 13, '"': 34, "\\": 92}


@dataclass(frozen=True)
class Changes:
    root: Path
    #: repository-relative path -> inclusive 1-based line ranges, in file order
    lines: Mapping[str, tuple[tuple[int, int], ...]]
    new_files: frozenset[str] = frozenset()
    notices: tuple[str, ...] = field(default=())

    def touches(self, finding: Finding) -> bool:
        path = relative(finding.path, self.root)
        if path in self.new_files:
            return True
        ranges = self.lines.get(path)
        if not ranges:
            return False
        last = finding.end_line
        # A span ending just after a line break does not touch the next line.
        if finding.end_column == 1 and last > finding.line:
            last -= 1
        return any(a <= last and finding.line <= b for a, b in ranges)

    def filter(self, info: DocInfo, findings: list[Finding]) -> list[Finding]:
        """The changed-lines stage of the filter pipeline (healthlint.filters)."""
        return [f for f in findings if self.touches(f)]


def unquote(name: str) -> str:
    """A path as git prints it: C-quoted when it has unusual characters."""
    if not (len(name) >= 2 and name[0] == name[-1] == '"'):
        return name
    out = bytearray()
    body = name[1:-1]
    i = 0
    while i < len(body):
        ch = body[i]
        if ch == "\\" and i + 1 < len(body):
            octal = body[i + 1 : i + 4]
            if len(octal) == 3 and all(c in "01234567" for c in octal):
                out.append(int(octal, 8))  # one byte of a UTF-8 sequence
                i += 4
                continue
            nxt = body[i + 1]
            out += bytes([_ESCAPES[nxt]]) if nxt in _ESCAPES else nxt.encode("utf-8")
            i += 2
            continue
        out += ch.encode("utf-8")
        i += 1
    return out.decode("utf-8", errors="surrogateescape")


def parse_diff(text: str) -> dict[str, list[tuple[int, int]]]:
    """{new path: added line ranges} from `git diff --unified=0` output with a/ b/ prefixes."""
    changed: dict[str, list[tuple[int, int]]] = {}
    current: str | None = None
    in_header = False
    for line in text.split("\n"):
        if line.startswith("diff --git "):
            in_header, current = True, None
        elif in_header and line.startswith("+++ "):
            name = line[4:]
            if name.endswith("\t"):  # git marks names with spaces by a trailing tab
                name = name[:-1]
            name = unquote(name)
            current = name[2:] if name.startswith("b/") else None  # None: /dev/null, deleted
        elif line.startswith("@@"):
            in_header = False
            m = _HUNK.match(line)
            if m and current is not None:
                start = int(m.group(1))
                count = 1 if m.group(2) is None else int(m.group(2))
                if count:
                    changed.setdefault(current, []).append((start, start + count - 1))
    return changed


def _git(args: list[str], cwd: str | os.PathLike[str]) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "GIT_OPTIONAL_LOCKS": "0", "LC_ALL": "C"}
    try:
        return subprocess.run(
            ["git", "-c", "core.quotePath=false", *args],
            cwd=cwd,
            env=env,
            capture_output=True,
            text=True,
            encoding="utf-8",
            errors="surrogateescape",
            check=False,
        )
    except FileNotFoundError:
        raise GitDiffError("--diff needs git, and git is not installed (or not on PATH)") from None
    except OSError as exc:
        raise GitDiffError(f"--diff could not run git: {exc}") from None


def changes(base: str, cwd: str | os.PathLike[str] | None = None) -> Changes:
    """Ask git what changed since `base`. Raises GitDiffError with a clear message."""
    cwd = cwd or os.getcwd()
    top = _git(["rev-parse", "--show-toplevel"], cwd)
    if top.returncode != 0:
        raise GitDiffError(f"--diff {base}: {os.path.abspath(cwd)} is not inside a git repository")
    root = Path(top.stdout.strip()).resolve()
    if not base or base.startswith("-"):
        raise GitDiffError(f"--diff: {base!r} is not a revision")
    rev = _git(["rev-parse", "--verify", "--quiet", f"{base}^{{commit}}"], root)
    if rev.returncode != 0:
        raise GitDiffError(
            f"--diff {base}: unknown revision (in CI, fetch it first, for example "
            "`git fetch origin main` or actions/checkout with fetch-depth: 0)"
        )
    base_sha = rev.stdout.strip()
    notices: list[str] = []
    merge_base = _git(["merge-base", base_sha, "HEAD"], root)
    if merge_base.returncode == 0:
        since = merge_base.stdout.strip()
    else:
        since = base_sha
        notices.append(
            f"--diff {base}: no merge base with HEAD (shallow clone?); comparing with {base} itself"
        )
    diff = _git(
        [
            "diff", "--unified=0", "--no-color", "--no-ext-diff", "--no-textconv", "-M",
            "--src-prefix=a/", "--dst-prefix=b/", since, "--",
        ],
        root,
    )  # fmt: skip
    if diff.returncode != 0:
        raise GitDiffError(f"--diff {base}: git diff failed: {diff.stderr.strip()}")
    untracked = _git(["ls-files", "--others", "--exclude-standard", "-z"], root)
    new_files = frozenset(p for p in untracked.stdout.split("\0") if p)
    ranges = {path: tuple(r) for path, r in parse_diff(diff.stdout).items()}
    return Changes(root, ranges, new_files, tuple(notices))
