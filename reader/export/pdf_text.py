"""A PDF text layer that reads back as what was typeset: ``QPdfWriter``'s ToUnicode maps fixed.

Qt writes each embedded font's ToUnicode CMap by asking the font's cmap which character
gives each glyph, lowest code point first. Where a font maps several characters to one glyph
that picks the wrong one: 人 (U+4EBA) shares its glyph with the Kangxi radical ⼈ (U+2F08), so
``pdftotext``, search and copy give the radical; an Arabic letter's contextual forms are
reached only through shaping, so their glyphs come back as presentation forms (U+FE91 for a
medial beh, U+FEFB for lam-alef) that no search matches.

After Qt has written the file, ``fix_text_layer`` rewrites each ToUnicode map: a glyph mapped
to a radical, a compatibility ideograph or a presentation form — a character that was not
itself typeset — maps to its compatibility decomposition instead (the unified ideograph, the
base letter, or the two letters of a ligature), which is exactly the character that was
typeset for it. Most radicals of the CJK radicals supplement (⻓ for 长) have no
decomposition: the caller finds which typeset ideograph shares their glyph in the faces
used (``twins``). The new maps are appended as a standard PDF incremental update (the original
bytes stay); if Qt's output ever stops looking as expected, ``TextLayerError`` says so and
the PDF keeps Qt's maps.
"""

from __future__ import annotations

import re
import unicodedata
import zlib
from collections.abc import Callable, Collection, Iterable

from reader.export.pdf_outline import OutlineError, xref_chain


class TextLayerError(Exception):
    pass


_STARTXREF = re.compile(rb"startxref\s+(\d+)\s+%%EOF\s*$")
_TO_UNICODE = re.compile(rb"/ToUnicode\s+(\d+)\s+0\s+R")
_STREAM = re.compile(rb"\s*(\d+)\s+0\s+obj\s*<<(.*?)>>\s*stream\r?\n", re.S)
_HEX = rb"<([0-9A-Fa-f]+)>"
_BFCHAR = re.compile(rb"beginbfchar(.*?)endbfchar", re.S)
_BFRANGE = re.compile(rb"beginbfrange(.*?)endbfrange", re.S)

# Characters a glyph should never read back as unless they were typeset themselves: each has
# a compatibility decomposition to the character(s) a reader searches for.
_REPLACEABLE = (
    (0x2E80, 0x2FDF),  # CJK radicals supplement, Kangxi radicals
    (0xF900, 0xFAFF),  # CJK compatibility ideographs
    (0xFB00, 0xFB4F),  # Latin ligatures, Hebrew presentation forms
    (0xFB50, 0xFDFF),  # Arabic presentation forms A
    (0xFE70, 0xFEFF),  # Arabic presentation forms B
    (0x2F800, 0x2FA1F),  # CJK compatibility ideographs supplement
)


def preferred(
    text: str, typeset: set[str] | frozenset[str], twins: dict[str, str] | None = None
) -> str:
    """What a glyph Qt mapped to ``text`` should read back as. ``twins``: characters known to
    share a glyph with a typeset one (most CJK radicals have no decomposition to say so)."""
    if len(text) != 1 or text in typeset:
        return text
    if twins and text in twins:
        return twins[text]
    code = ord(text)
    if not any(low <= code <= high for low, high in _REPLACEABLE):
        return text
    folded = unicodedata.normalize("NFKC", text)
    # Hebrew presentation forms decompose to a letter plus marks: compose them again.
    folded = unicodedata.normalize("NFC", folded)
    return folded if folded and folded != text else text


def _utf16(data: bytes) -> str:
    return bytes.fromhex(data.decode("ascii")).decode("utf-16-be", errors="replace")


def parse_cmap(cmap: bytes) -> dict[int, str]:
    """Glyph (character id) → text, from a ToUnicode CMap's bfchar and bfrange sections."""
    mapping: dict[int, str] = {}
    for block in _BFCHAR.findall(cmap):
        for source, target in re.findall(_HEX + rb"\s*" + _HEX, block):
            mapping[int(source, 16)] = _utf16(target)
    for block in _BFRANGE.findall(cmap):
        for low, high, rest in re.findall(
            _HEX + rb"\s*" + _HEX + rb"\s*(\[[^\]]*\]|<[0-9A-Fa-f]+>)", block
        ):
            first, last = int(low, 16), int(high, 16)
            if rest.startswith(b"["):
                for offset, target in enumerate(re.findall(_HEX, rest)):
                    mapping[first + offset] = _utf16(target)
            else:
                start = _utf16(rest[1:-1])
                if not start:
                    continue
                for offset in range(last - first + 1):
                    mapping[first + offset] = start[:-1] + chr(ord(start[-1]) + offset)
    return mapping


def write_cmap(mapping: dict[int, str]) -> bytes:
    """A ToUnicode CMap (two-byte codes, as Qt writes them) of bfchar entries."""
    lines = [
        b"/CIDInit /ProcSet findresource begin",
        b"12 dict begin",
        b"begincmap",
        b"/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def",
        b"/CMapName /Adobe-Identity-UCS def",
        b"/CMapType 2 def",
        b"1 begincodespacerange",
        b"<0000> <FFFF>",
        b"endcodespacerange",
    ]
    entries = sorted(mapping.items())
    for start in range(0, len(entries), 100):  # at most 100 entries a section
        chunk = entries[start : start + 100]
        lines.append(b"%d beginbfchar" % len(chunk))
        for glyph, text in chunk:
            lines.append(b"<%04X> <%s>" % (glyph, text.encode("utf-16-be").hex().upper().encode()))
        lines.append(b"endbfchar")
    lines += [b"endcmap", b"CMapName currentdict /CMap defineresource pop", b"end", b"end"]
    return b"\n".join(lines) + b"\n"


