"""Rule packs: YAML files of rules, loaded, validated and turned into checks.

Every problem in a pack is reported with the pack file, line, rule id and key, in the
style `rules/mine.yaml:14: rule 'cure-claim', key 'patterns': ...`, and all problems
of a run are collected before healthlint exits with status 2.
"""

from __future__ import annotations

import functools
import string
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from healthlint import schema_check
from healthlint.kinds import KINDS, Kind, load_kind
from healthlint.model import SCOPES, Severity

CATEGORIES = (
    "absolute-claim",
    "uncited-statistic",
    "repetition",
    "product-plug",
    "regulatory",
    "hype",
    "vague-attribution",
    "template-leftover",
    "readability",
    "disclosure",
    # healthlint's own findings about the run itself (unused suppression comments)
    "meta",
    "evidence",  # beyond DESIGN.md's ten: see docs/evidence-category.md
)

_STRINGS = {"type": "array", "items": {"type": "string"}}

#: JSON-Schema properties every rule has, whatever its kind.
RULE_PROPERTIES: dict[str, dict] = {
    "id": {
        "type": "string",
        "minLength": 1,
        "description": "Unique within the pack; the full id is PACK.ID.",
    },
    "kind": {"enum": sorted(KINDS), "description": "The check in code this rule instantiates."},
    "category": {"enum": list(CATEGORIES)},
    "severity": {"enum": ["error", "warning", "info"]},
    "message": {"type": "string", "minLength": 1, "description": "May quote the match as {match}."},
    "rationale": {"type": "string", "minLength": 1, "description": "Why an editor should care."},
    "source": {
        "type": "string",
        "minLength": 1,
        "description": "The standard that justifies the rule.",
    },
    "link": {"type": "string"},
    "scope": {
        "anyOf": [{"enum": list(SCOPES)}, {"type": "array", "items": {"enum": list(SCOPES)}}],
        "description": "Block scopes the rule reads (default: all prose).",
    },
    "suggestion": {"type": "string"},
    "enabled": {"type": "boolean", "description": "false: off unless selected in config."},
    "examples": {
        "type": "object",
        "properties": {"flag": _STRINGS, "pass": _STRINGS},
        "required": ["flag", "pass"],
        "additionalProperties": False,
    },
}
RULE_REQUIRED = ("id", "kind", "category", "severity", "message", "rationale", "source", "examples")

