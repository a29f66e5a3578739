"""Language of articles and paragraphs, with langdetect made deterministic and cheap.

langdetect is randomised (it samples n-grams); with a fixed seed the same text always
gets the same answer, which the translation cache and the tests rely on. Its profiles
take about 0.4 s to load, so they are loaded lazily, once, behind a lock (the window
may ask from a worker thread while the CLI asks from the main one).

On a handful of words langdetect is a coin toss ("Accept" comes out Romanian), so short
texts inherit the article's language with confidence 0.0 instead.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import threading
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

from langdetect import DetectorFactory
from langdetect.detector_factory import PROFILES_DIRECTORY
from langdetect.lang_detect_exception import LangDetectException

from reader.core.article import count_words

log = logging.getLogger(__name__)

UNDETERMINED = "und"
SEED = 0
# Below either threshold a text is too short to judge.
MIN_WORDS = 6
MIN_LETTERS = 30
# langdetect's cost grows with the text; a paragraph's first 500 characters are plenty
# to tell its language, and the article's first ~2500 (a few paragraphs) for the article.
PARAGRAPH_SAMPLE_CHARS = 500
# ~100 words tell one language from another reliably, and langdetect's cost grows with the
# sample: listing a 500-article library spends most of its time here (bench/ measures it).
ARTICLE_SAMPLE_CHARS = 600
# langdetect averages random trials; a paragraph (short, noisy) gets its default 7, an article
# sample (long, clean) needs fewer for the same answer.
PARAGRAPH_TRIALS = 7
ARTICLE_TRIALS = 3

_lock = threading.Lock()
_factory: DetectorFactory | None = None


def _get_factory() -> DetectorFactory:
    global _factory
    factory = _factory
    if factory is not None:
        return factory
    with _lock:
        if _factory is None:
            built = DetectorFactory()
            built.load_profile(PROFILES_DIRECTORY)
            # Each Detector seeds its own random.Random from this, so detection needs no
            # lock once the (read-only) profiles are loaded.
            built.seed = SEED
            _factory = built
        return _factory


def warm_up() -> None:
    """Load the language profiles now (e.g. from a background thread at start-up)."""
    _get_factory()


def _letters(text: str) -> int:
    return sum(1 for ch in text if ch.isalpha())


def is_too_short(text: str) -> bool:
    """Whether ``text`` is too short for a meaningful guess (fewer than ~6 words or ~30 letters)."""
    return count_words(text) < MIN_WORDS or _letters(text) < MIN_LETTERS


def _normalize_code(code: str) -> str:
    # langdetect says "zh-cn"/"zh-tw"; the rest of the app speaks ISO 639-1.
    return code.split("-", 1)[0]


@lru_cache(maxsize=8192)
def _detect_raw(sample: str, trials: int = PARAGRAPH_TRIALS) -> tuple[str, float] | None:
    """langdetect's best guess for ``sample``, or None when it has nothing to go on.

    Cached: deterministic with the fixed seed, and articles repeat boilerplate.
    """
    detector = _get_factory().create()
    detector.n_trial = trials
    detector.append(sample)
    try:
        probabilities = detector.get_probabilities()
    except LangDetectException:  # "No features in text"
        return None
    if not probabilities:
        return None
    best = probabilities[0]
    return _normalize_code(str(best.lang)), float(best.prob)


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
    if not force and is_too_short(sample):
        return inherit, 0.0
    if not any(ch.isalpha() for ch in sample):
        return inherit, 0.0
    remembered = memo.get(sample, trials) if memo is not None else None
    if remembered is not None:
        return remembered
    result = _detect_raw(sample, trials)
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
        if path is not None:
            try:
                data = json.loads(path.read_text(encoding="utf-8"))
                self._entries = {
                    str(k): (str(v[0]), float(v[1])) for k, v in data.get("entries", {}).items()
                }
            except (OSError, ValueError, TypeError, AttributeError, IndexError):
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
        temp = self.path.with_name(f".{self.path.name}.{os.getpid()}.tmp")
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            temp.write_text(json.dumps({"entries": dict(entries)}), encoding="utf-8")
            os.replace(temp, self.path)
            self._changed = False
        except OSError:
            log.debug("could not save the language memo %s", self.path, exc_info=True)
            with contextlib.suppress(OSError):
                temp.unlink()  # a full disk leaves a truncated temp file behind


def detect_article_language(
    texts: Iterable[str], *, inherit: str = UNDETERMINED, memo: LanguageMemo | None = None
) -> tuple[str, float]:
    """The language of a whole article, judged on a bounded sample of its paragraphs.

    Bounded so that listing a library of hundreds of articles stays fast: the first
    few paragraphs are as telling as the whole text.
    """
    sample = article_sample(texts)
    return detect(
        sample, inherit=inherit, max_chars=ARTICLE_SAMPLE_CHARS, trials=ARTICLE_TRIALS, memo=memo
    )
