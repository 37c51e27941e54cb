"""Baseline files and the fingerprints they rest on."""

from __future__ import annotations

import json

import pytest
from ci_fixtures import CAFE, ROOT, doc, find, findings

from healthlint import baseline, fingerprint
from healthlint.model import make_finding

RULE = "absolute-claims.no-side-effects"


def test_context_is_words_on_the_line_either_side():
    src = "Intro.\nThis **balm** has no side effects at all, truly.\nNext line."
    start = src.index("no side")
    assert fingerprint.context(src, start, start + 15) == "this balm has|at all truly"


def test_context_window_drops_a_cut_word_on_long_lines():
    src = "x" * 500 + " alpha beta gamma delta MATCH one two three four five " + "y" * 500
    start = src.index("MATCH")
    assert fingerprint.context(src, start, start + 5) == "alpha beta gamma delta|one two three four"


def test_normalise_folds_case_and_whitespace():
    assert fingerprint.normalise("No  Side\n Effects") == "no side effects"


def test_write_is_sorted_versioned_and_counts_repeats(tmp_path):
    text = "It has no side effects.\n\nIt has no side effects.\n"
    d = doc("articles/twice.md", text)
    first = find(d, RULE, "no side effects")
    start = text.rindex("no side effects")
    second = make_finding(d, start, start + 15, rule=RULE, category=first.category,
                          severity=first.severity, message=first.message)
    path = tmp_path / "baseline.json"
    baseline.write(str(path), findings() + [first, second], ROOT)
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["version"] == 1
    keys = [(e["path"], e["rule"], e["fingerprint"]) for e in data["entries"]]
    assert keys == sorted(keys)
    twice = [e for e in data["entries"] if e["path"] == "articles/twice.md"]
    assert len(twice) == 1 and twice[0]["count"] == 2 and twice[0]["text"] == "no side effects"
    assert "line" not in twice[0]
    # stable: the same findings in another order give the same bytes
    again = tmp_path / "again.json"
    baseline.write(str(again), list(reversed(findings() + [first, second])), ROOT)
    assert again.read_bytes() == path.read_bytes()


def test_baseline_hides_old_findings_after_lines_inserted_above(tmp_path):
    path = tmp_path / "b.json"
    baseline.write(str(path), findings(), ROOT)
    moved = doc("articles/café.md", "# A new title\n\nA new opening paragraph.\n\n" + CAFE)
    old = find(moved, RULE, "no side effects")
    new = find(moved, "regulatory.cure-claim", "A new opening")
    applied = baseline.apply(baseline.load(str(path)), [old, new], ROOT, [moved.path])
    assert applied.findings == [new]
    assert applied.hidden == 1
    # café.md had four recorded findings; three are no longer found
    assert applied.fixed == 3


def test_two_identical_claims_with_one_recorded_reports_the_later(tmp_path):
    one = "It has no side effects.\n"
    d1 = doc("articles/t.md", one)
    path = tmp_path / "b.json"
    baseline.write(str(path), [find(d1, RULE, "no side effects")], ROOT)
    two = one + "\nIt has no side effects.\n"
    d2 = doc("articles/t.md", two)
    first = find(d2, RULE, "no side effects")
    start = two.rindex("no side effects")
    second = make_finding(d2, start, start + 15, rule=RULE, category=first.category,
                          severity=first.severity, message=first.message)
    applied = baseline.apply(baseline.load(str(path)), [first, second], ROOT, [d2.path])
    assert [f.line for f in applied.findings] == [3]
    assert applied.fixed == 0


def test_fixed_counts_only_files_that_were_linted(tmp_path):
    path = tmp_path / "b.json"
    baseline.write(str(path), findings(), ROOT)
    applied = baseline.apply(baseline.load(str(path)), [], ROOT, [str(ROOT / "articles/café.md")])
    assert applied.fixed == 4  # not the two of résumé, notes.txt, which was not linted


@pytest.mark.parametrize("content, message", [
    ("{not json", "not valid JSON"),
    ("[]", "not a healthlint baseline"),
    ('{"version": 7, "entries": []}', "version 7 is not supported"),
    ('{"version": 1, "entries": [{"path": "a.md", "count": 1}]}', "entry 1 has no 'fingerprint'"),
    ('{"version": 1, "entries": [{"fingerprint": "ab"}]}', "entry 1 has no 'path'"),
    ('{"version": 1, "entries": [7]}', "entry 1 is not an object"),
    ('{"version": 1, "entries": [{"path": "a", "fingerprint": "ab", "count": 0}]}',
     "positive integer"),
])
def test_malformed_baseline_is_a_clear_error(tmp_path, content, message):
    path = tmp_path / "b.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(baseline.BaselineError, match=message):
        baseline.load(str(path))


def test_missing_baseline_says_how_to_create_it(tmp_path):
    with pytest.raises(baseline.BaselineError, match="--write-baseline"):
        baseline.load(str(tmp_path / "none.json"))
