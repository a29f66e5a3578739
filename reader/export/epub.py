"""A bilingual EPUB 3 written by hand with ``zipfile`` (EbookLib is AGPL). Plain data, no Qt.

What an e-reader gets (``render_epub``):

- ``mimetype`` first and stored, ``META-INF/container.xml``, ``OEBPS/content.opf`` (EPUB 3:
  ``dc:identifier`` — a UUID derived from the content, so a re-export replaces the book on
  the device instead of adding a second one —, ``dc:title``, one ``dc:language`` per
  language, the book's first, ``dcterms:modified``), ``nav.xhtml`` and, for EPUB 2 reading
  systems, ``toc.ncx``; one XHTML file per chapter; ``style.css``;
- ``interleaved``: each original paragraph followed by its translation; ``translation-only``:
  the translation alone (a row with none keeps its original, marked ``untranslated``);
- every element carries ``lang`` and ``xml:lang`` (and ``dir="rtl"`` for Arabic, Hebrew…);
  translations have ``class="tr"``, originals ``class="src"`` — one CSS rule such as
  ``.tr { display: none }`` hides a side; an edited translation adds ``edited``; a
  translation the model did not finish adds ``truncated`` and a visible note; a paragraph
  with no translation adds ``missing`` and shows the same placeholder as the screen;
- chapter titles and the table of contents are translated (both languages, interleaved).

Rows come from the export model (``reader.core.presentation.export_document``), which follows
the one row-display rule, so the EPUB shows what the window and the PDF show.
"""

from __future__ import annotations

import datetime as dt
import re
import uuid
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

from reader.core.articles.article import ParagraphKind
from reader.core.presentation.export_document import ExportRow

LAYOUTS: tuple[str, ...] = ("interleaved", "translation-only")
# Languages written right to left (ISO 639-1/-3 codes): their elements get dir="rtl".
RIGHT_TO_LEFT = frozenset({"ar", "arc", "ckb", "dv", "fa", "he", "iw", "ps", "sd", "ug", "ur",
                           "yi"})

CSS = """\
body { line-height: 1.45; }
h1, h2, h3 { line-height: 1.25; }
p { margin: 0 0 0.6em 0; }
.src { }
.tr { color: #1f3b63; font-style: italic; margin-left: 1.2em; }
.translation-only .tr { color: inherit; font-style: normal; margin-left: 0; }
h1.tr, h2.tr, p.title.tr { font-weight: bold; }
.meta { font-size: 0.8em; color: #666; margin: 0; }
.note { font-size: 0.75em; color: #888; font-style: normal; }
.missing, .untranslated { color: #a33; }
.caption, .boilerplate, .footnote { font-size: 0.85em; }
blockquote { margin: 0 0 0.6em 1.5em; }
.cover { text-align: center; }
.cover img { max-width: 100%; max-height: 100%; }
"""

_XML = '<?xml version="1.0" encoding="utf-8"?>\n'
_CONTAINER = (
    _XML + '<container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container">\n'
    '  <rootfiles>\n    <rootfile full-path="OEBPS/content.opf" '
    'media-type="application/oebps-package+xml"/>\n  </rootfiles>\n</container>\n'
)
_W3CDTF = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
IMAGE_TYPES = {"image/jpeg": "jpg", "image/png": "png", "image/gif": "gif",
                "image/svg+xml": "svg", "image/webp": "webp"}
TRUNCATED_CLASS = "truncated"


@dataclass(frozen=True, slots=True)
class EpubChapter:
    """One XHTML file: a chapter of a book, or one article with its header."""

    title: str
    title_translation: str | None  # None when there is none (failed, or the same text)
    rows: tuple[ExportRow, ...]
    source_language: str
    meta: tuple[str, ...] = ()  # an article's small print (date, byline, source, models)
    kind: str = "chapter"  # its epub:type: "chapter", "frontmatter" or "backmatter"


@dataclass(frozen=True, slots=True)
class Cover:
    data: bytes
    media_type: str  # one of IMAGE_TYPES


@dataclass(frozen=True, slots=True)
class EpubBook:
    title: str
    title_translation: str | None
    source_language: str
    target_language: str
    chapters: tuple[EpubChapter, ...]
    authors: tuple[str, ...] = ()
    date: str | None = None
    publisher: str | None = None
    cover: Cover | None = None
    title_language: str | None = None  # the title's language when not the source's

    def identifier(self, layout: str) -> str:
        """``urn:uuid:…`` from the title, languages and layout: the same export gets the same
        identifier, so a reading system updates the book instead of listing it twice."""
        key = "\n".join((self.title, self.source_language, self.target_language, layout,
                         *(c.title for c in self.chapters)))
        return f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, 'bilingual-reader:' + key)}"


