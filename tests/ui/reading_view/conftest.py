"""Fixtures for the reading view's parts: a seed article translated by the real engine (the
synthetic fr→en package), and a ReadingView built alone, shown, fed through its public
methods (no window)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from reader.core.articles.article import Article, Paragraph, ParagraphKind
from reader.core.articles.parser import parse_file
from reader.core.text.sentences import split_sentences
from reader.core.translation.engine import TranslationEngine
from reader.core.translation.results import (
    ParagraphStatus,
    ParagraphTranslation,
    pairs_from_sentences,
)
from reader.ui.reading_view import ReadingView

Translated = tuple[Article, list[ParagraphTranslation]]


@pytest.fixture
def translated_seed(seed_paths: list[Path], install_fr_en: object) -> Translated:
    """Seed 000 parsed and translated to English by the engine (no cache)."""
    article = parse_file(seed_paths[0], paragraph_languages=True)
    result, _ = TranslationEngine(None).translate_article(article, "en")
    translations = sorted(result.paragraphs, key=lambda t: t.index)
    assert len(translations) == len(article.paragraphs)
    return article, translations


ViewFactory = Callable[..., ReadingView]


@pytest.fixture
def make_view(qtbot) -> ViewFactory:  # type: ignore[no-untyped-def]
    """A shown ReadingView of ``size``, with ``article`` and its ``translations`` set."""

    def make(
        article: Article | None = None,
        translations: list[ParagraphTranslation] | None = None,
        size: tuple[int, int] = (1200, 800),
    ) -> ReadingView:
        view = ReadingView()
        qtbot.addWidget(view)
        view.resize(*size)
        view.show()
        qtbot.waitExposed(view)
        view.set_article(article)
        for translation in translations or []:
            assert view.set_translation(translation)
        view.flush()
        return view

    return make


def synthetic_article(paragraphs: int, path: Path = Path("/tmp/long.txt")) -> Article:
    """A long article of varied French paragraphs (lengths 40 to 400 characters), built in
    memory: what a 10 MB plain-text book parses to, without parsing one."""
    base = ("Le gouvernement a annoncé mardi de nouvelles mesures pour soutenir les "
            "entreprises en difficulté, selon plusieurs experts interrogés à Paris. ")
    text = base * 4
    items = tuple(
        Paragraph(i, f"{i}. " + text[: 40 + (i * 97) % 360].strip(),
                  ParagraphKind.TITLE if i % 500 == 0 else ParagraphKind.BODY, "fr")
        for i in range(paragraphs)
    )
    return Article(path, "Long", paragraphs=items, language="fr")


def uppercase_translation(paragraph: Paragraph) -> ParagraphTranslation:
    """A translation that is the paragraph in capitals, aligned sentence by sentence."""
    spans = split_sentences(paragraph.text)
    targets = [paragraph.text[start:end].upper() for start, end in spans]
    text, pairs = pairs_from_sentences(paragraph.text, spans, targets)
    return ParagraphTranslation(paragraph.index, paragraph.text, text, paragraph.kind,
                                ParagraphStatus.TRANSLATED, "fr", pairs)
