"""Plain text: blank-line paragraphs; a file without blank lines is one block per line."""

from __future__ import annotations

from healthlint.model import Block, BlockBuilder, Document
from healthlint.source import LineIndex


def read(path: str, text: str, notices: tuple[str, ...] = ()) -> Document:
    lines = LineIndex(text)
    blocks: list[Block] = []
    one_per_line = "\n\n" not in text.replace("\r\n", "\n")
    builder = BlockBuilder()
    for n in range(1, lines.line_count + 1):
        start, end = lines.line_span(n, text)
        line = text[start:end]
        if not line.strip() or one_per_line:
            if one_per_line:
                builder.add(line, start)
            block = builder.build("paragraph")
            if block:
                blocks.append(block)
            builder = BlockBuilder()
            continue
        if builder.length:
            builder.add_synthetic("\n", start - 1)
        builder.add(line, start)
    block = builder.build("paragraph")
    if block:
        blocks.append(block)
    return Document(path, text, "text", tuple(blocks), lines, notices=notices)
