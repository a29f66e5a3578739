"""Language of articles and paragraphs, with langdetect made deterministic and cheap.

langdetect is randomised (it samples n-grams); with a fixed seed the same text always
gets the same answer, which the translation cache and the tests rely on. Its profiles
take about 0.4 s to load, so they are loaded lazily, once, behind a lock (the window
may ask from a worker thread while the CLI asks from the main one).

On a handful of words langdetect is a coin toss ("Accept" comes out Romanian), so short
texts inherit the article's language with confidence 0.0 instead.

Before langdetect, the script decides where it alone tells the language (:mod:`scripts`):
kana is Japanese, Hangul Korean, Han Chinese (simplified ``zh`` or traditional ``zt`` by
the characters that differ), Arabic script Arabic, Persian or Urdu by their own letters,
Devanagari Hindi, Thai Thai, Greek Greek… This is exact where langdetect guesses (it read a
short Chinese article as Korean) and it costs a pass over the sample instead of langdetect's
n-gram trials. Codes are then given as the Argos index spells them (``nb``, ``zt``).
"""

from __future__ import annotations

import hashlib
import json
import logging
import threading
from collections import Counter
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from reader.core.articles.article import count_words
from reader.core.language.names import to_argos_code
from reader.core.text.writing_systems import Script, script_counts
from reader.private_files import open_private, write_private

if TYPE_CHECKING:
    from langdetect import DetectorFactory

log = logging.getLogger(__name__)

UNDETERMINED = "und"
SEED = 0
# Below either threshold a text is too short to judge.
MIN_WORDS = 6
MIN_LETTERS = 30
# langdetect's cost grows with the text; a paragraph's first 500 characters are plenty
# to tell its language, and the article's first ~2500 (a few paragraphs) for the article.
PARAGRAPH_SAMPLE_CHARS = 500
# ~50 words tell one language from another reliably, and langdetect's cost grows faster than
# the sample: listing a 500-article library spends most of its time here (bench/ measures
# it). When langdetect is not sure on that much, the article is judged again on the longer
# sample (close pairs such as Danish/Norwegian or Spanish/Portuguese need more text).
ARTICLE_SAMPLE_CHARS = 300
ARTICLE_LONG_SAMPLE_CHARS = 900
ARTICLE_SURE = 0.95
# langdetect averages random trials; a paragraph (short, noisy) gets its default 7, an article
# sample (long, clean) needs fewer for the same answer.
PARAGRAPH_TRIALS = 7
ARTICLE_TRIALS = 3


def _names(text: str) -> tuple[str, ...]:
    return tuple(text.split())


# langdetect's profiles by script. A sample whose letters are Latin is only ever compared
# with the Latin-script languages: loading those 31 profiles takes a quarter of the time of
# all 55 (the CJK ones are the big ones), and each n-gram updates 31 probabilities instead of
# 55. Samples in other scripts are decided by the script, Cyrillic among its four; a mix of
# scripts gets every profile.
PROFILE_SETS: dict[str, tuple[str, ...] | None] = {
    "latin": _names(
        "af ca cs cy da de en es et fi fr hr hu id it lt lv nl no pl pt ro sk sl so sq "
        "sv sw tl tr vi"
    ),
    "cyrillic": ("bg", "mk", "ru", "uk"),
    "all": None,
}

_lock = threading.Lock()
_factories: dict[str, DetectorFactory] = {}


def load_profiles(factory: DetectorFactory, names: tuple[str, ...]) -> None:
    """What ``factory.load_json_profile`` does for these profiles, with the table made lazily
    from a compact copy (:mod:`langdetect_profiles`): same languages in the same order, same
    probabilities."""
    from langdetect.detector_factory import PROFILES_DIRECTORY

    from reader import paths as app_paths
    from reader.core.language import langdetect_profiles

    langlist, table = langdetect_profiles.load(
        Path(PROFILES_DIRECTORY), names, app_paths.app_cache_dir()
    )
    factory.langlist = langlist
    factory.word_lang_prob_map = table


