"""The run loop's own duties: the per-file cap on a rule's findings, after the filters."""

from __future__ import annotations

import json

import pytest
from helpers import run_cli, write

from healthlint.model import Finding, Severity
from healthlint.runner import cap

# Paragraphs of eight words or more, shared by the files of the cross-file tests.
SHARED = [
    "Warm compresses on a stiff neck loosen the muscles before gentle stretching.",
    "Short walks after meals help many people keep their blood sugar steadier.",
    "A pillow that keeps the head level can ease a sore neck overnight.",
    "Drinking water through the day helps the kidneys clear waste from the blood.",
    "Standing up every half hour breaks long stretches of sitting at a desk.",
]


def finding(rule: str, line: int) -> Finding:
    return Finding("a.md", line, 1, line, 5, rule, "repetition", Severity.INFO, "Seen.", "text")


def test_cap_keeps_the_first_findings_of_a_capped_rule_and_counts_the_rest():
    found = [finding("r.capped", n) for n in (9, 3, 7, 1, 5)] + [
        finding("r.free", n) for n in (2, 4)
    ]
    kept = cap(found, {"r.capped": 3})
    capped = [f for f in kept if f.rule == "r.capped"]
    assert [f.line for f in capped] == [1, 3, 5]
    assert [f.message for f in capped[:2]] == ["Seen.", "Seen."]
    assert capped[2].message == (
        "Seen. (+2 more in this file, not listed: this rule reports at most 3 per file)"
    )
    assert sorted(f.line for f in kept if f.rule == "r.free") == [2, 4]


def test_cap_leaves_a_file_within_the_limit_alone():
    found = [finding("r.capped", n) for n in (1, 2, 3)]
    assert cap(found, {"r.capped": 3}) == found


@pytest.fixture
def two_files(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    write(tmp_path / "a.md", "\n\n".join(SHARED) + "\n")
    return tmp_path


def cross_file(capsys) -> list[dict]:
    code, out, err = run_cli(
        ["check", "--no-config", "--select", "repetition.cross-file-paragraph",
         "--format", "json", "--fail-on", "never", "."],
        capsys,
    )
    assert code == 0, err
    return json.loads(out)["findings"]


def test_a_copied_page_gets_three_cross_file_findings_and_a_count(two_files, capsys):
    write(two_files / "b.md", "\n\n".join(SHARED) + "\n")
    found = cross_file(capsys)
    assert [(f["path"], f["line"]) for f in found] == [("b.md", 1), ("b.md", 3), ("b.md", 5)]
    assert found[2]["message"].endswith("(+2 more in this file, not listed: "
                                        "this rule reports at most 3 per file)")
    assert "+" not in found[0]["message"]


def test_a_suppressed_paragraph_does_not_take_a_place(two_files, capsys):
    write(
        two_files / "b.md",
        "<!-- healthlint-disable-next-line repetition.cross-file-paragraph -->\n"
        + "\n\n".join(SHARED) + "\n",
    )
    found = cross_file(capsys)
    # the first shared paragraph (line 2) is suppressed: the next three are listed, and
    # the suppression counts as used (no unused-suppression finding)
    assert [(f["path"], f["line"]) for f in found] == [("b.md", 4), ("b.md", 6), ("b.md", 8)]
    assert found[2]["message"].endswith("(+1 more in this file, not listed: "
                                        "this rule reports at most 3 per file)")


def test_findings_survive_the_trip_from_a_worker():
    import pickle

    f = Finding("a.md", 3, 5, 4, 1, "r.x", "hype", Severity.ERROR, "m", "t\nu", "s", 40, 52)
    back = pickle.loads(pickle.dumps(f, pickle.HIGHEST_PROTOCOL))
    assert back == f and (back.start, back.end, back.suggestion) == (40, 52, "s")
    assert back.severity is Severity.ERROR
