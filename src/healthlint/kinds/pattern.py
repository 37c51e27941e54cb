"""The `pattern` kind: phrases and regular expressions, negation- and hedge-aware.

Matching is arranged for speed, since a corpus run applies every rule to every
document. A rule's words that every match must contain (its `keywords`, or what the
stdlib regex parser shows each pattern requires) are looked up in the document's
lower-cased prose with C-speed substring search, the result shared by all rules; only
the blocks holding one are run through the pattern, and a document holding none costs
a few substring scans. A pattern that opens with a literal is left to the regex
engine's own fast search. Case-insensitive patterns run without IGNORECASE on the
lower-cased text when that is equivalent, and are compiled when first needed. Only
matches are mapped back to their block and sentence for the negation and hedge checks.

Negation follows NegEx (Chapman et al., 2001): a trigger ("not", "no evidence",
"cannot"...) before the match in the same sentence, within a window of words and not
cut off by a terminator ("but", "however"...), negates it; so do a few triggers just
after it ("is a myth"). A negation inside the matched phrase itself ("no side effects")
is part of the claim and never negates it. Hedges ("may", "can help", "most patients")
and questions lower the severity, or suppress the match, as the rule chooses.
"""

from __future__ import annotations

import bisect
import functools
import re
from collections.abc import Iterator
from typing import ClassVar

import regex

from healthlint.cache import persisted, re_compile, regex_compile
from healthlint.kinds import Kind
from healthlint.model import Block, Document, Finding, Prose, Severity
from healthlint.packs import Rule, RuleOptionError
from healthlint.vocabulary import vocabulary

_HANDLING = {"enum": ["suppress", "downgrade", "ignore"]}
_STRINGS = {"type": "array", "items": {"type": "string", "minLength": 1}}

# NegEx trigger lists (Chapman et al. 2001), extended for health marketing copy.
# Weak triggers are the plain negators; they govern a few words and stop at a new
# clause. Strong triggers deny or distance the whole statement that follows ("no
# evidence that", "some clinics claim") and reach further. Reported claims ("marketed
# as", "beware of") negate like "not" does: the writer does not assert them.
_WEAK_NEGATION = (
    r"no|not|never|cannot|can\s*not|can't|isn't|aren't|wasn't|weren't|doesn't|don't|didn't|"
    r"won't|wouldn't|shouldn't|nor|neither|there\s+is\s+no|there\s+are\s+no|nothing|"
    r"rarely|none(?:\s+of)?|no\s+one|nobody|avoid"
)
_STRONG_NEGATION = (
    r"no\s+(?:good\s+|strong\s+|scientific\s+|clinical\s+|reliable\s+)?(?:evidence|proof)|"
    r"lack\s+of\s+evidence|little\s+evidence|fails?\s+to|failed\s+to|unlikely\s+to|"
    r"beware\s+of|wary\s+of|be\s+skeptical\s+of|skeptical|sceptical|"
    r"claim(?:s|ed|ing)?|(?:market|advertis|tout|promot|bill|pitch)(?:e|es|s|ed|ing)?\s+(?:\w+\s+)?as|"
    r"sold\s+as|so-called|myths?|wrong|incorrect|inaccurate|mistaken|"
    r"(?:once|long|widely|previously|commonly)\s+(?:believed|thought)|used\s+to\s+(?:believe|think)|"
    r"question\s+whether|doubts?|false(?:ly)?|misleading|untrue"
)
_PSEUDO_NEGATION = (
    r"not\s+only|not\s+just|no\s+doubt|without\s+a\s+doubt|beyond\s+(?:any\s+)?doubt|"
    r"no\s+wonder|nothing\s+but|not\s+necessarily|not\s+to\s+mention|if\s+not|no\s+longer|"
    r"no\s+need\s+to\s+worry|no\s+matter|none\s+other\s+than|second\s+to\s+none"
)
_POST_NEGATION = (
    r"is\s+a\s+myth|are\s+a\s+myth|is\s+false|is\s+untrue|is\s+not\s+true|isn't\s+true|"
    r"is\s+unproven|are\s+unproven|"
    r"(?:has|have)\s+not\s+(?:yet\s+)?been\s+(?:shown|proven|found|established|demonstrated)|"
    r"(?:is|are)\s+yet\s+to\s+be\s+(?:shown|proven|found)|is\s+misleading|are\s+misleading|"
    r"is\s+exaggerated|are\s+exaggerated|is\s+not\s+supported|are\s+not\s+supported"
)
# A sentence opened by a verdict label ("Myth: ...") is the writer's denial of it.
_VERDICT_LABEL = r"(?:myth|false|fiction|misconception|fake|wrong)\s*(?:#\s*\d+\s*)?[:—–]"
_TERMINATOR = r"\b(?:but|however|although|though|yet|except|whereas|while|still)\b|[;:—–]| - "
# A comma + conjunction that opens a new clause ends a weak negation or a hedge: in
# "it is not invasive, and it is completely safe" the "not" says nothing of "safe".
# A bare list (", effective, or risk-free") stays in scope: "no treatment is
# completely safe, effective, or risk-free" is one denial.
_CLAUSE_BREAK = (
    r",\s*(?:and|or|but|plus|so)\s+(?:it|it's|this|that|these|they|you|we|patients?|people|"
    r"there|is|are|has|have|was|were|will|can|no|never|zero|without)\b"
)
# A claim that carries its own negation ("no downtime") in a list of parallel negatives
# ("no anesthesia, no injections, and no downtime") is not governed by the earlier ones.
_LIST_BREAK = r"[,;&+/]|\b(?:and|or|plus|nor)\b"
# The list a match ends, to be skipped when counting a trigger's window: ", effective, or ".
_LIST_TAIL = (
    r"(?:(?:,\s*|\s+(?:and|or|nor)\s+)[\w'’-]+(?:\s+[\w'’-]+)?)*"
    r",?\s*(?:\b(?:and|or|nor)\s*)?$"
)
# A verb just before "not" makes it negate a predicate, with any list that follows.
_AUX_BEFORE = (
    r"\b(?:is|are|was|were|be|been|am|do|does|did|will|would|can|could|should|may|might|"
    r"must|has|have|had)\s+$"
)
_INNER_NEGATION = r"\b(?:no|not|never|zero|without|none|nothing|nor|neither)\b|n't\b"
_HEDGE_BEFORE = (
    r"may|might|could|possibly|potentially|likely|probably|appears?\s+to|seems?\s+to|"
    r"suggests?|indicates?|preliminary|generally|usually|typically|often|tends?\s+to|"
    r"can\s+(?:help|reduce|improve|relieve|ease|support|lower|aid)|"
    r"(?<!\bour\s)(?<!\byour\s)(?<!\bfor\s)(?<!\bwith\s)(?<!\bget\s)helps?(?!\s*[,.;:!?])|"
    r"in\s+some\s+(?:people|cases|patients)|(?:most|many|some)\s+(?:patients|people|adults|users|cases)"
)
# An approximator right before the claim limits it: "virtually no risk", "little or no
# downtime", "almost painless".
_APPROXIMATOR = (
    r"\b(?:virtually|almost|nearly|practically|relatively|largely|mostly|essentially|"
    r"little\s+(?:or|to)|few\s+(?:or|to)|next\s+to)\W+(?:\w+\W+)?$"
)
_HEDGE_AFTER = r"for\s+(?:most|many|some)\b|in\s+(?:most|many|some)\s+(?:people|cases|patients)"

