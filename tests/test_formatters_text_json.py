import io
import json

import pytest

from healthlint.files import FileProblem
from healthlint.formatters import FORMATTERS, FormatOptions, get_formatter
from healthlint.formatters.text import render_line, summary
from healthlint.model import Severity, make_finding
from healthlint.readers.text import read
from healthlint.runner import RunResult

SOURCE = "Intro line.\n\nThis\tbalm is 100% safe.\n\n日本語で completely safe, truly\nsafe.\n"


def finding(doc, line, col, length, rule, severity, suggestion=None):
    start = doc.lines.offset(line, col)
    return make_finding(
        doc,
        start,
        start + length,
        rule=rule,
        category="absolute-claim",
        severity=severity,
        message=f"Claim: {doc.source[start:start + length]}",
        suggestion=suggestion,
    )


@pytest.fixture
def result(tmp_path):
    path = tmp_path / "b.txt"
    path.write_text(SOURCE, encoding="utf-8")
    doc = read("b.txt", SOURCE)
    findings = [
        finding(doc, 5, 6, 15, "demo.safe", Severity.WARNING, "Name the risks."),
        finding(doc, 3, 14, 9, "demo.safe", Severity.ERROR),
        finding(doc, 5, 23, 11, "demo.multi", Severity.INFO),  # "truly\nsafe."
    ]
    snippets = {3: "This\tbalm is 100% safe.", 5: "日本語で completely safe, truly"}
    return RunResult(
        findings=tuple(sorted(findings, key=lambda f: f.sort_key())),
        files=2,
        problems=(
            FileProblem("a.bin", "skipped: binary file (contains NUL bytes)"),
            FileProblem("c.txt", "cannot read: Permission denied", fatal=True),
        ),
        snippets={"b.txt": snippets},
    )


EXPECTED_TEXT = """\
b.txt:3:14: error [demo.safe] Claim: 100% safe
  3 | This    balm is 100% safe.
    |                 ^^^^^^^^^

b.txt:5:6: warning [demo.safe] Claim: completely safe
  5 | 日本語で completely safe, truly
    |          ^^^^^^^^^^^^^^^
    = suggestion: Name the risks.

b.txt:5:23: info [demo.multi] Claim: truly safe.
  5 | 日本語で completely safe, truly
    |                           ^^^^^

a.bin: notice: skipped: binary file (contains NUL bytes)
c.txt: error: cannot read: Permission denied

3 findings (1 error, 1 warning, 1 info) in 2 files; 1 file skipped, 1 file error
"""


def render(result, name, **options):
    out = io.StringIO()
    get_formatter(name)(result, out, FormatOptions(**options))
    return out.getvalue()


def test_text_output(result):
    assert render(result, "text") == EXPECTED_TEXT


def test_text_quiet_prints_findings_only(result):
    out = render(result, "text", quiet=True)
    assert "notice" not in out and "findings" not in out
    assert out.count("[demo.") == 3


def test_text_colour_only_when_asked(result):
    assert "\x1b[" not in render(result, "text")
    coloured = render(result, "text", color=True)
    assert "\x1b[1;31merror\x1b[0m" in coloured
    # stripping the escapes gives the plain output back
    import re

    assert re.sub(r"\x1b\[[0-9;]*m", "", coloured) == EXPECTED_TEXT


def test_json_output_is_the_contract(result):
    data = json.loads(render(result, "json"))
    assert list(data) == ["version", "findings", "summary", "errors"]
    assert data["version"] == 1
    assert data["summary"] == {"files": 2, "findings": 3}
    assert data["errors"] == [
        {"path": "a.bin", "message": "skipped: binary file (contains NUL bytes)"},
        {"path": "c.txt", "message": "cannot read: Permission denied"},
    ]
    assert data["findings"][0] == {
        "path": "b.txt",
        "line": 3,
        "column": 14,
        "end_line": 3,
        "end_column": 23,
        "rule": "demo.safe",
        "category": "absolute-claim",
        "severity": "error",
        "message": "Claim: 100% safe",
        "text": "100% safe",
        "suggestion": None,
    }
    assert [(f["line"], f["column"]) for f in data["findings"]] == [(3, 14), (5, 6), (5, 23)]
    multi = data["findings"][2]
    assert (multi["end_line"], multi["end_column"], multi["text"]) == (6, 6, "truly\nsafe.")


