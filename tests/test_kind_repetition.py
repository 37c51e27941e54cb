"""The repetition kind: exact and near repeats in one file, and across files."""

from __future__ import annotations

import random

import pytest

from healthlint import readers
from healthlint.kinds.repetition import (
    RepetitionKind,
    find_repeats,
    fold,
    lcs_length,
    units_of,
)
from healthlint.model import BlockBuilder, Document, Severity
from healthlint.packs import Rule, RuleOptionError
from healthlint.source import LineIndex

WALK = "Gentle walking each day keeps the lower back supple and eases morning stiffness."
SWIM = "Swimming twice a week keeps the shoulders supple and eases evening stiffness."


def rule(**options) -> Rule:
    report = options.pop("report", "exact")
    return Rule(
        id="repetition.test", pack="repetition", kind="repetition", category="repetition",
        severity=Severity.WARNING,
        message="line {first_line} col {first_column} sim {similarity} words {words}"
                " | {other_path}:{other_line} {other_files}{more}",
        rationale="r", source="s", examples_flag=(), examples_pass=(),
        options={"report": report, **options},
    )


def check(text: str, path: str = "a.txt", fmt: str = "text", **options):
    doc = readers.read(path, text, fmt)
    return list(RepetitionKind(rule(**options)).check(doc))


def test_exact_repeat_is_reported_at_the_later_block_with_exact_positions():
    text = f"{WALK}\n\n{SWIM}\n\n{WALK}\n"
    [f] = check(text)
    assert (f.line, f.column, f.end_line, f.end_column) == (5, 1, 5, len(WALK) + 1)
    assert f.text == WALK
    assert f.message.startswith("line 1 col 1 sim 100 words 13")
    assert f.rule == "repetition.test" and f.category == "repetition"


def test_case_spacing_and_punctuation_are_folded():
    later = "GENTLE walking, each day -- keeps the lower-back supple and eases morning stiffness!!"
    [f] = check(f"{WALK}\n\n{later}\n")
    assert f.text == later and f.line == 3


def test_every_later_occurrence_is_reported_and_names_the_first():
    found = check(f"{WALK}\n\n{SWIM}\n\n{WALK}\n\n{WALK}\n")
    assert [f.line for f in found] == [5, 7]
    assert all("line 1 " in f.message for f in found)


def test_below_min_words_is_not_reported_and_at_min_words_is():
    seven = "Drink water and rest well every day."  # 7 words
    eight = "Drink water and rest well every single day."  # 8 words
    assert check(f"{seven}\n\n{seven}\n") == []
    assert len(check(f"{eight}\n\n{eight}\n")) == 1
    assert check(f"{eight}\n\n{eight}\n", min_words=9) == []


def test_near_repeat_with_a_prefix_matches_a_title_pasted_again():
    title = "Seven Simple Ways to Protect Your Knees on Long Hill Walks"
    text = f"Guide: {title}\n\nIntro line here.\n\n{title}\n\n{title}\n"
    near = check(text, report="near")
    exact = check(text)
    # 11 of the 12 words of the first line, in order: near (91%), reported once
    assert [(f.line, f.text) for f in near] == [(5, title)]
    assert "sim 91" in near[0].message and "line 1 " in near[0].message
    # the third copy repeats the second verbatim: an exact repeat of line 5
    assert [(f.line, f.text) for f in exact] == [(7, title)]
    assert "line 5 " in exact[0].message


def test_near_needs_most_of_the_longer_blocks_words():
    long = "Ice the sore ankle for twenty minutes every few hours during the first two days"
    edited = "Ice the sore ankle for twenty minutes every few hours during the first three days"
    assert len(check(f"{long}\n\n{edited}\n", report="near")) == 1
    # a short sentence quoted inside a long paragraph is not a near repeat
    quoted = "Ice the sore ankle for twenty minutes"
    para = f"{quoted} every few hours, then rest it on a pillow and wiggle the toes often."
    assert check(f"{para}\n\n{quoted} now.\n", report="near", min_words=7) == []
    # exact and near rules do not report the same repeat twice
    assert check(f"{long}\n\n{long}\n", report="near") == []