_FLAGS = regex.IGNORECASE | regex.V0
_WEAK_NEG_RE = regex_compile(rf"\b(?:{_WEAK_NEGATION})\b", _FLAGS)
_STRONG_NEG_RE = regex_compile(rf"\b(?:{_STRONG_NEGATION})\b", _FLAGS)
_PSEUDO_RE = regex_compile(rf"\b(?:{_PSEUDO_NEGATION})\b", _FLAGS)
_POST_NEG_RE = regex_compile(rf"^\W*(?:\w+\W+){{0,4}}?(?:{_POST_NEGATION})\b", _FLAGS)
_VERDICT_RE = regex_compile(rf"^\W*{_VERDICT_LABEL}", _FLAGS)
_TERMINATOR_RE = regex_compile(_TERMINATOR, _FLAGS)
_CLAUSE_BREAK_RE = regex_compile(_CLAUSE_BREAK, _FLAGS)
_LIST_BREAK_RE = regex_compile(_LIST_BREAK, _FLAGS)
_INNER_NEG_RE = regex_compile(_INNER_NEGATION, _FLAGS)
_LIST_TAIL_RE = regex_compile(_LIST_TAIL, _FLAGS)
_AUX_BEFORE_RE = regex_compile(_AUX_BEFORE, _FLAGS)
_HEDGE_BEFORE_RE = regex_compile(rf"\b(?:{_HEDGE_BEFORE})\b", _FLAGS)
_APPROXIMATOR_RE = regex_compile(_APPROXIMATOR, _FLAGS)
_HEDGE_AFTER_RE = regex_compile(rf"^\W*(?:\w+\W+){{0,2}}?(?:{_HEDGE_AFTER})", _FLAGS)
_WORD_RE = regex_compile(r"\w+(?:['’]\w+)?")

#: words after a strong trigger that it still governs (weak ones: `negation_window`)
STRONG_WINDOW = 12
#: words after a hedge cue that it still qualifies
HEDGE_WINDOW = 8
#: how cells of one table row are joined for `table_rows` rules
ROW_SEPARATOR = " | "

_DASHES = "-‐‑–"


@persisted("pattern.phrase_to_regex")
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


# Syntax the `regex` module reads differently from the stdlib parser used below (which
# would take it for literal text): POSIX classes "[[:alpha:]]" and fuzzy constraints
# "(?:word){e<=1}". A pattern using them gets no prefilter.
_REGEX_ONLY_SYNTAX = re_compile(r"\[:|(?<!\\)\{(?!\d*(?:,\d*)?\})")

# Words too frequent in health articles (or inside frequent words: "prove" in "improve")
# to be good anchors: a clause of them is chosen only when a pattern offers nothing rarer.
_COMMON_WORDS = frozenset(
    """the and for with that this are was not you your can all more most time pain back
    treatment therapy laser patients patient people health care effects effect side relief
    free safe safety risk risks body help helps may will what how from have has been also
    which their they them into about other some many after before during over each such
    when where there these those than then one two three long term well good new use used
    using make like just only very even might could would should our out its it's here
    session sessions results result work works need needs get gets ever once life prove
    name number link date title place include minutes day days week weeks""".split()
)
#: in clause_cost, what a common word costs compared with one more literal to look for
_COMMON_PENALTY = 12


