"""Markdown (CommonMark + tables) into blocks of prose with an exact source map.

markdown-it gives line ranges for blocks but no offsets for inline tokens, so each
inline token is located by scanning the block's own source lines forwards from a
cursor, in token order. The scan never leaves the block and never goes back, so a
phrase that occurs twice is always mapped to the occurrence the parser consumed.

markdown-it sees the text with "\\r\\n" and lone "\\r" turned into "\\n" (and NUL into
U+FFFD); the reader does the same normalisation itself, scans that copy, and converts
offsets back to the original text at the end (`_Offsets`).

What becomes prose, and what does not:
- headings, paragraphs, list items (a list item's paragraphs; nested lists are blocks of
  their own, `level` = nesting depth), table cells (`group` shared by the cells of a row),
  paragraphs in block quotes (scope "blockquote"), image alt text (scope "caption",
  emitted after the block that holds the image);
- inline markup is removed; link text stays and the link is recorded on the block
  (inline, reference, autolinks and bare http(s)/www URLs in text);
- a code span is replaced by one synthetic space (mapped to its opening backtick)
  unless the prose before it already ends in whitespace, so the words around it stay
  apart; code blocks and fences are dropped;
- entities become their characters, each mapped to the entity's "&"; escapes keep
  the escaped character, mapped to itself; soft and hard line breaks, and inline
  `<br>`, become a synthetic "\\n" mapped to the end of the line;
- HTML blocks go through the HTML reader's extractor (tags stripped, scripts and code
  dropped); HTML comments are never prose, but `healthlint-` directives in them are
  recorded;
- YAML front matter is parsed into `metadata` and kept as one "front_matter" block,
  which rules skip unless they ask for that scope.
"""

from __future__ import annotations

import bisect
import itertools
import re
from functools import lru_cache
from typing import TYPE_CHECKING

from healthlint.cache import re_compile
from healthlint.model import Block, BlockBuilder, Directive, Document
from healthlint.readers.directives import add_comment
from healthlint.source import LineIndex

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

    from markdown_it.token import Token


@lru_cache(maxsize=1)
def _parser():
    from markdown_it import MarkdownIt

    # text_join would merge escapes and entities into plain text and lose their
    # source form; kept apart, their `markup` is the exact source text.
    # The core "inline" step is left to the reader (`_Reader.inline`), which skips the
    # inline parser for plain text; "normalize" is done by `_normalise` already.
    return MarkdownIt("commonmark").enable("table").disable(["text_join", "inline", "normalize"])


# Characters that can open inline syntax in CommonMark (escape, code span, emphasis,
# link, image "![", autolink or HTML "<", entity). Inline content without any of them is
# lines of plain text: the inline parser would return one text token per line, with a
# soft or hard break between lines (`_Reader.plain` does the same directly).
_INLINE_SYNTAX = re_compile(r"[\\`*_\[<&]")


_FRONT_MATTER_END = re_compile(r"^(?:---|\.\.\.)[ \t]*\r?$", re.MULTILINE)
_FRONT_MATTER_START = re_compile(r"---[ \t]*\r?\n")
# The "(destination "title")" or "[label]" after a link's or image's "]".
_INLINE_TAIL = re_compile(
    r"""\(\s*
    (?:<(?:[^<>\n\\]|\\.)*>|(?:[^\s()\\]|\\.|\((?:[^\s()\\]|\\.)*\))*)
    (?:\s+(?:"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|\((?:[^()\\]|\\.)*\)))?
    \s*\)""",
    re.VERBOSE | re.DOTALL,
)
_LABEL = re_compile(r"\[(?:[^\[\]\\]|\\.)*\]", re.DOTALL)
_BARE_URL = re_compile(r"\b(?:https?://|www\.)[^\s<>\"'`]*[^\s<>\"'`.,;:!?)\]}]")
# Inline HTML whose content is not prose, as in the HTML reader.
_HIDDEN_OPEN = re_compile(
    r"<(code|kbd|samp|script|style|pre|svg|math|template|noscript|textarea)\b[^>]*(?<!/)>\Z",
    re.IGNORECASE,
)
_BR = re_compile(r"<br\s*/?>\Z", re.IGNORECASE)


