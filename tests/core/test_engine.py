"""The engine against real (synthetic-weight) Argos packages, a real cache and real CTranslate2.

The synthetic models produce gibberish by design: these tests check structure, alignment,
caching and limits, never wording.
"""

from __future__ import annotations

import dataclasses
import socket
from pathlib import Path
from typing import Any

import pytest

from reader.core.articles.article import Article, Paragraph, ParagraphKind
from reader.core.articles.parser import parse_file
from reader.core.models import store as packages
from reader.core.models.store import MissingModelError
from reader.core.translation.cache import TranslationCache
from reader.core.translation.engine import (
    DecodingOptions,
    ModelPool,
    ParagraphReady,
    TranslationEngine,
    TranslationFinished,
    TranslationStarted,
    article_cache_hashes,
    is_untranslatable,
)
from reader.core.translation.results import ParagraphStatus, TranslationProgress


class RecordingTranslator:
    """The real ctranslate2.Translator, with its calls recorded (a spy, not a stub)."""

    def __init__(self, real: Any) -> None:
        self.real = real
        self.calls: list[dict[str, Any]] = []

    def translate_batch(self, source: list[list[str]], **kwargs: Any) -> Any:
        results = self.real.translate_batch(source, **kwargs)
        finished = [r.result() if kwargs.get("asynchronous") else r for r in results]
        self.calls.append(
            {
                "source": [list(s) for s in source],
                "kwargs": kwargs,
                "lengths": [len(r.hypotheses[0]) for r in finished],
            }
        )
        return results


class RecordingPool(ModelPool):
    def __init__(self) -> None:
        super().__init__()
        self.recorders: dict[str, RecordingTranslator] = {}

    def translator(self, package):  # type: ignore[no-untyped-def]
        real = super().translator(package)
        return self.recorders.setdefault(package.code, RecordingTranslator(real))

    @property
    def calls(self) -> list[dict[str, Any]]:
        return [call for recorder in self.recorders.values() for call in recorder.calls]


def make_engine(options: DecodingOptions | None = None) -> tuple[TranslationEngine, RecordingPool]:
    pool = RecordingPool()
    engine = TranslationEngine(TranslationCache(), options=options or DecodingOptions(), pool=pool)
    return engine, pool


def run(
    engine: TranslationEngine, article: Article, target: str = "en", **kwargs: Any
) -> list[Any]:
    return list(engine.translate(article, target, **kwargs))


def readies(events: list[Any]) -> list[Any]:
    return [e.paragraph for e in events if isinstance(e, ParagraphReady)]


def test_every_seed_yields_one_aligned_result_per_paragraph(install_fr_en, seed_paths) -> None:
    engine, _ = make_engine()
    for path in seed_paths:
        article = parse_file(path)
        events = run(engine, article)
        assert isinstance(events[0], TranslationStarted)
        assert isinstance(events[-1], TranslationFinished) and events[-1].error is None
        results = readies(events)
        assert [r.index for r in results] == [p.index for p in article.paragraphs]
        for paragraph, result in zip(article.paragraphs, results, strict=True):
            assert result.source == paragraph.text
            assert result.kind == paragraph.kind
            if result.status is ParagraphStatus.PASSTHROUGH:
                assert result.translation == paragraph.text
                continue
            # CACHED: a paragraph made entirely of sentences already translated in an
            # earlier article (a quote cited by two papers) comes from the sentence memory.
            assert result.status in (ParagraphStatus.TRANSLATED, ParagraphStatus.CACHED)
            assert result.translation.strip()
            assert result.sentences, "alignment is part of the result"
            for pair in result.sentences:
                assert paragraph.text[pair.source_start : pair.source_end] == pair.source
                assert result.translation[pair.target_start : pair.target_end] == pair.target
                assert pair.target.strip()
        assert events[0].packages[0].code == "translate-fr_en"


def test_events_stream_in_document_order_with_monotonic_progress(install_fr_en, seed_paths) -> None:
    engine, _ = make_engine(DecodingOptions(window_sentences=4))
    article = parse_file(seed_paths[0])
    events = run(engine, article)
    started = events[0]
    progress = [e for e in events if isinstance(e, TranslationProgress)]
    assert len(progress) > 3, "small windows must report progress several times"
    assert [p.done for p in progress] == sorted(p.done for p in progress)
    assert progress[-1].done == progress[-1].total == started.total_sentences
    # Paragraphs arrive interleaved with progress, not all at the end.
    first_ready = next(i for i, e in enumerate(events) if isinstance(e, ParagraphReady))
    last_progress = max(i for i, e in enumerate(events) if isinstance(e, TranslationProgress))
    assert first_ready < last_progress


