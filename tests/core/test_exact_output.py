"""Exact output: with the hand-set echo model every translation is known word for word.

``echo(text)`` is the text after the tokenizer's own normalization (NFKC, spaces collapsed):
what a model that answers each piece with itself returns. The repeat×3 model answers each
piece three times, so its answers outrun the first decoding limit (1.6 × source + 8): the
engine must decode them again with room, and report (never cache) one it still cannot end.
"""

from __future__ import annotations

import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import sentencepiece as spm

from reader.core.articles.article import Article, Paragraph, ParagraphKind
from reader.core.articles.parser import parse_file, parse_text
from reader.core.models import store as packages
from reader.core.translation.cache import TranslationCache
from reader.core.translation.engine import DecodingOptions, ParagraphReady, TranslationEngine
from reader.core.translation.results import ParagraphStatus

Echo = Callable[[str], str]


def make_engine(options: DecodingOptions | None = None) -> TranslationEngine:
    return TranslationEngine(TranslationCache(), options=options or DecodingOptions())


def translate(engine: TranslationEngine, article: Article, target: str = "en", **kw: Any) -> list:
    events = engine.translate(article, target, **kw)
    return [e.paragraph for e in events if isinstance(e, ParagraphReady)]


def article_of(*texts: str, language: str = "fr") -> Article:
    return Article(
        path=Path("made-up.txt"),
        title="t",
        language=language,
        paragraphs=tuple(
            Paragraph(i, text, ParagraphKind.BODY, language, 0.9) for i, text in enumerate(texts)
        ),
    )


def assert_echoed(article: Article, results: list, echo: Echo) -> None:
    assert [r.index for r in results] == [p.index for p in article.paragraphs]
    for paragraph, result in zip(article.paragraphs, results, strict=True):
        if result.status is ParagraphStatus.PASSTHROUGH:
            assert result.translation == paragraph.text
            continue
        assert result.translation == echo(paragraph.text), paragraph.text
        for pair in result.sentences:
            assert pair.target == echo(pair.source)
            assert result.translation[pair.target_start : pair.target_end] == pair.target


def test_every_seed_paragraph_is_echoed_exactly(install_fr_en, seed_paths, echo: Echo) -> None:
    engine = make_engine()
    for path in seed_paths:
        article = parse_file(path)
        results = translate(engine, article)
        assert_echoed(article, results, echo)
        assert {r.status for r in results} <= {
            ParagraphStatus.TRANSLATED, ParagraphStatus.CACHED, ParagraphStatus.PASSTHROUGH
        }


def test_cache_hits_read_exactly_the_same(install_fr_en, seed_paths, echo: Echo) -> None:
    engine = make_engine()
    article = parse_file(seed_paths[1])
    first = translate(engine, article)
    again = translate(engine, article)
    assert [r.translation for r in again] == [r.translation for r in first]
    assert {r.status for r in again} <= {ParagraphStatus.CACHED, ParagraphStatus.PASSTHROUGH}
    assert_echoed(article, again, echo)
    # A fresh engine on the same cache (another process) reads the same from disk.
    fresh = TranslationEngine(engine.cache)
    assert [p.translation for p in fresh.peek(article, "en")] == [r.translation for r in first]


def test_awkward_text_hard_wraps_no_break_and_thin_spaces(
    install_fr_en, tmp_path: Path, echo: Echo
) -> None:
    text = (
        "Le président a déclaré\nqu’il ne changerait pas\nde politique malgré les critiques.\n\n"
        "Les\u00a0habitants de la ville\u202fse sont réunis ce matin : 20\u2009000 personnes !\n\n"
        "Selon les experts,   la situation\teconomique devrait s’améliorer.\n"
    )
    path = tmp_path / "awkward.txt"
    path.write_text(text, encoding="utf-8")
    article = parse_file(path)
    assert article.ok and len(article.paragraphs) >= 3
    results = translate(make_engine(), article)
    assert_echoed(article, results, echo)
    assert "20 000 personnes" in " ".join(r.translation for r in results)


def test_sentences_cut_at_clauses_come_back_whole(install_fr_en, echo: Echo) -> None:
    # One sentence well over the input limit: cut at clause (then token) boundaries, and the
    # pieces' translations joined must be the whole sentence again.
    sentence = (
        "Les habitants de la ville se sont réunis ce matin devant la mairie, "
        "le gouvernement a annoncé de nouvelles mesures pour soutenir les entreprises, "
        "selon les experts la situation économique devrait s’améliorer au cours de l’année, "
        "et la guerre a provoqué le déplacement de milliers de personnes vers les pays voisins."
    )
    words = ("la guerre " * 300).strip()  # nothing to cut at but token boundaries
    article = article_of(sentence, words)
    results = translate(make_engine(DecodingOptions(max_input_tokens=24)), article)
    assert_echoed(article, results, echo)
    assert all(r.status is ParagraphStatus.TRANSLATED for r in results)


def test_pivot_route_echoes_through_both_legs(install_pivot, seed_paths, echo: Echo) -> None:
    article = parse_file(seed_paths[0])
    results = translate(make_engine(), article, "es")
    assert_echoed(article, results, echo)


def test_repeats_read_the_same_and_exact(install_fr_en, echo: Echo) -> None:
    quote = "Nous avons peur, et c’est particulièrement difficile avec des enfants."
    article = article_of(f"Elle a dit : {quote}", f"Il a répété. {quote}", quote)
    results = translate(make_engine(), article)
    assert_echoed(article, results, echo)
    assert results[1].sentences[-1].target == results[2].translation == echo(quote)


