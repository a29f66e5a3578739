"""Articles parsed by an earlier listing, remembered by file signature in the cache folder.

Listing a library again re-reads every file, runs text hygiene, reflow and the paragraph
rules, and counts words (~0.4 s for 500 articles): what it finds is what it found last time
unless the file or the code changed. So each article a listing parses is kept in one
JSON file (``listing.json``, private to the user: :mod:`reader.private_files`), under the
file's path and signature — size, modification and status-change times, inode and device,
taken *before* the file is read, so a file changed while it was being read is parsed again
next time; files changed in the last two seconds are not kept at all — and the next
listing rebuilds the same :class:`Article` from it.

The memo as a whole is keyed on what produced it: the reader's core modules (name, size,
modification time), the versions of langdetect, trafilatura, htmldate and pdfminer.six
installed, Python's version and the listing's options; any change empties it. Articles with
an error are never kept (a permission can change without the file changing), nor files over
``MAX_FILE_BYTES`` (a book would make every listing read it back) except PDFs, whose text is
a small part of the file and whose parse is the slowest; the newest articles are kept up to
``MAX_ENTRIES`` and ``MAX_TOTAL_BYTES`` of files (of text, for PDFs). The memo is data, never code:
JSON, each entry's types checked before it becomes an article; an unreadable, damaged or
refused memo (another user's, or writable by others) and any entry of an unexpected shape
are misses; one that cannot be written costs only time.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import sys
import time
from operator import attrgetter
from pathlib import Path
from typing import Any

from reader import __version__
from reader.core.articles.article import (
    Article,
    ArticleKind,
    Chapter,
    ChapterRole,
    Paragraph,
    ParagraphKind,
)
from reader.private_files import open_private, write_private

log = logging.getLogger(__name__)

MAX_ENTRIES = 5000
MAX_FILE_BYTES = 512 * 1024
# The memo is read and written in one json call each, which holds Python's GIL (the
# window lists on a worker): the files it keeps add up to at most this many bytes.
MAX_TOTAL_BYTES = 16 * 1024 * 1024
# A memo file larger than this is not read (JSON escapes can make text up to 6× longer).
MAX_MEMO_BYTES = 8 * MAX_TOTAL_BYTES
# File times advance by the kernel's clock tick (a few ms), so a file rewritten with the same
# size within a tick of being read keeps its signature. As git does with "racily clean"
# files, a file changed less than this long ago is not remembered (it is parsed each time
# until it is older): any later change then gets later times.
SETTLED_NS = 2_000_000_000
# Bump when the stored layout changes.
_FORMAT = 4
# Libraries whose answers are in a parsed article (language, web-page extraction). lxml,
# jusText and lxml_html_clean too: without one of them, pages are read by our own parser,
# and installing it must not leave those answers in the memo.
_LIBRARIES = (
    "langdetect-", "trafilatura-", "htmldate-", "lxml-", "lxml_html_clean-", "jusText-",
    "justext-", "pdfminer_six-",
)
# Files whose article is a small part of the file (a PDF's text is a few percent of it):
# remembered up to the size the reader reads them at, and weighed by their text, not their
# size, against MAX_TOTAL_BYTES. Their parse is the slowest (a child process, pdfminer).
_TEXT_INSIDE = (".pdf",)
MAX_TEXT_INSIDE_BYTES = 100 * 1024 * 1024

Signature = tuple[int, int, int, int, int]


def _code_key(options: object) -> list[object]:
    # Every module of reader/core, in its subpackages too (a book's chapters come from
    # reader/core/books, an article's paragraphs from reader/core/articles…).
    core = Path(__file__).parent.parent
    modules = []
    for path in core.rglob("*.py"):
        with contextlib.suppress(OSError):
            info = path.stat()
            modules.append((path.relative_to(core).as_posix(), info.st_size, info.st_mtime_ns))
    libraries = []
    for folder in sys.path:
        if not folder.endswith(("site-packages", "dist-packages")):
            continue
        with contextlib.suppress(OSError), os.scandir(folder) as entries:
            libraries.extend(
                entry.name
                for entry in entries
                if entry.name.endswith(".dist-info") and entry.name.startswith(_LIBRARIES)
            )
    return [
        _FORMAT, __version__, list(sys.version_info[:2]), options, sorted(modules),
        sorted(libraries),
    ]


def signature(path: Path) -> Signature | None:
    """The file's signature, or None when it cannot be stat'ed, is too large to keep, or was
    changed too recently for its times to tell a later change (see ``SETTLED_NS``)."""
    try:
        info = os.stat(path)
    except (OSError, ValueError):
        return None
    limit = MAX_TEXT_INSIDE_BYTES if str(path).lower().endswith(_TEXT_INSIDE) else MAX_FILE_BYTES
    if info.st_size > limit:
        return None
    if time.time_ns() - max(info.st_mtime_ns, info.st_ctime_ns) < SETTLED_NS:
        return None
    return (info.st_size, info.st_mtime_ns, info.st_ctime_ns, info.st_ino, info.st_dev)


# A paragraph kind as stored (its plain string), and back.
_KIND_NAMES = {kind: kind.value for kind in ParagraphKind}
_KINDS = {kind.value: kind for kind in ParagraphKind}
_TEXT, _KIND = attrgetter("text"), attrgetter("kind")
_LANGUAGE, _CONFIDENCE = attrgetter("language"), attrgetter("language_confidence")


def _record(article: Article) -> list[object]:
    # Column by column with map(): C-level passes, not a Python loop per paragraph. Lists,
    # as JSON gives them back.
    paragraphs = article.paragraphs
    return [
        article.title, article.date, article.byline, article.section, article.site,
        article.url, article.language, article.language_confidence, article.words,
        list(map(_TEXT, paragraphs)),
        list(map(_KIND_NAMES.__getitem__, map(_KIND, paragraphs))),
        list(map(_LANGUAGE, paragraphs)),
        list(map(_CONFIDENCE, paragraphs)),
        article.kind.value,
        [[c.title, c.start, c.count, c.role.value] for c in article.chapters],
    ]


_KIND_VALUES = {kind.value: kind for kind in ArticleKind}
_ROLES = {role.value: role for role in ChapterRole}


def _chapters(stored: Any, paragraphs: int) -> tuple[Chapter, ...] | None:
    """The chapters a record lists, or None unless each is [title, start, count, role] and
    together they run over the paragraphs end to end, in order."""
    if type(stored) is not list:
        return None
    chapters: list[Chapter] = []
    expected = 0
    for entry in stored:
        if type(entry) is not list or len(entry) != 4:
            return None
        title, start, count, role = entry
        if type(title) is not str or type(start) is not int or type(count) is not int \
                or start != expected or count < 0 or role not in _ROLES:
            return None
        chapters.append(Chapter(title, start, count, _ROLES[role]))
        expected = start + count
    if chapters and expected != paragraphs:
        return None
    return tuple(chapters)


_OPTIONAL_TEXT = frozenset({str, type(None)})
_NUMBER = frozenset({int, float})


def _article(path: Path, record: Any) -> Article | None:
    """The article a stored record describes, or None when it is not of the expected shape
    and types (read back from a file: anything else is a miss, never trusted)."""
    if type(record) is not list or len(record) != 15:
        return None
    (title, date, byline, section, site, url, language, confidence, words,
     texts, kinds, languages, confidences, kind, stored_chapters) = record
    if not (
        type(title) is str and type(language) is str and type(words) is int and words >= 0
        and type(confidence) in _NUMBER
        and {type(date), type(byline), type(section), type(site), type(url)} <= _OPTIONAL_TEXT
        and type(texts) is list and type(kinds) is list and type(languages) is list
        and type(confidences) is list
        and len(texts) == len(kinds) == len(languages) == len(confidences)
        # Column by column, in C: a set of the types each column holds.
        and set(map(type, texts)) <= {str} and set(map(type, languages)) <= {str}
        and set(map(type, kinds)) <= {str} and set(kinds) <= _KINDS.keys()
        and set(map(type, confidences)) <= _NUMBER
        and type(kind) is str and kind in _KIND_VALUES
    ):
        return None
    chapters = _chapters(stored_chapters, len(texts))
    if chapters is None:
        return None
    article = Article(
        path=path, title=title, date=date, byline=byline, section=section, site=site,
        url=url, language=language, language_confidence=float(confidence),
        paragraphs=tuple(
            map(Paragraph, range(len(texts)), texts, map(_KINDS.__getitem__, kinds),
                languages, map(float, confidences))
        ),
        kind=_KIND_VALUES[kind],
        chapters=chapters,
    )
    object.__setattr__(article, "_word_count", words)
    return article


def _weight(key: str, entry: list[Any]) -> int:
    """What an entry counts against MAX_TOTAL_BYTES: the file's size, or for a file whose
    text is a small part of it (a PDF), the length of its paragraphs' text."""
    size: int = entry[0][0]
    if key.lower().endswith(_TEXT_INSIDE):
        record = entry[1]
        if type(record) is list and len(record) > 9 and type(record[9]) is list:
            return min(size, sum(len(t) for t in record[9] if type(t) is str))
    return size