PACK_SCHEMA = {
    "type": "object",
    "properties": {
        "pack": {"type": "string", "minLength": 1},
        "description": {"type": "string"},
        "rules": {"type": "array", "items": {"type": "object"}},
    },
    "required": ["rules"],
    "additionalProperties": False,
}


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a pack or config file."""

    path: str
    line: int | None
    message: str
    rule: str | None = None
    key: str | None = None

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        what = []
        if self.rule:
            what.append(f"rule {self.rule!r}")
        if self.key:
            what.append(f"key {self.key!r}")
        return f"{where}: {', '.join(what) + ': ' if what else ''}{self.message}"


class PackError(Exception):
    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems = list(problems)
        super().__init__("\n".join(map(str, self.problems)))


class RuleOptionError(Exception):
    """Raised by a kind for an option value it cannot use (a regex that does not compile)."""

    def __init__(self, key: str, message: str) -> None:
        super().__init__(message)
        self.key = key
        self.message = message


@dataclass(frozen=True)
class Rule:
    id: str  # PACK.ID
    pack: str
    kind: str
    category: str
    severity: Severity
    message: str
    rationale: str
    source: str
    examples_flag: tuple[str, ...]
    examples_pass: tuple[str, ...]
    link: str | None = None
    scope: tuple[str, ...] = ()  # empty = every prose scope
    suggestion: str | None = None
    enabled: bool = True
    options: Mapping[str, object] = field(default_factory=dict)
    path: str = ""
    line: int = 0
    key_lines: Mapping[str, int] = field(default_factory=dict)

    @property
    def short_id(self) -> str:
        return self.id.partition(".")[2]

    def line_of(self, key: str) -> int:
        return self.key_lines.get(key, self.line)

    def format_message(self, **fields: object) -> str:
        return self.message.format_map(_Missing(fields))


class _Missing(dict):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def builtin_dir() -> Path:
    """The shipped packs: healthlint/_rules in a wheel, the top-level rules/ in a checkout."""
    here = Path(__file__).resolve().parent
    packaged = here / "_rules"
    if packaged.is_dir():
        return packaged
    return here.parent.parent / "rules"


def builtin_names() -> list[str]:
    return sorted(p.stem for p in builtin_dir().glob("*.yaml"))


def resolve(name: str, base: Path | None = None) -> Path:
    """A pack given by built-in name ("absolute-claims") or by path (relative to `base`)."""
    if name.endswith((".yaml", ".yml")) or "/" in name or "\\" in name:
        path = Path(name)
        if base is not None and not path.is_absolute():
            path = base / path
        return path
    return builtin_dir() / f"{name}.yaml"


def load_pack(path: Path, text: str | None = None) -> list[Rule]:
    """Parse and validate one pack file (whose `text` may be given). Raises PackError
    listing every problem found."""
    import yaml

    from healthlint.yamlsource import error_line, load_yaml

    shown = str(path)
    try:
        if text is None:
            text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        known = ", ".join(builtin_names())
        message = f"rule pack not found (built-in packs: {known})"
        raise PackError([Problem(shown, None, message)]) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise PackError([Problem(shown, None, f"cannot read rule pack: {exc}")]) from None
    try:
        data = load_yaml(text)
    except yaml.YAMLError as exc:
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise PackError([Problem(shown, error_line(exc), f"invalid YAML: {problem}")]) from None
    if not isinstance(data, dict):
        raise PackError([Problem(shown, 1, "a rule pack is a mapping with a 'rules' list")])

    problems = [
        Problem(shown, _line(data, p), msg, key=_key(p))
        for p, msg in schema_check.errors(data, PACK_SCHEMA)
    ]
    if problems:
        raise PackError(problems)
    pack = data.get("pack") or path.stem
    rules: list[Rule] = []
    seen: dict[str, int] = {}
    for raw in data["rules"]:
        rule_id = raw.get("id") if isinstance(raw.get("id"), str) else None
        found = list(_rule_problems(raw, shown, rule_id))
        if rule_id in seen:
            found.append(
                Problem(
                    shown,
                    raw.line_of("id"),
                    f"duplicate rule id (first defined on line {seen[rule_id]})",
                    rule_id,
                    "id",
                )
            )
        elif rule_id:
            seen[rule_id] = raw.line_of("id")
        if found:
            problems.extend(found)
            continue
        rules.append(_make_rule(raw, pack, shown))
    if problems:
        raise PackError(problems)
    return rules


def _rule_problems(raw: dict, shown: str, rule_id: str | None):
    kind_cls: type[Kind] | None = None
    if raw.get("kind") in KINDS:
        kind_cls = load_kind(raw["kind"])
    schema = {
        "type": "object",
        "properties": {**RULE_PROPERTIES, **(kind_cls.options if kind_cls else {})},
        "required": list(RULE_REQUIRED) + list(kind_cls.required_options if kind_cls else ()),
        "additionalProperties": kind_cls is None,  # unknown kind: its own error, not one per key
    }
    for p, msg in schema_check.errors(raw, schema):
        yield Problem(shown, _line(raw, p), msg, rule_id, _key(p))
    if isinstance(raw.get("message"), str) and kind_cls is not None:
        allowed = kind_cls.message_fields
        try:
            fields = [f for _, f, _, _ in string.Formatter().parse(raw["message"]) if f is not None]
        except ValueError as exc:
            yield Problem(
                shown, raw.line_of("message"), f"bad braces in message: {exc}", rule_id, "message"
            )
            return
        for f in fields:
            if f not in allowed:
                yield Problem(
                    shown,
                    raw.line_of("message"),
                    f"unknown placeholder {{{f}}} "
                    f"(this kind offers {', '.join('{' + a + '}' for a in allowed)})",
                    rule_id,
                    "message",
                )


def _make_rule(raw: dict, pack: str, shown: str) -> Rule:
    common = set(RULE_PROPERTIES)
    scope = raw.get("scope", ())
    return Rule(
        id=f"{pack}.{raw['id']}",
        pack=pack,
        kind=raw["kind"],
        category=raw["category"],
        severity=Severity.parse(raw["severity"]),
        message=raw["message"],
        rationale=raw["rationale"].strip(),
        source=raw["source"].strip(),
        examples_flag=tuple(raw["examples"]["flag"]),
        examples_pass=tuple(raw["examples"]["pass"]),
        link=raw.get("link"),
        scope=(scope,) if isinstance(scope, str) else tuple(scope),
        suggestion=raw.get("suggestion"),
        enabled=raw.get("enabled", True),
        options={k: _plain(v) for k, v in raw.items() if k not in common},
        path=shown,
        line=raw.line,
        key_lines=dict(raw.key_lines),
    )


def rule_state(rule: Rule) -> tuple:
    """A rule as plain data (for the start-up cache, which stores it with marshal)."""
    return tuple(
        int(value) if name == "severity" else dict(value) if isinstance(value, Mapping) else value
        for name, value in ((f, getattr(rule, f)) for f in _rule_fields())
    )


def rule_from_state(state: tuple) -> Rule:
    """The rule rule_state(rule) describes."""
    fields = dict(zip(_rule_fields(), state, strict=True))
    fields["severity"] = Severity(fields["severity"])
    return Rule(**fields)


@functools.lru_cache(maxsize=1)
def _rule_fields() -> tuple[str, ...]:
    from dataclasses import fields

    return tuple(f.name for f in fields(Rule))


def _plain(value: object) -> object:
    """A YAML value with its mappings as plain dicts: rules are cached as pickles, which
    must not need the YAML loader's classes (and so the YAML library) to be read."""
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def _line(data, path: tuple) -> int | None:
    """The line of the deepest mapping key on `path`."""
    line = getattr(data, "line", None)
    node = data
    for step in path:
        if isinstance(node, dict) and step in node:
            line = node.line_of(step) if hasattr(node, "line_of") else line
            node = node[step]
        elif isinstance(node, list) and isinstance(step, int) and step < len(node):
            node = node[step]
            line = getattr(node, "line", line)
        else:
            break
    return line


