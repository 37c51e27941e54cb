"""HTML into blocks of visible prose, with an exact source map.

Uses the standard library's `html.parser` with character references left unconverted,
so every piece of text arrives with its own position (`getpos()`), and each entity is
decoded into characters mapped to the entity's "&".

What becomes prose:
- text of block elements: p, li (level = list depth), h1-h6, td/th (`group` shared by
  the cells of one tr), blockquote (scope "blockquote"), figcaption/caption and img alt
  text (scope "caption"), dt/dd, and text sitting directly in div, section, body...;
- <title> is kept as a level-1 heading: it is what search results and browser tabs
  show, so a claim in it reaches readers as surely as one in the page;
- inline elements (a, b, em, span...) are transparent; <a href> is recorded as a Link;
  <br> becomes a synthetic "\\n";
- never prose: script, style, pre, code, kbd, samp, template, noscript, svg, math,
  textarea, select, iframe, object; an inline <code> leaves one synthetic space (as in
  the Markdown reader) so the words around it stay apart;
- comments are never prose; `healthlint-` directives in them are recorded.

The `Extractor` is also used by the Markdown reader for raw HTML blocks.
"""

from __future__ import annotations

import itertools
import re
from html import unescape
from html.parser import HTMLParser
from typing import TYPE_CHECKING

from healthlint.cache import re_compile
from healthlint.model import Block, BlockBuilder, Directive, Document
from healthlint.readers.directives import add_comment
from healthlint.source import LineIndex

if TYPE_CHECKING:
    from collections.abc import Callable

_HEADINGS = {"h1": 1, "h2": 2, "h3": 3, "h4": 4, "h5": 5, "h6": 6}
_BLOCK = frozenset(
    """p div section article main header footer aside nav li dd dt dl ul ol menu
    h1 h2 h3 h4 h5 h6 td th tr table thead tbody tfoot blockquote figure figcaption
    caption form fieldset legend address details summary title body html head hr center
    option""".split()
)
_SKIP = frozenset(
    """script style pre code kbd samp template noscript svg math textarea select iframe
    object canvas""".split()
)
_INLINE_SKIP = frozenset({"code", "kbd", "samp"})
_VOID = frozenset("area base br col embed hr img input link meta param source track wbr".split())
# An element of the same name (or a cell for a cell) closes an open one implicitly.
_IMPLIED = {
    "p": ("p",),
    "li": ("li",),
    "dt": ("dt", "dd"),
    "dd": ("dt", "dd"),
    "tr": ("tr", "td", "th"),
    "td": ("td", "th"),
    "th": ("td", "th"),
}
# Elements that stop the search for an implicitly closed one.
_SCOPE_LIMIT = {
    "li": ("ul", "ol", "menu"),
    "tr": ("table",),
    "td": ("tr", "table"),
    "th": ("tr", "table"),
    "dt": ("dl",),
    "dd": ("dl",),
    "p": ("div", "section", "article", "blockquote", "li", "td", "th", "body"),
}
_ALT = re_compile(r"""\salt\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+))""", re.IGNORECASE)
_CHARREF = re_compile(r"&(?:#[0-9]+;?|#[xX][0-9a-fA-F]+;?|[A-Za-z][A-Za-z0-9]*;?)")


def add_verbatim(builder: BlockBuilder, s: str, at: int) -> None:
    """Copy `s` found at source offset `at`, dropping the "\\r" of each "\\r\\n"."""
    if "\r" not in s:
        builder.add(s, at)
        return
    start = 0
    while True:
        k = s.find("\r\n", start)
        if k < 0:
            builder.add(s[start:], at + start)
            return
        builder.add(s[start:k], at + start)
        start = k + 1