class ListingMemo:
    """Parsed articles by (path, signature); see the module docstring."""

    def __init__(self, path: Path | None, options: object = None) -> None:
        self.path = path
        # As JSON gives it back (lists, not tuples), to compare with the stored one.
        self._key = json.loads(json.dumps(_code_key(options)))
        self._entries: dict[str, Any] = {}
        self._changed = False
        if path is None:
            return
        data = open_private(path, MAX_MEMO_BYTES)
        if data is None:
            return
        try:
            stored = json.loads(data)
        except (ValueError, RecursionError):  # not JSON (UnicodeDecodeError is a ValueError)
            return
        if type(stored) is dict and stored.get("key") == self._key:
            entries = stored.get("entries")
            if type(entries) is dict:
                self._entries = entries

    def get(self, path: Path, found: Signature) -> Article | None:
        entry = self._entries.get(os.path.abspath(path))
        if type(entry) is not list or len(entry) != 2 or entry[0] != list(found):
            return None
        return _article(path, entry[1])

    def put(self, path: Path, found: Signature, article: Article) -> None:
        if not article.ok:
            return
        key = os.path.abspath(path)
        self._entries.pop(key, None)  # the newest last: the oldest are dropped first
        self._entries[key] = [list(found), _record(article)]
        self._changed = True

    def save(self) -> None:
        """Write atomically (temporary file, then rename)."""
        if self.path is None or not self._changed:
            return
        kept: list[tuple[str, Any]] = []
        total = 0
        for key, entry in reversed(self._entries.items()):  # the newest first
            if type(entry) is not list or len(entry) != 2 or type(entry[0]) is not list \
                    or not entry[0] or type(entry[0][0]) is not int:
                continue  # a damaged entry read back: not written again
            total += _weight(key, entry)
            if len(kept) >= MAX_ENTRIES or total > MAX_TOTAL_BYTES:
                break
            kept.append((key, entry))
        entries = dict(reversed(kept))
        try:
            write_private(self.path, json.dumps({"key": self._key, "entries": entries}).encode())
            self._changed = False
        except (OSError, ValueError):
            log.debug("could not save the listing memo %s", self.path, exc_info=True)
