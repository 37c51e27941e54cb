from pathlib import Path

import pytest
from helpers import write

from healthlint.config import (
    Config,
    ConfigError,
    PathRules,
    find_config,
    load_config,
    resolve_config,
)
from healthlint.files import DEFAULT_INCLUDE

FULL = """\
packs: [demo, ./my-pack.yaml]
select: [demo]
ignore: [demo.book-]
severity:
  demo.miracle: warning
  demo: info
per_path:
  - paths: ["drafts/**"]
    ignore: [demo]
  - paths: ["*.html"]
    severity: {demo.total-safety: off}
include: ["*.md"]
exclude: [vendor-docs]
fail_on: error
brands: [Acme Clinic, FlexiBrace]
options:
  demo.total-safety: {limit: 3}
"""


def test_every_key_is_read(tmp_path):
    cfg = load_config(write(tmp_path / "healthlint.yaml", FULL))
    assert cfg.path == str(tmp_path / "healthlint.yaml")
    assert cfg.base == str(tmp_path)
    assert cfg.packs == ("demo", "./my-pack.yaml")
    assert cfg.select == ("demo",)
    assert cfg.ignore == ("demo.book-",)
    assert cfg.severity == {"demo.miracle": "warning", "demo": "info"}
    assert cfg.per_path == (
        PathRules(paths=("drafts/**",), ignore=("demo",)),
        PathRules(paths=("*.html",), severity={"demo.total-safety": "off"}),
    )
    assert cfg.include == ("*.md",)
    assert cfg.exclude == ("vendor-docs",)
    assert cfg.fail_on == "error"
    assert cfg.brands == ("Acme Clinic", "FlexiBrace")
    assert cfg.options == {"demo.total-safety": {"limit": 3}}
    # pack paths resolve against the config file's folder
    assert cfg.pack_paths()[1] == tmp_path / "my-pack.yaml"


def test_empty_file_means_defaults(tmp_path):
    cfg = load_config(write(tmp_path / ".healthlint.yaml", ""))
    assert (cfg.select, cfg.ignore, cfg.packs, cfg.fail_on) == (None, (), None, "warning")
    assert cfg.include == DEFAULT_INCLUDE


@pytest.mark.parametrize(
    ("text", "line", "key", "message"),
    [
        ("select: [a]\nignroe: [b]\n", 2, "ignroe", "unknown key 'ignroe' (did you mean 'ignore'?"),
        ("select: demo\n", 1, "select", "expected a list of strings, got a string 'demo'"),
        ("severity:\n  demo: loud\n", 2, "severity.demo", "expected one of 'error', 'warning'"),
        ("fail_on: sometimes\n", 1, "fail_on", "one of 'error', 'warning', 'info', 'never'"),
        (
            "per_path:\n  - paths: [a]\n    selct: [b]\n",
            3,
            "per_path[0].selct",
            "unknown key 'selct' (did you mean 'select'?)",
        ),
        ("per_path:\n  - ignore: [b]\n", 2, "per_path[0].paths", "missing required key 'paths'"),
        ("options:\n  demo.x: 3\n", 2, "options.demo.x", "expected an object"),
    ],
)
def test_invalid_config_names_file_line_and_key(tmp_path, text, line, key, message):
    path = write(tmp_path / "healthlint.yaml", text)
    with pytest.raises(ConfigError) as info:
        load_config(path)
    (problem,) = info.value.problems
    shown = str(problem)
    assert shown.startswith(f"{path}:{line}: key {key!r}: "), shown
    assert message in shown


def test_invalid_yaml_names_the_line(tmp_path):
    path = write(tmp_path / "healthlint.yaml", "select: [a\nignore: b\n")
    with pytest.raises(ConfigError) as info:
        load_config(path)
    assert str(info.value).startswith(f"{path}:")
    assert "invalid YAML" in str(info.value)


def test_not_a_mapping(tmp_path):
    path = write(tmp_path / "healthlint.yaml", "- select\n")
    with pytest.raises(ConfigError, match="must be a mapping"):
        load_config(path)


def test_pyproject_section(tmp_path):
    path = write(
        tmp_path / "pyproject.toml",
        '[project]\nname = "x"\n\n[tool.healthlint]\nignore = ["demo.miracle"]\nfail_on = "info"\n',
    )
    cfg = load_config(path)
    assert cfg.ignore == ("demo.miracle",)
    assert cfg.fail_on == "info"


def test_pyproject_unknown_key_suggests(tmp_path):
    path = write(tmp_path / "pyproject.toml", '[tool.healthlint]\nfail-on = "info"\n')
    with pytest.raises(ConfigError, match=r"unknown key 'fail-on' \(did you mean 'fail_on'\?\)"):
        load_config(path)


def test_pyproject_bad_toml(tmp_path):
    path = write(tmp_path / "pyproject.toml", "[tool.healthlint\n")
    with pytest.raises(ConfigError, match="invalid TOML"):
        load_config(path)


def test_find_config_walks_up_and_stops_at_the_first(tmp_path):
    write(tmp_path / "healthlint.yaml", "")
    write(tmp_path / "a/pyproject.toml", "[tool.healthlint]\n")
    write(tmp_path / "a/b/pyproject.toml", "[project]\nname = 'no section'\n")
    write(tmp_path / "a/b/c/doc.md", "x\n")
    assert find_config(str(tmp_path / "a/b/c/doc.md")) == tmp_path / "a/pyproject.toml"
    assert find_config(str(tmp_path / "a/b/c")) == tmp_path / "a/pyproject.toml"
    assert find_config(str(tmp_path / "doc.md")) == tmp_path / "healthlint.yaml"


def test_yaml_config_beats_pyproject_in_the_same_folder(tmp_path):
    write(tmp_path / "pyproject.toml", "[tool.healthlint]\n")
    write(tmp_path / ".healthlint.yaml", "")
    write(tmp_path / "healthlint.yaml", "")
    assert find_config(str(tmp_path)) == tmp_path / "healthlint.yaml"


def test_resolve_config_explicit_and_disabled(tmp_path):
    write(tmp_path / "healthlint.yaml", "fail_on: error\n")
    other = write(tmp_path / "elsewhere.yaml", "fail_on: info\n")
    assert resolve_config([str(tmp_path)]).fail_on == "error"
    assert resolve_config([str(tmp_path)], explicit=str(other)).fail_on == "info"
    assert resolve_config([str(tmp_path)], use_config=False).path is None
    with pytest.raises(ConfigError, match="config file not found"):
        resolve_config([str(tmp_path)], explicit=str(tmp_path / "missing.yaml"))


def test_config_is_frozen():
    with pytest.raises(AttributeError):
        Config().fail_on = "never"  # type: ignore[misc]


def test_default_packs_are_the_builtin_ones():
    from healthlint.packs import builtin_names

    assert [p.stem for p in Config().pack_paths()] == builtin_names()
    assert all(isinstance(p, Path) for p in Config().pack_paths())
