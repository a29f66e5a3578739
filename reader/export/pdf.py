"""Bilingual PDF export, drawn with Qt's own PDF engine (QtGui only, no widgets).

Text is laid out with ``QTextLayout`` and drawn line by line with ``QPainter`` on a
``QPdfWriter``: every word stays real, selectable text in the bundled DejaVu fonts, which Qt
embeds. We paginate ourselves instead of printing a ``QTextDocument`` because the
side-by-side layout needs a guarantee a text table cannot give: paragraph N of the original
and paragraph N of the translation start on the same line band, a long pair may run onto the
next page, and the pair after it starts level again, below the longer of the two.

Layout happens in two passes: the first places every line on a page (so the footer can say
"3 / 12"), the second paints. The PDF is built in memory and written to a temporary file
beside the target, then moved into place, so a failure (unwritable folder, full disk) never
leaves a half-written PDF.

Qt allows ``QPdfWriter``, ``QPainter``, ``QTextLayout`` and fonts off the GUI thread, so the
window may call ``export_articles`` from a worker; the CLI gets a ``QGuiApplication`` made
here (offscreen when there is no display).

Qt's ``QPdfWriter`` has no API for the document outline (bookmarks), so after Qt has written
the file we append one outline entry per article as a standard PDF incremental update
(``_add_outline``). If Qt's output ever stops looking as expected, the outline is skipped and
the PDF is written without it.
"""

from __future__ import annotations

import contextlib
import logging
import os
import re
import stat
import sys
import tempfile
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QLineF, QMarginsF, QPointF, QRectF, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QGuiApplication,
    QPagedPaintDevice,
    QPageLayout,
    QPageSize,
    QPainter,
    QPdfWriter,
    QPen,
    QTextCharFormat,
    QTextLayout,
    QTextOption,
)

from reader import __version__
from reader.core.article import ParagraphKind
from reader.core.export_model import (
    ALSO_FORMATS,
    BilingualDocument,
    ExportArticle,
    ExportRow,
    as_articles,
    build_document,
    language_name,
)
from reader.core.translation import ArticleTranslation
from reader.fonts import (
    apply_direction,
    font_for_text,
    missing_font_messages,
    register_bundled_fonts,
)

if TYPE_CHECKING:
    from reader.core.article import Article
    from reader.core.engine import TranslationEngine

log = logging.getLogger(__name__)

LAYOUTS: tuple[str, ...] = ("side-by-side", "interleaved")
PAGE_SIZES: dict[str, QPageSize.PageSizeId] = {
    "A4": QPageSize.PageSizeId.A4,
    "Letter": QPageSize.PageSizeId.Letter,
}


# -- request and report ----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ExportRequest:
    output: Path
    target_language: str
    layout: str = "side-by-side"
    page_size: str = "A4"
    # Extra files beside the PDF: "mono" (translation only, OUT.mono.pdf), "html", "md".
    also: tuple[str, ...] = ()

    def problem(self) -> str | None:
        """Why this request cannot be honoured, or None."""
        if self.layout not in LAYOUTS:
            return f"unknown layout {self.layout!r} (choose {' or '.join(LAYOUTS)})"
        if self.page_size not in PAGE_SIZES:
            return f"unknown page size {self.page_size!r} (choose {' or '.join(PAGE_SIZES)})"
        unknown = [x for x in self.also if x not in ALSO_FORMATS]
        if unknown:
            return f"unknown extra format {unknown[0]!r} (choose from {', '.join(ALSO_FORMATS)})"
        if not self.target_language.strip():
            return "no target language"
        return None

    def outputs(self) -> list[tuple[str, Path]]:
        """(format, path) of every file this request writes, the PDF first."""
        output = Path(self.output)
        base = output.with_suffix("") if output.suffix.lower() == ".pdf" else output
        suffixes = {"mono": ".mono.pdf", "html": ".html", "md": ".md"}
        files = [("pdf", output)]
        for kind in dict.fromkeys(self.also):  # keep order, drop repeats
            files.append((kind, base.with_name(base.name + suffixes[kind])))
        return files


@dataclass(slots=True)
class ExportReport:
    written: list[Path] = field(default_factory=list)
    messages: list[str] = field(default_factory=list)  # one line each, for the user
    ok: bool = True

    def fail(self, message: str) -> ExportReport:
        self.messages.append(message)
        self.ok = False
        return self


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


class _Typesetter:
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


