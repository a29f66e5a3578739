"""Typesetting a bilingual document on PDF pages with QtGui: styles, lines laid out with
``QTextLayout``, pages placed in a first pass (so the footer can say "3 / 12") and painted
in a second. Side by side, paragraph N of the original and paragraph N of the translation
start on the same line band; a long pair may run onto the next page, and the pair after it
starts level again, below the longer of the two."""

from __future__ import annotations

import os
import sys
import threading
from dataclasses import dataclass, replace

from PySide6.QtCore import QLineF, QPointF, QRectF, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QGuiApplication,
    QPainter,
    QPdfWriter,
    QPen,
    QTextCharFormat,
    QTextLayout,
    QTextOption,
)

from reader.core.articles.article import ParagraphKind
from reader.core.language.names import language_name
from reader.core.presentation.export_document import ExportArticle, ExportRow
from reader.core.text.writing_systems import has_italics
from reader.fonts import apply_direction, font_for_text, register_bundled_fonts

# -- Qt set-up -----------------------------------------------------------------------------------

_APP_LOCK = threading.Lock()
_APP: QGuiApplication | None = None  # kept alive for the process when we made it


def ensure_application() -> None:
    """QPdfWriter and fonts need a QGuiApplication. The window has one; the CLI gets one here,
    on the offscreen platform when there is no display (a headless server, CI)."""
    global _APP
    with _APP_LOCK:
        app = QGuiApplication.instance()
        if app is None:
            has_display = os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")
            if not os.environ.get("QT_QPA_PLATFORM") and not has_display:
                os.environ["QT_QPA_PLATFORM"] = "offscreen"
            name = sys.argv[0] if sys.argv and sys.argv[0] else "bilingual-reader"
            _APP = QGuiApplication([name])
        elif not isinstance(app, QGuiApplication):
            raise RuntimeError("PDF export needs a QGuiApplication, not a QCoreApplication")


def register_fonts() -> tuple[str, str]:
    """The bundled fonts' (serif, sans) family names, making a QGuiApplication if needed."""
    ensure_application()
    return register_bundled_fonts()


# -- styles --------------------------------------------------------------------------------------

BODY_PT = 10.0  # the same in both layouts: never squeeze the columns' font
LINE_SPACING = 1.12  # line pitch as a multiple of the font's line height
TEXT = "#111111"
ACCENT = "#1f3b63"  # the translation's colour
GREY = "#666666"
LIGHT = "#8a8a8a"
RULE = "#bbbbbb"
FAILED = "#a33333"


@dataclass(frozen=True, slots=True)
class _Style:
    sans: bool = False
    size: float = BODY_PT
    bold: bool = False
    italic: bool = False
    color: str = TEXT
    indent_mm: float = 0.0  # inside its column
    space_after_pt: float = 6.0


_SOURCE_STYLES: dict[ParagraphKind, _Style] = {
    ParagraphKind.TITLE: _Style(size=12.0, bold=True, space_after_pt=7.0),
    ParagraphKind.LEDE: _Style(bold=True),
    ParagraphKind.BODY: _Style(),
    ParagraphKind.QUOTE: _Style(italic=True, indent_mm=4.0),
    ParagraphKind.CAPTION: _Style(sans=True, size=8.5, color=GREY, space_after_pt=5.0),
    ParagraphKind.BOILERPLATE: _Style(sans=True, size=8.0, color=LIGHT, space_after_pt=5.0),
    ParagraphKind.NOTE: _Style(size=8.5, color=GREY, space_after_pt=5.0),
}
_NOTE = _Style(sans=True, size=7.5, color=LIGHT)
_TITLE = _Style(size=17.0, bold=True)
_TITLE_TRANSLATION = _Style(size=13.0, italic=True, color=ACCENT)
_META = _Style(sans=True, size=8.0, color=GREY)
_LABEL = _Style(sans=True, size=7.5, bold=True, color=LIGHT)
_FOOTER = _Style(sans=True, size=8.0, color=GREY)

