"""What every export file format shares, Qt-free: the report, translating what the cache
lacks (with progress over all articles and cancelling), and the checks made before any work
(readable articles, a writable output). The PDF (``reader.export.pdf``) and the EPUB
(``reader.export.epub_export``) exports both run through here, so they skip, translate and
fail alike."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from reader.core.translation.results import ArticleTranslation

if TYPE_CHECKING:
    from reader.core.articles.article import Article
    from reader.core.translation.engine import TranslationEngine


@dataclass(slots=True)
class ExportReport:
    written: list[Path] = field(default_factory=list)
    messages: list[str] = field(default_factory=list)  # one line each, for the user
    ok: bool = True

    def fail(self, message: str) -> ExportReport:
        self.messages.append(message)
        self.ok = False
        return self


class Cancelled(Exception):
    """The reader cancelled: nothing is written."""


def translate_all(
    engine: TranslationEngine,
    articles: Sequence[Article],
    target: str,
    report: ExportReport,
    progress: Callable[[int, int], None] | None,
    cancelled: Callable[[], bool],
) -> list[ArticleTranslation]:
    """Translate what the cache lacks, reporting sentences done / total over all articles.

    Every article is planned first (the engine's ``TranslationStarted`` gives its count of
    sentences needing the model), so the total is known before the first sentence and a
    missing model is found before anything is translated."""
    from reader.core.models.store import MissingModelError
    from reader.core.translation.engine import (
        ParagraphReady,
        TranslationFinished,
        TranslationProgress,
        TranslationStarted,
    )

    runs: list[tuple[Article, Iterator[object], ArticleTranslation, int]] = []
    missing: MissingModelError | None = None
    skipped: list[str] = []
    # One pipeline: each article's first window is queued behind the last of the one before.
    streams = engine.translate_many(articles, target, use_cache=True, is_cancelled=cancelled)
    for article, events in zip(articles, streams, strict=True):
        try:
            first = next(events)  # raises MissingModelError before any work
        except MissingModelError as error:
            # Like an unreadable file, an article in a language without a model is skipped
            # and named; the rest of the export goes on.
            missing = error
            skipped.append(f"skipped {article.path}: {error}")
            continue
        assert isinstance(first, TranslationStarted)
        result = ArticleTranslation(
            article=article, target_language=target, packages=first.packages
        )
        runs.append((article, events, result, first.total_sentences))

    if not runs and missing is not None:
        raise missing  # nothing can be exported: one line, nothing written
    for message in skipped:
        report.fail(message)
    total = sum(run[3] for run in runs)
    reported = -1

    def report_progress(done: int) -> None:
        nonlocal reported
        if progress is not None and done != reported:
            reported = done
            progress(min(done, total), total)

    report_progress(0)
    offset = 0
    results: list[ArticleTranslation] = []
    for article, events, result, count in runs:
        for event in events:
            if isinstance(event, ParagraphReady):
                result.paragraphs.append(event.paragraph)
            elif isinstance(event, TranslationProgress):
                count = event.total  # a book's first total is estimated; the last is exact
                report_progress(offset + event.done)
            elif isinstance(event, TranslationFinished):
                if event.cancelled:
                    raise Cancelled
                if event.error:
                    report.fail(
                        f"{article.path}: translation failed ({event.error}); "
                        "its untranslated paragraphs are marked"
                    )
        offset += count
        report_progress(offset)
        results.append(result)
    return results


def usable_articles(articles: Iterable[Article], report: ExportReport) -> list[Article]:
    """The articles that can be exported; each other one is named in ``report``."""
    usable: list[Article] = []
    for article in articles:
        if not article.ok:
            report.fail(f"skipped {article.path}: {article.error}")
        elif not article.paragraphs:
            report.fail(f"skipped {article.path}: no text to export")
        else:
            usable.append(article)
    return usable


def output_problem(paths: Iterable[Path]) -> str | None:
    """Why one of ``paths`` cannot be written, or None. Checked before translating, so a
    typo in -o does not cost a translation run."""
    for path in paths:
        if not path.parent.is_dir():
            reason = "not a folder" if path.parent.exists() else "no such folder"
            return f"cannot write {path}: {reason} ({path.parent})"
        if path.is_dir():
            return f"cannot write {path}: it is a folder"
    return None