def _key(path: tuple) -> str | None:
    keys = [str(p) for p in path if isinstance(p, str)]
    return ".".join(keys) if keys else None


def load_packs(paths: Iterable[Path]) -> list[Rule]:
    """Load several packs; a rule id defined by two packs is an error."""
    rules: list[Rule] = []
    problems: list[Problem] = []
    owner: dict[str, Rule] = {}
    from healthlint.cache import pack_rules as cached

    for path in paths:
        try:
            pack_rules = cached(path, load_pack, rule_state, rule_from_state)
        except PackError as exc:
            problems.extend(exc.problems)
            continue
        for rule in pack_rules:
            if rule.id in owner:
                first = owner[rule.id]
                problems.append(
                    Problem(
                        rule.path,
                        rule.line,
                        f"rule id already defined in {first.path}:{first.line}",
                        rule.id,
                        "id",
                    )
                )
                continue
            owner[rule.id] = rule
            rules.append(rule)
    if problems:
        raise PackError(problems)
    return rules


def build_checks(rules: Iterable[Rule]) -> list[Kind]:
    """Instantiate each rule's kind (compiling its patterns). Raises PackError."""
    checks: list[Kind] = []
    problems: list[Problem] = []
    for rule in rules:
        try:
            checks.append(load_kind(rule.kind)(rule))
        except RuleOptionError as exc:
            problems.append(
                Problem(rule.path, rule.line_of(exc.key), exc.message, rule.short_id, exc.key)
            )
    if problems:
        raise PackError(problems)
    return checks


def apply_options(
    rules: Iterable[Rule],
    overrides: Mapping[str, Mapping[str, object]],
    brands: Iterable[str] = (),
    where: str = "config",
) -> list[Rule]:
    """Rules with a config's per-rule `options` merged in, and its `brands` list added to
    every rule whose kind takes a `brands` option. Raises PackError for an override
    that names an unknown rule or option or has the wrong type."""
    from dataclasses import replace

    brands = tuple(brands)
    by_id = {r.id: r for r in rules}
    problems = [
        Problem(
            where,
            None,
            "options for a rule that is not loaded" + _nearest(rid, by_id),
            rid,
            "options",
        )
        for rid in overrides
        if rid not in by_id
    ]
    out = []
    for rule in by_id.values():
        kind_options = load_kind(rule.kind).options
        extra: dict[str, object] = {}
        if brands and "brands" in kind_options:
            extra["brands"] = [*rule.options.get("brands", ()), *brands]
        for key, value in (overrides.get(rule.id) or {}).items():
            if key not in kind_options:
                problems.append(
                    Problem(
                        where,
                        None,
                        f"unknown option {key!r}" + _nearest(key, kind_options),
                        rule.id,
                        f"options.{key}",
                    )
                )
                continue
            for _, msg in schema_check.errors(value, kind_options[key]):
                problems.append(Problem(where, None, msg, rule.id, f"options.{key}"))
            extra[key] = value
        out.append(replace(rule, options={**rule.options, **extra}) if extra else rule)
    if problems:
        raise PackError(problems)
    return out


def _nearest(word: str, choices) -> str:
    hint = schema_check.suggest(word, choices)
    return f" (did you mean {hint!r}?)" if hint else ""
