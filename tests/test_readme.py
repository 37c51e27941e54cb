"""The README's promises: its two quick-start commands, and CI running the second one."""

import re
import subprocess

from helpers import REPO, run_module


def quick_start() -> list[str]:
    text = (REPO / "README.md").read_text(encoding="utf-8")
    section = text.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    block = re.search(r"```sh\n(.*?)```", section, re.S).group(1)
    return [line for line in block.splitlines() if line.strip()]


def test_quick_start_has_two_commands_and_ci_runs_the_test_one():
    install, test = quick_start()
    assert install == "pip install . && healthlint check examples/clinic-article.md"
    ci = (REPO / ".ci" / "run").read_text(encoding="utf-8").strip().splitlines()
    assert ci[-1] == test
    assert "set -euo pipefail" in ci


def test_ci_script_is_valid_bash():
    assert subprocess.run(["bash", "-n", str(REPO / ".ci" / "run")]).returncode == 0


def test_example_article_fails_on_its_deliberate_problems(tmp_path):
    import json

    proc = run_module(
        ["check", str(REPO / "examples/clinic-article.md"), "--format", "json", "--no-config"],
        cwd=tmp_path,
    )
    assert proc.returncode == 1, proc.stderr
    found = {(f["line"], f["category"], f["text"]) for f in json.loads(proc.stdout)["findings"]}
    assert (15, "absolute-claim", "100% safe") in found
    assert (15, "absolute-claim", "no side effects") in found


def test_project_docs_pass_their_own_hook():
    # what the local hook in .pre-commit-config.yaml runs on README.md
    proc = run_module(["check", "README.md"], cwd=REPO)
    assert proc.returncode == 0, proc.stdout + proc.stderr
