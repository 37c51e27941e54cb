"""Plain text into blocks, with an exact source map.

Text extracted from web pages rarely follows one convention, so the reader looks at
each run of non-blank lines (a "chunk"):
- In a hard-wrapped chunk (the file has blank lines, and every plain line of the chunk
  is at most 100 characters and at least one of them, not the last, ends mid-sentence)
  lines join into one paragraph, a synthetic "\\n" standing for each line end.
- Otherwise (no blank line anywhere, or long unwrapped lines) each line is a block of
  its own; a line that starts with a lower-case letter continues the block before it
  (a stat card such as "65%" followed by "of patients ...").
- Lines that look like list items ("- ", "* ", "• ", "1. ", "1) ", possibly indented)
  are list_item blocks (level from indentation); indented plain lines after an item
  in a hard-wrapped chunk continue it.
- Pipe-table lines ("| a | b |") become one table_cell block per cell, the cells of a
  row sharing a `group`; separator rows ("|---|---|") are skipped.
- A block made of one short line (at most 12 words) with no sentence-final punctuation
  is a heading, unless it ends with ":" and introduces a list.
- A line holding only an HTML comment is not prose; a `healthlint-` directive in it is
  recorded, so plain-text files can carry suppressions too.
Every character is copied verbatim except the synthetic line-end "\\n".
"""

from __future__ import annotations

import itertools
import re

from healthlint.cache import re_compile
from healthlint.model import Block, BlockBuilder, Directive, Document
from healthlint.readers.directives import add_comment
from healthlint.source import LineIndex

WRAP_WIDTH = 100
HEADING_WORDS = 12

_LIST = re_compile(r"([ \t]*)(?:[-*+•◦▪‣·✔✓☑✅➤►▶→]|\d{1,3}[.)])[ \t]+(?=\S)")
# A stat-card figure ("65%", "619M", "22") whose caption is on the next line.
_STAT = re_compile(r"[ \t]*[$€£]?\d[\d.,]*\s*(?:%|[KMBkmbx]\+?|\+)?[ \t]*\Z")
_TABLE = re_compile(r"[ \t]*\|.*\|[ \t]*\Z")
_SEPARATOR = re_compile(r"[ \t]*\|[ \t:|-]*-[ \t:|-]*\Z")
_PIPE = re_compile(r"(?<!\\)\|")
_COMMENT = re_compile(r"[ \t]*<!--(.*?)-->[ \t]*\Z", re.DOTALL)
_NOT_HEADING_END = re_compile(r"[.!?;,…][\"'”’)\]]*\Z")
_HAS_LETTER = re_compile(r"[^\W\d_]")

#: (line number, start offset, line without its end, kind)
_Rec = tuple[int, int, str, int]

# line kinds
_BLANK, _PLAIN, _ITEM, _ROW, _SEP, _COMMENT_LINE = range(6)


def _kind(line: str) -> int:
    if not line.strip():
        return _BLANK
    if _LIST.match(line):
        return _ITEM
    if "|" in line and _TABLE.match(line):
        return _SEP if _SEPARATOR.match(line) else _ROW
    if "<!--" in line and _COMMENT.match(line):
        return _COMMENT_LINE
    return _PLAIN


def _is_heading(line: str, next_kind: int | None) -> bool:
    s = line.strip()
    if len(s.split()) > HEADING_WORDS or not _HAS_LETTER.search(s):
        return False
    if _NOT_HEADING_END.search(s):
        return False
    return not (s.endswith(":") and next_kind == _ITEM)


def _wrapped(chunk: list[_Rec]) -> bool:
    plain = [c for c in chunk if c[3] == _PLAIN]
    if len(plain) < 2 or any(len(c[2]) > WRAP_WIDTH for c in plain):
        return False
    return any(not _NOT_HEADING_END.search(c[2].rstrip()) for c in plain[:-1])


