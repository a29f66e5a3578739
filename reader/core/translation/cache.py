"""The on-disk translation cache (SQLite, in ``$XDG_CACHE_HOME/bilingual-reader``).

Machine translations are keyed on everything that changes the output: the exact route
(every package and version of a pivot chain), the decoding settings, and a hash of the
normalized source paragraph. A model upgrade therefore never serves an old translation.

The reader's post-edits live in their own table, keyed on the language pair and the source
hash only: they survive model upgrades, re-translation and clearing machine entries.

Robustness: WAL lets two processes share the file; each write is one transaction, so a
killed process leaves whole rows or none. A write that finds the file busy (another process
in a write transaction) tries again for up to ``WRITE_WAIT_S``, releasing the cache's lock
between tries so that readers on other threads never wait that long; a write that still fails
is reported (False), never silently dropped, and never stops later writes. A post-edit that
could not be written is kept in memory, shown as not saved yet (``UserEdit.saved``), and
written with the next edit or by :meth:`TranslationCache.retry_unsaved`.

A file that is not a database is set aside and rebuilt; a directory we cannot write degrades
to an in-memory cache. Every such event is one line in ``warnings`` (and the log); no cache
trouble ever reaches the reader as an exception.
"""

from __future__ import annotations

import json
import sqlite3
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from reader.core.translation.cache_db import WRITE_WAIT_S, CacheDatabase
from reader.core.translation.results import SentencePair


@dataclass(frozen=True, slots=True)
class CachedTranslation:
    translation: str
    sentences: tuple[SentencePair, ...]


@dataclass(frozen=True, slots=True)
class UserEdit:
    translation: str
    updated: float
    # False: kept in memory only, because the last try to write it failed.
    saved: bool = True


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


class CacheWriteError(Exception):
    """A write the caller must not report as done (one line: why)."""


_EditKey = tuple[str, str, str]  # source language, target language, source hash


@dataclass(slots=True)
class _UnsavedEdit:
    source_text: str
    translation: str | None  # None: a revert (delete) still to write
    updated: float


