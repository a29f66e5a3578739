"""A PDF's text layer → paragraphs, with pdfminer.six; run in a child process with limits.

``read_pdf_bytes`` does the work in this process (tests use it on files we made);
``python -m reader.core.pdf.extract`` reads the PDF's bytes on stdin, sets its own CPU and
memory limits first (``resource.setrlimit``: the kernel stops a crafted file that would
decompress to gigabytes or loop for ever, no timer needed), and writes JSON on stdout. The
parent (``reader.core.pdf.importer``) only ever sees JSON or an exit status.

Work is bounded on top of that: at most ``MAX_PAGES`` pages and ``MAX_CHARS`` characters are
read (the rest is left out, and said so); pdfminer's own guards stop page-tree loops.

Why pdfminer.six (MIT): it gives each line's position and each character's size and font,
which columns, running headers and titles need; measured against pypdf (BSD; fast but
positions only through a low-level visitor) and pdfplumber (MIT; pdfminer underneath plus
Pillow and pypdfium2, slower) in docs/benchmarks.md.
"""

from __future__ import annotations

import io
import json
import logging
import re
import sys
from collections import Counter
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from typing import Any

from reader.core.pdf.hyphens import Vocabulary
from reader.core.pdf.layout import (
    Page,
    TextLine,
    attach_drop_caps,
    body_size,
    reading_order,
    remove_running_lines,
)
from reader.core.pdf.paragraphs import build_blocks, sensible_title, title_index

MAX_PAGES = 500
MAX_CHARS = 3_000_000
# The child's limits: CPU seconds and address space (bytes).
CPU_SECONDS = 120
MEMORY_BYTES = 1536 * 1024**2

NO_TEXT_LAYER = "no text layer; OCR is not supported"
UNMAPPED_TEXT = "the text layer cannot be read (fonts without character maps); OCR is not supported"
_WHITE = re.compile(r"[ \t\r\n\f\v]+")
# pdfminer writes a glyph it cannot map to a character as "(cid:123)".
_CID = re.compile(r"\(cid:\d+\)")

# A cut in a line wider than this many ems is a gap between columns, not a space.
_COLUMN_GAP_EMS = 0.8
_BOLD = ("bold", "black", "heavy", "semibold", "demi")
# Latin ligatures (ﬁ ﬂ ﬀ …) read back as their letters.
_LIGATURES = {chr(c): chr(c) for c in range(0xFB00, 0xFB07)}


@dataclass
class PdfText:
    """What a PDF holds: its paragraphs (text, and whether it is the title) or an error."""

    title: str = ""
    paragraphs: list[tuple[str, bool]] = field(default_factory=list)
    pages: int = 0
    # Pages or characters left out by the limits.
    truncated: bool = False
    # Glyphs left out because they map to no character.
    unmapped: int = 0
    error: str | None = None


def _normalise(text: str) -> str:
    import unicodedata

    text = "".join(unicodedata.normalize("NFKC", c) if c in _LIGATURES else c for c in text)
    # QPdfWriter's text reads back with tabs between words: a run of ASCII white space is one
    # space. No-break spaces are kept (French puts them inside « » and before : ; ! ?).
    return _WHITE.sub(" ", text).strip(" ")


_NOTE_MARKS = frozenset("0123456789*†‡§¹²³⁴⁵⁶⁷⁸⁹⁰")


