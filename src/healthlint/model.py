"""The records that flow through healthlint: Document, Block, Finding, Severity.

Data flows one way: reader -> Document -> rules -> Finding -> filters -> formatter.
A Block carries prose with the markup removed and a map from every character of that
prose back to its offset in the source text, so a match found in a block is placed in
the original file without searching for it again.
"""

from __future__ import annotations

import bisect
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import IntEnum
from functools import cached_property

from healthlint.fingerprint import context as fingerprint_context
from healthlint.source import LineIndex

#: Block scopes a reader may produce; rules select among them with `scope:`.
SCOPES = (
    "heading",
    "paragraph",
    "list_item",
    "table_cell",
    "blockquote",
    "caption",
    "front_matter",
)


class Severity(IntEnum):
    INFO = 1
    WARNING = 2
    ERROR = 3

    def __str__(self) -> str:
        return self.name.lower()

    @classmethod
    def parse(cls, name: str) -> Severity:
        return cls[name.upper()]

    def lowered(self) -> Severity:
        return Severity(max(self - 1, Severity.INFO))


@dataclass(frozen=True, slots=True)
class Link:
    """A hyperlink inside a block; start/end are offsets into Block.text (the link's text)."""

    url: str
    start: int
    end: int


class Block:
    """A run of prose of one scope, with a map from text offsets to source offsets.

    The map is a list of segments: text[seg_text[k]:seg_text[k+1]] was copied from
    source[seg_src[k]:...] character for character. Characters a reader synthesises
    (a space joining two lines, say) get a one-character segment pointing at the
    source character they stand for.
    """

    __slots__ = ("scope", "text", "seg_text", "seg_src", "links", "level", "group", "_sentences")

    def __init__(
        self,
        scope: str,
        text: str,
        seg_text: list[int],
        seg_src: list[int],
        links: tuple[Link, ...] = (),
        level: int = 0,
        group: int | None = None,
    ) -> None:
        self.scope = scope
        self.text = text
        self.seg_text = seg_text
        self.seg_src = seg_src
        self.links = links
        #: heading level (1-6) for headings, nesting depth for list items, else 0
        self.level = level
        #: blocks that belong together share a group (the cells of one table row)
        self.group = group
        self._sentences: tuple[tuple[int, int], ...] | None = None

    def __repr__(self) -> str:
        return f"Block({self.scope!r}, {self.text[:40]!r})"

    def source_offset(self, i: int) -> int:
        """Source offset of text[i] (0 <= i < len(text))."""
        k = bisect.bisect_right(self.seg_text, i) - 1
        return self.seg_src[k] + (i - self.seg_text[k])

    def source_span(self, start: int, end: int) -> tuple[int, int]:
        """Half-open source span of the half-open text span [start, end)."""
        if end <= start:
            s = self.source_offset(min(start, len(self.text) - 1))
            return s, s
        return self.source_offset(start), self.source_offset(end - 1) + 1

    @property
    def source_start(self) -> int:
        return self.seg_src[0] if self.seg_src else 0

    @property
    def source_end(self) -> int:
        return self.source_offset(len(self.text) - 1) + 1 if self.text else self.source_start

    def sentences(self) -> tuple[tuple[int, int], ...]:
        """Sentence spans (text offsets), computed once per block."""
        if self._sentences is None:
            from healthlint.sentences import split_sentences

            self._sentences = tuple(split_sentences(self.text))
        return self._sentences


class BlockBuilder:
    """Accumulates prose for one block while recording where each piece came from."""

    __slots__ = ("parts", "seg_text", "seg_src", "length", "links", "_src_next")

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.seg_text: list[int] = []
        self.seg_src: list[int] = []
        self.length = 0
        self.links: list[Link] = []
        self._src_next = -1

    def add(self, piece: str, src_start: int) -> None:
        """Append `piece`, copied verbatim from the source at `src_start`."""
        if not piece:
            return
        if src_start != self._src_next:
            self.seg_text.append(self.length)
            self.seg_src.append(src_start)
        self.parts.append(piece)
        self.length += len(piece)
        self._src_next = src_start + len(piece)

    def add_synthetic(self, char: str, src_at: int) -> None:
        """Append one character that stands for the source character at `src_at`."""
        self.seg_text.append(self.length)
        self.seg_src.append(src_at)
        self.parts.append(char)
        self.length += 1
        self._src_next = -1

    def add_link(self, url: str, start: int, end: int) -> None:
        self.links.append(Link(url, start, end))

    def build(self, scope: str, level: int = 0, group: int | None = None) -> Block | None:
        """The finished block, with surrounding whitespace trimmed; None if empty."""
        text = "".join(self.parts)
        lead = len(text) - len(text.lstrip())
        stripped = text.strip()
        if not stripped:
            return None
        if lead:
            return self._shifted(stripped, lead, scope, level, group)
        return Block(
            scope, stripped, self.seg_text, self.seg_src, tuple(self.links), level, group
        )

    def _shifted(self, text: str, lead: int, scope: str, level: int, group: int | None) -> Block:
        whole = Block("", "".join(self.parts), self.seg_text, self.seg_src)
        k = bisect.bisect_right(self.seg_text, lead) - 1
        seg_text = [0] + [t - lead for t in self.seg_text[k + 1 :]]
        seg_src = [whole.source_offset(lead)] + self.seg_src[k + 1 :]
        links = tuple(
            Link(link.url, max(link.start - lead, 0), max(link.end - lead, 0))
            for link in self.links
        )
        return Block(scope, text, seg_text, seg_src, links, level, group)