# Page geometry, in millimetres.
_MARGIN_SIDE = 18.0
_MARGIN_TOP = 16.0
_MARGIN_BOTTOM = 18.0
_FOOTER_FROM_BOTTOM = 9.0
_GUTTER = 7.0  # between the side-by-side columns
_INTERLEAVE_INDENT = 7.0  # the translation under its original


def _translation_style(style: _Style, interleaved: bool) -> _Style:
    # Captions and boilerplate stay grey; everything else takes the translation colour.
    color = style.color if style.color != TEXT else ACCENT
    # Interleaved: italic too, so the two languages differ even printed in black and white.
    # (The sans face has no bundled italic; a synthesized slant would look worse than none.)
    italic = style.italic or (interleaved and not style.sans)
    return _Style(
        style.sans, style.size, style.bold, italic, color, style.indent_mm, style.space_after_pt
    )


# -- layout -------------------------------------------------------------------------------------


@dataclass(slots=True)
class _Para:
    """A paragraph broken into lines for one column width."""

    layout: QTextLayout
    heights: list[float]  # each line's height (what must fit on the page)
    advances: list[float]  # each line's pitch (where the next line starts)
    color: QColor


@dataclass(slots=True)
class _Line:
    para: _Para
    index: int
    x: float
    y: float  # top of the line


@dataclass(slots=True)
class _Rule:
    x1: float
    x2: float
    y: float