def render_pdf(
    documents: BilingualDocument | ExportArticle | Iterable[BilingualDocument | ExportArticle],
    layout: str = "side-by-side",
    page_size: str = "A4",
    mono: bool = False,
    *,
    outline: bool = True,
) -> bytes:
    """The PDF's bytes (nothing touches the disk). Each article starts on a new page."""
    if layout not in LAYOUTS:
        raise ValueError(f"unknown layout {layout!r}")
    if page_size not in PAGE_SIZES:
        raise ValueError(f"unknown page size {page_size!r}")
    articles = as_articles(documents)
    if not articles:
        raise ValueError("nothing to export")
    pdf, bookmarks = _render(articles, layout, page_size, mono)
    if outline:
        try:
            pdf = _add_outline(pdf, bookmarks)
        except (_OutlineError, ValueError, IndexError) as error:
            # Bookmarks are a convenience: never lose the export over them.
            log.warning("PDF written without bookmarks: %s", error)
    return pdf


def _render(
    articles: list[ExportArticle], layout: str, page_size: str, mono: bool
) -> tuple[bytes, list[tuple[str, int]]]:
    register_fonts()  # first: makes the application (CLI) before any other Qt object
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    writer = QPdfWriter(buffer)
    # 1.4 writes a classic cross-reference table, which _add_outline knows how to extend.
    writer.setPdfVersion(QPagedPaintDevice.PdfVersion.PdfVersion_1_4)
    # Margins are ours (so the footer can sit below the text area): the page is all paint.
    writer.setPageLayout(
        QPageLayout(
            QPageSize(PAGE_SIZES[page_size]),
            QPageLayout.Orientation.Portrait,
            QMarginsF(0, 0, 0, 0),
            QPageLayout.Unit.Millimeter,
        )
    )
    target = articles[0].target_language
    writer.setTitle(BilingualDocument(tuple(articles), target).title)
    writer.setCreator(f"bilingual-reader {__version__}")

    typesetter = _Typesetter(writer, layout, mono)
    for number, article in enumerate(articles):
        typesetter.article(article, first=number == 0)

    painter = QPainter()
    if not painter.begin(writer):
        raise RuntimeError("Qt could not start the PDF")
    try:
        typesetter.paint(painter)
    finally:
        painter.end()
    buffer.close()
    return bytes(data.data()), typesetter.bookmarks


def write_pdf(
    documents: BilingualDocument | ExportArticle | Iterable[BilingualDocument | ExportArticle],
    output: Path,
    layout: str = "side-by-side",
    page_size: str = "A4",
    mono: bool = False,
) -> Path:
    """Render and write atomically; raises ``OSError`` (nothing left behind) on failure."""
    output = Path(output)
    _write_atomic(output, render_pdf(documents, layout, page_size, mono))
    return output


# -- files ----------------------------------------------------------------------------------------


def _temp_for(path: Path) -> Path:
    """A fresh temporary file beside ``path`` (same file system, so the rename is atomic),
    with the permissions ``path`` will have: those of the file it replaces, else what the
    user's umask gives a new file (mkstemp's private 0600 would stop readers sharing it)."""
    fd, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
    try:
        try:
            mode = stat.S_IMODE(path.stat().st_mode)
        except OSError:
            mode = 0o666 & ~_umask()
        os.fchmod(fd, mode)
    finally:
        os.close(fd)
    return Path(name)


def _umask() -> int:
    # Read, not set-and-restore: os.umask() changes it for every thread while it is swapped.
    with contextlib.suppress(OSError, ValueError):
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("Umask:"):
                return int(line.split()[1], 8)
    return 0o022


def _write_file(path: Path, data: bytes) -> None:
    with open(path, "wb") as file:
        file.write(data)
        file.flush()
        os.fsync(file.fileno())  # a full disk can surface only here


