"""The glossary on disk: ``$XDG_DATA_HOME/bilingual-reader/glossary.sqlite3`` (0600 in a 0700
folder), beside the reader's library, never in the cache folder: clearing the cache never
clears it. One table; each entry is unique on its source term (case-insensitive), language
pair and scope. CSV/TSV import and export (columns ``source,target,from,to,article``; an
empty target is a kept term)."""

from __future__ import annotations

import csv
import io
import logging
import sqlite3
import threading
import time
from collections.abc import Iterable
from pathlib import Path

from reader.core.glossary.terms import ANY, Entry, Matcher
from reader.paths import APP_NAME, data_home
from reader.private_files import ensure_private_file

log = logging.getLogger(__name__)

_SCHEMA = """
CREATE TABLE IF NOT EXISTS glossary (
    source TEXT NOT NULL,
    source_key TEXT NOT NULL,
    target TEXT,
    from_code TEXT NOT NULL,
    to_code TEXT NOT NULL,
    scope TEXT NOT NULL,
    updated REAL NOT NULL,
    PRIMARY KEY (source_key, from_code, to_code, scope)
)
"""
COLUMNS = ("source", "target", "from", "to", "article")
MAX_TERM = 200  # characters: a glossary term is a word or a short phrase


class GlossaryError(ValueError):
    """A bad entry or file (one line: why)."""


def article_scope(path: Path | str) -> str:
    """How an entry names its article: the absolute path."""
    return str(Path(path).expanduser().resolve())


def glossary_path() -> Path:
    return data_home() / APP_NAME / "glossary.sqlite3"


def _clean(text: str, what: str) -> str:
    text = " ".join(text.split())
    if not text:
        raise GlossaryError(f"the {what} term is empty")
    if len(text) > MAX_TERM:
        raise GlossaryError(f"the {what} term is longer than {MAX_TERM} characters")
    if not any(ch.isalnum() for ch in text):
        raise GlossaryError(f"the {what} term {text!r} has no letter or digit")
    return text


def make_entry(
    source: str, target: str | None, from_code: str = ANY, to_code: str = ANY,
    scope: str = "",
) -> Entry:
    """A checked entry (``GlossaryError`` when it cannot be one)."""
    return Entry(
        _clean(source, "source"),
        None if target is None or not target.strip() else _clean(target, "target"),
        (from_code or ANY).strip().lower(),
        (to_code or ANY).strip().lower(),
        scope,
    )


