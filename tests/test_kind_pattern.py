"""The `pattern` kind through real Documents: matching, positions, prefilter, NegEx guard,
hedges and questions. Every sentence here was written for these tests."""

from __future__ import annotations

import importlib.util
import random

import pytest
import regex

from healthlint.kinds.pattern import (
    PatternKind,
    literal_clauses,
    phrase_to_regex,
    required_literals,
)
from healthlint.model import BlockBuilder, Document, Severity
from healthlint.packs import Rule, RuleOptionError
from healthlint.readers import read
from healthlint.source import LineIndex, decode

#: readers present in this checkout; plain prose must give the same positions in each
READERS = [f for f in ("text", "markdown") if importlib.util.find_spec(f"healthlint.readers.{f}")]


def make_rule(severity: str = "error", scope: tuple[str, ...] = (), **options) -> Rule:
    return Rule(
        id="test.rule",
        pack="test",
        kind="pattern",
        category="absolute-claim",
        severity=Severity.parse(severity),
        message="claim: {match}",
        rationale="r",
        source="s",
        examples_flag=(),
        examples_pass=(),
        scope=scope,
        options=options,
    )


def run(doc: Document, severity: str = "error", scope: tuple[str, ...] = (), **options):
    kind = PatternKind(make_rule(severity, scope, **options))
    return [
        (f.line, f.column, f.end_line, f.end_column, f.text, str(f.severity))
        for f in sorted(kind.check(doc), key=lambda f: f.sort_key())
    ]


def lint(text: str, fmt: str = "text", **options):
    ext = {"text": "txt", "markdown": "md"}[fmt]
    return run(read(f"a.{ext}", text, fmt), **options)


def texts(text: str, fmt: str = "text", **options) -> list[str]:
    return [f[4] for f in lint(text, fmt, **options)]


def synthetic(*parts: tuple[str, str], sep: str = "\n\n") -> Document:
    """A document whose blocks are (scope, text) pairs, one after another in the source."""
    source, blocks = "", []
    for scope, text in parts:
        if source:
            source += sep
        b = BlockBuilder()
        b.add(text, len(source))
        source += text
        blocks.append(b.build(scope))
    return Document("s.md", source, "markdown", tuple(blocks), LineIndex(source))


def pipe_table(source: str, *, split_cells: bool) -> Document:
    """A pipe table read the way a Markdown reader does (one block per cell, a row's
    cells sharing a group) or the way the text reader does (one block per row)."""
    lines = LineIndex(source)
    blocks = []
    for n in range(1, lines.line_count + 1):
        start, end = lines.line_span(n, source)
        row = source[start:end]
        if not row.strip() or set(row) <= set("|-: "):
            continue
        if not split_cells:
            b = BlockBuilder()
            b.add(row, start)
            blocks.append(b.build("paragraph"))
            continue
        for cell in regex.finditer(r"[^|]+", row):
            if cell.group().strip():
                b = BlockBuilder()
                b.add(cell.group(), start + cell.start())
                blocks.append(b.build("table_cell", group=n))
    return Document("t.md", source, "markdown", tuple(blocks), lines)


# --------------------------------------------------------------------------- matching

