"""The `pattern` kind: phrases and regular expressions, negation- and hedge-aware.

Matching is arranged for speed: each rule compiles its phrases and patterns into one
expression, derives the literal words any match must contain, and skips a document
whose folded text holds none of them (a C-speed substring test). Only then is the
expression run, once over the whole document's prose, and only matches are mapped
back to their block and sentence for the negation and hedge checks.

Negation follows NegEx (Chapman et al., 2001): a trigger ("not", "no evidence",
"cannot"...) before the match in the same sentence, within a window of words and not
cut off by a terminator ("but", "however"...), negates it; so do a few triggers just
after it ("is a myth"). A negation inside the matched phrase itself ("no side effects")
is part of the claim and never negates it. Hedges ("may", "can help", "most patients")
and questions lower the severity, or suppress the match, as the rule chooses.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator
from typing import ClassVar

import regex

from healthlint.kinds import Kind
from healthlint.model import Block, Document, Finding
from healthlint.packs import Rule, RuleOptionError

_HANDLING = {"enum": ["suppress", "downgrade", "ignore"]}

# NegEx trigger lists (Chapman et al. 2001), extended for health marketing copy:
# reported claims ("marketed as", "beware of") negate like "not" does.
_PRE_NEGATION = (
    r"no|not|never|cannot|can\s*not|can't|isn't|aren't|wasn't|weren't|doesn't|don't|didn't|"
    r"won't|wouldn't|shouldn't|nor|neither|no\s+evidence|no\s+proof|lack\s+of\s+evidence|"
    r"fails?\s+to|failed\s+to|unlikely\s+to|there\s+is\s+no|there\s+are\s+no|nothing|"
    r"rarely|none\s+of|no\s+one|nobody|beware\s+of|wary\s+of|be\s+skeptical\s+of|"
    r"claims?\s+(?:to|that|of)|claimed|marketed\s+as|advertised\s+as|touted\s+as|"
    r"so-called|myth|promises?\s+(?:to|of)|avoid|question\s+whether|doubt"
)
_PSEUDO_NEGATION = (
    r"not\s+only|not\s+just|no\s+doubt|without\s+a\s+doubt|no\s+wonder|nothing\s+but|"
    r"not\s+necessarily|not\s+to\s+mention|if\s+not|no\s+longer|no\s+need\s+to\s+worry"
)
_POST_NEGATION = (
    r"is\s+a\s+myth|are\s+a\s+myth|is\s+false|is\s+untrue|is\s+not\s+true|isn't\s+true|"
    r"is\s+unproven|are\s+unproven|has\s+not\s+been\s+(?:shown|proven)|"
    r"have\s+not\s+been\s+(?:shown|proven)|is\s+misleading|are\s+misleading|"
    r"is\s+exaggerated|are\s+exaggerated|is\s+not\s+supported|are\s+not\s+supported"
)
_TERMINATOR = r"\b(?:but|however|although|though|yet|except|whereas|while|still)\b|[;:—–]| - "
_HEDGE_BEFORE = (
    r"may|might|could|possibly|potentially|likely|probably|appears?\s+to|seems?\s+to|"
    r"suggests?|indicates?|preliminary|generally|usually|typically|often|tends?\s+to|"
    r"can\s+(?:help|reduce|improve|relieve|ease|support|lower|aid)|helps?\s+to|"
    r"in\s+some\s+(?:people|cases|patients)|(?:most|many|some)\s+(?:patients|people|adults|users|cases)"
)
_HEDGE_AFTER = r"for\s+(?:most|many|some)\b|in\s+(?:most|many|some)\s+(?:people|cases|patients)"

_FLAGS = regex.IGNORECASE | regex.V0
_PRE_NEG_RE = regex.compile(rf"\b(?:{_PRE_NEGATION})\b", _FLAGS)
_PSEUDO_RE = regex.compile(rf"\b(?:{_PSEUDO_NEGATION})\b", _FLAGS)
_POST_NEG_RE = regex.compile(rf"^\W*(?:\w+\W+){{0,4}}?(?:{_POST_NEGATION})\b", _FLAGS)
_TERMINATOR_RE = regex.compile(_TERMINATOR, _FLAGS)
_HEDGE_BEFORE_RE = regex.compile(rf"\b(?:{_HEDGE_BEFORE})\b", _FLAGS)
_HEDGE_AFTER_RE = regex.compile(rf"^\W*(?:\w+\W+){{0,2}}?(?:{_HEDGE_AFTER})", _FLAGS)
_WORD_RE = regex.compile(r"\w+(?:['’]\w+)?")

_DASHES = "-‐‑–"


def phrase_to_regex(phrase: str) -> str:
    """A literal phrase as a regex: spaces match any whitespace or hyphen run, a hyphen
    matches a hyphen, a space or nothing, apostrophes match both ' and ’, and word
    characters at either end must start or end a word."""
    out = []
    for ch in phrase.strip():
        if ch.isspace():
            if out and out[-1] == r"[\s\-‐‑–]+":
                continue
            out.append(r"[\s\-‐‑–]+")
        elif ch in _DASHES:
            out.append(r"[\s\-‐‑–]?")
        elif ch in "'’":
            out.append("['’]")
        else:
            out.append(regex.escape(ch))
    body = "".join(out)
    start = r"(?<!\w)" if phrase.strip()[:1].isalnum() else ""
    end = r"(?!\w)" if phrase.strip()[-1:].isalnum() else ""
    return f"{start}{body}{end}"


def required_literals(pattern: str, ignore_case: bool = True) -> list[str] | None:
    """Literal strings one of which every match of `pattern` must contain, or None.

    Used as a prefilter; None means the pattern could not be analysed (or has no
    literal of 3+ characters) and must always run.
    """
    try:
        from re import _parser as sre_parse  # type: ignore[attr-defined]
    except ImportError:  # Python < 3.11
        import sre_parse  # type: ignore[no-redef]
    try:
        parsed = sre_parse.parse(pattern)
    except (re.error, OverflowError, RecursionError, ValueError):
        return None
    found = _seq_literals(list(parsed))
    if not found or min(len(s) for s in found) < 3:
        return None
    return sorted({s.lower() if ignore_case else s for s in found})


def _seq_literals(items: list) -> list[str] | None:
    """Best literal alternatives required by a sequence of parsed regex items."""
    candidates: list[list[str]] = []
    run: list[str] = []

    def close_run() -> None:
        if run:
            candidates.append(["".join(run)])
            run.clear()

    for op, av in items:
        name = str(op)
        if name == "LITERAL":
            run.append(chr(av))
            continue
        close_run()
        if name == "SUBPATTERN":
            sub = _seq_literals(list(av[-1]))
            if sub:
                candidates.append(sub)
        elif name == "BRANCH":
            alts: list[str] = []
            for branch in av[1]:
                sub = _seq_literals(list(branch))
                if not sub:
                    alts = []
                    break
                alts.extend(sub)
            if alts:
                candidates.append(alts)
        elif name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT") and av[0] >= 1:
            sub = _seq_literals(list(av[2]))
            if sub:
                candidates.append(sub)
    close_run()
    if not candidates:
        return None
    return max(candidates, key=lambda alts: min(len(a) for a in alts))


class PatternKind(Kind):
    name = "pattern"
    options: ClassVar[dict] = {
        "phrases": {"type": "array", "items": {"type": "string", "minLength": 1},
                    "description": "Literal phrases; spaces also match hyphens and line breaks."},
        "patterns": {"type": "array", "items": {"type": "string", "minLength": 1},
                     "description": "Regular expressions (Python `regex` syntax). A group named "
                                    "`span` narrows the reported span."},
        "exceptions": {"type": "array", "items": {"type": "string", "minLength": 1},
                       "description": "Regexes; a match that overlaps one is not reported."},
        "case_sensitive": {"type": "boolean"},
        "negation": {"type": "boolean", "description": "Apply the NegEx guard (default true)."},
        "negation_window": {"type": "integer", "minimum": 0, "maximum": 20},
        "hedge": {**_HANDLING, "description": "What a hedge before the match does (default downgrade)."},
        "question": {**_HANDLING, "description": "What a question sentence does (default downgrade)."},
        "limit": {"type": "integer", "minimum": 1, "description": "At most this many findings per file."},
        "keywords": {"type": "array", "items": {"type": "string", "minLength": 1},
                     "description": "Prefilter words; default: derived from the patterns."},
    }
    message_fields = ("match",)

    def __init__(self, rule: Rule) -> None:
        super().__init__(rule)
        opts = rule.options
        phrases = list(opts.get("phrases", ()))
        patterns = list(opts.get("patterns", ()))
        if not phrases and not patterns:
            raise RuleOptionError("phrases", "a pattern rule needs `phrases` or `patterns`")
        self.case_sensitive = bool(opts.get("case_sensitive", False))
        # Phrase-only, case-insensitive rules scan the lower-cased text without the
        # (slower) IGNORECASE flag.
        self.on_folded = not patterns and not self.case_sensitive
        flags = regex.V0 | (0 if self.case_sensitive or self.on_folded else regex.IGNORECASE)
        sources = [phrase_to_regex(p.lower() if self.on_folded else p) for p in phrases]
        for i, pat in enumerate(patterns):
            try:
                regex.compile(pat, flags)
            except regex.error as exc:
                raise RuleOptionError("patterns", f"pattern {i + 1} does not compile: {exc}: {pat!r}") from None
            sources.append(pat)
        self.regex = regex.compile("|".join(f"(?:{s})" for s in sources), flags)
        self.exceptions = []
        for i, pat in enumerate(opts.get("exceptions", ())):
            try:
                self.exceptions.append(regex.compile(pat, flags | (0 if self.case_sensitive else regex.IGNORECASE)))
            except regex.error as exc:
                raise RuleOptionError("exceptions", f"exception {i + 1} does not compile: {exc}: {pat!r}") from None
        self.keywords = self._keywords(opts.get("keywords"), phrases, patterns)
        self.negation = bool(opts.get("negation", True))
        self.window = int(opts.get("negation_window", 5))
        self.hedge = opts.get("hedge", "downgrade")
        self.question = opts.get("question", "downgrade")
        self.limit = opts.get("limit")
        self.scope = frozenset(rule.scope) if rule.scope else None

    def _keywords(self, given, phrases: list[str], patterns: list[str]) -> tuple[str, ...] | None:
        if given:
            return tuple(k.lower() for k in given)
        words: set[str] = set()
        for p in phrases:
            # the longest word of the phrase: spaces and hyphens are flexible, words are not
            longest = max(regex.findall(r"\w+", p.lower()) or [""], key=len)
            if len(longest) < 3:
                return None
            words.add(longest)
        for p in patterns:
            lits = required_literals(p, not self.case_sensitive)
            if lits is None:
                return None
            words.update(lits)
        return tuple(sorted(words))

    def check(self, doc: Document) -> Iterator[Finding]:
        prose = doc.prose
        folded = prose.folded
        if self.keywords is not None:
            haystack = folded if folded is not None else prose.text.lower()
            if not any(k in haystack for k in self.keywords):
                return
        if self.on_folded and folded is not None:
            matches = self.regex.finditer(folded)
        elif self.on_folded:  # lower() changed the text's length: match case-blind instead
            matches = regex.compile(self.regex.pattern, regex.V0 | regex.IGNORECASE).finditer(prose.text)
        else:
            matches = self.regex.finditer(prose.text)
        emitted = 0
        for m in matches:
            start, end = m.span("span") if "span" in self.regex.groupindex and m.start("span") >= 0 else m.span()
            index, offset = prose.locate(start)
            block = prose.blocks[index]
            stop = offset + (end - start)
            if stop > len(block.text) or end == start:
                continue  # ran across the gap between two blocks
            if self.scope is not None and block.scope not in self.scope:
                continue
            if block.scope == "front_matter" and self.scope is None:
                continue
            severity = self._severity(block, offset, stop)
            if severity is None:
                continue
            yield self.finding(doc, *block.source_span(offset, stop), severity=severity)
            emitted += 1
            if self.limit and emitted >= self.limit:
                return

    def _severity(self, block: Block, start: int, end: int):
        """The severity for a match at block.text[start:end], or None to drop it."""
        text = block.text
        for exc in self.exceptions:
            for em in exc.finditer(text):
                if em.start() < end and start < em.end():
                    return None
        s_start, s_end = _sentence_of(block, start)
        severity = self.rule.severity
        before = text[s_start:start]
        cut = None
        for cut in _TERMINATOR_RE.finditer(before):
            pass
        if cut is not None:
            before = before[cut.end():]
        after = text[end:s_end]
        first_cut = _TERMINATOR_RE.search(after)
        if first_cut:
            after = after[: first_cut.start()]
        if self.negation and (self._negated_before(before) or _POST_NEG_RE.search(after)):
            return None
        if self.hedge != "ignore" and (_hedged_before(before) or _HEDGE_AFTER_RE.search(after)):
            if self.hedge == "suppress":
                return None
            severity = severity.lowered()
        if self.question != "ignore" and text[s_start:s_end].rstrip().endswith("?"):
            if self.question == "suppress":
                return None
            severity = severity.lowered()
        return severity

    def _negated_before(self, before: str) -> bool:
        pseudo = [m.span() for m in _PSEUDO_RE.finditer(before)]
        for m in _PRE_NEG_RE.finditer(before):
            if any(ps <= m.start() < pe for ps, pe in pseudo):
                continue
            if len(_WORD_RE.findall(before, m.end())) <= self.window:
                return True
        return False


def _hedged_before(before: str) -> bool:
    for m in _HEDGE_BEFORE_RE.finditer(before):
        if len(_WORD_RE.findall(before, m.end())) <= 8:
            return True
    return False


def _sentence_of(block: Block, offset: int) -> tuple[int, int]:
    spans = block.sentences()
    starts = [s for s, _ in spans]
    i = bisect.bisect_right(starts, offset) - 1
    if i < 0:
        return 0, spans[0][1] if spans else len(block.text)
    return spans[i]
