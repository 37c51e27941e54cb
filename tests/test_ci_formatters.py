"""Golden-file tests of the CI formatters (SARIF, GitHub, GitLab, JUnit, reviewdog).

Regenerate after a deliberate change with HEALTHLINT_UPDATE_GOLDEN=1 and review the diff.
"""

from __future__ import annotations

import json
import os
import xml.etree.ElementTree as ET
from dataclasses import replace
from pathlib import Path

import jsonschema
import pytest
from ci_fixtures import ROOT, RULES, documents, findings, line_text, sarif_schema

from healthlint.formatters import github, gitlab, junit, rdjsonl, sarif
from healthlint.model import Severity

GOLDEN = Path(__file__).parent / "golden"


def golden(name: str, text: str) -> None:
    path = GOLDEN / name
    if os.environ.get("HEALTHLINT_UPDATE_GOLDEN"):
        path.write_text(text, encoding="utf-8", newline="")
    with open(path, encoding="utf-8", newline="") as fh:
        assert text == fh.read()


def sarif_log() -> dict:
    return sarif.render(findings(), RULES, ROOT, version="9.9.9",
                        information_uri="https://example.org/healthlint")


# --- SARIF -------------------------------------------------------------------------------


def test_sarif_golden():
    golden("findings.sarif", json.dumps(sarif_log(), indent=2, ensure_ascii=False) + "\n")


def test_sarif_validates_against_official_schema(shared):
    jsonschema.Draft4Validator(sarif_schema(shared)).validate(sarif_log())


def test_sarif_columns_are_code_points_and_declared():
    log = sarif_log()
    run = log["runs"][0]
    assert run["columnKind"] == "unicodeCodePoints"
    first = run["results"][0]["locations"][0]["physicalLocation"]
    # "Café 😀 owners say this balm has " is 32 code points (33 UTF-16 units, 36 bytes)
    assert first["region"]["startColumn"] == 33
    assert first["region"]["snippet"]["text"] == "no side effects"
    assert first["artifactLocation"] == {"uri": "articles/caf%C3%A9.md", "uriBaseId": "%SRCROOT%"}
    assert run["originalUriBaseIds"]["%SRCROOT%"]["uri"] == "file:///repo/"


def test_sarif_rules_and_indexes():
    run = sarif_log()["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    assert [r["id"] for r in rules] == sorted(r.id for r in RULES)
    for result in run["results"]:
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]
    side = next(r for r in rules if r["id"] == "absolute-claims.no-side-effects")
    short = side["shortDescription"]["text"]
    assert short == "Absolute claim “…”: every treatment has side effects."
    assert side["helpUri"] == "https://example.org/rules/no-side-effects"
    assert "Source: Test guidance" in side["help"]["text"]
    assert side["defaultConfiguration"]["level"] == "warning"
    levels = {r["ruleId"]: r["level"] for r in run["results"]}
    assert levels["regulatory.cure-claim"] == "error"
    assert levels["uncited-statistics.percent"] == "note"