# -- markup helpers -------------------------------------------------------------------------------


# Characters XML 1.0 cannot hold at all (C0 controls but tab and newlines, lone surrogates,
# U+FFFE/U+FFFF): a stray one from a damaged file would make a chapter unreadable.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _e(text: str) -> str:
    return escape(_NOT_XML.sub("", text), quote=True)


def lang_attrs(code: str) -> str:
    """``lang``, ``xml:lang`` and, for a right-to-left language, ``dir="rtl"``."""
    code = _e(code or "und")
    rtl = ' dir="rtl"' if code.split("-")[0].lower() in RIGHT_TO_LEFT else ""
    return f'lang="{code}" xml:lang="{code}"{rtl}'


def _el(tag: str, language: str, text: str, classes: Sequence[str] = (), inner: str = "") -> str:
    cls = f' class="{" ".join(classes)}"' if classes else ""
    return f"<{tag}{cls} {lang_attrs(language)}>{_e(text)}{inner}</{tag}>"


_SOURCE_TAGS = {ParagraphKind.TITLE: "h2", ParagraphKind.QUOTE: "blockquote"}
_KIND_CLASSES = {ParagraphKind.CAPTION: "caption", ParagraphKind.BOILERPLATE: "boilerplate",
                 ParagraphKind.NOTE: "footnote", ParagraphKind.LEDE: "lede"}


def _row_markup(row: ExportRow, layout: str) -> list[str]:
    """One paragraph: the original (interleaved), then what the translation column shows."""
    kind_class = _KIND_CLASSES.get(row.kind)
    heading = row.kind is ParagraphKind.TITLE
    tag = _SOURCE_TAGS.get(row.kind, "p")
    extra = [kind_class] if kind_class else []
    if tag == "blockquote":
        # <blockquote> holds flow content: the text goes in a <p> of the same language.
        def block(language: str, classes: list[str], text: str, inner: str = "") -> str:
            return (f'<blockquote class="{" ".join(classes)}" {lang_attrs(language)}>'
                    f"{_el('p', language, text, (), inner)}</blockquote>")
    else:
        def block(language: str, classes: list[str], text: str, inner: str = "") -> str:
            return _el(tag, language, text, classes, inner)

    source = block(row.source_language, ["src", *extra], row.source)
    if row.passthrough:
        # Already in the target language, or nothing to translate: printed once.
        return [block(row.source_language, ["src", "same", *extra], row.source)]
    note = row.note
    if row.missing:
        if layout == "translation-only":
            # Reading on: the original stands in for the translation that is not there.
            inner = _el("span", "en", f" {row.shown}", ["note"])
            return [block(row.source_language, ["src", "untranslated", *extra], row.source,
                          inner)]
        return [source, block("en", ["tr", "missing", *extra], row.shown)]
    classes = ["tr", *extra]
    inner = ""
    if row.edited:
        classes.append("edited")  # the reader's own words, as on screen; no note in the text
    elif note:
        classes.append(TRUNCATED_CLASS)
        inner = " " + _el("span", "en", note, ["note"])
    translation = block(row.target_language, classes, row.shown, inner)
    if heading and layout == "interleaved":
        # A heading's translation is not a second heading (the outline stays one level).
        translation = _el("p", row.target_language, row.shown, ["title", *classes], inner)
    if layout == "translation-only":
        return [translation]
    return [source, translation]


def _page(title: str, language: str, body: list[str], body_class: str = "") -> str:
    """A complete XHTML 5 document (polyglot: served as application/xhtml+xml)."""
    attrs = lang_attrs(language)
    cls = f' class="{body_class}"' if body_class else ""
    return (
        _XML + "<!DOCTYPE html>\n"
        f'<html xmlns="http://www.w3.org/1999/xhtml" xmlns:epub="http://www.idpf.org/2007/ops" '
        f"{attrs}>\n<head {attrs}>\n<meta {attrs} charset=\"utf-8\"/>\n"
        f"<title {attrs}>{_e(title)}</title>\n"
        f'<link {attrs} rel="stylesheet" type="text/css" href="style.css"/>\n</head>\n'
        f"<body{cls} {attrs}>\n" + "\n".join(body) + "\n</body>\n</html>\n"
    )