@dataclass(frozen=True, slots=True)
class Directive:
    """An inline suppression comment: `<!-- healthlint-disable RULE -- reason -->`."""

    action: str  # "disable", "enable" or "disable-next-line"
    rules: tuple[str, ...]  # empty = every rule
    line: int  # 1-based line of the comment
    column: int
    end_line: int  # last line the comment occupies
    reason: str = ""


@dataclass(frozen=True)
class Document:
    path: str
    source: str  # the decoded file, byte-order mark removed, line ends as in the file
    format: str  # "markdown", "html" or "text"
    blocks: tuple[Block, ...]
    lines: LineIndex
    metadata: Mapping[str, object] = field(default_factory=dict)  # front matter
    directives: tuple[Directive, ...] = ()
    notices: tuple[str, ...] = ()  # reader remarks such as "invalid UTF-8 replaced"

    @cached_property
    def prose(self) -> Prose:
        """All blocks' text joined once per document, for rules that scan the whole text."""
        return Prose(self.blocks)


class Prose:
    """The blocks' texts joined by blank lines, with their case-folded copy.

    Scanning one string per document is far cheaper than one per block; `locate`
    turns an offset in the joined text back into (block index, offset in block).
    """

    SEPARATOR = "\n\n"

    __slots__ = ("text", "folded", "starts", "blocks")

    def __init__(self, blocks: tuple[Block, ...]) -> None:
        self.blocks = blocks
        starts = []
        pos = 0
        for b in blocks:
            starts.append(pos)
            pos += len(b.text) + len(self.SEPARATOR)
        self.starts = starts
        self.text = self.SEPARATOR.join(b.text for b in blocks)
        folded = self.text.lower()
        # lower() may change the length (U+0130); then matching must use the original.
        self.folded = folded if len(folded) == len(self.text) else None

    def locate(self, offset: int) -> tuple[int, int]:
        i = bisect.bisect_right(self.starts, offset) - 1
        return i, offset - self.starts[i]


@dataclass(frozen=True, slots=True)
class Finding:
    """One problem at a half-open source span [start, end) of one file.

    line/column are 1-based and count code points; end_column is exclusive.
    """

    path: str
    line: int
    column: int
    end_line: int
    end_column: int
    rule: str
    category: str
    severity: Severity
    message: str
    text: str
    suggestion: str | None = None
    start: int = 0
    end: int = 0
    #: words around the match, for fingerprints (see healthlint.fingerprint); not in the JSON
    context: str = field(default="", compare=False, repr=False)

    def sort_key(self) -> tuple:
        return (self.path, self.line, self.column, self.rule)

    def __reduce__(self) -> tuple:
        # Workers send their findings to the parent: the default pickling of a frozen
        # slots dataclass goes field by field through Python code, twice as slow.
        return (Finding, (self.path, self.line, self.column, self.end_line, self.end_column,
                          self.rule, self.category, self.severity, self.message, self.text,
                          self.suggestion, self.start, self.end))

    def to_dict(self) -> dict:
        """The JSON contract of DESIGN.md."""
        return {
            "path": self.path,
            "line": self.line,
            "column": self.column,
            "end_line": self.end_line,
            "end_column": self.end_column,
            "rule": self.rule,
            "category": self.category,
            "severity": str(self.severity),
            "message": self.message,
            "text": self.text,
            "suggestion": self.suggestion,
        }


def make_finding(
    doc: Document,
    start: int,
    end: int,
    *,
    rule: str,
    category: str,
    severity: Severity,
    message: str,
    suggestion: str | None = None,
) -> Finding:
    """A Finding for the source span [start, end) of `doc`; positions come from its line index."""
    line, column = doc.lines.position(start)
    end_line, end_column = doc.lines.position(end)
    return Finding(
        path=doc.path,
        line=line,
        column=column,
        end_line=end_line,
        end_column=end_column,
        rule=rule,
        category=category,
        severity=severity,
        message=message,
        text=doc.source[start:end],
        suggestion=suggestion,
        start=start,
        end=end,
        context=fingerprint_context(doc.source, start, end),
    )