class _Offsets:
    """Normalised-text offset -> original-text offset (they differ only after "\\r\\n")."""

    __slots__ = ("crlf",)

    def __init__(self, text: str) -> None:
        # normalised position of each "\n" that was a "\r\n" in the original
        self.crlf = [m.start() - k for k, m in enumerate(re.finditer("\r\n", text))]

    def __call__(self, o: int) -> int:
        return o + bisect.bisect_left(self.crlf, o)


def _normalise(text: str) -> str:
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if "\x00" in text:
        text = text.replace("\x00", "\ufffd")
    return text


def _front_matter(
    text: str, lines: LineIndex, notices: list[str]
) -> tuple[dict, int, Block | None]:
    """(metadata, end offset of the front matter or 0, its block)."""
    m = _FRONT_MATTER_START.match(text)
    if not m:
        return {}, 0, None
    close = _FRONT_MATTER_END.search(text, m.end())
    if not close:
        return {}, 0, None
    body = text[m.end() : close.start()]
    end = close.end()
    if end < len(text) and text[end] == "\n":
        end += 1
    from healthlint.frontmatter import simple_mapping

    # plain `key: value` lines are read without importing the YAML library (start-up)
    meta: dict | None = simple_mapping(body)
    if meta is None:
        meta = {}
        import yaml

        try:
            loaded = yaml.safe_load(body)
        except (yaml.YAMLError, ValueError) as exc:  # ValueError: a date like 2024-13-45
            mark = getattr(exc, "problem_mark", None)
            line = 2 + mark.line if mark is not None else 1
            problem = getattr(exc, "problem", None) or str(exc) or "invalid YAML"
            notices.append(f"line {line}: front matter is not valid YAML ({problem}); ignored")
        else:
            if isinstance(loaded, dict):
                meta = loaded
            elif isinstance(loaded, list):
                notices.append("line 1: front matter is not a mapping of keys to values; ignored")
            elif loaded is not None:
                # Plain prose between two rules ("---"), not metadata: leave it to Markdown.
                return {}, 0, None
    builder = BlockBuilder()
    _add_lines(builder, text, m.end(), close.start())
    return meta, end, builder.build("front_matter")


def _add_lines(builder: BlockBuilder, text: str, start: int, end: int) -> None:
    """Copy text[start:end] verbatim, except that "\\r\\n" becomes "\\n"."""
    while start < end:
        nl = text.find("\r\n", start, end)
        if nl < 0:
            builder.add(text[start:end], start)
            return
        builder.add(text[start:nl], start)
        builder.add_synthetic("\n", nl)
        start = nl + 2


