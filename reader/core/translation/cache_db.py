"""The translation cache's file: opening, the schema and its migrations, recovery from a
damaged or unwritable file, and writes that wait out another process's transaction.

What is stored and read is :mod:`reader.core.translation.cache`'s business; this module only
keeps one healthy connection (or an in-memory one) and reports each trouble as one line in
``warnings``, never as an exception.
"""

from __future__ import annotations

import logging
import sqlite3
import threading
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

from reader import paths
from reader.private_files import RefusedFile, ensure_private_file, withdraw

log = logging.getLogger("reader.core.translation.cache")  # one logger for the cache

SCHEMA_VERSION = 3

# How long a write waits for another process's write transaction to end, in all. Every try
# waits at most BUSY_TRY_MS inside SQLite with the cache's lock held; between tries the lock
# is free, so a read on the GUI thread waits one try at most.
WRITE_WAIT_S = 3.0
BUSY_TRY_MS = 50
_RETRY_PAUSE_S = 0.05

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
    # Version 3: word links (issue #24), one row per sentence pair, made the first time
    # words are asked for (a translation cached before has none until then). Keyed on the
    # route and the exact sentence texts (``alignment.pair_key``); ``source_hash`` is the
    # source sentence's, so clearing an article's translations clears its links.
    3: [
        """
        CREATE TABLE word_links (
            route TEXT NOT NULL,
            pair_key TEXT NOT NULL,
            source_hash TEXT NOT NULL,
            links TEXT NOT NULL,
            created REAL NOT NULL,
            PRIMARY KEY (route, pair_key)
        ) WITHOUT ROWID
        """,
        "CREATE INDEX word_links_by_hash ON word_links (source_hash)",
    ],
}




class CacheDatabase:
    """One SQLite connection guarded by a lock (the engine writes from a worker thread while
    the window reads), with the file's troubles handled. ``write_wait``: how long, in all, a
    write waits for another process's write transaction (see ``WRITE_WAIT_S``)."""

    def __init__(self, path: Path | None, *, write_wait: float) -> None:
        self.path = path if path is not None else paths.translation_cache_path()
        self.warnings: list[str] = []
        self.write_wait = write_wait
        # Why the last write failed ("" after a write that succeeded).
        self.last_error = ""
        self._lock = threading.RLock()
        self._failing = False  # the last write failed: machine writes do not wait meanwhile
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
        return True

    def _fall_back_to_memory(self, reason: str) -> sqlite3.Connection:
        self._warn(f"{reason}; translations are kept in memory for this session only")
        self._memory = True
        conn = sqlite3.connect(":memory:", check_same_thread=False, isolation_level=None)
        self._migrate(conn)
        return conn

    def _connect(self, path: Path) -> sqlite3.Connection:
        # Opening may wait the whole bound: two processes starting at once take turns to
        # switch to WAL and migrate. Later tries wait BUSY_TRY_MS each (see _write_counts).
        opening_ms = max(BUSY_TRY_MS, int(self.write_wait * 1000))
        # Made 0600 in a 0700 folder before SQLite opens it (its -wal and -shm files take
        # the database's mode); another user's or a shared file is refused (RefusedFile).
        ensure_private_file(path)
        conn = sqlite3.connect(
            str(path), timeout=opening_ms / 1000, check_same_thread=False,
            isolation_level=None,
        )
        try:
            # Reading the schema is what detects a file that is not a database.
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            if version > SCHEMA_VERSION:
                raise _NewerSchema(version)
            mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
            if str(mode).lower() != "wal":
                self._warn(f"the cache could not switch to WAL mode (got {mode})")
            conn.execute("PRAGMA synchronous = NORMAL")
            self._migrate(conn)
            conn.execute(f"PRAGMA busy_timeout = {BUSY_TRY_MS}")
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

    def _write(
        self, statements: Iterable[tuple[str, tuple[object, ...]]], *, wait: bool = True
    ) -> bool:
        return self._write_counts(statements, wait=wait) is not None

    def _write_counts(
        self, statements: Iterable[tuple[str, tuple[object, ...]]], *, wait: bool = True
    ) -> list[int] | None:
        """Run statements in one transaction; their row counts, or None (with a warning and
        ``last_error``) when it could not be written. A busy file is tried again until
        ``write_wait`` has passed (``wait=False``: once). A file found damaged is rebuilt and
        the write tried once more."""
        statements = list(statements)
        deadline = time.monotonic() + (self.write_wait if wait else 0.0)
        recovered = False
        while True:
            with self._lock:
                counts, error = self._write_once(statements)
                if error is not None and not recovered and self._recover(error):
                    recovered = True
                    counts, error = self._write_once(statements)
                if error is None:
                    if self._failing:
                        log.info("the translation cache is written again")
                    self._failing = False
                    self.last_error = ""
                    return counts
                if _is_busy(error) and time.monotonic() < deadline:
                    pass  # try again below, with the lock free meanwhile
                else:
                    return self._failed(error)
            time.sleep(_RETRY_PAUSE_S)

    def _failed(self, error: sqlite3.Error | None) -> None:
        if error is None:  # refused by a constraint (warned already)
            return None
        busy = _is_busy(error)
        self.last_error = (
            "the translation cache is locked by another program" if busy
            else f"cannot write to the translation cache ({error})"
        )
        if not self._failing:  # one warning per run of failures, not one per write
            self._warn(f"{self.last_error}; nothing is lost, the next write tries again")
        self._failing = True
        return None

    def _write_once(
        self, statements: list[tuple[str, tuple[object, ...]]]
    ) -> tuple[list[int] | None, sqlite3.Error | None]:
        """(row counts or None, the error that stopped the write, if any)."""
        conn = self._conn
        try:
            conn.execute("BEGIN IMMEDIATE")
            counts = [max(conn.execute(sql, params).rowcount, 0) for sql, params in statements]
            conn.execute("COMMIT")
            return counts, None
        except sqlite3.Error as error:
            with suppress(sqlite3.Error):
                conn.execute("ROLLBACK")
            if isinstance(error, sqlite3.IntegrityError):
                # An empty translation reached the CHECK constraint: a bug upstream,
                # refused here so it can never be served.
                self._warn(f"refused to cache an invalid translation: {error}")
                return None, None
            return None, error

    # -- machine translations --------------------------------------------------------------

    def close(self) -> None:
        with self._lock, suppress(sqlite3.Error):
            self._conn.close()


class _NewerSchema(Exception):
    def __init__(self, version: int) -> None:
        super().__init__(version)
        self.version = version


def _is_busy(error: sqlite3.Error) -> bool:
    text = str(error).lower()
    return "locked" in text or "busy" in text


def _is_corruption(error: sqlite3.DatabaseError) -> bool:
    text = str(error).lower()
    return "not a database" in text or "malformed" in text or "corrupt" in text