def add_decoded(builder: BlockBuilder, raw: str, decoded: str, at: int) -> None:
    """Add the decoding of the reference `raw` found at `at`.

    The decoded characters are synthetic and map to the "&"; a tail the decoding kept
    as written (a legacy entity without ";", as in "&notit;" -> "¬it;") maps to itself.
    """
    keep = 0
    while (
        keep < len(raw) - 1
        and keep < len(decoded)
        and raw[len(raw) - 1 - keep] == decoded[len(decoded) - 1 - keep]
    ):
        keep += 1
    for ch in decoded[: len(decoded) - keep]:
        builder.add_synthetic(ch, at)
    if keep:
        builder.add(raw[len(raw) - keep :], at + len(raw) - keep)


def add_with_entities(builder: BlockBuilder, s: str, at: int) -> None:
    """Copy raw attribute or text `s` at offset `at`, decoding character references."""
    pos = 0
    for m in _CHARREF.finditer(s):
        decoded = unescape(m.group())
        if decoded == m.group():
            continue
        add_verbatim(builder, s[pos : m.start()], at + pos)
        add_decoded(builder, m.group(), decoded, at + m.start())
        pos = m.end()
    add_verbatim(builder, s[pos:], at + pos)


class Extractor(HTMLParser):
    """Collects blocks, directives and notices from `text`, which starts at `base`."""

    def __init__(
        self,
        text: str,
        base: int,
        doc_lines: LineIndex,
        next_group: Callable[[], int],
        default_scope: str = "paragraph",
        default_level: int = 0,
    ) -> None:
        super().__init__(convert_charrefs=False)
        self.text = text
        self.base = base
        self.local = doc_lines if base == 0 and doc_lines.length == len(text) else LineIndex(text)
        self.doc_lines = doc_lines
        self.next_group = next_group
        self.default = (default_scope, default_level)
        self.blocks: list[Block] = []
        self.directives: list[Directive] = []
        self.notices: list[str] = []
        self.stack: list[str] = []
        self.groups: list[int] = []  # group of each open <tr>
        self.skip: list[str] = []
        self.builder = BlockBuilder()
        self.links: list[list] = []  # [href, start] of each open <a>
        self.captions: list[Block] = []

    def run(self) -> None:
        try:
            self.feed(self.text)
            self.close()
        except Exception as exc:  # html.parser is lenient; this is a last resort
            line = self.doc_lines.position(self._at())[0]
            self.notices.append(
                f"line {line}: HTML could not be parsed past this point ({exc}); "
                "the rest of the file was not linted"
            )
        self.flush()

    def _at(self) -> int:
        line, col = self.getpos()
        return self.base + self.local.offset(line, col + 1)

    # -- blocks ----------------------------------------------------------------------

    def flush(self) -> None:
        b = self.builder
        if b.length:
            for link in self.links:
                if link[1] >= 0:
                    b.add_link(link[0], link[1], b.length)
                    link[1] = 0
            scope, level, group = self.scope()
            block = b.build(scope, level, group)
            if block:
                self.blocks.append(block)
            self.builder = BlockBuilder()
        if self.captions:
            self.blocks.extend(self.captions)
            self.captions = []

    def scope(self) -> tuple[str, int, int | None]:
        stack = self.stack
        for tag in reversed(stack):
            if tag in _HEADINGS:
                return "heading", _HEADINGS[tag], None
            if tag == "title":
                return "heading", 1, None
            if tag == "li":
                depth = sum(1 for t in stack if t in ("ul", "ol", "menu"))
                return "list_item", max(depth, 1) + self.default[1], None
            if tag in ("td", "th"):
                return "table_cell", 0, self.groups[-1] if self.groups else None
            if tag in ("figcaption", "caption"):
                return "caption", 0, None
            if tag == "blockquote":
                return "blockquote", 0, None
        scope, level = self.default
        return scope, level, None

    def open_block(self, tag: str) -> None:
        self.flush()
        closes = _IMPLIED.get(tag)
        if closes:
            limits = _SCOPE_LIMIT.get(tag, ())
            for k in range(len(self.stack) - 1, -1, -1):
                t = self.stack[k]
                if t in limits:
                    break
                if t in closes:
                    self.pop_to(k)
                    break
        if tag in _VOID:
            return
        self.stack.append(tag)
        if tag == "tr":
            self.groups.append(self.next_group())

    def pop_to(self, k: int) -> None:
        for t in self.stack[k:]:
            if t == "tr" and self.groups:
                self.groups.pop()
        del self.stack[k:]

    # -- parser callbacks ------------------------------------------------------------

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.skip:
            if tag in _SKIP and tag not in _VOID:
                self.skip.append(tag)
            return
        if tag in _SKIP:
            if tag in _INLINE_SKIP:
                self.placeholder()
            else:
                self.flush()
            self.skip.append(tag)
        elif tag in _BLOCK:
            self.open_block(tag)
        elif tag == "br":
            self.builder.add_synthetic("\n", self._at())
        elif tag == "a":
            href = next((v for k, v in attrs if k == "href"), None)
            if href is not None:
                self.links.append([href, self.builder.length])
            else:
                self.links.append(["", -1])
        elif tag == "img":
            self.alt_text()

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in _VOID:
            self.handle_endtag(tag)

    def handle_endtag(self, tag: str) -> None:
        if self.skip:
            if tag in self.skip:
                while self.skip.pop() != tag:
                    pass
            elif tag in _BLOCK and all(t in _INLINE_SKIP for t in self.skip):
                # an unclosed <code> must not swallow the rest of the page
                self.skip.clear()
                self.handle_endtag(tag)
            return
        if tag in _BLOCK:
            self.flush()
            for k in range(len(self.stack) - 1, -1, -1):
                if self.stack[k] == tag:
                    self.pop_to(k)
                    break
        elif tag == "a" and self.links:
            href, start = self.links.pop()
            if start >= 0:
                self.builder.add_link(href, start, self.builder.length)

    def handle_data(self, data: str) -> None:
        if not self.skip:
            add_verbatim(self.builder, data, self._at())

    def handle_entityref(self, name: str) -> None:
        if self.skip:
            return
        at = self._at()
        end = at + 1 + len(name)
        raw = self.whole_text(at, end)
        decoded = unescape(raw)
        if decoded == raw:  # not an entity a browser knows: shown as written
            self.builder.add(raw, at)
        else:
            add_decoded(self.builder, raw, decoded, at)

    def handle_charref(self, name: str) -> None:
        if self.skip:
            return
        at = self._at()
        for ch in unescape(f"&#{name};"):
            self.builder.add_synthetic(ch, at)

    def handle_comment(self, data: str) -> None:
        if "healthlint" in data.lower():
            line, column = self.doc_lines.position(self._at())
            add_comment(data, line, column, self.directives, self.notices)

    # -- helpers ---------------------------------------------------------------------

    def whole_text(self, at: int, end: int) -> str:
        """The source text of a reference starting at `at`, with its ";" if present."""
        src = self.text
        local_end = end - self.base
        if local_end < len(src) and src[local_end] == ";":
            end += 1
        return src[at - self.base : end - self.base]

    def placeholder(self) -> None:
        b = self.builder
        if b.parts and not b.parts[-1][-1:].isspace():
            b.add_synthetic(" ", self._at())

    def alt_text(self) -> None:
        raw = self.get_starttag_text() or ""
        m = _ALT.search(raw)
        if not m:
            return
        k = 1 if m.group(1) is not None else 2 if m.group(2) is not None else 3
        builder = BlockBuilder()
        add_with_entities(builder, m.group(k), self._at() + m.start(k))
        block = builder.build("caption")
        if block:
            self.captions.append(block)


def read(path: str, text: str, notices: tuple[str, ...] = ()) -> Document:
    lines = LineIndex(text)
    ex = Extractor(text, 0, lines, itertools.count(1).__next__)
    ex.run()
    return Document(
        path,
        text,
        "html",
        tuple(ex.blocks),
        lines,
        directives=tuple(ex.directives),
        notices=tuple(notices) + tuple(ex.notices),
    )
