"""Word alignment from cross-attention, exact with the hand-set models: the echo model
answers source piece i at target piece i (so word i ↔ word i), the gloss model answers
chosen pieces with other words (so the target spans move while the links stay)."""

from __future__ import annotations

from pathlib import Path

import pytest

from reader.core.articles.article import Article, Paragraph, ParagraphKind
from reader.core.models.store import install_package
from reader.core.translation.cache import TranslationCache
from reader.core.translation.decoder import Decoder
from reader.core.translation.engine import ParagraphReady, TranslationEngine
from reader.core.words.alignment import (
    WordLink,
    align_sentences,
    links_from_text,
    links_to_text,
    pair_key,
    paragraph_words,
    word_groups,
)

GLOSS = {"▁maison": "▁house", "▁est": "▁is", "▁homme": "▁man", "▁la": "▁the", "▁ville": "▁town"}


@pytest.fixture(scope="session")
def gloss_package(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from testkit.handset_package import build_handset_package

    return build_handset_package(tmp_path_factory.mktemp("gloss"), glossary=GLOSS)


def words_of(text: str, links: list[WordLink] | tuple[WordLink, ...], base: int = 0) -> list:
    return [
        (text[k.source_start - base : k.source_end - base], k.target_start, k.target_end)
        for k in links
    ]


def pairs(source: str, target: str, links: list[WordLink]) -> list[tuple[str, str]]:
    return [(source[k.source_start : k.source_end], target[k.target_start : k.target_end])
            for k in links]


def one_paragraph(text: str) -> Article:
    return Article(
        path=Path("x.txt"), title="t", language="fr",
        paragraphs=(Paragraph(0, text, ParagraphKind.BODY, "fr", 0.9),),
    )


def engine_and_decoder() -> tuple[TranslationEngine, Decoder]:
    engine = TranslationEngine(TranslationCache())
    return engine, Decoder(engine.pool, engine.options)


def test_pieces_merge_into_words_punctuation_apart() -> None:
    pieces = ["▁L", "'", "h", "om", "me", "▁«", "▁libre", "▁»", "▁a", "r", "ri", "ve", ","]
    spans, at = [], 0
    for piece in pieces:
        text = piece.replace("▁", " ")
        spans.append((piece, at, at + len(text)))
        at += len(text)
    groups = word_groups(spans)
    assert [(g.first, g.end) for g in groups] == [(0, 1), (2, 5), (6, 7), (8, 12)]


def test_echo_links_word_i_to_word_i_exactly(install_fr_en) -> None:
    engine, decoder = engine_and_decoder()
    route = engine.route("fr", "en")
    source = "L'homme « libre » arrive, dit-il."
    [links] = align_sentences(decoder, route, [(source, source)])
    assert [(k.source_start, k.source_end, k.target_start, k.target_end) for k in links] == [
        (0, 1, 0, 1), (2, 7, 2, 7), (10, 15, 10, 15), (18, 24, 18, 24), (26, 29, 26, 29),
        (30, 32, 30, 32),
    ]
    assert pairs(source, source, links) == [
        ("L", "L"), ("homme", "homme"), ("libre", "libre"), ("arrive", "arrive"),
        ("dit", "dit"), ("il", "il"),
    ]


def test_source_spans_are_in_the_text_as_written(install_fr_en, echo) -> None:
    """NFKC changes "ﬁn" to "fin" for the model; the source span still covers the ligature."""
    engine, decoder = engine_and_decoder()
    source = "La ﬁn  arrive."
    target = echo(source)
    assert target == "La fin arrive."
    [links] = align_sentences(decoder, engine.route("fr", "en"), [(source, target)])
    assert pairs(source, target, links) == [("La", "La"), ("ﬁn", "fin"), ("arrive", "arrive")]
    assert [(k.source_start, k.source_end) for k in links] == [(0, 2), (3, 5), (7, 13)]


def test_gloss_links_follow_the_model_not_the_letters(gloss_package, isolated_xdg) -> None:
    install_package(gloss_package)
    engine, decoder = engine_and_decoder()
    route = engine.route("fr", "en")
    source = "La maison est la ville."
    [paragraph] = [e.paragraph for e in engine.translate(one_paragraph(source), "en")
                   if isinstance(e, ParagraphReady)]
    assert paragraph.translation == "La house is the town."
    [links] = align_sentences(decoder, route, [(source, paragraph.translation)])
    assert pairs(source, paragraph.translation, links) == [
        ("La", "La"), ("maison", "house"), ("est", "is"), ("la", "the"), ("ville", "town")
    ]
    assert [(k.target_start, k.target_end) for k in links] == [
        (0, 2), (3, 8), (9, 11), (12, 15), (16, 20)
    ]


def test_an_edited_target_is_aligned_forced(install_fr_en) -> None:
    """A target the model would not write (the reader's edit) is decoded forced. The echo
    model attends by position: target piece i looks at source piece i, whatever it is.
    "villa" is 3 pieces (▁vi l la) at positions 2-4, i.e. on ▁maison ▁est ▁grand: a third
    of its mass on each word (over MIN_MASS, all equal), so it links to all three; the
    edit's "est" (piece 5) looks at "e" of "grande"; its "grande" (6, 7) at "." and
    ``</s>``, which belong to no word: left unlinked."""
    engine, decoder = engine_and_decoder()
    source, target = "La maison est grande.", "La villa est grande."
    [links] = align_sentences(decoder, engine.route("fr", "en"), [(source, target)])
    assert pairs(source, target, links) == [
        ("La", "La"), ("maison", "villa"), ("est", "villa"), ("grande", "villa"),
        ("grande", "est"),
    ]


def test_pivot_links_compose_through_english(install_pivot) -> None:
    engine, decoder = engine_and_decoder()
    route = engine.route("fr", "es")
    assert len(route.packages) == 2
    source = "Le chat dort."
    [links] = align_sentences(decoder, route, [(source, source)])
    assert pairs(source, source, links) == [("Le", "Le"), ("chat", "chat"), ("dort", "dort")]


def test_paragraph_words_are_in_the_paragraph_frame_and_kept(install_fr_en, echo) -> None:
    cache = TranslationCache()
    engine = TranslationEngine(cache)
    decoder = Decoder(engine.pool, engine.options)
    text = "Il pleut. La maison est grande."
    [paragraph] = [e.paragraph for e in engine.translate(one_paragraph(text), "en")
                   if isinstance(e, ParagraphReady)]
    route = engine.route("fr", "en")
    words = paragraph_words(decoder, route, paragraph, cache)
    assert len(words) == 2
    assert [(text[k.source_start:k.source_end],
             paragraph.translation[k.target_start:k.target_end]) for k in words[1]] == [
        ("La", "La"), ("maison", "maison"), ("est", "est"), ("grande", "grande")
    ]
    assert (words[1][0].source_start, words[1][0].target_start) == (10, 10)
    # Kept: a second call reads the cache and decodes nothing.
    calls: list[int] = []
    real = decoder.pool.translator

    def counting(package):  # type: ignore[no-untyped-def]
        calls.append(1)
        return real(package)

    decoder.pool.translator = counting  # type: ignore[method-assign]
    assert paragraph_words(decoder, route, paragraph, cache) == words
    assert calls == []


def test_links_round_trip_as_text() -> None:
    links = (WordLink(0, 2, 0, 2), WordLink(3, 9, 3, 8))
    assert links_from_text(links_to_text(links)) == links
    assert links[1].to_json() == {"source_span": [3, 9], "target_span": [3, 8]}


def test_paragraph_json_adds_words_and_alternatives(install_fr_en, echo) -> None:
    from reader.core.words.extras import paragraph_json

    engine = TranslationEngine(TranslationCache())
    text = "Il pleut. La maison est grande."
    [paragraph] = [e.paragraph for e in engine.translate(one_paragraph(text), "en")
                   if isinstance(e, ParagraphReady)]
    data = paragraph_json(engine, paragraph, "en", words=True, alternatives=2)
    first, second = data["sentences"]
    assert first["words"] == [
        {"source_span": [0, 2], "target_span": [0, 2]},
        {"source_span": [3, 8], "target_span": [3, 8]},
    ]
    assert second["words"][1] == {"source_span": [13, 19], "target_span": [13, 19]}
    assert second["alternatives"][0] == echo("La maison est grande.")
    assert len(second["alternatives"]) == 2
    plain = paragraph_json(engine, paragraph, "en")
    assert plain == paragraph.to_json()


def test_the_translation_pass_keeps_the_links(install_fr_en) -> None:
    """Fresh translations are aligned in the same pass (attention asked for with them): the
    links are in the cache before anybody asks for words."""
    cache = TranslationCache()
    engine = TranslationEngine(cache)
    text = "Il pleut. La maison est grande."
    [paragraph] = [e.paragraph for e in engine.translate(one_paragraph(text), "en")
                   if isinstance(e, ParagraphReady)]
    route = engine.route("fr", "en")
    keys = [pair_key(p.source, p.target) for p in paragraph.sentences]
    kept = TranslationCache().get_word_links(route.key, keys)
    assert [links_from_text(kept[key]) for key in keys] == [
        (WordLink(0, 2, 0, 2), WordLink(3, 8, 3, 8)),
        (WordLink(0, 2, 0, 2), WordLink(3, 9, 3, 9), WordLink(10, 13, 10, 13),
         WordLink(14, 20, 14, 20)),
    ]


def test_a_schema_2_cache_is_served_and_aligned_when_asked(install_fr_en, isolated_xdg) -> None:
    """A translation cached before word links existed (schema 2) is served as it is, and
    aligned (then kept) the first time words are asked for; clearing removes the links."""
    import sqlite3

    from reader.core.articles.article import source_hash
    from reader.core.translation.cache_db import _MIGRATIONS, SCHEMA_VERSION
    from reader.paths import translation_cache_path

    text = "La maison est grande."
    engine = TranslationEngine(TranslationCache())
    [paragraph] = [e.paragraph for e in engine.translate(one_paragraph(text), "en")
                   if isinstance(e, ParagraphReady)]
    engine.cache.close()
    # Back to schema 2, as an older version left it: no word_links table.
    path = translation_cache_path()
    conn = sqlite3.connect(path)
    conn.execute("DROP TABLE word_links")
    conn.execute("PRAGMA user_version = 2")
    conn.commit()
    conn.close()
    assert 3 in _MIGRATIONS and SCHEMA_VERSION == 3

    cache = TranslationCache()
    engine = TranslationEngine(cache)
    [again] = [e.paragraph for e in engine.translate(one_paragraph(text), "en")
               if isinstance(e, ParagraphReady)]
    assert again.status.value == "cached" and again.translation == paragraph.translation
    route = engine.route("fr", "en")
    key = pair_key(text, again.translation)
    assert cache.get_word_links(route.key, [key]) == {}
    words = paragraph_words(Decoder(engine.pool, engine.options), route, again, cache)
    assert len(words[0]) == 4
    assert links_from_text(cache.get_word_links(route.key, [key])[key]) == words[0]
    cache.clear_hashes([source_hash(text)])
    assert cache.get_word_links(route.key, [key]) == {}