class _Reader:
    def __init__(self, text: str, norm: str, lines: LineIndex, notices: list[str]) -> None:
        self.text = text
        self.norm = norm
        self.lines = lines
        self.starts = LineIndex(norm).starts if norm is not text else lines.starts
        self.orig: Callable[[int], int] = _Offsets(text) if "\r\n" in text else _identity
        self.blocks: list[Block] = []
        self.directives: list[Directive] = []
        self.notices = notices
        self.next_group = itertools.count(1).__next__
        self.cursor = 0
        self.unmapped: list[int] = []
        self.env: dict = {}  # the parser's environment (reference definitions)

    # -- block level ---------------------------------------------------------------

    def line_range(self, token_map: Sequence[int]) -> tuple[int, int]:
        starts = self.starts
        a, b = token_map
        lo = starts[a] if a < len(starts) else len(self.norm)
        hi = starts[b] if b < len(starts) else len(self.norm)
        return lo, hi

    def run(self, tokens: list[Token]) -> None:
        containers: list[str] = []  # "li" / "bq" / "list", innermost last
        lists = 0
        group: int | None = None
        scope, level = "paragraph", 0
        for tok in tokens:
            t = tok.type
            if t == "inline":
                self.inline(tok, scope, level, group)
            elif t == "paragraph_open":
                scope, level = self.container_scope(containers, lists)
            elif t == "heading_open":
                scope, level = "heading", int(tok.tag[1:])
            elif t in ("th_open", "td_open"):
                scope, level = "table_cell", 0
            elif t == "tr_open":
                group = self.next_group()
            elif t == "tr_close":
                group = None
            elif t in ("bullet_list_open", "ordered_list_open"):
                lists += 1
                containers.append("list")
            elif t in ("bullet_list_close", "ordered_list_close"):
                lists -= 1
                containers.pop()
            elif t == "list_item_open":
                containers.append("li")
            elif t == "blockquote_open":
                containers.append("bq")
            elif t in ("list_item_close", "blockquote_close"):
                containers.pop()
            elif t == "html_block" and tok.map:
                self.html_block(tok, containers, lists)
            # code_block, fence, hr: never prose

    @staticmethod
    def container_scope(containers: list[str], lists: int) -> tuple[str, int]:
        for c in reversed(containers):
            if c == "li":
                return "list_item", lists
            if c == "bq":
                return "blockquote", 0
        return "paragraph", 0

    def html_block(self, tok: Token, containers: list[str], lists: int) -> None:
        from healthlint.readers.html import Extractor

        lo, hi = self.line_range(tok.map)
        start, end = self.orig(lo), self.orig(hi)
        region = self.text[start:end]
        quotes = containers.count("bq")
        if quotes:
            region = _mask_quote_markers(region, quotes)
        if containers:
            # blank a list marker ("- ", "1. ") before the HTML on the first line
            head = tok.content.lstrip().split("\n", 1)[0]
            k = region.find(head, 0, len(head) + region.find("\n") + 1) if head else -1
            if k > 0:
                region = " " * k + region[k:]
        scope, level = self.container_scope(containers, lists)
        ex = Extractor(region, start, self.lines, self.next_group, scope, level)
        ex.run()
        self.blocks.extend(ex.blocks)
        self.directives.extend(ex.directives)
        self.notices.extend(ex.notices)

    # -- inline level --------------------------------------------------------------

    def inline(self, tok: Token, scope: str, level: int, group: int | None) -> None:
        if not tok.map:
            return
        lo, hi = self.line_range(tok.map)
        builder = BlockBuilder()
        captions: list[Block] = []
        cur = max(self.cursor, lo)
        content = tok.content
        if _INLINE_SYNTAX.search(content) is None:
            # 99% of the inline content of typical articles: half the parse time saved
            self.cursor = self.plain(content, builder, cur, hi)
        else:
            children = tok.children if tok.children is not None else []
            if not children:
                _parser().inline.parse(content, _parser(), self.env, children)
            self.cursor = self.walk(children, builder, cur, hi, captions)
        block = builder.build(scope, level, group if scope == "table_cell" else None)
        if block:
            self.blocks.append(block)
        self.blocks.extend(captions)

    def plain(self, content: str, b: BlockBuilder, cur: int, hi: int) -> int:
        """Add inline content without inline syntax to `b`, as `walk` adds the tokens
        the inline parser makes of it; returns the cursor after it.

        The parser's newline rule drops the spaces before a line break (two or more make
        a hard break, which reads the same here) and skips spaces and tabs after it.
        """
        norm = self.norm
        orig = self.orig
        lines = content.split("\n")
        last = len(lines) - 1
        for k, s in enumerate(lines):
            if k:
                s = s.lstrip(" \t")
            if k < last:
                s = s.rstrip(" ")
            if s:
                p = norm.find(s, cur, hi)
                if p < 0:
                    if "|" in s:  # a table cell's "\|" reaches us as "|"
                        cur = self.cell_text(s, b, cur, hi)
                    else:
                        self.unmapped.append(cur)
                else:
                    if "://" in s or "www." in s:
                        for m in _BARE_URL.finditer(s):
                            b.add_link(m.group(), b.length + m.start(), b.length + m.end())
                    b.add(s, orig(p))
                    cur = p + len(s)
            if k < last:
                p = norm.find("\n", cur, hi)
                if p >= 0:
                    b.add_synthetic("\n", orig(p))
                    cur = p + 1
        return cur

    def walk(
        self,
        children: list[Token],
        b: BlockBuilder,
        cur: int,
        hi: int,
        captions: list[Block],
    ) -> int:
        """Add the prose of `children` to `b`; returns the cursor after them."""
        norm = self.norm
        orig = self.orig
        links: list[tuple[str, int]] = []
        visible = b  # while inline HTML <code> & co. are open, `b` is a throwaway builder
        hidden = ""
        i = 0
        n = len(children)
        while i < n:
            c = children[i]
            i += 1
            t = c.type
            if t == "text":
                s = c.content
                if not s:
                    continue
                p = norm.find(s, cur, hi)
                if p < 0:
                    if "|" in s:  # a table cell's "\|" reaches us as "|"
                        cur = self.cell_text(s, b, cur, hi)
                    else:
                        self.unmapped.append(cur)
                    continue
                if not links and ("://" in s or "www." in s):
                    for m in _BARE_URL.finditer(s):
                        b.add_link(m.group(), b.length + m.start(), b.length + m.end())
                b.add(s, orig(p))
                cur = p + len(s)
            elif t == "softbreak" or t == "hardbreak":
                p = norm.find("\n", cur, hi)
                if p < 0:
                    continue
                b.add_synthetic("\n", orig(p))
                cur = p + 1
            elif t == "text_special":
                m = c.markup
                p = norm.find(m, cur, hi)
                if p < 0:
                    self.unmapped.append(cur)
                    continue
                if c.info == "escape":
                    b.add(c.content, orig(p + len(m) - len(c.content)))
                else:
                    at = orig(p)
                    for ch in c.content:
                        b.add_synthetic(ch, at)
                cur = p + len(m)
            elif t == "code_inline":
                p, cur = _code_span(norm, c.markup, cur, hi)
                if p >= 0:
                    _placeholder(b, orig(p))
            elif t == "html_inline":
                s = c.content
                p, cur = self.html_inline(s, b, cur, hi)
                if hidden:
                    if _closes(s, hidden):
                        b, hidden = visible, ""
                else:
                    m = _HIDDEN_OPEN.match(s)
                    if m and p >= 0:
                        _placeholder(b, orig(p))
                        b, hidden = BlockBuilder(), m.group(1).lower()
            elif t == "link_open":
                href = str(c.attrs.get("href", ""))
                if c.markup == "autolink":
                    lt = norm.find("<", cur, hi)
                    gt = norm.find(">", lt + 1, hi) if lt >= 0 else -1
                    if gt > lt >= 0:
                        start = b.length
                        b.add(norm[lt + 1 : gt], orig(lt + 1))
                        b.add_link(href, start, b.length)
                        cur = gt + 1
                    while i < n and children[i].type != "link_close":
                        i += 1
                    i += 1
                else:
                    links.append((href, b.length))
            elif t == "link_close":
                if links:
                    href, start = links.pop()
                    b.add_link(href, start, b.length)
                cur = _skip_link_tail(norm, cur, hi)
            elif t == "image":
                p = norm.find("![", cur, hi)
                if p >= 0:
                    cur = p + 2
                alt = BlockBuilder()
                cur = self.walk(c.children or [], alt, cur, hi, captions)
                cur = _skip_link_tail(norm, cur, hi)
                block = alt.build("caption")
                if block:
                    captions.append(block)
            # em/strong open/close: their markers are skipped by the next search
        return cur

    def cell_text(self, s: str, b: BlockBuilder, cur: int, hi: int) -> int:
        parts = s.split("|")
        m = re.compile(r"\\?\|".join(map(re.escape, parts))).search(self.norm, cur, hi)
        if not m:
            self.unmapped.append(cur)
            return cur
        pos = m.start()
        for k, part in enumerate(parts):
            if k:
                pos += self.norm[pos] == "\\"
                b.add("|", self.orig(pos))
                pos += 1
            b.add(part, self.orig(pos))
            pos += len(part)
        return pos

    def html_inline(self, s: str, b: BlockBuilder, cur: int, hi: int) -> tuple[int, int]:
        """(offset of the tag or -1, cursor after it); records directives and <br>."""
        norm = self.norm
        p = norm.find(s, cur, hi)
        if p >= 0:
            end = p + len(s)
        else:
            # A tag spanning lines inside a block quote: the parser's copy lacks the
            # "> " prefixes, so locate its first and last lines instead.
            first, _, rest = s.partition("\n")
            last = rest.rpartition("\n")[2]
            p = norm.find(first, cur, hi)
            if p < 0:
                self.unmapped.append(cur)
                return -1, cur
            q = norm.find(last, p + len(first), hi) if last else -1
            end = q + len(last) if q >= 0 else p + len(first)
        if s.startswith("<!--"):
            at = self.orig(p)
            line, column = self.lines.position(at)
            body = s[4:-3] if s.endswith("-->") else s[4:]
            add_comment(body, line, column, self.directives, self.notices)
        elif _BR.match(s):
            b.add_synthetic("\n", self.orig(p))
        return p, end