def _get_factory(profiles: str = "all") -> DetectorFactory:
    factory = _factories.get(profiles)
    if factory is not None:
        return factory
    with _lock:
        if profiles not in _factories:
            # Imported on first detection: re-listing a library finds every language in the
            # memo and never needs langdetect (~15 ms of imports).
            from langdetect import DetectorFactory
            from langdetect.detector_factory import PROFILES_DIRECTORY

            built = DetectorFactory()
            names = PROFILE_SETS[profiles]
            if names is None:
                built.load_profile(PROFILES_DIRECTORY)
            else:
                load_profiles(built, names)
            # Each Detector seeds its own random.Random from this, so detection needs no
            # lock once the (read-only) profiles are loaded.
            built.seed = SEED
            _factories[profiles] = built
        return _factories[profiles]


def _profiles_for(counts: Counter[Script]) -> str:
    letters = sum(counts.values())
    for script, name in ((Script.LATIN, "latin"), (Script.CYRILLIC, "cyrillic")):
        if counts.get(script, 0) >= letters * SCRIPT_SHARE:
            return name
    return "all"


# Scripts written without spaces between words: a character there says about as much as
# a short word (Han, kana) or a few letters (Thai).
_UNSPACED_WEIGHT = {Script.HAN: 1.0, Script.KANA: 0.5, Script.THAI: 0.2}


def _too_short(text: str, counts: Counter[Script]) -> bool:
    """Whether ``text`` is too short for a meaningful guess (fewer than ~6 words or ~30
    letters; in Chinese and Japanese ~6 characters count as 6 words and 30 letters)."""
    extra_words = 0.0
    extra_letters = 0
    for script, weight in _UNSPACED_WEIGHT.items():
        found = counts.get(script, 0)
        extra_words += found * weight
        if script is not Script.THAI:
            extra_letters += found * 4
    return (
        count_words(text) + extra_words < MIN_WORDS
        or sum(counts.values()) + extra_letters < MIN_LETTERS
    )


_normalize_code = to_argos_code

# Scripts that name one language of the index by themselves.
_SCRIPT_LANGUAGE = {
    Script.KANA: "ja",
    Script.HANGUL: "ko",
    Script.GREEK: "el",
    Script.HEBREW: "he",
    Script.DEVANAGARI: "hi",
    Script.BENGALI: "bn",
    Script.THAI: "th",
    Script.GURMUKHI: "pa",
    Script.GUJARATI: "gu",
    Script.TAMIL: "ta",
    Script.TELUGU: "te",
    Script.KANNADA: "kn",
    Script.MALAYALAM: "ml",
    Script.SINHALA: "si",
    Script.LAO: "lo",
    Script.TIBETAN: "bo",
    Script.MYANMAR: "my",
    Script.GEORGIAN: "ka",
    Script.ARMENIAN: "hy",
    Script.ETHIOPIC: "am",
    Script.KHMER: "km",
}
# Common characters written differently in simplified and traditional Chinese.
_SIMPLIFIED = frozenset(
    "这们个说会时来对国后过与为发学经还进当开关员问间现体长电实动点从"
    "业认应将并头机无报义种样议区总东车军万亲岁书场让话钱变门见产气么"
)
_TRADITIONAL = frozenset(
    "這們個說會時來對國後過與為發學經還進當開關員問間現體長電實動點從"
    "業認應將並頭機無報義種樣議區總東車軍萬親歲書場讓話錢變門見產氣麼"
)
# Letters Urdu has and Persian does not, and letters Persian (and Urdu) have and Arabic not.
_URDU_LETTERS = frozenset("ٹڈڑںےۓھہ")
_PERSIAN_LETTERS = frozenset("پچژگکی")
# A script decides when this share of the sample's letters is in it.
SCRIPT_SHARE = 0.6


