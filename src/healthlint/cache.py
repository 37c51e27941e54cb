"""A per-user cache of start-up work: loaded rule packs and compiled regular expressions.

A one-file run (the pre-commit case) spends most of its time before it reads the file:
parsing the packs' YAML, validating every rule, analysing and compiling a few hundred
regular expressions. None of that changes between runs, so the command line keeps it in
the user's cache folder ($HEALTHLINT_CACHE_DIR, else $XDG_CACHE_HOME/healthlint, else
~/.cache/healthlint; never in the content repository) in two `marshal` files (plain
data only: reading them runs no code and needs no other module):

* `compiled-N.bin`: compiled regular expressions, keyed by pattern and flags, in one
  section per engine and engine version. An entry of the `regex` module
  is what it pickles a compiled pattern as (its compiled program, rebuilt without
  parsing by the function its pickle names); an entry of the stdlib `re` module is
  what its compiler hands to `_sre.compile` (the program, flags and groups), so
  loading skips re's pure-Python parser and code generator. Nothing here depends on
  healthlint's own code.
* `rules-N-STAMP.bin`: each pack file's validated rules, keyed by the file's path, size,
  mtime and CRC-32, and the results of pure pattern analyses (`persisted`), both valid
  only for the healthlint source they were made with (version, Python version and the
  size and mtime of every module: an edited checkout never reads stale results).

Library calls use no cache: `enable(folder)` turns it on (the command line does, unless
`--no-cache`), and `save()` writes what is new. A missing, unreadable, corrupt or
foreign cache file is ignored, and a cache folder that cannot be written costs nothing
but the time saved: the cache never changes what a run reports.
"""

from __future__ import annotations

import copyreg
import marshal
import os
import re
import sys
import zlib
from collections.abc import Callable, Hashable
from pathlib import Path
from typing import Any, TypeVar

from healthlint import __version__

ENV_DIR = "HEALTHLINT_CACHE_DIR"
#: bump when the layout of a cache file changes
FORMAT = 2
COMPILED_FILE = f"compiled-{FORMAT}.bin"
RULES_PREFIX = f"rules-{FORMAT}-"
#: rules files (one per healthlint source: version, checkout) kept in the folder
KEEP_RULES_FILES = 8
#: entries per section kept across runs; beyond that only those added by the last run stay
MAX_ENTRIES = 20000

_F = TypeVar("_F", bound=Callable[..., Any])
_MISSING = object()


def default_dir() -> Path | None:
    """The cache folder: $HEALTHLINT_CACHE_DIR (empty: no cache), else
    $XDG_CACHE_HOME/healthlint, else ~/.cache/healthlint; None if there is no home."""
    env = os.environ.get(ENV_DIR)
    if env is not None:
        return Path(env) if env.strip() else None
    xdg = os.environ.get("XDG_CACHE_HOME", "")
    if xdg and os.path.isabs(xdg):
        return Path(xdg) / "healthlint"
    try:
        return Path.home() / ".cache" / "healthlint"
    except (RuntimeError, KeyError, OSError):
        return None


class _Section:
    """One dictionary of entries, and what this run added to it."""

    __slots__ = ("entries", "added", "dirty")

    def __init__(self, entries: object = None) -> None:
        self.entries: dict = entries if isinstance(entries, dict) else {}
        self.added: set = set()
        self.dirty = False

    def put(self, key: Hashable, value: Any) -> None:
        if _storable((key, value)):
            self.entries[key] = value
            self.added.add(key)
            self.dirty = True

    def drop(self, key: Hashable) -> None:
        if self.entries.pop(key, None) is not None:
            self.dirty = True

    def kept(self) -> dict:
        if len(self.entries) <= MAX_ENTRIES:
            return self.entries
        return {k: v for k, v in self.entries.items() if k in self.added}


def _storable(value: object) -> bool:
    try:
        marshal.dumps(value)
    except ValueError:
        return False
    return True


def _unmarshal(raw: bytes | None) -> object:
    try:
        return marshal.loads(raw) if raw else None
    except (EOFError, ValueError, TypeError):
        return None