MATCHING = [
    # (id, text, options, expected [(line, col, end_line, end_col, text)])
    ("space", "It is risk free.", {"phrases": ["risk-free"]}, [(1, 7, 1, 16, "risk free")]),
    ("hyphen", "It is risk-free.", {"phrases": ["risk-free"]}, [(1, 7, 1, 16, "risk-free")]),
    ("closed-up", "It is riskfree.", {"phrases": ["risk-free"]}, [(1, 7, 1, 15, "riskfree")]),
    ("nb-hyphen", "It is risk\u2011free.", {"phrases": ["risk-free"]},
     [(1, 7, 1, 16, "risk\u2011free")]),
    ("hyphen-for-space", "It has no side-effects.", {"phrases": ["no side effects"]},
     [(1, 8, 1, 23, "no side-effects")]),
    ("many-spaces", "It has no   side \t effects.", {"phrases": ["no side effects"]},
     [(1, 8, 1, 27, "no   side \t effects")]),
    ("line-break", "Intro.\n\nIt has no side\neffects at all.\n", {"phrases": ["no side effects"]},
     [(3, 8, 4, 8, "no side\neffects")]),
    ("crlf-break", "Intro.\r\n\r\nIt has no side\r\neffects.\r\n", {"phrases": ["no side effects"]},
     [(3, 8, 4, 8, "no side\r\neffects")]),
    ("curly-apostrophe", "It won\u2019t hurt a bit.", {"phrases": ["won't hurt"]},
     [(1, 4, 1, 14, "won\u2019t hurt")]),
    ("straight-apostrophe", "It won't hurt a bit.", {"phrases": ["won\u2019t hurt"]},
     [(1, 4, 1, 14, "won't hurt")]),
    ("word-start", "Our secure procedure.", {"phrases": ["cure"]}, []),
    ("word-end", "The cured meat.", {"phrases": ["cure"]}, []),
    ("word-punct", "A cure. (cure) cure-all", {"phrases": ["cure"]},
     [(1, 3, 1, 7, "cure"), (1, 10, 1, 14, "cure"), (1, 16, 1, 20, "cure")]),
    ("percent-edge", "It is 100% safe and 1100%safe.", {"phrases": ["100% safe"]},
     [(1, 7, 1, 16, "100% safe")]),
    ("fold-upper", "IT IS COMPLETELY SAFE.", {"phrases": ["completely safe"]},
     [(1, 7, 1, 22, "COMPLETELY SAFE")]),
    ("fold-title", "Completely Safe Care", {"patterns": [r"completely\s+safe"]},
     [(1, 1, 1, 16, "Completely Safe")]),
    ("case-sensitive-phrase", "todo: TODO and Todo", {"phrases": ["TODO"], "case_sensitive": True},
     [(1, 7, 1, 11, "TODO")]),
    ("case-sensitive-pattern", "todo: TODO and Todo",
     {"patterns": [r"\bTODO\b"], "case_sensitive": True}, [(1, 7, 1, 11, "TODO")]),
    ("exception", "The cure rate was low. It cures pain.",
     {"patterns": [r"\bcur(?:e|es)\b"], "exceptions": [r"cure\s+rate"]}, [(1, 27, 1, 32, "cures")]),
    ("span-group", "Enjoy instant relief today.",
     {"patterns": [r"(?P<span>instant)\s+relief"]}, [(1, 7, 1, 14, "instant")]),
    ("span-two-patterns", "Enjoy instant relief. Zero downtime here.",
     {"patterns": [r"(?P<span>instant)\s+relief", r"zero\s+(?P<span>downtime)"]},
     [(1, 7, 1, 14, "instant"), (1, 28, 1, 36, "downtime")]),
    ("span-optional", "Relief now. Instant relief.",
     {"patterns": [r"(?:(?P<span>instant)\s+)?relief"]},
     [(1, 1, 1, 7, "Relief"), (1, 13, 1, 20, "Instant")]),
    ("emoji-columns", "\U0001f600 It is 100% safe.", {"phrases": ["100% safe"]},
     [(1, 9, 1, 18, "100% safe")]),
    ("nbsp", "It is 100%\u00a0safe.", {"phrases": ["100% safe"]},
     [(1, 7, 1, 16, "100%\u00a0safe")]),
]


@pytest.mark.parametrize("fmt", READERS)
@pytest.mark.parametrize(("text", "options", "expected"), [c[1:] for c in MATCHING],
                         ids=[c[0] for c in MATCHING])
def test_matching(fmt, text, options, expected):
    got = [f[:5] for f in lint(text, fmt, **options)]
    assert got == expected


def test_message_quotes_the_source_text():
    kind = PatternKind(make_rule(phrases=["risk-free"]))
    (finding,) = kind.check(read("a.txt", "It is Risk Free."))
    assert finding.message == "claim: Risk Free"
    assert finding.rule == "test.rule" and finding.category == "absolute-claim"


def test_bom_is_not_counted():
    src = decode("\ufeffIt is 100% safe.\n".encode())
    assert lint(src.text, phrases=["100% safe"]) == [(1, 7, 1, 16, "100% safe", "error")]


