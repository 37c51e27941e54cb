"""The statistic and attribution kinds, through the shipped uncited-statistics pack."""

import textwrap
from pathlib import Path

import pytest

from healthlint.packs import PackError, build_checks, builtin_dir, load_pack
from healthlint.readers import read

PACK = builtin_dir() / "uncited-statistics.yaml"
RULES = {r.short_id: r for r in load_pack(PACK)}
CHECKS = {c.rule.short_id: c for c in build_checks(RULES.values())}


def flagged(rule: str, text: str, path: str = "a.md") -> list[str]:
    doc = read(path, text)
    return [f.text for f in CHECKS[rule].check(doc)]


# (text, the span reported, or None when nothing should be)
STATISTICS = [
    # percentages, with their population
    ("About 65% of adults get back pain.", "65%"),
    ("Roughly 80 percent of office workers report neck pain.", "80 percent"),
    ("Relief came for 26–40% of those treated.", "26–40%"),
    ("The rate rose 5 percentage points in a decade.", "5 percentage points"),
    ("Symptoms improved in 10-20% of cases.", "10-20%"),
    # frequencies and fractions
    ("One in four adults over 40 has knee pain.", "One in four"),
    ("Roughly 1 in 10 people will have a kidney stone.", "1 in 10"),
    ("Seven out of ten patients chose surgery.", "Seven out of ten"),
    ("Half of all patients stop the drug within a year.", "Half of all patients"),
    ("Nearly two-thirds of older adults fall at home.", "thirds of older adults"),
    ("A quarter of children miss school for asthma.", "quarter of children"),
    # counts of people, deaths, studies
    ("Back pain affects 540 million people worldwide.", "540 million people"),
    ("The trial enrolled 1,200 adults with knee pain.", "1,200 adults"),
    ("We reviewed 22 randomized controlled trials.", "22 randomized controlled trials"),
    ("Falls cause 36,000 deaths a year.", "36,000 deaths"),
    ("Over 300,000 hip fractures happen each year.", "300,000 hip fractures"),
    ("About 20 million Americans have neuropathy.", "20 million Americans"),
    ("The disease affects 3 million in the region.", "3 million"),
    # effect sizes and study statistics
    ("Users were 2.4x more likely to recover.", "2.4x more"),
    ("Smokers had 3 times the risk of disc disease.", "3 times the risk"),
    ("The risk rose two-fold after surgery.", "fold"),
    ("The sample was n=1,200 and the result held.", "1,200"),
    ("The difference was significant (p<0.05).", "<0.05"),
    ("The odds ratio was 1.8 for smokers.", "1.8"),
    ("The number needed to treat was 6 in this group.", "6"),
    ("Pain scores fell by 2.3 points after eight weeks.", "2.3 points"),
    ("Disability fell by 5 points on average.", "5 points"),
    ("The standardized mean difference was −0.58 at follow-up.", "−0.58"),
    ("The effect size was 0.42 in older adults.", "0.42"),
    ("The rate is 12 per 100,000 each year.", "12 per 100,000"),
    ("Back pain costs the economy $12 billion a year.", "$12 billion"),
    # not statistics: treatment parameters, durations, sessions
    ("The laser works at 905 nm with 200 mW of power.", None),
    ("It delivers 4 J/cm² per point.", None),
    ("Sessions last 5 to 20 minutes.", None),
    ("Most people need 8 to 20 sessions, 3 times per week.", None),
    ("Take 400 mg every 6 hours for 3 days.", None),
    ("Sessions run 2–3x weekly for 4–6 weeks.", None),
    # anatomy, ages, years, dates
    ("The L4-L5 and L5-S1 discs were treated.", None),
    ("The patient was a 45-year-old man.", None),
    ("Screening is advised for adults aged 50 and over.", None),
    ("In 2021 patients were first offered the device.", None),
    ("The clinic opened on March 3, 2019.", None),
    # prices, phone numbers, list numbering, model numbers, scales
    ("A session costs $85, or $600 for a package of 8.", None),
    ("Call (555) 123-4567 to book.", None),
    ("1. Rest the joint for 2 days.", None),
    ("The GRPro 2.1 unit ships with 2 wraps.", None),
    ("Rate your pain on a 0-10 scale; a 7 out of 10 is severe.", None),
    ("This Class 4 laser is used for Stage 2 tendon injuries.", None),
    ("The Phase 3 trials are still running.", None),
    # intensifiers and offers
    ("Our cream is 100% natural and 20% off this week.", None),
    ("Save up to 30% when you book today.", None),
    ("Use a 2% lidocaine cream before the session.", None),
    ("For patients in the 24% tax bracket the saving is real.", None),
    # cited figures
    ("About 65% of adults get back pain [1].", None),
    ("About 65% of adults get back pain (Smith et al., 2021).", None),
    ("Back pain affects 540 million people (GBD Study, 2023).", None),
    ("According to the CDC, one in four adults has arthritis.", None),
    ("A 2021 Cochrane review of 14 trials found a small effect.", None),
    ("About [65% of adults](https://example.org/survey) get back pain.", None),
    ("Roughly 23% of adults are affected.1 Most recover.", None),
    # vague attribution is no source
    ("Studies show that 70% of patients improve.", "70%"),
    ("A 2022 RCT found a 61% drop in leg pain.", "61%"),
]