def _stream(pdf: bytes, offsets: dict[int, int], number: int) -> bytes:
    at = offsets.get(number)
    match = _STREAM.match(pdf, at) if at is not None else None
    if match is None or int(match.group(1)) != number:
        raise TextLayerError(f"object {number} is not a stream")
    header = match.group(2)
    length = re.search(rb"/Length\s+(\d+)(\s+0\s+R)?", header)
    if length is None:
        raise TextLayerError(f"object {number} has no length")
    size = int(length.group(1))
    if length.group(2):  # an indirect length (Qt writes font programs so)
        held = re.match(rb"\s*%d\s+0\s+obj\s*(\d+)\s*endobj" % size, pdf[offsets.get(size, 0) :])
        if size not in offsets or held is None:
            raise TextLayerError(f"object {number}: unreadable length")
        size = int(held.group(1))
    data = pdf[match.end() : match.end() + size]
    if b"/FlateDecode" in header:
        try:
            data = zlib.decompress(data)
        except zlib.error as error:
            raise TextLayerError(f"object {number}: {error}") from None
    elif b"/Filter" in header:
        raise TextLayerError(f"object {number} has an unknown filter")
    return data


# (embedded font file, glyphs the map names) → text of the glyphs it leaves out.
GlyphTexts = Callable[[bytes, Collection[int]], dict[int, str]]


def _font_file(pdf: bytes, offsets: dict[int, int], to_unicode: int) -> bytes | None:
    """The embedded font program (FontFile2) of the font whose ToUnicode is ``to_unicode``."""

    def body(number: int) -> bytes:
        at = offsets.get(number)
        if at is None:
            raise TextLayerError(f"object {number} missing")
        return pdf[at : pdf.find(b"endobj", at)]

    for font in re.finditer(rb"(\d+)\s+0\s+obj\s*<<[^>]*?/ToUnicode\s+%d\s+0\s+R" % to_unicode,
                            pdf):
        descendant = re.search(rb"/DescendantFonts\s*\[\s*(\d+)\s+0\s+R", body(int(font.group(1))))
        if descendant is None:
            continue
        descriptor = re.search(rb"/FontDescriptor\s+(\d+)\s+0\s+R", body(int(descendant.group(1))))
        if descriptor is None:
            continue
        program = re.search(rb"/FontFile2\s+(\d+)\s+0\s+R", body(int(descriptor.group(1))))
        if program is not None:
            number = int(program.group(1))
            return _stream(pdf, offsets, number)
    return None


def fix_text_layer(
    pdf: bytes,
    typeset: Iterable[str],
    twins: dict[str, str] | None = None,
    glyph_texts: GlyphTexts | None = None,
) -> bytes:
    """``pdf`` with every ToUnicode map preferring the characters that were typeset (see the
    module's docstring); the same bytes when nothing needs changing. ``twins`` maps a
    character to the typeset one it shares a glyph with, where no decomposition tells;
    ``glyph_texts`` names the glyphs shaping made that Qt's map leaves out (conjuncts)."""
    tail = _STARTXREF.search(pdf, max(0, len(pdf) - 64))
    if tail is None:
        raise TextLayerError("no startxref")
    xref_at = int(tail.group(1))
    try:
        offsets = xref_chain(pdf, xref_at)
    except (OutlineError, ValueError, IndexError) as error:
        raise TextLayerError(str(error)) from None
    trailer = pdf[pdf.find(b"trailer", xref_at) : tail.start()]
    size = re.search(rb"/Size\s+(\d+)", trailer)
    root = re.search(rb"/Root\s+(\d+)\s+0\s+R", trailer)
    if size is None or root is None:
        raise TextLayerError("unexpected trailer")
    characters = frozenset(ch for text in typeset for ch in text)

    replaced: list[tuple[int, bytes]] = []
    for number in sorted({int(n) for n in _TO_UNICODE.findall(pdf)}):
        mapping = parse_cmap(_stream(pdf, offsets, number))
        fixed = {glyph: preferred(text, characters, twins) for glyph, text in mapping.items()}
        if glyph_texts is not None:
            program = _font_file(pdf, offsets, number)
            if program is not None:
                for glyph, text in glyph_texts(program, mapping.keys()).items():
                    fixed.setdefault(glyph, text)
        if fixed != mapping:
            replaced.append((number, write_cmap(fixed)))
    if not replaced:
        return pdf

    out = bytearray(pdf if pdf.endswith(b"\n") else pdf + b"\n")
    written: list[tuple[int, int]] = []
    for number, cmap in replaced:
        data = zlib.compress(cmap)
        written.append((number, len(out)))
        out += b"%d 0 obj\n<< /Length %d /Filter /FlateDecode >>\nstream\n" % (number, len(data))
        out += data + b"\nendstream\nendobj\n"
    xref = len(out)
    out += b"xref\n0 1\n0000000000 65535 f \n"
    for number, offset in written:  # one subsection each: the numbers need not be adjacent
        out += b"%d 1\n%010d 00000 n \n" % (number, offset)
    keep = b"".join(
        m.group(0) + b"\n"
        for m in (
            re.search(rb"/Info\s+\d+\s+0\s+R", trailer),
            re.search(rb"/ID\s*\[[^\]]*\]", trailer),
        )
        if m is not None
    )
    out += (
        b"trailer\n<<\n/Size %s\n/Root %s 0 R\n" % (size.group(1), root.group(1))
        + keep
        + b"/Prev %d\n>>\nstartxref\n%d\n%%%%EOF\n" % (xref_at, xref)
    )
    return bytes(out)