class TranslationCache(CacheDatabase):
    """Thread-safe: one connection guarded by a lock (the engine writes from a worker
    thread while the window reads)."""

    def __init__(self, path: Path | None = None, *, write_wait: float | None = None) -> None:
        self._unsaved: dict[_EditKey, _UnsavedEdit] = {}
        super().__init__(path, write_wait=WRITE_WAIT_S if write_wait is None else write_wait)


    def get_many(
        self, route: str, decoding: str, hashes: Iterable[str]
    ) -> dict[str, CachedTranslation]:
        rows = self._select_in(
            "SELECT source_hash, translation, alignment FROM translations "
            "WHERE route = ? AND decoding = ? AND source_hash IN ({marks})",
            (route, decoding), hashes,
        )
        return {
            source_hash: CachedTranslation(translation, _load_pairs(alignment))
            for source_hash, translation, alignment in rows
        }

    def get_sentences(self, route: str, decoding: str, hashes: Iterable[str]) -> dict[str, str]:
        return dict(self._select_in(
            "SELECT source_hash, translation FROM sentence_memory "
            "WHERE route = ? AND decoding = ? AND source_hash IN ({marks})",
            (route, decoding), hashes,
        ))

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
        # Machine text can be made again: while writes fail, it does not wait for the file
        # (a locked cache must not slow translation down), but every batch still tries.
        return self._write(statements, wait=not self._failing)

    # -- user edits ---------------------------------------------------------------------------

    def get_edits(
        self, source_lang: str, target_lang: str, hashes: Iterable[str]
    ) -> dict[str, UserEdit]:
        """The stored edits, with those not written yet (``saved=False``) over them."""
        wanted = list(dict.fromkeys(hashes))
        found = {
            source_hash: UserEdit(translation, updated)
            for source_hash, translation, updated in self._select_in(
                "SELECT source_hash, translation, updated FROM user_edits "
                "WHERE source_lang = ? AND target_lang = ? AND source_hash IN ({marks})",
                (source_lang, target_lang), wanted,
            )
        }
        with self._lock:
            unsaved = dict(self._unsaved)
        if unsaved:
            for source_hash in wanted:
                pending = unsaved.get((source_lang, target_lang, source_hash))
                if pending is None:
                    continue
                if pending.translation is None:
                    found.pop(source_hash, None)
                else:
                    found[source_hash] = UserEdit(pending.translation, pending.updated, False)
        return found

    def set_edit(
        self,
        source_lang: str,
        target_lang: str,
        source_hash: str,
        source_text: str,
        translation: str,
    ) -> bool:
        """Store the reader's translation. True once committed; False when the file could
        not be written within ``write_wait`` (``last_error`` says why): the edit is then
        kept in memory (``get_edits`` serves it, unsaved) and written with the next edit or
        :meth:`retry_unsaved`."""
        if not translation.strip():
            raise ValueError("an edit cannot be empty; revert to the machine translation instead")
        return self._change_edit(
            (source_lang, target_lang, source_hash),
            _UnsavedEdit(source_text, translation, time.time()),
        )

    def delete_edit(self, source_lang: str, target_lang: str, source_hash: str) -> bool:
        """Forget the reader's translation; like :meth:`set_edit`, kept to retry on failure."""
        return self._change_edit(
            (source_lang, target_lang, source_hash), _UnsavedEdit("", None, time.time())
        )

    def _change_edit(self, key: _EditKey, change: _UnsavedEdit) -> bool:
        with self._lock:
            self._unsaved[key] = change  # from now on shown, whatever the write does
        return self.retry_unsaved() == 0

    def unsaved_edits(self) -> int:
        """How many edits (or reverts) are kept in memory, not written yet."""
        with self._lock:
            return len(self._unsaved)

    def retry_unsaved(self, *, wait: bool = True) -> int:
        """Write every edit kept in memory, in one transaction; how many are still unsaved
        (0: all written, or there were none)."""
        with self._lock:
            pending = dict(self._unsaved)
        if not pending:
            return 0
        statements: list[tuple[str, tuple[object, ...]]] = []
        for (source_lang, target_lang, source_hash), edit in pending.items():
            if edit.translation is None:
                statements.append((
                    "DELETE FROM user_edits WHERE source_lang = ? AND target_lang = ? "
                    "AND source_hash = ?",
                    (source_lang, target_lang, source_hash),
                ))
            else:
                statements.append((
                    "INSERT OR REPLACE INTO user_edits (source_lang, target_lang, "
                    "source_hash, source_text, translation, updated) VALUES (?, ?, ?, ?, ?, ?)",
                    (source_lang, target_lang, source_hash, edit.source_text,
                     edit.translation, edit.updated),
                ))
        written = self._write(statements, wait=wait)
        with self._lock:
            if written:
                for key, edit in pending.items():
                    # Changed again while this write ran: that newer change is still due.
                    if self._unsaved.get(key) is edit:
                        del self._unsaved[key]
            return len(self._unsaved)

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

    # -- word links (reader.core.words.alignment) -----------------------------------------

    def get_word_links(self, route: str, keys: Iterable[str]) -> dict[str, str]:
        """Pair key → the links as text (``alignment.links_to_text``), for those kept."""
        return dict(self._select_in(
            "SELECT pair_key, links FROM word_links WHERE route = ? AND pair_key IN ({marks})",
            (route,), keys,
        ))

    def put_word_links(self, route: str, rows: dict[str, tuple[str, str]]) -> bool:
        """Keep links: pair key → (source sentence hash, links as text). False when not
        written (they are made again when next asked for: nothing is lost)."""
        now = time.time()
        return self._write([
            (
                "INSERT OR REPLACE INTO word_links (route, pair_key, source_hash, links, "
                "created) VALUES (?, ?, ?, ?, ?)",
                (route, key, source_hash, links, now),
            )
            for key, (source_hash, links) in rows.items()
        ])

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
        """Remove every machine translation (and, only if asked, every user edit); how many
        paragraphs were removed. Raises :class:`CacheWriteError` when nothing could be."""
        statements: list[tuple[str, tuple[object, ...]]] = [
            ("DELETE FROM translations", ()),
            ("DELETE FROM sentence_memory", ()),
            ("DELETE FROM word_links", ()),
        ]
        if include_edits:
            statements.append(("DELETE FROM user_edits", ()))
        counts = self._write_counts(statements)
        if counts is None:
            raise CacheWriteError(self.last_error or "the translation cache refused the change")
        if not self._memory:
            with self._lock:
                try:
                    self._conn.execute("VACUUM")
                except sqlite3.Error as error:
                    self._warn(f"could not compact the cache: {error}")
        return counts[0] + (counts[3] if include_edits else 0)

    def clear_hashes(self, hashes: Iterable[str], *, include_edits: bool = False) -> int:
        """Remove the translations of these source paragraphs and sentences, for every route
        (``engine.article_cache_hashes`` gives an article's). Returns paragraphs removed;
        raises :class:`CacheWriteError` when the file could not be written (what was
        removed before that is said in the message)."""
        wanted = list(dict.fromkeys(hashes))
        removed = 0
        for chunk in _chunks(wanted, 500):
            marks = ",".join("?" * len(chunk))
            statements: list[tuple[str, tuple[object, ...]]] = [
                (f"DELETE FROM translations WHERE source_hash IN ({marks})", tuple(chunk)),
                (f"DELETE FROM sentence_memory WHERE source_hash IN ({marks})", tuple(chunk)),
                (f"DELETE FROM word_links WHERE source_hash IN ({marks})", tuple(chunk)),
            ]
            if include_edits:
                statements.append(
                    (f"DELETE FROM user_edits WHERE source_hash IN ({marks})", tuple(chunk))
                )
            counts = self._write_counts(statements)
            if counts is None:
                done = f" ({removed} removed before that)" if removed else ""
                raise CacheWriteError(
                    f"{self.last_error or 'the translation cache refused the change'}{done}"
                )
            removed += counts[0]
        return removed

    def _select_in(
        self, query: str, params: tuple[object, ...], keys: Iterable[str]
    ) -> list[tuple[Any, ...]]:
        """Rows of ``query`` (its ``IN ({marks})`` filled) for every key, asked 500 at a time
        (SQLite's limit on parameters); no rows when the cache cannot be read."""
        wanted = list(dict.fromkeys(keys))
        rows: list[tuple[Any, ...]] = []
        with self._reading() as conn:
            assert conn is not None
            for chunk in _chunks(wanted, 500):
                marks = ",".join("?" * len(chunk))
                rows += conn.execute(query.format(marks=marks), (*params, *chunk)).fetchall()
        return rows

    def integrity_ok(self) -> bool:
        with self._reading() as conn:
            assert conn is not None
            return conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        return False


def _load_pairs(alignment: str) -> tuple[SentencePair, ...]:
    try:
        return tuple(SentencePair.from_json(item) for item in json.loads(alignment))
    except (ValueError, KeyError, TypeError):
        return ()


def _chunks(items: list[str], size: int) -> Iterator[list[str]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]
