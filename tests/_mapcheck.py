"""Test helpers shared by the reader tests: the source-map invariant and positions."""

from __future__ import annotations

from healthlint.model import Block, Document


def assert_exact_map(doc: Document) -> None:
    """Every block character is the source character it maps to, unless synthetic.

    Readers synthesise only whitespace (line breaks, the stand-in for a code span) and
    the characters of an entity (mapped to its "&"); a NUL is read as U+FFFD.
    """
    for block in doc.blocks:
        assert block.text, block
        for i, ch in enumerate(block.text):
            o = block.source_offset(i)
            assert 0 <= o < len(doc.source), (block, i)
            src = doc.source[o]
            if src == ch:
                continue
            assert ch.isspace() or src == "&" or (ch, src) == ("\ufffd", "\x00"), (
                f"{block.scope} block char {i} {ch!r} maps to {src!r} at {o}: "
                f"{block.text[max(0, i - 15) : i + 15]!r} vs "
                f"{doc.source[max(0, o - 15) : o + 15]!r}"
            )


def blocks_with(doc: Document, phrase: str) -> list[Block]:
    return [b for b in doc.blocks if phrase in b.text]


def located(doc: Document, phrase: str) -> tuple[int, int, int, int]:
    """(line, column, end_line, end_column) of the one block holding `phrase`."""
    found = blocks_with(doc, phrase)
    assert len(found) == 1, (phrase, found)
    block = found[0]
    i = block.text.index(phrase)
    start, end = block.source_span(i, i + len(phrase))
    return (*doc.lines.position(start), *doc.lines.position(end))


def expected(raw: str, phrase: str, occurrence: int = 1) -> tuple[int, int, int, int]:
    """The position of `phrase` computed from the raw text alone (no LineIndex).

    A "\\r\\n" ends a line like "\\n"; columns count code points from 1.
    """
    i = -1
    for _ in range(occurrence):
        i = raw.index(phrase, i + 1)

    def pos(k: int) -> tuple[int, int]:
        before = raw[:k]
        line = before.count("\n") + 1
        return line, k - (before.rfind("\n") + 1) + 1

    return (*pos(i), *pos(i + len(phrase)))
