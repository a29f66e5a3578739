"""An EPUB 2 or 3 file → one :class:`~reader.core.articles.article.Article` of kind "book".

The book model, for whoever reads or writes books (the EPUB export, the window, feeds):

- ``article.kind`` is ``ArticleKind.BOOK``; ``article.paragraphs`` are the whole book's
  paragraphs end to end, in reading order (the OPF spine; ``linear="no"`` documents after
  the others), numbered from 0 like an article's — so translation, the cache, search,
  post-edits and the exports work on a book as on an article;
- ``article.chapters`` cut them into consecutive runs (:class:`Chapter`: title, first
  paragraph, paragraph count, role front/body/back) covering every paragraph once, in
  order. Chapters and their titles come from the navigation document (EPUB 3) or the NCX
  (EPUB 2), nested entries flattened; a document the table of contents does not name
  starts a chapter of its own when it has a heading (titled by it) and otherwise continues
  the one before; without any table of contents each document is a chapter, titled by its
  first heading, its ``<title>`` or "Chapter N";
- metadata from the OPF: ``title`` (dc:title, the "main" one in EPUB 3), ``byline`` (the
  authors, comma-separated), ``date`` (publication date, ≤ 10 characters), ``site`` (the
  publisher); ``language`` is detected from the body's text, the OPF's dc:language used
  when the text cannot tell;
- paragraph kinds: headings are ``TITLE``, block quotes ``QUOTE``, footnotes and endnotes
  ``NOTE`` (own paragraphs, starting with their marker "[1]"; the text keeps "[1]" where
  the reference was), images ``CAPTION`` placeholders "[image: alt]", figure captions
  ``CAPTION``, a copyright page's paragraphs ``BOILERPLATE``, the rest ``BODY``;
- skipped: the cover page (images only), the table of contents page (the nav document
  or a page marked "toc"), page-break markers. Front matter (title page, dedication,
  copyright…) and back matter (notes, appendices, colophon) are kept, their chapters
  marked by ``role``.

A file that cannot be read gives an Article with ``error`` (one line: DRM, not a zip, no
package document, entity declarations, too large…), never an exception.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

from reader.core.articles.article import (
    Article,
    ArticleKind,
    Chapter,
    ChapterRole,
    Paragraph,
    ParagraphKind,
)
from reader.core.books.package import (
    XHTML_TYPES,
    BookError,
    MissingMember,
    Package,
    open_package,
)
from reader.core.books.safe_xml import XmlRefused, parse_lenient
from reader.core.books.toc import Navigation, read_navigation
from reader.core.books.xhtml import NOTE_TYPES, Document, find_note_references, read_document
from reader.core.language import langid

log = logging.getLogger(__name__)

SUFFIXES = frozenset({".epub"})
# As for articles (reader.core.articles.parser): past this many distinct paragraphs judged,
# the rest inherit the book's language (a novel has thousands; each costs ~1.5 ms).
MAX_PARAGRAPH_DETECTIONS = 2000
MAX_TITLE_CHARS = 200

_COVER = frozenset({"cover"})
_TOC = frozenset({"toc", "doc-toc", "loi", "lot"})
_FRONT = frozenset({
    "frontmatter", "titlepage", "title-page", "halftitlepage", "copyright-page", "dedication",
    "epigraph", "foreword", "preface", "acknowledgments", "acknowledgements", "imprimatur",
    "contributors", "other-credits", "errata", "doc-dedication", "doc-epigraph",
    "doc-foreword", "doc-preface", "doc-acknowledgments", "seriespage",
})
_BACK = frozenset({
    "backmatter", "appendix", "afterword", "colophon", "index", "glossary", "bibliography",
    "doc-appendix", "doc-afterword", "doc-colophon", "doc-index", "doc-glossary",
    "doc-bibliography", "notes", "doc-endnotes",
}) | NOTE_TYPES
_COPYRIGHT = frozenset({"copyright-page", "imprint", "colophon"})
_BODY_START = frozenset({"bodymatter", "text", "start"})
_KINDS = {
    "heading": ParagraphKind.TITLE, "quote": ParagraphKind.QUOTE, "note": ParagraphKind.NOTE,
    "image": ParagraphKind.CAPTION, "caption": ParagraphKind.CAPTION,
}


@dataclass(slots=True)
class _Part:
    """A document of the spine, read, with where its paragraphs start in the book."""

    document: Document
    role: ChapterRole
    copyright: bool
    start: int = 0


def _marks(package: Package, navigation: Navigation, path: str, document: Document) -> set[str]:
    """Everything the book says about a document: its own epub:type, the landmarks, the
    guide."""
    landmarks = navigation.landmarks.get(path, set())
    return set(document.types) | landmarks | package.guide.get(path, set())


def _read_documents(package: Package) -> list[tuple[str, bool, object]]:
    """(path, linear, parsed root) of the spine's XHTML documents, in reading order."""
    read: list[tuple[str, bool, object]] = []
    seen: set[str] = set()
    for entry in package.spine:
        item = entry.item
        if item.media_type not in XHTML_TYPES or item.path in seen:
            continue
        seen.add(item.path)
        try:
            root = parse_lenient(package.archive.read(item.path), item.path)
        except MissingMember:
            # Named by the spine, absent from the zip: the rest of the book still reads (as
            # in reading systems); a book with no document left says so.
            log.warning("%s: a document of the spine is missing: %s", package.opf_path,
                        item.path)
            continue
        except XmlRefused as exc:
            raise BookError(str(exc)) from None
        read.append((item.path, entry.linear, root))
    # Reading systems show non-linear documents (notes, answers) only when linked: after
    # the rest of the book here.
    return [r for r in read if r[1]] + [r for r in read if not r[1]]