class _Reader:
    def __init__(self, text: str, lines: LineIndex) -> None:
        self.text = text
        self.lines = lines
        self.blocks: list[Block] = []
        self.directives: list[Directive] = []
        self.notices: list[str] = []
        self.next_group = itertools.count(1).__next__
        self.builder: BlockBuilder | None = None
        self.scope = "paragraph"
        self.level = 0
        self.line_count = 0
        self.first_line = ""
        self.next_kind: int | None = None  # kind of the line after the current one
        self.first_next: int | None = None  # ... after the current block's first line

    def emit(self) -> None:
        b = self.builder
        if b is None:
            return
        scope = self.scope
        level = self.level
        if (
            scope == "paragraph"
            and self.line_count == 1
            and _is_heading(self.first_line, self.first_next)
        ):
            scope, level = "heading", 1 if not self.blocks else 2
        block = b.build(scope, level)
        if block:
            self.blocks.append(block)
        self.builder = None

    def start(self, scope: str, level: int, start: int, line: str) -> None:
        self.emit()
        self.builder = BlockBuilder()
        self.builder.add(line, start)
        self.scope, self.level = scope, level
        self.line_count = 1
        self.first_line = line
        self.first_next = self.next_kind

    def extend(self, start: int, line: str) -> None:
        b = self.builder
        assert b is not None
        b.add_synthetic("\n", start - 1 - (self.text[start - 2 : start] == "\r\n"))
        b.add(line, start)
        self.line_count += 1

    def row(self, start: int, line: str) -> None:
        self.emit()
        group = self.next_group()
        pipes = [m.start() for m in _PIPE.finditer(line)]
        for a, z in itertools.pairwise(pipes):
            b = BlockBuilder()
            b.add(line[a + 1 : z], start + a + 1)
            block = b.build("table_cell", 0, group)
            if block:
                self.blocks.append(block)

    def run(self) -> None:
        text, lines = self.text, self.lines
        records = []
        for n in range(1, lines.line_count + 1):
            start, end = lines.line_span(n, text)
            line = text[start:end]
            records.append((n, start, line, _kind(line)))
        chunks: list[list[_Rec]] = []
        current: list[_Rec] = []
        for rec in records:
            if rec[3] == _COMMENT_LINE:
                body = _COMMENT.match(rec[2]).group(1)  # type: ignore[union-attr]
                column = rec[2].index("<!--") + 1
                add_comment(body, rec[0], column, self.directives, self.notices)
            if rec[3] in (_BLANK, _COMMENT_LINE):
                if current:
                    chunks.append(current)
                    current = []
            else:
                current.append(rec)
        if current:
            chunks.append(current)
        has_blank = len(chunks) > 1
        following = [c[0][3] for c in chunks[1:]] + [None] if chunks else []
        for chunk, after in zip(chunks, following, strict=True):
            self.chunk(chunk, has_blank and _wrapped(chunk), after)
        self.emit()

    def chunk(self, chunk: list[_Rec], wrapped: bool, after: int | None) -> None:
        indents: list[int] = []
        for k, (_n, start, line, kind) in enumerate(chunk):
            self.next_kind = chunk[k + 1][3] if k + 1 < len(chunk) else after
            if kind == _SEP:
                self.emit()
            elif kind == _ROW:
                self.row(start, line)
            elif kind == _ITEM:
                width = len(_LIST.match(line).group(1).expandtabs(4))  # type: ignore[union-attr]
                while indents and width < indents[-1]:
                    indents.pop()
                if not indents or width > indents[-1]:
                    indents.append(width)
                cut = _LIST.match(line).end()  # type: ignore[union-attr]
                self.start("list_item", len(indents), start + cut, line[cut:])
            elif self.builder is not None and self._continues(line, wrapped):
                self.extend(start, line)
            else:
                self.start("paragraph", 0, start, line)
        self.emit()

    def _continues(self, line: str, wrapped: bool) -> bool:
        if self.scope == "list_item":
            return line[:1] in (" ", "\t") if wrapped else line.lstrip()[:1].islower()
        if self.line_count == 1 and _STAT.match(self.first_line):
            return True
        return wrapped or line.lstrip()[:1].islower()


def read(path: str, text: str, notices: tuple[str, ...] = ()) -> Document:
    lines = LineIndex(text)
    reader = _Reader(text, lines)
    reader.run()
    return Document(
        path,
        text,
        "text",
        tuple(reader.blocks),
        lines,
        directives=tuple(reader.directives),
        notices=tuple(notices) + tuple(reader.notices),
    )