def test_one_block_per_line_files():
    text = "Title line\nNo surgery needed\nIt is completely safe\n"
    assert lint(text, phrases=["completely safe"]) == [(3, 7, 3, 22, "completely safe", "error")]


def test_limit():
    text = "It is 100% safe. Really 100% safe. Truly 100% safe."
    assert [f[1] for f in lint(text, phrases=["100% safe"], limit=2)] == [7, 25]


def test_scope_filters_blocks():
    doc = synthetic(("heading", "A 100% safe cure"), ("paragraph", "It is 100% safe."))
    assert [f[0] for f in run(doc, phrases=["100% safe"])] == [1, 3]
    assert [f[0] for f in run(doc, scope=("heading",), phrases=["100% safe"])] == [1]
    assert [f[0] for f in run(doc, scope=("paragraph", "list_item"), phrases=["100% safe"])] == [3]


def test_front_matter_only_when_scoped():
    doc = synthetic(("front_matter", "title: 100% safe"), ("paragraph", "Text."))
    assert run(doc, phrases=["100% safe"]) == []
    assert [f[:2] for f in run(doc, scope=("front_matter",), phrases=["100% safe"])] == [(1, 8)]


def test_markup_between_words_maps_back_exactly():
    # "It is **completely** safe." read as a Markdown reader would: the asterisks are
    # not in the block text, and the block's map still places the match exactly.
    source = "It is **completely** safe."
    b = BlockBuilder()
    b.add("It is ", 0)
    b.add("completely", 8)
    b.add(" safe.", 20)
    doc = Document("m.md", source, "markdown", (b.build("paragraph"),), LineIndex(source))
    assert run(doc, phrases=["completely safe"]) == [
        (1, 9, 1, 26, "completely** safe", "error")
    ]


def test_match_across_two_blocks_is_not_reported():
    doc = synthetic(("paragraph", "We offer no"), ("paragraph", "side effects chart."))
    assert run(doc, phrases=["no side effects"]) == []


def test_a_match_crossing_blocks_does_not_hide_one_inside_a_block():
    # The first "100%" could reach "safe" through the blank line; that crossing match is
    # dropped and the search resumes, so the real one in the second block is found.
    doc = synthetic(("paragraph", "Rated 100%"), ("paragraph", "Gentle and 100% safe"))
    assert run(doc, patterns=[r"100\s*%[\s\w,-]{0,40}?safe"]) == [
        (3, 12, 3, 21, "100% safe", "error")
    ]
    # ... and a shorter match of the same pattern at the same place is kept
    doc = synthetic(("paragraph", "Is it safe"), ("paragraph", "r? Yes."))
    assert [f[4] for f in run(doc, patterns=[r"safe(?:\s+r)?"], question="ignore")] == ["safe"]


def test_regex_module_syntax_is_accepted():
    got = lint("We said Cure-All twice.", patterns=[r"\p{Lu}\w+-\p{Lu}\w+"], case_sensitive=True)
    assert [f[4] for f in got] == ["Cure-All"]
    with pytest.raises(RuleOptionError) as exc:
        PatternKind(make_rule(patterns=[r"\p{NoSuchProperty}"]))
    assert exc.value.key == "patterns"


def test_bad_options_raise_rule_option_errors():
    with pytest.raises(RuleOptionError) as exc:
        PatternKind(make_rule(patterns=["(unclosed"]))
    assert exc.value.key == "patterns" and "pattern 1" in exc.value.message
    with pytest.raises(RuleOptionError) as exc:
        PatternKind(make_rule(phrases=["x"], exceptions=["[bad"]))
    assert exc.value.key == "exceptions"
    with pytest.raises(RuleOptionError) as exc:
        PatternKind(make_rule())
    assert exc.value.key == "phrases"


# --------------------------------------------------------------------------- tables

TABLE = "| Feature | Laser | Surgery |\n|---|---|---|\n| Recovery time | None | Weeks |\n"
ROW_RULE = {"patterns": [r"(?<![^\s|])recovery\s+time\s*\|\s*none\b"]}


def test_row_pattern_on_a_text_row():
    doc = pipe_table(TABLE, split_cells=False)
    assert run(doc, **ROW_RULE) == [(3, 3, 3, 23, "Recovery time | None", "error")]


