"""Articles parsed by an earlier listing, remembered by file signature in the cache folder.

Listing a library again re-reads every file, runs text hygiene, reflow and the paragraph
rules, and counts words (~0.4 s for 500 articles): what it finds is what it found last time
unless the file or the code changed. So each article a listing parses is kept in one
``marshal`` file (``listing.marshal``), under the file's path and signature — size,
modification and status-change times, inode and device, taken *before* the file is read, so
a file changed while it was being read is parsed again next time; files changed in the
last two seconds are not kept at all — and the next listing rebuilds the same
:class:`Article` from it.

The memo as a whole is keyed on what produced it: the reader's core modules (name, size,
modification time), the versions of langdetect, trafilatura and htmldate installed, Python's
version and the listing's options; any change empties it. Articles with an error are never
kept (a permission can change without the file changing), nor files over
``MAX_FILE_BYTES`` (a book would make every listing read it back); the newest articles are
kept up to ``MAX_ENTRIES`` and ``MAX_TOTAL_BYTES`` of files. An unreadable or damaged
memo is an empty one; one that cannot be written costs only time.
"""

from __future__ import annotations

import contextlib
import logging
import marshal
import os
import sys
import time
from operator import attrgetter
from pathlib import Path
from typing import Any

from reader import __version__
from reader.core.article import Article, Paragraph, ParagraphKind

log = logging.getLogger(__name__)

MAX_ENTRIES = 5000
MAX_FILE_BYTES = 512 * 1024
# The memo is read and written in one marshal call each, which holds Python's GIL (the
# window lists on a worker): the files it keeps add up to at most this many bytes (~30 ms).
MAX_TOTAL_BYTES = 16 * 1024 * 1024
# File times advance by the kernel's clock tick (a few ms), so a file rewritten with the same
# size within a tick of being read keeps its signature. As git does with "racily clean"
# files, a file changed less than this long ago is not remembered (it is parsed each time
# until it is older): any later change then gets later times.
SETTLED_NS = 2_000_000_000
# Bump when the stored layout changes.
_FORMAT = 2
# Libraries whose answers are in a parsed article (language, web-page extraction). lxml,
# jusText and lxml_html_clean too: without one of them, pages are read by our own parser,
# and installing it must not leave those answers in the memo.
_LIBRARIES = (
    "langdetect-", "trafilatura-", "htmldate-", "lxml-", "lxml_html_clean-", "jusText-",
    "justext-",
)

Signature = tuple[int, int, int, int, int]


def _code_key(options: object) -> list[object]:
    core = Path(__file__).parent
    modules = []
    with os.scandir(core) as entries:
        for entry in entries:
            if entry.name.endswith(".py"):
                info = entry.stat()
                modules.append((entry.name, info.st_size, info.st_mtime_ns))
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
    if info.st_size > MAX_FILE_BYTES:
        return None
    if time.time_ns() - max(info.st_mtime_ns, info.st_ctime_ns) < SETTLED_NS:
        return None
    return (info.st_size, info.st_mtime_ns, info.st_ctime_ns, info.st_ino, info.st_dev)


# A paragraph kind as stored (marshal takes plain strings only, not StrEnum members), and back.
_KIND_NAMES = {kind: kind.value for kind in ParagraphKind}
_KINDS = {kind.value: kind for kind in ParagraphKind}
_TEXT, _KIND = attrgetter("text"), attrgetter("kind")
_LANGUAGE, _CONFIDENCE = attrgetter("language"), attrgetter("language_confidence")


def _record(article: Article) -> tuple[object, ...]:
    # Column by column with map(): C-level passes, not a Python loop per paragraph.
    paragraphs = article.paragraphs
    return (
        article.title, article.date, article.byline, article.section, article.site,
        article.url, article.language, article.language_confidence, article.words,
        tuple(map(_TEXT, paragraphs)),
        tuple(map(_KIND_NAMES.__getitem__, map(_KIND, paragraphs))),
        tuple(map(_LANGUAGE, paragraphs)),
        tuple(map(_CONFIDENCE, paragraphs)),
    )


def _article(path: Path, record: tuple[Any, ...]) -> Article:
    (title, date, byline, section, site, url, language, confidence, words,
     texts, kinds, languages, confidences) = record
    if not len(texts) == len(kinds) == len(languages) == len(confidences):
        raise ValueError("damaged entry")
    article = Article(
        path=path, title=title, date=date, byline=byline, section=section, site=site,
        url=url, language=language, language_confidence=confidence,
        paragraphs=tuple(
            map(Paragraph, range(len(texts)), texts, map(_KINDS.__getitem__, kinds),
                languages, confidences)
        ),
    )
    object.__setattr__(article, "_word_count", words)
    return article


class ListingMemo:
    """Parsed articles by (path, signature); see the module docstring."""

    def __init__(self, path: Path | None, options: object = None) -> None:
        self.path = path
        self._key = _code_key(options)
        self._entries: dict[str, tuple[Signature, tuple[object, ...]]] = {}
        self._changed = False
        if path is None:
            return
        try:
            stored = marshal.loads(path.read_bytes())
            if isinstance(stored, tuple) and len(stored) == 2 and stored[0] == self._key:
                entries = stored[1]
                if isinstance(entries, dict):
                    self._entries = entries
        except (OSError, ValueError, EOFError, TypeError):
            self._entries = {}

    def get(self, path: Path, found: Signature) -> Article | None:
        try:
            entry = self._entries.get(os.path.abspath(path))
            if entry is None or entry[0] != found:
                return None
            return _article(path, entry[1])
        except (TypeError, ValueError, IndexError, KeyError):  # damaged: parsed again
            return None

    def put(self, path: Path, found: Signature, article: Article) -> None:
        if not article.ok:
            return
        key = os.path.abspath(path)
        self._entries.pop(key, None)  # the newest last: the oldest are dropped first
        self._entries[key] = (found, _record(article))
        self._changed = True

    def save(self) -> None:
        """Write atomically (temporary file, then rename)."""
        if self.path is None or not self._changed:
            return
        kept: list[tuple[str, tuple[Signature, tuple[object, ...]]]] = []
        total = 0
        for key, entry in reversed(self._entries.items()):  # the newest first
            total += entry[0][0]  # the file's size
            if len(kept) >= MAX_ENTRIES or total > MAX_TOTAL_BYTES:
                break
            kept.append((key, entry))
        entries = dict(reversed(kept))
        temp = self.path.with_name(f".{self.path.name}.{os.getpid()}.tmp")
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            temp.write_bytes(marshal.dumps((self._key, entries)))
            os.replace(temp, self.path)
            self._changed = False
        except (OSError, ValueError):
            log.debug("could not save the listing memo %s", self.path, exc_info=True)
            with contextlib.suppress(OSError):
                temp.unlink()
