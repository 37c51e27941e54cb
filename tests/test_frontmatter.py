"""Front matter read without PyYAML must read exactly as yaml.safe_load does, or defer."""

from __future__ import annotations

import itertools

import pytest
import yaml

from healthlint.frontmatter import simple_mapping

VALUES = [
    "Heel pain", "Don't panic", "A [draft] {v2}", "C# and F#", "http://example.org/a?b=c",
    "yes", "Yes please", "no", "NO", "on", "Off", "true", "False", "null", "Null", "~", "",
    "0", "7", "42", "007", "1_000", "-3", "+3", "3.5", "1e3", ".5", ".inf", "0x1F", "1:30",
    "2024-05-01", "2024-5-1", "2024-13-45", "2024-05-01T10:00:00", "2024-05-01 10:00:00",
    '"quoted: text # kept"', "'single'", "'it''s'", '"esc\\"aped"', '""', "''", '"open',
    "a: b", "ends with:", "value # comment", "value#hash", "&anchor", "*alias", "!tag x",
    "|", ">", "- item", "[1, 2]", "{a: 1}", "@at", "`tick`", "%pct", "?q", "é accent",
    "Ärzte", "tab\there", "nbsp\u00a0here", "3 tips", "12 weeks",
]


def both(text: str):
    simple = simple_mapping(text)
    try:
        full = yaml.safe_load(text)
    except (yaml.YAMLError, ValueError):  # ValueError: an impossible date
        full = "error"
    return simple, full


@pytest.mark.parametrize("value", VALUES)
def test_each_value_reads_as_yaml_or_defers(value):
    text = f"title: {value}\n"
    simple, full = both(text)
    if simple is not None:
        assert simple == full and type(simple["title"]) is type(full["title"])


@pytest.mark.parametrize(
    "text",
    [
        "title: Heel pain\nauthor: Dr Example\ndate: 2024-05-01\n",
        "title: A\n\n# a comment\nweeks: 12\ndraft:\n",
        "title: A\r\nauthor: B\r\n",
        "",
        "\n\n",
        "# only a comment\n",
        "key_with-dash: x\n_private: y\n",
    ],
)
def test_simple_blocks_are_read_exactly(text):
    simple, full = both(text)
    assert simple is not None
    assert simple == (full or {})


@pytest.mark.parametrize(
    "text",
    [
        "tags:\n  - a\n  - b\n",
        "tags:\n- a\n",
        "meta:\n  x: 1\n",
        "title: A\ntitle: B\n",
        "yes: 1\n",
        "on: x\n",
        "title:A\n",
        "title:\tA\n",
        "  title: A\n",
        "title: A\n  continued\n",
        "a b: c\n",
        "? complex\n: key\n",
        "title: A # note\n",
        "just prose, not a mapping\n",
        "title: x\n---\nmore: y\n",
    ],
)
def test_anything_else_is_left_to_yaml(text):
    assert simple_mapping(text) is None


def test_generated_combinations_agree():
    keys = ["title", "date", "weeks", "flag"]
    samples = ["Heel pain", "2024-05-01", "12", "yes", "", "'x'", "a: b", "007"]
    for values in itertools.product(samples, repeat=2):
        text = "".join(f"{k}: {v}\n" for k, v in zip(keys, values, strict=False))
        simple, full = both(text)
        if simple is not None:
            assert simple == full, text


def test_impossible_date_is_a_notice_not_a_crash():
    from healthlint.readers.markdown import read

    text = "---\ndate: 2024-13-45\n---\n\nSome text.\n"
    doc = read("a.md", text)
    assert doc.metadata == {}
    assert any("front matter is not valid YAML" in n and "month" in n for n in doc.notices)
    assert [b.text for b in doc.blocks if b.scope == "paragraph"] == ["Some text."]
