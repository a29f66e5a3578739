"""The on-disk translation cache (SQLite, in ``$XDG_CACHE_HOME/bilingual-reader``).

Machine translations are keyed on everything that changes the output: the exact route
(every package and version of a pivot chain), the decoding settings, and a hash of the
normalized source paragraph. A model upgrade therefore never serves an old translation.

The reader's post-edits live in their own table, keyed on the language pair and the source
hash only: they survive model upgrades, re-translation and clearing machine entries.

Robustness: WAL and a busy timeout let two processes share the file; each write is one
transaction, so a killed process leaves whole rows or none. A file that is not a database is
set aside and rebuilt; a directory we cannot write degrades to an in-memory cache. Every such
event is one line in ``warnings`` (and the log); no cache trouble ever reaches the reader as
an exception.
"""

from __future__ import annotations

import json
import logging
import sqlite3
import threading
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path

from reader import paths
from reader.core.translation import SentencePair
from reader.private_files import RefusedFile, ensure_private_file, withdraw

log = logging.getLogger(__name__)

SCHEMA_VERSION = 2

# One list of statements per schema version; version N's list upgrades N-1 to N.
_MIGRATIONS: dict[int, list[str]] = {
    1: [
        """
        CREATE TABLE translations (
            route TEXT NOT NULL,
            decoding TEXT NOT NULL,
            source_hash TEXT NOT NULL,
            source_lang TEXT NOT NULL,
            target_lang TEXT NOT NULL,
            source_text TEXT NOT NULL,
            translation TEXT NOT NULL CHECK (length(trim(translation)) > 0),
            alignment TEXT NOT NULL,
            created REAL NOT NULL,
            PRIMARY KEY (route, decoding, source_hash)
        ) WITHOUT ROWID
        """,
        "CREATE INDEX translations_by_hash ON translations (source_hash)",
        """
        CREATE TABLE user_edits (
            source_lang TEXT NOT NULL,
            target_lang TEXT NOT NULL,
            source_hash TEXT NOT NULL,
            source_text TEXT NOT NULL,
            translation TEXT NOT NULL CHECK (length(trim(translation)) > 0),
            updated REAL NOT NULL,
            PRIMARY KEY (source_lang, target_lang, source_hash)
        ) WITHOUT ROWID
        """,
    ],
    # Version 2: a sentence memory, so a sentence that repeats across articles (a quote cited
    # by two papers) is translated once and reads the same everywhere.
    2: [
        """
        CREATE TABLE sentence_memory (
            route TEXT NOT NULL,
            decoding TEXT NOT NULL,
            source_hash TEXT NOT NULL,
            translation TEXT NOT NULL CHECK (length(trim(translation)) > 0),
            created REAL NOT NULL,
            PRIMARY KEY (route, decoding, source_hash)
        ) WITHOUT ROWID
        """,
    ],
}


@dataclass(frozen=True, slots=True)
class CachedTranslation:
    translation: str
    sentences: tuple[SentencePair, ...]


@dataclass(frozen=True, slots=True)
class UserEdit:
    translation: str
    updated: float


@dataclass(frozen=True, slots=True)
class SentenceEntry:
    """One sentence (or piece of an over-long one) of the sentence memory."""

    route: str
    decoding: str
    source_hash: str
    translation: str


@dataclass(frozen=True, slots=True)
class CacheEntry:
    """One machine translation as the cache will store it."""

    route: str
    decoding: str
    source_hash: str
    source_lang: str
    target_lang: str
    source_text: str
    translation: str
    sentences: tuple[SentencePair, ...]


@dataclass(slots=True)
class CacheStats:
    path: str
    entries: int
    user_edits: int
    size_bytes: int
    sentences: int = 0
    per_pair: dict[str, int] = field(default_factory=dict)
    in_memory: bool = False

    def to_json(self) -> dict[str, object]:
        return {
            "path": self.path,
            "entries": self.entries,
            "user_edits": self.user_edits,
            "sentences": self.sentences,
            "size_bytes": self.size_bytes,
            "per_pair": self.per_pair,
            "in_memory": self.in_memory,
        }