@pytest.mark.parametrize(("text", "span"), STATISTICS)
def test_statistic(text, span):
    assert flagged("uncited-statistic", text) == ([span] if span else [])


def test_one_finding_per_sentence_at_its_first_figure():
    text = "About 65% of adults and 40% of teens have it. Then 30% of men do too."
    assert flagged("uncited-statistic", text) == ["65%", "30%"]


def test_a_figure_in_a_heading_is_checked():
    assert flagged("uncited-statistic", "## Why 80% of adults get back pain\n") == ["80%"]


def test_author_biography_is_skipped():
    text = (
        "About the Author\n\n"
        "Dr. Lee has treated over 5,000 patients and trained 200 clinicians.\n\n"
        "Back pain affects 540 million people worldwide.\n"
    )
    assert flagged("uncited-statistic", text) == ["540 million people"]


def test_table_row_with_a_source_cell():
    text = (
        "| Measure | Figure | Source |\n|---|---|---|\n"
        "| Prevalence | 25% of adults | (CDC, 2023) |\n"
        "| Recovery | 80% of patients | clinic notes |\n"
    )
    assert flagged("uncited-statistic", text) == ["80%"]


def test_positions_are_exact_in_the_source():
    text = "# Back pain\n\nIt is common.\nAbout **65%** of adults get it.\n"
    doc = read("a.md", text)
    (finding,) = CHECKS["uncited-statistic"].check(doc)
    assert (finding.line, finding.column) == (4, 9)
    assert finding.text == text[finding.start : finding.end]
    assert finding.text.startswith("65%")
    assert finding.rule == "uncited-statistics.uncited-statistic"
    assert finding.category == "uncited-statistic"
    assert '"65%' in finding.message


def test_positions_in_plain_text_with_crlf():
    text = "Intro line here.\r\n\r\nBack pain affects 540 million people.\r\n"
    doc = read("a.txt", text)
    (finding,) = CHECKS["uncited-statistic"].check(doc)
    assert (finding.line, finding.column, finding.end_column) == (3, 19, 37)
    assert finding.text == "540 million people"


# --- vague attribution -------------------------------------------------------------------

ATTRIBUTIONS = [
    ("Studies show that cold therapy eases soreness.", "Studies show"),
    ("Research indicates that stretching lowers injury risk.", "Research indicates"),
    ("Several studies have shown a benefit for older adults.", "studies have shown"),
    ("Multiple RCTs have documented lower cytokine levels.", "RCTs have documented"),
    ("Clinical studies, including randomized trials, demonstrate faster healing.",
     "studies, including randomized trials, demonstrate"),
    ("In trials, patients on the cream reported less itching.", "trials,"),
    ("The benefit has been shown in cell culture studies.", "shown in cell culture studies"),
    ("Fewer side effects in studies make it appealing.", "effects in studies"),
    ("Experts say the treatment is worth trying.", "Experts say"),
    ("Evidence suggests that heat helps.", "Evidence suggests"),
    ("According to research, massage eases pain.", "According to research"),
    ("A recent study found that walking helps.", "recent study found"),
    ("Research involving older adults demonstrated better balance.",
     "Research involving older adults demonstrated"),
    ("Clinical evidence supports the use of ice after sprains.", "evidence supports the"),
    ("Researchers found that naps help memory.", "Researchers found"),
    ("One study found that walking helps.", "study found"),
    ("In one study, walkers slept better.", "study,"),
    ("Studies have linked poor sleep to back pain.", "Studies have linked"),
    ("Researchers at Harvard found that naps help memory.", None),
    ("Studies have not shown a benefit.", None),
    ("Further research is needed.", None),
    # not vague: a source is named, or the appeal is denied or asked about
    ("Studies show that cold therapy eases soreness [2].", None),
    ("A 2020 Cochrane review found that stretching lowers injury risk.", None),
    ("Smith and colleagues (2019) found that walking helps.", None),
    ("No studies have shown that the device cures arthritis.", None),
    ("There is little research showing a benefit.", None),
    ("Does research show that massage helps?", None),
    ("What the research shows", None),
    ("Patients who take part in clinical trials get close follow-up.", None),
    ("The subject of ongoing clinical research is dosing.", None),
    ("Studies using higher doses were excluded from the analysis.", None),
]


