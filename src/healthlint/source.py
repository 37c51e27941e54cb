"""Reading files into text, and the line index that turns offsets into line/column.

Offsets index the decoded text with the byte-order mark removed. Lines end at "\\n"
(a "\\r\\n" line end is counted as the end of the line it closes); columns are 1-based
and count code points, the unit of DESIGN.md's JSON contract.
"""

from __future__ import annotations

import bisect
import codecs
from dataclasses import dataclass


class ReadError(Exception):
    """A file that cannot be linted; the message says why in words a user understands."""


class BinaryFileError(ReadError):
    """Not text at all: reported as skipped, which is not a failure."""


@dataclass(frozen=True, slots=True)
class SourceText:
    text: str
    notices: tuple[str, ...] = ()


_SNIFF = 8192


def decode(data: bytes) -> SourceText:
    """Decode file bytes as UTF-8 (BOM optional); refuse binary data."""
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return SourceText(data.decode("utf-16"))
        except UnicodeDecodeError as exc:
            raise ReadError(f"invalid UTF-16 text ({exc.reason})") from None
    if b"\x00" in data[:_SNIFF]:
        raise BinaryFileError("binary file (contains NUL bytes)")
    try:
        return SourceText(data.decode("utf-8"))
    except UnicodeDecodeError as exc:
        text = data.decode("utf-8", errors="replace")
        return SourceText(
            text,
            (
                f"invalid UTF-8 at byte {exc.start}; undecodable bytes were replaced "
                "with U+FFFD and the file was linted anyway",
            ),
        )


def read_source(path: str) -> SourceText:
    try:
        with open(path, "rb") as fh:
            data = fh.read()
    except IsADirectoryError:
        raise ReadError("is a directory") from None
    except OSError as exc:
        raise ReadError(f"cannot read: {exc.strerror or exc}") from None
    return decode(data)


class LineIndex:
    """Offset <-> (line, column) for one text, built once per document."""

    __slots__ = ("starts", "length")

    def __init__(self, text: str) -> None:
        starts = [0]
        find = text.find
        i = find("\n")
        while i >= 0:
            starts.append(i + 1)
            i = find("\n", i + 1)
        self.starts = starts
        self.length = len(text)

    def position(self, offset: int) -> tuple[int, int]:
        """1-based (line, column) of `offset`; an end offset gives the exclusive column."""
        line = bisect.bisect_right(self.starts, offset)
        return line, offset - self.starts[line - 1] + 1

    def offset(self, line: int, column: int = 1) -> int:
        """Offset of a 1-based (line, column)."""
        return self.starts[line - 1] + column - 1

    def line_span(self, line: int, text: str) -> tuple[int, int]:
        """Offsets of the line's first character and of its end (before "\\r\\n" or "\\n")."""
        start = self.starts[line - 1]
        end = self.starts[line] - 1 if line < len(self.starts) else self.length
        if end > start and text[end - 1] == "\r":
            end -= 1
        return start, end

    @property
    def line_count(self) -> int:
        return len(self.starts)
