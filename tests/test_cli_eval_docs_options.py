"""`healthlint eval`, `healthlint docs`, and config `options`/`brands` reaching the rules."""

import json
import subprocess
import sys

from healthlint.cli import main


def _table(text):
    rows = {}
    for line in text.splitlines():
        parts = line.split()
        if len(parts) == 6 and parts[1].isdigit() and parts[0] != "overall":
            rows[parts[0]] = (int(parts[1]), int(parts[2]), int(parts[4]))
    return rows


def test_eval_on_the_seeds_agrees_with_the_reference_scorer(shared, tmp_path, capsys):
    golds = sorted(str(p) for p in (shared / "gold").glob("*.gold.yaml"))
    argv = ["eval", "--no-config", "--root", str(shared)]
    for g in golds:
        argv += ["--gold", g]
    assert main(argv) == 0
    ours = _table(capsys.readouterr().out)

    assert (
        main(
            [
                "check",
                "--no-config",
                "--format",
                "json",
                "--fail-on",
                "never",
                "--output",
                str(tmp_path / "f.json"),
                str(shared / "corpus" / "seeds"),
            ]
        )
        == 0
    )
    cmd = [
        sys.executable,
        str(shared / "gold" / "score.py"),
        "--root",
        str(shared),
        "--findings",
        str(tmp_path / "f.json"),
    ]
    for g in golds:
        cmd += ["--gold", g]
    reference = _table(subprocess.run(cmd, capture_output=True, text=True, check=True).stdout)
    assert ours == reference
    assert ours["absolute-claim"][0] > 0


def test_eval_gate_fails_below_the_minimum(tmp_path, capsys):
    (tmp_path / "a.md").write_text(
        "Our balm is 100% safe for the whole family.\n", encoding="utf-8"
    )
    (tmp_path / "a.gold.yaml").write_text(
        "file: a.md\nlabels:\n  - {category: hype, quote: 'whole family'}\n", encoding="utf-8"
    )
    code = main(
        [
            "eval",
            "--no-config",
            "--root",
            str(tmp_path),
            "--gold",
            str(tmp_path / "a.gold.yaml"),
            "--min-recall",
            "0.5",
            "--show-misses",
        ]
    )
    out = capsys.readouterr().out
    assert code == 1
    assert "below the minimum: hype recall 0.00 < 0.5" in out
    assert "MISS" in out and "FP" in out  # the safety claim is unlabelled here


def test_eval_reports_a_bad_gold_file(tmp_path, capsys):
    (tmp_path / "g.yaml").write_text("labels: []\n", encoding="utf-8")
    assert main(["eval", "--no-config", "--gold", str(tmp_path / "g.yaml")]) == 2
    assert "needs a 'file' key" in capsys.readouterr().err


def test_rules_markdown_is_the_shipped_reference(capsys):
    from conftest import REPO

    assert main(["rules", "--no-config", "--format", "markdown"]) == 0
    assert capsys.readouterr().out == (REPO / "docs" / "rules.md").read_text(encoding="utf-8")


def test_config_brands_and_options_reach_the_rules(tmp_path, capsys):
    (tmp_path / "a.md").write_text("Try the Quellon wrap today. Quellon helps.\n", encoding="utf-8")
    (tmp_path / "healthlint.yaml").write_text(
        "brands: [Quellon]\nselect: [product-plugs.brand-mention]\n", encoding="utf-8"
    )
    assert main(["check", "--format", "json", str(tmp_path / "a.md")]) == 1
    found = json.loads(capsys.readouterr().out)["findings"]
    assert [(f["column"], f["text"]) for f in found] == [(9, "Quellon"), (29, "Quellon")]


def test_config_options_are_validated(tmp_path, capsys):
    (tmp_path / "a.md").write_text("Text.\n", encoding="utf-8")
    (tmp_path / "healthlint.yaml").write_text(
        "options:\n  product-plugs.brand-mention: {brnds: [x]}\n"
        "  absolute-claims.no-such-rule: {}\n"
        "  absolute-claims.cures: {limit: many}\n",
        encoding="utf-8",
    )
    assert main(["check", str(tmp_path / "a.md")]) == 2
    err = capsys.readouterr().err
    assert (
        "rule 'product-plugs.brand-mention', key 'options.brnds': "
        "unknown option 'brnds' (did you mean 'brands'?)" in err
    )
    assert (
        "rule 'absolute-claims.no-such-rule', key 'options': options for a rule that is not loaded"
        in err
    )
    assert "rule 'absolute-claims.cures', key 'options.limit': expected an integer" in err
    assert "healthlint.yaml:1: " in err  # the line of the options key