@functools.lru_cache(maxsize=2048)
def _parsed(pattern: str):
    """The stdlib parser's tree for `pattern`, or None when it cannot parse it or would
    misread it (syntax of the `regex` module). Parsed once for all the analyses below."""
    if _REGEX_ONLY_SYNTAX.search(pattern):
        return None
    try:
        from re import _parser as sre_parse  # type: ignore[attr-defined]
    except ImportError:  # Python < 3.11
        import sre_parse  # type: ignore[no-redef]
    try:
        return sre_parse.parse(pattern)
    except (re.error, OverflowError, RecursionError, ValueError):
        return None


@persisted("pattern._foldable")
def _foldable(pattern: str) -> bool:
    """Whether `pattern` matched without IGNORECASE on lower-cased text finds what it
    finds with IGNORECASE on the original: ASCII, no upper-case letter other than an
    escape (\\S, \\W, \\B...), no way to name a character by code, no flag turned off;
    other characters only if they have no case (’, —)."""
    if "(?-" in pattern or any(
        not ch.isascii() and (ch.lower() != ch or ch.upper() != ch) for ch in pattern
    ):
        return False
    escaped = False
    for i, ch in enumerate(pattern):
        if escaped:
            if ch in "xuUN0" or ch in "pP":
                return False
            escaped = False
        elif ch == "\\":
            escaped = True
        elif ch.isupper() and not (ch == "P" and pattern[i - 2 : i] == "(?"):
            return False
    return True


@persisted("pattern._literal_led")
def _literal_led(pattern: str) -> bool:
    """Whether every match starts with a literal (after look-arounds, word boundaries
    and group openings) of two or more characters, or a symbol such as "[" or "(": the
    regex engine then finds candidates by fast substring search."""
    parsed = _parsed(pattern)
    if parsed is None:
        return False
    items = list(parsed)
    while items:
        name = str(items[0][0])
        if name in ("AT", "ASSERT", "ASSERT_NOT"):
            items = items[1:]
        elif name == "SUBPATTERN":
            items = list(items[0][1][-1]) + items[1:]
        else:
            break
    lead = _leading_literal(items)
    return len(lead) >= 2 or (len(lead) == 1 and not (lead.isalnum() or lead.isspace()))


@persisted("pattern._syntax_error")
def _syntax_error(pattern: str, flags: int) -> str | None:
    """Why `pattern` does not compile, or None. The stdlib parser is several times
    faster than compiling with `regex`, which is asked only about what it rejects
    (syntax of the `regex` module such as \\p{L})."""
    if _parsed(pattern) is not None:
        return None
    try:
        regex.compile(pattern, flags)
    except regex.error as exc:
        return str(exc)
    return None


@persisted("pattern.covers")
def covers(pattern: str, keywords: tuple[str, ...]) -> bool:
    """Whether every match of `pattern` contains one of `keywords` (lower-case), as far
    as its literal text shows; False when that cannot be shown."""
    parsed = _parsed(pattern)
    return parsed is not None and _seq_covers(list(parsed), keywords)


def _seq_covers(items: list, keywords: tuple[str, ...]) -> bool:
    run: list[str] = []

    def has(text: str) -> bool:
        text = text.lower()
        return any(k in text for k in keywords)

    for op, av in items:
        name = str(op)
        if name == "LITERAL":
            run.append(chr(av))
            if has("".join(run)):
                return True
            continue
        char, low, high = _repeated_char(op, av)
        if char:  # "XX+": the X's extend the run, and a variable count restarts it
            run.extend(char * low)
            if has("".join(run)):
                return True
            if high != low:
                run[:] = [char] * low
            continue
        prefix = "".join(run)
        run.clear()
        if name == "SUBPATTERN" and _seq_covers(list(av[-1]), keywords):
            return True
        if name == "BRANCH" and all(
            _seq_covers(list(b), keywords) or has(prefix + _leading_literal(list(b)))
            for b in av[1]
        ):
            return True
        if name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT") and av[0] >= 1:
            if _seq_covers(list(av[2]), keywords):
                return True
    return False


@persisted("pattern.literal_clauses")
def literal_clauses(pattern: str) -> list[list[str]] | None:
    """What every match of `pattern` must contain, as clauses: each match holds one
    literal of every clause. Literals are lower-cased (to be looked up in lower-cased
    text) and at least 3 characters long (2 if both are symbols, as in "{{"); None when
    nothing can be derived.

    Literals with non-ASCII letters are dropped: the regex engine's case folding and
    str.lower() disagree on some of them (final sigma, micro sign). For ASCII literals
    they disagree on two letters only: the archaic long s (U+017F), which case-insensitive
    matching takes for "s", and the Turkish dotted capital I (U+0130), taken for "i";
    words spelt with them are missed.
    """
    parsed = _parsed(pattern)
    if parsed is None:
        return None
    clauses = [c for c in _seq_clauses(list(parsed)) if _usable(c)]
    if not clauses:
        return None
    return [sorted({s.lower() for s in c}) for c in clauses]


def required_literals(pattern: str) -> list[str] | None:
    """The clause of literal_clauses(pattern) that is cheapest to search for, or None."""
    clauses = literal_clauses(pattern)
    return min(clauses, key=clause_cost) if clauses else None


