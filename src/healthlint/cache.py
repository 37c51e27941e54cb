"""A per-user cache of start-up work: loaded rule packs and compiled regular expressions.

A one-file run (the pre-commit case) spends most of its time before it reads the file:
parsing the packs' YAML, validating every rule, analysing and compiling a few hundred
regular expressions. None of that changes between runs, so the command line keeps it in
the user's cache folder ($HEALTHLINT_CACHE_DIR, else $XDG_CACHE_HOME/healthlint, else
~/.cache/healthlint; never in the content repository) in two files:

* `compiled-N.bin` (marshal): compiled regular expressions, keyed by pattern and flags,
  in one section per engine tagged with the engine's version. Entries of the `regex`
  module are its own pickles of compiled patterns (the library stores the compiled
  program and loads it without parsing); entries of the stdlib `re` module are the
  arguments its compiler hands to `_sre.compile`, so loading skips the (pure Python)
  parser and code generator. Nothing here depends on healthlint's own code.
* `rules-N.bin` (pickle): each pack file's validated rules, keyed by the file's path,
  size, mtime and CRC-32, and the results of pure pattern analyses (`persisted`), both
  valid only for the healthlint source they were made with (version, Python version
  and the size and mtime of every module: an edited checkout never reads stale
  results).

Library calls use no cache: `enable(folder)` turns it on (the command line does, unless
`--no-cache`), and `save()` writes what is new. A missing, unreadable, corrupt or
foreign cache file is ignored, and a cache folder that cannot be written costs nothing
but the time saved: the cache never changes what a run reports.
"""

from __future__ import annotations

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
FORMAT = 1
COMPILED_FILE = f"compiled-{FORMAT}.bin"
RULES_FILE = f"rules-{FORMAT}.bin"
#: entries per section kept across runs; beyond that only those used by the last run stay
MAX_ENTRIES = 4000

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
    """One dictionary of entries, with what this run used and added."""

    __slots__ = ("entries", "used", "dirty")

    def __init__(self, entries: dict | None = None) -> None:
        self.entries: dict = entries if isinstance(entries, dict) else {}
        self.used: set = set()
        self.dirty = False

    def get(self, key: Hashable, default: Any = None) -> Any:
        found = self.entries.get(key, _MISSING)
        if found is _MISSING:
            return default
        self.used.add(key)
        return found

    def put(self, key: Hashable, value: Any) -> None:
        self.entries[key] = value
        self.used.add(key)
        self.dirty = True

    def drop(self, key: Hashable) -> None:
        if self.entries.pop(key, None) is not None:
            self.dirty = True

    def kept(self) -> dict:
        if len(self.entries) <= MAX_ENTRIES:
            return self.entries
        return {k: v for k, v in self.entries.items() if k in self.used}


