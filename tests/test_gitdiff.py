"""Changed-lines mode: parsing git's diff and asking a real git."""

from __future__ import annotations

import os
import subprocess
from dataclasses import replace
from pathlib import Path

import pytest
from ci_fixtures import ROOT, findings

from healthlint import gitdiff
from healthlint.model import Finding

GIT_ENV = {
    "GIT_AUTHOR_NAME": "Test", "GIT_AUTHOR_EMAIL": "t@example.org",
    "GIT_COMMITTER_NAME": "Test", "GIT_COMMITTER_EMAIL": "t@example.org",
    "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1",
}

DIFF = """\
diff --git a/a.md b/a.md
index 1111111..2222222 100644
--- a/a.md
+++ b/a.md
@@ -3 +3,2 @@ heading
-old
+new
+newer
@@ -10,2 +11,0 @@
-gone
-gone too
@@ -20 +20 @@
-x
+++ looks like a header but is an added line
diff --git a/old name.md b/new name.md
similarity index 90%
rename from old name.md
rename to new name.md
--- a/old name.md\t
+++ b/new name.md\t
@@ -1 +1 @@
-a
+b
diff --git a/del.md b/del.md
deleted file mode 100644
--- a/del.md
+++ /dev/null
@@ -1 +0,0 @@
-bye
diff --git "a/caf\\303\\251 \\"q\\".md" "b/caf\\303\\251 \\"q\\".md"
--- "a/caf\\303\\251 \\"q\\".md"
+++ "b/caf\\303\\251 \\"q\\".md"
@@ -0,0 +1,3 @@
+one
+two
+three
"""


def test_parse_diff():
    assert gitdiff.parse_diff(DIFF) == {
        "a.md": [(3, 4), (20, 20)],
        "new name.md": [(1, 1)],
        'café "q".md': [(1, 3)],
    }


def test_unquote():
    assert gitdiff.unquote('"a\\tb\\\\c\\303\\251"') == "a\tb\\cé"
    assert gitdiff.unquote("plain name.md") == "plain name.md"


def at(f: Finding, line: int, end_line: int, end_column: int = 5) -> Finding:
    return replace(f, line=line, end_line=end_line, end_column=end_column)


def test_touches_any_line_of_the_span():
    f = findings()[0]  # /repo/articles/café.md
    changes = gitdiff.Changes(ROOT, {"articles/café.md": ((5, 6), (9, 9))})
    assert changes.touches(at(f, 6, 6))
    assert changes.touches(at(f, 1, 30))  # a document-level span covering changed lines
    assert not changes.touches(at(f, 7, 8))
    assert not changes.touches(at(f, 8, 9, end_column=1))  # ends at the start of line 9
    assert not gitdiff.Changes(ROOT, {}).touches(f)
    assert gitdiff.Changes(ROOT, {}, frozenset({"articles/café.md"})).touches(f)


# --- real git ----------------------------------------------------------------------------


def git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", "-c", "init.defaultBranch=main", *args], cwd=repo, check=True,
                          capture_output=True, text=True, env={**os.environ, **GIT_ENV}).stdout


@pytest.fixture
def repo(tmp_path, monkeypatch):
    for k, v in GIT_ENV.items():
        monkeypatch.setenv(k, v)
    r = tmp_path / "content"
    (r / "articles").mkdir(parents=True)
    git(r, "init", "-q")
    (r / "articles" / "a.md").write_text("one\ntwo\nthree\nfour\n", encoding="utf-8")
    (r / "articles" / "moved.md").write_text("".join(f"line {n}\n" for n in range(20)))
    (r / "articles" / "gone.md").write_text("bye\n")
    (r / "articles" / "knee brace é.md").write_text("one\n", encoding="utf-8")
    git(r, "add", ".")
    git(r, "commit", "-qm", "base")
    git(r, "checkout", "-qb", "pr")
    (r / "articles" / "a.md").write_text("one\nTWO\nthree\nfour\nfive\n", encoding="utf-8")
    git(r, "mv", "articles/moved.md", "articles/renamed.md")
    text = (r / "articles" / "renamed.md").read_text().replace("line 7\n", "line seven\n")
    (r / "articles" / "renamed.md").write_text(text)
    git(r, "rm", "-q", "articles/gone.md")
    (r / "articles" / "knee brace é.md").write_text("one\ntwo\n", encoding="utf-8")
    git(r, "commit", "-qam", "pr")
    (r / "articles" / "a.md").write_text("zero\none\nTWO\nthree\nfour\nfive\n")  # unstaged
    (r / "articles" / "new.md").write_text("brand new\n")  # untracked
    (r / ".gitignore").write_text("ignored.md\n")
    (r / "ignored.md").write_text("ignored\n")
    return r


def test_changes_from_real_git_in_a_subfolder(repo):
    changes = gitdiff.changes("main", cwd=repo / "articles")
    assert changes.root == repo.resolve()
    assert changes.lines["articles/a.md"] == ((1, 1), (3, 3), (6, 6))
    assert changes.lines["articles/renamed.md"] == ((8, 8),)
    assert "articles/gone.md" not in changes.lines
    assert changes.lines["articles/knee brace é.md"] == ((2, 2),)
    assert "articles/new.md" in changes.new_files and ".gitignore" in changes.new_files
    assert "ignored.md" not in changes.new_files
    assert changes.notices == ()


def test_merge_base_not_commits_that_landed_on_base_later(repo):
    git(repo, "stash", "-q", "-u")
    git(repo, "checkout", "-q", "main")
    (repo / "articles" / "a.md").write_text("one\ntwo\nthree\nfour changed on main\n")
    git(repo, "commit", "-qam", "main moves on")
    git(repo, "checkout", "-q", "pr")
    changes = gitdiff.changes("main", cwd=repo)
    assert changes.lines["articles/a.md"] == ((2, 2), (5, 5))


def test_not_a_repository(tmp_path):
    with pytest.raises(gitdiff.GitDiffError, match="not inside a git repository"):
        gitdiff.changes("main", cwd=tmp_path)


@pytest.mark.parametrize("base", ["no-such-branch", "-rf", ""])
def test_unknown_base(repo, base):
    with pytest.raises(gitdiff.GitDiffError, match="unknown revision|is not a revision"):
        gitdiff.changes(base, cwd=repo)


def test_git_missing(repo, monkeypatch):
    monkeypatch.setenv("PATH", str(repo))
    with pytest.raises(gitdiff.GitDiffError, match="git is not installed"):
        gitdiff.changes("main", cwd=repo)