def clause_cost(clause: list[str]) -> tuple[int, int]:
    """How much work a clause used as anchor costs: one substring scan per literal, and
    a common word puts most blocks through the full pattern."""
    weight = sum(
        1 + (_COMMON_PENALTY if s.lower() in _COMMON_WORDS or len(s) < 4 else 0) for s in clause
    )
    return weight, -min(len(s) for s in clause)


def _usable(clause: list[str]) -> bool:
    """Literals of 3+ characters, or 2 symbols ("{{"), all ASCII (see literal_clauses)."""
    return bool(clause) and all(s.isascii() and (len(s) >= 3 or _symbols(s)) for s in clause)


def _symbols(s: str) -> bool:
    return len(s) == 2 and not any(c.isalnum() or c.isspace() for c in s)


def _repeated_char(op, av) -> tuple[str, int, int]:
    """(character, min, max) of a repeat of one literal character such as "X{2,}" or
    "X+"; ("", 0, 0) for anything else."""
    if str(op) in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT") and av[0] >= 1:
        sub = list(av[2])
        if len(sub) == 1 and str(sub[0][0]) == "LITERAL":
            return chr(sub[0][1]), av[0], av[1]
    return "", 0, 0


def _leading_literal(items: list) -> str:
    out = []
    for op, av in items:
        if str(op) != "LITERAL":
            break
        out.append(chr(av))
    return "".join(out)


