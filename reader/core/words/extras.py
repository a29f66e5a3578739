"""What ``translate --json --words / --alternatives N`` adds to each sentence of a paragraph:
``words`` (pairs of ``source_span`` / ``target_span`` in the paragraph's frame, like the
sentence spans) and ``alternatives`` (the n best translations, the one shown first).

A paragraph without sentence alignment (passthrough, the reader's own edit) gets nothing
added. Word links come from the cache when it has them (see ``alignment.paragraph_words``).
"""

from __future__ import annotations

from reader.core.translation.decoder import Decoder
from reader.core.translation.engine import TranslationEngine
from reader.core.translation.results import ParagraphStatus, ParagraphTranslation
from reader.core.words.alignment import paragraph_words
from reader.core.words.alternatives import sentence_alternatives


def sentence_extras(
    engine: TranslationEngine,
    paragraph: ParagraphTranslation,
    target: str,
    *,
    words: bool = False,
    alternatives: int = 0,
) -> list[dict[str, object]]:
    """One dict per sentence of ``paragraph`` with the keys asked for (empty list when the
    paragraph has no sentence alignment). Raises ``PackageError`` (one line) when the
    package cannot align (BPE) or cannot be loaded."""
    if not paragraph.sentences or paragraph.status is ParagraphStatus.PASSTHROUGH:
        return []
    if not words and alternatives <= 0:
        return [{} for _ in paragraph.sentences]
    route = engine.route(paragraph.source_language, target)
    decoder = Decoder(engine.pool, engine.options)
    extras: list[dict[str, object]] = [{} for _ in paragraph.sentences]
    if words:
        found = paragraph_words(decoder, route, paragraph, engine.cache)
        for extra, links in zip(extras, found, strict=True):
            extra["words"] = [link.to_json() for link in links]
    if alternatives > 0:
        for extra, pair in zip(extras, paragraph.sentences, strict=True):
            extra["alternatives"] = sentence_alternatives(
                decoder, route, pair.source, pair.target, alternatives
            )
    return extras


def paragraph_json(
    engine: TranslationEngine,
    paragraph: ParagraphTranslation,
    target: str,
    *,
    words: bool = False,
    alternatives: int = 0,
) -> dict[str, object]:
    """``paragraph.to_json()`` with the extras merged into its sentences."""
    data = paragraph.to_json()
    extras = sentence_extras(engine, paragraph, target, words=words, alternatives=alternatives)
    sentences = data["sentences"]
    assert isinstance(sentences, list)
    for sentence, extra in zip(sentences, extras, strict=False):
        sentence.update(extra)
    return data
