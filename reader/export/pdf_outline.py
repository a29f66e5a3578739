"""The PDF outline (bookmarks), which ``QPdfWriter`` cannot write: one entry per article,
appended after Qt has written the file as a standard PDF incremental update. If Qt's output
ever stops looking as expected, ``OutlineError`` says so and the PDF goes without it."""

from __future__ import annotations

import re
from collections.abc import Sequence


class OutlineError(Exception):
    pass


_STARTXREF = re.compile(rb"startxref\s+(\d+)\s+%%EOF\s*$")
_REF = rb"(\d+)\s+(\d+)\s+R"


def _pdf_text_string(text: str) -> bytes:
    """A PDF text string that holds any Unicode: UTF-16BE with a byte-order mark, in hex."""
    return b"<FEFF" + text.encode("utf-16-be").hex().upper().encode("ascii") + b">"


def _xref_offsets(pdf: bytes, at: int) -> dict[int, int]:
    end = pdf.find(b"trailer", at)
    if not pdf.startswith(b"xref", at) or end < 0:
        raise OutlineError("no classic cross-reference table")
    tokens = pdf[at + 4 : end].split()
    offsets: dict[int, int] = {}
    position = 0
    while position < len(tokens):
        start, count = int(tokens[position]), int(tokens[position + 1])
        position += 2
        for number in range(start, start + count):
            offset, _generation, kind = tokens[position : position + 3]
            position += 3
            if kind == b"n":
                offsets[number] = int(offset)
    return offsets


def xref_chain(pdf: bytes, at: int) -> dict[int, int]:
    """Object offsets from the cross-reference section at ``at`` and those it chains to with
    /Prev (earlier incremental updates), the newest offset of each object winning."""
    offsets: dict[int, int] = {}
    seen: set[int] = set()
    while at not in seen:
        seen.add(at)
        for number, offset in _xref_offsets(pdf, at).items():
            offsets.setdefault(number, offset)
        end = pdf.find(b"startxref", at)
        prev = re.search(rb"/Prev\s+(\d+)", pdf[pdf.find(b"trailer", at) : end])
        if prev is None:
            break
        at = int(prev.group(1))
    return offsets


def _object_body(pdf: bytes, offsets: dict[int, int], number: int) -> bytes:
    """The dictionary text (between << and >>) of a stream-less object."""
    at = offsets.get(number)
    if at is None:
        raise OutlineError(f"object {number} missing")
    end = pdf.find(b"endobj", at)
    match = re.match(rb"\s*%d\s+0\s+obj\s*<<(.*)>>\s*$" % number, pdf[at:end], re.S)
    if match is None:
        raise OutlineError(f"object {number} is not a plain dictionary")
    return match.group(1)


def add_outline(pdf: bytes, bookmarks: Sequence[tuple[str, int]]) -> bytes:
    """Append an outline (one entry per article, pointing at its first page) as a PDF
    incremental update: the original bytes are untouched, new objects and a new catalog
    follow, and a new cross-reference section chains to the old one with /Prev."""
    if not bookmarks:
        return pdf
    tail = _STARTXREF.search(pdf, max(0, len(pdf) - 64))
    if tail is None:
        raise OutlineError("no startxref")
    xref_at = int(tail.group(1))
    offsets = xref_chain(pdf, xref_at)
    trailer = pdf[pdf.find(b"trailer", xref_at) : tail.start()]
    size = re.search(rb"/Size\s+(\d+)", trailer)
    root = re.search(rb"/Root\s+" + _REF, trailer)
    if size is None or root is None or root.group(2) != b"0":
        raise OutlineError("unexpected trailer")
    catalog_number = int(root.group(1))
    catalog = _object_body(pdf, offsets, catalog_number)
    if b"/Outlines" in catalog:
        raise OutlineError("the PDF already has an outline")
    pages_ref = re.search(rb"/Pages\s+" + _REF, catalog)
    if pages_ref is None:
        raise OutlineError("no page tree")
    pages = _object_body(pdf, offsets, int(pages_ref.group(1)))
    kids = re.search(rb"/Kids\s*\[(.*?)\]", pages, re.S)
    if kids is None:
        raise OutlineError("no page list")
    page_numbers = [int(m.group(1)) for m in re.finditer(_REF, kids.group(1))]
    for page in page_numbers:  # a flat tree: every kid must be a page
        if not re.search(rb"/Type\s*/Page\b", _object_body(pdf, offsets, page)):
            raise OutlineError("nested page tree")
    if any(not 0 <= page < len(page_numbers) for _, page in bookmarks):
        raise OutlineError("bookmark past the last page")

    first = int(size.group(1))
    outlines = first
    items = list(range(first + 1, first + 1 + len(bookmarks)))
    objects: list[tuple[int, bytes]] = []
    extra = b"" if b"/PageMode" in catalog else b"/PageMode /UseOutlines\n"
    objects.append(
        (
            catalog_number,
            b"<<" + catalog.rstrip() + b"\n/Outlines %d 0 R\n" % outlines + extra + b">>",
        )
    )
    objects.append(
        (
            outlines,
            b"<< /Type /Outlines /First %d 0 R /Last %d 0 R /Count %d >>"
            % (items[0], items[-1], len(items)),
        )
    )
    for position, (title, page) in enumerate(bookmarks):
        links = b""
        if position:
            links += b" /Prev %d 0 R" % items[position - 1]
        if position + 1 < len(items):
            links += b" /Next %d 0 R" % items[position + 1]
        objects.append(
            (
                items[position],
                b"<< /Title "
                + _pdf_text_string(title)
                + b" /Parent %d 0 R /Dest [%d 0 R /Fit]" % (outlines, page_numbers[page])
                + links
                + b" >>",
            )
        )

    out = bytearray(pdf if pdf.endswith(b"\n") else pdf + b"\n")
    written: dict[int, int] = {}
    for number, body in objects:
        written[number] = len(out)
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    # The free-list head first: readers (pypdf) take a section not starting at 0 for a
    # mis-numbered table and "correct" it.
    out += b"xref\n0 1\n0000000000 65535 f \n"
    out += b"%d 1\n%010d 00000 n \n" % (catalog_number, written[catalog_number])
    out += b"%d %d\n" % (first, len(objects) - 1)
    for number in range(first, first + len(objects) - 1):
        out += b"%010d 00000 n \n" % written[number]
    keep = b"".join(
        m.group(0) + b"\n"
        for m in (re.search(rb"/Info\s+" + _REF, trailer), re.search(rb"/ID\s*\[[^\]]*\]", trailer))
        if m is not None
    )
    out += (
        b"trailer\n<<\n/Size %d\n/Root %d 0 R\n" % (first + len(objects) - 1, catalog_number)
        + keep
        + b"/Prev %d\n>>\nstartxref\n%d\n%%%%EOF\n" % (xref_at, xref)
    )
    return bytes(out)
