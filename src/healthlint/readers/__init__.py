"""Readers: the only code that knows markup. Each turns source text into a Document.

`read(path, text, fmt)` dispatches on `fmt` ("markdown", "html", "text"), or on the
file extension when `fmt` is None. Reader modules are imported only when used, so a
plain-text run never imports the Markdown parser.
"""

from __future__ import annotations

import importlib
from pathlib import PurePath

from healthlint.model import Document

#: file extension -> format
EXTENSIONS = {
    ".md": "markdown",
    ".markdown": "markdown",
    ".mdown": "markdown",
    ".html": "html",
    ".htm": "html",
    ".txt": "text",
    ".text": "text",
}

#: format -> module with `read(path, text, notices=()) -> Document`
READERS = {
    "markdown": "healthlint.readers.markdown",
    "html": "healthlint.readers.html",
    "text": "healthlint.readers.text",
}


def format_for(path: str) -> str | None:
    return EXTENSIONS.get(PurePath(path).suffix.lower())


def read(path: str, text: str, fmt: str | None = None, notices: tuple[str, ...] = ()) -> Document:
    fmt = fmt or format_for(path) or "text"
    return importlib.import_module(READERS[fmt]).read(path, text, notices)