class Store:
    """The cache files of one folder, read when first needed."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        #: (engine, engine version) -> its compiled patterns; sections of other versions
        #: (another Python sharing the folder) are kept as they are
        self._compiled: dict[tuple[str, str], _Section] | None = None
        self._rules: dict[str, _Section] | None = None
        self._stamp: tuple | None = None

    # -- files ---------------------------------------------------------------------------

    def _read(self, name: str) -> bytes | None:
        path = self.folder / name
        try:
            with open(path, "rb") as f:
                if not _private(os.fstat(f.fileno())):
                    return None
                return f.read()
        except OSError:
            return None

    def _write(self, name: str, data: bytes) -> None:
        try:
            self.folder.mkdir(mode=0o700, parents=True, exist_ok=True)
            tmp = self.folder / f".{name}.{os.getpid()}.tmp"
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            try:
                with os.fdopen(fd, "wb") as f:
                    f.write(data)
                os.replace(tmp, self.folder / name)
            except BaseException:
                try:
                    os.unlink(tmp)
                except OSError:
                    pass
                raise
            _prune(self.folder, keep=name)
        except OSError:
            pass  # an unwritable cache only costs the time it would have saved

    # -- compiled expressions -----------------------------------------------------------

    def compiled(self, engine: str, tag: str) -> _Section:
        if self._compiled is None:
            self._compiled = {}
            data = _unmarshal(self._read(COMPILED_FILE))
            if isinstance(data, dict):
                for key, entries in data.items():
                    if isinstance(key, tuple) and len(key) == 2:
                        self._compiled[key] = _Section(entries)
        section = self._compiled.get((engine, tag))
        if section is None:
            section = self._compiled[engine, tag] = _Section()
        return section

    # -- rules and analyses --------------------------------------------------------------

    def rules(self, part: str) -> _Section:
        """The section `part` ("packs" or "memo") of the rules file of this source."""
        if self._rules is None:
            self._rules = {"packs": _Section(), "memo": _Section()}
            self._stamp = source_stamp()
            data = _unmarshal(self._read(self._rules_file()))
            if isinstance(data, dict) and data.get("stamp") == self._stamp:
                for name in self._rules:
                    self._rules[name] = _Section(data.get(name))
        return self._rules[part]

    def _rules_file(self) -> str:
        # one file per source stamp: two installations (a pre-commit environment and a
        # development checkout) sharing the folder do not overwrite each other's
        return f"{RULES_PREFIX}{zlib.crc32(repr(self._stamp).encode()):08x}.bin"

    # -- saving --------------------------------------------------------------------------

    def save(self) -> None:
        if self._compiled is not None and any(s.dirty for s in self._compiled.values()):
            sections = self._compiled
            if sum(len(s.entries) for s in sections.values()) > MAX_ENTRIES:
                sections = {k: s for k, s in sections.items() if s.added}
            data = {key: section.kept() for key, section in sections.items()}
            self._write(COMPILED_FILE, marshal.dumps(data))
            for section in self._compiled.values():
                section.dirty = False
        if self._rules is not None and any(s.dirty for s in self._rules.values()):
            data = {"stamp": self._stamp}
            data.update({name: section.kept() for name, section in self._rules.items()})
            self._write(self._rules_file(), marshal.dumps(data))
            for section in self._rules.values():
                section.dirty = False


def _prune(folder: Path, keep: str) -> None:
    """Remove cache files of other layouts (other healthlint versions), and rules files
    beyond the KEEP_RULES_FILES most recently written (old checkouts)."""
    rules = []
    for entry in os.scandir(folder):
        name = entry.name
        if not name.endswith(".bin") or name == keep:
            continue
        if name.startswith(RULES_PREFIX):
            rules.append((entry.stat().st_mtime_ns, entry.path))
        elif name.startswith(("compiled-", "rules-")) and name != COMPILED_FILE:
            _unlink(entry.path)
    rules.sort(reverse=True)
    for _, path in rules[KEEP_RULES_FILES - 1 :]:
        _unlink(path)


def _unlink(path: str) -> None:
    try:
        os.unlink(path)
    except OSError:
        pass


def _private(st: os.stat_result) -> bool:
    """A cache file another user could have written is not read."""
    getuid = getattr(os, "getuid", None)
    if getuid is not None and st.st_uid != getuid():
        return False
    return not st.st_mode & 0o022


_STAMP: tuple | None = None


def source_stamp() -> tuple:
    """What the cached rules and analyses were made by: healthlint's version, the Python
    version, and the size and mtime of every module of the package."""
    global _STAMP
    if _STAMP is None:
        root = os.path.dirname(os.path.abspath(__file__))
        files: list[tuple[str, int, int]] = []
        stack = [root]
        while stack:
            folder = stack.pop()
            try:
                entries = list(os.scandir(folder))
            except OSError:
                continue
            for entry in entries:
                if entry.is_dir() and not entry.name.startswith((".", "__pycache__")):
                    stack.append(entry.path)
                elif entry.name.endswith(".py"):
                    st = entry.stat()
                    files.append((entry.path, st.st_size, st.st_mtime_ns))
        _STAMP = (__version__, sys.version, tuple(sorted(files)))
    return _STAMP


# -- the active store ----------------------------------------------------------------------

_STORE: Store | None = None


def enable(folder: Path | None) -> Store | None:
    """Use the cache in `folder` from now on (None: no cache); returns the store used
    until now, for `use` to put back."""
    return use(Store(folder) if folder is not None else None)


def use(store: Store | None) -> Store | None:
    global _STORE
    previous, _STORE = _STORE, store
    return previous


def active() -> Store | None:
    return _STORE


def save() -> None:
    """Write what this run added to the cache (never raises for a cache problem)."""
    if _STORE is not None:
        _STORE.save()


# -- stdlib `re` ---------------------------------------------------------------------------

try:  # the stdlib compiler's internals (CPython 3.11+): without them, no cache for `re`
    import _sre
    from re import _compiler as _re_compiler  # type: ignore[attr-defined]
    from re import _parser as _re_parser  # type: ignore[attr-defined]

    _RE_TAG: str | None = f"{sys.version}|{_sre.MAGIC}|{_sre.CODESIZE}"
    if not (hasattr(_re_compiler, "_code") and hasattr(_sre, "compile") and _sre.CODESIZE == 4):
        _RE_TAG = None
except ImportError:  # pragma: no cover - other Pythons
    _RE_TAG = None
#: flags `re` handles specially (debug output, a deprecation warning): compiled as usual
_RE_SPECIAL = re.DEBUG | getattr(re, "TEMPLATE", 0)
#: patterns compiled or loaded by this process
_LIVE: dict[tuple, Any] = {}


def re_compile(pattern: str, flags: int = 0) -> re.Pattern[str]:
    """`re.compile(pattern, flags)`, from the cache when it holds the compiled program.

    The stored program is exactly what `re`'s own compiler made for this pattern, flags
    and Python build (the tests compare the two patterns, which compares their code);
    anything unexpected falls back to `re.compile`."""
    store = _STORE
    if store is None or _RE_TAG is None or not isinstance(pattern, str) or flags & _RE_SPECIAL:
        return re.compile(pattern, flags)
    key = (pattern, int(flags))
    live = _LIVE.get(("re", key))
    if live is not None:
        return live
    section = store.compiled("re", _RE_TAG)
    found = section.entries.get(key)
    compiled = None
    if found is not None:
        try:
            flags_, code, groups, groupindex, indexgroup = found
            compiled = _sre.compile(
                pattern, flags_, memoryview(code).cast("I").tolist(), groups, groupindex,
                indexgroup,
            )
        except Exception:  # noqa: BLE001 - a damaged entry: compile afresh
            section.drop(key)
    if compiled is None:
        args = _re_program(pattern, key[1])
        compiled = _sre.compile(pattern, *args)
        # the program as bytes: marshal reads a bytes object far faster than a list
        section.put(key, (args[0], _code_bytes(args[1]), *args[2:]))
    _LIVE[("re", key)] = compiled
    return compiled


def _code_bytes(code: list[int]) -> bytes:
    import array

    return array.array("I", code).tobytes()


def _re_program(pattern: str, flags: int) -> tuple:
    """The arguments `re._compiler.compile` passes to `_sre.compile` after the pattern."""
    p = _re_parser.parse(pattern, flags)
    code = _re_compiler._code(p, flags)
    groupindex = dict(p.state.groupdict)
    indexgroup: list[str | None] = [None] * p.state.groups
    for k, i in groupindex.items():
        indexgroup[i] = k
    # the opcodes are int subclasses; _sre takes plain ints
    return (
        int(flags | p.state.flags), [int(c) for c in code], p.state.groups - 1,
        groupindex, tuple(indexgroup),
    )


# -- the `regex` module -------------------------------------------------------------------

_REGEX_BUILD: Any = None


def _regex_builder(regex: Any) -> Callable[..., Any] | None:
    """The function the `regex` module's pickles rebuild a compiled pattern with."""
    global _REGEX_BUILD
    if _REGEX_BUILD is None:
        probe = regex.compile("")
        reduce = copyreg.dispatch_table.get(type(probe))
        build = reduce(probe)[0] if reduce is not None else None
        _REGEX_BUILD = build if callable(build) else False
    return _REGEX_BUILD or None