def _identity(o: int) -> int:
    return o


def _placeholder(b: BlockBuilder, at: int) -> None:
    """Stand in for dropped code with one space, unless the prose already ends in one."""
    if b.parts and not b.parts[-1][-1:].isspace():
        b.add_synthetic(" ", at)


def _closes(tag: str, name: str) -> bool:
    return tag[:2] == "</" and tag[2:].rstrip(" \t\n>").lower() == name


def _code_span(norm: str, ticks: str, cur: int, hi: int) -> tuple[int, int]:
    """(offset of the opening backticks or -1, offset after the closing ones)."""
    p = norm.find(ticks, cur, hi)
    if p < 0:
        return -1, cur
    k = len(ticks)
    q = norm.find(ticks, p + k, hi)
    while q >= 0:
        e = q + k
        # the closing run must be exactly as long as the opening one
        if (e >= len(norm) or norm[e] != "`") and norm[q - 1] != "`":
            return p, e
        while e < hi and norm[e] == "`":
            e += 1
        q = norm.find(ticks, e, hi)
    return p, p + k


def _skip_link_tail(norm: str, cur: int, hi: int) -> int:
    """Move past the "](destination)" / "][label]" / "]" that ends a link or image."""
    p = norm.find("]", cur, hi)
    if p < 0:
        return cur
    q = p + 1
    if q < hi and norm[q] == "(":
        m = _INLINE_TAIL.match(norm, q, hi)
        return m.end() if m else q
    if q < hi and norm[q] == "[":
        # a full or collapsed reference; "[r][[r]" is a shortcut followed by text
        m = _LABEL.match(norm, q, hi)
        return m.end() if m else q
    return q