def _chinese_variant(sample: str) -> str:
    simplified = sum(ch in _SIMPLIFIED for ch in sample)
    traditional = sum(ch in _TRADITIONAL for ch in sample)
    return "zt" if traditional > simplified else "zh"


def _arabic_script_language(sample: str) -> str:
    letters = max(1, sum(ch.isalpha() for ch in sample))
    if sum(ch in _URDU_LETTERS for ch in sample) / letters > 0.02:
        return "ur"
    if sum(ch in _PERSIAN_LETTERS for ch in sample) / letters > 0.02:
        return "fa"
    return "ar"


def _script_decision(sample: str, counts: Counter[Script] | None = None) -> tuple[str | None, bool]:
    """(language told by the script or None, whether the sample mixes scripts)."""
    if counts is None:
        counts = script_counts(sample)
    letters = sum(counts.values())
    if not letters or set(counts) == {Script.LATIN}:
        return None, False  # the common case: langdetect decides
    return _language_of_counts(sample, counts, letters), (
        counts.most_common(1)[0][1] / letters < SCRIPT_SHARE
    )


def _language_of_counts(sample: str, counts: Counter[Script], letters: int) -> str | None:
    kana, han, hangul = counts[Script.KANA], counts[Script.HAN], counts[Script.HANGUL]
    if kana and (kana + han) / letters >= SCRIPT_SHARE:
        return "ja"  # Japanese mixes kana and kanji; Chinese has no kana
    if hangul and (hangul + han) / letters >= SCRIPT_SHARE:
        return "ko"
    if han / letters >= SCRIPT_SHARE:
        return _chinese_variant(sample)
    if counts[Script.ARABIC] / letters >= SCRIPT_SHARE:
        return _arabic_script_language(sample)
    script, count = counts.most_common(1)[0]
    if count / letters >= SCRIPT_SHARE:
        return _SCRIPT_LANGUAGE.get(script)
    return None


@lru_cache(maxsize=8192)
def detect_sample(
    sample: str, trials: int = PARAGRAPH_TRIALS, profiles: str = "all"
) -> tuple[str, float] | None:
    """langdetect's best guess for ``sample`` among the ``profiles`` set of languages, or
    None when it has nothing to go on.

    Cached: deterministic with the fixed seed, and articles repeat boilerplate. Callers use
    :func:`detect`; this is public so that tests and the benchmark can watch (and clear)
    what langdetect is asked.
    """
    from langdetect.lang_detect_exception import LangDetectException

    from reader.core.language.langdetect_fast import best_language

    factory = _get_factory(profiles)
    try:
        # langdetect's own answer (same profiles, seed and trials), computed in bulk.
        best = best_language(
            factory.langlist, factory.word_lang_prob_map, sample, trials, SEED
        )
    except LangDetectException:  # "No features in text"
        return None
    if best is None:
        return None
    return _normalize_code(best[0]), best[1]


def detect(
    text: str,
    *,
    inherit: str = UNDETERMINED,
    force: bool = False,
    max_chars: int = PARAGRAPH_SAMPLE_CHARS,
    trials: int = PARAGRAPH_TRIALS,
    memo: LanguageMemo | None = None,
) -> tuple[str, float]:
    """``(language code, confidence)`` of ``text``.

    Texts too short to judge return ``(inherit, 0.0)`` unless ``force`` (used for
    boilerplate such as "Related Articles", whose language we want whatever its length).
    Texts without any letter always inherit. Only the first ``max_chars`` characters are
    examined, which bounds the cost of a huge paragraph. With a ``memo``, a sample judged
    before is not judged again (not even langdetect's profiles are loaded).
    """
    sample = text[:max_chars].strip()
    counts = script_counts(sample)
    if not counts:
        return inherit, 0.0  # no letter at all
    if not force and _too_short(sample, counts):
        return inherit, 0.0
    by_script, mixed = _script_decision(sample, counts)
    if by_script is not None:
        return by_script, 1.0
    if mixed and inherit != UNDETERMINED:
        return inherit, 0.0  # a French paragraph quoting Chinese stays French
    remembered = memo.get(sample, trials) if memo is not None else None
    if remembered is not None:
        return remembered
    result = detect_sample(sample, trials, _profiles_for(counts))
    if result is None:
        return inherit, 0.0
    if memo is not None:
        memo.put(sample, trials, result)
    return result