def test_a_line_of_a_multi_line_block_counts_as_a_unit():
    heading = "Best Ways to Ease Stiff Knees After a Long Run"
    text = f"{heading}\nbest ways to ease stiff knees\n\nSome text.\n\n{heading}\n"
    [f] = check(text)
    assert (f.line, f.text) == (6, heading)
    assert "line 1 " in f.message


def test_lines_inside_a_reported_block_are_not_reported_again():
    block = f"{WALK}\n{SWIM}"
    found = check(f"{block}\n\nMiddle.\n\n{block}\n", "a.md", "markdown")
    assert [(f.line, f.end_line) for f in found] == [(6, 7)]


def heading_doc(path: str, texts: list[tuple[str, str]]) -> Document:
    """A document of the given (scope, text) blocks, one per line."""
    source = "\n".join(t for _, t in texts) + "\n"
    blocks, pos = [], 0
    for scope, text in texts:
        b = BlockBuilder()
        b.add(text, pos)
        blocks.append(b.build(scope, level=1 if scope == "heading" else 0))
        pos += len(text) + 1
    return Document(path, source, "markdown", tuple(blocks), LineIndex(source))


def test_headings_are_included_and_scope_narrows():
    h = "Why Laser Therapy Works for Some Back Pain and Not Others"
    doc = heading_doc("h.md", [("heading", h), ("paragraph", WALK), ("heading", h)])
    [f] = RepetitionKind(rule()).check(doc)
    assert (f.line, f.text) == (3, h)
    r = rule()
    r = Rule(**{**r.__dict__, "scope": ("paragraph",)})
    assert list(RepetitionKind(r).check(doc)) == []


def test_exceptions_skip_blocks_repeated_on_purpose():
    note = "This page is for informational purposes only and is no substitute for a visit."
    text = f"{note}\n\n{WALK}\n\n{note}\n"
    assert len(check(text)) == 1
    assert check(text, exceptions=["informational purposes only"]) == []
    with pytest.raises(RuleOptionError):
        RepetitionKind(rule(exceptions=["(unclosed"]))


def test_positions_are_exact_with_crlf_and_non_ascii():
    para = "Café owners — and their staff — should stretch calves twice, every single day."
    text = f"Intro.\r\n\r\n{para}\r\n\r\n{para}\r\n"
    [f] = check(text)
    assert (f.line, f.column, f.end_line, f.end_column) == (5, 1, 5, len(para) + 1)
    assert f.text == para


def test_fold_matches_the_regex_definition_of_words():
    import re

    for text in ["Hello, World! it's 2026_x", "Café — naïve “quotes”", "", "ΑΒΓ δέλτα", "a\tb\nc"]:
        assert fold(text) == [w.encode() for w in re.findall(r"\w+", text.lower())]


def _lcs_dp(a, b) -> int:
    prev = [0] * (len(b) + 1)
    for x in a:
        cur = [0]
        for j, y in enumerate(b):
            cur.append(prev[j] + 1 if x == y else max(prev[j + 1], cur[j]))
        prev = cur
    return prev[-1]


def test_bit_parallel_lcs_agrees_with_dynamic_programming():
    rng = random.Random(7)
    for _ in range(300):
        a = [rng.choice("abcde") for _ in range(rng.randint(0, 30))]
        b = [rng.choice("abcde") for _ in range(rng.randint(0, 30))]
        assert lcs_length(a, b) == _lcs_dp(a, b)


def _paragraphs(rng: random.Random, n: int, vocab: list[str]) -> list[str]:
    return [" ".join(rng.choice(vocab) for _ in range(rng.randint(20, 60))) for _ in range(n)]


def test_candidate_search_grows_linearly_not_quadratically():
    rng = random.Random(3)
    counts = []
    for n in (300, 600):
        # a longer text uses more distinct words (Heaps' law), plus a few very common ones
        vocab = [f"w{i}" for i in range(4 * n)] + ["the", "and", "of"] * 60
        doc = readers.read("big.txt", "\n\n".join(_paragraphs(rng, n, vocab)), "text")
        stats: dict = {}
        units = units_of(doc.blocks, 8)
        assert find_repeats(units, 0.9, stats) == []
        counts.append(stats.get("candidates", 0))
        # distinct random paragraphs: hardly any pair gets as far as an LCS check
        assert stats.get("verified", 0) <= n // 50
    # all pairs would grow 4x; the index keeps candidate pairs near 2x
    assert counts[1] <= 3 * max(counts[0], 1)
    assert counts[1] < 600 * 599 // 2 // 20


