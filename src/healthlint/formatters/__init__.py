"""Output formats: one module each, found through FORMATTERS and imported only when used.

Every formatter is a function `format(result: RunResult, stream: TextIO, options:
FormatOptions) -> None` that writes the whole report to `stream`; it does no linting,
filtering or exit-status logic.

Several reports from one run: `--format NAME[:FILE]`, repeatable, and `--output FILE`.

    --format text                                  text on standard output (the default)
    --format github --format sarif:healthlint.sarif   annotations on stdout, SARIF to a file
    --format json --output report.json             --output is the file of the one format
                                                   given without a file

At most one format writes to standard output. Files are written as UTF-8 without a
byte-order mark, with "\\n" line ends, and never over a file being linted.
"""

from __future__ import annotations

import importlib
import os
from collections.abc import Callable, Collection, Sequence
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


class OutputError(ValueError):
    """A --format/--output combination that cannot work; the message says what to change."""


class Output(NamedTuple):
    format: str
    path: str | None  # None: standard output


def parse_outputs(
    specs: Sequence[str] | None, output: str | None, known: Collection[str] = FORMATTERS
) -> list[Output]:
    outs: list[Output] = []
    for spec in specs or ["text"]:
        name, sep, path = spec.partition(":")
        if name not in known:
            raise OutputError(
                f"--format {spec}: unknown format {name!r} (choose from {', '.join(sorted(known))})"
            )
        if sep and not path:
            raise OutputError(f"--format {spec}: no file name after ':'")
        outs.append(Output(name, path or None))
    to_stdout = [o for o in outs if o.path is None]
    if len(to_stdout) > 1:
        names = ", ".join(o.format for o in to_stdout)
        raise OutputError(
            f"formats {names} would all write to standard output; give all but one a file, "
            f"as in --format {to_stdout[-1].format}:report.{to_stdout[-1].format}"
        )
    if output:
        if not to_stdout:
            raise OutputError("--output FILE is for a --format without a file, and there is none")
        outs = [Output(o.format, output) if o.path is None else o for o in outs]
    seen: set[str] = set()
    for o in outs:
        if o.path is None:
            continue
        key = os.path.abspath(o.path)
        if key in seen:
            raise OutputError(f"two formats would write to {o.path}")
        seen.add(key)
    return outs


def stdout_format(outs: Sequence[Output]) -> str | None:
    """The format writing to standard output, if any."""
    return next((o.format for o in outs if o.path is None), None)


def write(result, outs: Sequence[Output], *, stdout, stdout_options, file_options) -> None:
    """Run each output's formatter on `result` (a runner.RunResult) with its FormatOptions."""
    for o in outs:
        formatter = get_formatter(o.format)
        if o.path is None:
            formatter(result, stdout, stdout_options)
            stdout.flush()
            continue
        try:
            with open(o.path, "w", encoding="utf-8", newline="\n") as fh:
                formatter(result, fh, file_options)
        except OSError as exc:
            raise OutputError(f"cannot write {o.path}: {exc.strerror or exc}") from None