def test_row_pattern_across_split_cells_needs_table_rows():
    doc = pipe_table(TABLE, split_cells=True)
    assert run(doc, **ROW_RULE) == []
    assert run(doc, table_rows=True, **ROW_RULE) == [
        (3, 3, 3, 23, "Recovery time | None", "error")
    ]


def test_table_rows_does_not_repeat_matches_inside_one_cell():
    doc = pipe_table(TABLE, split_cells=True)
    assert run(doc, table_rows=True, phrases=["recovery time"]) == [
        (3, 3, 3, 16, "Recovery time", "error")
    ]


def test_table_rows_respects_scope_and_negation():
    doc = pipe_table(TABLE, split_cells=True)
    assert run(doc, scope=("paragraph",), table_rows=True, **ROW_RULE) == []
    negated = "| Myths | Recovery time | None |\n"
    assert run(pipe_table(negated, split_cells=True), table_rows=True, **ROW_RULE) == []


# --------------------------------------------------------------------------- negation

CLAIMS = {"phrases": ["cure-all", "no side effects", "never suffer again", "completely safe",
                      "100% safe", "risk-free", "no downtime"],
          "patterns": [r"\bcures?\b"]}

NEGATION = [
    # (id, text, claims flagged)
    ("not-a-cure-all", "Laser therapy is not a cure-all.", []),
    ("no-evidence", "There is no evidence it cures back pain.", []),
    ("no-good-evidence-long", "There is no good evidence that low-level laser therapy is "
     "completely safe.", []),
    ("claim-inside-no", "It has no side effects.", ["no side effects"]),
    ("claim-inside-never", "You will never suffer again.", ["never suffer again"]),
    ("terminator-but", "No surgery is needed, but it is completely safe.", ["completely safe"]),
    ("terminator-however", "It is not surgery; it is 100% safe.", ["100% safe"]),
    ("terminator-dash", "It is not a drug \u2014 it is completely safe.", ["completely safe"]),
    ("pseudo-not-only", "Not only is it quick, it is 100% safe.", ["100% safe"]),
    ("pseudo-no-doubt", "There is no doubt it is 100% safe.", ["100% safe"]),
    ("pseudo-without-doubt", "Without a doubt, it is completely safe.", ["completely safe"]),
    ("post-myth", "The idea that it cures arthritis is a myth.", []),
    ("post-unproven", "That it is completely safe is unproven.", []),
    ("verdict-label", "Myth: laser therapy is 100% safe.", []),
    ("reported-claim", "Some clinics claim it is 100% safe.", []),
    ("reported-marketed", "Devices marketed as risk-free still need checks.", []),
    ("reported-beware", "Beware of any clinic that says it cures sciatica.", []),
    ("endorsement-flags", "Our patients say it is 100% safe.", ["100% safe"]),
    ("parallel-negatives", "No anesthesia, no injections, and no downtime.", ["no downtime"]),
    ("parallel-comma", "Not invasive, no side effects.", ["no side effects"]),
    ("double-negative", "It is not true that it has no side effects.", []),
    ("new-clause", "It is not invasive, and it is completely safe.", ["completely safe"]),
    ("list-stays-negated", "No treatment is completely safe, effective, or risk-free.", []),
    ("predicate-list", "It is not safe, effective, or risk-free.", []),
    ("negated-items", "No pills, no surgery, and 100% safe.", ["100% safe"]),
    ("fragment-items", "Not invasive, fast and completely safe.", ["completely safe"]),
    ("avoid-surgery", "Avoid surgery and get relief that is 100% safe.", ["100% safe"]),
    ("avoid-claims", "Avoid clinics that say it cures.", []),
    ("plain-not", "It is not completely safe.", []),
    ("cannot", "No laser cannot cure-all, and nobody says it cures.", []),
    ("no-cure", "There is no cure for arthritis.", []),
    ("far-negation", "It is not, as far as anyone who has looked can tell, completely safe.",
     ["completely safe"]),
    ("other-sentence", "It is not a drug. It is completely safe.", ["completely safe"]),
]


@pytest.mark.parametrize("fmt", READERS)
@pytest.mark.parametrize(("text", "expected"), [c[1:] for c in NEGATION],
                         ids=[c[0] for c in NEGATION])