def test_next_window_is_queued_before_a_window_is_collected(install_fr_en, seed_paths) -> None:
    # CTranslate2 takes queued batches in order: with the next window already queued, no
    # worker idles at a window's end, and paragraphs still stream window by window.
    engine, pool = make_engine(DecodingOptions(window_sentences=4))
    article = parse_file(seed_paths[0])
    submitted_at_progress = []
    progress = []
    for event in engine.translate(article, "en"):
        if isinstance(event, TranslationProgress):
            progress.append(event)
            submitted_at_progress.append(sum(len(call["source"]) for call in pool.calls))
    assert len(progress) > 2
    for event, submitted in zip(progress[:-1], submitted_at_progress, strict=False):
        assert submitted > event.done, "the next window is queued before this one is shown"
    assert submitted_at_progress[-1] == progress[-1].done == progress[-1].total


def test_second_run_is_served_entirely_from_cache(install_fr_en, seed_paths) -> None:
    engine, pool = make_engine()
    article = parse_file(seed_paths[1])
    run(engine, article)
    calls_after_first = len(pool.calls)
    fresh_engine, fresh_pool = TranslationEngine(engine.cache, pool=RecordingPool()), None
    results = readies(run(fresh_engine, article))
    assert all(r.status is ParagraphStatus.CACHED for r in results)
    assert fresh_engine.pool._translators == {}, "no model is loaded when everything is cached"
    assert len(pool.calls) == calls_after_first
    assert fresh_pool is None
    # peek shows the same thing without a model.
    peeked = fresh_engine.peek(article, "en")
    assert [p.translation for p in peeked if p] == [r.translation for r in results]


def test_cancel_keeps_what_is_done_and_caches_it(install_fr_en, seed_paths) -> None:
    engine, _ = make_engine(DecodingOptions(window_sentences=4))
    article = parse_file(seed_paths[0])
    seen_progress = []

    def cancelled() -> bool:
        return len(seen_progress) >= 2

    events = []
    for event in engine.translate(article, "en", is_cancelled=cancelled):
        events.append(event)
        if isinstance(event, TranslationProgress):
            seen_progress.append(event)
    assert events[-1] == TranslationFinished(
        cancelled=True, translated=events[-1].translated, reused=events[-1].reused
    )
    done = readies(events)
    assert 0 < len(done) < len(article.paragraphs)
    assert [r.index for r in done] == list(range(len(done)))
    again = readies(run(engine, article))
    statuses = [r.status for r in again]
    assert statuses[: len(done)].count(ParagraphStatus.TRANSLATED) == 0
    assert ParagraphStatus.TRANSLATED in statuses[len(done) :]


def test_pivot_through_english(install_pivot, seed_paths) -> None:
    engine, pool = make_engine()
    article = parse_file(seed_paths[2])  # 002: ends with English boilerplate
    events = run(engine, article, "es")
    assert [p.code for p in events[0].packages] == ["translate-fr_en", "translate-en_es"]
    results = readies(events)
    assert len(results) == len(article.paragraphs)
    assert all(r.translation.strip() for r in results)
    # Both legs ran; the English boilerplate went through en→es only, never fr→en.
    fr_en_inputs = {tuple(s) for c in pool.recorders["translate-fr_en"].calls for s in c["source"]}
    cookie = next(p for p in article.paragraphs if p.text.startswith("This website uses cookies"))
    cookie_tokens = tuple(pool.tokenizer(install_pivot[0]).encode(cookie.text.split(".")[0] + "."))
    assert cookie_tokens not in fr_en_inputs
    assert pool.recorders["translate-en_es"].calls


def test_target_language_paragraphs_pass_through(install_fr_en, seed_paths) -> None:
    engine, pool = make_engine()
    article = parse_file(seed_paths[2])
    results = readies(run(engine, article, "en"))
    boilerplate = [
        r for r in results if r.kind is ParagraphKind.BOILERPLATE and r.source_language == "en"
    ]
    assert boilerplate and all(r.status is ParagraphStatus.PASSTHROUGH for r in boilerplate)
    inputs = [tuple(s) for c in pool.calls for s in c["source"]]
    tokenizer = pool.tokenizer(install_fr_en)
    assert tuple(tokenizer.encode("Related Articles")) not in inputs


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", True),
        ("2 000", True),
        ("https://example.com/a", True),
        ("— 12 —", True),
        ("www.express.co.uk", True),
        ("INFO", False),
        ("Il pleut.", False),
    ],
)
def test_untranslatable(text: str, expected: bool) -> None:
    assert is_untranslatable(text) is expected


