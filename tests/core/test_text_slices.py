"""Whole-text operations in slices give exactly what one call over the whole text gives."""

from __future__ import annotations

import random
import re
from itertools import pairwise
from pathlib import Path

import pytest

from reader.core.articles.parser import parse_text, split_blocks
from reader.core.text import slices as text_slices
from reader.core.text.encoding import decode_bytes
from reader.core.text.hygiene import strip_invisible
from reader.core.text.slices import decode_sliced, line_slices, map_lines, separated_slices

# Pieces a text is made of: line breaks of every kind, blank lines with spaces, soft hyphens
# and joiners (removed by the cleaner, the joiners only between Latin letters), page breaks,
# control characters, a non-Latin letter and an astral one.
_PIECES = ["a", "é", "\n", "\n\n", " \n ", "\r", "\r\n", "\x0c", "\x0b", "\u200c", "\u00ad",
           "x y", " ", "\t", "\x01", "ب", "𝄞", "Zoé "]
_BLANK_LINES = re.compile(r"\n\s*\n")


def _random_text(rng: random.Random, length: int) -> str:
    return "".join(rng.choice(_PIECES) for _ in range(length))


def _old_clean(text: str) -> str:
    """The cleaner as one call per step over the whole text (before slicing)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = text.replace("\x0b", "\n").replace("\x0c", "\n\n")
    return strip_invisible(re.sub(r"[\x00-\x08\x0e-\x1f\x7f]", "", text))


def test_line_slices_cover_the_text_and_cut_only_after_line_breaks() -> None:
    rng = random.Random(1)
    for _ in range(200):
        text = _random_text(rng, rng.randint(0, 600))
        size = rng.randint(1, 50)
        pieces = list(line_slices(text, size))
        assert "".join(pieces) == text
        assert all(piece.endswith("\n") for piece in pieces[:-1])
        assert all(len(piece) >= size for piece in pieces[:-1])
        assert not any(a[-1:] == "\r" and b[:1] == "\n" for a, b in pairwise(pieces))


def test_a_text_without_line_breaks_is_one_piece() -> None:
    text = "x" * 1000
    assert list(line_slices(text, 10)) == [text]
    assert list(line_slices("", 10)) == [""]
    assert list(line_slices("short\n", 10)) == ["short\n"]


def test_map_lines_equals_the_whole_text_call() -> None:
    rng = random.Random(2)
    from reader.core.articles.text_blocks import _clean_lines

    for _ in range(300):
        text = _random_text(rng, rng.randint(0, 800))
        size = rng.randint(1, 80)
        assert map_lines(_clean_lines, text, size) == _old_clean(text)
        assert map_lines(strip_invisible, text, size) == strip_invisible(text)


def test_blocks_split_in_slices_equal_the_whole_split() -> None:
    rng = random.Random(3)
    for _ in range(300):
        text = _old_clean(_random_text(rng, rng.randint(0, 800)))
        size = rng.randint(1, 80)
        whole = [block.strip() for block in _BLANK_LINES.split(text)]
        sliced = [block.strip() for piece in separated_slices(text, _BLANK_LINES, size)
                  for block in _BLANK_LINES.split(piece)]
        assert [b for b in sliced if b] == [b for b in whole if b]
        assert "".join(separated_slices(text, _BLANK_LINES, size)) == text


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16", "utf-16-le",
                                      "utf-16-be", "utf-32", "cp1252", "latin-1"])
def test_decoding_in_slices_carries_characters_cut_between_slices(encoding: str) -> None:
    rng = random.Random(4)
    text = _random_text(rng, 5000)
    data = text.encode(encoding, errors="replace")
    expected = data.decode(encoding)
    for size in (1, 2, 3, 7, 100):
        assert decode_sliced(data, encoding, size=size) == expected


def test_decoding_in_slices_fails_as_a_whole_decode_does() -> None:
    data = ("é" * 100).encode("utf-8") + b"\x93 end"
    with pytest.raises(UnicodeDecodeError):
        decode_sliced(data, "utf-8", size=16)
    assert decode_sliced(data, "utf-8", errors="replace", size=16) == data.decode(
        "utf-8", errors="replace")


def test_a_long_file_decodes_and_parses_as_before() -> None:
    """Texts longer than a slice (a book): a cp1252 byte near the end still makes the
    whole file cp1252, and the paragraphs are those of the whole-text cleaner."""
    size = text_slices.SLICE_CHARS
    paragraphs = [f"Paragraphe {n} : l’été\u00ad arrive\u200b, vite." for n in range(8000)]
    body = "\r\n\r\n".join(paragraphs) + "\r\n\x0cFin.\r\n"
    assert len(body) > 4 * size
    late_cp1252 = body.encode("utf-8") + b"\x93cit\xe9e\x94\r\n"
    decoded = decode_bytes(late_cp1252)
    assert decoded.encoding == "cp1252"
    assert decoded.text == late_cp1252.decode("cp1252").replace("\r\n", "\n")

    decoded = decode_bytes(body.encode("utf-8"))
    assert decoded.encoding == "utf-8" and decoded.text == body.replace("\r\n", "\n")
    article = parse_text(decoded.text, Path("book.txt"), paragraph_languages=False)
    expected = [block.strip() for block in _BLANK_LINES.split(_old_clean(decoded.text))]
    assert [p.text for p in article.paragraphs] == [b for b in expected if b]
    assert article.paragraphs[1].text == "Paragraphe 1 : l’été arrive, vite."
    assert split_blocks(decoded.text) == [b for b in (x.strip() for x in _BLANK_LINES.split(
        decoded.text)) if b]