class TranslationCache:
    """Thread-safe: one connection guarded by a lock (the engine writes from a worker
    thread while the window reads)."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = path if path is not None else paths.translation_cache_path()
        self.warnings: list[str] = []
        self._lock = threading.RLock()
        self._writable = True
        self._conn = self._open()

    # -- opening -------------------------------------------------------------------------

    def _warn(self, message: str) -> None:
        log.warning(message)
        self.warnings.append(message)

    @property
    def in_memory(self) -> bool:
        return self._memory

    def _open(self) -> sqlite3.Connection:
        self._memory = False
        try:
            conn = self._connect(self.path)
        except RefusedFile as refused:
            withdraw(refused)  # said once, here, with what it means for the cache
            return self._fall_back_to_memory(str(refused))
        except _NewerSchema as newer:
            # Leave a newer version's cache untouched rather than "repair" it.
            return self._fall_back_to_memory(
                f"the cache {self.path} was written by a newer bilingual-reader "
                f"(schema {newer.version})"
            )
        except sqlite3.DatabaseError as error:
            if not _is_corruption(error):
                return self._fall_back_to_memory(f"cannot open the cache {self.path}: {error}")
            return self._rebuild(error)
        except OSError as error:
            return self._fall_back_to_memory(
                f"cannot use the cache folder {self.path.parent}: {error.strerror or error}"
            )
        return conn

    def _rebuild(self, error: sqlite3.DatabaseError) -> sqlite3.Connection:
        """Set a damaged cache file aside, start a new one, and carry the reader's post-edits
        over from the damaged file when SQLite can still read them."""
        aside = self._set_aside()
        try:
            conn = self._connect(self.path)
        except (sqlite3.Error, OSError) as second:
            return self._fall_back_to_memory(f"cannot rebuild the cache: {second}")
        saved = self._salvage_edits(conn, aside)
        kept = f"; your {saved} edited translations were kept" if saved else ""
        self._warn(
            f"the translation cache was damaged ({error}); moved it to {aside.name} and "
            f"started a new one{kept}"
        )
        return conn

    @staticmethod
    def _salvage_edits(conn: sqlite3.Connection, damaged: Path) -> int:
        try:
            conn.execute("ATTACH DATABASE ? AS damaged", (f"file:{damaged}?mode=ro",))
        except sqlite3.Error:
            return 0
        try:
            columns = ", ".join(
                row[1] for row in conn.execute("PRAGMA main.table_info(user_edits)")
            )
            cursor = conn.execute(
                f"INSERT OR IGNORE INTO main.user_edits ({columns}) "
                f"SELECT {columns} FROM damaged.user_edits"
            )
            return max(cursor.rowcount, 0)
        except sqlite3.Error:
            return 0  # the edits' own pages are damaged too: they stay in the set-aside file
        finally:
            with suppress(sqlite3.Error):
                conn.execute("DETACH DATABASE damaged")

    def _recover(self, error: sqlite3.Error) -> bool:
        """After a read or write found the file damaged mid-session: rebuild it now (caller
        holds the lock). True when there is a fresh connection to retry on."""
        if not isinstance(error, sqlite3.DatabaseError) or not _is_corruption(error):
            return False
        if self._memory or not self.path.exists():
            return False
        with suppress(sqlite3.Error):
            self._conn.close()
        try:
            self._conn = self._rebuild(error)
        except OSError as move_error:  # the damaged file could not be moved aside
            self._conn = self._fall_back_to_memory(
                f"the translation cache is damaged ({error}) and cannot be replaced "
                f"({move_error.strerror or move_error})"
            )
        self._writable = True
        return True

    def _fall_back_to_memory(self, reason: str) -> sqlite3.Connection:
        self._warn(f"{reason}; translations are kept in memory for this session only")
        self._memory = True
        conn = sqlite3.connect(":memory:", check_same_thread=False, isolation_level=None)
        self._migrate(conn)
        return conn

    def _connect(self, path: Path) -> sqlite3.Connection:
        # Made 0600 in a 0700 folder before SQLite opens it (its -wal and -shm files take
        # the database's mode); another user's or a shared file is refused (RefusedFile).
        ensure_private_file(path)
        conn = sqlite3.connect(
            str(path), timeout=10.0, check_same_thread=False, isolation_level=None
        )
        try:
            conn.execute("PRAGMA busy_timeout = 10000")
            # Reading the schema is what detects a file that is not a database.
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            if version > SCHEMA_VERSION:
                raise _NewerSchema(version)
            mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
            if str(mode).lower() != "wal":
                self._warn(f"the cache could not switch to WAL mode (got {mode})")
            conn.execute("PRAGMA synchronous = NORMAL")
            self._migrate(conn)
        except sqlite3.OperationalError as error:
            conn.close()
            if "readonly" in str(error) or "read-only" in str(error):
                raise OSError(0, "read-only") from error
            raise
        except BaseException:
            conn.close()
            raise
        return conn

    def _migrate(self, conn: sqlite3.Connection) -> None:
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        if version == SCHEMA_VERSION:
            return
        # BEGIN IMMEDIATE: two processes starting at once must not both migrate.
        conn.execute("BEGIN IMMEDIATE")
        try:
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            for target in range(version + 1, SCHEMA_VERSION + 1):
                for statement in _MIGRATIONS[target]:
                    conn.execute(statement)
            conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise

    def _set_aside(self) -> Path:
        stamp = time.strftime("%Y%m%d-%H%M%S")
        aside = self.path.with_name(f"{self.path.name}.corrupt-{stamp}")
        self.path.replace(aside)
        for suffix in ("-wal", "-shm"):
            companion = self.path.with_name(self.path.name + suffix)
            if companion.exists():
                companion.replace(aside.with_name(aside.name + suffix))
        return aside

    # -- guarded access --------------------------------------------------------------------

    @contextmanager
    def _reading(self) -> Iterator[sqlite3.Connection | None]:
        with self._lock:
            try:
                yield self._conn
            except sqlite3.Error as error:
                # A damaged file is rebuilt at once (this read is then a miss); any other
                # failure is one warning and a miss.
                if not self._recover(error):
                    self._warn(f"cache read failed: {error}")

    def _write(self, statements: Iterable[tuple[str, tuple[object, ...]]]) -> bool:
        """Run statements in one transaction. False (with a warning) if the disk refused.
        A file found damaged is rebuilt and the write tried once more."""
        statements = list(statements)
        with self._lock:
            written, error = self._write_once(statements)
            if error is not None and self._recover(error):
                written, error = self._write_once(statements)
            if error is None:
                return written
            self._writable = False
            self._warn(
                f"cannot write to the translation cache ({error}); new translations "
                "will not be kept"
            )
            return False

    def _write_once(
        self, statements: list[tuple[str, tuple[object, ...]]]
    ) -> tuple[bool, sqlite3.Error | None]:
        """(written, the error that should stop writing, if any)."""
        if not self._writable:
            return False, None
        conn = self._conn
        try:
            conn.execute("BEGIN IMMEDIATE")
            for sql, params in statements:
                conn.execute(sql, params)
            conn.execute("COMMIT")
            return True, None
        except sqlite3.Error as error:
            with suppress(sqlite3.Error):
                conn.execute("ROLLBACK")
            if isinstance(error, sqlite3.IntegrityError):
                # An empty translation reached the CHECK constraint: a bug upstream,
                # refused here so it can never be served.
                self._warn(f"refused to cache an invalid translation: {error}")
                return False, None
            return False, error

    # -- machine translations --------------------------------------------------------------

    def get_many(
        self, route: str, decoding: str, hashes: Iterable[str]
    ) -> dict[str, CachedTranslation]:
        wanted = list(dict.fromkeys(hashes))
        found: dict[str, CachedTranslation] = {}
        with self._reading() as conn:
            assert conn is not None
            for chunk in _chunks(wanted, 500):
                marks = ",".join("?" * len(chunk))
                rows = conn.execute(
                    "SELECT source_hash, translation, alignment FROM translations "
                    f"WHERE route = ? AND decoding = ? AND source_hash IN ({marks})",
                    (route, decoding, *chunk),
                ).fetchall()
                for source_hash, translation, alignment in rows:
                    found[source_hash] = CachedTranslation(translation, _load_pairs(alignment))
        return found

    def get_sentences(self, route: str, decoding: str, hashes: Iterable[str]) -> dict[str, str]:
        wanted = list(dict.fromkeys(hashes))
        found: dict[str, str] = {}
        with self._reading() as conn:
            assert conn is not None
            for chunk in _chunks(wanted, 500):
                marks = ",".join("?" * len(chunk))
                rows = conn.execute(
                    "SELECT source_hash, translation FROM sentence_memory "
                    f"WHERE route = ? AND decoding = ? AND source_hash IN ({marks})",
                    (route, decoding, *chunk),
                ).fetchall()
                found.update(rows)
        return found

    def put_many(
        self, entries: Iterable[CacheEntry], sentences: Iterable[SentenceEntry] = ()
    ) -> bool:
        """Store paragraphs and sentences in one transaction (all or nothing)."""
        now = time.time()
        statements: list[tuple[str, tuple[object, ...]]] = []
        for sentence in sentences:
            if sentence.translation.strip():
                statements.append(
                    (
                        "INSERT OR REPLACE INTO sentence_memory (route, decoding, source_hash, "
                        "translation, created) VALUES (?, ?, ?, ?, ?)",
                        (
                            sentence.route,
                            sentence.decoding,
                            sentence.source_hash,
                            sentence.translation,
                            now,
                        ),
                    )
                )
        for entry in entries:
            if not entry.translation.strip():
                continue  # never cache an empty result
            statements.append(
                (
                    "INSERT OR REPLACE INTO translations (route, decoding, source_hash, "
                    "source_lang, target_lang, source_text, translation, alignment, created) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (
                        entry.route,
                        entry.decoding,
                        entry.source_hash,
                        entry.source_lang,
                        entry.target_lang,
                        entry.source_text,
                        entry.translation,
                        json.dumps([p.to_json() for p in entry.sentences], ensure_ascii=False),
                        now,
                    ),
                )
            )
        if not statements:
            return True
        return self._write(statements)

    # -- user edits ---------------------------------------------------------------------------

    def get_edits(
        self, source_lang: str, target_lang: str, hashes: Iterable[str]
    ) -> dict[str, UserEdit]:
        wanted = list(dict.fromkeys(hashes))
        found: dict[str, UserEdit] = {}
        with self._reading() as conn:
            assert conn is not None
            for chunk in _chunks(wanted, 500):
                marks = ",".join("?" * len(chunk))
                rows = conn.execute(
                    "SELECT source_hash, translation, updated FROM user_edits "
                    f"WHERE source_lang = ? AND target_lang = ? AND source_hash IN ({marks})",
                    (source_lang, target_lang, *chunk),
                ).fetchall()
                for source_hash, translation, updated in rows:
                    found[source_hash] = UserEdit(translation, updated)
        return found

    def set_edit(
        self,
        source_lang: str,
        target_lang: str,
        source_hash: str,
        source_text: str,
        translation: str,
    ) -> bool:
        if not translation.strip():
            raise ValueError("an edit cannot be empty; revert to the machine translation instead")
        return self._write(
            [
                (
                    "INSERT OR REPLACE INTO user_edits (source_lang, target_lang, source_hash, "
                    "source_text, translation, updated) VALUES (?, ?, ?, ?, ?, ?)",
                    (source_lang, target_lang, source_hash, source_text, translation, time.time()),
                )
            ]
        )

    def delete_edit(self, source_lang: str, target_lang: str, source_hash: str) -> bool:
        return self._write(
            [
                (
                    "DELETE FROM user_edits WHERE source_lang = ? AND target_lang = ? "
                    "AND source_hash = ?",
                    (source_lang, target_lang, source_hash),
                )
            ]
        )

    def translations_for_target(self, target_lang: str) -> dict[str, str]:
        """Every cached translation into ``target_lang`` by source hash, post-edits winning
        (one query, for library search)."""
        found: dict[str, str] = {}
        with self._reading() as conn:
            assert conn is not None
            for source_hash, translation in conn.execute(
                "SELECT source_hash, translation FROM translations WHERE target_lang = ? "
                "ORDER BY created",
                (target_lang,),
            ):
                found[source_hash] = translation
            for source_hash, translation in conn.execute(
                "SELECT source_hash, translation FROM user_edits WHERE target_lang = ?",
                (target_lang,),
            ):
                found[source_hash] = translation
        return found

    # -- maintenance ------------------------------------------------------------------------

    def stats(self) -> CacheStats:
        entries = edits = sentences = 0
        per_pair: dict[str, int] = {}
        with self._reading() as conn:
            assert conn is not None
            entries = conn.execute("SELECT count(*) FROM translations").fetchone()[0]
            sentences = conn.execute("SELECT count(*) FROM sentence_memory").fetchone()[0]
            edits = conn.execute("SELECT count(*) FROM user_edits").fetchone()[0]
            for source, target, count in conn.execute(
                "SELECT source_lang, target_lang, count(*) FROM translations "
                "GROUP BY source_lang, target_lang ORDER BY source_lang, target_lang"
            ):
                per_pair[f"{source}_{target}"] = count
        size = 0
        if not self._memory:
            for suffix in ("", "-wal", "-shm"):
                companion = self.path.with_name(self.path.name + suffix)
                if companion.exists():
                    size += companion.stat().st_size
        return CacheStats(
            path=":memory:" if self._memory else str(self.path),
            entries=entries,
            user_edits=edits,
            sentences=sentences,
            size_bytes=size,
            per_pair=per_pair,
            in_memory=self._memory,
        )

    def clear(self, *, include_edits: bool = False) -> int:
        """Remove every machine translation (and, only if asked, every user edit)."""
        with self._lock:
            removed = self.stats().entries + (self.stats().user_edits if include_edits else 0)
            statements: list[tuple[str, tuple[object, ...]]] = [
                ("DELETE FROM translations", ()),
                ("DELETE FROM sentence_memory", ()),
            ]
            if include_edits:
                statements.append(("DELETE FROM user_edits", ()))
            if not self._write(statements):
                return 0
            if not self._memory:
                try:
                    self._conn.execute("VACUUM")
                except sqlite3.Error as error:
                    self._warn(f"could not compact the cache: {error}")
            return removed

    def clear_hashes(self, hashes: Iterable[str], *, include_edits: bool = False) -> int:
        """Remove the translations of these source paragraphs and sentences, for every route
        (``engine.article_cache_hashes`` gives an article's). Returns paragraphs removed."""
        wanted = list(dict.fromkeys(hashes))
        removed = 0
        with self._lock:
            for chunk in _chunks(wanted, 500):
                marks = ",".join("?" * len(chunk))
                with self._reading() as conn:
                    assert conn is not None
                    removed += conn.execute(
                        f"SELECT count(*) FROM translations WHERE source_hash IN ({marks})",
                        tuple(chunk),
                    ).fetchone()[0]
                statements: list[tuple[str, tuple[object, ...]]] = [
                    (f"DELETE FROM translations WHERE source_hash IN ({marks})", tuple(chunk)),
                    (f"DELETE FROM sentence_memory WHERE source_hash IN ({marks})", tuple(chunk)),
                ]
                if include_edits:
                    statements.append(
                        (f"DELETE FROM user_edits WHERE source_hash IN ({marks})", tuple(chunk))
                    )
                if not self._write(statements):
                    return 0
        return removed

    def integrity_ok(self) -> bool:
        with self._reading() as conn:
            assert conn is not None
            return conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        return False

    def close(self) -> None:
        with self._lock, suppress(sqlite3.Error):
            self._conn.close()


class _NewerSchema(Exception):
    def __init__(self, version: int) -> None:
        super().__init__(version)
        self.version = version


def _is_corruption(error: sqlite3.DatabaseError) -> bool:
    text = str(error).lower()
    return "not a database" in text or "malformed" in text or "corrupt" in text


def _load_pairs(alignment: str) -> tuple[SentencePair, ...]:
    try:
        return tuple(SentencePair.from_json(item) for item in json.loads(alignment))
    except (ValueError, KeyError, TypeError):
        return ()


def _chunks(items: list[str], size: int) -> Iterator[list[str]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]