def test_missing_pair_is_named_before_any_work(install_fr_en, seed_paths) -> None:
    engine, _ = make_engine()
    with pytest.raises(MissingModelError) as caught:
        run(engine, parse_file(seed_paths[0]), "de")
    message = str(caught.value)
    assert "fr" in message.lower() and "de" in message.lower() and "install" in message


def test_decoding_length_limit_is_proportional_per_batch(install_fr_en, seed_paths) -> None:
    options = DecodingOptions(length_ratio=1.0, length_margin=3)
    engine, pool = make_engine(options)
    run(engine, parse_file(seed_paths[3]))
    assert pool.calls
    for call in pool.calls:
        longest = max(len(s) for s in call["source"])
        limit = call["kwargs"]["max_decoding_length"]
        assert limit == min(256, longest + 3)
        # The synthetic model never emits </s>: every output runs to the limit, no further.
        assert max(call["lengths"]) <= limit
        assert call["kwargs"]["max_input_length"] == 0  # never truncates silently
    # Batches are length-sorted and kept within the spread: a short sentence never shares
    # (and pays for) a long sentence's decoding limit.
    lengths = sorted(len(s) for c in pool.calls for s in c["source"])
    assert lengths[0] < lengths[-1]
    for call in pool.calls:
        sizes = [len(s) for s in call["source"]]
        assert max(sizes) <= min(sizes) * options.batch_length_spread
        assert max(sizes) * len(sizes) <= max(options.max_batch_tokens, max(sizes))


def test_long_paragraph_is_cut_never_truncated(install_fr_en) -> None:
    words = ("la guerre " * 5000).strip()  # 50,000 characters, no punctuation to cut at
    article = Article(
        path=Path("long.txt"),
        title="t",
        language="fr",
        paragraphs=(Paragraph(0, words, ParagraphKind.BODY, "fr", 0.9),),
    )
    options = DecodingOptions(max_input_tokens=64)
    engine, pool = make_engine(options)
    results = readies(run(engine, article))
    assert results[0].status is ParagraphStatus.TRANSLATED
    inputs = [s for c in pool.calls for s in c["source"]]
    assert max(len(s) for s in inputs) <= 64
    tokenizer = pool.tokenizer(install_fr_en)
    total_tokens = len(tokenizer.encode(words))
    # Every source token went to the model exactly once, modulo dedup of identical chunks.
    distinct = {tuple(s) for s in inputs}
    assert sum(len(s) for s in distinct) <= total_tokens
    assert len(results[0].sentences) == 1


def test_repeated_sentence_is_translated_once_and_reads_the_same(install_fr_en) -> None:
    quote = "Nous avons peur, et c’est particulièrement difficile avec des enfants."
    article = Article(
        path=Path("quote.txt"),
        title="t",
        language="fr",
        paragraphs=(
            Paragraph(0, f"Elle a dit : {quote}", ParagraphKind.BODY, "fr", 0.9),
            Paragraph(1, f"Il a répété. {quote}", ParagraphKind.BODY, "fr", 0.9),
            Paragraph(2, quote, ParagraphKind.QUOTE, "fr", 0.9),
        ),
    )
    engine, pool = make_engine()
    results = readies(run(engine, article))
    tokens = tuple(pool.tokenizer(install_fr_en).encode(quote))
    sent = [tuple(s) for c in pool.calls for s in c["source"]]
    assert sent.count(tokens) == 1
    assert results[1].sentences[1].target == results[2].sentences[0].target


def test_retranslate_one_paragraph_replaces_only_it(install_fr_en, seed_paths) -> None:
    engine, pool = make_engine()
    article = parse_file(seed_paths[1])
    run(engine, article)
    before = len(pool.calls)
    events = run(engine, article, use_cache=False, only=[3])
    results = readies(events)
    assert [r.index for r in results] == [3]
    assert results[0].status is ParagraphStatus.TRANSLATED
    assert len(pool.calls) > before
    assert engine.cache is not None and engine.cache.stats().entries == len(
        [p for p in article.paragraphs if not is_untranslatable(p.text)]
    )


