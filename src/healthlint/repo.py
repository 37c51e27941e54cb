"""The repository root and repository-relative paths, as CI systems want them.

CI reports (SARIF, GitLab Code Quality, GitHub annotations, reviewdog) and baseline
fingerprints name files relative to the repository root, so the same file has the same
name whether healthlint runs from the root or from a subfolder. The root is the nearest
folder at or above the current directory holding `.git` (a folder, or a file in a git
worktree or submodule); outside a repository it is the current directory.
"""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path


def find_root(start: str | os.PathLike[str] | None = None) -> Path:
    here = Path(start or os.getcwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / ".git").exists():
            return folder
    return here


def relative(path: str, root: Path) -> str:
    """`path` relative to `root` with forward slashes; an absolute path if it lies outside."""
    return _relative(os.path.abspath(path), root)


@lru_cache(maxsize=8192)  # called once per finding, and a file has many
def _relative(path: str, root: Path) -> str:
    absolute = os.path.realpath(path)
    rel = os.path.relpath(absolute, root) if _same_drive(absolute, root) else absolute
    if rel == os.pardir or rel.startswith(os.pardir + os.sep) or os.path.isabs(rel):
        return Path(absolute).as_posix()
    return Path(rel).as_posix()


def _same_drive(path: str, root: Path) -> bool:
    return os.path.splitdrive(path)[0].lower() == os.path.splitdrive(str(root))[0].lower()