@pytest.mark.parametrize(("text", "span"), ATTRIBUTIONS)
def test_attribution(text, span):
    assert flagged("vague-attribution", text) == ([span] if span else [])


# --- the pack's own examples ---------------------------------------------------------------


@pytest.mark.parametrize("rule", sorted(RULES))
def test_pack_examples(rule):
    for example in RULES[rule].examples_flag:
        assert flagged(rule, example), f"{rule} should flag: {example!r}"
    for example in RULES[rule].examples_pass:
        assert not flagged(rule, example), f"{rule} should pass: {example!r}"


def test_unlocatable_source_rule_reports_only_named_sources():
    text = "According to the CDC, 25% of adults have arthritis.\n\nAbout 30% of men do."
    assert flagged("unlocatable-source", text) == ["25%"]
    assert RULES["unlocatable-source"].enabled is False


# --- rule options --------------------------------------------------------------------------


def _pack(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "mine.yaml"
    path.write_text(textwrap.dedent(body), encoding="utf-8")
    return path


RULE_HEAD = """\
    rules:
      - id: figures
        kind: statistic
        category: uncited-statistic
        severity: warning
        message: "Figure {match} has no source."
        rationale: Readers need sources.
        source: JAMA benchmarks (Silberg 1997).
        examples: {flag: [], pass: []}
"""


def test_placeholders_and_lists_come_from_yaml(tmp_path):
    path = _pack(tmp_path, RULE_HEAD + """\
        define:
          num: '\\d+'
          animals: [cats, dogs]
        statistics: ['{num} {animals}']
    """)
    (check,) = build_checks(load_pack(path))
    doc = read("a.md", "We saw 12 dogs and 3 birds. Then 4 Cats.")
    assert [f.text for f in check.check(doc)] == ["12 dogs", "4 Cats"]


def test_unknown_placeholder_is_a_pack_error(tmp_path):
    path = _pack(tmp_path, RULE_HEAD + """\
        statistics: ['{nothing}%']
    """)
    with pytest.raises(PackError) as err:
        build_checks(load_pack(path))
    assert "unknown placeholder {nothing}" in str(err.value)
    assert "statistics" in str(err.value)


def test_bad_regex_is_a_pack_error(tmp_path):
    path = _pack(tmp_path, RULE_HEAD + """\
        statistics: ['\\d+(%']
    """)
    with pytest.raises(PackError) as err:
        build_checks(load_pack(path))
    assert "does not compile" in str(err.value)


def test_missing_statistics_is_a_pack_error(tmp_path):
    path = _pack(tmp_path, RULE_HEAD)
    with pytest.raises(PackError) as err:
        load_pack(path)
    assert "statistics" in str(err.value)


def test_sources_option_adds_known_names(tmp_path):
    path = _pack(tmp_path, RULE_HEAD + """\
        sources: [Acme Institute]
        statistics: ['\\d+%']
    """)
    (check,) = build_checks(load_pack(path))
    doc = read("a.md", "Acme Institute figures show 30% of adults walk.\n\nOthers say 20%.")
    assert [f.text for f in check.check(doc)] == ["20%"]


@pytest.mark.parametrize("rule", sorted(CHECKS))
def test_shipped_patterns_all_have_a_fast_start(rule):
    # a pattern that can start anywhere is searched at every position of every text
    parts = getattr(CHECKS[rule].scanner, "parts", (CHECKS[rule].scanner,))
    assert all(part.rest is None for part in parts)


def test_front_matter_is_not_checked():
    text = "---\ntitle: 80% of adults\n---\n\nNothing to see.\n"
    assert flagged("uncited-statistic", text) == []