def test_retranslated_paragraph_and_post_edit(install_fr_en, seed_paths, echo: Echo) -> None:
    engine = make_engine()
    article = parse_file(seed_paths[2])
    first = translate(engine, article)
    index = next(r.index for r in first if r.status is ParagraphStatus.TRANSLATED)
    again = translate(engine, article, use_cache=False, only=[index])
    assert [r.index for r in again] == [index]
    assert again[0].status is ParagraphStatus.TRANSLATED
    assert again[0].translation == echo(article.paragraphs[index].text)
    engine.set_edit(again[0], "en", "My own wording.")
    edited = engine.peek(article, "en")[index]
    assert edited is not None and edited.status is ParagraphStatus.EDITED
    assert edited.translation == "My own wording."
    assert edited.machine_translation == echo(article.paragraphs[index].text)
    engine.revert_edit(edited, "en")
    reverted = engine.peek(article, "en")[index]
    assert reverted is not None and reverted.translation == echo(article.paragraphs[index].text)


# -- long answers: never cut ---------------------------------------------------------------------


@pytest.fixture
def install_x3(synthetic_packages: dict[str, Path], isolated_xdg) -> packages.InstalledPackage:
    return packages.install_package(synthetic_packages["fr_en-x3"])


def thrice(text: str, sp_model: bytes) -> str:
    processor = spm.SentencePieceProcessor(model_proto=sp_model)
    pieces = [p for p in processor.encode(text, out_type=str) for _ in range(3)]
    return str(processor.decode_pieces(pieces)).replace("▁", " ").strip()


def _sp_model(package: Path) -> bytes:
    with zipfile.ZipFile(package) as archive:
        return archive.read(next(n for n in archive.namelist() if n.endswith(".model")))


def test_answers_three_times_longer_are_never_cut(
    install_x3, synthetic_packages, seed_paths
) -> None:
    sp_model = _sp_model(synthetic_packages["fr_en-x3"])
    engine = make_engine()
    article = parse_file(seed_paths[1])
    results = translate(engine, article)
    for result in results:
        if result.status is ParagraphStatus.PASSTHROUGH:
            continue
        assert result.status is ParagraphStatus.TRANSLATED
        for pair in result.sentences:
            assert pair.target == thrice(pair.source, sp_model)
    # Complete answers are cached as complete.
    assert {r.status for r in translate(engine, article)} <= {
        ParagraphStatus.CACHED, ParagraphStatus.PASSTHROUGH
    }


def test_an_answer_still_at_the_limit_is_reported_and_never_cached(
    install_x3, synthetic_packages
) -> None:
    sp_model = _sp_model(synthetic_packages["fr_en-x3"])
    # No room to retry: the repeat model cannot finish a sentence of this length.
    options = DecodingOptions(retry_cap=0)
    engine = make_engine(options)
    long_sentence = "Les habitants de la ville se sont réunis ce matin devant la mairie."
    short = "Oui."  # 3 × its pieces fits in 1.6 × n + 8
    article = article_of(long_sentence, short)
    results = translate(engine, article)
    assert results[0].status is ParagraphStatus.TRUNCATED
    full = thrice(long_sentence, sp_model)
    assert results[0].translation and full.startswith(results[0].translation)
    assert len(results[0].translation) < len(full)
    assert results[1].status is ParagraphStatus.TRANSLATED
    assert results[1].translation == thrice(short, sp_model)
    peek = engine.peek(article, "en")
    assert peek[0] is None, "a cut translation must not be served from the cache"
    assert peek[1] is not None and peek[1].status is ParagraphStatus.CACHED
    # With room (the default), the same engine state finishes it.
    results = translate(TranslationEngine(engine.cache), article)
    assert results[0].status is ParagraphStatus.TRANSLATED
    assert results[0].translation == full


def test_a_model_that_never_stops_is_reported_truncated(
    random_packages: dict[str, Path], isolated_xdg
) -> None:
    packages.install_package(random_packages["fr_en"])
    engine = make_engine()
    article = article_of("Le président a parlé.", "Les élèves retourneront à l’école lundi.")
    results = translate(engine, article)
    assert [r.status for r in results] == [ParagraphStatus.TRUNCATED] * 2
    assert all(r.translation for r in results)
    assert engine.peek(article, "en") == [None, None]
    assert engine.cache is not None and engine.cache.stats().entries == 0


def test_parse_text_paragraph_roundtrip_matches_echo(install_fr_en, echo: Echo) -> None:
    # Markdown and HTML inputs go through the same engine path; their paragraphs echo too.
    article = parse_text(
        "# Titre\n\nLe *président* a déclaré qu’il partirait.\n\n- une liste\n- deux points\n",
        Path("a.md"),
    )
    results = translate(make_engine(), article)
    assert_echoed(article, results, echo)


def test_streaming_puts_the_first_paragraph_alone_in_the_first_window(
    install_fr_en, seed_paths, echo: Echo
) -> None:
    from reader.core.translation.results import TranslationProgress

    article = parse_file(seed_paths[1])
    engine = make_engine(DecodingOptions(window_sentences=8, first_paragraph_alone=True))
    events = list(engine.translate(article, "en"))
    progress = [e for e in events if isinstance(e, TranslationProgress)]
    first = next(
        e.paragraph for e in events
        if isinstance(e, ParagraphReady) and e.paragraph.status is ParagraphStatus.TRANSLATED
    )
    assert progress[0].done == len(first.sentences) < 8
    # It arrives right after that first window, before the second one is decoded.
    index = events.index(next(e for e in events if isinstance(e, ParagraphReady)
                              and e.paragraph is first))
    assert index < events.index(progress[1])
    assert_echoed(article, [e.paragraph for e in events if isinstance(e, ParagraphReady)], echo)
