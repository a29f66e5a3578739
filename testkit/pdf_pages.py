"""Real PDFs for the PDF import tests and bench, drawn with Qt's ``QPdfWriter`` line by line.

Every line of text is placed at a position we choose (``QPainter.drawText`` at a baseline),
so a test knows exactly what is on each page: the running header, the page number, which
column a line sits in, where a word is hyphenated at a line end. ``typeset`` flows
paragraphs into columns and pages like a magazine does; ``write_pdf`` writes pages of
positioned lines. Coordinates are PDF points from the top-left corner of an A4 page.

In a paragraph's text, ``|`` marks where a word may be hyphenated at a line end (the reader
must rejoin it: "experi|ment" reads back "experiment"); a real hyphen ("porte-monnaie") may
also end a line, and must read back as it was.
"""

from __future__ import annotations

import random
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

# Sample text: a French news article's paragraphs, each different (no two lines alike);
# ``CUTTABLE`` marks the middle of every long word as a place the line may end.
HEADER = "Revue des sciences — mars 2026"
TITLE = "L’énergie des villes au cœur du débat"

# Each paragraph is different (no two lines alike); "|" marks where a word may be cut.
PARAGRAPHS = [
    "Le gouvernement a présenté mercredi un projet de loi sur l’énergie des grandes villes, et "
    "les députés l’exa|mineront la semaine prochaine, peut-être dès lundi matin.",
    "Selon une expé|rience menée à Lyon par des cher|cheurs indépen|dants, le porte-monnaie des "
    "ménages pèse plus lourd que prévu dans la facture de chauffage collectif.",
    "Les associations de locataires réclament depuis longtemps une révision des contrats, "
    "qu’elles jugent opaques et mal adaptés aux immeubles anciens du centre-ville.",
    "« Nous attendons des engagements chiffrés », a déclaré Jean-Pierre Martin, président "
    "d’une fédération régionale, à l’issue d’une réunion à la préfecture.",
    "Le ministre a répondu que le calendrier serait tenu, tout en reconnaissant que les "
    "collectivités manquent souvent d’ingénieurs pour conduire des chantiers aussi lourds.",
    "Dans les quartiers nord, les premiers réseaux de chaleur alimentés par la géothermie "
    "fonctionnent déjà, avec des factures en baisse d’environ un cinquième.",
    "Les opposants au texte dénoncent un coût de transition supporté par les seuls "
    "contribuables, sans contrepartie pour les entreprises les plus consommatrices.",
    "Un rapport parlementaire publié en janvier recommandait pourtant une contribution "
    "progressive, calculée selon la taille et l’activité de chaque établissement.",
    "Les maires de plusieurs métropoles ont signé une tribune commune pour demander que "
    "l’État finance la moitié des travaux d’isolation des écoles et des crèches.",
    "À Bordeaux, la rénovation d’un groupe scolaire a réduit sa consommation de moitié en "
    "deux hivers, un résultat que la municipalité présente comme un modèle.",
    "Les syndicats du bâtiment rappellent toutefois que la main-d’œuvre qualifiée manque, et "
    "que les délais de livraison des pompes à chaleur restent très longs.",
    "Le débat reprendra en séance publique à la fin du mois, après l’examen des amendements "
    "en commission, où plus de trois cents propositions ont été déposées.",
    "D’ici là, les fédérations comptent mobiliser leurs adhérents dans une dizaine de villes, "
    "avec des réunions publiques ouvertes à tous les habitants concernés.",
    "Le texte final devrait être adopté avant l’été, si le calendrier parlementaire n’est pas "
    "bouleversé par l’examen du budget rectificatif annoncé pour le printemps.",
]
EXPECTED = [p.replace("|", "") for p in PARAGRAPHS]


def cuttable(text: str) -> str:
    """Long plain words may be cut in the middle (a line-end hyphen the reader must undo)."""
    return re.sub(r"\b([^\W\d_]{5,})([^\W\d_]{5,})\b", r"\1|\2", text)


CUTTABLE = [cuttable(p) for p in PARAGRAPHS]


PAGE_WIDTH = 595.0
PAGE_HEIGHT = 842.0


@dataclass(frozen=True)
class Line:
    x: float
    baseline: float
    text: str
    size: float = 10.0
    bold: bool = False


@dataclass
class Layout:
    """Where the text goes: columns (left x, width), the body's top and bottom, type sizes."""

    columns: Sequence[tuple[float, float]] = ((50.0, 235.0), (310.0, 235.0))
    top: float = 90.0
    bottom: float = 780.0
    size: float = 10.0
    leading: float = 12.5
    indent: float = 14.0
    paragraph_space: float = 0.0
    header: str | None = "Revue des sciences — mars 2026"
    page_numbers: bool = True
    title: str | None = None
    title_size: float = 20.0
    # Lines drawn on the first page only (a byline, a lede); below the title.
    first_page_top: float | None = None
    extra: dict[int, list[Line]] = field(default_factory=dict)


def _metrics(size: float, bold: bool = False):  # -> QFontMetricsF
    from PySide6.QtGui import QFontMetricsF

    return QFontMetricsF(_font(size, bold))


def _font(size: float, bold: bool = False):  # -> QFont
    from PySide6.QtGui import QFont

    from reader.export.typesetter import register_fonts

    serif, _sans = register_fonts()
    font = QFont(serif)
    font.setPointSizeF(size)
    font.setBold(bold)
    return font


