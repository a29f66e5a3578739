"""Language detection: deterministic, bounded, and no coin tosses on short texts."""

from __future__ import annotations

import subprocess
import sys
import threading
from collections.abc import Iterator

import pytest
from langdetect import DetectorFactory

from reader.core import langid
from reader.core.langid import detect, detect_article_language
from tests.conftest import REPO_ROOT

FRENCH = (
    "Les autorités locales ont déclaré lundi une opération antiterroriste, après que des "
    "combattants ont organisé une incursion dans la région frontalière."
)
ENGLISH = (
    "The local authorities declared an anti-terrorist operation on Monday after fighters "
    "staged an incursion into the border region."
)
ARABIC = "أعلنت الحكومة اليوم عن ميزانية جديدة للعام المقبل تتضمن زيادة في الإنفاق على التعليم"


@pytest.mark.parametrize(("text", "code"), [(FRENCH, "fr"), (ENGLISH, "en"), (ARABIC, "ar")])
def test_detects_languages_with_high_confidence(text: str, code: str) -> None:
    language, confidence = detect(text, inherit="xx")
    assert language == code
    assert confidence > 0.9


def test_deterministic_even_without_the_cache() -> None:
    # A text langdetect hesitates on: without a fixed seed its answer varies run to run.
    text = "Sign up for our newsletter"
    first = detect(text, force=True)
    for _ in range(5):
        langid._detect_raw.cache_clear()
        assert detect(text, force=True) == first


@pytest.mark.parametrize(
    "text",
    ["Accept", "Bonjour à tous", "Un, deux, trois, quatre", "Ok ok ok ok ok ok ok"],
)
def test_short_texts_inherit_with_zero_confidence(text: str) -> None:
    assert detect(text, inherit="fr") == ("fr", 0.0)
    assert detect(text, inherit="de") == ("de", 0.0)


def test_force_judges_short_texts_anyway() -> None:
    assert detect("Related Articles", inherit="fr") == ("fr", 0.0)
    language, confidence = detect("Related Articles", inherit="fr", force=True)
    assert language == "en"
    assert confidence > 0.5


@pytest.mark.parametrize("text", ["", "   ", "12 345 678 — 2023-09-14 : 42 %", "🎉🔥👍🏽 !!! ???"])
def test_texts_without_letters_inherit_even_when_forced(text: str) -> None:
    assert detect(text, inherit="fr") == ("fr", 0.0)
    assert detect(text, inherit="fr", force=True) == ("fr", 0.0)


def test_paragraph_detection_looks_at_a_bounded_prefix(monkeypatch: pytest.MonkeyPatch) -> None:
    samples: list[str] = []
    real = langid._detect_raw

    def spy(sample: str, trials: int = langid.PARAGRAPH_TRIALS) -> tuple[str, float] | None:
        samples.append(sample)
        return real(sample, trials)

    monkeypatch.setattr(langid, "_detect_raw", spy)
    assert detect(FRENCH * 400)[0] == "fr"
    assert samples and len(samples[0]) <= langid.PARAGRAPH_SAMPLE_CHARS


def test_article_language_is_judged_on_a_bounded_sample(monkeypatch: pytest.MonkeyPatch) -> None:
    consumed = 0

    def paragraphs() -> Iterator[str]:
        nonlocal consumed
        for _ in range(100_000):
            consumed += 1
            yield FRENCH

    samples: list[str] = []
    real = langid._detect_raw

    def spy(sample: str, trials: int = langid.PARAGRAPH_TRIALS) -> tuple[str, float] | None:
        samples.append(sample)
        return real(sample, trials)

    monkeypatch.setattr(langid, "_detect_raw", spy)
    language, confidence = detect_article_language(paragraphs())
    assert language == "fr" and confidence > 0.9
    assert len(samples) == 1 and len(samples[0]) <= langid.ARTICLE_SAMPLE_CHARS + 2
    # Stops reading paragraphs once the sample is full.
    assert consumed < 30


def test_article_language_of_nothing_is_undetermined() -> None:
    assert detect_article_language([]) == ("und", 0.0)
    assert detect_article_language(["", "123"]) == ("und", 0.0)
    assert detect_article_language(["Bref."], inherit="fr") == ("fr", 0.0)


def test_profiles_load_once_under_concurrent_first_use(monkeypatch: pytest.MonkeyPatch) -> None:
    loads = 0
    real_load = DetectorFactory.load_profile

    def counting_load(self: DetectorFactory, directory: str) -> None:
        nonlocal loads
        loads += 1
        real_load(self, directory)

    monkeypatch.setattr(DetectorFactory, "load_profile", counting_load)
    monkeypatch.setattr(langid, "_factory", None)
    langid._detect_raw.cache_clear()
    texts = [FRENCH, ENGLISH, ARABIC, "Sign up for our newsletter"] * 4
    results: list[tuple[str, float] | None] = [None] * len(texts)
    barrier = threading.Barrier(len(texts))

    def work(i: int) -> None:
        barrier.wait()
        results[i] = detect(texts[i], force=True)

    threads = [threading.Thread(target=work, args=(i,)) for i in range(len(texts))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert loads == 1
    langid._detect_raw.cache_clear()
    assert results == [detect(text, force=True) for text in texts]


def test_profiles_are_not_loaded_at_import() -> None:
    code = (
        "import reader.core.library, reader.core.parser, reader.core.langid as l;"
        "assert l._factory is None, 'loaded at import'"
    )
    subprocess.run([sys.executable, "-c", code], cwd=REPO_ROOT, check=True, timeout=60)