def _seq_clauses(items: list) -> list[list[str]]:
    """Clauses of literals required by a sequence of parsed regex items."""
    clauses: list[list[str]] = []
    run: list[str] = []

    def close_run() -> None:
        if run:
            clauses.append(["".join(run)])
            run.clear()

    for op, av in items:
        name = str(op)
        if name == "LITERAL":
            run.append(chr(av))
            continue
        char, low, high = _repeated_char(op, av)
        if char:  # "XX+": the X's extend the run, and a variable count restarts it
            run.extend(char * low)
            if high != low:
                close_run()
                run.extend(char * low)
            continue
        prefix = "".join(run)
        close_run()
        if name == "SUBPATTERN":
            clauses.extend(_seq_clauses(list(av[-1])))
        elif name == "BRANCH":
            # one literal from each alternative: the cheapest clause of each
            alts: list[str] = []
            for branch in av[1]:
                usable = [c for c in _seq_clauses(list(branch)) if _usable(c)]
                if not usable:
                    alts = []
                    break
                alts.extend(min(usable, key=clause_cost))
            if alts:
                clauses.append(alts)
            # the parser factors a shared prefix out of the alternatives ("for life|forever"
            # becomes "for" + "( life|ever)"): the prefix joined to each alternative's
            # leading literal is a rarer clause than either part
            if prefix:
                clauses.append([prefix + _leading_literal(list(branch)) for branch in av[1]])
        elif name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT") and av[0] >= 1:
            clauses.extend(_seq_clauses(list(av[2])))
    close_run()
    return clauses


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
        "negation_window": {"type": "integer", "minimum": 0, "maximum": 20,
                            "description": "Words a plain negator (no, not, never) governs "
                                           "(default 5)."},
        "hedge": {**_HANDLING,
                  "description": "What a hedge before the match does (default downgrade)."},
        "question": {**_HANDLING,
                     "description": "What a question sentence does (default downgrade)."},
        "limit": {"type": "integer", "minimum": 1,
                  "description": "At most this many findings per file."},
        "keywords": {"type": "array", "items": {"type": "string", "minLength": 1},
                     "description": "Words one of which every match contains (checked when "
                                    "the rule is loaded); only blocks holding one are "
                                    "matched. Default: derived from each pattern."},
        "anchors": {"type": "array", "items": {"type": "string", "minLength": 1},
                    "description": "Words (whole, any case) or symbols one of which every "
                                   "match contains: the expression then runs only in windows "
                                   "around them (much faster for broad patterns)."},
        "anchor_pattern": {"type": "string", "minLength": 1,
                           "description": "A fast regex whose hits are anchors too (for "
                                          "matches without a fixed word, e.g. digits)."},
        "anchor_window": {"type": "integer", "minimum": 10, "maximum": 5000,
                          "description": "Characters searched each side of an anchor "
                                         "(default 80)."},
        "table_rows": {"type": "boolean",
                       "description": "Also match each table row as its cells joined by ' | ' "
                                      "(for readers that split rows into cells)."},
        "terms": {"type": "object", "additionalProperties": _STRINGS,
                  "description": "Named phrase lists (data, such as a disease list); `{name}` "
                                 "in a pattern or exception matches any phrase of the list."},
        "block_exceptions": {**_STRINGS,
                             "description": "Regexes; a match is not reported when its block "
                                            "contains one anywhere (a disclaimer, a caveat)."},
        "prefixes": {**_STRINGS,
                     "description": "Word beginnings, one of which starts a word of every "
                                    "match: a document with no word starting so is skipped "
                                    "at once, and only the blocks holding one are matched "
                                    "(cheaper than keywords for long lists)."},
    }
    message_fields = ("match",)

    def __init__(self, rule: Rule) -> None:
        super().__init__(rule)
        opts = rule.options
        terms = opts.get("terms") or {}
        phrases = list(opts.get("phrases", ()))
        patterns = [_expand_terms(p, terms) for p in opts.get("patterns", ())]
        if not phrases and not patterns:
            raise RuleOptionError("phrases", "a pattern rule needs `phrases` or `patterns`")
        self.case_sensitive = bool(opts.get("case_sensitive", False))
        # Case-insensitive rules scan the lower-cased text without the (several times
        # slower) IGNORECASE flag, when their patterns mean the same there.
        self.on_folded = not self.case_sensitive and all(_foldable(p) for p in patterns)
        flags = regex.V0 | (0 if self.case_sensitive or self.on_folded else regex.IGNORECASE)
        #: word beginnings checked against the document's vocabulary before anything else
        self.prefixes = tuple(p.lower() for p in opts.get("prefixes", ()))
        given = tuple(k.lower() for k in opts.get("keywords", ())) or self.prefixes
        sources = [phrase_to_regex(p.lower() if self.on_folded else p) for p in phrases]
        for p in phrases:
            words = regex.findall(r"\w+", p.lower())
            if given and not any(k in w for w in words for k in given):
                key = "keywords" if opts.get("keywords") else "prefixes"
                raise RuleOptionError(key, f"phrase {p!r} contains none of the {key}")
        for i, pat in enumerate(patterns):
            problem = _syntax_error(pat, flags)
            if problem:
                raise RuleOptionError(
                    "patterns", f"pattern {i + 1} does not compile: {problem}: {pat!r}"
                )
            if given and not covers(pat, given):
                key = "keywords" if opts.get("keywords") else "prefixes"
                raise RuleOptionError(
                    key, f"pattern {i + 1} can match text with none of the {key}: {pat!r}"
                )
        # Patterns are compiled when first needed (regex compilation is the costly part
        # of loading a pack): a run never compiles rules whose anchors do not occur.
        phrase_rx = ["|".join(f"(?:{s})" for s in sources)] if phrases else []
        self.units: list[_Unit] = []
        if given:
            # every pattern runs in the blocks holding a keyword
            # (a single pattern that opens with a literal is found faster by the regex
            # engine itself than by a search for the keywords and then the pattern)
            self.units.append(_Unit(
                tuple(phrase_rx + patterns), flags, given,
                not phrases and len(patterns) == 1 and _literal_led(patterns[0]),
            ))
        else:
            # each pattern on its own, in the blocks holding its own anchor words: one
            # pattern with a common anchor then does not make the others scan everything
            if phrases:
                self.units.append(_Unit(tuple(phrase_rx), flags, self._phrase_anchors(phrases)))
            for pat in patterns:
                lits = required_literals(pat)
                self.units.append(
                    _Unit((pat,), flags, tuple(lits) if lits else None, _literal_led(pat))
                )
        anchors = [u.anchors for u in self.units]
        #: every anchor word, None if some pattern has none (informative)
        self.keywords = None if None in anchors else tuple(sorted({k for a in anchors for k in a}))
        #: False matches every block (tests compare the two)
        self.prefilter = True
        self._exception_sources = tuple(_expand_terms(p, terms) for p in opts.get("exceptions", ()))
        self._block_exception_sources = tuple(
            _expand_terms(p, terms) for p in opts.get("block_exceptions", ())
        )
        self._exception_flags = regex.V0 | (0 if self.case_sensitive else regex.IGNORECASE)
        self._exceptions: list[regex.Pattern] | None = None
        self._block_exceptions: list[regex.Pattern] = []
        for key, name, sources in (("exceptions", "exception", self._exception_sources),
                                   ("block_exceptions", "block exception",
                                    self._block_exception_sources)):
            for i, pat in enumerate(sources):
                problem = _syntax_error(pat, self._exception_flags)
                if problem:
                    raise RuleOptionError(
                        key, f"{name} {i + 1} does not compile: {problem}: {pat!r}"
                    )
        self.negation = bool(opts.get("negation", True))
        self.window = int(opts.get("negation_window", 5))
        self.hedge = opts.get("hedge", "downgrade")
        self.question = opts.get("question", "downgrade")
        self.limit = opts.get("limit")
        self.table_rows = bool(opts.get("table_rows", False))
        self.scope = frozenset(rule.scope) if rule.scope else None
        self.anchors = None
        self.anchor_re = None
        if opts.get("anchors") or opts.get("anchor_pattern"):
            from healthlint.kinds.anchors import Anchors

            self.anchors = Anchors(opts.get("anchors", ()), int(opts.get("anchor_window", 80)))
            if opts.get("anchor_pattern"):
                problem = _syntax_error(opts["anchor_pattern"], regex.V0)
                if problem:
                    raise RuleOptionError("anchor_pattern", f"does not compile: {problem}")
                self.anchor_re = regex_compile(opts["anchor_pattern"], regex.V0)

    def _phrase_anchors(self, phrases: list[str]) -> tuple[str, ...] | None:
        """The cheapest word of each phrase: words are required, the spaces and hyphens
        between them are flexible."""
        words: set[str] = set()
        for p in phrases:
            found = [w for w in regex.findall(r"\w+", p.lower()) if len(w) >= 3]
            if not self.on_folded and not self.case_sensitive:
                found = [w for w in found if w.isascii()]  # see literal_clauses
            if not found:
                return None
            words.update(min(([w] for w in found), key=clause_cost))
        return tuple(sorted(words))

    def check(self, doc: Document) -> Iterator[Finding]:
        prose = doc.prose
        folded = prose.folded
        present = None
        if self.prefixes and self.prefilter:
            present = tuple(vocabulary(doc).present(self.prefixes))
            if not present:
                return
        caseless = self.on_folded and folded is None  # lower() changed the text's length
        text = folded if self.on_folded and folded is not None else prose.text
        hits: list[tuple[int, int, int, int, int]] = []  # prose start, rank, block, start, end
        seen = _literal_blocks(prose)
        windows = None
        if self.anchors is not None and self.prefilter and folded is not None:
            # anchored rules run only in windows around their anchor words
            found = self.anchors.hits(doc)
            if self.anchor_re is not None:
                found += [m.start() for m in self.anchor_re.finditer(prose.text)]
            windows = self.anchors.ranges(found, text)
        # the rank of a unit (its place in the rule) decides between overlapping matches
        for rank, unit in enumerate(self.units):
            if windows is not None:
                ranges = windows
            elif not self.prefilter or unit.anchors is None or unit.direct:
                ranges = [(0, len(text))]
            elif folded is None:  # the lower-cased copy has other offsets: check, scan all
                if not any(k in prose.text.lower() for k in unit.anchors):
                    continue
                ranges = [(0, len(text))]
            else:
                anchors = present if present is not None else unit.anchors
                hit = _blocks_holding(folded, anchors, prose, seen)
                if not hit:
                    continue
                ranges = _ranges(hit, prose)
            pattern = unit.scanner(caseless)
            for lo, hi in ranges:
                for index, start, end in self._prose_matches(pattern, text, prose, lo, hi):
                    hits.append((prose.starts[index] + start, rank, index, start, end))
        emitted = 0
        for index, start, end in _first_of_overlapping(hits):
            block = prose.blocks[index]
            if self.scope is not None and block.scope not in self.scope:
                continue
            if block.scope == "front_matter" and self.scope is None:
                continue
            key = (self, block.text, start, end)
            severity = _VERDICTS.get(key, _UNKNOWN)
            if severity is _UNKNOWN:
                severity = self._severity(block, start, end)
                if len(_VERDICTS) >= _VERDICTS_MAX:
                    _VERDICTS.clear()
                _VERDICTS[key] = severity
            if severity is None:
                continue
            yield self.finding(doc, *block.source_span(start, end), severity=severity)
            emitted += 1
            if self.limit and emitted >= self.limit:
                return
        if not self.table_rows or (self.scope is not None and "table_cell" not in self.scope):
            return
        for row, ends in _table_rows(prose.blocks):
            row_text = row.text.lower() if self.on_folded else row.text
            row_caseless = len(row_text) != len(row.text)
            if row_caseless:
                row_text = row.text
            row_hits = []
            for rank, unit in enumerate(self.units):
                for m in unit.scanner(row_caseless).finditer(row_text):
                    start, end = self._span(m)
                    if end > start:
                        row_hits.append((start, rank, 0, start, end))
            for _, start, end in _first_of_overlapping(row_hits):
                if _within_one_cell(ends, start, end):
                    continue  # a match inside one cell was found with the prose
                severity = self._severity(row, start, end)
                if severity is None:
                    continue
                yield self.finding(doc, *row.source_span(start, end), severity=severity)
                emitted += 1
                if self.limit and emitted >= self.limit:
                    return

    def _span(self, m: regex.Match) -> tuple[int, int]:
        if "span" in m.re.groupindex and m.start("span") >= 0:
            return m.span("span")
        return m.span()

    def _prose_matches(
        self, pattern: regex.Pattern, text: str, prose: Prose, lo: int, hi: int
    ) -> Iterator[tuple[int, int, int]]:
        """(block index, start, end) of each match in text[lo:hi], offsets into the
        block's text.

        The prose joins blocks with a blank line, which a pattern's whitespace can
        cross. A match that runs past the end of its block is not reported; the
        search then resumes inside that block, bounded by its end, so a shorter match
        in the same place or a later one in the block is not lost.
        """
        blocks, starts = prose.blocks, prose.starts
        pos = lo
        while pos <= hi:
            m = pattern.search(text, pos, hi)
            if m is None:
                return
            index, offset = prose.locate(m.start())
            block_end = starts[index] + len(blocks[index].text)
            if m.end() > block_end:
                if m.start() >= block_end:  # began in the gap between blocks
                    pos = m.start() + 1
                    continue
                m = pattern.search(text, m.start(), block_end)
                if m is None:
                    pos = starts[index + 1] if index + 1 < len(blocks) else hi + 1
                    continue
            pos = m.end() if m.end() > m.start() else m.start() + 1
            start, end = self._span(m)
            if end > start:
                yield index, start - starts[index], end - starts[index]

    def _severity(self, block: Block, start: int, end: int) -> Severity | None:
        """The severity for a match at block.text[start:end], or None to drop it."""
        text = block.text
        if self._exceptions is None:
            self._exceptions = [
                regex_compile(p, self._exception_flags) for p in self._exception_sources
            ]
            self._block_exceptions = [
                regex_compile(p, self._exception_flags) for p in self._block_exception_sources
            ]
        for exc in self._exceptions:
            for em in exc.finditer(text):
                if em.start() < end and start < em.end():
                    return None
        if any(exc.search(text) for exc in self._block_exceptions):
            return None
        s_start, s_end = _sentence_of(block, start)
        severity = self.rule.severity
        before = text[s_start:start]
        last_cut = None
        for last_cut in _TERMINATOR_RE.finditer(before):  # noqa: B007 - the last one
            pass
        if last_cut is not None:
            before = before[last_cut.end():]
        after = rest = text[end:s_end]
        first_cut = _TERMINATOR_RE.search(after)
        if first_cut:
            after = after[: first_cut.start()]
        if self.negation:
            inner = _INNER_NEG_RE.search(text, start, end) is not None
            if (
                _VERDICT_RE.match(text, s_start)
                or self._negated_before(before, inner)
                # within its few words, not cut at "yet": "has not yet been found"
                or _POST_NEG_RE.search(rest)
            ):
                return None
        if self.hedge != "ignore" and (_hedged_before(before) or _HEDGE_AFTER_RE.search(after)):
            if self.hedge == "suppress":
                return None
            severity = severity.lowered()
        if self.question != "ignore" and _is_question(text[s_start:s_end]):
            if self.question == "suppress":
                return None
            severity = severity.lowered()
        return severity

    def _negated_before(self, before: str, inner: bool) -> bool:
        """Whether a trigger in `before` (the sentence up to the match, cut at the last
        terminator) negates the match. `inner`: the match carries its own negation."""
        pseudo = [m.span() for m in _PSEUDO_RE.finditer(before)]

        def live(m: regex.Match) -> bool:
            return not any(ps < m.end() and m.start() < pe for ps, pe in pseudo)

        strong_window = max(self.window, STRONG_WINDOW)
        for m in _STRONG_NEG_RE.finditer(before):
            if live(m) and len(_WORD_RE.findall(before, m.end())) <= strong_window:
                return True
        # The window is counted up to the list the match ends: in "no treatment is
        # completely safe, effective, or risk-free" the "no" reaches "risk-free".
        reach = _LIST_TAIL_RE.search(before, max(0, len(before) - 200)).start()
        for m in _WEAK_NEG_RE.finditer(before):
            words = len(_WORD_RE.findall(before, m.end(), max(reach, m.end())))
            if not live(m) or words > self.window:
                continue
            if _CLAUSE_BREAK_RE.search(before, m.end()):
                continue
            item_end = _LIST_BREAK_RE.search(before, m.end())
            if item_end and (inner or _negates_one_item(before, m, item_end.start())):
                continue
            return True
        return False