def wrap(text: str, width: float, size: float, first_indent: float = 0.0) -> list[str]:
    """Greedy line breaking of one paragraph; a word with ``|`` marks or a real hyphen may be
    broken there (with a hyphen at the line end) when the whole word does not fit."""
    metrics = _metrics(size)
    lines: list[str] = []
    current = ""
    room = width - first_indent
    for word in text.split():
        candidate = f"{current} {word}" if current else word
        if metrics.horizontalAdvance(candidate.replace("|", "")) <= room:
            current = candidate
            continue
        # Try the last break point in the word that still fits.
        placed = False
        points = [i for i, c in enumerate(word) if c == "|" or (c == "-" and 0 < i < len(word) - 1)]
        for i in reversed(points):
            head = word[:i] + "-" if word[i] == "|" else word[: i + 1]
            head_text = f"{current} {head}" if current else head
            if metrics.horizontalAdvance(head_text.replace("|", "")) <= room:
                lines.append(head_text.replace("|", ""))
                word = word[i + 1 :]
                placed = True
                break
        if not placed and current:
            lines.append(current.replace("|", ""))
        current = word
        room = width
    if current:
        lines.append(current.replace("|", ""))
    return lines


def typeset(paragraphs: Sequence[str], layout: Layout) -> list[list[Line]]:
    """Flow ``paragraphs`` into the layout's columns, page after page; returns the pages."""
    pages: list[list[Line]] = [[]]
    column = 0
    top = layout.first_page_top if layout.first_page_top is not None else layout.top
    y = top
    if layout.title:
        pages[0].append(Line(layout.columns[0][0], top, layout.title, layout.title_size, True))
        y = top + layout.title_size * 2.2
    for n, paragraph in enumerate(paragraphs):
        width = layout.columns[0][1]
        lines = wrap(paragraph, width, layout.size, layout.indent)
        if n and layout.paragraph_space:
            y += layout.paragraph_space
        for k, text in enumerate(lines):
            if y > layout.bottom:
                column += 1
                if column == len(layout.columns):
                    column = 0
                    pages.append([])
                    top = layout.top
                y = top + (layout.title_size * 2.2 if layout.title and len(pages) == 1 else 0)
            x = layout.columns[column][0] + (layout.indent if k == 0 else 0.0)
            pages[-1].append(Line(x, y, text, layout.size))
            y += layout.leading
    for number, page in enumerate(pages, start=1):
        if layout.header:
            page.append(Line(layout.columns[0][0], 45.0, layout.header, 8.0))
        if layout.page_numbers:
            page.append(Line(PAGE_WIDTH / 2 - 4, 815.0, str(number), 8.0))
        page.extend(layout.extra.get(number, []))
    return pages


def write_pdf(
    path: Path,
    pages: Sequence[Sequence[Line]],
    *,
    title: str | None = None,
    images: dict[int, tuple[float, float, float, float]] | None = None,
    noise: bool = False,
) -> Path:
    """Write the pages of positioned lines (and, on the pages named in ``images``, a grey
    picture at x, y, width, height: a scan has only that; random pixels with ``noise``, which
    no compression shrinks) as a PDF at ``path``."""
    from PySide6.QtCore import QPointF, QRectF
    from PySide6.QtGui import QColor, QImage, QPageSize, QPainter, QPdfWriter
    _font(10)  # fonts registered and a QGuiApplication made before QPdfWriter
    writer = QPdfWriter(str(path))
    writer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
    writer.setResolution(72)
    from PySide6.QtCore import QMarginsF

    writer.setPageMargins(QMarginsF(0, 0, 0, 0))
    if title is not None:
        writer.setTitle(title)
    painter = QPainter(writer)
    try:
        for number, page in enumerate(pages, start=1):
            if number > 1:
                writer.newPage()
            for line in page:
                painter.setFont(_font(line.size, line.bold))
                painter.drawText(QPointF(line.x, line.baseline), line.text)
            if images and number in images:
                x, y, w, h = images[number]
                image = QImage(int(w), int(h), QImage.Format.Format_RGB32)
                image.fill(QColor(200, 200, 200))
                if noise:
                    pixels = random.Random(number).randbytes(int(w) * int(h) * 4)
                    image = QImage(pixels, int(w), int(h), QImage.Format.Format_RGB32).copy()
                painter.drawImage(QRectF(x, y, w, h), image)
    finally:
        painter.end()
    return path


HELVETICA = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"
# A composite font with glyph ids only (no ToUnicode map): its text has no characters.
GLYPHS_ONLY = (
    b"<< /Type /Font /Subtype /Type0 /BaseFont /Glyphs /Encoding /Identity-H /DescendantFonts"
    b" [<< /Type /Font /Subtype /CIDFontType2 /BaseFont /Glyphs /CIDSystemInfo"
    b" << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> >>] >>"
)


def raw_pdf(
    page_contents: Sequence[bytes], *, compressed: bool = False, font: bytes = HELVETICA
) -> bytes:
    """A minimal PDF written byte by byte: one page per content stream (``font`` as F1), with
    a correct cross-reference table. For files Qt would never write (a decompression bomb)."""
    objects: list[bytes] = []
    count = len(page_contents)
    kids = " ".join(f"{3 + 2 * k} 0 R" for k in range(count))
    objects.append(b"<< /Type /Catalog /Pages 2 0 R >>")
    objects.append(f"<< /Type /Pages /Kids [{kids}] /Count {count} >>".encode())
    font_number = 3 + 2 * count
    for k, content in enumerate(page_contents):
        objects.append(
            f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents {4 + 2 * k} 0 R"
            f" /Resources << /Font << /F1 {font_number} 0 R >> >> >>".encode()
        )
        filters = b" /Filter /FlateDecode" if compressed else b""
        objects.append(
            b"<< /Length %d%s >>\nstream\n" % (len(content), filters) + content + b"\nendstream"
        )
    objects.append(font)
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)
