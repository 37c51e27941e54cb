from dataclasses import replace

import pytest

from healthlint.config import Config, PathRules
from healthlint.filters import (
    UNUSED_SUPPRESSION,
    DocInfo,
    apply,
    build_pipeline,
    suppressor,
)
from healthlint.model import Directive, Severity, make_finding
from healthlint.packs import Rule
from healthlint.readers.text import read
from healthlint.selection import Selection

SOURCE = """\
<!-- healthlint-disable demo.safe -->
Line two is 100% safe.
<!-- healthlint-enable demo.safe -->
Line four is 100% safe.
<!-- healthlint-disable-next-line demo -->

Line seven: a miracle cure, 100% safe.
Line eight: a miracle cure.
<!-- healthlint-disable -->
Line ten: anything.
"""


def directive(action, rules, line, end_line=None):
    return Directive(action, tuple(rules), line, 1, end_line or line)


DIRECTIVES = (
    directive("disable", ["demo.safe"], 1),
    directive("enable", ["demo.safe"], 3),
    directive("disable-next-line", ["demo"], 5),
    directive("disable", [], 9),
)


def doc_with(directives, source=SOURCE, path="a.md"):
    return replace(read(path, source), directives=tuple(directives))


def at(doc, line, rule, col=1, length=4, severity=Severity.WARNING):
    start = doc.lines.offset(line, col)
    return make_finding(
        doc, start, start + length, rule=rule, category="hype", severity=severity, message="m"
    )


def kept(doc, findings, known=("demo.safe", "demo.miracle", "other.x")):
    out = suppressor(known)(DocInfo.from_document(doc), list(findings))
    return [(f.line, f.rule) for f in out]


@pytest.mark.parametrize(
    ("line", "rule", "suppressed"),
    [
        (2, "demo.safe", True),  # inside disable..enable
        (2, "demo.miracle", False),  # another rule
        (4, "demo.safe", False),  # after enable
        (7, "demo.safe", True),  # next non-blank line after the comment, prefix "demo"
        (7, "demo.miracle", True),
        (7, "other.x", False),
        (8, "demo.miracle", False),  # only the next line
        (10, "other.x", True),  # disable with no list: every rule, to the end
    ],
)
def test_suppression_table(line, rule, suppressed):
    doc = doc_with(DIRECTIVES)
    out = kept(doc, [at(doc, line, rule)])
    assert ((line, rule) not in out) is suppressed


def test_unused_suppressions_are_reported_once_each_with_position_and_text():
    doc = doc_with(DIRECTIVES)
    info = DocInfo.from_document(doc)
    out = suppressor(["demo.safe", "demo.miracle"])(info, [at(doc, 2, "demo.safe")])
    unused = [f for f in out if f.rule == UNUSED_SUPPRESSION]
    assert [(f.line, f.column, f.end_line, f.message) for f in unused] == [
        (5, 1, 5, "unused suppression: no 'demo' finding here to suppress"),
        (9, 1, 9, "unused suppression: nothing here to suppress"),
    ]
    assert unused[0].text == "<!-- healthlint-disable-next-line demo -->"
    assert unused[0].category == "meta"
    assert unused[0].severity == Severity.INFO


def test_a_glob_selector_in_a_suppression():
    doc = doc_with([directive("disable-next-line", ["*.safe"], 1)])
    assert kept(doc, [at(doc, 2, "demo.safe"), at(doc, 2, "demo.miracle")]) == [(2, "demo.miracle")]


def test_a_suppression_naming_no_known_rule_is_reported_as_such():
    doc = doc_with([directive("disable-next-line", ["demo.sfae"], 1)])
    out = suppressor(["demo.safe"])(DocInfo.from_document(doc), [at(doc, 2, "demo.safe")])
    assert [(f.rule, f.message) for f in out] == [
        ("demo.safe", "m"),
        (UNUSED_SUPPRESSION, "unused suppression: 'demo.sfae' matches no rule"),
    ]


def test_each_listed_rule_is_judged_separately():
    doc = doc_with([directive("disable-next-line", ["demo.safe", "demo.miracle"], 1)])
    out = suppressor(["demo.safe", "demo.miracle"])(
        DocInfo.from_document(doc), [at(doc, 2, "demo.safe")]
    )
    assert [f.message for f in out] == [
        "unused suppression: no 'demo.miracle' finding here to suppress"
    ]


