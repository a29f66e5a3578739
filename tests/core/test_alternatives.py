"""Sentence and word alternatives, exact with the hand-set echo model, and a chosen one
stored as a post-edit (read back from the cache).

The echo model is positional: target step t attends source position t. So with the pieces
before a word forced and another piece tried at that position, the rest of the sentence is
the source's next pieces again, exactly (the research notes measured the same)."""

from __future__ import annotations

from pathlib import Path

import pytest

from reader.core.articles.article import Article, Paragraph, ParagraphKind, source_hash
from reader.core.models.store import PackageError
from reader.core.translation.cache import TranslationCache
from reader.core.translation.decoder import Decoder
from reader.core.translation.engine import ParagraphReady, TranslationEngine
from reader.core.translation.results import ParagraphStatus
from reader.core.words.alternatives import (
    choose,
    decode_with_prefix,
    replace_sentence,
    sentence_alternatives,
    word_alternatives,
)

SENTENCE = "La maison est grande."
PIECES = ["▁L", "a", "▁maison", "▁est", "▁grand", "e", "."]


def engine_and_decoder(cache: TranslationCache | None = None) -> tuple[TranslationEngine, Decoder]:
    engine = TranslationEngine(cache or TranslationCache())
    return engine, Decoder(engine.pool, engine.options)


def test_sentence_alternatives_first_is_the_translation(install_fr_en) -> None:
    engine, decoder = engine_and_decoder()
    route = engine.route("fr", "en")
    found = sentence_alternatives(decoder, route, SENTENCE, SENTENCE, 3)
    assert len(found) == 3
    assert found[0] == SENTENCE
    assert len(set(found)) == 3
    # The echo model's other hypotheses are its translation with junk after it.
    assert all(text.startswith(SENTENCE) for text in found[1:])
    assert sentence_alternatives(decoder, route, SENTENCE, SENTENCE, 1) == [SENTENCE]


def test_too_many_alternatives_is_refused(install_fr_en) -> None:
    engine, decoder = engine_and_decoder()
    with pytest.raises(ValueError, match="between 1 and 16"):
        sentence_alternatives(decoder, engine.route("fr", "en"), SENTENCE, SENTENCE, 0)


def test_word_alternatives_keep_the_prefix_and_redecode_the_rest(install_fr_en) -> None:
    engine, decoder = engine_and_decoder()
    route = engine.route("fr", "en")
    found = word_alternatives(decoder, route, SENTENCE, SENTENCE, SENTENCE.index("maison"), 4)
    assert len(found) == 4
    assert found[0].word == "maison" and found[0].sentence == SENTENCE
    assert found[0].start == 3
    assert list(found[0].pieces) == PIECES
    for alternative in found:
        pieces = list(alternative.pieces)
        assert pieces[:2] == PIECES[:2]  # the prefix is kept
        assert pieces[3:] == PIECES[3:]  # and the rest re-decoded: the echo of the source
    assert len({a.pieces[2] for a in found}) == 4
    for alternative in found[1:]:
        assert alternative.sentence.endswith(" est grande.")
        assert alternative.word in alternative.sentence


def test_word_alternatives_of_the_first_word_force_nothing(install_fr_en) -> None:
    engine, decoder = engine_and_decoder()
    found = word_alternatives(decoder, engine.route("fr", "en"), SENTENCE, SENTENCE, 0, 3)
    assert found[0].word == "La"
    for alternative in found:
        assert list(alternative.pieces)[1:] == PIECES[1:]


def test_no_word_at_a_position_is_one_clear_error(install_fr_en) -> None:
    engine, decoder = engine_and_decoder()
    with pytest.raises(PackageError, match="no word at position 20"):
        word_alternatives(decoder, engine.route("fr", "en"), SENTENCE, SENTENCE, 20, 3)


def test_decode_with_prefix_is_exact_on_the_echo_model(install_fr_en) -> None:
    engine, decoder = engine_and_decoder()
    [package] = engine.route("fr", "en").packages
    forced = [*PIECES[:2], "▁grand"]  # same piece count: the echo goes on after it
    assert decode_with_prefix(decoder, package, PIECES, forced) == [
        ["▁L", "a", "▁grand", "▁est", "▁grand", "e", "."]
    ]


def test_pivot_alternatives_come_from_the_last_leg(install_pivot) -> None:
    engine, decoder = engine_and_decoder()
    route = engine.route("fr", "es")
    found = word_alternatives(decoder, route, SENTENCE, SENTENCE, 3, 2)
    assert found[0].sentence == SENTENCE
    assert sentence_alternatives(decoder, route, SENTENCE, SENTENCE, 2)[0] == SENTENCE


def test_a_chosen_alternative_is_stored_as_a_post_edit(install_fr_en, echo) -> None:
    cache = TranslationCache()
    engine, decoder = engine_and_decoder(cache)
    text = "Il pleut. La maison est grande. Il fait nuit."
    article = Article(
        path=Path("x.txt"), title="t", language="fr",
        paragraphs=(Paragraph(0, text, ParagraphKind.BODY, "fr", 0.9),),
    )
    [paragraph] = [e.paragraph for e in engine.translate(article, "en")
                   if isinstance(e, ParagraphReady)]
    assert len(paragraph.sentences) == 3
    pair = paragraph.sentences[1]
    found = word_alternatives(
        decoder, engine.route("fr", "en"), pair.source, pair.target, pair.target.index("maison"), 3
    )
    chosen = found[1].sentence
    expected = f"{echo('Il pleut.')} {chosen} {echo('Il fait nuit.')}"
    assert replace_sentence(paragraph, 1, chosen) == expected
    assert choose(engine, paragraph, "en", 1, chosen) is True
    # Read back from the cache, as a fresh engine would: the edit, machine text kept under it.
    stored = TranslationCache().get_edits("fr", "en", [source_hash(text)])
    assert stored[source_hash(text)].translation == expected
    again = TranslationEngine(TranslationCache()).peek(article, "en")[0]
    assert again is not None and again.status is ParagraphStatus.EDITED
    assert again.translation == expected and again.machine_translation == paragraph.translation


def test_choosing_an_empty_alternative_or_a_missing_sentence_is_refused(install_fr_en) -> None:
    engine, _ = engine_and_decoder()
    article = Article(
        path=Path("x.txt"), title="t", language="fr",
        paragraphs=(Paragraph(0, SENTENCE, ParagraphKind.BODY, "fr", 0.9),),
    )
    [paragraph] = [e.paragraph for e in engine.translate(article, "en")
                   if isinstance(e, ParagraphReady)]
    with pytest.raises(PackageError, match="needs text"):
        choose(engine, paragraph, "en", 0, "  ")
    with pytest.raises(PackageError, match="sentence 3 is not in the paragraph"):
        choose(engine, paragraph, "en", 3, "x")