def test_sarif_result_of_unlisted_rule_gets_a_descriptor(shared):
    f = findings()[0]
    extra = replace(f, rule="healthlint.unused")
    run = sarif.render([extra], RULES, ROOT, version="1")["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    assert rules[run["results"][0]["ruleIndex"]]["id"] == "healthlint.unused"
    jsonschema.Draft4Validator(sarif_schema(shared)).validate({**sarif_log(), "runs": [run]})


def test_sarif_fingerprints_survive_lines_inserted_above():
    before = {r["partialFingerprints"]["healthlint/v1"] for r in sarif_log()["runs"][0]["results"]}
    from ci_fixtures import CAFE, doc, find

    moved = doc("articles/café.md", "A new first line.\n\n" + CAFE)
    f = find(moved, "absolute-claims.no-side-effects", "no side effects")
    after = sarif.render([f], RULES, ROOT, version="1")["runs"][0]["results"][0]
    assert after["locations"][0]["physicalLocation"]["region"]["startLine"] == 3
    assert after["partialFingerprints"]["healthlint/v1"] in before


# --- GitHub ------------------------------------------------------------------------------


def test_github_golden():
    golden("findings.github.txt", github.render(findings(), ROOT))


def test_github_escaping():
    assert github.escape_data("50% a\r\nb: c, d") == "50%25 a%0D%0Ab: c, d"
    assert github.escape_property("a:b,c%\n") == "a%3Ab%2Cc%25%0A"


def test_github_most_severe_first_capped_and_nothing_dropped():
    base = findings()[0]
    many = [
        replace(base, line=n, end_line=n, severity=sev)
        for n, sev in enumerate([Severity.WARNING] * 24 + [Severity.ERROR] * 11
                                + [Severity.INFO] * 3, start=1)
    ]
    out = github.render(many, ROOT).splitlines()
    commands = [line.split(" ", 1)[0] for line in out if line.startswith("::")]
    assert commands == ["::error"] * 10 + ["::warning"] * 10 + ["::notice"] * 3
    assert "healthlint: and 1 more error (GitHub shows 10 error annotations per step):" in out
    assert "healthlint: and 14 more warnings (GitHub shows 10 warning annotations per step):" in out
    listed = [line for line in out if line.startswith("  articles/café.md:")]
    assert len(listed) == 15
    assert listed[0].startswith("  articles/café.md:35:33: absolute-claims.no-side-effects ")
    assert not any(line.startswith("::") for line in out[23:])


# --- GitLab ------------------------------------------------------------------------------


def test_gitlab_golden():
    golden("findings.gitlab.json",
           json.dumps(gitlab.render(findings(), ROOT), indent=2, ensure_ascii=False) + "\n")


def test_gitlab_fields_and_severities():
    issues = gitlab.render(findings(), ROOT)
    assert len({i["fingerprint"] for i in issues}) == len(issues)
    sev = {i["check_name"]: i["severity"] for i in issues}
    assert sev["regulatory.cure-claim"] == "critical"
    assert sev["absolute-claims.no-side-effects"] == "minor"
    assert sev["uncited-statistics.percent"] == "info"
    multi = next(i for i in issues if i["check_name"] == "absolute-claims.completely-safe")
    assert multi["location"] == {"path": "articles/café.md", "lines": {"begin": 3, "end": 4}}
    error = findings()[1]
    assert error.category == "regulatory"
    plain = replace(error, category="hype")
    assert gitlab.severity(plain) == "major"


def test_gitlab_identical_claims_get_distinct_stable_fingerprints():
    from ci_fixtures import doc, find

    text = "It has no side effects.\n\nIt has no side effects.\n"
    d = doc("articles/twice.md", text)
    first = find(d, "absolute-claims.no-side-effects", "no side effects")
    start = text.rindex("no side effects")
    from healthlint.model import make_finding

    second = make_finding(d, start, start + 15, rule=first.rule, category=first.category,
                          severity=first.severity, message=first.message)
    a = gitlab.render([first, second], ROOT)
    b = gitlab.render([second, first], ROOT)
    assert a[0]["fingerprint"] != a[1]["fingerprint"]
    assert [i["fingerprint"] for i in a] == [i["fingerprint"] for i in b]


# --- JUnit -------------------------------------------------------------------------------


def junit_xml() -> str:
    files = [str(ROOT / p) for p in documents()]
    return junit.render(findings(), files, ROOT, errors=[(str(ROOT / "articles/bin.md"),
                                                          "binary file (contains NUL bytes)")])


def test_junit_golden():
    golden("findings.junit.xml", junit_xml())


def test_junit_parses_with_counts():
    suites = ET.fromstring(junit_xml().encode("utf-8"))
    suite = suites.find("testsuite")
    cases = suite.findall("testcase")
    assert [c.get("name") for c in cases] == [
        "articles/café.md", "articles/résumé, notes.txt", "articles/clean.txt", "articles/bin.md"]
    assert suite.get("tests") == "4" and suite.get("failures") == "2" and suite.get("errors") == "1"
    assert len(suite.findall("testcase/failure")) == len(findings())
    clean = cases[2]
    assert list(clean) == []
    failure = cases[0].find("failure")
    assert failure.get("type") == "absolute-claims.no-side-effects"
    assert failure.text.startswith("1:33: warning [absolute-claims.no-side-effects]")


def test_junit_control_characters_stay_valid_xml():
    f = findings()[0]
    bad = replace(f, message="bell \x07 and \x1b[31m", text="a\x00b")
    xml = junit.render([bad], [f.path], ROOT)
    failure = ET.fromstring(xml.encode("utf-8")).find("testsuite/testcase/failure")
    assert failure.get("message") == "bell \\x07 and \\x1b[31m"
    assert "a\\x00b" in failure.text


# --- reviewdog ---------------------------------------------------------------------------


def test_rdjsonl_golden():
    golden("findings.rdjsonl", rdjsonl.render(findings(), RULES, ROOT, line_text))


def test_rdjsonl_columns_are_utf8_bytes():
    lines = rdjsonl.render(findings(), RULES, ROOT, line_text).splitlines()
    diags = [json.loads(line) for line in lines]
    side = next(d for d in diags if d["code"]["value"] == "absolute-claims.no-side-effects")
    # "Café 😀 owners say this balm has " = 32 code points = 36 UTF-8 bytes
    assert side["location"]["range"] == {"start": {"line": 1, "column": 37},
                                         "end": {"line": 1, "column": 52}}
    assert side["code"]["url"] == "https://example.org/rules/no-side-effects"
    assert "suggestions" not in side
    multi = next(d for d in diags if d["code"]["value"] == "absolute-claims.completely-safe")
    # starts after "Our clinic's doctors agree " (ASCII), ends on the next line
    assert multi["location"]["range"]["end"] == {"line": 4, "column": 16}
    expert = next(d for d in diags if d["code"]["value"] == "vague-attribution.experts-say")
    # "Résumé: «" is 9 code points, 12 bytes
    assert expert["location"]["range"]["start"]["column"] == 13
    assert {d["severity"] for d in diags} == {"ERROR", "WARNING", "INFO"}


@pytest.mark.parametrize("prefix, column, expected", [
    ("abc", 4, 4), ("é", 2, 3), ("😀x", 3, 6), ("😀x", 2, 5), ("", 1, 1)])
def test_byte_column(prefix, column, expected):
    assert rdjsonl.byte_column(prefix, column) == expected


def test_rdjsonl_reads_lines_as_readers_decode_them(tmp_path):
    path = tmp_path / "a.md"
    path.write_bytes(b"\xef\xbb\xbfCaf\xc3\xa9 line\r\nsecond\n")
    lines = rdjsonl.file_lines()
    assert lines(str(path), 1) == "Café line\r"
    assert lines(str(path), 2) == "second"
    assert lines(str(path), 9) == ""
    assert lines(str(tmp_path / "missing.md"), 1) == ""