def test_negation(fmt, text, expected):
    assert texts(text, fmt, hedge="ignore", question="ignore", **CLAIMS) == expected


def test_negation_positions():
    text = "Intro line.\n\nNo anesthesia, no injections,\nand no downtime.\n"
    assert lint(text, **CLAIMS) == [(4, 5, 4, 16, "no downtime", "error")]


def test_negation_window_option():
    text = "It is not, as far as anyone who has looked can tell, completely safe."
    assert texts(text, phrases=["completely safe"], negation_window=12) == []
    text = "It is not really all that completely safe."
    assert texts(text, phrases=["completely safe"], negation_window=2) == ["completely safe"]


def test_negation_can_be_turned_off():
    assert texts("It is not a cure-all.", phrases=["cure-all"], negation=False) == ["cure-all"]
    assert texts("Myth: it cures.", patterns=[r"\bcures\b"], negation=False) == ["cures"]


# --------------------------------------------------------------------------- hedges, questions

HEDGES = [
    # (id, text, handling, expected [(text, severity)])
    ("may-downgrade", "It may be completely safe.", "downgrade", [("completely safe", "warning")]),
    ("may-suppress", "It may be completely safe.", "suppress", []),
    ("may-ignore", "It may be completely safe.", "ignore", [("completely safe", "error")]),
    ("most-patients", "Most patients report no side effects.", "suppress", []),
    ("generally", "It is generally completely safe.", "suppress", []),
    ("can-help", "It can help you never suffer again.", "suppress", []),
    ("hedge-after", "It is completely safe for most people.", "suppress", []),
    ("cut-by-but", "Results may vary, but it is completely safe.", "suppress",
     [("completely safe", "error")]),
    ("cut-by-clause", "It may ease stiffness, and it is completely safe.", "suppress",
     [("completely safe", "error")]),
    ("far-hedge", "It may be that after a great many long and tiring weeks it is completely safe.",
     "suppress", [("completely safe", "error")]),
    ("other-sentence", "It may help. It is completely safe.", "suppress",
     [("completely safe", "error")]),
    ("helps", "It helps you never suffer again.", "suppress", []),
    ("approximator", "There are virtually no side effects, and it is nearly 100% safe.",
     "suppress", []),
    ("little-or-no", "Expect little or no downtime.", "suppress", []),
    ("approximator-far", "Almost every patient says it is completely safe.", "suppress",
     [("completely safe", "error")]),
]


@pytest.mark.parametrize(("text", "handling", "expected"), [c[1:] for c in HEDGES],
                         ids=[c[0] for c in HEDGES])
def test_hedges(text, handling, expected):
    got = [(f[4], f[5]) for f in lint(text, hedge=handling, question="ignore", **CLAIMS)]
    assert got == expected


def test_downgrade_stops_at_info():
    assert [f[5] for f in lint("It may be 100% safe.", severity="info", phrases=["100% safe"])] == [
        "info"
    ]


QUESTIONS = [
    ("downgrade", "Is it completely safe?", "downgrade", [("completely safe", "warning")]),
    ("suppress", "Is it completely safe?", "suppress", []),
    ("ignore", "Is it completely safe?", "ignore", [("completely safe", "error")]),
    ("answer-flags", "Is it safe? Yes, it is completely safe.", "suppress",
     [("completely safe", "error")]),
    ("quoted-question", "She asked, \u201cIs it completely safe?\u201d", "suppress", []),
    ("heading-line", "Is Laser Therapy 100% Safe?\nIt is gentle.", "suppress", []),
]


@pytest.mark.parametrize(("text", "handling", "expected"), [c[1:] for c in QUESTIONS],
                         ids=[c[0] for c in QUESTIONS])
def test_questions(text, handling, expected):
    got = [(f[4], f[5]) for f in lint(text, question=handling, hedge="ignore", **CLAIMS)]
    assert got == expected


def test_hedged_question_is_lowered_twice():
    got = lint("Could it be completely safe?", phrases=["completely safe"])
    assert [f[5] for f in got] == ["info"]


# --------------------------------------------------------------------------- prefilter