def _chapter_file(chapter: EpubChapter, layout: str, target: str) -> str:
    page_language = target if layout == "translation-only" else chapter.source_language
    section = [f'<section epub:type="{chapter.kind}" {lang_attrs(page_language)}>']
    translated = chapter.title_translation
    if layout == "translation-only":
        section.append(_el("h1", target if translated else chapter.source_language,
                           translated or chapter.title, ["tr"] if translated else ["src"]))
    else:
        section.append(_el("h1", chapter.source_language, chapter.title, ["src"]))
        if translated:
            section.append(_el("p", target, translated, ["tr", "title"]))
    section += [_el("p", "en", line, ["meta"]) for line in chapter.meta]
    for row in chapter.rows:
        section += _row_markup(row, layout)
    section.append("</section>")
    title = (translated or chapter.title) if layout == "translation-only" else chapter.title
    return _page(title, page_language, section, layout)


def toc_label(chapter: EpubChapter, layout: str) -> str:
    """A chapter's entry in the NCX (plain text) and the nav's ``title``."""
    if layout == "translation-only":
        return chapter.title_translation or chapter.title
    if chapter.title_translation:
        return f"{chapter.title} / {chapter.title_translation}"
    return chapter.title


def _nav(book: EpubBook, layout: str, names: list[str]) -> str:
    primary = book.target_language if layout == "translation-only" else book.source_language
    items = []
    for chapter, name in zip(book.chapters, names, strict=True):
        if layout == "translation-only" and chapter.title_translation:
            label = _el("span", book.target_language, chapter.title_translation, ["tr"])
        else:
            label = _el("span", chapter.source_language, chapter.title, ["src"])
            if layout == "interleaved" and chapter.title_translation:
                label += " " + _el("span", book.target_language, chapter.title_translation,
                                   ["tr"])
        items.append(f'<li {lang_attrs(primary)}><a {lang_attrs(primary)} href="{name}">'
                     f"{label}</a></li>")
    body = [f'<nav epub:type="toc" id="toc" {lang_attrs(primary)}>',
            _el("h1", _title_language(book, layout), book_title(book, layout)),
            f"<ol {lang_attrs(primary)}>", *items, "</ol>", "</nav>"]
    return _page(book_title(book, layout), primary, body)


def _ncx(book: EpubBook, layout: str, identifier: str, names: list[str]) -> str:
    primary = book.target_language if layout == "translation-only" else book.source_language
    points = []
    for order, (chapter, name) in enumerate(zip(book.chapters, names, strict=True), start=1):
        points.append(
            f'<navPoint id="p{order}" playOrder="{order}"><navLabel><text>'
            f"{_e(toc_label(chapter, layout))}</text></navLabel>"
            f'<content src="{name}"/></navPoint>'
        )
    return (
        _XML + f'<ncx xmlns="http://www.daisy.org/z3986/2005/ncx/" version="2005-1" '
        f'xml:lang="{_e(primary)}">\n<head><meta name="dtb:uid" content="{_e(identifier)}"/>'
        '<meta name="dtb:depth" content="1"/><meta name="dtb:totalPageCount" content="0"/>'
        '<meta name="dtb:maxPageNumber" content="0"/></head>\n'
        f"<docTitle><text>{_e(book_title(book, layout))}</text></docTitle>\n<navMap>\n"
        + "\n".join(points) + "\n</navMap>\n</ncx>\n"
    )


def book_title(book: EpubBook, layout: str) -> str:
    """``dc:title``: the translated title alone for translation-only, else both."""
    if layout == "translation-only":
        return book.title_translation or book.title
    if book.title_translation:
        return f"{book.title} / {book.title_translation}"
    return book.title


def _title_language(book: EpubBook, layout: str) -> str:
    if book.title_language:
        return book.title_language
    if layout == "translation-only" and book.title_translation:
        return book.target_language
    return book.source_language


