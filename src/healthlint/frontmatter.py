"""Simple front matter read without the YAML library.

Most front matter is a few `key: value` lines (title, author, date). Importing PyYAML
takes longer than reading and linting an article, so such a block is read here; anything
this module is not sure about (nesting, lists, quotes with escapes, comments after a
value, numbers other than plain integers, times...) is left to `yaml.safe_load`.
What it does read, it reads exactly as `yaml.safe_load` would (YAML 1.1 scalar
resolution: `yes`/`off` are booleans, `~` is null, `2024-05-01` is a date); the tests
compare the two on many inputs.
"""

from __future__ import annotations

from healthlint.cache import re_compile

_LINE = re_compile(r"([A-Za-z_][A-Za-z0-9_-]*):(?:[ ]+(.*?))?[ ]*")
_PLAIN_INT = re_compile(r"0|[1-9][0-9]*")
_DATE = re_compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})")
# Words YAML 1.1 (as PyYAML resolves it) reads as booleans or null.
_SPECIAL = frozenset(
    "yes Yes YES no No NO true True TRUE false False FALSE on On ON off Off OFF "
    "null Null NULL".split()
)


def simple_mapping(text: str) -> dict | None:
    """The mapping `text` holds when it is only `key: value` lines with simple values,
    blank lines and comment lines; None when the YAML library must decide."""
    out: dict = {}
    for line in text.replace("\r\n", "\n").split("\n"):
        if not line.strip(" ") or line.startswith("#"):
            continue
        m = _LINE.fullmatch(line)
        if m is None:
            return None
        key, raw = m.group(1), m.group(2)
        if key in _SPECIAL or key in out:
            return None
        value = _scalar(raw) if raw else None
        if value is _UNSURE:
            return None
        out[key] = value
    return out


_UNSURE = object()


def _scalar(raw: str) -> object:
    if not raw.isprintable():
        return _UNSURE
    first = raw[0]
    if first in "\"'":
        # a quoted string without escapes or the quote inside: its text
        if len(raw) >= 2 and raw[-1] == first and first not in raw[1:-1] and "\\" not in raw:
            return raw[1:-1]
        return _UNSURE
    if ": " in raw or " #" in raw or raw.endswith(":"):
        return _UNSURE
    if first.isalpha():
        if raw in _SPECIAL:
            return _UNSURE
        return raw
    if _PLAIN_INT.fullmatch(raw):
        return int(raw)
    m = _DATE.fullmatch(raw)
    if m:
        import datetime

        try:
            return datetime.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        except ValueError:
            return _UNSURE
    return _UNSURE