def _parts(package: Package, navigation: Navigation) -> list[_Part]:
    roots = _read_documents(package)
    notes: dict[tuple[str, str], str] = {}
    for path, _, root in roots:
        notes.update(find_note_references(path, root))
    body_start = next(
        (k for k, (path, _, _) in enumerate(roots)
         if (navigation.landmarks.get(path, set()) | package.guide.get(path, set())) & _BODY_START),
        None,
    )
    parts: list[_Part] = []
    nav_path = package.nav.path if package.nav is not None else None
    for k, (path, linear, root) in enumerate(roots):
        document = read_document(path, root, notes)
        marks = _marks(package, navigation, path, document)
        if path == nav_path or marks & _TOC:
            continue  # the table of contents page: the chapter list is the window's own
        if document.only_images and (marks & _COVER or k == 0 or "cover" in path.lower()):
            continue  # the cover: an image, and the library has the title
        notes_only = all(b.hint in ("note", "heading") for b in document.blocks) and any(
            b.hint == "note" for b in document.blocks)
        if marks & _BACK or not linear or notes_only:
            role = ChapterRole.BACK
        elif marks & _FRONT or (body_start is not None and k < body_start):
            role = ChapterRole.FRONT
        else:
            role = ChapterRole.BODY
        copyright = bool(marks & _COPYRIGHT) or "copyright" in path.lower()
        parts.append(_Part(document, role, copyright))
    return parts


def _clip(title: str) -> str:
    title = " ".join(title.split())
    return title if len(title) <= MAX_TITLE_CHARS else title[: MAX_TITLE_CHARS - 1] + "…"


def _chapters(parts: list[_Part], navigation: Navigation, total: int) -> tuple[Chapter, ...]:
    """Consecutive chapters covering ``total`` paragraphs (see the module docstring)."""
    by_path = {part.document.path: part for part in parts}
    # Paragraph index → titles given there by the table of contents.
    starts: dict[int, list[str]] = {}
    named: set[str] = set()
    for entry in navigation.entries:
        part = by_path.get(entry.path)
        if part is None or not part.document.blocks:
            continue
        offset = part.document.anchors.get(entry.fragment, 0) if entry.fragment else 0
        index = part.start + min(offset, len(part.document.blocks) - 1)
        starts.setdefault(index, [])
        if entry.title and entry.title not in starts[index]:
            starts[index].append(entry.title)
        named.add(entry.path)
    roles: dict[int, ChapterRole] = {}
    for number, part in enumerate(parts):
        if not part.document.blocks:
            continue
        roles[part.start] = part.role
        document = part.document
        if document.path in named or (part.start in starts):
            continue
        # Not in the table of contents: a chapter of its own when it has a heading, is
        # front or back matter (a title page, a copyright page), or when nothing comes
        # before it; else the rest of the previous one (a chapter split into files).
        if document.heading or part.role is not ChapterRole.BODY or part.start == 0 \
                or not navigation.entries:
            title = document.heading or document.title or f"Chapter {number + 1}"
            starts[part.start] = [title]
    if total and 0 not in starts:
        first = parts[0].document if parts else None
        starts[0] = [(first.heading or first.title) if first else ""]
    ordered = sorted(i for i in starts if i < total)
    chapters: list[Chapter] = []
    for position, index in enumerate(ordered):
        end = ordered[position + 1] if position + 1 < len(ordered) else total
        role = roles.get(index) or _role_at(parts, index)
        title = " — ".join(starts[index]) or _heading_at(parts, index) or f"Chapter {position + 1}"
        chapters.append(Chapter(_clip(title), index, end - index, role))
    return tuple(chapters)


