"""Saving a word from an article: its paragraph translated (from the cache when it is
there), its sentence aligned, its meaning looked up, then stored. Blocking (the model may
run): the CLI calls it directly, the window on a worker thread. No Qt."""

from __future__ import annotations

from typing import TYPE_CHECKING

from reader.core.models.errors import PackageError
from reader.core.words.context import saved_word
from reader.core.words.dictionaries import Dictionaries
from reader.core.words.saved import SavedWord, SavedWords

if TYPE_CHECKING:
    from reader.core.articles.article import Article
    from reader.core.translation.engine import TranslationEngine
    from reader.core.translation.results import ParagraphTranslation
    from reader.core.words.alignment import WordLink


def paragraph_language(article: Article, index: int) -> str:
    language = article.paragraphs[index].language
    return language if language and language != "und" else article.language


def translate_paragraph(
    engine: TranslationEngine, article: Article, index: int, target: str
) -> ParagraphTranslation | None:
    """The paragraph's translation (cache, edit or model); raises ``PackageError`` when no
    model translates its language."""
    from reader.core.translation.results import ParagraphReady

    for event in engine.translate(article, target, only=[index]):
        if isinstance(event, ParagraphReady) and event.paragraph.index == index:
            return event.paragraph
    return None


def word_links(
    engine: TranslationEngine, translation: ParagraphTranslation, target: str
) -> tuple[WordLink, ...]:
    """The paragraph's word links (all sentences, paragraph frame); () when the package
    cannot align (BPE) or the paragraph has no sentence alignment (an edit)."""
    from reader.core.translation.decoder import Decoder
    from reader.core.translation.results import ParagraphStatus
    from reader.core.words.alignment import paragraph_words

    if not translation.sentences or translation.status is ParagraphStatus.PASSTHROUGH:
        return ()
    try:
        route = engine.route(translation.source_language, target)
        found = paragraph_words(Decoder(engine.pool, engine.options), route, translation,
                                engine.cache)
    except PackageError:
        return ()
    return tuple(link for links in found for link in links)


def capture(
    article: Article,
    index: int,
    offset: int,
    word: str,
    target: str,
    *,
    engine: TranslationEngine | None,
    translation: ParagraphTranslation | None = None,
    dictionaries: Dictionaries | None = None,
    store: SavedWords | None = None,
    notes: list[str] | None = None,
) -> SavedWord:
    """Save the word at ``offset`` of paragraph ``index``; what could not be added (no
    model for the language, no dictionary entry) goes into ``notes`` as one line each.
    ``translation``: the paragraph's translation when the caller has it (the window's, on
    screen), else it is asked of ``engine``."""
    language = paragraph_language(article, index)
    notes = notes if notes is not None else []
    links: tuple[WordLink, ...] = ()
    if translation is not None and not translation.is_of(article.paragraphs[index].text):
        translation = None  # another text's (stale)
    if translation is None and engine is not None and language != target:
        try:
            translation = translate_paragraph(engine, article, index, target)
        except PackageError as error:
            notes.append(f"saved without its translation: {error}")
    if translation is not None and engine is not None:
        links = word_links(engine, translation, target)
    definition = (dictionaries or Dictionaries()).define(word, language, target)
    if not definition.entries:
        notes.append(f"no dictionary entry for {word!r} ({language} → {target})")
    saved = saved_word(
        article, index, offset, word, language=language, target_language=target,
        translation=translation, links=links, definition=definition,
    )
    return (store or SavedWords()).add(saved)