LITERALS = [
    (r"\bcompletely\s+safe\b", ["completely"]),
    # "free" and "risk" are both common words; one scan for "free" beats two
    (r"(?:risk|harm)[- ]free", ["free"]),
    (r"(?:harmful|dangerous)\s+side", ["dangerous", "harmful"]),
    (r"100\s?%\s+safe", ["safe"]),
    (r"(?i:Guaranteed)\s+results?", ["guaranteed"]),
    (r"no\s+(?:side|adverse)\s+effects", ["effects"]),
    # one rare literal beats two (the parser factors the shared "i" out of the two)
    (r"(?:instant|immediate)(?:ly)?\s+(?:pain\s+)?relie(?:f|ves)", ["relie"]),
    # ... but "relief" is a common word in health articles; the shared "i" the parser
    # factors out of the alternatives is joined back to them
    (r"(?:instant|immediate)(?:ly)?\s+(?:pain\s+)?relief", ["immediate", "instant"]),
    (r"(?:for life|forever)", ["for life", "forever"]),
    (r"(?<!\w)XXX+\s*%", ["xxx"]),
    (r"(?P<span>TODO)\b", ["todo"]),
    (r"(?:abc)+xyz", ["abc"]),
    (r"\{\{\s*\w+\s*\}\}", ["{{"]),  # two symbols are rare enough
    (r"no\s+\d+", None),  # two letters are not
    (r"\d+%", None),
    (r"[A-Z]{3,}", None),
    (r"(?:cures|)", None),  # an empty alternative needs nothing
    (r"(?:safe)?ty", None),
    (r"\p{Lu}afety", None),  # \p: syntax of the regex module only
    (r"(?:safety){e<=1}", None),  # fuzzy matching
    (r"[[:alpha:]]afety", None),  # POSIX class
    (r"(?<=\w+)safety", ["safety"]),  # look-arounds are skipped, not required
    (r"s\u00e9curit\u00e9", None),  # non-ASCII literal
    (r"(?:unclosed", None),
]


@pytest.mark.parametrize(("pattern", "expected"), LITERALS, ids=[p for p, _ in LITERALS])
def test_required_literals(pattern, expected):
    assert required_literals(pattern) == expected


def test_literal_clauses_lists_every_requirement():
    assert literal_clauses(r"\b(?:completely|totally)\s+pain[\s-]?free\b") == [
        ["completely", "totally"], ["pain"], ["free"]
    ]
    assert literal_clauses(r"(?:no|zero)\s+downtime") == [["downtime"]]  # "no" is too short
    assert literal_clauses(r"\d+") is None


def test_keywords_must_cover_every_pattern():
    kind = PatternKind(make_rule(patterns=[r"\bguaranteed?\s+results?", r"results?\s+guaranteed"],
                                 keywords=["Guarantee"]))
    assert [u.anchors for u in kind.units] == [("guarantee",)]
    with pytest.raises(RuleOptionError) as exc:
        PatternKind(make_rule(patterns=[r"\bguaranteed", r"\bpromised"], keywords=["guarantee"]))
    assert exc.value.key == "keywords" and "pattern 2" in exc.value.message
    with pytest.raises(RuleOptionError) as exc:
        PatternKind(make_rule(phrases=["risk free"], keywords=["safe"]))
    assert exc.value.key == "keywords"
    # a keyword spanning a flexible gap cannot be shown to be in every match
    with pytest.raises(RuleOptionError):
        PatternKind(make_rule(patterns=[r"for\s+good"], keywords=["for good"]))
    PatternKind(make_rule(patterns=[r"for good|forever"], keywords=["for good", "forever"]))


def test_prefilter_skips_documents_without_the_words():
    kind = PatternKind(make_rule(patterns=[r"completely\s+safe"]))
    assert kind.keywords == ("completely",)
    kind = PatternKind(make_rule(phrases=["no side effects", "risk-free"]))
    assert kind.keywords == ("effects", "risk")
    kind = PatternKind(make_rule(phrases=["XX%"]))
    assert kind.keywords is None
    kind = PatternKind(make_rule(phrases=["safe", "secure"], keywords=["SAFE", "secure"]))
    assert kind.keywords == ("safe", "secure")


