"""Input formats: which reader turns a file into an :class:`Article`, chosen by suffix.

One interface (:data:`FileReader`: a path and the language options in, an Article out,
never raising for bad input) and one table, so a new format is one module and one line
here — not a branch in the text parser. Text, Markdown and HTML go to
:func:`reader.core.articles.parser.parse_file`; ``.epub`` to
:func:`reader.core.books.epub.read_epub`; ``.pdf`` to
:func:`reader.core.pdf.importer.parse_pdf` (each imported when first needed: listing
a folder of articles loads no book or PDF code).
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Protocol

from reader.core.articles.article import Article
from reader.core.language import langid

log = logging.getLogger(__name__)


class FileReader(Protocol):
    """A path and the language options in, an Article out (``error`` set for bad input)."""

    def __call__(
        self, path: Path, *, paragraph_languages: bool = True,
        language_memo: langid.LanguageMemo | None = None,
    ) -> Article: ...


def _text(
    path: Path, *, paragraph_languages: bool = True,
    language_memo: langid.LanguageMemo | None = None,
) -> Article:
    from reader.core.articles.parser import parse_file

    return parse_file(path, paragraph_languages=paragraph_languages, language_memo=language_memo)


def _epub(
    path: Path, *, paragraph_languages: bool = True,
    language_memo: langid.LanguageMemo | None = None,
) -> Article:
    from reader.core.books.epub import read_epub

    return read_epub(path, paragraph_languages=paragraph_languages, language_memo=language_memo)


def _pdf(
    path: Path, *, paragraph_languages: bool = True,
    language_memo: langid.LanguageMemo | None = None,
) -> Article:
    from reader.core.pdf.importer import parse_pdf

    return parse_pdf(path, paragraph_languages=paragraph_languages, language_memo=language_memo)


TEXT_SUFFIXES = frozenset({".txt", ".md", ".markdown", ".html", ".htm"})
BOOK_SUFFIXES = frozenset({".epub"})
PDF_SUFFIXES = frozenset({".pdf"})
_READERS: dict[str, FileReader] = {
    **dict.fromkeys(TEXT_SUFFIXES, _text),
    **dict.fromkeys(BOOK_SUFFIXES, _epub),
    **dict.fromkeys(PDF_SUFFIXES, _pdf),
}
# What a library folder lists (a file named explicitly is read whatever its suffix).
SUPPORTED_SUFFIXES = frozenset(_READERS)


def reader_for(path: Path) -> FileReader:
    """The reader for ``path``'s suffix; the text parser for any other (it says "binary
    file, not an article" when that is what it is)."""
    return _READERS.get(Path(path).suffix.lower(), _text)


def read_file(
    path: Path,
    *,
    paragraph_languages: bool = True,
    language_memo: langid.LanguageMemo | None = None,
) -> Article:
    """``path`` read by the reader for its format. Never raises for bad input: the
    Article carries ``error``."""
    path = Path(path)
    try:
        return reader_for(path)(
            path, paragraph_languages=paragraph_languages, language_memo=language_memo
        )
    except Exception as exc:  # a reader bug must not take the library down with it
        log.exception("could not read %s", path)
        return Article(path=path, error=f"could not read ({type(exc).__name__})")