def test_suppression_for_a_rule_that_did_not_run_is_not_reported():
    doc = doc_with([directive("disable-next-line", ["demo.safe"], 1)])
    step = suppressor(["demo.safe"], is_on=lambda rule_id, path: False)
    assert step(DocInfo.from_document(doc), []) == []


def test_multi_line_comment_covers_the_line_after_its_end():
    source = (
        "<!-- healthlint-disable-next-line demo.safe\n  -- quoting a trial -->\nText 100% safe.\n"
    )
    doc = doc_with([directive("disable-next-line", ["demo.safe"], 1, end_line=2)], source)
    assert kept(doc, [at(doc, 3, "demo.safe")]) == []


def test_enable_of_one_rule_inside_a_disable_all():
    source = "<!-- healthlint-disable -->\na\n<!-- healthlint-enable demo.safe -->\nb\n"
    doc = doc_with(
        [directive("disable", [], 1), directive("enable", ["demo.safe"], 3)], source
    )
    found = [at(doc, 4, "demo.safe", length=1), at(doc, 4, "demo.miracle", length=1)]
    assert kept(doc, found) == [(4, "demo.safe")]


def test_no_directives_is_a_no_op():
    doc = doc_with([])
    findings = [at(doc, 2, "demo.safe")]
    assert suppressor([])(DocInfo.from_document(doc), findings) is findings


def _rule(rule_id, severity=Severity.WARNING):
    return Rule(
        id=rule_id, pack=rule_id.partition(".")[0], kind="pattern", category="hype",
        severity=severity, message="m", rationale="r", source="s",
        examples_flag=(), examples_pass=(),
    )


def test_pipeline_order_suppress_then_select_then_severity():
    from healthlint.filters import META_RULES

    rules = [_rule("demo.safe"), _rule("demo.miracle", Severity.ERROR), *META_RULES]
    config = Config(
        base="/r",
        ignore=("demo.miracle",),
        severity={"demo": "info", UNUSED_SUPPRESSION: "warning"},
        per_path=(PathRules(paths=("loud/*",), severity={"demo.safe": "error"}),),
    )
    pipeline = build_pipeline(Selection(config, rules))
    doc = doc_with([directive("disable-next-line", ["demo.safe"], 3)], path="/r/a.md")
    found = [at(doc, 2, "demo.safe"), at(doc, 2, "demo.miracle"), at(doc, 4, "demo.safe")]
    out = apply(pipeline, DocInfo.from_document(doc), found)
    # line 4 suppressed; miracle ignored; safe lowered to info by the prefix override
    assert [(f.line, f.rule, str(f.severity)) for f in out] == [(2, "demo.safe", "info")]

    loud = doc_with([directive("disable-next-line", ["demo.miracle"], 1)], path="/r/loud/b.md")
    found = [at(loud, 2, "demo.safe"), at(loud, 2, "demo.miracle")]
    out = apply(pipeline, DocInfo.from_document(loud), found)
    # the miracle suppression did work (so it is not "unused") before select dropped the rule
    assert [(f.line, f.rule, str(f.severity)) for f in out] == [(2, "demo.safe", "error")]

    unused = doc_with([directive("disable-next-line", ["demo.safe"], 1)], path="/r/c.md")
    out = apply(pipeline, DocInfo.from_document(unused), [])
    assert [(f.rule, str(f.severity)) for f in out] == [(UNUSED_SUPPRESSION, "warning")]


def test_severity_override_keeps_a_downgrade_made_by_the_rule():
    rules = [_rule("demo.safe", Severity.WARNING)]
    pipeline = build_pipeline(Selection(Config(severity={"demo.safe": "error"}), rules))
    doc = doc_with([])
    hedged = at(doc, 2, "demo.safe", severity=Severity.INFO)  # one below the rule's warning
    plain = at(doc, 4, "demo.safe")
    out = apply(pipeline, DocInfo.from_document(doc), [hedged, plain])
    assert [str(f.severity) for f in out] == ["warning", "error"]


def test_findings_of_unknown_rules_pass_through():
    pipeline = build_pipeline(Selection(Config(select=("x",)), []))
    doc = doc_with([])
    f = at(doc, 2, "elsewhere.rule")
    assert apply(pipeline, DocInfo.from_document(doc), [f]) == [f]
