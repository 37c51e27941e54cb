"""The start-up cache: packs and compiled patterns kept between runs, never changing results."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import regex
from helpers import DEMO_PACK, REPO, SAFE, demo_pack, run_cli, write

from healthlint import cache
from healthlint.packs import builtin_dir, load_pack, load_packs, rule_from_state, rule_state


@pytest.fixture
def store(tmp_path):
    """A cache in a fresh folder, active for the test."""
    folder = tmp_path / "cache"
    previous = cache.enable(folder)
    yield folder
    cache.use(previous)


def _rules_file(folder: Path) -> Path:
    (found,) = folder.glob(f"{cache.RULES_PREFIX}*.bin")
    return found


def _fresh(folder: Path) -> None:
    """Forget what this process loaded, as a new run would."""
    cache.enable(folder)
    cache._LIVE.clear()


# -- compiled patterns ---------------------------------------------------------------------

TRICKY = [
    r"\bno\s+side[\s-]?effects?\b",
    r"(?P<span>\d+(?:\.\d+)?)\s?%",
    r"(?i:miracle)\s+(?-i:Cure)",
    r"(?<![\w+])\+\d{1,3}[\s.-]?\(?\d{1,4}\)?(?:[\s.-]?\d{2,4}){2,4}(?!\d)",
    r"[$€£]\s?\d[\d,]*(?:\.\d\d)?",
    r"^[ \t]*>[ \t]?",
    r"café|naïve|ſ|K",
    r"(a)(b)?(?P<c>c)\2",
]


def _shipped_patterns() -> list[str]:
    from healthlint.kinds.pattern import phrase_to_regex

    found = []
    for path in sorted(builtin_dir().glob("*.yaml")):
        for rule in load_pack(path):
            found += [p for p in rule.options.get("patterns", []) if "{" not in p]
            found += [phrase_to_regex(p) for p in rule.options.get("phrases", [])]
    return found


@pytest.mark.parametrize("flags", [0, re.IGNORECASE, re.MULTILINE | re.DOTALL])
def test_re_patterns_from_the_cache_are_those_re_compiles(store, flags):
    patterns = TRICKY + _shipped_patterns()
    made = [cache.re_compile(p, flags) for p in patterns]
    cache.save()
    _fresh(store)
    loaded = [cache.re_compile(p, flags) for p in patterns]
    section = cache.active().compiled("re", cache._RE_TAG)
    assert len(section.entries) >= len(set(patterns)) and not section.added  # read, not made
    for p, a, b in zip(patterns, made, loaded, strict=True):
        expected = re.compile(p, flags)
        # Pattern equality compares pattern, flags and the compiled program itself
        assert a == expected and b == expected, p
        assert b.groupindex == expected.groupindex and b.groups == expected.groups


def test_regex_patterns_from_the_cache_match_as_compiled(store):
    text = "Café? It is 100% SAFE, with No Side-Effects; call +44 (20) 7946 0958 now. ſafe"
    patterns = TRICKY + [r"\p{Lu}\w+", r"(?:safe){e<=1}"]
    flags = regex.IGNORECASE | regex.V0
    for p in patterns:
        cache.regex_compile(p, flags)
    cache.save()
    _fresh(store)
    for p in patterns:
        loaded = cache.regex_compile(p, flags)
        assert ("regex", (p, int(flags))) in cache._LIVE
        expected = regex.compile(p, flags)
        assert loaded.pattern == p and loaded.flags == expected.flags
        assert [m.span() for m in loaded.finditer(text)] == [
            m.span() for m in expected.finditer(text)
        ]
        assert loaded.groupindex == expected.groupindex


def test_without_a_store_compiling_is_plain():
    previous = cache.use(None)
    try:
        assert cache.re_compile(r"\bx\b") is re.compile(r"\bx\b")
        with pytest.raises(re.error):
            cache.re_compile("(")
        with pytest.raises(regex.error):
            cache.regex_compile("(")
    finally:
        cache.use(previous)


def test_a_bad_pattern_raises_as_re_does(store):
    with pytest.raises(re.error):
        cache.re_compile("a(b")
    with pytest.raises(regex.error):
        cache.regex_compile("a(b")
    cache.save()
    _fresh(store)
    with pytest.raises(re.error):
        cache.re_compile("a(b")


# -- packs -----------------------------------------------------------------------------------


def _pack_rules(path, loader):
    return cache.pack_rules(path, loader, rule_state, rule_from_state)


class CountingLoader:
    def __init__(self):
        self.calls = 0

    def __call__(self, path, text):
        self.calls += 1
        return load_pack(path, text)


def test_pack_cache_hit_then_miss_after_an_edit(store, tmp_path):
    pack = demo_pack(tmp_path)
    loader = CountingLoader()
    first = _pack_rules(pack, loader)
    cache.save()
    _fresh(store)
    again = _pack_rules(pack, loader)
    assert loader.calls == 1  # the second read came from the cache
    assert again == first and again[0].options == first[0].options

    # the same size and a new time, then a new text: both are read afresh
    write(pack, DEMO_PACK.replace("100% safe", "200% safe"))
    _fresh(store)
    edited = _pack_rules(pack, loader)
    assert loader.calls == 2
    assert edited[0].options["phrases"][0] == "200% safe"
    os.utime(pack, ns=(1, 1))
    cache.save()
    _fresh(store)
    _pack_rules(pack, loader)
    assert loader.calls == 3


def test_same_mtime_and_size_but_other_text_is_a_miss(store, tmp_path):
    pack = demo_pack(tmp_path)
    loader = CountingLoader()
    _pack_rules(pack, loader)
    cache.save()
    stat = pack.stat()
    write(pack, DEMO_PACK.replace("100% safe", "100% SAFE"))  # same length
    os.utime(pack, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    _fresh(store)
    rules = _pack_rules(pack, loader)
    assert loader.calls == 2 and rules[0].options["phrases"][0] == "100% SAFE"


def test_broken_pack_is_reported_every_time(store, tmp_path):
    from healthlint.packs import PackError

    pack = write(tmp_path / "bad.yaml", "rules: [\n")
    for _ in range(2):
        with pytest.raises(PackError):
            load_packs([pack])
        cache.save()
        _fresh(store)


def test_rules_from_the_cache_do_not_need_the_yaml_library(tmp_path):
    """A warm run unpickles rules whose options are plain dicts and lists."""
    rules = load_packs(sorted(builtin_dir().glob("*.yaml")))

    def plain(value):
        if isinstance(value, dict):
            return type(value) is dict and all(plain(v) for v in value.values())
        if isinstance(value, list):
            return all(plain(v) for v in value)
        return True

    assert all(plain(r.options) for r in rules)


def test_an_edited_module_invalidates_rules_and_analyses(store, monkeypatch):
    rules = load_packs([builtin_dir() / "hype.yaml"])
    cache.save()
    first = _rules_file(store)
    stamp = cache.source_stamp()
    monkeypatch.setattr(cache, "_STAMP", (*stamp[:2], (*stamp[2], ("new.py", 1, 1))))
    _fresh(store)
    assert cache.active().rules("packs").entries == {}
    assert load_packs([builtin_dir() / "hype.yaml"]) == rules
    cache.save()
    # the other installation's file stays: two sources sharing the folder do not thrash
    assert first.exists() and len(list(store.glob(f"{cache.RULES_PREFIX}*"))) == 2
    monkeypatch.setattr(cache, "_STAMP", stamp)
    _fresh(store)
    assert cache.active().rules("packs").entries  # the first one's rules again


def test_old_layouts_and_old_checkouts_are_pruned(store, monkeypatch):
    for name in ("compiled-1.bin", "rules-1.bin", "rules-0-abc.bin"):
        write(store / name, "old")
    write(store / "notes.txt", "not ours")
    stamp = cache.source_stamp()
    for i in range(cache.KEEP_RULES_FILES + 3):
        monkeypatch.setattr(cache, "_STAMP", (*stamp[:2], (("v.py", i, i),)))
        _fresh(store)
        cache.persisted("test.ident")(lambda x: x)(i)
        cache.save()
        os.utime(_newest(store), ns=(i * 10**9, i * 10**9))
    names = sorted(p.name for p in store.iterdir())
    assert "notes.txt" in names and "compiled-1.bin" not in names and "rules-1.bin" not in names
    assert len([n for n in names if n.startswith(cache.RULES_PREFIX)]) == cache.KEEP_RULES_FILES


def _newest(folder: Path) -> Path:
    return max(folder.glob(f"{cache.RULES_PREFIX}*"), key=lambda p: p.stat().st_mtime_ns)


# -- the command line --------------------------------------------------------------------------


def _cli(args, cwd, cache_dir, extra_env=None):
    env = {**os.environ, "PYTHONPATH": str(REPO / "src"), "HEALTHLINT_CACHE_DIR": str(cache_dir)}
    env.update(extra_env or {})
    return subprocess.run(
        [sys.executable, "-m", "healthlint", *map(str, args)],
        cwd=cwd, env=env, capture_output=True, text=True, timeout=120,
    )


@pytest.fixture
def article(tmp_path):
    return write(
        tmp_path / "post.md",
        "---\ntitle: Heel pain\ndate: 2024-05-01\n---\n\n# Heel pain\n\n"
        "The cream is 100% safe and has no side effects. Studies show 70% of people improve."
        "\n\nBook your consultation today!\n",
    )


def test_warm_runs_report_the_same_and_skip_yaml(tmp_path, article):
    folder = tmp_path / "cache"
    args = ["check", "--no-config", "--format", "json", article]
    cold = _cli(args, tmp_path, folder)
    assert {p.name for p in folder.iterdir()} == {cache.COMPILED_FILE, _rules_file(folder).name}
    warm = _cli(args, tmp_path, folder)
    plain = _cli([*args, "--no-cache"], tmp_path, tmp_path / "unused")
    assert not (tmp_path / "unused").exists()
    assert cold.returncode == warm.returncode == plain.returncode == 1
    assert cold.stdout == warm.stdout == plain.stdout
    assert json.loads(warm.stdout)["summary"]["findings"] >= 3

    probe = (
        "import sys\nfrom healthlint.cli import main\n"
        f"main(['check', '--no-config', '--format', 'json', {str(article)!r}])\n"
        "sys.stderr.write(' '.join(sorted(sys.modules)))\n"
    )
    env = {**os.environ, "PYTHONPATH": str(REPO / "src"), "HEALTHLINT_CACHE_DIR": str(folder)}
    proc = subprocess.run([sys.executable, "-c", probe], env=env, capture_output=True, text=True)
    loaded = set(proc.stderr.split())
    assert "healthlint.cli" in loaded and "markdown_it" in loaded
    for heavy in ("yaml", "textstat", "jsonschema", "difflib", "multiprocessing"):
        assert heavy not in loaded, heavy


def test_a_warm_run_writes_nothing(tmp_path, article, shared):
    """Every cached pattern is built the same way in every run (no set order in it):
    with other hash seeds, a warm run finds everything and leaves the files alone."""
    folder = tmp_path / "cache"
    seeds = sorted((shared / "corpus" / "seeds").iterdir())
    args = ["check", "--no-config", "--format", "json", article, *seeds]
    _cli(args, tmp_path, folder, {"PYTHONHASHSEED": "1"})
    before = {p.name: p.stat().st_mtime_ns for p in folder.iterdir()}
    again = _cli(args, tmp_path, folder, {"PYTHONHASHSEED": "2"})
    assert again.returncode == 1
    assert {p.name: p.stat().st_mtime_ns for p in folder.iterdir()} == before


def test_corrupt_cache_files_are_ignored_and_replaced(tmp_path, article):
    folder = tmp_path / "cache"
    args = ["check", "--no-config", "--format", "json", article]
    good = _cli(args, tmp_path, folder)
    rules_file = _rules_file(folder).name
    for name in (cache.COMPILED_FILE, rules_file):
        (folder / name).write_bytes(b"\x00garbage" * 10)
    bad = _cli(args, tmp_path, folder)
    assert bad.stdout == good.stdout and bad.stderr == good.stderr
    assert (folder / rules_file).read_bytes()[:9] != b"\x00garbage"
    # truncated files too
    for name in (cache.COMPILED_FILE, rules_file):
        data = (folder / name).read_bytes()
        (folder / name).write_bytes(data[: len(data) // 2])
    assert _cli(args, tmp_path, folder).stdout == good.stdout


def test_unwritable_cache_folder_is_harmless(tmp_path, article):
    blocker = write(tmp_path / "file", "not a folder")
    args = ["check", "--no-config", "--format", "json", article]
    proc = _cli(args, tmp_path, blocker / "cache")
    plain = _cli([*args, "--no-cache"], tmp_path, blocker / "cache")
    assert proc.returncode == plain.returncode == 1
    assert proc.stdout == plain.stdout and proc.stderr == plain.stderr == ""


def test_a_cache_file_others_may_write_is_not_read(store, tmp_path):
    pack = demo_pack(tmp_path)
    loader = CountingLoader()
    _pack_rules(pack, loader)
    cache.save()
    _rules_file(store).chmod(0o666)
    _fresh(store)
    _pack_rules(pack, loader)
    assert loader.calls == 2


def test_no_cache_flag_and_empty_variable(tmp_path, monkeypatch, capsys):
    folder = tmp_path / "cache"
    target = write(tmp_path / "a.md", SAFE + "\n")
    monkeypatch.setenv("HEALTHLINT_CACHE_DIR", str(folder))
    code, out, _ = run_cli(["check", "--no-config", "--no-cache", target], capsys)
    assert code == 1 and "100% safe" in out and not folder.exists()
    monkeypatch.setenv("HEALTHLINT_CACHE_DIR", "")
    assert cache.default_dir() is None
    code, out2, _ = run_cli(["check", "--no-config", target], capsys)
    assert code == 1 and out2 == out
    monkeypatch.setenv("HEALTHLINT_CACHE_DIR", str(folder))
    code, out3, _ = run_cli(["check", "--no-config", target], capsys)
    assert out3 == out and _rules_file(folder).exists()
    assert cache.active() is None  # main() leaves no cache switched on behind it
    code, _, _ = run_cli(["rules", "--no-cache"], capsys)
    assert code == 0


def test_default_folder(monkeypatch, tmp_path):
    monkeypatch.delenv("HEALTHLINT_CACHE_DIR", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert cache.default_dir() == tmp_path / "xdg" / "healthlint"
    monkeypatch.setenv("XDG_CACHE_HOME", "relative/path")  # ignored, as the spec says
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert cache.default_dir() == tmp_path / "home" / ".cache" / "healthlint"
    monkeypatch.setenv("HEALTHLINT_CACHE_DIR", str(tmp_path / "mine"))
    assert cache.default_dir() == tmp_path / "mine"


def test_persisted_results_survive_a_run(store):
    calls = []

    @cache.persisted("test.double")
    def double(x, flags):
        calls.append(x)
        return [x * 2, int(flags)]

    @cache.persisted("test.unstorable")
    def unstorable(x):
        calls.append(x)
        return object()

    assert double("ab", re.IGNORECASE) == ["abab", 2]  # an enum flag is stored as an int
    unstorable("z")
    cache.save()
    _fresh(store)
    assert double("ab", 2) == ["abab", 2]
    assert double("ab", re.IGNORECASE) == ["abab", 2]
    assert calls == ["ab", "z"]
    unstorable("z")  # kept for the run only: computed again
    assert calls.count("z") == 2
    previous = cache.use(None)
    try:
        assert double("ab", 2) == ["abab", 2] and calls.count("ab") == 2
    finally:
        cache.use(previous)


def test_main_restores_the_garbage_collector(tmp_path, capsys):
    import gc

    a = write(tmp_path / "a.md", SAFE + "\n")
    b = write(tmp_path / "b.md", "Nothing to see.\n")
    assert gc.isenabled()
    run_cli(["check", "--no-config", "--no-cache", a], capsys)
    assert gc.isenabled()
    gc.disable()
    try:
        run_cli(["check", "--no-config", "--no-cache", a, b], capsys)
        assert not gc.isenabled()  # left as the caller had it
    finally:
        gc.enable()
