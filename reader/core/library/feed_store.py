"""The feeds the reader follows and the items already taken from them, in one SQLite file.

``$XDG_DATA_HOME/bilingual-reader/feeds.sqlite3`` (0600, in a 0700 folder, through
:mod:`reader.private_files`): each feed with its title and the validators of its last answer
(ETag, Last-Modified) for the next conditional GET; each item by its key within its feed
(the entry's id/guid, else its link), so an item is never added twice, with the library
file it became. Removing a feed forgets its items; their articles stay in the library.
"""

from __future__ import annotations

import datetime as _dt
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from reader import paths
from reader.private_files import RefusedFile, ensure_private_file

MAX_FEEDS = 1000  # an OPML file of a whole aggregator's worth is refused past this

_SCHEMA = """
CREATE TABLE IF NOT EXISTS feeds (
    url TEXT PRIMARY KEY,
    title TEXT NOT NULL DEFAULT '',
    etag TEXT,
    modified TEXT,
    added TEXT NOT NULL,
    checked TEXT,
    error TEXT
);
CREATE TABLE IF NOT EXISTS items (
    feed TEXT NOT NULL REFERENCES feeds(url) ON DELETE CASCADE,
    key TEXT NOT NULL,
    link TEXT,
    title TEXT NOT NULL DEFAULT '',
    path TEXT NOT NULL,
    source TEXT NOT NULL,
    added TEXT NOT NULL,
    PRIMARY KEY (feed, key)
);
"""


class FeedStoreError(Exception):
    """The feeds file cannot be used; ``str()`` is one line."""


@dataclass(frozen=True, slots=True)
class Feed:
    url: str
    title: str
    etag: str | None
    modified: str | None
    added: str
    checked: str | None  # when it was last refreshed (UTC, ISO 8601)
    error: str | None  # the last refresh's failure, or None

    @property
    def name(self) -> str:
        return self.title or self.url


@dataclass(frozen=True, slots=True)
class FeedItem:
    feed: str
    key: str
    link: str | None
    title: str
    path: Path  # the library article
    source: str  # "page": the linked page; "feed": the feed's own content
    added: str


def feeds_path() -> Path:
    return paths.data_home() / paths.APP_NAME / "feeds.sqlite3"


def now() -> str:
    return _dt.datetime.now(_dt.UTC).replace(microsecond=0).isoformat()


class FeedStore:
    """One connection per call (short transactions: the CLI and the window's worker may
    both use the file)."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = path or feeds_path()

    @contextmanager
    def _db(self) -> Iterator[sqlite3.Connection]:
        try:
            ensure_private_file(self.path)
            db = sqlite3.connect(self.path, timeout=10)
        except RefusedFile as refused:
            raise FeedStoreError(str(refused)) from None
        except (OSError, sqlite3.Error) as error:
            raise FeedStoreError(f"cannot open the feeds file {self.path}: {error}") from None
        try:
            db.execute("PRAGMA foreign_keys = ON")
            db.executescript(_SCHEMA)
            with db:
                yield db
        except sqlite3.DatabaseError as error:
            raise FeedStoreError(f"the feeds file {self.path} is unusable: {error}") from None
        finally:
            db.close()

    # -- feeds --------------------------------------------------------------------------------

    def feeds(self) -> list[Feed]:
        if not self.path.exists():  # nothing followed yet: no file made just to say so
            return []
        with self._db() as db:
            rows = db.execute("SELECT url, title, etag, modified, added, checked, error "
                              "FROM feeds ORDER BY added, url").fetchall()
        return [Feed(*row) for row in rows]

    def feed(self, url: str) -> Feed | None:
        if not self.path.exists():
            return None
        with self._db() as db:
            row = db.execute("SELECT url, title, etag, modified, added, checked, error "
                             "FROM feeds WHERE url = ?", (url,)).fetchone()
        return Feed(*row) if row else None

    def add(self, url: str, title: str = "") -> bool:
        """Follow ``url``; False when it was followed already."""
        with self._db() as db:
            (count,) = db.execute("SELECT COUNT(*) FROM feeds").fetchone()
            if db.execute("SELECT 1 FROM feeds WHERE url = ?", (url,)).fetchone():
                return False
            if count >= MAX_FEEDS:
                raise FeedStoreError(f"too many feeds (at most {MAX_FEEDS})")
            db.execute("INSERT INTO feeds (url, title, added) VALUES (?, ?, ?)",
                       (url, title, now()))
        return True

    def remove(self, url: str) -> bool:
        with self._db() as db:
            db.execute("DELETE FROM items WHERE feed = ?", (url,))
            return db.execute("DELETE FROM feeds WHERE url = ?", (url,)).rowcount > 0

    def checked(self, url: str, *, title: str | None = None, etag: str | None = None,
                modified: str | None = None, error: str | None = None) -> None:
        """Record a refresh: its validators and title on success, its one line on failure
        (the validators are kept then: the next refresh may still get a 304)."""
        with self._db() as db:
            if error is not None:
                db.execute("UPDATE feeds SET checked = ?, error = ? WHERE url = ?",
                           (now(), error, url))
                return
            db.execute(
                "UPDATE feeds SET checked = ?, error = NULL, etag = ?, modified = ?, "
                "title = CASE WHEN ? != '' THEN ? ELSE title END WHERE url = ?",
                (now(), etag, modified, title or "", title or "", url),
            )

    # -- items --------------------------------------------------------------------------------

    def known_keys(self, url: str) -> set[str]:
        with self._db() as db:
            return {key for (key,) in db.execute("SELECT key FROM items WHERE feed = ?", (url,))}

    def add_item(self, item: FeedItem) -> None:
        with self._db() as db:
            db.execute(
                "INSERT OR IGNORE INTO items (feed, key, link, title, path, source, added) "
                "VALUES (?, ?, ?, ?, ?, ?, ?)",
                (item.feed, item.key, item.link, item.title, str(item.path), item.source,
                 item.added),
            )

    def items(self, url: str | None = None) -> list[FeedItem]:
        """Items newest first (of one feed, or of all)."""
        query = "SELECT feed, key, link, title, path, source, added FROM items"
        arguments: tuple[str, ...] = ()
        if not self.path.exists():
            return []
        if url is not None:
            query += " WHERE feed = ?"
            arguments = (url,)
        with self._db() as db:
            rows = db.execute(query + " ORDER BY added DESC, rowid DESC", arguments).fetchall()
        return [FeedItem(feed, key, link, title, Path(path), source, added)
                for feed, key, link, title, path, source, added in rows]
