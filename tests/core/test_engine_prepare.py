"""A long article is prepared (split, tokenized) chunk by chunk, just ahead of its windows.

A 5 MB book is ~40,000 paragraphs: preparing all of them before the first window meant
seconds before the first translated paragraph, and a window closed meanwhile waited for all
of it. These tests count the real sentence splitter's calls (a spy around the real
function) against a real synthetic model: no timing.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from reader.core.articles.article import Article
from reader.core.articles.parser import parse_text
from reader.core.translation import run_steps
from reader.core.translation.cache import TranslationCache
from reader.core.translation.engine import (
    DecodingOptions,
    ParagraphReady,
    TranslationEngine,
    TranslationFinished,
    TranslationStarted,
)
from reader.core.translation.results import ParagraphStatus, TranslationProgress

PARAGRAPHS = 600  # ten times the first chunk, several chunks in all

_SENTENCES = (
    "Le conseil municipal a voté le budget de l'année prochaine.",
    "Les habitants du quartier attendent la nouvelle ligne de tramway depuis dix ans.",
    "Une exposition consacrée aux peintres de la région ouvre ses portes samedi.",
    "Le prix de l'énergie pèse sur les petites entreprises.",
    "La rentrée scolaire s'est déroulée sans incident majeur.",
)


def long_article(count: int = PARAGRAPHS, *, repeated: bool = False) -> Article:
    """Every paragraph distinct (numbered), or (``repeated``) made of the same few sentences
    again and again: then each chunk adds few new model inputs."""
    text = "\n\n".join(
        f"{_SENTENCES[i % len(_SENTENCES)]} {_SENTENCES[(i // 2) % len(_SENTENCES)]}"
        if repeated else f"{_SENTENCES[i % len(_SENTENCES)]} Paragraphe numéro {i + 1}."
        for i in range(count)
    )
    return parse_text(text, Path("long.txt"), paragraph_languages=False)


@pytest.fixture
def splits(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The paragraphs the engine has split into sentences so far (the real splitter)."""
    seen: list[str] = []
    real = run_steps.split_sentences

    def spy(text: str, language: str | None = None) -> Any:
        seen.append(text)
        return real(text, language)

    monkeypatch.setattr(run_steps, "split_sentences", spy)
    return seen


def make_engine() -> TranslationEngine:
    options = DecodingOptions(beam_size=1, window_sentences=8, first_paragraph_alone=True)
    return TranslationEngine(TranslationCache(), options=options)


def events_until(
    events: Iterator[Any], stop: Callable[[Any], bool]
) -> list[Any]:
    seen = []
    for event in events:
        seen.append(event)
        if stop(event):
            break
    return seen


@pytest.mark.parametrize("repeated", [False, True], ids=["distinct", "repeated"])
def test_first_paragraph_arrives_before_the_book_is_prepared(install_fr_en, splits,
                                                            repeated: bool) -> None:
    article = long_article(repeated=repeated)
    events = events_until(make_engine().translate(article, "en"),
                          lambda e: isinstance(e, ParagraphReady))
    first = events[-1]
    assert isinstance(first, ParagraphReady) and first.paragraph.index == 0
    assert first.paragraph.status is ParagraphStatus.TRANSLATED
    assert 0 < len(splits) < PARAGRAPHS // 4, "only the first chunk was prepared"


@pytest.mark.parametrize("repeated", [False, True], ids=["distinct", "repeated"])
def test_a_book_prepared_in_chunks_is_translated_whole_and_in_order(install_fr_en, splits,
                                                                    repeated: bool) -> None:
    article = long_article(repeated=repeated)
    events = list(make_engine().translate(article, "en"))
    assert isinstance(events[-1], TranslationFinished) and events[-1].error is None
    assert not events[-1].cancelled
    assert events[-1].translated + events[-1].reused == PARAGRAPHS
    ready = [e.paragraph for e in events if isinstance(e, ParagraphReady)]
    assert [r.index for r in ready] == list(range(PARAGRAPHS))
    assert all(r.status is ParagraphStatus.TRANSLATED and r.translation for r in ready)
    assert len(splits) == PARAGRAPHS, "each paragraph prepared once"
    # The total is an estimate until all is prepared; the last progress is exact.
    progress = [e for e in events if isinstance(e, TranslationProgress)]
    assert [p.done for p in progress] == sorted(p.done for p in progress)
    assert progress[-1].done == progress[-1].total
    started = events[0]
    assert isinstance(started, TranslationStarted) and started.total_sentences > 0


def test_cancel_while_preparing_stops_there(install_fr_en, splits) -> None:
    article = long_article()
    engine = make_engine()
    # The reader closes the window while the first chunk is being prepared.
    events = list(engine.translate(article, "en", is_cancelled=lambda: len(splits) >= 10))
    assert isinstance(events[0], TranslationStarted), "the events' contract holds"
    assert events[1:] == [TranslationFinished(cancelled=True)]
    assert len(splits) <= 32, "preparation stopped at its next check, inside the chunk"
    assert engine.pool._translators == {}, "no model was loaded for a cancelled job"


def test_cancel_between_chunks_keeps_what_is_done(install_fr_en, splits) -> None:
    article = long_article()
    engine = make_engine()
    # Cancelled once the second chunk has been prepared: the windows in between ran.
    events = list(engine.translate(article, "en", is_cancelled=lambda: len(splits) > 64))
    finished = events[-1]
    assert isinstance(finished, TranslationFinished) and finished.cancelled
    done = [e.paragraph for e in events if isinstance(e, ParagraphReady)]
    assert 0 < len(done) < PARAGRAPHS
    assert len(splits) < PARAGRAPHS
    # What was done is cached: a second run serves it without the model.
    again = [e.paragraph for e in make_engine_with(engine).translate(article, "en")
             if isinstance(e, ParagraphReady)]
    assert all(r.status is ParagraphStatus.CACHED for r in again[: len(done)])


def make_engine_with(engine: TranslationEngine) -> TranslationEngine:
    return TranslationEngine(engine.cache, options=engine.options, pool=engine.pool)
