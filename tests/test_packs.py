"""Malformed rule packs: every problem names the file, line, rule and key; exit status 2."""

import pytest
from helpers import DEMO_PACK, demo_pack, run_cli, run_module, write

RULE = """\
pack: mine
rules:
  - id: ok-rule
    kind: pattern
    category: hype
    severity: warning
    message: "Hype: {match}"
    rationale: A reason.
    source: A standard.
    phrases: [wonder pill]
    examples: {flag: [A wonder pill.], pass: [A pill.]}
  - id: bad-rule
    kind: pattern
    category: hype
    severity: warning
    message: "Hype: {match}"
    rationale: A reason.
    source: A standard.
    phrases: [magic bullet]
    examples: {flag: [A magic bullet.], pass: [A bullet.]}
"""


def line_of(text: str, needle: str) -> int:
    """1-based line of the last line containing `needle` (the broken rule comes last)."""
    return [i for i, line in enumerate(text.splitlines(), 1) if needle in line][-1]


def bad(old: str, new: str) -> str:
    """RULE with the second rule's `old` text replaced."""
    at = RULE.index("  - id: bad-rule")
    assert old in RULE[at:]
    return RULE[:at] + RULE[at:].replace(old, new, 1)


CASES = [
    # (pack text, needle for the line, rule id, key, message fragment)
    (
        bad("phrases: [magic bullet]", "phrase: [magic bullet]"),
        "phrase:",
        "bad-rule",
        "phrase",
        "unknown key 'phrase' (did you mean 'phrases'?)",
    ),
    (
        bad("severity: warning", "severity: 3"),
        "severity: 3",
        "bad-rule",
        "severity",
        "expected one of 'error', 'warning', 'info', got 3",
    ),
    (
        bad("phrases: [magic bullet]", "phrases: magic bullet"),
        "phrases: magic bullet",
        "bad-rule",
        "phrases",
        "expected a list of strings",
    ),
    (
        bad("id: bad-rule", "id: ok-rule"),
        "id: ok-rule",  # reported at the second definition
        "ok-rule",
        "id",
        "duplicate rule id (first defined on line 3)",
    ),
    (
        bad("    source: A standard.\n", ""),
        "id: bad-rule",
        "bad-rule",
        "source",
        "missing required key 'source'",
    ),
    (
        bad("phrases: [magic bullet]", 'patterns: ["magic (bullet"]'),
        "patterns:",
        "bad-rule",
        "patterns",
        "pattern 1 does not compile",
    ),
    (
        bad("kind: pattern", "kind: patern"),
        "kind: patern",
        "bad-rule",
        "kind",
        "got 'patern' (did you mean 'pattern'?)",
    ),
    (
        bad("category: hype", "category: hyperbole"),
        "category: hyperbole",
        "bad-rule",
        "category",
        "expected one of 'absolute-claim'",
    ),
    (
        bad('message: "Hype: {match}"', 'message: "Hype: {matched}"'),
        "{matched}",
        "bad-rule",
        "message",
        "unknown placeholder {matched} (this kind offers {match})",
    ),
    (
        bad("examples: {flag: [A magic bullet.], pass: [A bullet.]}", "examples: {flag: []}"),
        "examples:",
        "bad-rule",
        "examples.pass",
        "missing required key 'pass'",
    ),
]


@pytest.mark.parametrize(
    ("text", "needle", "rule", "key", "message"), CASES, ids=[c[3] for c in CASES]
)
def test_malformed_rule(tmp_path, capsys, monkeypatch, text, needle, rule, key, message):
    monkeypatch.chdir(tmp_path)
    write(tmp_path / "a.txt", "Nothing to see.\n")
    pack = write(tmp_path / "mine.yaml", text)
    code, out, err = run_cli(["check", "a.txt", "--pack", "mine.yaml", "--no-config"], capsys)
    assert code == 2
    assert out == ""
    expected = f"mine.yaml:{line_of(text, needle)}: rule {rule!r}, key {key!r}: "
    lines = err.splitlines()
    assert any(line.startswith(expected) and message in line for line in lines), err
    assert "Traceback" not in err
    # test-rules reports the same problem the same way
    code, out, err2 = run_cli(["test-rules", str(pack), "--no-config"], capsys)
    assert code == 2 and message in err2


def test_every_problem_is_reported_not_just_the_first(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    text = bad("severity: warning", "severity: loud").replace("phrases: [wonder", "phrase: [wonder")
    write(tmp_path / "mine.yaml", text)
    code, _, err = run_cli(["check", ".", "--pack", "mine.yaml", "--no-config"], capsys)
    assert code == 2
    assert "rule 'ok-rule', key 'phrase'" in err
    assert "rule 'bad-rule', key 'severity'" in err


def test_invalid_yaml_names_file_and_line(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    write(tmp_path / "mine.yaml", "rules:\n  - id: x\n    kind: [pattern\n  - id: y\n")
    code, out, err = run_cli(["check", ".", "--pack", "mine.yaml", "--no-config"], capsys)
    assert code == 2
    assert err.startswith("mine.yaml:4: invalid YAML")


def test_unknown_top_level_key(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    write(tmp_path / "mine.yaml", "pack: mine\nrule: []\n")
    code, _, err = run_cli(["check", ".", "--pack", "mine.yaml", "--no-config"], capsys)
    assert code == 2
    assert "mine.yaml:2: key 'rule': unknown key 'rule' (did you mean 'rules'?)" in err


def test_missing_pack_names_the_builtin_ones(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    code, _, err = run_cli(["check", ".", "--pack", "nope.yaml", "--no-config"], capsys)
    assert code == 2
    assert "nope.yaml: rule pack not found" in err


def test_same_rule_id_in_two_packs(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    demo_pack(tmp_path, "one.yaml")
    demo_pack(tmp_path, "two.yaml")
    code, _, err = run_cli(
        ["check", ".", "--pack", "one.yaml", "--pack", "two.yaml", "--no-config"], capsys
    )
    assert code == 2
    first = line_of(DEMO_PACK, "id: total-safety")
    where = f"two.yaml:{first}: rule 'demo.total-safety', key 'id'"
    assert f"{where}: rule id already defined in one.yaml:{first}" in err


def test_a_real_process_prints_no_traceback(tmp_path):
    write(tmp_path / "mine.yaml", bad("phrases: [magic bullet]", 'patterns: ["(unclosed"]'))
    write(tmp_path / "a.txt", "text\n")
    proc = run_module(["check", "a.txt", "--pack", "mine.yaml", "--no-config"], cwd=tmp_path)
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr
    assert "rule 'bad-rule', key 'patterns': pattern 1 does not compile" in proc.stderr