_WORDS = ["safe", "Safe", "SAFE", "risk", "free", "no", "side", "effects", "cure", "cures",
          "100", "%", "pain", "relief", "instant", "never", "again", "it's", "it\u2019s", "all",
          "TODO", "x", "ab", "abc", "\u00e9t\u00e9", "r\u00e9sultat", "\u03a3\u03c3",
          "\u0130stanbul"]
_SEPS = [" ", " ", " ", "-", "\u2011", "\n", "\n\n", ", ", ". ", "  ", "|", "'", ""]


def _random_text(rng: random.Random) -> str:
    out = []
    for _ in range(rng.randint(1, 40)):
        out.append(rng.choice(_WORDS))
        out.append(rng.choice(_SEPS))
    return "".join(out)


def _random_pattern(rng: random.Random) -> str:
    def atom() -> str:
        w = regex.escape(rng.choice(_WORDS[:22]))
        return rng.choice([
            w,
            w,
            f"(?:{w}|{regex.escape(rng.choice(_WORDS))})",
            f"(?:{w})?",
            f"{w}+",
            r"\w+",
            r"[\s-]+",
            r"\s*",
            r"\W?",
            r"\b",
            f"(?!{w})",
            f"(?<=\\s){w}",
            f"(?P<span>{w})",
            r"[a-z]{2,3}",
            f"(?:{w}){{1,2}}",
        ])

    return "".join(atom() for _ in range(rng.randint(1, 5)))


def _findings(kind: PatternKind, doc: Document, prefilter: bool):
    kind.prefilter = prefilter
    try:
        return [(f.start, f.end, str(f.severity)) for f in kind.check(doc)]
    finally:
        kind.prefilter = True


def test_prefilter_never_loses_a_match():
    """Property: over many random texts and rules, the prefilter changes nothing."""
    rng = random.Random(20240611)
    checked_with_keywords = matched = 0
    for _ in range(400):
        if rng.random() < 0.5:
            opts = {"phrases": [rng.choice(_WORDS) + rng.choice([" ", "-", ""]) + rng.choice(_WORDS)
                                for _ in range(rng.randint(1, 3))]}
        else:
            opts = {"patterns": [_random_pattern(rng) for _ in range(rng.randint(1, 2))]}
        opts["case_sensitive"] = rng.random() < 0.2
        keywords = [rng.choice(_WORDS).lower()] if rng.random() < 0.3 else []
        try:
            # a keyword is accepted only when it provably covers the patterns
            kind = PatternKind(make_rule(**opts, keywords=keywords))
        except RuleOptionError:
            try:
                kind = PatternKind(make_rule(**opts))
            except RuleOptionError:
                continue
        if kind.keywords is not None:
            checked_with_keywords += 1
        for _ in range(4):
            text = _random_text(rng)
            doc = read("p.txt", text)
            with_pf = _findings(kind, doc, True)
            assert with_pf == _findings(kind, doc, False), (opts, text)
            matched += bool(with_pf)
    # the property was exercised on rules that do have a prefilter, and on matches
    assert checked_with_keywords > 200 and matched > 300


def test_required_literals_property():
    """Every match of a pattern contains one of its required literals (case-folded)."""
    rng = random.Random(7)
    tested = 0
    for _ in range(1000):
        pattern = _random_pattern(rng)
        lits = required_literals(pattern)
        if lits is None:
            continue
        rx = regex.compile(pattern, regex.IGNORECASE | regex.V0)
        for _ in range(3):
            text = _random_text(rng)
            for m in rx.finditer(text):
                if m.end() > m.start():
                    tested += 1
                    assert any(lit in m.group().lower() for lit in lits), (pattern, m.group())
    assert tested > 300


def test_phrase_to_regex_shapes():
    assert regex.fullmatch(phrase_to_regex("side effects"), "side\n effects")
    assert regex.fullmatch(phrase_to_regex("pain-free"), "painfree")
    assert not regex.search(phrase_to_regex("pain-free"), "painsfree")
    assert not regex.search(phrase_to_regex("100%"), "x100% y")  # a word starts it
    assert regex.search(phrase_to_regex("100%"), "a 100%y")  # no boundary after a symbol
    assert not regex.search(phrase_to_regex("cure"), "secure")