def test_near_repeats_are_found_among_many_units():
    rng = random.Random(11)
    vocab = [f"w{i}" for i in range(300)]
    paras = _paragraphs(rng, 200, vocab)
    words = paras[17].split()
    words[len(words) // 2] = "changed"  # one word of 20+ replaced: still >= 90% in order
    paras.append(" ".join(words))
    doc = readers.read("big.txt", "\n\n".join(paras), "text")
    repeats = find_repeats(units_of(doc.blocks, 8), 0.9)
    assert [(r.later, r.first, r.exact) for r in repeats] == [(200, 17, False)]


# ---- across files -------------------------------------------------------------------


def cross(docs: dict[str, str]):
    kind = RepetitionKind(rule(across_files=True))
    digests = {}
    for path, text in docs.items():
        doc = readers.read(path, text, "text")
        assert list(kind.check(doc)) == []  # the cross-file rule says nothing per file
        digests[path] = kind.digest(doc)
    return kind, digests


def test_cross_file_repeat_names_the_other_file_and_line():
    kind, digests = cross({"a.txt": f"{SWIM}\n\n{WALK}\n", "b.txt": f"Other text.\n\n{WALK}\n"})
    [f] = kind.across(digests)
    assert (f.path, f.line, f.column, f.end_line, f.end_column) == ("b.txt", 3, 1, 3, len(WALK) + 1)
    assert f.text == WALK
    assert f.message.endswith("| a.txt:3 1")
    # digests may also come as a plain list, in run order
    assert [g.path for g in kind.across(list(digests.values()))] == ["b.txt"]


def test_cross_file_counts_the_other_files_in_one_finding_per_file():
    files = {f"{c}.txt": f"{WALK}\n" for c in "abcd"}
    kind, digests = cross(files)
    found = sorted(kind.across(digests), key=lambda f: f.path)
    assert [f.path for f in found] == ["b.txt", "c.txt", "d.txt"]
    assert all(f.message.endswith("| a.txt:1 3 and 2 other files") for f in found)


def test_cross_file_ignores_repeats_inside_one_file_and_within_file_rules_have_no_digest():
    kind, digests = cross({"a.txt": f"{WALK}\n\n{WALK}\n", "b.txt": f"{SWIM}\n"})
    assert list(kind.across(digests)) == []
    doc = readers.read("a.txt", WALK, "text")
    assert RepetitionKind(rule()).digest(doc) is None
    assert list(RepetitionKind(rule()).across({"a.txt": None})) == []


def test_cross_file_work_is_one_dictionary_pass():
    # 2,000 files sharing one paragraph: the pass must not compare files pairwise
    import time

    kind = RepetitionKind(rule(across_files=True))
    doc = readers.read("x.txt", f"{WALK}\n\n{SWIM}\n", "text")
    path, units = kind.digest(doc)
    digests = {f"f{i:04}.txt": (f"f{i:04}.txt", units) for i in range(2000)}
    start = time.perf_counter()
    found = list(kind.across(digests))
    assert len(found) == 2 * 1999
    assert time.perf_counter() - start < 1.0


def test_split_example_separates_files():
    text = f"{WALK}\n<!-- next file -->\n{WALK}\n"
    assert RepetitionKind.split_example(text) == [f"{WALK}\n", f"{WALK}\n"]


def test_pack_option_errors_name_the_rule_and_key(tmp_path):
    from healthlint.packs import PackError, load_packs

    pack = tmp_path / "mine.yaml"
    pack.write_text(
        "rules:\n"
        "  - id: rep\n"
        "    kind: repetition\n"
        "    category: repetition\n"
        "    severity: warning\n"
        "    message: 'see line {first_line}'\n"
        "    rationale: r\n"
        "    source: s\n"
        "    near_ratio: 0.3\n"
        "    examples: {flag: [a], pass: [b]}\n",
        encoding="utf-8",
    )
    with pytest.raises(PackError) as err:
        load_packs([pack])
    assert "rule 'rep', key 'near_ratio'" in str(err.value)