_QUOTE_PREFIX = re_compile(r"^[ \t]*>[ \t]?", re.MULTILINE)


def _mask_quote_markers(region: str, depth: int) -> str:
    """Blank the block-quote markers of an HTML block inside `depth` quotes (same length)."""
    for _ in range(depth):
        region = _QUOTE_PREFIX.sub(lambda m: " " * len(m.group()), region)
    return region


def read(path: str, text: str, notices: tuple[str, ...] = ()) -> Document:
    notes = list(notices)
    lines = LineIndex(text)
    meta, fm_end, fm_block = _front_matter(text, lines, notes)
    norm = _normalise(text)
    if fm_end:
        # Blank the front matter (same length, same lines) so the parser neither
        # sees "---" as a rule nor "key: value" as a setext heading.
        cut = len(_normalise(text[:fm_end]))
        norm = re.sub(r"[^\n]", " ", norm[:cut]) + norm[cut:]
    reader = _Reader(text, norm, lines, notes)
    if fm_block:
        reader.blocks.append(fm_block)
    reader.run(_parser().parse(norm, reader.env))
    if reader.unmapped:
        line = lines.position(reader.orig(reader.unmapped[0]))[0]
        notes.append(
            f"line {line}: {len(reader.unmapped)} piece(s) of text could not be placed in "
            "the source and were not linted (please report this file)"
        )
    return Document(
        path,
        text,
        "markdown",
        tuple(reader.blocks),
        lines,
        metadata=meta,
        directives=tuple(reader.directives),
        notices=tuple(notes),
    )
