"""The regulatory, hype, evidence-quality, disclosure and readability packs: hard
negatives, clean pages and accuracy on the seed gold (every rule's own examples are
run by test_rule_examples.py)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from healthlint import engine, evaluate, packs
from healthlint.kinds import freshness
from healthlint.readers import read
from healthlint.source import read_source

PACKS = ("regulatory", "hype", "evidence-quality", "disclosure", "readability")
RULES = packs.load_packs(packs.resolve(name) for name in PACKS)
CHECKS = {c.rule.id: c for c in packs.build_checks(RULES)}
FIXTURES = Path(__file__).parent / "fixtures" / "clean"


def _enabled():
    return [CHECKS[r.id] for r in RULES if r.enabled]


def test_every_rule_has_both_kinds_of_example_and_a_source():
    assert len(RULES) >= 30
    for r in RULES:
        assert r.examples_flag and r.examples_pass, r.id
        assert r.rationale and r.source, r.id


def test_categories():
    cats = {r.pack: {x.category for x in RULES if x.pack == r.pack} for r in RULES}
    assert cats == {"regulatory": {"regulatory"}, "hype": {"hype"},
                    "evidence-quality": {"evidence"}, "disclosure": {"disclosure"},
                    "readability": {"readability"}}
    assert "evidence" in packs.CATEGORIES


def test_rules_compile_on_first_use_and_bad_regexes_fail_at_load(tmp_path):
    fresh = packs.build_checks(packs.load_packs([packs.resolve("hype")]))
    assert all(not u._compiled for c in fresh for u in c.units)  # nothing compiled yet
    doc = read("a.md", "# T\n\nA miracle cream.\n")
    for c in fresh:
        list(c.check(doc))
    assert [c.rule.short_id for c in fresh if any(u._compiled for u in c.units)] == ["miracle"]
    own = tmp_path / "own.yaml"
    own.write_text(
        "rules:\n  - id: broken\n    kind: pattern\n    category: hype\n    severity: info\n"
        "    message: m\n    rationale: r\n    source: s\n    patterns: ['(unclosed']\n"
        "    examples: {flag: [x], pass: [y]}\n", encoding="utf-8")
    with pytest.raises(packs.PackError) as exc:
        packs.build_checks(packs.load_packs([own]))
    assert "own.yaml:9: rule 'broken', key 'patterns': pattern 1 does not compile" in str(exc.value)


def test_house_style_and_metadata_rules_are_opt_in():
    # reading level is house style; bylines, dates and disclaimers often live in a CMS
    # template rather than the article file; "no uncertainty" is a noisy judgement
    assert {r.id for r in RULES if not r.enabled} == {
        "readability.article-grade", "readability.paragraph-grade", "readability.long-sentence",
        "disclosure.no-author", "disclosure.no-date", "disclosure.no-sources",
        "disclosure.no-disclaimer", "evidence-quality.uncertainty-missing"}


# Hard negatives beyond the rules' own examples: what a careful page says.
CAREFUL = [
    "The laser is FDA-cleared for temporary relief of minor muscle and joint pain.",
    "This device received FDA 510(k) clearance in 2021 (K210000).",
    "Semaglutide is approved by the FDA for type 2 diabetes and for weight management.",
    "In a 2022 randomised trial of 120 adults, pain fell by 1.2 points more than with a "
    "sham device (Okafor et al., 2022).",
    "Turmeric may ease knee pain a little for some people, but the trials are small.",
    "There is no miracle cure for back pain, and no single treatment is a game changer.",
    "Do not stop taking a prescribed medicine without talking to your doctor.",
    "Never take a supplement instead of your insulin.",
    "Physical therapy may work as well as surgery for some people with a torn meniscus.",
    "In mice the compound slowed tumour growth; it has not been tested in people.",
    "Over ten years the drug lowered the risk of a hip fracture from 4 in 100 to 3 in 100.",
    "The FDA granted Breakthrough Device designation to the implant in 2023.",
    "People with cancer may have breakthrough pain between doses of their pain medicine.",
    "Next-generation sequencing can find the gene change that causes the disease.",
    "This product is not intended to diagnose, treat, cure, or prevent any disease.",
    "A 2020 meta-analysis found that fish oil lowers blood pressure slightly (Lee et al., 2020).",
    "The FDA approved lecanemab in 2023 for early Alzheimer's disease.",
    "Cases were compared with unmatched controls from the same clinics.",
    "Stand up slowly to avoid dramatic changes in blood pressure.",
    "A stroke can be a life-changing event for the whole family.",
]


@pytest.mark.parametrize("sentence", CAREFUL)
def test_careful_sentences_raise_nothing(sentence):
    doc = read("a.md", "# Note\n\n" + sentence + "\n")
    found = [f for c in _enabled() if c.rule.kind == "pattern" for f in c.check(doc)]
    assert found == [], [(f.rule, f.text) for f in found]


def test_one_claim_one_finding():
    # two product words before one claim must not report the claim twice
    regulatory = [c for c in _enabled() if c.rule.pack == "regulatory"]
    for text, claim in (("Our turmeric capsules reverse arthritis in weeks.", "reverse arthritis"),
                        ("Beat arthritis with our turmeric capsules.", "Beat arthritis")):
        found = engine.lint(read("a.md", f"# T\n\n{text}\n"), regulatory)
        assert [(f.rule, f.text) for f in found] == [("regulatory.supplement-disease-claim", claim)]


@pytest.fixture
def fixed_today(monkeypatch):
    monkeypatch.setattr(freshness, "today", lambda: dt.date(2025, 6, 1))


@pytest.mark.parametrize("path", sorted(FIXTURES.glob("*.md")), ids=lambda p: p.name)
def test_clean_pages_produce_no_findings(path, fixed_today):
    # Stronger than "no warnings": not even an info finding from the default rules.
    doc = read(str(path), path.read_text(encoding="utf-8"))
    found = engine.lint(doc, _enabled())
    assert found == [], [(f.line, f.rule, f.text) for f in found]


def test_clean_pages_are_three_and_fda_cleared_appears():
    texts = [p.read_text(encoding="utf-8") for p in FIXTURES.glob("*.md")]
    assert len(texts) == 3
    assert any("FDA-cleared" in t for t in texts)


def test_an_old_review_date_on_a_clean_page_is_reported(fixed_today):
    path = sorted(FIXTURES.glob("*.md"))[0]
    text = path.read_text(encoding="utf-8")
    doc = read(str(path), text.replace("last_reviewed: 2025", "last_reviewed: 2021"))
    found = [f for f in engine.lint(doc, _enabled()) if f.rule == "disclosure.review-overdue"]
    assert len(found) == 1 and found[0].text.startswith("2021")


def test_seed_gold_regulatory_and_hype(shared):
    gold_paths = sorted(str(p) for p in (shared / "gold").glob("*.gold.yaml"))
    gold, problems = evaluate.load_gold(gold_paths, str(shared))
    assert not problems
    checks = [c for c in _enabled() if c.rule.pack in ("regulatory", "hype")]
    findings = []
    for g in gold:
        src = read_source(g.text_path)
        findings += [f.to_dict() for f in engine.lint(read(g.text_path, src.text), checks)]
    report = evaluate.score(gold, findings, ["regulatory", "hype"])
    for name in ("regulatory", "hype"):
        s = report.categories[name]
        assert s.recall >= 0.8 and s.precision >= 0.8, (name, report.misses,
                                                          report.false_positives)