class GlossaryStore:
    """Thread-safe (one connection under a lock). ``path=None``: the user's file;
    ``":memory:"`` for a throw-away store."""

    def __init__(self, path: Path | str | None = None) -> None:
        self.path = glossary_path() if path is None else path
        self._lock = threading.Lock()
        self._version = 0
        self._conn: sqlite3.Connection | None = None

    def _db(self) -> sqlite3.Connection:
        """The connection, opened on first use, by whichever thread uses the store first
        (the window's are workers: the file may be held by another program, and SQLite
        waits up to 5 s for it). Raises OSError or sqlite3.Error. Call with the lock held."""
        if self._conn is None:
            if str(self.path) != ":memory:":
                ensure_private_file(Path(self.path))
            conn = sqlite3.connect(str(self.path), check_same_thread=False, timeout=5)
            try:
                with conn:
                    conn.execute(_SCHEMA)
            except sqlite3.Error:
                conn.close()
                raise
            self._conn = conn
        return self._conn

    @property
    def version(self) -> int:
        """Grows with each change made through this store (the window re-reads on change)."""
        return self._version

    def close(self) -> None:
        with self._lock:
            if self._conn is not None:
                self._conn.close()
                self._conn = None

    def entries(self) -> list[Entry]:
        with self._lock:
            rows = self._db().execute(
                "SELECT source, target, from_code, to_code, scope FROM glossary "
                "ORDER BY source_key, from_code, to_code, scope"
            ).fetchall()
        return [Entry(*row) for row in rows]

    def matcher(self, from_code: str, to_code: str, scope: str | None = None) -> Matcher:
        return Matcher(
            [e for e in self.entries() if e.applies(from_code, to_code, scope)],
            from_code, to_code,
        )

    def add(self, entry: Entry) -> bool:
        """Store ``entry`` (replacing the one with the same term, pair and scope); True when
        it is new or changed."""
        return self.add_many([entry]) > 0

    def add_many(self, entries: Iterable[Entry]) -> int:
        """Store each entry; how many were new or changed."""
        now = time.time()
        changed = 0
        with self._lock:
            conn = self._db()
            with conn:
                for e in entries:
                    key = (e.source.lower(), e.from_code, e.to_code, e.scope)
                    old = conn.execute(
                        "SELECT source, target FROM glossary WHERE source_key=? AND "
                        "from_code=? AND to_code=? AND scope=?", key,
                    ).fetchone()
                    if old == (e.source, e.target):
                        continue
                    conn.execute(
                        "INSERT OR REPLACE INTO glossary VALUES (?, ?, ?, ?, ?, ?, ?)",
                        (e.source, key[0], e.target, e.from_code, e.to_code, e.scope, now),
                    )
                    changed += 1
        self._version += bool(changed)
        return changed

    def remove(self, source: str, from_code: str | None = None, to_code: str | None = None,
               scope: str | None = None) -> list[Entry]:
        """Remove the entries for ``source`` (all pairs and scopes unless narrowed); the
        entries removed."""
        gone = [
            e for e in self.entries()
            if e.source.lower() == " ".join(source.split()).lower()
            and (from_code is None or e.from_code == from_code)
            and (to_code is None or e.to_code == to_code)
            and (scope is None or e.scope == scope)
        ]
        with self._lock:
            conn = self._db()
            with conn:
                for e in gone:
                    conn.execute(
                        "DELETE FROM glossary WHERE source_key=? AND from_code=? AND "
                        "to_code=? AND scope=?",
                        (e.source.lower(), e.from_code, e.to_code, e.scope),
                    )
        self._version += bool(gone)
        return gone


def open_user_glossary() -> GlossaryStore | None:
    """The user's glossary when there is one (translating never creates the file), else
    None. Nothing is read here: the file is opened on first use, on the thread that uses
    it; one that cannot be used then is treated as no glossary by the engine (logged)."""
    path = glossary_path()
    return GlossaryStore(path) if path.exists() else None


def read_table(text: str, name: str = "file") -> list[Entry]:
    """Entries from CSV or TSV text (the delimiter is whatever the first line uses). A
    header line naming ``source`` is skipped; rows are ``source,target[,from,to[,article]]``.
    ``GlossaryError`` names the first bad line."""
    lines = text.splitlines()
    if not lines:
        return []
    delimiter = "\t" if "\t" in lines[0] else ","
    entries: list[Entry] = []
    for number, row in enumerate(csv.reader(io.StringIO(text), delimiter=delimiter), 1):
        if not row or not any(cell.strip() for cell in row):
            continue
        if number == 1 and row[0].strip().lower() == "source":
            continue
        cells = [cell.strip() for cell in row] + [""] * 5
        try:
            entries.append(make_entry(cells[0], cells[1] or None, cells[2] or ANY,
                                      cells[3] or ANY, cells[4]))
        except GlossaryError as error:
            raise GlossaryError(f"{name}, line {number}: {error}") from None
    return entries


def write_table(entries: Iterable[Entry]) -> str:
    """CSV text with a header (what ``read_table`` reads back)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    for e in entries:
        writer.writerow([e.source, e.target or "", e.from_code, e.to_code, e.scope])
    return out.getvalue()


__all__ = [
    "GlossaryError",
    "GlossaryStore",
    "article_scope",
    "glossary_path",
    "make_entry",
    "open_user_glossary",
    "read_table",
    "write_table",
]
