import io
import json
import os

import pytest
from helpers import BOOK, GAME, MIRACLE, SAFE, demo_pack, run_cli, run_module, write

from healthlint import __version__
from healthlint.cli import _use_color
from healthlint.runner import PARALLEL_MIN_FILES, default_jobs


@pytest.fixture
def project(tmp_path, monkeypatch):
    """A folder with the demo pack configured; tests run from inside it."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("NO_COLOR", raising=False)
    demo_pack(tmp_path / "packs")
    write(tmp_path / "healthlint.yaml", "packs: [packs/demo.yaml]\n")
    return tmp_path


def lint(capsys, *args):
    return run_cli(["check", *args], capsys)


@pytest.mark.parametrize(
    ("text", "args", "code"),
    [
        ("A calm sentence about sleep.\n", [], 0),
        (SAFE, [], 1),  # warning fails at the default level
        (SAFE, ["--fail-on", "error"], 0),
        (MIRACLE, ["--fail-on", "error"], 1),
        (BOOK, [], 0),  # info does not fail by default
        (BOOK, ["--fail-on", "info"], 1),
        (MIRACLE, ["--fail-on", "never"], 0),
        (SAFE, ["--ignore", "demo.total-safety"], 0),
        (SAFE + "\n\n" + MIRACLE, ["--select", "demo.miracle", "--fail-on", "error"], 1),
        (SAFE + "\n\n" + BOOK, ["--select", "demo.book-now,demo.miracle"], 0),
    ],
)
def test_exit_status(project, capsys, text, args, code):
    write(project / "a.txt", text)
    got, out, err = lint(capsys, "a.txt", *args)
    assert got == code, out + err


def test_text_output_end_to_end(project, capsys):
    write(project / "a.txt", f"Intro.\n\n{SAFE}\n")
    code, out, err = lint(capsys, "a.txt")
    assert code == 1
    assert out == (
        "a.txt:3:14: warning [demo.total-safety] Absolute safety claim: 100% safe\n"
        f"  3 | {SAFE}\n"
        "    |              ^^^^^^^^^\n"
        "    = suggestion: Say what the known risks are.\n"
        "\n"
        "1 finding (0 errors, 1 warning, 0 infos) in 1 file\n"
    )
    assert err == ""


def test_shorthand_and_default_path(project, capsys):
    write(project / "docs/a.txt", SAFE)
    full = lint(capsys, "docs")
    assert run_cli(["docs"], capsys) == full
    assert run_cli([], capsys)[1] == lint(capsys, ".")[1]
    assert "docs/a.txt:1:14:" in full[1]


def test_json_output(project, capsys):
    write(project / "b.txt", f"{MIRACLE}\n\n{SAFE}\n")
    write(project / "a.txt", "Nothing here.\n")
    code, out, _ = lint(capsys, ".", "--format", "json")
    data = json.loads(out)
    assert code == 1
    assert data["summary"] == {"files": 2, "findings": 2}
    assert [(f["path"], f["line"], f["rule"]) for f in data["findings"]] == [
        ("b.txt", 1, "demo.miracle"),
        ("b.txt", 3, "demo.total-safety"),
    ]
    assert data["findings"][0]["text"] == "miracle cure"
    assert data["errors"] == []


def test_output_file(project, capsys):
    write(project / "a.txt", SAFE)
    code, out, _ = lint(capsys, "a.txt", "--format", "json", "--output", "report.json")
    assert (code, out) == (1, "")
    assert json.loads((project / "report.json").read_text())["summary"]["findings"] == 1


def test_unwritable_output_is_a_usage_error(project, capsys):
    write(project / "a.txt", SAFE)
    code, _, err = lint(capsys, "a.txt", "--output", "no/such/folder/report.txt")
    assert code == 2
    assert err.startswith("healthlint: error: cannot write no/such/folder/report.txt:")


def test_output_over_a_linted_file_is_refused(project, capsys):
    write(project / "a.txt", SAFE)
    code, _, err = lint(capsys, "a.txt", "--output", "a.txt")
    assert code == 2
    assert "is one of the files being linted" in err
    assert (project / "a.txt").read_text() == SAFE


def test_missing_path(project, capsys):
    code, out, err = lint(capsys, "nope.md")
    assert (code, out) == (2, "")
    assert err == "healthlint: error: nope.md: no such file or directory\n"


def test_bad_config_exits_2_with_file_and_line(project, capsys):
    write(project / "healthlint.yaml", "packs: [packs/demo.yaml]\nignroe: [demo]\n")
    write(project / "a.txt", SAFE)
    code, out, err = lint(capsys, "a.txt")
    assert code == 2
    assert "healthlint.yaml:2: key 'ignroe': unknown key 'ignroe' (did you mean 'ignore'?)" in err


def test_config_from_a_parent_folder_with_packs_relative_to_it(project, capsys, monkeypatch):
    write(project / "healthlint.yaml", "packs: [packs/demo.yaml]\nfail_on: error\n")
    write(project / "sub/deeper/a.txt", SAFE)
    monkeypatch.chdir(project / "sub")
    code, out, _ = lint(capsys, "deeper/a.txt")
    assert code == 0  # fail_on: error from the config found above
    assert "deeper/a.txt:1:14: warning [demo.total-safety]" in out


def test_explicit_config_and_no_config(project, capsys):
    write(project / "strict.yaml", "packs: [packs/demo.yaml]\nfail_on: info\n")
    write(project / "a.txt", BOOK)
    assert lint(capsys, "a.txt")[0] == 0
    assert lint(capsys, "a.txt", "--config", "strict.yaml")[0] == 1
    # without config: the built-in packs, and none of the demo rules
    code, out, _ = lint(capsys, "a.txt", "--no-config")
    assert "demo." not in out


def test_pack_option_replaces_configured_packs(project, capsys):
    demo_pack(project, "other.yaml", text=(project / "packs/demo.yaml").read_text()
              .replace("pack: demo", "pack: other"))
    write(project / "a.txt", SAFE)
    code, out, _ = lint(capsys, "a.txt", "--pack", "other.yaml")
    assert "[other.total-safety]" in out and "[demo." not in out


def test_opt_in_rule(project, capsys):
    write(project / "a.txt", GAME)
    assert lint(capsys, "a.txt")[0] == 0
    code, out, _ = lint(capsys, "a.txt", "--select", "demo.game-changer")
    assert code == 1 and "[demo.game-changer]" in out


def test_per_path_settings(project, capsys):
    write(
        project / "healthlint.yaml",
        "packs: [packs/demo.yaml]\n"
        "per_path:\n"
        "  - paths: ['drafts/**']\n"
        "    ignore: [demo.total-safety]\n"
        "  - paths: ['*.txt']\n"
        "    severity: {demo: info}\n",
    )
    write(project / "drafts/a.md.txt", SAFE)
    write(project / "b.txt", SAFE)
    code, out, _ = lint(capsys, ".", "--format", "json")
    found = [(f["path"], f["severity"]) for f in json.loads(out)["findings"]]
    assert found == [("b.txt", "info")]
    assert code == 0


def test_unknown_selector_is_a_warning(project, capsys):
    write(project / "a.txt", SAFE)
    code, _, err = lint(capsys, "a.txt", "--ignore", "demo.total-saftey")
    assert code == 1
    assert "command line: ignore entry 'demo.total-saftey' matches no loaded rule" in err
    assert "(did you mean 'demo.total-safety'?)" in err


def test_binary_invalid_utf8_and_empty_files(project, capsys):
    (project / "img.md").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")
    (project / "latin1.txt").write_bytes(("Caf\xe9. " + SAFE).encode("latin-1"))
    write(project / "empty.txt", "")
    code, out, _ = lint(capsys, ".", "--format", "json")
    data = json.loads(out)
    assert code == 1
    assert data["summary"] == {"files": 2, "findings": 1}
    assert data["findings"][0]["path"] == "latin1.txt"
    assert [e["path"] for e in data["errors"]] == ["img.md", "latin1.txt"]
    assert data["errors"][0]["message"] == "skipped: binary file (contains NUL bytes)"
    assert "invalid UTF-8" in data["errors"][1]["message"]
    # a skipped binary file alone does not fail the run
    assert lint(capsys, "img.md")[0] == 0
    code, out, _ = lint(capsys, "empty.txt")
    assert (code, out) == (0, "No problems found in 1 file\n")


def test_content_files_are_never_written(project, capsys):
    files = [write(project / f"f{i}.txt", SAFE + "\n") for i in range(3)]
    before = [(p.read_bytes(), p.stat().st_mtime_ns) for p in files]
    lint(capsys, ".")
    lint(capsys, ".", "--format", "json", "--jobs", "2")
    assert [(p.read_bytes(), p.stat().st_mtime_ns) for p in files] == before


def test_parallel_run_gives_the_same_output(project, capsys):
    for i in range(12):
        body = [SAFE, MIRACLE, BOOK, "Plain words."][i % 4]
        write(project / f"d{i % 3}/f{i:02}.txt", f"Line.\n\n{body}\n\n{SAFE}\n")
    serial = lint(capsys, ".", "--jobs", "1")
    parallel = lint(capsys, ".", "--jobs", "2")
    assert serial == parallel
    assert "in 12 files" in serial[1]


def test_run_result_lists_the_checked_files_in_order(project):
    from healthlint.files import Selector, discover
    from healthlint.runner import run

    for name in ["b.txt", "a.txt", "sub/c.txt"]:
        write(project / name, "Words.\n")
    (project / "bin.txt").write_bytes(b"\x00\x01")
    files = discover(["b.txt", "."], Selector(str(project)))
    result = run(files, [], [])
    assert result.paths == ("b.txt", "a.txt", "sub/c.txt")
    assert result.files == 3


def test_default_jobs():
    assert default_jobs(PARALLEL_MIN_FILES - 1) == 1
    assert default_jobs(PARALLEL_MIN_FILES) == (os.cpu_count() or 1)


def test_a_crashing_rule_is_reported_not_raised(project, capsys, monkeypatch):
    from healthlint.kinds.pattern import PatternKind

    def boom(self, doc):
        raise RuntimeError("boom")

    monkeypatch.setattr(PatternKind, "check", boom)
    write(project / "a.txt", SAFE)
    code, out, _ = lint(capsys, "a.txt", "--select", "demo.miracle")
    assert code == 1
    assert "a.txt: error: internal error in rule demo.miracle: RuntimeError: boom" in out


@pytest.mark.parametrize(
    ("mode", "tty", "no_color", "expected"),
    [
        ("auto", True, None, True),
        ("auto", True, "1", False),
        ("auto", False, None, False),
        ("always", False, "1", True),
        ("never", True, None, False),
    ],
)
def test_colour_choice(monkeypatch, mode, tty, no_color, expected):
    class Stream(io.StringIO):
        def isatty(self):
            return tty

    if no_color is None:
        monkeypatch.delenv("NO_COLOR", raising=False)
    else:
        monkeypatch.setenv("NO_COLOR", no_color)
    assert _use_color(mode, Stream()) is expected


def test_colour_always(project, capsys):
    write(project / "a.txt", SAFE)
    assert "\x1b[" in lint(capsys, "a.txt", "--color", "always")[1]
    assert "\x1b[" not in lint(capsys, "a.txt")[1]  # captured output is not a terminal


def test_quiet(project, capsys):
    write(project / "a.txt", SAFE)
    out = lint(capsys, "a.txt", "-q")[1]
    assert out.startswith("a.txt:1:14:") and "finding (" not in out


@pytest.mark.parametrize(
    "args",
    [
        ["check", "--format", "xml", "."],
        ["check", "--fail-on", "sometimes", "."],
        ["check", "--jobs", "0", "."],
        ["explain"],
    ],
)
def test_usage_errors_exit_2(project, capsys, args):
    code, _, err = run_cli(args, capsys)
    assert code == 2
    assert "usage:" in err


def test_rules_listing(project, capsys):
    code, out, _ = run_cli(["rules"], capsys)
    assert code == 0
    lines = out.splitlines()
    assert lines[0].split() == ["RULE", "CATEGORY", "SEVERITY", "ENABLED", "MESSAGE"]
    row = next(line for line in lines if line.startswith("demo.game-changer"))
    assert row.split()[:4] == ["demo.game-changer", "hype", "warning", "no"]
    assert any(line.startswith("healthlint.unused-suppression") for line in lines)
    assert lines[-1] == "5 rules"

    code, out, _ = run_cli(["rules", "--format", "json"], capsys)
    data = {r["id"]: r for r in json.loads(out)}
    assert data["demo.miracle"]["severity"] == "error"
    assert data["demo.miracle"]["examples"] == {
        "flag": ["A miracle cure for knee pain."],
        "pass": ["A treatment for knee pain."],
    }
    assert data["demo.game-changer"]["enabled"] is False
    assert data["demo.book-now"]["options"] == {
        "patterns": ["book (?:your|a) (?:consultation|appointment) (?:today|now)"]
    }


def test_explain(project, capsys):
    code, out, _ = run_cli(["explain", "demo.total-safety"], capsys)
    assert code == 0
    for part in [
        "demo.total-safety",
        "category: absolute-claim",
        "severity: warning",
        "No treatment is free of risk.",
        "Source: test pack",
        "Suggestion: Say what the known risks are.",
        "Scope:      all prose",
        "  - This cream is 100% safe.",
        "  - This cream is well tolerated by most adults.",
        "packs/demo.yaml:",
    ]:
        assert part in out, part


def test_explain_unknown_rule_suggests(project, capsys):
    code, out, err = run_cli(["explain", "demo.miracel"], capsys)
    assert code == 2
    assert "unknown rule 'demo.miracel' (did you mean 'demo.miracle'?)" in err


def test_test_rules_passes_on_good_examples(project, capsys):
    code, out, _ = run_cli(["test-rules"], capsys)
    assert code == 0
    assert out == "All 8 examples of 4 rules behave as documented\n"


def test_test_rules_reports_each_failing_example_with_its_line(project, capsys):
    text = (project / "packs/demo.yaml").read_text()
    text = text.replace('flag: ["Book your consultation today!"]',
                        'flag:\n        - "Book your consultation today!"\n        - "Call us."')
    text = text.replace('pass: ["A treatment for knee pain."]',
                        'pass: ["A miracle cure? No."]')
    pack = write(project / "broken.yaml", text)
    code, out, _ = run_cli(["test-rules", str(pack)], capsys)
    lines = text.splitlines()
    call_line = next(i for i, line in enumerate(lines, 1) if "Call us." in line)
    pass_line = next(i for i, line in enumerate(lines, 1) if "A miracle cure? No." in line)
    assert code == 1
    assert (
        f"{pack}:{call_line}: rule 'demo.book-now', key 'examples': "
        "flag example 2 was not flagged: 'Call us.'"
    ) in out
    assert (
        f"{pack}:{pass_line}: rule 'demo.miracle', key 'examples': "
        "pass example 1 was flagged ('miracle cure'): 'A miracle cure? No.'"
    ) in out
    assert out.endswith("2 failing of 9 examples in 4 rules\n")


def test_python_dash_m(project):
    write(project / "a.txt", SAFE)
    proc = run_module(["a.txt"], cwd=project)
    assert proc.returncode == 1
    assert "[demo.total-safety]" in proc.stdout
    assert run_module(["--version"], cwd=project).stdout.strip() == f"healthlint {__version__}"


def test_inline_suppressions_end_to_end(project, capsys):
    write(
        project / "a.md",
        "# Knee care\n\n"
        "<!-- healthlint-disable-next-line demo.total-safety -- quoting the label -->\n"
        f"{SAFE}\n\n"
        "<!-- healthlint-disable-next-line demo.miracle -->\n"
        "Plain sentence.\n\n"
        f"{MIRACLE}\n\n"
        "<!-- healthlint-disable demo -->\n"
        f"{SAFE} {BOOK}\n"
        "<!-- healthlint-enable demo -->\n\n"
        "<!-- healthlint-disabel demo -->\n",
    )
    code, out, _ = lint(capsys, "a.md", "--format", "json")
    data = json.loads(out)
    assert [(f["line"], f["column"], f["rule"], f["severity"]) for f in data["findings"]] == [
        (6, 1, "healthlint.unused-suppression", "info"),
        (9, 9, "demo.miracle", "error"),
    ]
    unused = data["findings"][0]
    assert unused["category"] == "meta"
    assert unused["text"] == "<!-- healthlint-disable-next-line demo.miracle -->"
    assert unused["message"] == "unused suppression: no 'demo.miracle' finding here to suppress"
    assert [e["path"] for e in data["errors"]] == ["a.md"]  # the misspelt directive
    assert "healthlint-disabel" in data["errors"][0]["message"]
    assert code == 1
    # the report is a rule like any other
    code, out, _ = lint(capsys, "a.md", "--format", "json", "--ignore", "healthlint")
    assert [f["rule"] for f in json.loads(out)["findings"]] == ["demo.miracle"]


def test_suppressions_in_plain_text_and_html(project, capsys):
    write(project / "a.txt", f"<!-- healthlint-disable-next-line demo -->\n{SAFE}\n")
    write(project / "b.html", f"<p>{SAFE}</p>\n<!-- healthlint-disable -->\n<p>{MIRACLE}</p>\n")
    code, out, _ = lint(capsys, ".", "--format", "json")
    found = [(f["path"], f["line"], f["rule"]) for f in json.loads(out)["findings"]]
    assert found == [("b.html", 1, "demo.total-safety")]


def test_markdown_code_is_not_linted(project, capsys):
    write(project / "a.md", f"# Notes\n\n```\n{SAFE}\n```\n\nThe phrase `{MIRACLE}` is quoted.\n")
    code, out, _ = lint(capsys, "a.md")
    assert (code, out) == (0, "No problems found in 1 file\n")
