"""The pre-commit hook for real: pre-commit installs this repository and runs the hook.

pre-commit needs a committed revision, so the working tree is copied to a temporary
git repository and committed; a second temporary repository uses it as its hook repo.
pre-commit builds a virtualenv and pip-installs the package (about half a minute).
"""

import os
import shutil
import subprocess
import sys
from pathlib import Path

from helpers import DEMO_PACK, REPO, SAFE, write

GIT_ENV = {
    "GIT_AUTHOR_NAME": "test",
    "GIT_AUTHOR_EMAIL": "test@example.com",
    "GIT_COMMITTER_NAME": "test",
    "GIT_COMMITTER_EMAIL": "test@example.com",
    "GIT_CONFIG_GLOBAL": os.devnull,
    "GIT_CONFIG_NOSYSTEM": "1",
}


def git(*args: str, cwd: Path) -> str:
    proc = subprocess.run(
        ["git", *args], cwd=cwd, env={**os.environ, **GIT_ENV},
        capture_output=True, text=True, check=True,
    )
    return proc.stdout.strip()


def snapshot_of_this_repo(dest: Path) -> str:
    """Copy the working tree (tracked and new files, not ignored ones) and commit it."""
    listed = git("ls-files", "--cached", "--others", "--exclude-standard", "-z", cwd=REPO)
    for rel in filter(None, listed.split("\0")):
        src = REPO / rel
        if src.is_file():
            (dest / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, dest / rel)
    git("init", "-q", cwd=dest)
    git("add", "-A", cwd=dest)
    git("commit", "-q", "-m", "snapshot", cwd=dest)
    return git("rev-parse", "HEAD", cwd=dest)


def test_precommit_hook_fails_on_a_problem_and_passes_clean_files(tmp_path):
    hook_repo = tmp_path / "hook-repo"
    hook_repo.mkdir()
    sha = snapshot_of_this_repo(hook_repo)

    project = tmp_path / "project"
    project.mkdir()
    write(
        project / ".pre-commit-config.yaml",
        f"repos:\n  - repo: {hook_repo}\n    rev: {sha}\n    hooks:\n      - id: healthlint\n",
    )
    write(project / "healthlint.yaml", "packs: [rules/demo.yaml]\n")
    write(project / "rules/demo.yaml", DEMO_PACK)
    write(project / "articles/bad.md", f"# Knee care\n\n{SAFE}\n")
    write(project / "articles/good.md", "# Knee care\n\nRest and gentle exercise help.\n")
    write(project / "articles/notes.py", "# not content: the hook's types skip it\n")
    git("init", "-q", cwd=project)
    git("add", "-A", cwd=project)

    env = {
        **os.environ,
        **GIT_ENV,
        "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-home"),
        "PRE_COMMIT_COLOR": "never",
    }
    env.pop("PYTHONPATH", None)  # the hook must run the installed package, not this src/

    def pre_commit(*files: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "-m", "pre_commit", "run", "--files", *files],
            cwd=project, env=env, capture_output=True, text=True, timeout=600,
        )

    failed = pre_commit("articles/bad.md", "articles/good.md", "articles/notes.py")
    output = failed.stdout + failed.stderr
    assert failed.returncode == 1, output
    assert "healthlint" in output and "Failed" in output
    assert "articles/bad.md:3:14: warning [demo.total-safety]" in output
    assert "good.md" not in output and "notes.py" not in output

    passed = pre_commit("articles/good.md")
    assert passed.returncode == 0, passed.stdout + passed.stderr
    assert "Passed" in passed.stdout


def test_hook_manifest_and_project_config_are_valid():
    for command, name in (
        ("validate-manifest", ".pre-commit-hooks.yaml"),
        ("validate-config", ".pre-commit-config.yaml"),
    ):
        proc = subprocess.run(
            [sys.executable, "-m", "pre_commit", command, str(REPO / name)],
            capture_output=True, text=True,
        )
        assert proc.returncode == 0, proc.stdout + proc.stderr


def test_hook_file_types_are_identify_tags_of_our_extensions():
    import yaml
    from identify.identify import tags_from_filename

    (hook,) = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    types = set(hook["types_or"])
    for name in ("a.md", "a.markdown", "a.html", "a.htm", "a.txt"):
        assert tags_from_filename(name) & types, name
    assert not tags_from_filename("a.py") & types
