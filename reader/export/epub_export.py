"""The EPUB export: translate what the cache lacks, shape chapters, write the file. No Qt.

From articles, the EPUB is a reading list: one chapter per article, its header (title in
both languages, date, byline, source, models) at the top. From a book (``ArticleKind.BOOK``,
``reader.core.books``), it keeps the book's structure: its chapters (front and back matter
included), their titles and the table of contents translated, its metadata (authors, date,
publisher) and its cover image, read again from the source file. The book model keeps
images as placeholders "[image: alt]" and no styles; the EPUB shows those placeholders (as
the window does) and its own small style sheet (``reader.export.epub.CSS``).

A chapter's title is translated through its heading paragraph when the chapter opens with
it (the usual case: the table of contents names the heading), so a post-edit of the heading
is the title everywhere; otherwise the titles are translated as a small extra text, cache
first, with the book.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from reader.core.articles.article import (
    Article,
    ArticleKind,
    ChapterRole,
    Paragraph,
    ParagraphKind,
)
from reader.core.presentation.export_document import (
    ExportArticle,
    ExportRow,
    build_article,
    display_text,
)
from reader.core.translation.results import ArticleTranslation
from reader.export.epub import LAYOUTS, Cover, EpubBook, EpubChapter, render_epub
from reader.export.export_run import (
    Cancelled,
    ExportReport,
    output_problem,
    translate_all,
    usable_articles,
)
from reader.private_files import write_atomic

if TYPE_CHECKING:
    from reader.core.translation.engine import TranslationEngine

log = logging.getLogger(__name__)

MAX_COVER_BYTES = 16 * 1024 * 1024
_EPUB_TYPES = {ChapterRole.FRONT: "frontmatter", ChapterRole.BODY: "chapter",
               ChapterRole.BACK: "backmatter"}
_CONTENTS = "#contents"  # the suffix naming a book's chapter titles, translated as a text


@dataclass(frozen=True, slots=True)
class EpubRequest:
    output: Path
    target_language: str
    layout: str = "interleaved"

    def problem(self) -> str | None:
        if self.layout not in LAYOUTS:
            return f"unknown layout {self.layout!r} for an EPUB (choose {' or '.join(LAYOUTS)})"
        if not self.target_language.strip():
            return "no target language"
        return None


# -- chapters --------------------------------------------------------------------------------------


def _translated_title(row: ExportRow) -> str | None:
    if row.passthrough or row.missing or row.shown == row.source:
        return None
    return row.shown


def _titles_article(book: Article) -> Article | None:
    """A book's title and the chapter titles that do not open their chapter as its
    heading, as a small text to translate beside it."""
    titles: list[str] = [display_text(book.display_title)]
    for chapter in book.chapters:
        first = book.paragraphs[chapter.start] if chapter.count else None
        title = display_text(chapter.title)
        if title and not (first is not None and first.kind is ParagraphKind.TITLE
                          and display_text(first.text) == title) and title not in titles:
            titles.append(title)
    return Article(
        path=Path(str(book.path) + _CONTENTS), title=book.title, language=book.language,
        paragraphs=tuple(Paragraph(i, text, ParagraphKind.TITLE, book.language)
                         for i, text in enumerate(titles)),
    )


def book_chapters(export: ExportArticle, book: Article,
                  titles: dict[str, str | None]) -> list[EpubChapter]:
    """A book's chapters: its rows cut by ``book.chapters``; a chapter opening with its own
    heading shows that heading (and its translation) as the chapter title."""
    rows = {row.index: row for row in export.rows}
    chapters: list[EpubChapter] = []
    for chapter in book.chapters:
        chosen = [rows[i] for i in range(chapter.start, chapter.end) if i in rows]
        title = display_text(chapter.title)
        translation = titles.get(title)
        if chosen and chosen[0].kind is ParagraphKind.TITLE and chosen[0].source == title:
            translation = _translated_title(chosen[0])
            chosen = chosen[1:]
        chapters.append(EpubChapter(title or "—", translation, tuple(chosen),
                                    export.source_language, kind=_EPUB_TYPES[chapter.role]))
    return chapters


def article_chapter(export: ExportArticle) -> EpubChapter:
    header = export.header
    return EpubChapter(header.title, header.title_translation, export.rows,
                       header.source_language, tuple(header.meta_lines()))


def epub_book(translations: list[ArticleTranslation], target: str,
              titles: dict[str, str | None] | None = None, cover: Cover | None = None) -> EpubBook:
    """The EPUB's content: one book keeps its structure; articles (or several books) become
    a reading list, one chapter per article (a book's chapters in order)."""
    chapters: list[EpubChapter] = []
    exports = [build_article(t) for t in translations]
    for translation, export in zip(translations, exports, strict=True):
        article = translation.article
        if article.kind is ArticleKind.BOOK and article.chapters:
            chapters += book_chapters(export, article, titles or {})
        else:
            chapters.append(article_chapter(export))
    first, header = translations[0].article, exports[0].header
    if len(translations) == 1:
        title, title_translation = header.title, header.title_translation
        if first.kind is ArticleKind.BOOK:
            title = display_text(first.display_title)
            title_translation = (titles or {}).get(title)
        authors = tuple(a.strip() for a in (first.byline or "").split(",") if a.strip())
        date, publisher = first.date, first.site
    else:
        from reader.core.language.names import language_name

        title = f"{len(translations)} articles ({language_name(target)})"
        title_translation, authors, date, publisher = None, (), None, None
    return EpubBook(title=title, title_translation=title_translation,
                    title_language=None if len(translations) == 1 else "en",
                    source_language=first.language or header.source_language,
                    target_language=target, chapters=tuple(chapters), authors=authors,
                    date=date, publisher=publisher, cover=cover)


# -- the cover -------------------------------------------------------------------------------------


def read_cover(path: Path) -> Cover | None:
    """The cover image of the EPUB at ``path`` (EPUB 3 ``cover-image``, or EPUB 2's
    ``<meta name="cover">``), or None. Never raises: a book without a readable cover is
    exported without one."""
    from reader.core.books.package import BookError, open_package
    from reader.core.books.safe_xml import OPF
    from reader.export.epub import IMAGE_TYPES

    try:
        package = open_package(path)
    except BookError:
        return None
    try:
        items = list(package.manifest.values())
        found = next((i for i in items if "cover-image" in i.properties), None)
        if found is None:
            opf = package.archive.xml(package.opf_path)
            named = next((m.get("content", "") for m in opf.iter(f"{{{OPF}}}meta", "meta")
                          if m.get("name") == "cover"), "")
            found = package.manifest.get(named)
        if found is None or found.media_type not in IMAGE_TYPES:
            return None
        return Cover(package.archive.read(found.path, MAX_COVER_BYTES), found.media_type)
    except (BookError, OSError) as error:
        log.warning("%s: the cover is left out: %s", path, error)
        return None
    finally:
        package.archive.close()


# -- the export ------------------------------------------------------------------------------------


def export_epub(
    engine: TranslationEngine,
    articles: Iterable[Article],
    request: EpubRequest,
    progress: Callable[[int, int], None] | None = None,
    is_cancelled: Callable[[], bool] | None = None,
) -> ExportReport:
    """Translate what is missing (cache first), then write the EPUB.

    Like the PDF export (``reader.export.pdf.export_articles``): never raises for the
    user's kind of trouble; unreadable articles and those without a model are skipped and
    named; the file is complete or absent."""
    from reader.core.models.store import PackageError

    report = ExportReport()
    cancelled = is_cancelled or (lambda: False)
    problem = request.problem()
    if problem:
        return report.fail(problem)
    usable = usable_articles(articles, report)
    if not usable:
        return report.fail("nothing to export: no readable article")
    output = Path(request.output)
    problem = output_problem([output])
    if problem:
        return report.fail(problem)

    contents = [t for a in usable if a.kind is ArticleKind.BOOK and (t := _titles_article(a))]
    try:
        done = translate_all(engine, [*usable, *contents], request.target_language, report,
                             progress, cancelled)
    except Cancelled:
        return report.fail("export cancelled; nothing written")
    except PackageError as error:  # MissingModelError included: one clear line
        return report.fail(str(error))
    if cancelled():
        return report.fail("export cancelled; nothing written")

    titles: dict[str, str | None] = {}
    translations: list[ArticleTranslation] = []
    for translation in done:
        if any(translation.article is c for c in contents):
            export = build_article(translation)
            # build_article makes the first TITLE paragraph (the book's title) the header.
            if export.title_index is not None:
                titles[export.header.title] = export.header.title_translation
            for row in export.rows:
                titles.setdefault(row.source, _translated_title(row))
        else:
            translations.append(translation)
    if not translations:
        return report.fail("nothing to export: no readable article")
    books = [t.article for t in translations if t.article.kind is ArticleKind.BOOK]
    cover = read_cover(books[0].path) if len(translations) == 1 and books else None
    try:
        data = render_epub(epub_book(translations, request.target_language, titles, cover),
                           request.layout)
        write_atomic(output, data, shared=True)
    except OSError as error:
        return report.fail(f"cannot write {output}: {error.strerror or error}")
    except ValueError as error:
        return report.fail(f"cannot make {output.name}: {error}")
    report.written.append(output)
    return report
