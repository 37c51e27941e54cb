"""End to end: healthlint as a CI gate on real git repositories built in tmp_path.

The articles and the rule pack are sentences written for these tests.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import jsonschema
import pytest
import yaml
from ci_fixtures import sarif_schema

from healthlint.packs import builtin_names

REPO = Path(__file__).resolve().parents[1]

PACK = """\
pack: gate
rules:
  - id: side-effects
    kind: pattern
    category: absolute-claim
    severity: warning
    message: "Absolute claim: {match}"
    rationale: Every treatment that works has side effects.
    source: test pack
    link: https://example.org/side-effects
    phrases: ["no side effects"]
    examples: {flag: ["It has no side effects."], pass: ["It has mild side effects."]}
  - id: miracle
    kind: pattern
    category: hype
    severity: error
    message: "Hype: {match}"
    rationale: Miracles are not a treatment category.
    source: test pack
    phrases: ["miracle cure"]
    examples: {flag: ["A miracle cure."], pass: ["A treatment."]}
  - id: percent-safe
    kind: pattern
    category: absolute-claim
    severity: warning
    message: "Absolute safety claim: {match}"
    rationale: No treatment is free of risk.
    source: test pack
    phrases: ["100% safe", "completely safe"]
    examples: {flag: ["It is 100% safe."], pass: ["It is well tolerated."]}
"""

# Ten findings in the base commit: five in each article.
ARTICLE_A = """\
# Knee balm

This knee balm has no side effects, say its makers.

Some call it a miracle cure for stiff joints.

The jar says it is 100% safe for children.

Another jar says it is completely safe in pregnancy.

A leaflet repeats that it has no side effects.
"""
ARTICLE_B = """\
# Sleep tea

The tea is completely safe, the label claims.

A friend called it a miracle cure for insomnia.

It has no side effects, the shop assistant said.

Her cousin thought it 100% safe with wine.

