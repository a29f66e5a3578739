"""``translate_many``: several articles through one pipeline, each stream exactly what
``translate`` yields for its article, with the next article queued behind the last window
of the one before (echo model: every translation is known word for word)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from reader.core.articles.article import Article, Paragraph, ParagraphKind
from reader.core.articles.parser import parse_file
from reader.core.models.store import MissingModelError
from reader.core.translation.cache import TranslationCache
from reader.core.translation.engine import (
    DecodingOptions,
    ModelPool,
    ParagraphReady,
    TranslationEngine,
    TranslationFinished,
    TranslationStarted,
)
from reader.core.translation.results import ParagraphStatus

Echo = Callable[[str], str]


class SubmissionSpy:
    """The real translator; every batch it is handed is recorded when it is queued (the
    asynchronous results are passed through untouched, so nothing is serialized)."""

    def __init__(self, real: Any, log: list[list[list[str]]]) -> None:
        self.real = real
        self.log = log

    def translate_batch(self, source: list[list[str]], **kwargs: Any) -> Any:
        self.log.append([list(tokens) for tokens in source])
        return self.real.translate_batch(source, **kwargs)


class SpyPool(ModelPool):
    def __init__(self) -> None:
        super().__init__()
        self.submitted: list[list[list[str]]] = []

    def translator(self, package):  # type: ignore[no-untyped-def]
        return SubmissionSpy(super().translator(package), self.submitted)


def make_engine(cache: Path | None = None, **options: Any) -> tuple[TranslationEngine, SpyPool]:
    pool = SpyPool()
    options_set = DecodingOptions(**options)
    return TranslationEngine(TranslationCache(cache), options=options_set, pool=pool), pool


def article_of(name: str, *texts: str, language: str = "fr") -> Article:
    return Article(
        path=Path(name),
        title=name,
        language=language,
        paragraphs=tuple(
            Paragraph(i, text, ParagraphKind.BODY, language, 0.9) for i, text in enumerate(texts)
        ),
    )


def paragraphs(events: list[Any]) -> list[Any]:
    return [e.paragraph for e in events if isinstance(e, ParagraphReady)]


def assert_echoed(article: Article, events: list[Any], echo: Echo) -> None:
    assert isinstance(events[0], TranslationStarted)
    assert isinstance(events[-1], TranslationFinished) and not events[-1].error
    results = paragraphs(events)
    assert [r.index for r in results] == [p.index for p in article.paragraphs]
    for paragraph, result in zip(article.paragraphs, results, strict=True):
        if result.status is not ParagraphStatus.PASSTHROUGH:
            assert result.translation == echo(paragraph.text), paragraph.text


def test_each_stream_reads_exactly_as_translate_alone(
    install_fr_en, seed_paths, echo, tmp_path: Path
) -> None:
    articles = [parse_file(path) for path in seed_paths]
    many, _ = make_engine()
    streams = many.translate_many(articles, "en")
    together = [list(stream) for stream in streams]
    alone, _ = make_engine(tmp_path / "apart.sqlite")  # nothing remembered from above
    for article, events in zip(articles, together, strict=True):
        assert_echoed(article, events, echo)
        apart = list(alone.translate(article, "en"))
        # The same text and alignment. Only where a sentence also ends the article before
        # may the status differ: queued before that one was remembered, it is decoded
        # again (translated) where one by one it would come from the memory (cached).
        model = {ParagraphStatus.TRANSLATED, ParagraphStatus.CACHED}
        for mine, theirs in zip(paragraphs(events), paragraphs(apart), strict=True):
            assert (mine.translation, mine.sentences) == (theirs.translation, theirs.sentences)
            assert mine.status == theirs.status or {mine.status, theirs.status} <= model


def test_the_next_article_is_queued_behind_the_last_window(install_fr_en, echo) -> None:
    first = article_of("a.txt", "Le premier article parle du port.", "Il a une fin.")
    second = article_of("b.txt", "Le second article commence ici.", "Puis il continue.")
    engine, pool = make_engine()
    tokenizer = engine.pool.tokenizer(engine.route("fr", "en").packages[0])
    second_opening = tokenizer.encode(second.paragraphs[0].text)
    streams = engine.translate_many([first, second], "en")
    events = []
    for event in streams[0]:
        events.append(event)
        if isinstance(event, TranslationFinished):
            # When the first article is done, the second one's first sentence is already
            # in CTranslate2: its workers did not wait for the first article's end.
            queued = [tokens for batch in pool.submitted for tokens in batch]
            assert second_opening in queued
    assert_echoed(first, events, echo)
    assert_echoed(second, list(streams[1]), echo)


def test_an_article_without_a_model_fails_alone(install_fr_en, echo) -> None:
    french = article_of("fr.txt", "Un article en français.", "Avec deux paragraphes.")
    german = article_of("de.txt", "Ein deutscher Artikel.", language="de")
    later = article_of("fr2.txt", "Un autre article, plus loin.")
    engine, _ = make_engine()
    streams = engine.translate_many([french, german, later], "en")
    assert_echoed(french, list(streams[0]), echo)
    with pytest.raises(MissingModelError):
        next(streams[1])  # raised before anything is yielded, like ``translate``
    assert_echoed(later, list(streams[2]), echo)


def test_streams_started_first_then_read_in_order(install_fr_en, seed_paths, echo) -> None:
    """The export starts every stream to learn its total before reading any."""
    articles = [parse_file(path) for path in seed_paths[:3]]
    engine, _ = make_engine()
    streams = engine.translate_many(articles, "en")
    starts = [next(stream) for stream in streams]
    assert all(isinstance(start, TranslationStarted) for start in starts)
    for article, start, stream in zip(articles, starts, streams, strict=True):
        assert_echoed(article, [start, *stream], echo)


def test_a_stream_read_out_of_order_or_closed_early(install_fr_en, seed_paths, echo) -> None:
    articles = [parse_file(path) for path in seed_paths[:3]]
    engine, _ = make_engine(window_sentences=4)
    streams = engine.translate_many(articles, "en")
    head = [next(streams[0]) for _ in range(3)]  # a window of the first one is queued
    assert_echoed(articles[1], list(streams[1]), echo)  # read past it: still exact
    assert_echoed(articles[0], [*head, *streams[0]], echo)
    partial = [next(streams[2]), next(streams[2])]
    streams[2].close()  # left unread: nothing else is affected
    assert isinstance(partial[0], TranslationStarted)
    again = list(engine.translate(articles[2], "en"))
    assert_echoed(articles[2], again, echo)


def test_cancelling_ends_every_stream(install_fr_en, seed_paths) -> None:
    articles = [parse_file(path) for path in seed_paths[:2]]
    engine, _ = make_engine(window_sentences=4)
    cancel = False
    streams = engine.translate_many(articles, "en", is_cancelled=lambda: cancel)
    first = []
    for event in streams[0]:
        first.append(event)
        translated = ParagraphStatus.TRANSLATED
        if isinstance(event, ParagraphReady) and event.paragraph.status is translated:
            cancel = True
    assert first[-1].cancelled
    second = list(streams[1])
    assert second[-1].cancelled
    assert not any(
        isinstance(e, ParagraphReady) and e.paragraph.status is ParagraphStatus.TRANSLATED
        for e in second
    )