class Typesetter:
    """Turns articles into pages of positioned lines (pass 1); ``paint`` draws them (pass 2)."""

    def __init__(self, writer: QPdfWriter, layout: str, mono: bool) -> None:
        self.writer = writer
        self.layout = layout
        self.mono = mono
        self.serif, self.sans = register_fonts()
        self.unit_mm = writer.resolution() / 25.4  # device units per millimetre
        self.unit_pt = writer.resolution() / 72.0
        self.page_width = float(writer.width())
        self.page_height = float(writer.height())
        self.left = _MARGIN_SIDE * self.unit_mm
        self.right = self.page_width - _MARGIN_SIDE * self.unit_mm
        self.top = _MARGIN_TOP * self.unit_mm
        self.bottom = self.page_height - _MARGIN_BOTTOM * self.unit_mm
        self.column = (self.right - self.left - _GUTTER * self.unit_mm) / 2
        self.pages: list[list[_Line | _Rule]] = [[]]
        self.page = 0
        self.y = self.top
        self.bookmarks: list[tuple[str, int]] = []
        self._fonts: dict[_Style, QFont] = {}

    # -- building blocks

    def font(self, style: _Style) -> QFont:
        font = self._fonts.get(style)
        if font is None:
            font = QFont(self.sans if style.sans else self.serif)
            font.setPointSizeF(style.size)
            font.setBold(style.bold)
            font.setItalic(style.italic)
            # Hinting is for screens; in a PDF it would only distort the advances.
            font.setHintingPreference(QFont.HintingPreference.PreferNoHinting)
            # No ligatures: Qt maps an "ff" ligature glyph to U+FB00 in the PDF's text, so a
            # search for "officielle" would miss "oﬀicielle". Kerning stays on.
            font.setFeature(QFont.Tag("liga"), 0)
            font.setFeature(QFont.Tag("clig"), 0)
            self._fonts[style] = font
        return font

    def para(self, text: str, style: _Style, width: float, note: str | None = None) -> _Para:
        full = f"{text} {note}" if note and text else (note or text)
        if style.italic and not has_italics(text):
            # Arabic, Hebrew, CJK, Devanagari…: upright (they have no italic to fall back on;
            # a synthetic slant also picked another, smaller face).
            style = replace(style, italic=False)
        # A face for each script of the text after the bundled one, and right-to-left
        # paragraphs set from the right: the same rules as the window (reader/fonts.py).
        layout = QTextLayout(full, font_for_text(self.font(style), full), self.writer)
        option = QTextOption()
        # Long URLs and synthetic gibberish must wrap somewhere rather than overflow.
        option.setWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
        apply_direction(option, text or full)
        layout.setTextOption(option)
        if note:
            note_format = QTextCharFormat()
            note_format.setFont(self.font(_NOTE))
            note_format.setForeground(QColor(_NOTE.color))
            note_range = QTextLayout.FormatRange()
            note_range.start = len(full) - len(note)
            note_range.length = len(note)
            note_range.format = note_format
            layout.setFormats([note_range])
        heights: list[float] = []
        advances: list[float] = []
        layout.beginLayout()
        y = 0.0
        while True:
            line = layout.createLine()
            if not line.isValid():
                break
            line.setLineWidth(width)
            line.setPosition(QPointF(0, y))
            height = line.height()
            heights.append(height)
            advances.append(height * LINE_SPACING)
            y += height * LINE_SPACING
        layout.endLayout()
        return _Para(layout, heights, advances, QColor(style.color))

    def new_page(self) -> None:
        self.pages.append([])
        self.page = len(self.pages) - 1
        self.y = self.top

    def head_room(self, para: _Para, lines: int = 2) -> float:
        """Height of the first ``lines`` lines: a paragraph never starts with fewer on a page."""
        return sum(para.advances[:lines])

    def flow(self, para: _Para, x: float, page: int, y: float) -> tuple[int, float]:
        """Place ``para``'s lines from (page, y) down, onto following pages as needed."""
        for index, height in enumerate(para.heights):
            if y + height > self.bottom and y > self.top:
                page += 1
                y = self.top
                while len(self.pages) <= page:
                    self.pages.append([])
            self.pages[page].append(_Line(para, index, x, y))
            y += para.advances[index]
        return page, y

    def place(self, para: _Para, x: float) -> None:
        self.page, self.y = self.flow(para, x, self.page, self.y)

    def space(self, points: float) -> None:
        self.y += points * self.unit_pt

    # -- articles

    def article(self, article: ExportArticle, first: bool) -> None:
        if not first or self.pages[self.page]:
            self.new_page()
        header = article.header
        title = header.title_translation if self.mono and header.title_translation else None
        self.bookmarks.append((title or article.bookmark, self.page))
        self.header(article)
        for row in article.rows:
            if self.mono:
                self.mono_row(row)
            elif self.layout == "side-by-side":
                self.side_by_side_row(row)
            else:
                self.interleaved_row(row)

    def header(self, article: ExportArticle) -> None:
        header = article.header
        width = self.right - self.left
        titles = [(header.title, _TITLE)]
        if header.title_translation:
            titles.append((header.title_translation, _TITLE_TRANSLATION))
        if self.mono and header.title_translation:
            # Translation only: the translated title leads, the original follows small.
            titles = [(header.title_translation, _TITLE), (header.title, _TITLE_TRANSLATION)]
        for text, style in titles:
            self.place(self.para(text, style, width), self.left)
            self.space(3)
        self.space(2)
        for line in header.meta_lines():
            self.place(self.para(line, _META, width), self.left)
        self.space(5)
        self.pages[self.page].append(_Rule(self.left, self.right, self.y))
        self.space(9)
        if self.layout == "side-by-side" and not self.mono:
            # Column heads, so a reader who opens page 4 knows which side is which.
            left = self.para(language_name(header.source_language).upper(), _LABEL, self.column)
            right = self.para(language_name(header.target_language).upper(), _LABEL, self.column)
            self.pair(left, right, gap_pt=3)

    def _styles(self, row: ExportRow) -> tuple[_Style, _Style]:
        source = _SOURCE_STYLES.get(row.kind, _SOURCE_STYLES[ParagraphKind.BODY])
        translation = _translation_style(source, interleaved=self.layout == "interleaved")
        if row.missing:
            translation = _Style(True, 8.5, color=FAILED, space_after_pt=source.space_after_pt)
        return source, translation

    def pair(self, left: _Para, right: _Para, gap_pt: float, indent: float = 0.0) -> None:
        """Two paragraphs starting on the same line band; the next starts below the longer."""
        if self.y + max(self.head_room(left), self.head_room(right)) > self.bottom:
            self.new_page()
        x_right = self.right - self.column
        end_left = self.flow(left, self.left + indent, self.page, self.y)
        end_right = self.flow(right, x_right + indent, self.page, self.y)
        self.page, self.y = max(end_left, end_right)
        self.space(gap_pt)

    def side_by_side_row(self, row: ExportRow) -> None:
        source_style, translation_style = self._styles(row)
        indent = source_style.indent_mm * self.unit_mm
        width = self.column - indent
        left = self.para(row.source, source_style, width)
        if row.passthrough:
            # Printed once, on the original's side; the translation side says why it is empty.
            right = self.para("", _NOTE, width, note=row.note)
        else:
            right = self.para(row.shown, translation_style, width, note=row.note)
        self.pair(left, right, source_style.space_after_pt, indent)

    def interleaved_row(self, row: ExportRow) -> None:
        source_style, translation_style = self._styles(row)
        indent = source_style.indent_mm * self.unit_mm
        width = self.right - self.left - indent
        if row.passthrough:
            source = self.para(row.source, source_style, width, note=row.note)
        else:
            source = self.para(row.source, source_style, width)
        if self.y + self.head_room(source) > self.bottom:
            self.new_page()
        self.place(source, self.left + indent)
        if not row.passthrough:
            self.space(2)
            shift = indent + _INTERLEAVE_INDENT * self.unit_mm
            translation = self.para(
                row.shown, translation_style, self.right - self.left - shift, note=row.note
            )
            self.place(translation, self.left + shift)
        self.space(source_style.space_after_pt + 2)

    def mono_row(self, row: ExportRow) -> None:
        source_style, translation_style = self._styles(row)
        style = source_style if row.passthrough else translation_style
        # Translation only: print it in the reading colour, not the accent meant for contrast.
        if style.color == ACCENT:
            style = _Style(
                style.sans,
                style.size,
                style.bold,
                style.italic,
                TEXT,
                style.indent_mm,
                style.space_after_pt,
            )
        indent = style.indent_mm * self.unit_mm
        para = self.para(row.shown, style, self.right - self.left - indent, note=row.note)
        if self.y + self.head_room(para) > self.bottom:
            self.new_page()
        self.place(para, self.left + indent)
        self.space(style.space_after_pt)

    # -- pass 2

    def paint(self, painter: QPainter) -> None:
        total = len(self.pages)
        footer_font = self.font(_FOOTER)
        footer_y = self.page_height - _FOOTER_FROM_BOTTOM * self.unit_mm
        footer_box = QRectF(
            self.left, footer_y - 3 * self.unit_mm, self.right - self.left, 6 * self.unit_mm
        )
        rule_pen = QPen(QColor(RULE))
        rule_pen.setWidthF(0.6 * self.unit_pt)
        for number, items in enumerate(self.pages, start=1):
            if number > 1:
                self.writer.newPage()
            for item in items:
                if isinstance(item, _Rule):
                    painter.setPen(rule_pen)
                    painter.drawLine(QLineF(item.x1, item.y, item.x2, item.y))
                    continue
                painter.setPen(item.para.color)
                line = item.para.layout.lineAt(item.index)
                line.draw(painter, QPointF(item.x, item.y - line.y()))
            painter.setPen(QColor(_FOOTER.color))
            painter.setFont(footer_font)
            painter.drawText(footer_box, Qt.AlignmentFlag.AlignCenter, f"{number} / {total}")