def test_each_json_finding_is_its_to_dict(result):
    from healthlint.formatters.json import finding_json

    odd = result.findings[0].__class__(
        "dir/é \"q\".md", 1, 2, 3, 4, "r.x", "hype", Severity.INFO, "tab\there\u2028", "a\\b\n",
    )
    for f in (*result.findings, odd):
        line = finding_json(f)
        assert json.loads(line) == f.to_dict()
        assert line == json.dumps(f.to_dict(), ensure_ascii=False)


def test_json_sorts_findings_by_path_line_column_rule(result):
    shuffled = result._replace(findings=tuple(reversed(result.findings)))
    assert render(shuffled, "json") == render(result, "json")


def test_empty_result():
    empty = RunResult(findings=(), files=1)
    assert render(empty, "text") == "No problems found in 1 file\n"
    assert json.loads(render(empty, "json")) == {
        "version": 1,
        "findings": [],
        "summary": {"files": 1, "findings": 0},
        "errors": [],
    }


@pytest.mark.parametrize(
    ("line", "start", "end", "shown", "marks"),
    [
        ("abc def", 4, 7, "abc def", "    ^^^"),
        ("\tx", 1, 2, "    x", "    ^"),  # a tab is shown as spaces to the next stop of 4
        ("ab\tx", 3, 4, "ab  x", "    ^"),
        ("日本 x", 3, 4, "日本 x", "     ^"),  # wide characters take two cells
        ("e\u0301 x", 3, 4, "e\u0301 x", "  ^"),  # a combining accent takes none
        ("abc", 3, 3, "abc", "   ^"),  # an empty span at the end still gets a caret
        ("a\x1bb", 2, 3, "a\ufffdb", "  ^"),  # control characters never reach the terminal
    ],
)
def test_render_line(line, start, end, shown, marks):
    assert render_line(line, start, end) == (shown, marks)


def test_render_long_line_is_cut_around_the_span():
    line = "word " * 60 + "TARGET" + " tail" * 40
    start = line.index("TARGET")
    shown, marks = render_line(line, start, start + 6)
    assert shown.startswith("…") and shown.endswith("…")
    assert len(shown) <= 102
    assert shown[marks.index("^") : marks.index("^") + 6] == "TARGET"


@pytest.mark.parametrize(
    ("findings", "files", "expected"),
    [
        ((), 0, "No problems found in 0 files"),
        ((Severity.WARNING,), 1, "1 finding (0 errors, 1 warning, 0 infos) in 1 file"),
        (
            (Severity.ERROR, Severity.ERROR, Severity.INFO),
            3,
            "3 findings (2 errors, 0 warnings, 1 info) in 3 files",
        ),
    ],
)
def test_summary(findings, files, expected):
    doc = read("a.txt", "x y z\n")
    found = tuple(
        make_finding(doc, 0, 1, rule="r.x", category="hype", severity=s, message="m")
        for s in findings
    )
    assert summary(RunResult(found, files)) == expected


def test_registry_names_importable_functions():
    for name in FORMATTERS:
        assert callable(get_formatter(name))


def _render_line_reference(line, start, end):
    """render_line as it was before its fast path for plain ASCII lines."""
    from healthlint.formatters.text import CONTEXT, MAX_WIDTH, _cell

    cells, col = [], 0
    for ch in line:
        shown, width = _cell(ch, col)
        cells.append((shown, col, width))
        col += width
    total = col
    s_col = cells[start][1] if start < len(cells) else total
    e_col = cells[end - 1][1] + cells[end - 1][2] if start < end <= len(cells) else s_col
    carets = max(e_col - s_col, 1)
    lo, hi = 0, total
    if total > MAX_WIDTH:
        lo = max(0, s_col - CONTEXT)
        hi = min(total, max(lo + MAX_WIDTH, e_col))
    text = "".join(shown for shown, c, w in cells if c >= lo and c + w <= hi)
    prefix = "…" if lo > 0 else ""
    suffix = "…" if hi < total else ""
    pad = len(prefix) + (s_col - lo)
    return prefix + text + suffix, " " * pad + "^" * min(carets, max(hi - s_col, 1))


def test_plain_ascii_lines_render_as_before():
    import random

    from healthlint.formatters.text import render_line

    rng = random.Random(7)
    words = ["safe", "100%", "no", "side", "effects,", "(CDC,", "2023)", "-", "x" * 40]
    for _ in range(400):
        line = " ".join(rng.choice(words) for _ in range(rng.randint(0, 60)))
        start = rng.randint(0, len(line) + 2)
        end = rng.randint(start, len(line) + 3)
        assert render_line(line, start, end) == _render_line_reference(line, start, end)
