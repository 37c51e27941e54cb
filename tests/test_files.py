import os

import pytest
from helpers import write

from healthlint import source
from healthlint.files import (
    FileProblem,
    PathError,
    Selector,
    discover,
    glob_match,
    read_document,
)
from healthlint.model import Document


@pytest.fixture
def tree(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    for rel in [
        "b.md",
        "a.markdown",
        "page.html",
        "old.htm",
        "notes.txt",
        "script.py",
        "README.rst",
        "sub/deep/c.md",
        "sub/z.txt",
        ".git/x.md",
        ".hidden/y.md",
        "node_modules/pkg/readme.md",
        "vendor/v.md",
        "venv/v.md",
        ".venv/v.md",
        "lib/site-packages/s.md",
        "__pycache__/p.md",
        "_build/b.md",
        "dist/d.md",
        "build/b.md",
        "drafts/wip.md",
        "sub/drafts/wip2.md",
    ]:
        write(tmp_path / rel, "Some text.\n")
    return tmp_path


def test_walk_finds_content_files_in_stable_order_and_skips_hidden_and_vendor(tree):
    files = discover(["."], Selector(str(tree)))
    assert files == [
        "a.markdown",
        "b.md",
        "notes.txt",
        "old.htm",
        "page.html",
        "drafts/wip.md",
        "sub/z.txt",
        "sub/deep/c.md",
        "sub/drafts/wip2.md",
    ]


def test_named_file_is_linted_whatever_its_extension(tree):
    assert discover(["README.rst", "script.py"], Selector(str(tree))) == ["README.rst", "script.py"]


def test_named_hidden_or_vendor_folder_is_walked(tree):
    assert discover(["node_modules"], Selector(str(tree))) == ["node_modules/pkg/readme.md"]
    assert discover([".hidden"], Selector(str(tree))) == [".hidden/y.md"]


@pytest.mark.parametrize(
    ("exclude", "expected"),
    [
        (["drafts"], ["b.md", "sub/deep/c.md"]),  # no slash: a folder name at any depth
        (["/drafts"], ["b.md", "sub/deep/c.md", "sub/drafts/wip2.md"]),
        (["sub/**/*.md"], ["b.md", "drafts/wip.md"]),
        (["**/wip*.md"], ["b.md", "sub/deep/c.md"]),
        (["sub"], ["b.md", "drafts/wip.md"]),
    ],
)
def test_exclude_globs(tree, exclude, expected):
    sel = Selector(str(tree), include=("*.md",), exclude=tuple(exclude))
    assert discover(["."], sel) == expected


def test_exclude_applies_to_named_files_too(tree):
    sel = Selector(str(tree), exclude=("drafts",))
    assert discover(["drafts/wip.md", "b.md"], sel) == ["b.md"]


def test_include_globs_replace_the_default_extensions(tree):
    sel = Selector(str(tree), include=("*.rst", "sub/*.txt"))
    assert discover(["."], sel) == ["README.rst", "sub/z.txt"]


def test_each_file_once_even_when_named_twice(tree):
    assert discover(["sub", "sub/z.txt", "./sub/z.txt"], Selector(str(tree))) == [
        "sub/z.txt",
        "sub/deep/c.md",
        "sub/drafts/wip2.md",
    ]


def test_missing_path_is_an_error(tree):
    with pytest.raises(PathError, match="nope.md: no such file"):
        discover(["b.md", "nope.md"], Selector(str(tree)))


@pytest.mark.parametrize(
    ("pattern", "path", "hit"),
    [
        ("*.md", "a/b/c.md", True),
        ("*.md", "a/b/c.txt", False),
        ("a/*.md", "a/c.md", True),
        ("a/*.md", "a/b/c.md", False),
        ("a/**/*.md", "a/c.md", True),
        ("a/**/*.md", "a/b/c/d.md", True),
        ("a/**", "a/b/c.md", True),
        ("./a/?.md", "a/c.md", True),
        ("a/[bc].md", "a/c.md", True),
        ("a/[!bc].md", "a/c.md", False),
        ("docs/", "docs", True),
    ],
)
def test_glob_match(pattern, path, hit):
    assert glob_match(pattern, path) is hit


def test_binary_file_is_skipped_not_failed(tmp_path):
    path = tmp_path / "img.md"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00")
    got = read_document(str(path))
    assert got == FileProblem(str(path), "skipped: binary file (contains NUL bytes)", fatal=False)


def test_invalid_utf8_is_read_with_a_notice(tmp_path):
    path = tmp_path / "a.txt"
    path.write_bytes(b"Caf\xe9 au lait is 100% safe.\n")
    doc = read_document(str(path))
    assert isinstance(doc, Document)
    assert "\ufffd" in doc.source
    assert any("invalid UTF-8" in n for n in doc.notices)


def test_unreadable_file_is_a_fatal_problem(tmp_path, monkeypatch):
    path = write(tmp_path / "a.txt", "text\n")

    def refuse(*args, **kwargs):
        raise PermissionError(13, "Permission denied")

    # Running as root ignores file modes, so refuse at open() instead of chmod.
    monkeypatch.setattr(source, "open", refuse, raising=False)
    got = read_document(str(path))
    assert got == FileProblem(str(path), "cannot read: Permission denied", fatal=True)


def test_empty_file_reads_as_an_empty_document(tmp_path):
    path = write(tmp_path / "empty.txt", "")
    doc = read_document(str(path))
    assert isinstance(doc, Document)
    assert doc.blocks == ()


def test_walk_does_not_follow_symlinked_folders(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    write(tmp_path / "real/a.md", "x\n")
    os.symlink(tmp_path / "real", tmp_path / "link")
    assert discover(["."], Selector(str(tmp_path))) == ["real/a.md"]