def test_post_edit_wins_and_survives_retranslation(install_fr_en, seed_paths) -> None:
    engine, _ = make_engine()
    article = parse_file(seed_paths[1])
    first = readies(run(engine, article))
    engine.set_edit(first[2], "en", "My own wording.")
    again = readies(run(engine, article, use_cache=False))
    assert again[2].status is ParagraphStatus.EDITED
    assert again[2].translation == "My own wording."
    assert again[2].machine_translation  # kept for revert
    engine.revert_edit(again[2], "en")
    assert engine.peek(article, "en")[2].status is ParagraphStatus.CACHED


def test_new_model_version_never_serves_old_translations(
    install_fr_en, synthetic_packages, seed_paths
) -> None:
    engine, _ = make_engine()
    article = parse_file(seed_paths[4])
    run(engine, article)
    packages.install_package(synthetic_packages["fr_en-1.1"])
    engine.refresh_packages()
    events = run(engine, article)
    assert events[0].packages[0].version == "1.1"
    assert ParagraphStatus.CACHED not in {r.status for r in readies(events)}


def test_broken_model_fails_cleanly_and_caches_nothing(install_fr_en, seed_paths) -> None:
    (install_fr_en.path / "model" / "model.bin").write_bytes(b"garbage")
    engine, _ = make_engine()
    article = parse_file(seed_paths[4])
    events = run(engine, article)
    finished = events[-1]
    assert finished.error and "\n" not in finished.error
    results = readies(events)
    assert len(results) == len(article.paragraphs)
    assert all(r.status in (ParagraphStatus.FAILED, ParagraphStatus.PASSTHROUGH) for r in results)
    assert engine.cache is not None and engine.cache.stats().entries == 0


def test_no_socket_is_opened_during_translation(install_fr_en, seed_paths, monkeypatch) -> None:
    def refuse(*args: Any, **kwargs: Any) -> None:
        raise AssertionError("the engine tried to open a socket")

    monkeypatch.setattr(socket, "socket", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    engine, _ = make_engine(DecodingOptions(beam_size=1))
    for path in seed_paths:
        events = run(engine, parse_file(path))
        assert events[-1].error is None


def test_cache_key_changes_with_output_changing_settings_only() -> None:
    base = DecodingOptions()
    assert dataclasses.replace(base, beam_size=1).cache_key() != base.cache_key()
    assert dataclasses.replace(base, length_ratio=2.0).cache_key() != base.cache_key()
    assert dataclasses.replace(base, max_batch_tokens=99).cache_key() == base.cache_key()
    assert dataclasses.replace(base, window_sentences=3).cache_key() == base.cache_key()


def test_source_language_override_routes_through_the_chosen_model(
    install_pivot, seed_paths
) -> None:
    # Treat a French article as English: the en→es package alone is used, and the English
    # boilerplate (detected on its own) is untouched by the override.
    engine, pool = make_engine(DecodingOptions(beam_size=1))
    article = parse_file(seed_paths[2]).with_source_language("en")
    assert article.language == "en"
    events = run(engine, article, "es")
    assert [p.code for p in events[0].packages] == ["translate-en_es"]
    assert "translate-fr_en" not in pool.recorders


def test_a_quote_repeated_across_articles_reads_the_same(install_fr_en, seed_paths) -> None:
    quote = "“Ces jours-ci, l’armée russe montre son meilleur – montrant son dos."
    engine, pool = make_engine(DecodingOptions(beam_size=1))
    first = readies(run(engine, parse_file(seed_paths[1])))  # 001 cites Zelensky
    calls_before = [tuple(s) for c in pool.calls for s in c["source"]]
    second = readies(run(engine, parse_file(seed_paths[2])))  # 002 cites him again

    def target_of(results: list[Any]) -> str:
        return next(p.target for r in results for p in r.sentences if p.source == quote)

    assert target_of(first) == target_of(second)
    tokens = tuple(pool.tokenizer(install_fr_en).encode(quote))
    sent = [tuple(s) for c in pool.calls for s in c["source"]]
    assert sent.count(tokens) == 1 and calls_before.count(tokens) == 1
    assert engine.cache is not None and engine.cache.stats().sentences > 0


def test_no_cache_bypasses_the_sentence_memory_and_clearing_forgets_it(
    install_fr_en, seed_paths
) -> None:
    engine, pool = make_engine(DecodingOptions(beam_size=1))
    article = parse_file(seed_paths[1])
    run(engine, article)
    calls = len(pool.calls)
    run(engine, article, use_cache=False)
    assert len(pool.calls) > calls  # re-translated, not recalled
    assert engine.cache is not None
    engine.cache.clear_hashes(article_cache_hashes(article))
    stats = engine.cache.stats()
    assert stats.entries == 0 and stats.sentences == 0
