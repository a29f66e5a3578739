"""The bulk re-implementation of langdetect's detection gives langdetect's own numbers.

Every comparison is exact (float ==): the language memo, the cache keys downstream and the
listing all rely on detection answering what langdetect answers."""

from __future__ import annotations

import random

import pytest
from langdetect import DetectorFactory
from langdetect.detector import Detector
from langdetect.detector_factory import PROFILES_DIRECTORY
from langdetect.lang_detect_exception import LangDetectException

from reader.core.articles.parser import split_blocks
from reader.core.language import langdetect_fast, langid
from reader.paths import samples_dir
from tests.core.test_langid import PARAGRAPHS

# Texts that exercise every branch langdetect has: capitals (skipped all-caps words, but
# not their trailing space), URLs and e-mail addresses, runs of spaces and other white
# space, Vietnamese letters with combining marks, Romanian comma-below letters, Latin-1
# punctuation, mixed scripts (Latin dropped when another script dominates), CJK and kana.
AWKWARD = [
    "L'OTAN et l'ONU ont réagi. Selon l'AFP, le G7 se réunira à PARIS le 3 mars.",
    "ABC DEF ghi JKL mno PQRs tUVw XyZ   A B C  aB Ab AB",
    "Voir https://www.example.com/a-b?c=d&e=f#g et écrire à jean.dupont@example.fr ce soir.",
    "Tiếng Việt có dấu: Việt Nam, người, được, những. Te\u0301st vie\u0302\u0301t.",
    "Această ştire şi această ţară: înţelegere, ţărm, şcoală, şi ţara.",
    "Prix : 12,50 € – « guillemets » — tiret ; point-virgule ! ¿Qué? ¡Sí! «Olá» ° ± ×",
    "Tab\there, new\nline, no-break\u00a0space, thin\u2009space,  two  spaces   three.",
    "Москва и Киев: переговоры продолжатся завтра, сообщил МИД РФ.",
    "Le slogan « 为人民服务 » (servir le peuple) était partout à Pékin en 1970.",
    "東京 Tokyo と 大阪 Osaka の ニュース news です、ひらがな カタカナ。",
    "أعلنت الحكومة اليوم Government announced ميزانية جديدة للعام المقبل",
    "ℌ𝔢𝔩𝔩𝔬 ｆｕｌｌｗｉｄｔｈ ＡＢＣ ǅungla ǈ ǋ ß ẞ Ǆ İstanbul ıi",
    " leading space and trailing space ",
    "x",
    "Aa",
]


def _seed_texts() -> list[str]:
    texts: list[str] = []
    for path in sorted(samples_dir().glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        blocks = split_blocks(text)
        texts.extend(blocks)
        joined = "\n\n".join(blocks)
        texts.extend([joined[:300], joined[:900], joined])
    return texts


def _shuffled(texts: list[str], count: int) -> list[str]:
    """Random cuts and splices of the texts: samples that start and end mid-word."""
    rng = random.Random(7)
    out = []
    for _ in range(count):
        a, b = rng.choice(texts), rng.choice(texts)
        i, j = rng.randrange(len(a) + 1), rng.randrange(len(b) + 1)
        out.append(a[i : i + rng.randrange(1, 400)] + b[:j][:rng.randrange(0, 200)])
    return out


TEXTS = list(PARAGRAPHS.values()) + AWKWARD + _seed_texts()


def _langdetect(factory: DetectorFactory, text: str, trials: int) -> tuple[list[str], list[float]]:
    detector = factory.create()
    detector.n_trial = trials
    detector.append(text)
    detector.get_probabilities()
    assert detector.langprob is not None
    return detector._extract_ngrams(), list(detector.langprob)


@pytest.fixture(scope="module", params=["latin", "cyrillic", "all"])
def factory(request: pytest.FixtureRequest) -> DetectorFactory:
    built = DetectorFactory()
    names = langid.PROFILE_SETS[request.param]
    if names is None:
        built.load_profile(PROFILES_DIRECTORY)  # langdetect's own eager table
    else:
        langid.load_profiles(built, names)  # our lazily made table
    built.seed = langid.SEED
    return built


@pytest.mark.parametrize("trials", [langid.ARTICLE_TRIALS, langid.PARAGRAPH_TRIALS])
def test_probabilities_are_langdetects_own(factory: DetectorFactory, trials: int) -> None:
    texts = TEXTS + _shuffled(TEXTS, 150)
    compared = 0
    for text in texts:
        try:
            expected_grams, expected = _langdetect(factory, text, trials)
        except LangDetectException:
            with pytest.raises(LangDetectException):
                langdetect_fast.probabilities(
                    factory.langlist, factory.word_lang_prob_map, text, trials, langid.SEED
                )
            continue
        table = factory.word_lang_prob_map
        assert langdetect_fast.ngrams(text, table) == expected_grams, text
        found = langdetect_fast.probabilities(factory.langlist, table, text, trials, langid.SEED)
        assert found == expected, text
        compared += 1
    assert compared > len(texts) * 0.8


def test_best_language_is_get_probabilities_first(factory: DetectorFactory) -> None:
    for text in TEXTS + _shuffled(TEXTS, 60):
        detector = factory.create()
        detector.append(text)
        try:
            ranked = detector.get_probabilities()
        except LangDetectException:
            continue
        best = langdetect_fast.best_language(
            factory.langlist, factory.word_lang_prob_map, text, 7, langid.SEED
        )
        assert best == ((ranked[0].lang, ranked[0].prob) if ranked else None), text


def test_ties_go_to_the_first_language_as_langdetects_stable_sort_does(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(langdetect_fast, "probabilities", lambda *_args: [0.05, 0.4, 0.4, 0.15])
    assert langdetect_fast.best_language(["a", "b", "c", "d"], {}, "", 1, 0) == ("b", 0.4)
    monkeypatch.setattr(langdetect_fast, "probabilities", lambda *_args: [0.1, 0.1, 0.05])
    assert langdetect_fast.best_language(["a", "b", "c"], {}, "", 1, 0) is None


def test_the_text_length_limit_is_langdetects() -> None:
    """The one constant not read from langdetect's classes (it is set in ``__init__``)."""
    assert Detector(DetectorFactory()).max_text_length == langdetect_fast._MAX_TEXT_LENGTH
