"""langdetect's detection of one text, in far fewer Python operations, with the same answer.

langdetect (1.0.9) spends a listing's time in pure-Python loops: every character goes
through ``NGram.add_char`` and ``NGram.normalize`` (a binary search of Unicode blocks), and
every sampled n-gram updates each language's probability in a Python ``for``. On a
300-character article sample that is ~2 ms, most of a first listing of a library.

Here the same steps are done in bulk, keeping every float operation and every call to the
random generator in langdetect's order, so the probabilities are bit for bit the ones
``Detector.get_probabilities()`` returns (``tests/core/test_langdetect_fast.py`` compares
them on hundreds of texts):

- ``append``: langdetect's own URL and e-mail patterns and Vietnamese normaliser; the text is
  cut at ``max_text_length`` (its runs of spaces need not be collapsed: the n-gram pass below
  treats a second space exactly as langdetect's state machine does, emitting nothing).
- ``cleaning_text``: the two counts with two regular expressions instead of a loop.
- ``_extract_ngrams``: each distinct character is normalised once (``NGram.normalize``
  itself, remembered in a table that ``str.translate`` applies in C); the n-grams are then
  read off the normalised text: at each character, the 1-, 2- and 3-grams ending there,
  never reaching back past a space, none while inside an all-capitals word, in langdetect's
  order (the order matters: trials pick n-grams by index).
- the trials: the same ``random.Random`` calls (``gauss``, then ``choice``), each update a
  list comprehension computing ``p * (weight + row[i])`` as langdetect's ``*=`` does, the
  same normalisation every fifth step and the same convergence test.
"""

from __future__ import annotations

import random
import re
from collections.abc import Iterable, Mapping, Sequence
from itertools import repeat
from operator import add, mul, truediv

from langdetect.detector import Detector
from langdetect.utils.ngram import NGram

# langdetect's constants (Detector's class attributes and defaults).
_ALPHA = Detector.ALPHA_DEFAULT
_ALPHA_WIDTH = Detector.ALPHA_WIDTH
_ITERATION_LIMIT = Detector.ITERATION_LIMIT
_PROB_THRESHOLD = Detector.PROB_THRESHOLD
_CONV_THRESHOLD = Detector.CONV_THRESHOLD
_BASE_FREQ = Detector.BASE_FREQ
_MAX_TEXT_LENGTH = 10000  # Detector.__init__'s max_text_length

# cleaning_text: "Latin" is 'A' <= ch <= 'z' (brackets and backquote included, as there);
# "non-Latin" is from U+0300 on, outside Latin Extended Additional (U+1E00–U+1EFF).
_ASCII_LATIN = re.compile("[A-z]+")
_NON_LATIN = re.compile("[\u0300-\u1dff\u1f00-\U0010ffff]+")


class _Normalized(dict[int, str]):
    """``str.translate`` table: code point → ``NGram.normalize`` of that character, filled on
    first sight (``translate`` asks ``__getitem__``, so ``__missing__`` fills it)."""

    def __missing__(self, code: int) -> str:
        normalized: str = NGram.normalize(chr(code))
        self[code] = normalized
        return normalized


_NORMALIZE = _Normalized()


def ngrams(text: str, table: Mapping[str, object]) -> list[str]:
    """The n-grams of ``text`` that ``table`` knows, in the order langdetect's
    ``Detector.append`` + ``cleaning_text`` + ``_extract_ngrams`` produce them."""
    text = Detector.URL_RE.sub(" ", text)
    text = Detector.MAIL_RE.sub(" ", text)
    text = NGram.normalize_vi(text)[:_MAX_TEXT_LENGTH]
    latin = sum(map(len, _ASCII_LATIN.findall(text)))
    non_latin = sum(map(len, _NON_LATIN.findall(text)))
    if latin * 2 < non_latin:
        text = _ASCII_LATIN.sub("", text)
    # langdetect's n-gram buffer starts as " ": as if the text followed a space.
    chars = " " + text.translate(_NORMALIZE)
    found: list[str] = []
    add = found.append
    previous = " "
    for j in range(1, len(chars)):
        char = chars[j]
        if previous == " ":
            # After a space the buffer restarts: " c" and c; a second space adds nothing.
            if char != " ":
                if char in table:
                    add(char)
                pair = " " + char
                if pair in table:
                    add(pair)
        elif not (char.isupper() and previous.isupper()):  # all-capitals words are skipped
            if char != " " and char in table:
                add(char)
            pair = previous + char
            if pair in table:
                add(pair)
            triple = chars[j - 2 : j + 1]
            if triple in table:
                add(triple)
        previous = char
    return found


def probabilities(
    langlist: Sequence[str],
    table: Mapping[str, Sequence[float]],
    text: str,
    trials: int,
    seed: int,
) -> list[float]:
    """Each language's probability for ``text``, as langdetect's ``Detector.langprob`` after
    ``get_probabilities()`` (these profiles, ``n_trial = trials``, its ``seed``). Raises
    ``LangDetectException`` as langdetect does when the text has no known n-gram."""
    grams = ngrams(text, table)
    if not grams:
        from langdetect.lang_detect_exception import ErrorCode, LangDetectException

        raise LangDetectException(ErrorCode.CantDetectError, "No features in text.")
    count = len(langlist)
    totals = [0.0] * count
    rng = random.Random(seed)
    # random.choice(grams), spelled out (the same getrandbits calls as Random._randbelow).
    getrandbits = rng.getrandbits
    size = len(grams)
    bits = size.bit_length()
    for _ in range(trials):
        prob = [1.0 / count] * count
        weight = (_ALPHA + rng.gauss(0.0, 1.0) * _ALPHA_WIDTH) / _BASE_FREQ
        weights = repeat(weight)  # endless: each map stops at its row's end
        # langdetect updates with one random n-gram per step and tests convergence after
        # steps 0, 5, 10…: the draws between two tests do not depend on the probabilities,
        # so each run of steps is drawn first and applied in one pass of chained maps, each
        # element going through prob[k] *= weight + row[k] step after step exactly as in
        # langdetect's loop (IEEE addition is commutative: weight + row[k] is the same float).
        step = 0
        while True:
            values: Iterable[float] = prob
            for _ in range(1 if step == 0 else 5):
                pick = getrandbits(bits)
                while pick >= size:
                    pick = getrandbits(bits)
                values = map(mul, values, map(add, weights, table[grams[pick]]))
            prob = list(values)
            total = sum(prob)
            prob = list(map(truediv, prob, repeat(total, count)))
            if max(prob) > _CONV_THRESHOLD or step >= _ITERATION_LIMIT:
                break
            step += 5
        totals = list(map(add, totals, map(truediv, prob, repeat(trials, count))))
    return totals


def best_language(
    langlist: Sequence[str],
    table: Mapping[str, Sequence[float]],
    text: str,
    trials: int,
    seed: int,
) -> tuple[str, float] | None:
    """What ``get_probabilities()[0]`` of such a Detector says: ``(language,
    probability)``, or None when no language passes langdetect's 0.1 threshold."""
    totals = probabilities(langlist, table, text, trials, seed)
    # langdetect sorts the languages above the threshold by probability, stably, and
    # answers the first: the earliest in langlist among the most probable.
    best: tuple[str, float] | None = None
    for language, probability in zip(langlist, totals, strict=True):
        if probability > _PROB_THRESHOLD and (best is None or probability > best[1]):
            best = (language, probability)
    return best
