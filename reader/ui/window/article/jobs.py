"""What the article session runs on its workers, away from the GUI thread: the cache read of
the article on screen, and its translation (parsing the file first when it is not parsed).

Each function returns the job a :class:`~reader.ui.workers.WorkerThread` runs; the results it
emits (:class:`CacheRead`, :class:`ArticleParsed`, an outbox of translations, the engine's
events) are handled by :class:`~reader.ui.window.article.session.ArticleSession` on the GUI
thread."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from reader.core.articles.article import Article, Paragraph
from reader.core.models.store import MissingModelError
from reader.core.translation.engine import (
    TranslationEngine,
    TranslationFinished,
    TranslationProgress,
    TranslationStarted,
)
from reader.core.translation.results import ParagraphTranslation
from reader.ui.library_model import Status, TranslationSummary
from reader.ui.workers import JobContext, Outbox

Job = Callable[[JobContext], object]


@dataclass(frozen=True)
class ArticleParsed:
    """First result of a translation job that had to parse the file. ``changed``: its text
    is not the one on screen (the file changed on disk since it was listed; compared on
    the worker: a book is 40,000 paragraphs)."""

    article: Article
    changed: bool = False


@dataclass(frozen=True)
class CacheRead:
    """What the cache has for the article on screen, read on a worker: ``ready`` one entry
    per paragraph (``None``: needs the model), ``missing`` the indices of those, and the
    ``paragraphs`` they were read for. ``no_model`` when its language has no model."""

    ready: list[ParagraphTranslation | None]
    missing: tuple[int, ...]
    summary: TranslationSummary
    paragraphs: Sequence[Paragraph]
    no_model: MissingModelError | None = None


def read_cache(engine: TranslationEngine, article: Article, target: str) -> CacheRead:
    """The cache read of :meth:`ArticleSession.render` (on the reading worker)."""
    try:
        ready = engine.peek(article, target)
    except MissingModelError as error:
        return CacheRead([], (), TranslationSummary(Status.NO_MODEL), article.paragraphs, error)
    missing = tuple(index for index, t in enumerate(ready) if t is None)
    return CacheRead(ready, missing, TranslationSummary.from_translations(ready),
                     article.paragraphs)




def cache_read_job(
    engine: TranslationEngine, article: Article, target: str, rows: Sequence[Paragraph],
    wait_for_paint: Callable[[], object],
) -> Job:
    """The cache read of the article on screen, once the original is painted (or
    ``wait_for_paint`` gave up); ``rows`` are the paragraphs the view shows."""

    def job(context: JobContext) -> object:
        wait_for_paint()
        read = read_cache(engine, article, target)
        if rows is not article.paragraphs and len(rows) == len(article.paragraphs) and all(
            a.text == b.text for a, b in zip(rows, article.paragraphs, strict=True)
        ):
            # The view shows another copy of the same text (the listed one, say): said so
            # here, so the GUI thread need not check the book row by row.
            read = dataclasses.replace(read, paragraphs=rows)
        return read

    return job


def translation_job(
    engine: TranslationEngine, article: Article, target: str, known: Article | None,
    override: str | None, outbox: Outbox[ParagraphTranslation], *,
    only: Iterable[int] | None, use_cache: bool,
) -> Job:
    """Translate ``article`` into ``target`` (``only`` these paragraphs, all if the file
    changed on disk), parsing it first unless ``known`` is its parsed copy. Translations go
    into ``outbox``; the outbox is emitted when it was empty."""

    def job(context: JobContext) -> object:
        full = known
        wanted = only
        if full is None:
            from reader.core.library.formats import read_file

            full = read_file(article.path, paragraph_languages=True)
            _ = full.text_offsets  # made here, not on the GUI thread (no word count:
            # the header counts the listed article's; 0.5 s of a book's first window)
            changed = [p.text for p in full.paragraphs] != [p.text for p in
                                                            article.paragraphs]
            if changed:
                wanted = None  # other paragraphs: translate what is there now
            context.emit(ArticleParsed(full, changed))
        full = full.with_source_language(override)
        context.check()
        for event in engine.translate(
            full, target, use_cache=use_cache, is_cancelled=context.is_cancelled, only=wanted
        ):
            if isinstance(event, TranslationProgress):
                context.progress(event.done, event.total)
            elif isinstance(event, TranslationFinished):
                return event
            elif isinstance(event, TranslationStarted):
                context.emit(event)
            elif outbox.put(event.paragraph):
                context.emit(outbox)
        return None

    return job