def _negates_one_item(before: str, trigger: regex.Match, item_end: int) -> bool:
    """Whether a weak trigger negates only a short list item before a separator: "no
    needles, no drugs, and instant relief", "not invasive, fast and 100% safe". A "not"
    after a verb ("is not safe, effective, or risk-free") negates the whole list."""
    if len(_WORD_RE.findall(before, trigger.end(), item_end)) > 2:
        return False
    if trigger.group().lower() != "not":
        return not trigger.group().lower().endswith(("n't", "not"))
    return _AUX_BEFORE_RE.search(before, 0, trigger.start()) is None


def _hedged_before(before: str) -> bool:
    if _APPROXIMATOR_RE.search(before):
        return True
    for m in _HEDGE_BEFORE_RE.finditer(before):
        if len(_WORD_RE.findall(before, m.end())) <= HEDGE_WINDOW and not _CLAUSE_BREAK_RE.search(
            before, m.end()
        ):
            return True
    return False


def _is_question(sentence: str) -> bool:
    return sentence.rstrip().rstrip("\"'”’)]*_ ").endswith("?")


def _sentence_of(block: Block, offset: int) -> tuple[int, int]:
    spans = block.sentences()
    starts = [s for s, _ in spans]
    i = bisect.bisect_right(starts, offset) - 1
    if i < 0:
        return 0, spans[0][1] if spans else len(block.text)
    return spans[i]