class Store:
    """The two cache files of one folder, read when first needed."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._compiled: dict[str, _Section] | None = None
        self._compiled_tags: dict[str, str] = {}
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
        except OSError:
            pass  # an unwritable cache only costs the time it would have saved

    # -- compiled expressions -----------------------------------------------------------

    def compiled(self, engine: str, tag: str) -> _Section:
        if self._compiled is None:
            self._compiled = {}
            raw = self._read(COMPILED_FILE)
            try:
                data = marshal.loads(raw) if raw else {}
            except (EOFError, ValueError, TypeError):
                data = {}
            if isinstance(data, dict):
                for name, value in data.items():
                    if isinstance(value, tuple) and len(value) == 2 and isinstance(name, str):
                        self._compiled_tags[name] = value[0]
                        self._compiled[name] = _Section(value[1])
        section = self._compiled.get(engine)
        if section is None or self._compiled_tags.get(engine) != tag:
            section = self._compiled[engine] = _Section()
            section.dirty = True
            self._compiled_tags[engine] = tag
        return section

    # -- rules and analyses --------------------------------------------------------------

    def rules(self, part: str) -> _Section:
        """The section `part` ("packs" or "memo") of the rules file."""
        if self._rules is None:
            self._rules = {"packs": _Section(), "memo": _Section()}
            stamp = source_stamp()
            self._stamp = stamp
            raw = self._read(RULES_FILE)
            if raw:
                data = _unpickle(raw)
                if isinstance(data, dict) and data.get("stamp") == stamp:
                    for name in self._rules:
                        self._rules[name] = _Section(data.get(name))
        return self._rules[part]

    # -- saving --------------------------------------------------------------------------

    def save(self) -> None:
        if self._compiled is not None and any(s.dirty for s in self._compiled.values()):
            data = {
                name: (self._compiled_tags[name], section.kept())
                for name, section in self._compiled.items()
            }
            try:
                blob = marshal.dumps(data)
            except ValueError:
                blob = None
            if blob is not None:
                self._write(COMPILED_FILE, blob)
            for section in self._compiled.values():
                section.dirty = False
        if self._rules is not None and any(s.dirty for s in self._rules.values()):
            import pickle

            data = {"stamp": self._stamp}
            data.update({name: section.kept() for name, section in self._rules.items()})
            try:
                blob = pickle.dumps(data, protocol=pickle.HIGHEST_PROTOCOL)
            except (pickle.PicklingError, TypeError, AttributeError, RecursionError):
                blob = None
            if blob is not None:
                self._write(RULES_FILE, blob)
            for section in self._rules.values():
                section.dirty = False


def _private(st: os.stat_result) -> bool:
    """A cache file another user could have written is not read (it may hold pickles)."""
    getuid = getattr(os, "getuid", None)
    if getuid is not None and st.st_uid != getuid():
        return False
    return not st.st_mode & 0o022


def _unpickle(raw: bytes) -> object:
    import pickle

    try:
        return pickle.loads(raw)
    except Exception:  # noqa: BLE001 - a corrupt or foreign file is only a cache miss
        return None


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
                    files.append((os.path.relpath(entry.path, root), st.st_size, st.st_mtime_ns))
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
    if not (hasattr(_re_compiler, "_code") and hasattr(_sre, "compile")):
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
    found = section.get(key)
    compiled = None
    if found is not None:
        try:
            compiled = _sre.compile(pattern, *found)
        except Exception:  # noqa: BLE001 - a damaged entry: compile afresh
            section.drop(key)
    if compiled is None:
        args = _re_program(pattern, key[1])
        compiled = _sre.compile(pattern, *args)
        if _storable(args):
            section.put(key, args)
    _LIVE[("re", key)] = compiled
    return compiled


def _storable(value: object) -> bool:
    try:
        marshal.dumps(value)
    except ValueError:
        return False
    return True


def _re_program(pattern: str, flags: int) -> tuple:
    """The arguments `re._compiler.compile` passes to `_sre.compile` after the pattern."""
    p = _re_parser.parse(pattern, flags)
    code = _re_compiler._code(p, flags)
    groupindex = dict(p.state.groupdict)
    indexgroup: list[str | None] = [None] * p.state.groups
    for k, i in groupindex.items():
        indexgroup[i] = k
    # the opcodes are int subclasses; marshal (and _sre) take plain ints
    return (
        int(flags | p.state.flags), [int(c) for c in code], p.state.groups - 1,
        groupindex, tuple(indexgroup),
    )


# -- the `regex` module -------------------------------------------------------------------


def regex_compile(pattern: str, flags: int = 0):
    """`regex.compile(pattern, flags)`, from the cache when it holds the compiled pattern
    (as the `regex` module pickles it: its compiled program, loaded without parsing)."""
    import regex

    store = _STORE
    if store is None or not isinstance(pattern, str):
        return regex.compile(pattern, flags)
    key = (pattern, int(flags))
    live = _LIVE.get(("regex", key))
    if live is not None:
        return live
    import pickle

    section = store.compiled("regex", f"{regex.__version__}|{regex.DEFAULT_VERSION}")
    found = section.get(key)
    compiled = None
    if found is not None:
        try:
            compiled = pickle.loads(found)
        except Exception:  # noqa: BLE001 - a damaged entry: compile afresh
            compiled = None
        if not (isinstance(compiled, regex.Pattern) and compiled.pattern == pattern):
            compiled = None
            section.drop(key)
    if compiled is None:
        compiled = regex.compile(pattern, flags)
        try:
            section.put(key, pickle.dumps(compiled, protocol=pickle.HIGHEST_PROTOCOL))
        except (pickle.PicklingError, TypeError):
            pass
    _LIVE[("regex", key)] = compiled
    return compiled


# -- pure analyses ---------------------------------------------------------------------------


def persisted(name: str) -> Callable[[_F], _F]:
    """Keep a pure function's results in the cache between runs.

    For analyses of rule patterns that parse them (costly, and the same every run). The
    arguments must be hashable and picklable, and so must the result; callers must not
    change a result in place."""

    def wrap(func: _F) -> _F:
        def cached(*args: Any) -> Any:
            store = _STORE
            if store is None:
                return func(*args)
            memo = store.rules("memo")
            # int flags, not enum members: the key must not need their module to load
            key = (name, tuple(_plain_int(a) for a in args))
            try:
                value = memo.get(key, _MISSING)
            except TypeError:  # unhashable arguments
                return func(*args)
            if value is not _MISSING:
                return value
            value = func(*args)
            memo.put(key, value)
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


def pack_rules(path: Path, load: Callable[[Path, str], list]) -> list:
    """`load(path, text)` for a pack file, or its rules from the cache when the file's
    path, size, mtime and CRC-32 match. `load` raises for a broken pack (not cached)."""
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
    found = section.get(key)
    if isinstance(found, tuple) and len(found) == 2 and found[0] == stamp:
        return list(found[1])
    rules = load(path, text)
    section.put(key, (stamp, tuple(rules)))
    return rules
