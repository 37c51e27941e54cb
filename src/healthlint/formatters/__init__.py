"""Output formats: one module each, found through FORMATTERS and imported only when used.

Every formatter is a function `format(result: RunResult, stream: TextIO, options:
FormatOptions) -> None` that writes the whole report to `stream`; it does no linting,
filtering or exit-status logic.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import TYPE_CHECKING, NamedTuple, TextIO

if TYPE_CHECKING:
    from healthlint.runner import RunResult

#: --format name -> "module:function"
FORMATTERS: dict[str, str] = {
    "text": "healthlint.formatters.text:format",
    "json": "healthlint.formatters.json:format",
    "sarif": "healthlint.formatters.sarif:format",
    "github": "healthlint.formatters.github:format",
    "gitlab": "healthlint.formatters.gitlab:format",
    "junit": "healthlint.formatters.junit:format",
    "rdjsonl": "healthlint.formatters.rdjsonl:format",
}


class FormatOptions(NamedTuple):
    color: bool = False  # ANSI colours (text output only)
    quiet: bool = False  # findings only: no notices, no summary


Formatter = Callable[["RunResult", TextIO, FormatOptions], None]


def get_formatter(name: str) -> Formatter:
    module, _, func = FORMATTERS[name].partition(":")
    return getattr(importlib.import_module(module), func)