def _part_at(parts: list[_Part], index: int) -> _Part | None:
    found = None
    for part in parts:
        if part.start > index:
            break
        found = part
    return found


def _role_at(parts: list[_Part], index: int) -> ChapterRole:
    part = _part_at(parts, index)
    return part.role if part is not None else ChapterRole.BODY


def _heading_at(parts: list[_Part], index: int) -> str:
    part = _part_at(parts, index)
    if part is None:
        return ""
    blocks = part.document.blocks
    offset = index - part.start
    if 0 <= offset < len(blocks) and blocks[offset].hint == "heading":
        return blocks[offset].text
    return part.document.heading or part.document.title


def _language_code(declared: list[str]) -> str:
    for code in declared:
        base = code.strip().lower().replace("_", "-").split("-")[0]
        if base.isalpha() and 2 <= len(base) <= 3:
            return base
    return langid.UNDETERMINED


def _languages(
    texts: list[str], kinds: list[ParagraphKind], body: list[int], declared: str, *,
    paragraph_languages: bool, memo: langid.LanguageMemo | None,
) -> tuple[str, float, list[tuple[str, float]]]:
    """The book's language, judged on its body text (front matter is names and dates),
    and each paragraph's (only the book's, inherited, without ``paragraph_languages``)."""
    sample = (texts[i] for i in body if kinds[i] in (ParagraphKind.BODY, ParagraphKind.QUOTE))
    language, confidence = langid.detect_article_language(sample, inherit=declared, memo=memo)
    if language == langid.UNDETERMINED:
        language, confidence = declared, 0.0
    if not paragraph_languages:
        return language, confidence, [(language, 0.0)] * len(texts)
    results: list[tuple[str, float]] = []
    seen: dict[str, tuple[str, float]] = {}
    for text in texts:
        key = text[: langid.PARAGRAPH_SAMPLE_CHARS]
        found = seen.get(key)
        if found is None:
            if len(seen) >= MAX_PARAGRAPH_DETECTIONS:
                results.append((language, 0.0))
                continue
            found = seen[key] = langid.detect(text, inherit=language, memo=memo)
        results.append(found)
    return language, confidence, results


def _book(path: Path, package: Package, *, paragraph_languages: bool,
          memo: langid.LanguageMemo | None) -> Article:
    navigation = read_navigation(package)
    parts = _parts(package, navigation)
    texts: list[str] = []
    kinds: list[ParagraphKind] = []
    body: list[int] = []
    for part in parts:
        part.start = len(texts)
        for block in part.document.blocks:
            if part.role is ChapterRole.BODY:
                body.append(len(texts))
            texts.append(block.text)
            if part.copyright and block.hint in (None, "caption"):
                kinds.append(ParagraphKind.BOILERPLATE)
            else:
                kinds.append(_KINDS.get(block.hint or "", ParagraphKind.BODY))
    if not texts:
        return Article(path=path, error="no text found in the book", kind=ArticleKind.BOOK)
    metadata = package.metadata
    declared = _language_code(metadata.languages)
    language, confidence, languages = _languages(
        texts, kinds, body or list(range(len(texts))), declared,
        paragraph_languages=paragraph_languages, memo=memo,
    )
    chapters = _chapters(parts, navigation, len(texts))
    return Article(
        path=path,
        title=metadata.title or (chapters[0].title if chapters else ""),
        date=metadata.date,
        byline=", ".join(metadata.authors) or None,
        site=metadata.publisher,
        language=language,
        language_confidence=confidence,
        paragraphs=tuple(
            Paragraph(index, text, kind, lang, conf)
            for index, (text, kind, (lang, conf)) in enumerate(zip(texts, kinds, languages,
                                                                   strict=True))
        ),
        kind=ArticleKind.BOOK,
        chapters=chapters,
    )


def read_epub(
    path: Path,
    *,
    paragraph_languages: bool = True,
    language_memo: langid.LanguageMemo | None = None,
) -> Article:
    """The book at ``path``, or an Article carrying the one-line ``error``. Never raises
    for bad input."""
    path = Path(path)
    package: Package | None = None
    try:
        package = open_package(path)
        return _book(path, package, paragraph_languages=paragraph_languages, memo=language_memo)
    except BookError as exc:
        return Article(path=path, error=str(exc), kind=ArticleKind.BOOK)
    except RecursionError:
        return Article(path=path, error="refused: markup nested too deep", kind=ArticleKind.BOOK)
    except Exception as exc:  # a reader bug must not take the library down with it
        log.exception("could not read the book %s", path)
        return Article(path=path, error=f"could not read the book ({type(exc).__name__})",
                       kind=ArticleKind.BOOK)
    finally:
        if package is not None:
            package.archive.close()