# A match's severity depends only on its block's text (sentence, negation, hedges,
# exceptions): remembered by text, since a paragraph recurs across the pages of a run
# (a call to action, a disclaimer, a pasted section). Bounded: cleared when full.
_VERDICTS: dict[tuple[Kind, str, int, int], Severity | None] = {}
_VERDICTS_MAX = 20000
_UNKNOWN = object()

_NO_BLOCKS: frozenset[int] = frozenset()


def _blocks_holding(
    folded: str, literals: tuple[str, ...], prose: Prose, seen: dict[str, frozenset[int]]
) -> frozenset[int]:
    """Indexes of the blocks that contain one of `literals`, found with C-speed substring
    search; `seen` caches each literal's blocks for the other rules. A match lies in one
    block and contains a literal, so only these blocks need the full pattern."""
    hit: frozenset[int] = _NO_BLOCKS
    for lit in literals:
        found = seen.get(lit)
        if found is None:
            i = folded.find(lit)
            if i < 0:
                found = _NO_BLOCKS
            else:
                starts, last = prose.starts, len(prose.starts) - 1
                find, locate = folded.find, bisect.bisect_right
                blocks = []
                while i >= 0:
                    k = locate(starts, i) - 1
                    blocks.append(k)
                    # the rest of this block is a candidate already: go on from the next one
                    i = find(lit, starts[k + 1]) if k < last else -1
                found = frozenset(blocks)
            seen[lit] = found
        if found:
            hit = hit | found if hit else found
    return hit


def _ranges(hit: frozenset[int], prose: Prose) -> list[tuple[int, int]]:
    """Spans of the prose covering the blocks in `hit`, neighbours merged."""
    starts, blocks = prose.starts, prose.blocks
    ranges: list[tuple[int, int]] = []
    for k in sorted(hit):
        end = starts[k] + len(blocks[k].text)
        if ranges and k - 1 in hit:
            ranges[-1] = (ranges[-1][0], end)
        else:
            ranges.append((starts[k], end))
    return ranges