def _opf(book: EpubBook, layout: str, identifier: str, modified: dt.datetime,
         names: list[str], cover_name: str | None) -> str:
    languages = [book.source_language, book.target_language]
    if layout == "translation-only":
        languages.reverse()  # the first dc:language is the one a reading system uses
    primary = languages[0]
    meta = [
        f'<dc:identifier id="uid">{_e(identifier)}</dc:identifier>',
        f"<dc:title>{_e(book_title(book, layout))}</dc:title>",
        *(f"<dc:language>{_e(code)}</dc:language>"
          for code in dict.fromkeys(code or "und" for code in languages)),
        *(f"<dc:creator>{_e(name)}</dc:creator>" for name in book.authors),
        f'<meta property="dcterms:modified">{modified:%Y-%m-%dT%H:%M:%SZ}</meta>',
        "<dc:contributor>bilingual-reader (machine translation)</dc:contributor>",
    ]
    if book.date and _W3CDTF.match(book.date):
        meta.append(f"<dc:date>{_e(book.date)}</dc:date>")
    if book.publisher:
        meta.append(f"<dc:publisher>{_e(book.publisher)}</dc:publisher>")
    manifest = [
        '<item id="nav" href="nav.xhtml" media-type="application/xhtml+xml" properties="nav"/>',
        '<item id="ncx" href="toc.ncx" media-type="application/x-dtbncx+xml"/>',
        '<item id="css" href="style.css" media-type="text/css"/>',
    ]
    spine = []
    if cover_name is not None and book.cover is not None:
        meta.append('<meta name="cover" content="cover-image"/>')  # EPUB 2 reading systems
        manifest += [
            f'<item id="cover-image" href="{cover_name}" media-type="{book.cover.media_type}" '
            'properties="cover-image"/>',
            '<item id="cover" href="cover.xhtml" media-type="application/xhtml+xml"/>',
        ]
        spine.append('<itemref idref="cover" linear="no"/>')
    for number, name in enumerate(names, start=1):
        manifest.append(f'<item id="c{number}" href="{name}" media-type="application/xhtml+xml"/>')
        spine.append(f'<itemref idref="c{number}"/>')
    direction = ' page-progression-direction="rtl"' if (
        primary.split("-")[0] in RIGHT_TO_LEFT) else ""
    return (
        _XML + f'<package xmlns="http://www.idpf.org/2007/opf" version="3.0" '
        f'unique-identifier="uid" xml:lang="{_e(primary)}">\n'
        '<metadata xmlns:dc="http://purl.org/dc/elements/1.1/">\n' + "\n".join(meta)
        + "\n</metadata>\n<manifest>\n" + "\n".join(manifest)
        + f'\n</manifest>\n<spine toc="ncx"{direction}>\n' + "\n".join(spine)
        + "\n</spine>\n</package>\n"
    )


def _cover_page(book: EpubBook, name: str, layout: str) -> str:
    primary = book.target_language if layout == "translation-only" else book.source_language
    body = [f'<section class="cover" epub:type="cover" {lang_attrs(primary)}>',
            f'<img {lang_attrs(primary)} src="{name}" alt="{_e(book_title(book, layout))}"/>',
            "</section>"]
    return _page(book_title(book, layout), primary, body)


def chapter_names(count: int) -> list[str]:
    width = max(3, len(str(count)))
    return [f"ch{number:0{width}}.xhtml" for number in range(1, count + 1)]


def render_epub(book: EpubBook, layout: str = "interleaved",
                modified: dt.datetime | None = None) -> bytes:
    """The EPUB's bytes (nothing touches the disk)."""
    if layout not in LAYOUTS:
        raise ValueError(f"unknown layout {layout!r} (choose {' or '.join(LAYOUTS)})")
    if not book.chapters:
        raise ValueError("nothing to export")
    modified = (modified or dt.datetime.now(dt.UTC)).astimezone(dt.UTC)
    identifier = book.identifier(layout)
    names = chapter_names(len(book.chapters))
    cover_name = None
    if book.cover is not None and book.cover.media_type in IMAGE_TYPES:
        cover_name = f"cover.{IMAGE_TYPES[book.cover.media_type]}"
    files: list[tuple[str, bytes]] = [
        ("META-INF/container.xml", _CONTAINER.encode()),
        ("OEBPS/content.opf", _opf(book, layout, identifier, modified, names,
                                   cover_name).encode()),
        ("OEBPS/nav.xhtml", _nav(book, layout, names).encode()),
        ("OEBPS/toc.ncx", _ncx(book, layout, identifier, names).encode()),
        ("OEBPS/style.css", CSS.encode()),
    ]
    if cover_name is not None and book.cover is not None:
        files.append((f"OEBPS/{cover_name}", book.cover.data))
        files.append(("OEBPS/cover.xhtml", _cover_page(book, cover_name, layout).encode()))
    for chapter, name in zip(book.chapters, names, strict=True):
        files.append((f"OEBPS/{name}",
                      _chapter_file(chapter, layout, book.target_language).encode()))
    return _zip(files)


def _zip(files: list[tuple[str, bytes]]) -> bytes:
    import io

    buffer = io.BytesIO()
    stamp = (2026, 1, 1, 0, 0, 0)  # fixed: the same export gives the same bytes
    with zipfile.ZipFile(buffer, "w") as archive:
        # The OCF rule: "mimetype" first, stored (not compressed), no extra field.
        archive.writestr(zipfile.ZipInfo("mimetype", stamp), b"application/epub+zip",
                         compress_type=zipfile.ZIP_STORED)
        for name, data in files:
            archive.writestr(zipfile.ZipInfo(name, stamp), data,
                             compress_type=zipfile.ZIP_DEFLATED, compresslevel=6)
    return buffer.getvalue()

