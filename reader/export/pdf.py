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
(``pdf_outline``). If Qt's output ever stops looking as expected, the outline is skipped and
the PDF is written without it. Before that, ``pdf_text`` rewrites the fonts' ToUnicode maps
so the text layer reads back as the characters typeset (not radicals or presentation
forms). The pages themselves are typeset by ``typesetter``; this
module is the export: translating what the cache lacks, rendering, writing atomically.
"""

from __future__ import annotations

import contextlib
import logging
import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QMarginsF
from PySide6.QtGui import (
    QPagedPaintDevice,
    QPageLayout,
    QPageSize,
    QPainter,
    QPdfWriter,
)

from reader import __version__
from reader.core.presentation.export_document import (
    ALSO_FORMATS,
    BilingualDocument,
    ExportArticle,
    as_articles,
    build_document,
)
from reader.export.export_run import (
    Cancelled,
    ExportReport,
    output_problem,
    translate_all,
    usable_articles,
)
from reader.export.glyph_text import GlyphTexts
from reader.export.pdf_outline import OutlineError, add_outline
from reader.export.pdf_text import TextLayerError, fix_text_layer
from reader.export.typesetter import Typesetter, register_fonts
from reader.fonts import missing_font_messages
from reader.private_files import temp_beside, write_atomic

if TYPE_CHECKING:
    from reader.core.articles.article import Article
    from reader.core.translation.engine import TranslationEngine

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
    try:
        texts = list(_article_texts(articles))
        pdf = fix_text_layer(
            pdf, texts, _glyph_twins(texts), GlyphTexts(texts, register_fonts())
        )
    except (TextLayerError, ValueError, IndexError) as error:
        # Qt's own maps still give most text: never lose the export over them.
        log.warning("PDF written with Qt's text layer: %s", error)
    if outline:
        try:
            pdf = add_outline(pdf, bookmarks)
        except (OutlineError, ValueError, IndexError) as error:
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

    typesetter = Typesetter(writer, layout, mono)
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


# CJK radicals (supplement and Kangxi): fonts often draw them with an ideograph's glyph.
_RADICALS = "".join(chr(code) for code in range(0x2E80, 0x2FE0))


def _glyph_twins(texts: Sequence[str]) -> dict[str, str]:
    """Radical → the typeset ideograph it shares a glyph with, in the CJK faces the text is
    set in: Qt's ToUnicode names the radical (the lower code point) for that glyph."""
    from PySide6.QtGui import QFont, QRawFont

    from reader.core.text.writing_systems import Script, script_counts
    from reader.fonts import fallback_families

    han = [text for text in texts if Script.HAN in script_counts(text)]
    if not han:
        return {}
    families = {
        family for text in han for sans in (False, True)
        for family in fallback_families(text, sans=sans)
    }
    ideographs = sorted({ch for text in han for ch in text if Script.HAN in script_counts(ch)})
    twins: dict[str, str] = {}
    for family in sorted(families):
        raw = QRawFont.fromFont(QFont(family))
        if not raw.isValid():
            continue
        by_glyph = dict(zip(raw.glyphIndexesForString("".join(ideographs)), ideographs,
                            strict=False))
        glyphs = raw.glyphIndexesForString(_RADICALS)
        for radical, glyph in zip(_RADICALS, glyphs, strict=False):
            if glyph and glyph in by_glyph:
                twins.setdefault(radical, by_glyph[glyph])
    return twins


def write_pdf(
    documents: BilingualDocument | ExportArticle | Iterable[BilingualDocument | ExportArticle],
    output: Path,
    layout: str = "side-by-side",
    page_size: str = "A4",
    mono: bool = False,
) -> Path:
    """Render and write atomically; raises ``OSError`` (nothing left behind) on failure."""
    output = Path(output)
    write_atomic(output, render_pdf(documents, layout, page_size, mono), shared=True)
    return output


# -- files ----------------------------------------------------------------------------------------


def _write_file(path: Path, data: bytes) -> None:
    with open(path, "wb") as file:
        file.write(data)
        file.flush()
        os.fsync(file.fileno())  # a full disk can surface only here


def _os_reason(error: OSError) -> str:
    return error.strerror or str(error)


# -- the export ---------------------------------------------------------------------------------


def _document_texts(document: BilingualDocument) -> Iterator[str]:
    return _article_texts(document.articles)


def _article_texts(articles: Iterable[ExportArticle]) -> Iterator[str]:
    """Every text the typesetter sets (the footer's digits and slash are ASCII)."""
    for article in articles:
        header = article.header
        yield header.title
        yield header.title_translation or ""
        yield from header.meta_lines()
        for row in article.rows:
            yield row.source
            yield row.shown
            yield row.note or ""


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
    from reader.core.models.store import PackageError

    report = ExportReport()
    cancelled = is_cancelled or (lambda: False)
    problem = request.problem()
    if problem:
        return report.fail(problem)

    usable = usable_articles(articles, report)
    if not usable:
        return report.fail("nothing to export: no readable article")

    outputs = request.outputs()
    problem = output_problem(path for _, path in outputs)
    if problem:
        return report.fail(problem)

    try:
        translations = translate_all(
            engine, usable, request.target_language, report, progress, cancelled
        )
    except Cancelled:
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
            temp = temp_beside(path, shared=True)
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
