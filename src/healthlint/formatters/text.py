"""Human-readable output: one header line per finding, the source line, a ^ underline.

    docs/a.md:3:20: warning [absolute-claims.no-side-effects] ...
        3 | This cream has no side effects at all.
          |                ^^^^^^^^^^^^^^^

Columns in the header count characters (as in JSON); the underline is placed by
display width, so tabs and wide (CJK) characters line up in a terminal.
"""

from __future__ import annotations

import unicodedata
from typing import TYPE_CHECKING, TextIO

from healthlint.model import Severity

if TYPE_CHECKING:
    from healthlint.formatters import FormatOptions
    from healthlint.model import Finding
    from healthlint.runner import RunResult

TAB = 4
MAX_WIDTH = 100  # longer source lines are cut around the finding
CONTEXT = 30  # display cells kept before the finding when a line is cut

_RESET = "\x1b[0m"
_BOLD = "\x1b[1m"
_DIM = "\x1b[2m"
_COLORS = {
    Severity.ERROR: "\x1b[1;31m",
    Severity.WARNING: "\x1b[1;33m",
    Severity.INFO: "\x1b[1;36m",
}


def _cell(ch: str, col: int) -> tuple[str, int]:
    """How one character is shown at display column `col`: (text, width)."""
    if ch == "\t":
        n = TAB - col % TAB
        return " " * n, n
    code = ord(ch)
    if code < 32 or code == 127 or 0x80 <= code < 0xA0:
        return "\ufffd", 1  # never send control characters from a file to the terminal
    if unicodedata.combining(ch) or unicodedata.category(ch) in ("Mn", "Me", "Cf"):
        return ch, 0
    if unicodedata.east_asian_width(ch) in ("W", "F"):
        return ch, 2
    return ch, 1


def render_line(line: str, start: int, end: int) -> tuple[str, str]:
    """The line as displayed and a caret underline for characters [start, end).

    An empty span gets one caret; a line wider than MAX_WIDTH is cut (with "…")
    around the span.
    """
    if line.isascii() and line.isprintable():
        # the usual line: one cell per character, shown as it is
        total = len(line)
        s_col = min(start, total)
        e_col = end if start < end <= total else s_col
        cells = None
    else:
        cells = []
        col = 0
        for ch in line:
            shown, width = _cell(ch, col)
            cells.append((shown, col, width))
            col += width
        total = col
        s_col = cells[start][1] if start < len(cells) else total
        if start < end <= len(cells):
            e_col = cells[end - 1][1] + cells[end - 1][2]
        else:
            e_col = s_col
    carets = max(e_col - s_col, 1)

    lo, hi = 0, total
    if total > MAX_WIDTH:
        lo = max(0, s_col - CONTEXT)
        hi = min(total, max(lo + MAX_WIDTH, e_col))
    if cells is None:
        text = line[lo:hi]
    else:
        text = "".join(shown for shown, c, w in cells if c >= lo and c + w <= hi)
    prefix = "…" if lo > 0 else ""
    suffix = "…" if hi < total else ""
    pad = len(prefix) + (s_col - lo)
    return prefix + text + suffix, " " * pad + "^" * min(carets, max(hi - s_col, 1))


def _clean(text: str) -> str:
    return "".join(
        " " if ch in "\r\n\t" else ("\ufffd" if ord(ch) < 32 or ord(ch) == 127 else ch)
        for ch in text
    )


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def summary(result: RunResult) -> str:
    files = _plural(result.files, "file")
    counts = result.counts()
    n = len(result.findings)
    if n:
        detail = ", ".join(
            _plural(counts[s], str(s)) for s in (Severity.ERROR, Severity.WARNING, Severity.INFO)
        )
        line = f"{_plural(n, 'finding')} ({detail}) in {files}"
    else:
        line = f"No problems found in {files}"
    skipped = sum(1 for p in result.problems if p.message.startswith("skipped:"))
    failed = sum(1 for p in result.problems if p.fatal)
    extra = []
    if skipped:
        extra.append(f"{_plural(skipped, 'file')} skipped")
    if failed:
        extra.append(f"{_plural(failed, 'file error')}")
    return line + (f"; {', '.join(extra)}" if extra else "")


def format_finding(f: Finding, line_text: str | None, color: bool) -> list[str]:
    sev = str(f.severity)
    if color:
        c = _COLORS[f.severity]
        head = (
            f"{_BOLD}{f.path}:{f.line}:{f.column}:{_RESET} {c}{sev}{_RESET} "
            f"{_DIM}[{f.rule}]{_RESET} {_clean(f.message)}"
        )
    else:
        head = f"{f.path}:{f.line}:{f.column}: {sev} [{f.rule}] {_clean(f.message)}"
    out = [head]
    if line_text is not None:
        start = f.column - 1
        end = f.end_column - 1 if f.end_line == f.line else len(line_text)
        shown, marks = render_line(line_text, start, max(end, start))
        gutter = str(f.line)
        blank = " " * len(gutter)
        if color:
            carets = marks.lstrip(" ")
            pad = marks[: len(marks) - len(carets)]
            marks = f"{pad}{_COLORS[f.severity]}{carets}{_RESET}"
        out.append(f"  {gutter} | {shown}".rstrip())
        out.append(f"  {blank} | {marks}")
        if f.suggestion:
            out.append(f"  {blank} = suggestion: {_clean(f.suggestion)}")
    return out


def format(result: RunResult, stream: TextIO, options: FormatOptions) -> None:  # noqa: A001
    color = options.color
    for f in result.findings:
        stream.write("\n".join(format_finding(f, result.source_line(f.path, f.line), color)))
        stream.write("\n\n")
    if options.quiet:
        return
    for p in result.problems:
        kind = "error" if p.fatal else "notice"
        stream.write(f"{p.path}: {kind}: {_clean(p.message)}\n")
    if result.problems:
        stream.write("\n")
    text = summary(result)
    if color:
        text = f"{_BOLD}{text}{_RESET}"
    stream.write(text + "\n")