# The blocks where each anchor literal occurs, for the document being linted: rules
# check one document after another and share many anchors ("completely", "safe").
_LAST: tuple[Prose | None, dict[str, frozenset[int]]] = (None, {})


def _literal_blocks(prose: Prose) -> dict[str, frozenset[int]]:
    global _LAST
    owner, blocks = _LAST
    if owner is not prose:
        blocks = {}
        _LAST = (prose, blocks)
    return blocks


def _first_of_overlapping(
    hits: list[tuple[int, int, int, int, int]],
) -> Iterator[tuple[int, int, int]]:
    """(block, start, end) of the hits in text order, leaving out any that overlaps an
    earlier one (the first pattern wins at the same place), as one alternation would."""
    hits.sort()
    last_end = -1
    for prose_start, _, index, start, end in hits:
        if prose_start < last_end:
            continue
        last_end = prose_start + (end - start)
        yield index, start, end


class _Unit:
    """Patterns (all phrases make one) with the words that anchor them."""

    __slots__ = ("sources", "flags", "anchors", "direct", "_compiled")

    def __init__(
        self,
        sources: tuple[str, ...],
        flags: int,
        anchors: tuple[str, ...] | None,
        direct: bool = False,
    ) -> None:
        self.sources = sources
        self.flags = flags
        self.anchors = anchors
        #: the pattern opens with a literal, which the regex engine itself finds faster
        #: than a search for the anchors would
        self.direct = direct
        self._compiled: dict[bool, regex.Pattern] = {}

    def scanner(self, caseless: bool) -> regex.Pattern:
        """The compiled pattern (several as one alternation: one search per candidate
        block instead of one per pattern), compiled when first needed; made
        case-insensitive for text whose lower-cased copy is unusable."""
        found = self._compiled.get(caseless)
        if found is None:
            flags = self.flags | (regex.IGNORECASE if caseless else 0)
            source = self.sources[0] if len(self.sources) == 1 else "|".join(
                f"(?:{s})" for s in self.sources
            )
            found = self._compiled[caseless] = regex_compile(source, flags)
        return found



def _table_rows(blocks: tuple[Block, ...]) -> Iterator[tuple[Block, list[int]]]:
    """Each run of table cells sharing a group, as one synthetic block whose text is
    the cells joined by ROW_SEPARATOR and whose map points into the cells' sources,
    with the offset where each cell ends in that text."""
    i, n = 0, len(blocks)
    while i < n:
        first = blocks[i]
        if first.scope != "table_cell" or first.group is None:
            i += 1
            continue
        j = i + 1
        while j < n and blocks[j].scope == "table_cell" and blocks[j].group == first.group:
            j += 1
        if j - i > 1:
            yield _join_cells(blocks[i:j])
        i = j


def _join_cells(cells: tuple[Block, ...]) -> tuple[Block, list[int]]:
    parts: list[str] = []
    seg_text: list[int] = []
    seg_src: list[int] = []
    ends: list[int] = []
    length = 0
    for k, cell in enumerate(cells):
        if k:
            # the separator stands for the last character of the previous cell
            at = cells[k - 1].source_end - 1
            seg_text.append(length)
            seg_src.append(at)
            parts.append(ROW_SEPARATOR)
            length += len(ROW_SEPARATOR)
            # one segment per separator character, all pointing at `at`
            for extra in range(1, len(ROW_SEPARATOR)):
                seg_text.append(length - len(ROW_SEPARATOR) + extra)
                seg_src.append(at)
        seg_text.extend(length + t for t in cell.seg_text)
        seg_src.extend(cell.seg_src)
        parts.append(cell.text)
        length += len(cell.text)
        ends.append(length)
    row = Block("table_cell", "".join(parts), seg_text, seg_src, (), 0, cells[0].group)
    return row, ends


def _within_one_cell(ends: list[int], start: int, end: int) -> bool:
    """Whether the row text span [start, end) lies inside one cell."""
    k = bisect.bisect_right(ends, start)
    return k < len(ends) and end <= ends[k]


_TERM_REF = regex_compile(r"\{([a-z][a-z0-9_]*)\}")


def _expand_terms(pattern: str, terms: dict) -> str:
    """`{name}` in a pattern, for a name in `terms`, becomes an alternation of its phrases
    (matched as `phrases` are), longest first so that the longest phrase wins; other
    braces ("\\d{4}", an unknown name) are left alone."""

    def alternation(m: regex.Match) -> str:
        phrases = terms.get(m.group(1))
        if not phrases:
            return m.group()
        ordered = sorted(phrases, key=len, reverse=True)
        if all(p.strip()[:1].isalnum() and p.strip()[-1:].isalnum() for p in ordered):
            # one pair of word-boundary checks around the list instead of one per phrase:
            # a third shorter, and pattern size is what parsing and compiling cost
            inner = "|".join(phrase_to_regex(p)[len("(?<!\\w)") : -len("(?!\\w)")] for p in ordered)
            return f"(?<!\\w)(?:{inner})(?!\\w)"
        return "(?:" + "|".join(phrase_to_regex(p) for p in ordered) + ")"

    return _TERM_REF.sub(alternation, pattern) if terms else pattern
