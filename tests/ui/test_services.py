"""The window's shared services: the parsed-article memo is bounded; every part reads an
article through one rule (the reader's source language, per article or by default)."""

from __future__ import annotations

from pathlib import Path

from reader.core.articles.article import Article, Paragraph, ParagraphKind
from reader.core.articles.parser import parse_file
from reader.ui import settings as keys
from reader.ui.settings import ArticleState
from reader.ui.window.services import ParsedArticles


def _article(name: str, paragraphs: int) -> Article:
    return Article(path=Path(f"/library/{name}.txt"), language="fr", paragraphs=tuple(
        Paragraph(i, f"Paragraphe {i}.", ParagraphKind.BODY, "fr") for i in range(paragraphs)))


def test_parsed_articles_are_bounded_least_recently_used_first():
    memo = ParsedArticles(max_paragraphs=10)
    a, b, c = _article("a", 4), _article("b", 4), _article("c", 4)
    memo.put(a)
    memo.put(b)
    assert memo.get(a.key) is a  # a is now the most recent
    memo.put(c)  # 12 > 10: b goes
    assert memo.get(b.key) is None and memo.get(a.key) is a and memo.get(c.key) is c
    huge = _article("huge", 50)
    memo.put(huge)  # alone over the budget: kept (it is the one being read)
    assert len(memo) == 1 and memo.get(huge.key) is huge


def test_every_part_reads_an_article_in_the_readers_language(services, seed_paths):
    listed = parse_file(seed_paths[0], paragraph_languages=False)
    assert services.reading_article(listed) is listed  # as detected
    services.settings.set(keys.DEFAULT_SOURCE_LANGUAGE, "it")
    assert services.reading_article(listed).language == "it"
    services.settings.set_article_state(listed.key, ArticleState(source_language="de"))
    assert services.reading_article(listed).language == "de"  # the article's own choice wins
    full = parse_file(seed_paths[0], paragraph_languages=True)
    services.parsed.put(full)
    reading = services.reading_article(listed)
    assert reading.language == "de"
    assert [p.text for p in reading.paragraphs] == [p.text for p in full.paragraphs]


def test_shutdown_writes_the_edits_the_cache_could_not_write_before(services) -> None:
    import sqlite3

    from reader.core.articles.article import source_hash
    from tests.data.sqlite_lock import locked

    cache = services.cache
    cache.write_wait = 0.2
    with locked(cache.path, 0.8):
        assert not cache.set_edit("fr", "en", source_hash("Un."), "Un.", "One, by hand.")
    assert cache.unsaved_edits() == 1
    services.shutdown()  # the lock is gone: the last try stores it
    with sqlite3.connect(cache.path) as conn:
        rows = conn.execute("SELECT translation FROM user_edits").fetchall()
    assert rows == [("One, by hand.",)]
