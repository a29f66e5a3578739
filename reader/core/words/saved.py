"""Saved words: the reader's own word list, in SQLite (``words.sqlite3``, 0600, in the app's
data folder beside the library: unlike the translation cache it is not disposable).

Each word keeps what a flash card needs: the word as read, its lemma, the sentence it was
read in and that sentence's translation, the aligned target word (empty when no alignment
is known), the dictionary meaning, and the article (path, title, paragraph) to jump back
to. Saving the same word from the same sentence of the same article again updates it.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterator
from contextlib import closing, contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path

from reader import paths
from reader.private_files import RefusedFile, ensure_private_file, withdraw

_SCHEMA = """
CREATE TABLE IF NOT EXISTS words (
    id INTEGER PRIMARY KEY,
    word TEXT NOT NULL,
    lemma TEXT NOT NULL DEFAULT '',
    language TEXT NOT NULL DEFAULT '',
    sentence TEXT NOT NULL DEFAULT '',
    translation TEXT NOT NULL DEFAULT '',
    target_word TEXT NOT NULL DEFAULT '',
    target_language TEXT NOT NULL DEFAULT '',
    meaning TEXT NOT NULL DEFAULT '',
    article_path TEXT NOT NULL DEFAULT '',
    article_title TEXT NOT NULL DEFAULT '',
    paragraph INTEGER NOT NULL DEFAULT -1,
    position INTEGER NOT NULL DEFAULT -1,
    added REAL NOT NULL,
    UNIQUE (word, sentence, article_path)
)
"""


class WordsError(Exception):
    """The word list cannot be read or written (one line, naming the file)."""


def words_path() -> Path:
    return paths.data_home() / paths.APP_NAME / "words.sqlite3"


@dataclass(frozen=True, slots=True)
class SavedWord:
    word: str
    lemma: str = ""
    language: str = ""
    sentence: str = ""
    translation: str = ""
    target_word: str = ""
    target_language: str = ""
    meaning: str = ""
    article_path: str = ""
    article_title: str = ""
    paragraph: int = -1
    position: int = -1  # the word's offset in the sentence (-1: unknown)
    added: float = 0.0
    id: int = 0

    def as_json(self) -> dict[str, object]:
        return asdict(self)


_COLUMNS = [
    "word", "lemma", "language", "sentence", "translation", "target_word", "target_language",
    "meaning", "article_path", "article_title", "paragraph", "position", "added",
]


class SavedWords:
    """The saved words. One short-lived connection per call: the window and the CLI may use
    the same file at once (SQLite's locking keeps them apart)."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = path or words_path()

    @contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        try:
            ensure_private_file(self.path)  # 0600 before SQLite writes it
        except RefusedFile as refused:
            withdraw(refused)  # said here, once, in the caller's words
            raise WordsError(str(refused).removeprefix("ignored ")) from None
        try:
            with closing(sqlite3.connect(self.path, timeout=5)) as conn:
                conn.execute(_SCHEMA)
                with conn:
                    yield conn
        except sqlite3.DatabaseError as error:
            raise WordsError(f"{self.path}: {error} (move it away to start a new list; "
                             "nothing was changed)") from None

    def add(self, word: SavedWord) -> SavedWord:
        """Store ``word`` (or update the one saved from the same sentence and article)."""
        if not word.word.strip():
            raise ValueError("no word to save")
        values = asdict(word)
        values["added"] = word.added or time.time()
        values["word"] = word.word.strip()
        with self._connect() as conn:
            conn.execute(
                f"INSERT INTO words ({', '.join(_COLUMNS)}) "
                f"VALUES ({', '.join('?' for _ in _COLUMNS)}) "
                "ON CONFLICT (word, sentence, article_path) DO UPDATE SET "
                + ", ".join(f"{c} = excluded.{c}" for c in _COLUMNS if c != "added"),
                [values[c] for c in _COLUMNS],
            )
            row = conn.execute(
                "SELECT id FROM words WHERE word = ? AND sentence = ? AND article_path = ?",
                (values["word"], word.sentence, word.article_path),
            ).fetchone()
        values["id"] = row[0]
        return SavedWord(**values)

    def list(self, contains: str = "") -> list[SavedWord]:
        """The saved words, newest first; with ``contains``, those whose word, lemma,
        sentence or translation contains it (case-insensitively)."""
        if not self.path.exists():
            return []
        query = f"SELECT {', '.join(_COLUMNS)}, id FROM words"
        arguments: list[str] = []
        if contains.strip():
            needle = f"%{contains.strip().lower()}%"
            query += (" WHERE lower(word) LIKE ? OR lower(lemma) LIKE ? "
                      "OR lower(sentence) LIKE ? OR lower(translation) LIKE ?")
            arguments = [needle] * 4
        with self._connect() as conn:
            rows = conn.execute(query + " ORDER BY added DESC, id DESC", arguments).fetchall()
        return [SavedWord(*row) for row in rows]

    def delete(self, ids: list[int]) -> int:
        if not ids or not self.path.exists():
            return 0
        with self._connect() as conn:
            cursor = conn.executemany("DELETE FROM words WHERE id = ?", [(i,) for i in ids])
            return cursor.rowcount if cursor.rowcount >= 0 else len(ids)
