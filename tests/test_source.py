import codecs

import pytest

from healthlint.model import BlockBuilder, Severity
from healthlint.source import LineIndex, ReadError, decode, read_source


@pytest.mark.parametrize(
    "text, offset, expected",
    [
        ("abc\ndef", 0, (1, 1)),
        ("abc\ndef", 3, (1, 4)),  # end of line 1: the exclusive column past "c"
        ("abc\ndef", 4, (2, 1)),
        ("abc\r\ndef", 5, (2, 1)),  # CRLF ends a line like LF
        ("abc\r\ndef", 3, (1, 4)),
        ("😀 x", 2, (1, 3)),  # columns count code points, not UTF-16 units or bytes
        ("a\u00a0b", 2, (1, 3)),
        ("", 0, (1, 1)),
    ],
)
def test_line_index_positions(text, offset, expected):
    assert LineIndex(text).position(offset) == expected


def test_line_index_round_trip_and_line_span():
    text = "one\r\ntwo\n\nfour"
    idx = LineIndex(text)
    for offset in range(len(text) + 1):
        assert idx.offset(*idx.position(offset)) == offset
    assert idx.line_count == 4
    assert text[slice(*idx.line_span(1, text))] == "one"
    assert text[slice(*idx.line_span(3, text))] == ""
    assert text[slice(*idx.line_span(4, text))] == "four"


def test_decode_strips_bom_and_keeps_line_ends():
    assert decode(codecs.BOM_UTF8 + b"x\r\ny").text == "x\r\ny"
    assert decode("é".encode("utf-16")).text == "é"


def test_decode_refuses_binary_and_replaces_invalid_utf8():
    with pytest.raises(ReadError, match="binary"):
        decode(b"\x89PNG\r\n\x1a\n\x00\x00")
    src = decode(b"caf\xe9 au lait")
    assert src.text == "caf\ufffd au lait"
    assert "invalid UTF-8 at byte 3" in src.notices[0]


def test_read_source_reports_unreadable_paths(tmp_path):
    with pytest.raises(ReadError, match="cannot read"):
        read_source(str(tmp_path / "missing.md"))
    with pytest.raises(ReadError, match="directory"):
        read_source(str(tmp_path))


def test_block_builder_maps_every_character_back():
    source = "  * **no side\r\n    effects** &amp; more"
    b = BlockBuilder()
    b.add("  ", 0)
    b.add("no side", 6)
    b.add_synthetic("\n", 13)  # the CRLF line break
    b.add("effects", 19)
    b.add(" ", 28)
    b.add_synthetic("&", 29)
    b.add(" more", 34)
    block = b.build("list_item")
    assert block.text == "no side\neffects & more"
    start, end = block.source_span(0, len("no side\neffects"))
    assert source[start:end] == "no side\r\n    effects"
    amp = block.text.index("&")
    assert block.source_span(amp, amp + 1) == (29, 30)
    assert source[slice(*block.source_span(amp + 2, amp + 6))] == "more"


def test_severity_order_and_lowering():
    assert Severity.ERROR > Severity.WARNING > Severity.INFO
    assert Severity.ERROR.lowered() is Severity.WARNING
    assert Severity.INFO.lowered() is Severity.INFO
    assert str(Severity.parse("Warning")) == "warning"
