from __future__ import annotations

import multiprocessing
import os
import sqlite3
from pathlib import Path

import pytest

from reader import paths
from reader.core.articles.article import source_hash
from reader.core.translation.cache import CacheEntry, TranslationCache
from reader.core.translation.results import SentencePair


def entry(
    text: str, translation: str, *, route: str = "translate-fr_en@1.0", decoding: str = "beam=4"
) -> CacheEntry:
    pair = SentencePair(text, translation, 0, len(text), 0, len(translation))
    return CacheEntry(route, decoding, source_hash(text), "fr", "en", text, translation, (pair,))


def test_lives_in_xdg_cache_home_with_wal_and_schema_version(isolated_xdg) -> None:
    cache = TranslationCache()
    assert (
        cache.path == isolated_xdg["XDG_CACHE_HOME"] / "bilingual-reader" / "translations.sqlite3"
    )
    cache.put_many([entry("Bonjour.", "Hello.")])
    cache.close()
    conn = sqlite3.connect(cache.path)
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert conn.execute("PRAGMA user_version").fetchone()[0] >= 1


def test_round_trip_with_alignment_and_keys() -> None:
    cache = TranslationCache()
    e = entry("Il pleut.", "It rains.")
    assert cache.put_many([e])
    found = cache.get_many(e.route, e.decoding, [e.source_hash])
    assert found[e.source_hash].translation == "It rains."
    assert found[e.source_hash].sentences == e.sentences
    # Another model version or other decoding settings never see it.
    assert cache.get_many("translate-fr_en@1.1", e.decoding, [e.source_hash]) == {}
    assert cache.get_many(e.route, "beam=1", [e.source_hash]) == {}


def test_source_is_normalized_before_hashing() -> None:
    assert source_hash("Il  pleut.\r\n") == source_hash("Il pleut.")
    assert source_hash("e\u0301te\u0301") == source_hash("été")  # NFD == NFC
    assert source_hash("Il pleut.") != source_hash("Il neige.")


def test_never_stores_empty_translations() -> None:
    cache = TranslationCache()
    cache.put_many([entry("Vide.", "   "), entry("Plein.", "Full.")])
    assert cache.stats().entries == 1
    # Even a direct write is refused by the schema's CHECK constraint.
    with pytest.raises(sqlite3.IntegrityError):
        cache._conn.execute(
            "INSERT INTO translations VALUES ('r','d','h','fr','en','s','',  '[]', 0)"
        )


def test_user_edits_are_separate_and_survive_clear() -> None:
    cache = TranslationCache()
    e = entry("Il pleut.", "It rains.")
    cache.put_many([e])
    cache.set_edit("fr", "en", e.source_hash, e.source_text, "It is raining.")
    assert cache.clear() == 1
    stats = cache.stats()
    assert (stats.entries, stats.user_edits) == (0, 1)
    assert (
        cache.get_edits("fr", "en", [e.source_hash])[e.source_hash].translation == "It is raining."
    )
    with pytest.raises(ValueError):
        cache.set_edit("fr", "en", e.source_hash, e.source_text, "  ")
    cache.clear(include_edits=True)
    assert cache.stats().user_edits == 0


def test_stats_per_pair_and_clear_one_article() -> None:
    cache = TranslationCache()
    cache.put_many([entry("Un.", "One."), entry("Deux.", "Two."), entry("Trois.", "Three.")])
    stats = cache.stats()
    assert stats.entries == 3 and stats.per_pair == {"fr_en": 3} and stats.size_bytes > 0
    assert cache.clear_hashes([source_hash("Un."), source_hash("Deux.")]) == 2
    assert cache.stats().entries == 1


def test_garbage_file_is_set_aside_and_rebuilt() -> None:
    path = paths.translation_cache_path()
    path.parent.mkdir(parents=True)
    path.write_bytes(b"this is not a database" * 100)
    cache = TranslationCache()
    assert not cache.in_memory
    assert len(cache.warnings) == 1 and "moved it to" in cache.warnings[0]
    assert list(path.parent.glob("translations.sqlite3.corrupt-*"))
    assert cache.put_many([entry("Un.", "One.")])
    assert cache.integrity_ok()


def _damage_translation_pages(path: Path) -> None:
    """Overwrite every b-tree page of the translations table (the header and the other
    tables stay intact), as a bad sector or a stray write would."""
    conn = sqlite3.connect(path)
    page_size = conn.execute("PRAGMA page_size").fetchone()[0]
    pages = [row[0] for row in conn.execute(
        "SELECT pageno FROM dbstat WHERE name = 'translations'"
    )]
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    with open(path, "r+b") as file:
        for page in pages:
            file.seek((page - 1) * page_size)
            file.write(b"\xa5" * page_size)