def _without_note_calls(piece: list[Any]) -> list[Any]:
    """The piece without its footnote calls: digits or daggers set small and raised above
    the line ("signed into law by¹ President…"): they are not words to translate."""
    from pdfminer.layout import LTChar

    chars = [c for c in piece if isinstance(c, LTChar)]
    if len(chars) < 4:
        return piece
    size = Counter(round(c.size, 1) for c in chars).most_common(1)[0][0]
    bases = sorted(c.y0 for c in chars if round(c.size, 1) == size)
    base = bases[len(bases) // 2]
    return [
        item
        for item in piece
        if not (
            isinstance(item, LTChar)
            and item.get_text() in _NOTE_MARKS
            and item.size <= 0.8 * size
            and item.y0 > base + 0.2 * size
        )
    ]


def _line_pieces(line: Any, page_top: float, unmapped: list[int]) -> Iterator[TextLine]:
    """A pdfminer text line as one or more :class:`TextLine`, cut at column-wide gaps.
    Pieces that are mostly glyphs without a character are left out, counted in
    ``unmapped[0]``."""
    from pdfminer.layout import LTChar

    pieces: list[list[Any]] = [[]]
    last: Any = None
    for item in line:
        if isinstance(item, LTChar):
            if not item.upright:
                continue  # rotated text: a stamp in the margin, not the article
            if last is not None and item.x0 - last.x1 > _COLUMN_GAP_EMS * max(item.size, 1.0):
                pieces.append([])
            last = item
        pieces[-1].append(item)
    for piece in pieces:
        piece = _without_note_calls(piece)
        chars = [c for c in piece if isinstance(c, LTChar)]
        if not chars:
            continue
        raw = "".join(c.get_text() for c in piece)
        count = len(_CID.findall(raw))
        if count * 2 > len(chars):
            # Mostly glyphs without characters: nothing to read, only to count.
            unmapped[0] += count
            continue
        text = _normalise(_CID.sub("", raw))
        if not text:
            continue
        sizes = Counter(round(c.size, 1) for c in chars)
        letters = [c for c in chars if not c.get_text().isspace()]
        bold = bool(letters) and all(
            any(mark in c.fontname.lower() for mark in _BOLD) for c in letters
        )
        yield TextLine(
            x0=min(c.x0 for c in chars),
            x1=max(c.x1 for c in chars),
            top=page_top - max(c.y1 for c in chars),
            bottom=page_top - min(c.y0 for c in chars),
            text=text,
            size=sizes.most_common(1)[0][0],
            bold=bold,
        )


def _walk(items: Any, found: list[Any]) -> None:
    """The horizontal text lines in a page's layout, also inside boxes and figures."""
    from pdfminer.layout import LTFigure, LTTextBox, LTTextLineHorizontal

    for item in items:
        if isinstance(item, LTTextLineHorizontal):
            found.append(item)
        elif isinstance(item, LTTextBox | LTFigure):
            _walk(item, found)


def _metadata_title(document: Any) -> str | None:
    from pdfminer.pdftypes import resolve1
    from pdfminer.utils import decode_text

    for info in document.info or []:
        value = resolve1(info.get("Title")) if isinstance(info, dict) else None
        if isinstance(value, bytes):
            return decode_text(value)
        if isinstance(value, str):
            return value
    return None


def _error_for(exc: BaseException) -> str:
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect

    if isinstance(exc, PDFPasswordIncorrect):
        return "encrypted PDF (a password is needed); not read"
    if isinstance(exc, PDFEncryptionError):
        return "encrypted PDF (unsupported encryption); not read"
    if isinstance(exc, MemoryError):
        return "PDF too large to read (memory limit reached)"
    if isinstance(exc, RecursionError):
        return "damaged PDF (objects nested too deeply); not read"
    name = type(exc).__name__
    if name in ("PSEOF", "PDFEOFError"):
        return "damaged PDF (the file ends too early); not read"
    if name == "PDFSyntaxError":
        return "damaged PDF (not valid PDF syntax); not read"
    return f"damaged PDF, could not be read ({name})"


def _pages(data: bytes, text: PdfText, max_pages: int) -> tuple[list[Page], str | None]:
    from pdfminer.converter import PDFPageAggregator
    from pdfminer.layout import LAParams
    from pdfminer.pdfdocument import PDFDocument
    from pdfminer.pdfinterp import PDFPageInterpreter, PDFResourceManager
    from pdfminer.pdfpage import PDFPage
    from pdfminer.pdfparser import PDFParser

    document = PDFDocument(PDFParser(io.BytesIO(data)), password="")
    meta_title = _metadata_title(document)
    manager = PDFResourceManager(caching=True)
    device = PDFPageAggregator(manager, laparams=LAParams(all_texts=True))
    interpreter = PDFPageInterpreter(manager, device)
    pages: list[Page] = []
    unmapped = [0]
    chars = 0
    for number, pdf_page in enumerate(PDFPage.create_pages(document), start=1):
        if number > max_pages or chars > MAX_CHARS:
            text.truncated = True
            break
        interpreter.process_page(pdf_page)
        layout = device.get_result()
        found: list[Any] = []
        _walk(layout, found)
        page = Page(number, float(layout.width), float(layout.height))
        seen: set[tuple[int, int, str]] = set()
        for line in found:
            for piece in _line_pieces(line, float(layout.y1), unmapped):
                # Text drawn twice at (nearly) the same place — fake bold, a shadow — once.
                key = (round(piece.x0), round(piece.top), piece.text)
                if key not in seen:
                    seen.add(key)
                    page.lines.append(piece)
        chars += sum(len(line.text) for line in page.lines)
        pages.append(page)
    text.unmapped = unmapped[0]
    return pages, meta_title


def read_pdf_bytes(data: bytes, *, max_pages: int = MAX_PAGES) -> PdfText:
    """The PDF's paragraphs, in this process. Never raises for a bad file."""
    logging.getLogger("pdfminer").setLevel(logging.CRITICAL)
    text = PdfText()
    try:
        pages, meta_title = _pages(data, text, max_pages)
    except Exception as exc:  # pdfminer raises many types on damaged files; each is one line
        text.error = _error_for(exc)
        return text
    text.pages = len(pages)
    if not pages:
        text.error = "PDF without pages"
        return text
    if not any(page.lines for page in pages):
        text.error = UNMAPPED_TEXT if text.unmapped else NO_TEXT_LAYER
        return text
    pages = remove_running_lines([attach_drop_caps(page) for page in pages])
    vocabulary = Vocabulary(line.text for page in pages for line in page.lines)
    chunks = [chunk for page in pages for chunk in reading_order(page)]
    blocks = build_blocks(chunks, vocabulary)
    if not blocks:
        text.error = NO_TEXT_LAYER
        return text
    found = title_index(blocks, body_size(pages))
    if found is not None:
        text.title = blocks[found].text
    else:
        text.title = sensible_title(meta_title) or ""
    text.paragraphs = [(block.text, k == found) for k, block in enumerate(blocks)]
    return text


def _limit_self(cpu_seconds: int, memory_bytes: int) -> None:
    """CPU and memory limits on this (child) process, before any PDF byte is parsed."""
    try:
        import resource
    except ImportError:  # not on this platform: the page and character limits still hold
        return
    for kind, value in ((resource.RLIMIT_CPU, cpu_seconds), (resource.RLIMIT_AS, memory_bytes)):
        soft, hard = resource.getrlimit(kind)
        if hard != resource.RLIM_INFINITY:
            value = min(value, hard)
        if soft == resource.RLIM_INFINITY or soft > value:
            resource.setrlimit(kind, (value, hard))
    sys.setrecursionlimit(5000)


def main(argv: list[str] | None = None) -> int:
    """``[CPU_SECONDS MEMORY_BYTES MAX_PAGES]``: the limits (the parent passes its own)."""
    args = [int(a) for a in (sys.argv[1:] if argv is None else argv)]
    cpu, memory, pages = args if len(args) == 3 else (CPU_SECONDS, MEMORY_BYTES, MAX_PAGES)
    _limit_self(cpu, memory)
    data = sys.stdin.buffer.read()
    result = read_pdf_bytes(data, max_pages=pages)
    sys.stdout.write(json.dumps(asdict(result)))
    sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
