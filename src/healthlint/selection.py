"""Which rules are on, at which severity, for which file.

Selectors are rule ids or prefixes of them ("absolute-claims", "absolute-claims.no-").
Within one layer of settings the longest matching selector decides; when a `select`
and an `ignore` entry are equally long, `ignore` wins. Layers apply in order: the
top-level settings, then every `per_path` entry whose globs match the file; a layer
that says nothing about a rule leaves it as it was. Without a top-level `select`,
every rule enabled in its pack starts on. A rule with `enabled: false` in its pack is
turned on only by a selector naming the rule or its whole pack ("readability").
Severity overrides follow the same longest-prefix rule; "off" turns a rule off.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from types import MappingProxyType
from typing import NamedTuple

from healthlint.config import Config
from healthlint.files import any_match, relative_to
from healthlint.model import Severity
from healthlint.packs import Rule


def matches(selector: str, rule_id: str) -> bool:
    return rule_id.startswith(selector)


def _explicit(selector: str, rule: Rule) -> bool:
    return selector in (rule.id, rule.pack)


def _best(selectors: Iterable[str], rule_id: str) -> int:
    """Length of the longest selector matching `rule_id`; -1 if none does."""
    return max((len(s) for s in selectors if matches(s, rule_id)), default=-1)


class Layer(NamedTuple):
    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    severity: Mapping[str, str] = MappingProxyType({})

    def decide(self, rule: Rule) -> bool | None:
        """True/False when this layer turns the rule on/off, None when it is silent."""
        selects = self.select if rule.enabled else [s for s in self.select if _explicit(s, rule)]
        sel = _best(selects, rule.id)
        ign = _best(self.ignore, rule.id)
        if sel < 0 and ign < 0:
            return None
        return sel > ign

    def level(self, rule: Rule) -> str | None:
        best = _best(self.severity, rule.id)
        if best < 0:
            return None
        # among equally long keys only one can match: the key is the prefix itself
        return next(v for k, v in self.severity.items() if len(k) == best and matches(k, rule.id))


class Selection:
    """Answers "is rule R on for file P, and at what severity?" for one run."""

    def __init__(self, config: Config, rules: Sequence[Rule]) -> None:
        self.config = config
        self.rules = {r.id: r for r in rules}
        self.top = Layer(config.select or (), config.ignore, config.severity)
        self.restrict = config.select is not None
        self.layers = [
            (entry.paths, Layer(entry.select, entry.ignore, entry.severity))
            for entry in config.per_path
        ]
        self._layers_for: dict[str, tuple[int, ...]] = {}
        self._decisions: dict[tuple[str, tuple[int, ...]], Severity | None] = {}

    def _applicable(self, path: str) -> tuple[int, ...]:
        got = self._layers_for.get(path)
        if got is None:
            if self.layers:
                rel = relative_to(path, self.config.base)
                got = tuple(i for i, (globs, _) in enumerate(self.layers) if any_match(globs, rel))
            else:
                got = ()
            self._layers_for[path] = got
        return got

    def severity_for(self, rule: Rule, path: str) -> Severity | None:
        """The rule's severity in this file, or None when it is off there."""
        key = (rule.id, self._applicable(path))
        if key not in self._decisions:
            self._decisions[key] = self._decide(rule, [self.layers[i][1] for i in key[1]])
        return self._decisions[key]

    def _decide(self, rule: Rule, extra: list[Layer]) -> Severity | None:
        on = rule.enabled and not self.restrict
        level: str | None = None
        for layer in (self.top, *extra):
            decided = layer.decide(rule)
            if decided is not None:
                on = decided
            level = layer.level(rule) or level
        if not on or level == "off":
            return None
        return Severity.parse(level) if level else rule.severity

    def active(self) -> list[Rule]:
        """Rules that may be on for some file: their checks are built and run."""
        out = []
        for rule in self.rules.values():
            if self._decide(rule, []) is not None or any(
                layer.decide(rule) or layer.level(rule) not in (None, "off")
                for _, layer in self.layers
            ):
                out.append(rule)
        return out

    def unknown_selectors(self, extra_ids: Iterable[str] = ()) -> list[tuple[str, str]]:
        """(config key, selector) pairs that match no rule: probably typos."""
        ids = list(self.rules) + list(extra_ids)
        out = []
        named = [("select", s) for s in self.top.select] + [("ignore", s) for s in self.top.ignore]
        named += [("severity", s) for s in self.top.severity]
        for i, (_, layer) in enumerate(self.layers):
            where = f"per_path[{i}]"
            named += [(f"{where}.select", s) for s in layer.select]
            named += [(f"{where}.ignore", s) for s in layer.ignore]
            named += [(f"{where}.severity", s) for s in layer.severity]
        for key, sel in named:
            if not any(matches(sel, rid) for rid in ids):
                out.append((key, sel))
        return out