def article_sample(texts: Iterable[str], max_chars: int = ARTICLE_SAMPLE_CHARS) -> str:
    """The first ``max_chars`` characters of the article's texts, joined by blank lines."""
    parts: list[str] = []
    total = 0
    for text in texts:
        if total >= max_chars:
            break
        piece = text[: max_chars - total]
        parts.append(piece)
        total += len(piece) + 2
    return "\n\n".join(parts)


class LanguageMemo:
    """Languages already detected, by a hash of the sample they were judged on,
    kept in a small JSON file so that re-listing a library skips langdetect (~2 ms an
    article in pure Python). Keyed on content, not on paths or times, so it never goes stale;
    an unreadable file is simply an empty memo."""

    MAX_ENTRIES = 50_000

    def __init__(self, path: Path | None = None) -> None:
        self.path = path
        self._entries: dict[str, tuple[str, float]] = {}
        self._changed = False
        data = open_private(path, 64 * self.MAX_ENTRIES) if path is not None else None
        if data is None:
            return
        try:
            stored = json.loads(data)
            entries = stored["entries"]
            # Read back from a file: only entries of the expected types are kept.
            self._entries = {
                key: (value[0], float(value[1])) for key, value in entries.items()
                if type(key) is str and type(value) is list and len(value) == 2
                and type(value[0]) is str and type(value[1]) in (int, float)
            }
        except (ValueError, TypeError, KeyError, AttributeError, RecursionError):
            self._entries = {}

    @staticmethod
    def key(sample: str, trials: int) -> str:
        # The detection settings are part of the key: changing them re-detects.
        material = f"{trials}:{sample}".encode()
        return hashlib.sha1(material, usedforsecurity=False).hexdigest()[:24]

    def get(self, sample: str, trials: int) -> tuple[str, float] | None:
        return self._entries.get(self.key(sample, trials))

    def put(self, sample: str, trials: int, result: tuple[str, float]) -> None:
        self._entries[self.key(sample, trials)] = result
        self._changed = True

    def save(self) -> None:
        """Write atomically; a cache that cannot be written is not worth a warning."""
        if self.path is None or not self._changed:
            return
        entries = list(self._entries.items())[-self.MAX_ENTRIES :]
        try:
            write_private(self.path, json.dumps({"entries": dict(entries)}).encode())
            self._changed = False
        except OSError:
            log.debug("could not save the language memo %s", self.path, exc_info=True)


def detect_article_language(
    texts: Iterable[str], *, inherit: str = UNDETERMINED, memo: LanguageMemo | None = None
) -> tuple[str, float]:
    """The language of a whole article, judged on a bounded sample of its paragraphs.

    Bounded so that listing a library of hundreds of articles stays fast: the first
    few paragraphs are as telling as the whole text.
    """
    taken: list[str] = []  # only the paragraphs the longer sample could need
    total = 0
    for text in texts:
        taken.append(text)
        total += len(text) + 2
        if total >= ARTICLE_LONG_SAMPLE_CHARS:
            break
    sample = article_sample(taken)
    found = detect(
        sample, inherit=inherit, max_chars=ARTICLE_SAMPLE_CHARS, trials=ARTICLE_TRIALS, memo=memo
    )
    if found[1] >= ARTICLE_SURE or len(sample) < ARTICLE_SAMPLE_CHARS:
        return found
    longer = article_sample(taken, ARTICLE_LONG_SAMPLE_CHARS)
    return detect(
        longer,
        inherit=inherit,
        max_chars=ARTICLE_LONG_SAMPLE_CHARS,
        trials=ARTICLE_TRIALS,
        memo=memo,
    )