def _write_atomic(path: Path, data: bytes) -> None:
    temp = _temp_for(path)
    try:
        _write_file(temp, data)
        os.replace(temp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            temp.unlink()
        raise


def _os_reason(error: OSError) -> str:
    return error.strerror or str(error)


# -- the export ---------------------------------------------------------------------------------


class _Cancelled(Exception):
    pass


def _translate_all(
    engine: TranslationEngine,
    articles: Sequence[Article],
    target: str,
    report: ExportReport,
    progress: Callable[[int, int], None] | None,
    cancelled: Callable[[], bool],
) -> list[ArticleTranslation]:
    """Translate what the cache lacks, reporting sentences done / total over all articles.

    Every article is planned first (the engine's ``TranslationStarted`` gives its count of
    sentences needing the model), so the total is known before the first sentence and a
    missing model is found before anything is translated."""
    from reader.core.engine import (
        ParagraphReady,
        TranslationFinished,
        TranslationProgress,
        TranslationStarted,
    )
    from reader.core.packages import MissingModelError

    runs: list[tuple[Article, Iterator[object], ArticleTranslation, int]] = []
    missing: MissingModelError | None = None
    skipped: list[str] = []
    # One pipeline: each article's first window is queued behind the last of the one before.
    streams = engine.translate_many(articles, target, use_cache=True, is_cancelled=cancelled)
    for article, events in zip(articles, streams, strict=True):
        try:
            first = next(events)  # raises MissingModelError before any work
        except MissingModelError as error:
            # Like an unreadable file, an article in a language without a model is skipped
            # and named; the rest of the export goes on.
            missing = error
            skipped.append(f"skipped {article.path}: {error}")
            continue
        assert isinstance(first, TranslationStarted)
        result = ArticleTranslation(
            article=article, target_language=target, packages=first.packages
        )
        runs.append((article, events, result, first.total_sentences))

    if not runs and missing is not None:
        raise missing  # nothing can be exported: one line, nothing written
    for message in skipped:
        report.fail(message)
    total = sum(run[3] for run in runs)
    reported = -1

    def report_progress(done: int) -> None:
        nonlocal reported
        if progress is not None and done != reported:
            reported = done
            progress(min(done, total), total)

    report_progress(0)
    offset = 0
    results: list[ArticleTranslation] = []
    for article, events, result, count in runs:
        for event in events:
            if isinstance(event, ParagraphReady):
                result.paragraphs.append(event.paragraph)
            elif isinstance(event, TranslationProgress):
                count = event.total  # a book's first total is estimated; the last is exact
                report_progress(offset + event.done)
            elif isinstance(event, TranslationFinished):
                if event.cancelled:
                    raise _Cancelled
                if event.error:
                    report.fail(
                        f"{article.path}: translation failed ({event.error}); "
                        "its untranslated paragraphs are marked"
                    )
        offset += count
        report_progress(offset)
        results.append(result)
    return results


def _document_texts(document: BilingualDocument) -> Iterator[str]:
    for article in document.articles:
        header = article.header
        yield header.title
        yield header.title_translation or ""
        yield from header.meta_lines()
        for row in article.rows:
            yield row.source
            yield row.shown


def export_articles(
    engine: TranslationEngine,
    articles: Iterable[Article],
    request: ExportRequest,
    progress: Callable[[int, int], None] | None = None,
    is_cancelled: Callable[[], bool] | None = None,
) -> ExportReport:
    """Translate what is missing (cache first), then write the PDF and the extra files.

    Never raises for the user's kind of trouble: every problem becomes a one-line message,
    ``ok`` is False, and a file is either complete or absent. Articles that failed to parse
    and articles in a language without a model are skipped with a message and the others are
    exported; no model for any article, or an unwritable output, writes nothing at all."""
    from reader.core.packages import PackageError

    report = ExportReport()
    cancelled = is_cancelled or (lambda: False)
    problem = request.problem()
    if problem:
        return report.fail(problem)

    usable: list[Article] = []
    for article in articles:
        if not article.ok:
            report.fail(f"skipped {article.path}: {article.error}")
        elif not article.paragraphs:
            report.fail(f"skipped {article.path}: no text to export")
        else:
            usable.append(article)
    if not usable:
        return report.fail("nothing to export: no readable article")

    outputs = request.outputs()
    for _, path in outputs:
        # Checked before translating, so a typo in -o does not cost a translation run.
        if not path.parent.is_dir():
            reason = "not a folder" if path.parent.exists() else "no such folder"
            return report.fail(f"cannot write {path}: {reason} ({path.parent})")
        if path.is_dir():
            return report.fail(f"cannot write {path}: it is a folder")

    try:
        translations = _translate_all(
            engine, usable, request.target_language, report, progress, cancelled
        )
    except _Cancelled:
        return report.fail("export cancelled; nothing written")
    except PackageError as error:  # MissingModelError included: one clear line
        return report.fail(str(error))
    if cancelled():
        return report.fail("export cancelled; nothing written")

    document = build_document(translations, request.target_language)
    # Exported anyway (Qt draws what it can), with one line naming the font to install.
    register_fonts()  # the font database needs the application (the CLI makes it here)
    report.messages.extend(missing_font_messages(_document_texts(document)))
    temps: list[tuple[Path, Path]] = []
    current = outputs[0][1]
    try:
        for kind, path in outputs:
            current = path
            if kind == "pdf":
                data = render_pdf(document, request.layout, request.page_size)
            elif kind == "mono":
                data = render_pdf(document, request.layout, request.page_size, mono=True)
            elif kind == "html":
                data = document.to_html().encode("utf-8")
            else:
                data = document.to_markdown().encode("utf-8")
            temp = _temp_for(path)
            temps.append((temp, path))
            _write_file(temp, data)
        # Everything rendered and on disk: only now replace the targets.
        for temp, path in temps:
            current = path
            os.replace(temp, path)
            report.written.append(path)
    except OSError as error:
        report.fail(f"cannot write {current}: {_os_reason(error)}")
    except (RuntimeError, ValueError) as error:
        report.fail(f"cannot make {current.name}: {error}")
    finally:
        for temp, _ in temps:
            with contextlib.suppress(OSError):
                temp.unlink()
    return report


# -- the outline (bookmarks) ----------------------------------------------------------------------


class _OutlineError(Exception):
    pass


_STARTXREF = re.compile(rb"startxref\s+(\d+)\s+%%EOF\s*$")
_REF = rb"(\d+)\s+(\d+)\s+R"


def _pdf_text_string(text: str) -> bytes:
    """A PDF text string that holds any Unicode: UTF-16BE with a byte-order mark, in hex."""
    return b"<FEFF" + text.encode("utf-16-be").hex().upper().encode("ascii") + b">"


def _xref_offsets(pdf: bytes, at: int) -> dict[int, int]:
    end = pdf.find(b"trailer", at)
    if not pdf.startswith(b"xref", at) or end < 0:
        raise _OutlineError("no classic cross-reference table")
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


def _object_body(pdf: bytes, offsets: dict[int, int], number: int) -> bytes:
    """The dictionary text (between << and >>) of a stream-less object."""
    at = offsets.get(number)
    if at is None:
        raise _OutlineError(f"object {number} missing")
    end = pdf.find(b"endobj", at)
    match = re.match(rb"\s*%d\s+0\s+obj\s*<<(.*)>>\s*$" % number, pdf[at:end], re.S)
    if match is None:
        raise _OutlineError(f"object {number} is not a plain dictionary")
    return match.group(1)


def _add_outline(pdf: bytes, bookmarks: Sequence[tuple[str, int]]) -> bytes:
    """Append an outline (one entry per article, pointing at its first page) as a PDF
    incremental update: the original bytes are untouched, new objects and a new catalog
    follow, and a new cross-reference section chains to the old one with /Prev."""
    if not bookmarks:
        return pdf
    tail = _STARTXREF.search(pdf, max(0, len(pdf) - 64))
    if tail is None:
        raise _OutlineError("no startxref")
    xref_at = int(tail.group(1))
    offsets = _xref_offsets(pdf, xref_at)
    trailer = pdf[pdf.find(b"trailer", xref_at) : tail.start()]
    size = re.search(rb"/Size\s+(\d+)", trailer)
    root = re.search(rb"/Root\s+" + _REF, trailer)
    if size is None or root is None or root.group(2) != b"0":
        raise _OutlineError("unexpected trailer")
    catalog_number = int(root.group(1))
    catalog = _object_body(pdf, offsets, catalog_number)
    if b"/Outlines" in catalog:
        raise _OutlineError("the PDF already has an outline")
    pages_ref = re.search(rb"/Pages\s+" + _REF, catalog)
    if pages_ref is None:
        raise _OutlineError("no page tree")
    pages = _object_body(pdf, offsets, int(pages_ref.group(1)))
    kids = re.search(rb"/Kids\s*\[(.*?)\]", pages, re.S)
    if kids is None:
        raise _OutlineError("no page list")
    page_numbers = [int(m.group(1)) for m in re.finditer(_REF, kids.group(1))]
    for page in page_numbers:  # a flat tree: every kid must be a page
        if not re.search(rb"/Type\s*/Page\b", _object_body(pdf, offsets, page)):
            raise _OutlineError("nested page tree")
    if any(not 0 <= page < len(page_numbers) for _, page in bookmarks):
        raise _OutlineError("bookmark past the last page")

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
