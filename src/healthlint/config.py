"""Configuration: `healthlint.yaml`, `.healthlint.yaml` or `[tool.healthlint]` in pyproject.toml.

The file is found by walking up from the first linted path's folder to the filesystem
root; the first folder that has one wins (`--config FILE` names it instead). Globs and
pack paths in the file are relative to the file's folder.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from types import MappingProxyType
from typing import NamedTuple

from healthlint import schema_check
from healthlint.files import DEFAULT_INCLUDE
from healthlint.packs import Problem

_EMPTY: Mapping = MappingProxyType({})

CONFIG_NAMES = ("healthlint.yaml", ".healthlint.yaml")
FAIL_LEVELS = ("error", "warning", "info", "never")
SEVERITY_VALUES = ("error", "warning", "info", "off")

_STRINGS = {"type": "array", "items": {"type": "string"}}
_SEVERITY = {"type": "object", "additionalProperties": {"enum": list(SEVERITY_VALUES)}}

CONFIG_SCHEMA: dict = {
    "type": "object",
    "properties": {
        "packs": _STRINGS,
        "select": _STRINGS,
        "ignore": _STRINGS,
        "severity": _SEVERITY,
        "per_path": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "paths": {"type": "array", "items": {"type": "string"}, "minItems": 1},
                    "select": _STRINGS,
                    "ignore": _STRINGS,
                    "severity": _SEVERITY,
                },
                "required": ["paths"],
                "additionalProperties": False,
            },
        },
        "include": _STRINGS,
        "exclude": _STRINGS,
        "fail_on": {"enum": list(FAIL_LEVELS)},
        "brands": _STRINGS,
        "options": {"type": "object", "additionalProperties": {"type": "object"}},
    },
    "additionalProperties": False,
}


class ConfigError(Exception):
    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("\n".join(map(str, problems)))


class PathRules(NamedTuple):
    """One `per_path` entry: settings layered on top of the top-level ones for some files."""

    paths: tuple[str, ...]
    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    severity: Mapping[str, str] = _EMPTY


@dataclass(frozen=True)
class Config:
    path: str | None = None  # the file read; None = built-in defaults
    base: str = "."  # folder that globs and pack paths are relative to
    packs: tuple[str, ...] | None = None  # None = every built-in pack
    select: tuple[str, ...] | None = None  # None = every rule enabled in its pack
    ignore: tuple[str, ...] = ()
    severity: Mapping[str, str] = field(default_factory=dict)
    per_path: tuple[PathRules, ...] = ()
    include: tuple[str, ...] = DEFAULT_INCLUDE
    exclude: tuple[str, ...] = ()
    fail_on: str = "warning"
    brands: tuple[str, ...] = ()
    options: Mapping[str, Mapping[str, object]] = field(default_factory=dict)
    #: key -> line in the file, for messages about values that are valid but unknown
    key_lines: Mapping[str, int] = field(default_factory=dict)

    def pack_paths(self) -> list[Path]:
        from healthlint.packs import builtin_names, resolve

        if self.packs is None:
            return [resolve(name) for name in builtin_names()]
        return [_shown(resolve(name, Path(self.base))) for name in self.packs]

    def where(self, key: str) -> str:
        line = self.key_lines.get(key)
        return f"{self.path}:{line}" if line else str(self.path or "command line")

    def with_overrides(self, **changes: object) -> Config:
        return replace(self, **{k: v for k, v in changes.items() if v is not None})


def _shown(path: Path) -> Path:
    """A path as messages show it: relative to the working directory when inside it."""
    try:
        return path.relative_to(Path.cwd())
    except ValueError:
        return path


def default_config(base: str | None = None) -> Config:
    return Config(base=os.path.abspath(base or "."))


def find_config(start: str) -> Path | None:
    """The nearest config file in `start` or a folder above it."""
    folder = Path(os.path.abspath(start))
    if not folder.is_dir():
        folder = folder.parent
    while True:
        for name in CONFIG_NAMES:
            candidate = folder / name
            if candidate.is_file():
                return candidate
        pyproject = folder / "pyproject.toml"
        if pyproject.is_file() and _has_tool_section(pyproject):
            return pyproject
        if folder.parent == folder:
            return None
        folder = folder.parent


def _has_tool_section(path: Path) -> bool:
    # A cheap text test first: most pyproject files have no healthlint section.
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return False
    return "tool.healthlint" in text


def load_config(path: Path) -> Config:
    """Read and validate a config file. Raises ConfigError listing every problem.
    (The command line keeps the result in its start-up cache: reading a YAML file
    means importing the YAML library.)"""
    from healthlint.cache import file_result

    return file_result("configs", path, _load_config, config_state, config_from_state)


def config_state(config: Config) -> tuple:
    """A config as plain data (for the start-up cache, which stores it with marshal)."""
    from healthlint.packs import _plain

    values = []
    for name in _config_fields():
        value = getattr(config, name)
        if name == "per_path":
            value = tuple((*p[:3], dict(p.severity)) for p in value)
        values.append(_plain(dict(value) if isinstance(value, Mapping) else value))
    return tuple(values)


def config_from_state(state: tuple) -> Config:
    """The config config_state(config) describes."""
    fields = dict(zip(_config_fields(), state, strict=True))
    fields["per_path"] = tuple(PathRules(*p) for p in fields["per_path"])
    return Config(**fields)


def _config_fields() -> tuple[str, ...]:
    from dataclasses import fields

    return tuple(f.name for f in fields(Config))


def _load_config(path: Path, text: str | None = None) -> Config:
    shown = str(path)
    try:
        if text is None:
            text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise ConfigError([Problem(shown, None, "config file not found")]) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError([Problem(shown, None, f"cannot read config file: {exc}")]) from None
    if path.suffix == ".toml":
        data = _load_toml(text, shown)
    else:
        data = _load_yaml(text, shown)
    return config_from_mapping(data, shown, str(path.resolve().parent))


def _load_yaml(text: str, shown: str) -> dict:
    import yaml

    from healthlint.yamlsource import error_line, load_yaml

    try:
        data = load_yaml(text)
    except yaml.YAMLError as exc:
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise ConfigError([Problem(shown, error_line(exc), f"invalid YAML: {problem}")]) from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise ConfigError([Problem(shown, 1, "the config file must be a mapping of settings")])
    return data


def _load_toml(text: str, shown: str) -> dict:
    try:
        import tomllib
    except ModuleNotFoundError:  # Python 3.10
        try:
            import tomli as tomllib  # type: ignore[no-redef]
        except ModuleNotFoundError:
            raise ConfigError(
                [Problem(shown, None, "reading pyproject.toml needs Python 3.11+ or 'tomli'")]
            ) from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError([Problem(shown, None, f"invalid TOML: {exc}")]) from None
    section = data.get("tool", {}).get("healthlint", {})
    if not isinstance(section, dict):
        raise ConfigError([Problem(shown, None, "[tool.healthlint] must be a table")])
    return section


def config_from_mapping(data: dict, shown: str, base: str) -> Config:
    from healthlint.packs import _line

    _unquoted_off(data.get("severity"))
    for entry in data.get("per_path") or ():
        if isinstance(entry, dict):
            _unquoted_off(entry.get("severity"))
    problems = [
        Problem(shown, _line(data, p), msg, key=_dotted(p))
        for p, msg in schema_check.errors(data, CONFIG_SCHEMA)
    ]
    if problems:
        raise ConfigError(problems)

    def strings(key: str, source: Mapping = data) -> tuple[str, ...] | None:
        value = source.get(key)
        return None if value is None else tuple(value)

    per_path = tuple(
        PathRules(
            paths=tuple(entry["paths"]),
            select=tuple(entry.get("select", ())),
            ignore=tuple(entry.get("ignore", ())),
            severity=dict(entry.get("severity", {})),
        )
        for entry in data.get("per_path", ())
    )
    return Config(
        path=shown,
        base=base,
        packs=strings("packs"),
        select=strings("select"),
        ignore=strings("ignore") or (),
        severity=dict(data.get("severity", {})),
        per_path=per_path,
        include=strings("include") or DEFAULT_INCLUDE,
        exclude=strings("exclude") or (),
        fail_on=data.get("fail_on", "warning"),
        brands=strings("brands") or (),
        options={k: dict(v) for k, v in data.get("options", {}).items()},
        key_lines=dict(getattr(data, "key_lines", {})),
    )


def _unquoted_off(severity: object) -> None:
    """YAML 1.1 reads an unquoted `off` as false; in a severity mapping it means "off"."""
    if isinstance(severity, dict):
        for key, value in severity.items():
            if value is False:
                severity[key] = "off"


def _dotted(path: tuple) -> str | None:
    parts = []
    for p in path:
        if isinstance(p, int):
            parts.append(f"[{p}]")
        else:
            parts.append(("." if parts else "") + str(p))
    return "".join(parts) or None


def resolve_config(
    paths: list[str], explicit: str | None = None, use_config: bool = True
) -> Config:
    """The config for a run: `explicit`, else the nearest file above the first path."""
    if explicit:
        return load_config(Path(explicit))
    if not use_config:
        return default_config()
    found = find_config(paths[0] if paths else ".")
    return load_config(found) if found else default_config()
