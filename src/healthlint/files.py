"""Which files to lint, and reading one of them into a Document.

Paths named on the command line are taken as given: a file is linted whatever its
extension (unless excluded), a folder is walked for the `include` globs. Walking skips
hidden folders and vendor folders, never the folder the user named. Globs are matched
against paths relative to a base folder (the config file's folder, else the working
directory); a glob without "/" matches a file or folder name at any depth, like
.gitignore.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Sequence
from functools import lru_cache
from typing import NamedTuple

from healthlint.model import Document

DEFAULT_INCLUDE = ("*.md", "*.markdown", "*.html", "*.htm", "*.txt")

#: folders never walked into (they may still be named on the command line)
VENDOR_DIRS = frozenset(
    {
        "node_modules",
        "vendor",
        "venv",
        ".venv",
        "site-packages",
        "__pycache__",
        "_build",
        "dist",
        "build",
    }
)


class PathError(Exception):
    """A path on the command line that does not exist."""


class FileProblem(NamedTuple):
    """A file-level problem: not linted at all (fatal) or linted with a remark (notice)."""

    path: str
    message: str
    fatal: bool = False

    def to_dict(self) -> dict:
        return {"path": self.path, "message": self.message}


@lru_cache(maxsize=512)
def _glob_regex(pattern: str) -> re.Pattern[str]:
    """A glob as a regex over "/"-separated paths: `*` and `?` stay in one folder, `**` does not."""
    out = []
    i = 0
    n = len(pattern)
    while i < n:
        c = pattern[i]
        if pattern.startswith("**/", i):
            out.append("(?:.*/)?")
            i += 3
            continue
        if pattern.startswith("**", i):
            out.append(".*")
            i += 2
            continue
        if c == "*":
            out.append("[^/]*")
        elif c == "?":
            out.append("[^/]")
        elif c == "[":
            j = pattern.find("]", i + 2)
            if j < 0:
                out.append(re.escape(c))
            else:
                body = pattern[i + 1 : j]
                if body.startswith("!"):
                    body = "^" + body[1:]
                out.append("[" + body.replace("\\", "\\\\") + "]")
                i = j
        else:
            out.append(re.escape(c))
        i += 1
    return re.compile("".join(out) + r"\Z")


@lru_cache(maxsize=512)
def _norm_glob(pattern: str) -> tuple[str, bool]:
    """The glob without "./", leading or trailing "/", and whether it is anchored to the base."""
    pattern = pattern.replace("\\", "/")
    while pattern.startswith("./"):
        pattern = pattern[2:]
    pattern = pattern.rstrip("/")
    anchored = "/" in pattern
    return pattern.lstrip("/") or "**", anchored


def glob_match(pattern: str, relpath: str) -> bool:
    """Does `relpath` ("/"-separated, relative to the base) match `pattern`?

    Like .gitignore: a glob with a "/" is matched from the base folder, one without
    matches a file or folder name at any depth.
    """
    pattern, anchored = _norm_glob(pattern)
    if not anchored:
        return bool(_glob_regex(pattern).match(relpath.rpartition("/")[2]))
    return bool(_glob_regex(pattern).match(relpath))


def any_match(patterns: Iterable[str], relpath: str) -> bool:
    return any(glob_match(p, relpath) for p in patterns)


def relative_to(path: str, base: str) -> str:
    """`path` relative to `base`, "/"-separated (may start with "../")."""
    rel = os.path.relpath(os.path.abspath(path), base)
    return rel.replace(os.sep, "/")


class Selector(NamedTuple):
    """Include/exclude globs and the folder they are relative to."""

    base: str
    include: tuple[str, ...] = DEFAULT_INCLUDE
    exclude: tuple[str, ...] = ()

    def excluded(self, path: str) -> bool:
        """True when the path or one of its folders (below the base) matches an exclude glob."""
        if not self.exclude:
            return False
        rel = relative_to(path, self.base)
        parts = rel.split("/")
        for k in range(1, len(parts) + 1):
            if parts[k - 1] in (".", ".."):
                continue
            if any_match(self.exclude, "/".join(parts[:k])):
                return True
        return False

    def included(self, path: str) -> bool:
        return any_match(self.include, relative_to(path, self.base))


def discover(paths: Sequence[str], selector: Selector) -> list[str]:
    """The files to lint, each once, in a stable order. Raises PathError for a missing path."""
    missing = [p for p in paths if not os.path.exists(p)]
    if missing:
        raise PathError("; ".join(f"{p}: no such file or directory" for p in missing))
    found: dict[str, None] = {}
    for given in paths:
        path = os.path.normpath(given)
        if os.path.isdir(path):
            for f in _walk(path, selector):
                found.setdefault(f, None)
        elif not selector.excluded(path):
            found.setdefault(path, None)
    return list(found)


def _walk(root: str, selector: Selector) -> Iterable[str]:
    if selector.excluded(root):
        return
    for folder, dirs, files in os.walk(root):
        keep = []
        for d in sorted(dirs):
            if d.startswith(".") or d in VENDOR_DIRS:
                continue
            if selector.excluded(os.path.join(folder, d)):
                continue
            keep.append(d)
        dirs[:] = keep
        for name in sorted(files):
            path = os.path.normpath(os.path.join(folder, name))
            if selector.included(path) and not selector.excluded(path):
                yield path


def read_document(path: str) -> Document | FileProblem:
    """Read and parse one file; a file that cannot be read comes back as a FileProblem."""
    from healthlint import readers
    from healthlint.source import BinaryFileError, ReadError, read_source

    try:
        src = read_source(path)
    except BinaryFileError as exc:
        return FileProblem(path, f"skipped: {exc}")
    except ReadError as exc:
        return FileProblem(path, str(exc), fatal=True)
    return readers.read(path, src.text, notices=src.notices)