def regex_compile(pattern: str, flags: int = 0):
    """`regex.compile(pattern, flags)`, from the cache when it holds the compiled pattern:
    the data the `regex` module pickles a compiled pattern as (its compiled program),
    rebuilt by the function its pickles name, without parsing."""
    import regex

    store = _STORE
    if store is None or not isinstance(pattern, str):
        return regex.compile(pattern, flags)
    key = (pattern, int(flags))
    live = _LIVE.get(("regex", key))
    if live is not None:
        return live
    build = _regex_builder(regex)
    if build is None:
        return regex.compile(pattern, flags)
    section = store.compiled("regex", f"{regex.__version__}|{int(regex.DEFAULT_VERSION)}")
    found = section.entries.get(key)
    compiled = None
    if found is not None:
        try:
            compiled = build(*found)
        except Exception:  # noqa: BLE001 - a damaged entry: compile afresh
            compiled = None
        if not (isinstance(compiled, regex.Pattern) and compiled.pattern == pattern):
            compiled = None
            section.drop(key)
    if compiled is None:
        compiled = regex.compile(pattern, flags)
        reduced = copyreg.dispatch_table[type(compiled)](compiled)
        if reduced[0] is build:
            section.put(key, reduced[1])
    _LIVE[("regex", key)] = compiled
    return compiled