An advert repeated that it is a miracle cure.
"""
NEW_SENTENCE = "\nThe new gummies are 100% safe at any dose.\n"

GIT_ENV = {
    "GIT_AUTHOR_NAME": "Test", "GIT_AUTHOR_EMAIL": "t@example.org",
    "GIT_COMMITTER_NAME": "Test", "GIT_COMMITTER_EMAIL": "t@example.org",
    "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1",
}


def git(repo: Path, *args: str) -> str:
    return subprocess.run(
        ["git", "-c", "init.defaultBranch=main", *args], cwd=repo, check=True,
        capture_output=True, text=True, env={**os.environ, **GIT_ENV},
    ).stdout


def healthlint(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, **GIT_ENV, "PYTHONPATH": str(REPO / "src"), "NO_COLOR": "1"}
    return subprocess.run(
        [sys.executable, "-m", "healthlint", *args], cwd=cwd, env=env,
        capture_output=True, text=True, encoding="utf-8",
    )


def findings_of(proc: subprocess.CompletedProcess[str]) -> list[dict]:
    return json.loads(proc.stdout)["findings"]


@pytest.fixture
def repo(tmp_path) -> Path:
    r = tmp_path / "content"
    (r / "articles").mkdir(parents=True)
    (r / "gate.yaml").write_text(PACK, encoding="utf-8")
    (r / "healthlint.yaml").write_text("packs: [gate.yaml]\n", encoding="utf-8")
    (r / "articles" / "knee.md").write_text(ARTICLE_A, encoding="utf-8")
    (r / "articles" / "sleep.md").write_text(ARTICLE_B, encoding="utf-8")
    git(r, "init", "-q")
    git(r, "add", ".")
    git(r, "commit", "-qm", "base articles")
    return r


def open_pull_request(repo: Path) -> None:
    git(repo, "checkout", "-qb", "pr")
    with open(repo / "articles" / "sleep.md", "a", encoding="utf-8") as fh:
        fh.write(NEW_SENTENCE)
    git(repo, "commit", "-qam", "add gummies")


def test_base_has_ten_findings(repo):
    proc = healthlint(repo, "check", "--format", "json", "articles")
    assert proc.returncode == 1, proc.stderr
    assert len(findings_of(proc)) == 10


def test_diff_reports_only_the_new_finding(repo):
    open_pull_request(repo)
    assert len(findings_of(healthlint(repo, "check", "--format", "json", "articles"))) == 11
    for base in ("main", git(repo, "rev-parse", "main").strip()):
        proc = healthlint(repo, "check", "--diff", base, "--format", "json", "articles")
        assert proc.returncode == 1, proc.stderr
        [only] = findings_of(proc)
        assert (only["path"], only["line"], only["text"]) == ("articles/sleep.md", 13, "100% safe")


def test_diff_works_from_a_subfolder_with_uncommitted_edits(repo):
    open_pull_request(repo)
    text = (repo / "articles" / "knee.md").read_text(encoding="utf-8")
    (repo / "articles" / "knee.md").write_text(text.replace("for children", "for toddlers"))
    proc = healthlint(repo / "articles", "check", "--diff", "main", "--format", "json", ".")
    assert proc.returncode == 1, proc.stderr
    got = sorted((f["path"], f["line"]) for f in findings_of(proc))
    assert got == [("knee.md", 7), ("sleep.md", 13)]


def test_diff_clean_pull_request_passes(repo):
    git(repo, "checkout", "-qb", "pr")
    with open(repo / "articles" / "sleep.md", "a", encoding="utf-8") as fh:
        fh.write("\nDrink water and keep a regular bedtime.\n")
    git(repo, "commit", "-qam", "harmless")
    proc = healthlint(repo, "check", "--diff", "main", "articles")
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_baseline_hides_old_findings_after_lines_inserted_above(repo):
    baseline = repo / ".healthlint-baseline.json"
    proc = healthlint(repo, "check", "--write-baseline", str(baseline), "articles")
    assert proc.returncode == 0, proc.stderr
    assert "10 findings" in proc.stderr
    data = json.loads(baseline.read_text(encoding="utf-8"))
    assert data["version"] == 1 and sum(e["count"] for e in data["entries"]) == 10

    git(repo, "checkout", "-qb", "pr")
    for name in ("knee.md", "sleep.md"):
        path = repo / "articles" / name
        title, rest = path.read_text(encoding="utf-8").split("\n", 1)
        path.write_text(f"{title}\n\nA new introduction.\n\nAnd a second one.\n{rest}")
    with open(repo / "articles" / "sleep.md", "a", encoding="utf-8") as fh:
        fh.write(NEW_SENTENCE)
    proc = healthlint(repo, "check", "--baseline", str(baseline), "--format", "json", "articles")
    assert proc.returncode == 1, proc.stderr
    [only] = findings_of(proc)
    assert (only["path"], only["text"]) == ("articles/sleep.md", "100% safe")
    assert only["line"] == 17
    assert "no longer match" not in proc.stderr


def test_baseline_counts_repeats_and_reports_fixed(repo):
    baseline = repo / "b.json"
    healthlint(repo, "check", "--write-baseline", str(baseline), "articles")
    path = repo / "articles" / "knee.md"
    text = path.read_text(encoding="utf-8")
    # a third copy of an already recorded claim (same words around it), and one fix
    text = text.replace("A leaflet repeats that it has no side effects.",
                        "A leaflet repeats that it has no side effects.\n\n"
                        "A leaflet repeats that it has no side effects.")
    text = text.replace("a miracle cure for stiff joints", "a remedy for stiff joints")
    path.write_text(text, encoding="utf-8")
    proc = healthlint(repo, "check", "--baseline", str(baseline), "--format", "json", "articles")
    assert proc.returncode == 1
    [extra] = findings_of(proc)
    assert (extra["line"], extra["text"]) == (13, "no side effects")  # the later copy
    assert "1 baseline entry no longer matches (fixed)" in proc.stderr
    assert "--write-baseline" in proc.stderr


def test_write_baseline_is_stable(repo):
    healthlint(repo, "check", "--write-baseline", "one.json", "articles")
    healthlint(repo / "articles", "check", "--write-baseline", "../two.json", ".")
    assert (repo / "one.json").read_bytes() == (repo / "two.json").read_bytes()


def test_error_not_a_git_repository(tmp_path):
    (tmp_path / "a.md").write_text("It has no side effects.\n", encoding="utf-8")
    (tmp_path / "gate.yaml").write_text(PACK, encoding="utf-8")
    proc = healthlint(tmp_path, "check", "--pack", "gate.yaml", "--diff", "main", "a.md")
    assert proc.returncode == 2
    assert "not inside a git repository" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_error_unknown_base(repo):
    proc = healthlint(repo, "check", "--diff", "origin/nowhere", "articles")
    assert proc.returncode == 2
    assert "unknown revision" in proc.stderr and "Traceback" not in proc.stderr


@pytest.mark.parametrize("content", ["{oops", '{"version": 1, "entries": [{"count": "x"}]}'])
def test_error_bad_baseline(repo, content):
    (repo / "bad.json").write_text(content, encoding="utf-8")
    proc = healthlint(repo, "check", "--baseline", "bad.json", "articles")
    assert proc.returncode == 2
    assert "bad.json" in proc.stderr and "Traceback" not in proc.stderr


def test_several_outputs_in_one_run(repo):
    (repo / "out").mkdir()
    proc = healthlint(repo, "check", "--format", "text", "--format", "sarif:out/r.sarif",
                      "--format", "gitlab:gl.json", "--format", "junit:j.xml",
                      "--format", "rdjsonl:r.jsonl", "articles")
    assert proc.returncode == 1, proc.stderr
    assert "articles/knee.md:3:" in proc.stdout
    sarif = json.loads((repo / "out" / "r.sarif").read_text(encoding="utf-8"))
    assert len(sarif["runs"][0]["results"]) == 10
    assert len(json.loads((repo / "gl.json").read_bytes().decode("utf-8"))) == 10
    assert not (repo / "gl.json").read_bytes().startswith(b"\xef\xbb\xbf")
    assert len((repo / "r.jsonl").read_text(encoding="utf-8").splitlines()) == 10
    suite = ET.fromstring((repo / "j.xml").read_bytes()).find("testsuite")
    assert (suite.get("tests"), suite.get("failures")) == ("2", "2")
    assert len(suite.findall("testcase/failure")) == 10


def test_output_file_and_usage_errors(repo):
    proc = healthlint(repo, "check", "--format", "github", "--output", "gh.txt", "articles")
    assert proc.returncode == 1 and proc.stdout == ""
    assert (repo / "gh.txt").read_text(encoding="utf-8").count("::") >= 20
    proc = healthlint(repo, "check", "--format", "text", "--format", "json", "articles")
    assert proc.returncode == 2 and "standard output" in proc.stderr
    proc = healthlint(repo, "check", "--format", "nope", "articles")
    assert proc.returncode == 2 and "unknown format" in proc.stderr
    before = (repo / "articles" / "knee.md").read_bytes()
    for args in (["--format", "sarif:articles/knee.md"], ["--write-baseline", "articles/knee.md"]):
        proc = healthlint(repo, "check", *args, "articles")
        assert proc.returncode == 2 and "one of the files being linted" in proc.stderr
    assert (repo / "articles" / "knee.md").read_bytes() == before


def test_statistics(repo):
    proc = healthlint(repo, "check", "--statistics", "articles")
    lines = proc.stdout.splitlines()
    at = next(i for i, line in enumerate(lines) if line.endswith("total"))
    assert [line.split() for line in lines[at - 3 : at + 1]] == [
        ["4", "gate.percent-safe", "absolute-claim"],
        ["3", "gate.miracle", "hype"],
        ["3", "gate.side-effects", "absolute-claim"],
        ["10", "total"],
    ]
    proc = healthlint(repo, "check", "--statistics", "--format", "json", "articles")
    assert len(json.loads(proc.stdout)["findings"]) == 10  # stdout stays the JSON contract
    assert "total" in proc.stderr


def test_sarif_of_the_seed_articles_validates(shared, tmp_path):
    (tmp_path / "gate.yaml").write_text(PACK.replace(
        '["100% safe", "completely safe"]', '["safe", "cure", "effective", "proven"]'),
        encoding="utf-8")
    out = tmp_path / "seeds.sarif"
    packs = [arg for name in [*builtin_names(), "gate.yaml"] for arg in ("--pack", name)]
    every_rule = ",".join([*builtin_names(), "gate"])  # a whole pack also turns on opt-in rules
    proc = healthlint(tmp_path, "check", "--no-config", *packs, "--select", every_rule,
                      "--format", f"sarif:{out}", "--fail-on", "never",
                      str(shared / "corpus" / "seeds"))
    assert proc.returncode == 0, proc.stderr
    log = json.loads(out.read_text(encoding="utf-8"))
    jsonschema.Draft4Validator(sarif_schema(shared)).validate(log)
    run = log["runs"][0]
    results = run["results"]
    assert results, "the seed articles should give some findings"
    listed = {r["id"] for r in run["tool"]["driver"]["rules"]}
    assert {f"{name}." for name in builtin_names()} <= {i.split(".")[0] + "." for i in listed}
    seeds = {p.name for p in (shared / "corpus" / "seeds").iterdir()}
    assert {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].rsplit("/", 1)[-1]
            for r in results} <= seeds


def test_action_script_runs(repo, tmp_path):
    """The composite action's run step, executed by bash as the runner would."""
    action = yaml.safe_load((REPO / "action.yml").read_text(encoding="utf-8"))
    step = next(s for s in action["runs"]["steps"] if s.get("id") == "run")
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    shim = bin_dir / "healthlint"
    shim.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m healthlint "$@"\n')
    shim.chmod(0o755)
    open_pull_request(repo)
    output = tmp_path / "github_output"
    env = {**os.environ, **GIT_ENV, "PYTHONPATH": str(REPO / "src"),
           "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}", "GITHUB_OUTPUT": str(output),
           "HL_PATHS": "articles", "HL_DIFF_BASE": "main", "HL_FAIL_ON": "warning",
           "HL_BASELINE": "", "HL_SARIF": "healthlint.sarif", "HL_ARGS": ""}
    proc = subprocess.run(["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", step["run"]],
                          cwd=repo, env=env, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    assert output.read_text() == "exit-code=1\n"
    annotations = [line for line in proc.stdout.splitlines() if line.startswith("::")]
    assert annotations == [
        "::warning file=articles/sleep.md,line=13,col=21,endLine=13,endColumn=30,"
        "title=gate.percent-safe::Absolute safety claim: 100% safe".replace("100%", "100%25")
    ]
    assert len(json.loads((repo / "healthlint.sarif").read_text())["runs"][0]["results"]) == 1
