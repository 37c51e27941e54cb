import pytest

from healthlint.config import Config, PathRules
from healthlint.model import Severity
from healthlint.packs import Rule
from healthlint.selection import Selection


def rule(rule_id: str, enabled: bool = True, severity: Severity = Severity.WARNING) -> Rule:
    pack = rule_id.partition(".")[0]
    return Rule(
        id=rule_id, pack=pack, kind="pattern", category="hype", severity=severity,
        message="m", rationale="r", source="s", examples_flag=(), examples_pass=(),
        enabled=enabled,
    )


RULES = [
    rule("abs.no-side-effects"),
    rule("abs.no-risk"),
    rule("abs.cure", severity=Severity.ERROR),
    rule("abs.opt-in", enabled=False),
    rule("stats.uncited"),
    rule("read.grade", enabled=False, severity=Severity.INFO),
]


def on(config: Config, path: str = "a.md") -> dict[str, str]:
    sel = Selection(config, RULES)
    out = {}
    for r in RULES:
        level = sel.severity_for(r, path)
        if level is not None:
            out[r.id] = str(level)
    return out


ALL_ENABLED = {
    "abs.no-side-effects": "warning",
    "abs.no-risk": "warning",
    "abs.cure": "error",
    "stats.uncited": "warning",
}


@pytest.mark.parametrize(
    ("select", "ignore", "expected"),
    [
        (None, (), set(ALL_ENABLED)),
        # naming a pack selects all of it, opt-in rules too
        (("abs",), (), {"abs.no-side-effects", "abs.no-risk", "abs.cure", "abs.opt-in"}),
        (("abs.no-",), (), {"abs.no-side-effects", "abs.no-risk"}),
        (None, ("abs.no-",), {"abs.cure", "stats.uncited"}),
        # equal specificity: ignore wins
        (("abs.cure",), ("abs.cure",), set()),
        # the longer selector wins either way
        (("abs.no-risk",), ("abs",), {"abs.no-risk"}),
        (("abs",), ("abs.no-risk",), {"abs.no-side-effects", "abs.cure", "abs.opt-in"}),
        # opt-in rules: only a selector naming the rule or its pack turns them on
        # (a shorter prefix, or a longer one inside the pack, does not)
        (("abs.opt-in",), (), {"abs.opt-in"}),
        (("read",), (), {"read.grade"}),
        (("abs.opt",), (), set()),
        (("a",), (), {"abs.no-side-effects", "abs.no-risk", "abs.cure"}),
        (("",), (), set(ALL_ENABLED)),
    ],
)
def test_select_and_ignore(select, ignore, expected):
    assert set(on(Config(select=select, ignore=ignore))) == expected


ABS_INFO = {"abs.no-side-effects": "info", "abs.no-risk": "info", "abs.cure": "info"}


@pytest.mark.parametrize(
    ("severity", "changed"),
    [
        ({"abs": "info"}, ABS_INFO),
        # most specific prefix wins, whatever the order of the keys
        ({"abs.cure": "warning", "abs": "info"}, {**ABS_INFO, "abs.cure": "warning"}),
        ({"abs": "info", "abs.cure": "warning"}, {**ABS_INFO, "abs.cure": "warning"}),
        ({"stats": "off"}, {"stats.uncited": None}),
        # a severity never turns on an opt-in rule
        ({"abs.opt-in": "error"}, {}),
    ],
)
def test_severity_overrides(severity, changed):
    expected = {**ALL_ENABLED, **changed}
    expected = {k: v for k, v in expected.items() if v is not None}
    assert on(Config(severity=severity)) == expected


def test_per_path_layers_apply_in_order_to_matching_files():
    config = Config(
        base="/repo",
        ignore=("stats",),
        per_path=(
            PathRules(paths=("drafts/**",), ignore=("abs",), select=("stats",)),
            PathRules(paths=("*.html",), severity={"abs.cure": "info"}),
            PathRules(paths=("legal/*.md",), select=("abs.opt-in",)),
        ),
    )
    top = {"abs.no-side-effects": "warning", "abs.no-risk": "warning", "abs.cure": "error"}
    assert on(config, "/repo/a.md") == top
    assert on(config, "/repo/drafts/x/a.md") == {"stats.uncited": "warning"}
    assert on(config, "/repo/b/page.html") == {**top, "abs.cure": "info"}
    assert on(config, "/repo/drafts/page.html") == {"stats.uncited": "warning"}
    assert on(config, "/repo/legal/terms.md") == {**top, "abs.opt-in": "warning"}


def test_active_rules_include_those_any_per_path_layer_turns_on():
    config = Config(
        select=("abs.cure",),
        per_path=(PathRules(paths=("x/*",), select=("stats",)),),
        severity={"abs.no-risk": "off"},
    )
    assert [r.id for r in Selection(config, RULES).active()] == ["abs.cure", "stats.uncited"]


def test_unknown_selectors_are_reported():
    config = Config(
        select=("abs", "ab.typo"),
        severity={"stat": "info"},
        per_path=(PathRules(paths=("x",), ignore=("nothing",)),),
    )
    assert Selection(config, RULES).unknown_selectors() == [
        ("select", "ab.typo"),
        ("per_path[0].ignore", "nothing"),
    ]