# -- pure analyses ---------------------------------------------------------------------------


def persisted(name: str) -> Callable[[_F], _F]:
    """Keep a pure function's results in the cache between runs.

    For analyses of rule patterns that parse them (costly, and the same every run). The
    arguments must be hashable; a result that `marshal` cannot store (or arguments) is
    only kept for this run. Callers must not change a result in place."""

    def wrap(func: _F) -> _F:
        def cached(*args: Any) -> Any:
            store = _STORE
            if store is None:
                return func(*args)
            memo = store.rules("memo")
            try:
                value = memo.entries.get((name, args), _MISSING)
            except TypeError:  # unhashable arguments
                return func(*args)
            if value is _MISSING:
                value = func(*args)
                # int flags, not enum members: marshal stores plain values only
                memo.put((name, tuple(_plain_int(a) for a in args)), value)
            return value

        cached.__wrapped__ = func  # type: ignore[attr-defined]
        cached.__name__ = func.__name__
        cached.__doc__ = func.__doc__
        return cached  # type: ignore[return-value]

    return wrap


def _plain_int(value: Any) -> Any:
    if isinstance(value, int) and type(value) not in (int, bool):
        return int(value)
    return value


# -- rule packs ------------------------------------------------------------------------------


def pack_rules(
    path: Path,
    load: Callable[[Path, str | None], list],
    encode: Callable[[Any], tuple],
    decode: Callable[[tuple], Any],
) -> list:
    """`load(path, text)` for a pack file, or its rules from the cache when the file's
    path, size, mtime and CRC-32 match. `load` raises for a broken pack (not cached);
    `encode` and `decode` turn a rule into plain data and back."""
    store = _STORE
    try:
        with open(path, "rb") as f:
            st = os.fstat(f.fileno())
            raw = f.read()
    except OSError:
        return load(path, None)  # load reports it
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return load(path, None)
    if "\r" in text:  # as reading in text mode would give it
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if store is None:
        return load(path, text)
    key = (os.path.abspath(path), str(path))
    stamp = (st.st_size, st.st_mtime_ns, zlib.crc32(raw))
    section = store.rules("packs")
    found = section.entries.get(key)
    if isinstance(found, tuple) and len(found) == 2 and found[0] == stamp:
        try:
            return [decode(state) for state in found[1]]
        except Exception:  # noqa: BLE001 - an entry of another layout: load afresh
            pass
    rules = load(path, text)
    section.put(key, (stamp, tuple(encode(r) for r in rules)))
    return rules
