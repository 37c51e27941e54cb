"""docs/rules.md is generated from the packs and must be regenerated when they change."""

from __future__ import annotations

from healthlint import docs, packs
from healthlint.readers import read

REPO = packs.builtin_dir().parent
PAGE = REPO / "docs" / "rules.md"
REGENERATE = "python -m healthlint.docs -o docs/rules.md"


def test_rule_reference_is_up_to_date():
    rules, descriptions = docs.shipped()
    assert PAGE.read_text(encoding="utf-8") == docs.render(rules, descriptions), (
        f"docs/rules.md is stale: run `PYTHONPATH=src {REGENERATE}`"
    )


def test_every_rule_of_every_pack_is_documented():
    rules, descriptions = docs.shipped()
    page = docs.render(rules, descriptions)
    assert {r.pack for r in rules} == {p.stem for p in packs.builtin_dir().glob("*.yaml")}
    for r in rules:
        assert f"### `{r.id}`" in page
        assert r.source in page and r.rationale in page
        for example in r.examples_flag + r.examples_pass:
            assert example in page
        if not r.enabled:
            assert f"**Severity:** {r.severity} (off by default)" in page


def test_examples_are_code_and_the_page_turns_healthlint_off():
    rules, descriptions = docs.shipped()
    doc = read("rules.md", docs.render(rules, descriptions))
    assert doc.directives and doc.directives[0].action == "disable"
    assert doc.directives[0].rules == () and doc.directives[0].line == 1
    prose = doc.prose.text
    some = next(r for r in rules if r.id == "hype.game-changer")
    assert some.examples_flag[0] not in prose  # inside inline code, which is not prose


def test_check_mode(tmp_path, capsys):
    fresh = tmp_path / "rules.md"
    assert docs.main(["-o", str(fresh)]) == 0
    assert docs.main(["--check", str(fresh)]) == 0
    fresh.write_text(fresh.read_text(encoding="utf-8") + "edited\n", encoding="utf-8")
    assert docs.main(["--check", str(fresh)]) == 1
    assert "out of date" in capsys.readouterr().err
    assert docs.main(["--check", str(tmp_path / "missing.md")]) == 1


def test_render_of_a_pack_of_ones_own(tmp_path):
    (tmp_path / "mine.yaml").write_text(
        "pack: mine\ndescription: Our house rules.\nrules:\n"
        "  - id: no-shouting\n    kind: pattern\n    category: hype\n    severity: info\n"
        "    enabled: false\n    message: 'Shouting: {match}'\n    rationale: Calm copy.\n"
        "    source: House style\n    phrases: [AMAZING]\n    hedge: ignore\n"
        "    examples:\n      flag: ['AMAZING `results`']\n      pass: ['good results']\n",
        encoding="utf-8",
    )
    page = docs.render(*docs.shipped(tmp_path))
    assert "## mine\n\nOur house rules." in page
    assert "| [`no-shouting`](#mineno-shouting) | hype | info | no |" in page
    assert "- **Options:** `hedge: ignore`" in page
    assert "- `` AMAZING `results` ``" in page  # backticks in an example stay code
