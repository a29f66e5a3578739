"""The article model: what a news file becomes once parsed. Plain data, no Qt."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from bisect import bisect_right
from dataclasses import dataclass, field, replace
from enum import StrEnum
from itertools import accumulate, filterfalse
from operator import attrgetter
from pathlib import Path


class ParagraphKind(StrEnum):
    TITLE = "title"
    LEDE = "lede"
    BODY = "body"
    CAPTION = "caption"
    QUOTE = "quote"
    BOILERPLATE = "boilerplate"
    # A book's footnote or endnote, kept as a paragraph of its own (reader.core.books).
    NOTE = "note"


_WORD = re.compile(r"\w+(?:[’'-]\w+)*")
_SPACES = re.compile(r"\s+")
_TEXT = attrgetter("text")


# Below this length one regular-expression pass is as quick as splitting first.
_SPLIT_FROM_CHARS = 256


def count_words(text: str) -> int:
    """How many matches ``\\w+(?:[’'-]\\w+)*`` has in ``text``: words, an elided or
    hyphenated compound ("l’État", "peut-être") counting as one.

    A long text is split at white space first (which is neither a word character nor a
    joiner, so no match spans it): the tokens that are all letters and digits — 85 % of
    them in French prose — are one word each, counted in C, and only the others go through
    the regular expression, whose per-match cost is most of a listing's word count."""
    if len(text) < _SPLIT_FROM_CHARS:
        return len(_WORD.findall(text))
    tokens = text.split()
    plain = sum(map(str.isalnum, tokens))
    return plain + len(_WORD.findall(" ".join(filterfalse(str.isalnum, tokens))))


# Paragraphs are counted together up to this many characters (see _count_paragraph_words).
_COUNT_TOGETHER_CHARS = 1 << 16


def _count_paragraph_words(paragraphs: tuple[Paragraph, ...]) -> int:
    """The sum of the paragraphs' word counts, in few calls: paragraphs joined by newlines
    (neither a word character nor a joiner, so no word spans two paragraphs) in groups of
    up to ~64 K characters — one call for an article, and no single long C call holding the
    GIL for a book (reader.core.text.slices)."""
    total = 0
    group: list[str] = []
    size = 0
    for text in map(_TEXT, paragraphs):
        if group and size + len(text) > _COUNT_TOGETHER_CHARS:
            total += count_words("\n".join(group))
            group, size = [], 0
        group.append(text)
        size += len(text) + 1
    if group:
        total += count_words("\n".join(group))
    return total


def normalize_source(text: str) -> str:
    """The form of a paragraph that identifies it in the cache.

    NFC and collapsed white space, so the same paragraph read from a CRLF, NFD or
    re-wrapped copy of the file still finds its translation.
    """
    return _SPACES.sub(" ", unicodedata.normalize("NFC", text)).strip()


def source_hash(text: str) -> str:
    return hashlib.sha256(normalize_source(text).encode("utf-8")).hexdigest()


@dataclass(frozen=True, slots=True)
class Paragraph:
    """One block of the article, in file order.

    ``text`` is the file's block, trimmed and otherwise unchanged.
    ``language`` is an ISO 639-1 code; ``language_confidence`` is langdetect's
    probability, or 0.0 when the paragraph was too short to judge and inherited
    the article's language.
    """

    index: int
    text: str
    kind: ParagraphKind
    language: str
    language_confidence: float = 0.0
    # Hashed once: the engine looks a paragraph up by it several times per cache read, and a
    # 5 MB book has 40,000 paragraphs (a second and more of SHA-256 and normalising, every
    # read, uncached). Not an __init__ argument, so dataclasses.replace() of the text can
    # never carry a stale hash over; :meth:`in_language` keeps it (same text).
    _hash: str | None = field(default=None, init=False, repr=False, compare=False)

    @property
    def hash(self) -> str:
        if self._hash is None:
            object.__setattr__(self, "_hash", source_hash(self.text))
        assert self._hash is not None
        return self._hash

    def in_language(self, language: str, confidence: float) -> Paragraph:
        """The same paragraph said to be in ``language`` (its hash kept: same text)."""
        copy = Paragraph(self.index, self.text, self.kind, language, confidence)
        object.__setattr__(copy, "_hash", self._hash)
        return copy

    @property
    def words(self) -> int:
        return count_words(self.text)


class ArticleKind(StrEnum):
    ARTICLE = "article"
    # A whole book (EPUB) read as one entry: its paragraphs end to end, with ``chapters``.
    BOOK = "book"


class ChapterRole(StrEnum):
    """Where a chapter sits in a book: front matter (title page, copyright, dedication),
    the body, or back matter (notes, appendices, colophon)."""

    FRONT = "front"
    BODY = "body"
    BACK = "back"


@dataclass(frozen=True, slots=True)
class Chapter:
    """A run of a book's paragraphs: ``paragraphs[start:start + count]``."""

    title: str
    start: int
    count: int
    role: ChapterRole = ChapterRole.BODY

    @property
    def end(self) -> int:
        return self.start + self.count


@dataclass(frozen=True, slots=True)
class Article:
    """A parsed article. ``error`` is set (and ``paragraphs`` empty) when the file
    could not be read as an article; the library still lists it."""

    path: Path
    title: str = ""
    date: str | None = None
    byline: str | None = None
    section: str | None = None
    # The publication's name and the page's address, for articles from the web.
    site: str | None = None
    url: str | None = None
    language: str = "und"
    language_confidence: float = 0.0
    paragraphs: tuple[Paragraph, ...] = field(default_factory=tuple)
    error: str | None = None
    # A book (reader.core.books) is one entry whose paragraphs run end to end; ``chapters``
    # cut them into consecutive runs covering them all, in order. Everything that works on
    # paragraphs (translation, cache, search, post-edits, exports) works on a book as is.
    kind: ArticleKind = ArticleKind.ARTICLE
    chapters: tuple[Chapter, ...] = field(default_factory=tuple)
    # Counted once: the library list paints the count, and a 10 MB article has 100,000
    # paragraphs (half a second per repaint, uncached). Not an __init__ argument, so
    # dataclasses.replace() never carries a count over to other paragraphs.
    _word_count: int | None = field(default=None, init=False, repr=False, compare=False)
    # Made once, on a worker, for the same reason (see text_offsets).
    _text_offsets: tuple[int, ...] | None = field(
        default=None, init=False, repr=False, compare=False
    )

    @property
    def ok(self) -> bool:
        return self.error is None

    @property
    def words(self) -> int:
        if self._word_count is None:
            object.__setattr__(self, "_word_count", _count_paragraph_words(self.paragraphs))
        assert self._word_count is not None
        return self._word_count

    @property
    def text_offsets(self) -> tuple[int, ...]:
        """Where each paragraph's text would start with every text laid end to end: the
        running total of their lengths, one more entry than paragraphs (the last is the
        total). The reading view estimates row heights from it; a 5 MB book's takes
        ~6 ms, so whoever reads the article on a worker makes it there (``touch``)."""
        if self._text_offsets is None:
            offsets = tuple(accumulate(map(len, map(_TEXT, self.paragraphs)), initial=0))
            object.__setattr__(self, "_text_offsets", offsets)
        assert self._text_offsets is not None
        return self._text_offsets

    def touch(self) -> Article:
        """Count the words and make the text offsets now (on a worker: the GUI thread
        then finds them made); returns the article."""
        _ = self.words, self.text_offsets
        return self

    def chapter_at(self, index: int) -> int | None:
        """The position in ``chapters`` of the chapter holding paragraph ``index`` (None
        for an article, or an index outside every chapter)."""
        chapters = self.chapters
        found = bisect_right(chapters, index, key=attrgetter("start")) - 1
        if found < 0 or index >= chapters[found].end:
            return None
        return found

    @property
    def display_title(self) -> str:
        return self.title or self.path.stem

    def with_source_language(self, code: str | None) -> Article:
        """The article as the reader says it is written: ``code`` overrides the detected
        language (``None`` or "" keeps it as detected).

        Paragraphs that were in the article's language, undetermined, or that inherited it
        (too short to judge: confidence 0) take ``code``; a paragraph confidently detected
        as another language (the English cookie banner) keeps its own. The one rule: the
        window, the export and the background translation all read articles through it."""
        if not code or code == self.language:
            return self
        paragraphs = tuple(
            p.in_language(code, 1.0)
            if p.language in (self.language, "und") or p.language_confidence == 0.0
            else p
            for p in self.paragraphs
        )
        read = replace(self, language=code, language_confidence=1.0, paragraphs=paragraphs)
        # Same texts, same count and offsets: a book's are not worth a second pass.
        object.__setattr__(read, "_word_count", self._word_count)
        object.__setattr__(read, "_text_offsets", self._text_offsets)
        return read

    @property
    def key(self) -> str:
        """Stable identity of the article for reading memory: its resolved path."""
        try:
            return str(self.path.resolve())
        except (OSError, RuntimeError):  # RuntimeError: a symlink loop on Python 3.11
            return str(self.path.absolute())