def test_a_file_damaged_mid_life_is_set_aside_and_rebuilt_keeping_the_edits() -> None:
    cache = TranslationCache()
    assert cache.set_edit("fr", "en", source_hash("Un."), "Un.", "One, by hand.")
    assert cache.put_many([entry(f"Phrase {i}.", f"Sentence {i}.") for i in range(300)])
    cache.close()
    path = paths.translation_cache_path()
    _damage_translation_pages(path)

    cache = TranslationCache()  # the header is fine: opening does not notice
    assert cache.warnings == []
    found = cache.get_many("translate-fr_en@1.0", "beam=4", [source_hash("Phrase 7.")])
    assert found == {}  # a miss, not an exception
    assert len(cache.warnings) == 1
    assert "damaged" in cache.warnings[0] and "moved it to" in cache.warnings[0]
    assert "1 edited translations were kept" in cache.warnings[0]
    assert list(path.parent.glob("translations.sqlite3.corrupt-*"))
    # The new file works: writes are kept, the reader's edit survived.
    assert cache.put_many([entry("Deux.", "Two.")])
    assert cache.integrity_ok()
    assert cache.stats().entries == 1 and cache.stats().user_edits == 1
    reopened = TranslationCache()
    assert reopened.warnings == [] and reopened.stats().entries == 1


@pytest.mark.skipif(os.geteuid() == 0, reason="root ignores directory permissions")
def test_read_only_dir_degrades_to_memory() -> None:
    folder = paths.app_cache_dir()
    folder.mkdir(parents=True)
    folder.chmod(0o500)
    try:
        cache = TranslationCache()
        assert cache.in_memory and cache.warnings
        assert cache.put_many([entry("Un.", "One.")])
    finally:
        folder.chmod(0o700)


def test_unwritable_location_degrades_to_memory(tmp_path: Path) -> None:
    # Works as root too: the cache "folder" is a regular file, so it cannot be created.
    blocker = tmp_path / "blocker"
    blocker.write_text("x")
    cache = TranslationCache(blocker / "sub" / "translations.sqlite3")
    assert cache.in_memory
    assert "in memory" in cache.warnings[0]
    assert cache.put_many([entry("Un.", "One.")])
    assert cache.stats().entries == 1


def test_newer_schema_is_left_untouched(tmp_path: Path) -> None:
    path = tmp_path / "c.sqlite3"
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA user_version = 99")
    conn.close()
    cache = TranslationCache(path)
    assert cache.in_memory and "newer" in cache.warnings[0]
    assert sqlite3.connect(path).execute("PRAGMA user_version").fetchone()[0] == 99


def test_write_failure_is_a_warning_not_a_crash(tmp_path: Path) -> None:
    cache = TranslationCache(tmp_path / "c.sqlite3")
    cache._conn.execute("PRAGMA query_only = ON")  # every write now fails like a full disk
    assert cache.put_many([entry("Un.", "One.")]) is False
    assert "cannot write" in cache.warnings[-1]
    assert cache.get_many("translate-fr_en@1.0", "beam=4", [source_hash("Un.")]) == {}


def _writer(path: str, start: int, count: int) -> None:
    cache = TranslationCache(Path(path))
    for i in range(start, start + count):
        cache.put_many([entry(f"Phrase {i}.", f"Sentence {i}.")])
    cache.close()


def test_two_processes_write_at_once_without_loss(tmp_path: Path) -> None:
    path = tmp_path / "shared.sqlite3"
    TranslationCache(path).close()
    context = multiprocessing.get_context("spawn")
    workers = [context.Process(target=_writer, args=(str(path), n * 1000, 150)) for n in range(2)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(60)
        assert worker.exitcode == 0
    cache = TranslationCache(path)
    assert cache.stats().entries == 300
    assert cache.integrity_ok()


def test_a_version_1_cache_is_migrated_and_keeps_its_rows(tmp_path: Path) -> None:
    from reader.core.translation.cache_db import _MIGRATIONS, SCHEMA_VERSION

    path = tmp_path / "old.sqlite3"
    conn = sqlite3.connect(path)
    for statement in _MIGRATIONS[1]:
        conn.execute(statement)
    conn.execute(
        "INSERT INTO translations VALUES ('r', 'd', ?, 'fr', 'en', 'Un.', 'One.', '[]', 0)",
        (source_hash("Un."),),
    )
    conn.execute("PRAGMA user_version = 1")
    conn.commit()
    conn.close()
    cache = TranslationCache(path)
    assert not cache.warnings
    assert cache.get_many("r", "d", [source_hash("Un.")])[source_hash("Un.")].translation == "One."
    assert cache.stats().sentences == 0
    assert sqlite3.connect(path).execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
